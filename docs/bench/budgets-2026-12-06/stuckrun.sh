#!/bin/bash
# usage: stuckrun.sh JAR PORT STUCK SECONDS
JAR=$1; PORT=$2; N=$3; SECS=$4
DEV=dev-token-0123456789abcdef; VIEW=viewer-token-0123456789abcdef
env SPRING_PROFILES_ACTIVE=prod DOORCAST_SECURITY_DEVICE_TOKEN=$DEV DOORCAST_SECURITY_VIEWER_TOKEN=$VIEW SERVER_PORT=$PORT \
  /usr/lib/jvm/temurin-25-jdk-amd64/bin/java -Xmx154m -XX:+UseSerialGC -XX:+UseCompactObjectHeaders -XX:TieredStopAtLevel=1 -Xss512k -XX:+ExitOnOutOfMemoryError -jar $JAR > stuck-server-$PORT.log 2>&1 &
PID=$!
for i in $(seq 1 60); do curl -fs -o /dev/null http://127.0.0.1:$PORT/actuator/health/liveness && break; sleep 1; done
python3 poster.py $PORT $DEV $((SECS+10)) 200000 5 > /dev/null 2>&1 &
PP=$!
sleep 2
python3 stuck.py $PORT $N $SECS $VIEW &
SP=$!
T0=$(date +%s)
for i in $(seq 1 $((SECS/5))); do
  sleep 5
  STALLED=$(curl -s -H "Authorization: Bearer $VIEW" http://127.0.0.1:$PORT/api/v1/stream/stats | python3 -c 'import json,sys; d=json.load(sys.stdin)["stats"]; print(d["viewersStalled"], d["videoClientsConnected"])')
  echo "t=$(( $(date +%s)-T0 ))s $(python3 txq.py $PORT) stalled,connected=$STALLED $(grep TCP: /proc/net/sockstat | awk '{print "tcp_mem_pages="$NF}')"
done
wait $SP; kill $PP 2>/dev/null; kill $PID; wait $PID 2>/dev/null
