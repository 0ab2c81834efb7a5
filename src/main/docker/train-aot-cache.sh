#!/bin/sh
# The AOT cache's training run (JDK 25, see docs/performance.md): starts doorcast with -XX:AOTCacheOutput,
# lets the simulated doorbell post frames and audio through the real ingest path while a few viewers and
# listeners stream and the stats, metrics and health endpoints are asked, then stops it; the JVM writes the
# cache as it exits. The Dockerfile runs it at image build; the footprint bench runs it on the jar it tests.
# Usage: train-aot-cache.sh APP_JAR CACHE_FILE    (java from the PATH; JVM options from JAVA_TOOL_OPTIONS,
# which must be the ones the cache is used with; TRAINING_PORT, 18080 unless set, must be free)
set -eu
jar=$1
cache=$2
port=${TRAINING_PORT:-18080}
token=aot-training-only
base=http://127.0.0.1:$port

# The store in memory: the image ships no database file, and the store's classes are still trained (the
# simulated doorbell rings five seconds after the start, and the ring is written and listed).
java -XX:AOTCacheOutput="$cache" -jar "$jar" --server.port="$port" --logging.level.root=WARN \
  --doorcast.demo.enabled=true --doorcast.security.viewer-token="$token" \
  --spring.datasource.url=jdbc:h2:mem:training &
pid=$!

ready=no
for _ in $(seq 1 600); do
  kill -0 "$pid" 2>/dev/null || break # it exited (the port taken?): never train against another server
  if curl -fs -o /dev/null "$base/actuator/health/liveness"; then ready=yes; break; fi # silent until it serves
  sleep 0.2
done
if [ "$ready" != yes ]; then
  echo "doorcast did not start for training" >&2
  kill "$pid" 2>/dev/null || true
  exit 1
fi

auth="Authorization: Bearer $token"
# Streams for 15 s while the doorbell posts (5 fps and 16 audio chunks a second), and the other endpoints.
for i in 1 2 3; do
  curl -s -o /dev/null --max-time 15 -H "$auth" "$base/api/v1/stream/camera" &
done
curl -s -o /dev/null --max-time 15 -H "$auth" "$base/api/v1/stream/camera?fps=1" &
curl -s -o /dev/null --max-time 15 -H "$auth" "$base/api/v1/stream/audio" &
curl -s -o /dev/null --max-time 15 -H "$auth" "$base/api/v1/stream/audio?format=wav" &
for _ in $(seq 1 30); do
  curl -s -o /dev/null -H "$auth" "$base/api/v1/stream/stats"
  curl -s -o /dev/null -H "$auth" -H "Accept: text/plain;version=0.0.4" "$base/api/v1/stream/stats"
  curl -s -o /dev/null -H "$auth" "$base/api/v1/stream/camera/snapshot"
  curl -s -o /dev/null "$base/actuator/health"
  curl -s -o /dev/null "$base/actuator/prometheus"
  curl -s -o /dev/null "$base/api/v1/stream/camera"
  curl -s -o /dev/null -H "$auth" "$base/api/v1/stream/rings"
  sleep 0.5
done
wait_curls=$(jobs -p | grep -v "^$pid\$" || true)
for job in $wait_curls; do wait "$job" 2>/dev/null || true; done

if ! kill -TERM "$pid" 2>/dev/null; then
  echo "doorcast exited during training" >&2
  exit 1
fi
wait "$pid" || true
test -s "$cache"
