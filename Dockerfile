# syntax=docker/dockerfile:1.7
# Build: docker build -t doorcast .
# Run:   docker run -p 8080:8080 -v doorcast-data:/data -e DOORCAST_SECURITY_DEVICE_TOKEN=$(openssl rand -hex 32) \
#          -e DOORCAST_SECURITY_VIEWER_TOKEN=$(openssl rand -hex 32) doorcast
#        (docs/operations.md shows the same with the tokens printed, to flash into the doorbell and open the page)

FROM eclipse-temurin:25-jdk AS build
WORKDIR /src
# Dependencies first, so that a change to the code alone reuses this layer.
COPY mvnw pom.xml ./
COPY .mvn .mvn
RUN --mount=type=cache,target=/root/.m2 ./mvnw -B -q dependency:go-offline
COPY src src
RUN --mount=type=cache,target=/root/.m2 ./mvnw -B -q package -DskipTests \
 && java -Djarmode=tools -jar target/doorcast.jar extract --layers --destination /layers

FROM eclipse-temurin:25-jre
RUN apt-get update \
 && apt-get install -y --no-install-recommends curl \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --uid 10001 --home-dir /app doorcast
WORKDIR /app
# Least often changed first: libraries, then the application's own jar, which lists them on its class path
# (plain `java -jar`, no launcher: classes from the application class loader are what an AOT cache holds).
COPY --from=build /layers/dependencies/ ./
COPY --from=build /layers/spring-boot-loader/ ./
COPY --from=build /layers/snapshot-dependencies/ ./
COPY --from=build /layers/application/ ./
# Measured in docs/performance.md (the footprint bench reads these options from here; what each one is for is
# in docs/operations.md): heap at 60 % of the container's memory, the serial collector, compact object
# headers, C1 only, and the AOT cache mapped where it was made (so its pages stay file pages, not private
# memory). With them no container was killed at any load; a full heap means full GCs instead.
ENV SPRING_PROFILES_ACTIVE=prod \
    JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=60 -XX:+UseSerialGC -XX:+UseCompactObjectHeaders -XX:TieredStopAtLevel=1 -Xss512k -XX:+ExitOnOutOfMemoryError -XX:+UnlockDiagnosticVMOptions -XX:ArchiveRelocationMode=0"
# The AOT cache (JDK 25): a training run with the simulated doorbell posting and viewers watching, so the
# classes, their linking and the JIT's profiles of ingest and streaming are ready at start. Same JVM options
# as at run time; the cache is used only with them and with this JDK.
# -Xlog:aot=error for the training only: JDK 25 warns for each class it leaves out of the cache (some 160
# "[warning][aot] Skipping jdk/proxy2/$Proxy107: Unsupported location" lines for the JDK's proxies and JFR's
# event classes, and "cannot be archived because it was not defined from ... as claimed" for the
# Java-version-specific classes of multi-release jars). They list what the cache leaves out, not a fault;
# the cache is the same without them, errors still print, and logging is not among the options the cache
# must be used with.
COPY src/main/docker/train-aot-cache.sh /tmp/
RUN JAVA_TOOL_OPTIONS="$JAVA_TOOL_OPTIONS -Xlog:aot=error" sh /tmp/train-aot-cache.sh /app/doorcast.jar /app/doorcast.aot \
 && rm /tmp/train-aot-cache.sh
# The store (rings, push subscriptions): an H2 file in /data, which should be a volume (docker run -v
# doorcast-data:/data, fly.toml's [mounts]); without one, rings last as long as the container. Several
# instances point spring.datasource.url at one PostgreSQL server instead (docs/operations.md, "The store").
ENV DOORCAST_STORAGE_PATH=/data
RUN mkdir /data && chown 10001 /data
VOLUME /data
USER 10001
EXPOSE 8080
# Liveness only: a quiet doorbell or a Redis outage shows in /actuator/health but must not restart the server.
HEALTHCHECK --interval=15s --timeout=3s --start-period=40s --retries=3 \
  CMD curl -fsS -o /dev/null http://127.0.0.1:8080/actuator/health/liveness || exit 1
ENTRYPOINT ["java", "-XX:AOTCache=/app/doorcast.aot", "-jar", "/app/doorcast.jar"]
