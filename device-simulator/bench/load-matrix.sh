#!/usr/bin/env bash
# Load matrix: starts a fresh all-in-one platform on its own ports and data directory, runs the
# simulator's `load` for each (devices, rate, qos) combination, keeps every JSON report and prints
# the one-line summaries. Stops only the platform it started.
#
#   device-simulator/bench/load-matrix.sh [OUT_DIR]
#
# A 10 s warm-up run comes first and is kept apart (warmup.json).
# Environment: MATRIX (default "200:2000:1 200:5000:1 1000:5000:1 200:5000:0", each
# devices:rate:qos), DURATION (20s), METRICS (5), HTTP_PORT (18181), MQTT_PORT (11983),
# SKIP_BUILD=1 to reuse the jars already in target/.
set -euo pipefail

root="$(cd "$(dirname "$0")/../.." && pwd)"
out="${1:-$root/device-simulator/target/bench-$(date -u +%Y%m%dT%H%M%SZ)}"
matrix="${MATRIX:-200:2000:1 200:5000:1 1000:5000:1 200:5000:0}"
duration="${DURATION:-20s}"
metrics="${METRICS:-5}"
http_port="${HTTP_PORT:-18181}"
mqtt_port="${MQTT_PORT:-11983}"
token="bench-$(date +%s)-$RANDOM"
mkdir -p "$out"

if [[ "${SKIP_BUILD:-0}" != 1 ]]; then
  (cd "$root" && mvn -q -B clean package -pl domain,gateway,device-simulator -am -DskipTests)
fi

AFTERCARE_DATA_DIR="$out/platform-data" AFTERCARE_HTTP_PORT="$http_port" \
  AFTERCARE_MQTT_PORT="$mqtt_port" AFTERCARE_ADMIN_TOKEN="$token" \
  java -jar "$root/gateway/target/gateway.jar" >"$out/platform.log" 2>&1 &
platform_pid=$!
trap 'kill "$platform_pid" 2>/dev/null || true; wait "$platform_pid" 2>/dev/null || true' EXIT

for _ in $(seq 1 120); do
  curl -sf "http://127.0.0.1:$http_port/health" >/dev/null && break
  sleep 0.5
done
curl -sf "http://127.0.0.1:$http_port/health" >/dev/null || { echo "platform did not start; see $out/platform.log" >&2; exit 1; }

# A cold JVM and database make the first run look worse than the rest: warm up, keep it apart.
java -jar "$root/device-simulator/target/device-simulator.jar" load \
  --api "http://127.0.0.1:$http_port" --admin-token "$token" --mqtt "tcp://127.0.0.1:$mqtt_port" \
  --devices 50 --rate 1000 --qos 1 --metrics "$metrics" --duration 10s \
  --report "$out/warmup.json" >"$out/warmup.txt" 2>>"$out/simulator.log"

{
  echo "# $(date -u +%FT%TZ) $(nproc) cores, metrics=$metrics duration=$duration"
  for run in $matrix; do
    IFS=: read -r devices rate qos <<<"$run"
    java -jar "$root/device-simulator/target/device-simulator.jar" load \
      --api "http://127.0.0.1:$http_port" --admin-token "$token" \
      --mqtt "tcp://127.0.0.1:$mqtt_port" --devices "$devices" --rate "$rate" \
      --qos "$qos" --metrics "$metrics" --duration "$duration" \
      --report "$out/load-$devices-$rate-qos$qos.json" 2>>"$out/simulator.log"
  done
} | tee "$out/summary.txt"
echo "reports in $out"
