#!/bin/bash
# usage: run.sh JAR PORT SECONDS DEVICES(2|10) [extra java args]
JAR=$1; PORT=$2; SECS=$3; N=$4; shift 4
DEV=dev-token-0123456789abcdef; VIEW=viewer-token-0123456789abcdef; MET=metrics-token-0123456789abcdef
ENVS=(SPRING_PROFILES_ACTIVE=prod DOORCAST_SECURITY_DEVICE_TOKEN=$DEV DOORCAST_SECURITY_VIEWER_TOKEN=$VIEW DOORCAST_SECURITY_METRICS_TOKEN=$MET SERVER_PORT=$PORT)
TOKENS=$DEV
for i in $(seq 2 $N); do ENVS+=(DOORCAST_DEVICES_D$i\_TOKEN=device-$i-token-0123456789abcdef); TOKENS=$TOKENS,device-$i-token-0123456789abcdef; done
env "${ENVS[@]}" /usr/lib/jvm/temurin-25-jdk-amd64/bin/java -Xmx154m -XX:+UseSerialGC -XX:+UseCompactObjectHeaders -XX:TieredStopAtLevel=1 -Xss512k -XX:+ExitOnOutOfMemoryError "$@" -jar $JAR > server-$PORT.log 2>&1 &
PID=$!
for i in $(seq 1 60); do curl -fs -o /dev/null http://127.0.0.1:$PORT/actuator/health/liveness && break; sleep 1; done
echo "server pid $PID up"
python3 poster.py $PORT $TOKENS $SECS > poster-$PORT.out 2>&1 &
PP=$!
T0=$(date +%s)
while kill -0 $PP 2>/dev/null; do
  sleep 5
  if ! kill -0 $PID 2>/dev/null; then wait $PID; echo "t=$(( $(date +%s)-T0 ))s SERVER EXITED rc=$?"; break; fi
  M=$(curl -s -H "Authorization: Bearer $MET" http://127.0.0.1:$PORT/actuator/prometheus)
  HEAP=$(echo "$M" | grep '^jvm_memory_used_bytes' | grep 'area="heap"' | awk '{s+=$NF} END {printf "%.1f", s/1048576}')
  HELD=$(echo "$M" | awk '/^doorcast_buffer_held_bytes/ {s+=$2} END {printf "%.1f", s/1048576}')
  RINGS=$(echo "$M" | awk '/^doorcast_rings_total/ {s+=$2} END {print s}')
  echo "t=$(( $(date +%s)-T0 ))s heap_used=${HEAP}MB held=${HELD}MB rings=$RINGS rss=$(ps -o rss= -p $PID)KB"
done
wait $PP; cat poster-$PORT.out
grep -m2 -i "OutOfMemory\|Terminating" server-$PORT.log
kill $PID 2>/dev/null; wait $PID 2>/dev/null
