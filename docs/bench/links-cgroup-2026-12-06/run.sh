#!/bin/bash
# From the repository root, as root, after `./mvnw -B -Pbench package -Dbench.mode=doorbells` (which leaves
# target/doorcast.jar and target/bench/doorbells.yaml): the jar in a 256 MB memory cgroup, 1,000 idle links,
# then 1,000 upgrades refused 401 and held.
set -u
CG=/sys/fs/cgroup/memory/doorcast-links
rmdir $CG 2>/dev/null; mkdir -p $CG; echo 268435456 > $CG/memory.limit_in_bytes
PORT=18777
JVM="-XX:MaxRAMPercentage=60 -XX:+UseSerialGC -XX:+UseCompactObjectHeaders -XX:TieredStopAtLevel=1 -Xss512k -XX:+ExitOnOutOfMemoryError"
(echo $BASHPID > $CG/cgroup.procs; exec ${JAVA:-/usr/lib/jvm/temurin-25-jdk-amd64/bin/java} $JVM -jar target/doorcast.jar --server.port=$PORT --doorcast.demo.enabled=false --doorcast.security.device-token=bench-device-token-0123456789 --spring.config.additional-location=file:target/bench/doorbells.yaml --logging.level.root=WARN > /tmp/cgserver.log 2>&1) &
for i in $(seq 60); do curl -s -o /dev/null http://127.0.0.1:$PORT/actuator/health/liveness && break; sleep 1; done
anon() { grep -E "^total_rss " $CG/memory.stat | awk '{print $2}'; }
usage() { cat $CG/memory.usage_in_bytes; }
sleep 5
echo "idle: usage $(( $(usage)/1048576 )) MB anon $(( $(anon)/1048576 )) MB"
python3 docs/bench/links-cgroup-2026-12-06/links.py $PORT 1000 25 > /tmp/links.out 2>&1 &
P=$!; sleep 20
echo "1000 links held: usage $(( $(usage)/1048576 )) MB anon $(( $(anon)/1048576 )) MB; $(curl -s http://127.0.0.1:$PORT/api/v1/devices | jq '[.devices[]|select(.online)]|length' 2>/dev/null) "
wait $P; cat /tmp/links.out; sleep 5
echo "after links: usage $(( $(usage)/1048576 )) MB anon $(( $(anon)/1048576 )) MB"
python3 docs/bench/links-cgroup-2026-12-06/links.py $PORT 1000 20 wrong > /tmp/links2.out 2>&1 &
P=$!; sleep 15
echo "1000 refused upgrades held: usage $(( $(usage)/1048576 )) MB anon $(( $(anon)/1048576 )) MB"
wait $P; cat /tmp/links2.out
echo "max usage $(( $(cat $CG/memory.max_usage_in_bytes)/1048576 )) MB; oom: $(tr '\n' ' ' < $CG/memory.oom_control)"
pkill -f "server.port=$PORT"; sleep 3; rmdir $CG 2>/dev/null
