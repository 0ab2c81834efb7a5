# syntax=docker/dockerfile:1.7
# Build: docker build -t doorcast .
# Run:   docker run -p 8080:8080 -e DOORCAST_SECURITY_DEVICE_TOKEN=$(openssl rand -hex 32) \
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
 && java -Djarmode=tools -jar target/doorcast.jar extract --layers --launcher --destination /layers

FROM eclipse-temurin:25-jre
RUN apt-get update \
 && apt-get install -y --no-install-recommends curl \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --uid 10001 --home-dir /app doorcast
WORKDIR /app
# Least often changed first: libraries, the launcher, then the application's own classes.
COPY --from=build /layers/dependencies/ ./
COPY --from=build /layers/spring-boot-loader/ ./
COPY --from=build /layers/snapshot-dependencies/ ./
COPY --from=build /layers/application/ ./
USER 10001
EXPOSE 8080
# Sized for a 256-512 MB machine: heap at 60% of the container's memory leaves room for thread stacks,
# socket buffers and metaspace; small stacks suit thousands of mostly parked viewer threads.
ENV SPRING_PROFILES_ACTIVE=prod \
    JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=60 -XX:+UseSerialGC -Xss512k -XX:+ExitOnOutOfMemoryError"
# Liveness only: a quiet doorbell or a Redis outage shows in /actuator/health but must not restart the server.
HEALTHCHECK --interval=15s --timeout=3s --start-period=40s --retries=3 \
  CMD curl -fsS -o /dev/null http://127.0.0.1:8080/actuator/health/liveness || exit 1
ENTRYPOINT ["java", "org.springframework.boot.loader.launch.JarLauncher"]
