#!/usr/bin/env bash
# Aftercare benchmark: in one go on this machine,
#   (a) the ceiling: raw binary COPY of the same documents from a file into a fresh PostgreSQL
#       (CopyCeiling);
#   (b) the platform under `load`, MQTT QoS 1: a rate search for the highest sustained rate, then
#       three runs at 80 % of it for the p99;
#   (c) the same over CoAP (confirmable, 2.04 after commit);
#   (d) 10,000 MQTT connections on one gateway with a 1 GiB heap (the most heap used, and the
#       heap live once all are connected, are reported);
#   (e) CPU per acknowledged message of each process (gateway JVM, PostgreSQL, load generator)
#       at one fixed rate; every run's row gives the same, over its measured window;
#   (f) fan-in: for 1,000 and 10,000 devices (200 come from (b)), the highest rate whose p99
#       meets the latency target, and 10,000 devices at 30,000 msg/s with nothing lost;
#   (g) two gateways as one cluster on the first one's database: the fixed rate with each node's
#       CPU per message, and the rate search over both.
# Prints a table and writes bench/results/<date>-<host>.md with the machine description. Every
# process it starts is stopped at the end; nothing else is touched.
#
#   bench/benchmark.sh
#
# Environment (defaults in brackets):
#   SKIP_BUILD=1          reuse the jars in */target
#   DURATION [20s]        send window of each load run, after LOAD_WARMUP [10s] at the same rate
#                         (checked for loss, not counted in latency and throughput)
#   DEVICES [200]         devices of the MQTT and CoAP runs;  METRICS [5] metrics per message
#   MQTT_RATES ["20000 40000 60000 80000 90000 100000 110000 120000 130000 140000 150000"]   offered rates tried,
#                         ascending, until one is not sustained: the maximum is then known, not
#                         just the highest rate tried
#   REPEATS_AT_80 [3]     MQTT runs at 80 % of the maximum; the p99 is given per run and as
#                         their median
#   LATENCY_TARGET_MS [100]   the report names the highest rate of the search whose p99 met it
#   COAP_RATES ["2000 4000 6000 8000 10000"]   requests/s, each a batch of COAP_DOCUMENTS [5]
#                         documents (the contract's JSON array, as a device uploading buffered
#                         readings sends); then one run of single-document requests at
#                         COAP_SINGLE_RATE [3000]
#   CONNECTIONS [10000]   devices of run (d), which sends CONNECTIONS_RATE [2000] msg/s
#   FIXED_RATE [30000]    msg/s of run (e), with DEVICES devices; 0 skips it
#   DEVICE_COUNTS ["200 1000 10000"]   fan-in (f); "" skips it. DEVICES' own count is read from
#                         the search (b); each other count searches FANIN_RATES ["10000 20000
#                         30000 40000 50000 60000"] upwards until a rate's p99 misses
#                         LATENCY_TARGET_MS or is not sustained. The devices of one count are
#                         provisioned once and connect at FANIN_RAMP_RATE [1000] per second.
#   FANIN_SUSTAINED ["10000 30000"]   devices and msg/s that must be sustained with nothing lost
#                         (run unless the search ran it already); "" skips it
#   NODES [2]             2: part (g); 1 skips it. NODE_RATES ["40000 60000 80000 100000 120000
#                         140000"] is its search, with DEVICES devices split over both
#   SIZING_DEVICES [1000000] SIZING_INTERVAL_S [60]   the fleet of the report's paper estimate,
#                         from the measured CPU per message (of the sustained fan-in run, else
#                         the fixed rate), live heap per connection (d) and bytes per document:
#                         gateway nodes of SIZING_NODE_CORES [8] cores planned at
#                         SIZING_BUSY_PERCENT [50] % CPU and SIZING_NODE_LIVE_HEAP_GB [4] of live
#                         heap, whichever needs more, plus one spare; storage with TimescaleDB
#                         compression at
#                         SIZING_COMPRESSION [10] to 1 (assumed: docs/operations.md, Sizing)
#   CLUSTER_PORT [15701]  Hazelcast member ports: this one and the next; HTTP_PORT_B [18281]
#                         MQTT_PORT_B [11885] COAP_PORT_B [15692] COAPS_PORT_B [15693] node B's
#   CEILING_POINTS [3000000]
#   HEAP [1g]             the gateway's -Xmx for every run
#   WARMUP_RATE [8000] WARMUP_DURATION [30s]   MQTT warm-up before any measured run, and a CoAP
#                         one at COAP_WARMUP_RATE [1000] requests/s before the CoAP runs
#   PROFILE=1             record the gateway with JFR (gateway.jfr in the work folder; with two
#                         nodes gateway-a.jfr and gateway-b.jfr)
#   KEEP_DATA=1           keep the platform's data folder (its PostgreSQL, about 10 GB by the
#                         end) in the work folder; by default it is deleted once the report is out
#   NEEDED_GB [15]        free space required in the work folder's file system before starting
#   WORK [target/bench/<stamp>]  logs, JSON reports and data folders
#   HTTP_PORT [18280] MQTT_PORT [11884] COAP_PORT [15690] COAPS_PORT [15691]
# A run counts as sustained when every message was acked (failed = lost = duplicated = 0),
# the acked rate reached 95 % of the offered rate and p99 stayed under SUSTAINED_P99_MS [2000]
# (a queue that keeps growing shows as seconds of latency in an open-loop test).
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
stamp="$(date -u +%Y%m%dT%H%M%SZ)"
host="$(hostname -s 2>/dev/null || hostname)"
work="${WORK:-$root/target/bench/$stamp}"
duration="${DURATION:-20s}"
load_warmup="${LOAD_WARMUP:-10s}"
devices="${DEVICES:-200}"
metrics="${METRICS:-5}"
mqtt_rates="${MQTT_RATES:-20000 40000 60000 80000 90000 100000 110000 120000 130000 140000 150000}"
coap_rates="${COAP_RATES:-2000 4000 6000 8000 10000}"
coap_documents="${COAP_DOCUMENTS:-5}"
coap_single_rate="${COAP_SINGLE_RATE:-3000}"
coap_warmup_rate="${COAP_WARMUP_RATE:-1000}"
connections="${CONNECTIONS:-10000}"
connections_rate="${CONNECTIONS_RATE:-2000}"
fixed_rate="${FIXED_RATE:-30000}"
device_counts="${DEVICE_COUNTS-200 1000 10000}"
fanin_rates="${FANIN_RATES:-10000 20000 30000 40000 50000 60000}"
fanin_ramp_rate="${FANIN_RAMP_RATE:-1000}"
fanin_sustained="${FANIN_SUSTAINED-10000 30000}"
nodes="${NODES:-2}"
sizing_devices="${SIZING_DEVICES:-1000000}"
sizing_interval="${SIZING_INTERVAL_S:-60}"
sizing_node_cores="${SIZING_NODE_CORES:-8}"
sizing_busy="${SIZING_BUSY_PERCENT:-50}"
sizing_compression="${SIZING_COMPRESSION:-10}"
sizing_node_heap="${SIZING_NODE_LIVE_HEAP_GB:-4}"
node_rates="${NODE_RATES:-40000 60000 80000 100000 120000 140000}"
cluster_port="${CLUSTER_PORT:-15701}"
http_port_b="${HTTP_PORT_B:-18281}"
mqtt_port_b="${MQTT_PORT_B:-11885}"
coap_port_b="${COAP_PORT_B:-15692}"
coaps_port_b="${COAPS_PORT_B:-15693}"
ceiling_points="${CEILING_POINTS:-3000000}"
heap="${HEAP:-1g}"
warmup_rate="${WARMUP_RATE:-8000}"
warmup_duration="${WARMUP_DURATION:-30s}"
sustained_p99="${SUSTAINED_P99_MS:-2000}"
repeats_80="${REPEATS_AT_80:-3}"
latency_target="${LATENCY_TARGET_MS:-100}"
http_port="${HTTP_PORT:-18280}"
mqtt_port="${MQTT_PORT:-11884}"
coap_port="${COAP_PORT:-15690}"
coaps_port="${COAPS_PORT:-15691}"
token="bench-$stamp-$RANDOM"
gateway_jar="$root/platform/target/platform.jar"
bench_jar="$root/bench/target/bench.jar"
simulator_jar="$root/device-simulator/target/device-simulator.jar"
result="$root/bench/results/$(date -u +%Y-%m-%d)-$host.md"
needed_gb="${NEEDED_GB:-15}"

log() { echo "[bench $(date -u +%T)] $*" >&2; }

if [[ "${SKIP_BUILD:-0}" != 1 ]]; then
  log "building"
  (cd "$root" && ./mvnw -q -B clean package -pl domain,platform,device-simulator,bench -am -DskipTests)
fi
# After the build: `mvn clean` empties the top-level target/ that holds the work folder.
mkdir -p "$work" "$root/bench/results"
# The platform's PostgreSQL grows to about 10 GB (the telemetry table, its key and WAL); a disk
# that fills up mid-run kills the benchmark with nothing to show for it.
free_gb=$(df -Pk "$work" | awk 'NR == 2 { printf "%d", $4 / 1048576 }')
if (( free_gb < needed_gb )); then
  log "only $free_gb GB free for $work; the benchmark needs $needed_gb (NEEDED_GB). Earlier" \
    "work folders in $root/target/bench can go."
  exit 1
fi

# ---- helpers ---------------------------------------------------------------------------------

# field FILE NAME: a number or string field of a load report (names used here are unique in it).
field() { grep -o "\"$2\" *: *[^,}]*" "$1" | head -1 | sed 's/[^:]*: *//; s/"//g; s/ *$//'; }
# lag_p99 FILE: the generator's own lateness, p99 ms (its "p99" is not unique in the report).
lag_p99() { grep -A3 '"lagMs"' "$1" | grep -o '"p99" *: *[^,}]*' | sed 's/[^:]*: *//'; }

# cpu_us FILE NAME: microseconds of CPU per acknowledged message of one process of a load report
# (generator, platform, platform-a, platform-b, postgres), over the run's measured window; empty
# when the report has no such process.
cpu_us() {
  awk -v name="\"$2\"" '/"name"/ { here = index($0, name) > 0 }
    here && /"microsPerAckedMessage"/ { gsub(/[^0-9.]/, "", $NF); print $NF; exit }' "$1"
}
# gateway_us FILE: the gateways' CPU per acknowledged message; with two nodes their sum, each
# node's in brackets.
gateway_us() {
  local one a b
  one="$(cpu_us "$1" platform)"
  if [[ -n "$one" ]]; then echo "$one"; return; fi
  a="$(cpu_us "$1" platform-a)"
  b="$(cpu_us "$1" platform-b)"
  awk -v a="${a:-0}" -v b="${b:-0}" 'BEGIN { printf "%.1f (A %.1f, B %.1f)", a + b, a, b }'
}
# The embedded PostgreSQL is started through pg_ctl, so it is found by its data folder.
postmaster() { pgrep -f "bin/postgres -D $work/platform-data/postgres" | head -1; }

gateway_pid=""
gateway_b_pid=""
# stop_pid VAR: stops the gateway whose pid the variable VAR holds, and empties it; one that does
# not exit within 30 s (a JVM out of memory may ignore SIGTERM) is killed, so that it cannot hold
# the ports of the next run.
stop_pid() {
  local pid=${!1}
  if [[ -n "$pid" ]]; then
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    kill -9 "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
    printf -v "$1" '%s' ""
  fi
}
stop_gateway() { stop_pid gateway_b_pid; stop_pid gateway_pid; }
trap stop_gateway EXIT

# launch VAR LOG HTTP_PORT [NAME=VALUE ...]: starts a gateway with those environment variables
# (after the bench's own), its pid in the variable VAR, and waits until its /health answers.
launch() {
  local var=$1 log_file=$2 port=$3 jfr=()
  shift 3
  if [[ "${PROFILE:-0}" == 1 ]]; then
    jfr=("-XX:StartFlightRecording=filename=${log_file%.log}.jfr,settings=profile,dumponexit=true")
  fi
  # Every simulated device connects from this one machine: lift the per-address MQTT cap (1,000
  # by default), which run (d) alone would exceed ten times.
  printf 'mqtt:\n  maxConnectionsPerSource: 1000000\n' >"$work/bench-platform.yaml"
  env AFTERCARE_CONFIG="$work/bench-platform.yaml" AFTERCARE_ADMIN_TOKEN="$token" "$@" \
    java "-Xmx$heap" "${jfr[@]}" -jar "$gateway_jar" >>"$log_file" 2>&1 &
  printf -v "$var" '%s' "$!"
  for _ in $(seq 1 240); do
    # Its own process must answer: something else on the port (a stale gateway) does not count.
    kill -0 "${!var}" 2>/dev/null || break
    curl -sf --max-time 2 "http://127.0.0.1:$port/health" >/dev/null && return 0
    sleep 0.5
  done
  log "the gateway did not start; see $log_file"
  exit 1
}

# start_gateway LOG [NAME=VALUE ...]: the gateway (node A with two nodes), on the embedded
# database of its data folder.
start_gateway() {
  local log_file=$1
  shift
  launch gateway_pid "$log_file" "$http_port" AFTERCARE_DATA_DIR="$work/platform-data" \
    AFTERCARE_HTTP_PORT="$http_port" AFTERCARE_MQTT_PORT="$mqtt_port" \
    AFTERCARE_COAP_PORT="$coap_port" AFTERCARE_COAPS_PORT="$coaps_port" "$@"
}

# Two gateways as one Hazelcast cluster (docs/operations.md, "Running several nodes"): A on the
# embedded database of the data folder, B on A's database by URL with the platform role's
# password, both with A's server and data keys and the same admin token. Returns once Hazelcast
# counts both members.
start_cluster() {
  local members="127.0.0.1:$cluster_port,127.0.0.1:$((cluster_port + 1))" data="$work/platform-data"
  start_gateway "$work/gateway-a.log" AFTERCARE_CLUSTER=hazelcast AFTERCARE_NODE_ID=bench-a \
    AFTERCARE_CLUSTER_PORT="$cluster_port" AFTERCARE_CLUSTER_MEMBERS="$members"
  mkdir -p "$work/platform-data-b"
  launch gateway_b_pid "$work/gateway-b.log" "$http_port_b" \
    AFTERCARE_DATA_DIR="$work/platform-data-b" AFTERCARE_HTTP_PORT="$http_port_b" \
    AFTERCARE_MQTT_PORT="$mqtt_port_b" AFTERCARE_COAP_PORT="$coap_port_b" \
    AFTERCARE_COAPS_PORT="$coaps_port_b" AFTERCARE_CLUSTER=hazelcast AFTERCARE_NODE_ID=bench-b \
    AFTERCARE_CLUSTER_PORT="$((cluster_port + 1))" AFTERCARE_CLUSTER_MEMBERS="$members" \
    AFTERCARE_DB_URL="jdbc:postgresql://127.0.0.1:$(postgres_port)/aftercare" \
    AFTERCARE_DB_USER=aftercare AFTERCARE_DB_PASSWORD="$(cat "$data/postgres-aftercare.secret")" \
    AFTERCARE_SERVER_KEY="$(cat "$data/server.key")" AFTERCARE_DATA_KEY="$(cat "$data/data.key")"
  for _ in $(seq 1 120); do
    grep -q 'Members {size:2' "$work/gateway-b.log" && return 0
    sleep 0.5
  done
  log "the two gateways did not form one cluster; see $work/gateway-a.log and gateway-b.log"
  exit 1
}

# load NAME PROTOCOL DEVICES RATE [extra options]: one load run; prints its report's path. The
# generator measures each process's CPU over the run's measured window (after its warm-up, until
# the last acknowledgement; provisioning and the delivery check, which reads every point back,
# left out): its own, each gateway JVM's and PostgreSQL's (the postmaster with every backend).
# With two nodes the MQTT devices connect to A and B in turn.
load() {
  local name=$1 protocol=$2 n=$3 rate=$4
  shift 4
  local report="$work/$name.json" started
  local processes=(--cpu-of "postgres=$(postmaster)")
  if [[ -n "$gateway_b_pid" ]]; then
    processes+=(--cpu-of "platform-a=$gateway_pid" --cpu-of "platform-b=$gateway_b_pid"
      --mqtt-node "tcp://127.0.0.1:$mqtt_port_b")
  else
    processes+=(--cpu-of "platform=$gateway_pid")
  fi
  started="$(date +%T.%3N)"
  java -jar "$simulator_jar" load --api "http://127.0.0.1:$http_port" --admin-token "$token" \
    --mqtt "tcp://127.0.0.1:$mqtt_port" --coap "coap://127.0.0.1:$coap_port" \
    --protocol "$protocol" --devices "$n" --rate "$rate" --qos 1 --metrics "$metrics" \
    --duration "${run_duration:-$duration}" --warmup "$load_warmup" --report "$report" \
    "${processes[@]}" "$@" >>"$work/summaries.txt" 2>>"$work/simulator.log"
  # The run's time of day, in the gateway log's format (local time), for slow_writes.
  echo "$started $(date +%T.%3N)" >"$work/$name.window"
  tail -1 "$work/summaries.txt" >&2
  echo "$report"
}

sustained() {
  local report=$1 rate=$2
  [[ "$(field "$report" sent)" == "$(field "$report" acked)" ]] \
    && [[ "$(field "$report" failed)" == 0 && "$(field "$report" lost)" == 0 ]] \
    && [[ "$(field "$report" duplicated)" == 0 ]] \
    && awk -v got="$(field "$report" messagesPerSecond)" -v want="$rate" \
      -v p99="$(field "$report" p99)" -v max="$sustained_p99" \
      'BEGIN { exit !(got >= 0.95 * want && p99 <= max) }'
}

# slow_writes REPORT: writer batches slower than 500 ms (the gateways' "Slow write" warnings)
# during that run. They show PostgreSQL stalling (autovacuum, checkpoints) rather than the
# gateway. A run across midnight is not counted.
slow_writes() {
  local from to
  read -r from to <"${1%.json}.window"
  cat "$work"/gateway*.log | awk -v from="$from" -v to="$to" \
    '$2 == "WARN" && /Slow write/ && $1 >= from && $1 <= to { n++ } END { print n + 0 }'
}

# The embedded PostgreSQL's port, read from its postmaster's command line.
postgres_port() { ps -o args= -p "$(postmaster)" | sed -n 's/.* -p \([0-9]*\).*/\1/p'; }

# platform_psql SQL: one query as the platform's role (the embedded database asks for a
# password: the role's, from its owner-only file in the data folder).
platform_psql() {
  PGPASSWORD="$(cat "$work/platform-data/postgres-aftercare.secret")" \
    psql -h 127.0.0.1 -p "$(postgres_port)" -U aftercare -d aftercare -At -c "$1"
}

# Bytes on disk per stored document (telemetry table with its key and indexes, over an exact
# count) and per row of the hourly rollup, for the sizing estimate: "BYTES_PER_DOCUMENT
# BYTES_PER_ROLLUP_ROW", or nothing without psql.
stored_bytes() {
  command -v psql >/dev/null || return 0
  platform_psql "SELECT round(pg_total_relation_size('telemetry_documents')
      / nullif((SELECT count(*) FROM telemetry_documents), 0)),
    round(pg_total_relation_size('telemetry_hourly')
      / nullif((SELECT count(*) FROM telemetry_hourly), 0))" 2>/dev/null | tr '|' ' ' || true
}

# PostgreSQL's upkeep of the telemetry table over the whole benchmark, read with psql if there
# is one: documents, size with its key, autovacuum and autoanalyze runs, the last autovacuum.
table_upkeep() {
  command -v psql >/dev/null || { echo "not read (no psql)"; return; }
  platform_psql "SELECT format(
      '%s documents, %s with its key; autovacuum %s times (the last ended %s), autoanalyze %s times',
      n_live_tup, pg_size_pretty(pg_total_relation_size(relid)), autovacuum_count,
      coalesce(to_char(last_autovacuum, 'HH24:MI:SS TZ'), 'never'), autoanalyze_count)
    FROM pg_stat_user_tables WHERE relname = 'telemetry_documents'" 2>/dev/null \
    || echo "not read (psql failed)"
}

# The largest heap used (survivors + eden + old, KB in columns 3, 4, 6 and 8) among the samples of
# `jstat -gc` on stdin, in MB.
heap_used_mb() {
  awk 'NR > 1 && $1 ~ /^[0-9.]+$/ { used = $3 + $4 + $6 + $8; if (used > max) max = used }
    END { printf "%.0f", max / 1024 }'
}

# The heap the connected fleet holds: once the gateway counts every device connected (its own
# gauge), a full collection (jcmd GC.run) leaves only what is live, then jstat reads it. That falls
# in the run's warm-up, which latency leaves out; its pause loses nothing, which the run checks.
live_heap_when_connected() {
  local deadline=$((SECONDS + 180)) connected
  while ((SECONDS < deadline)); do
    connected="$(curl -sf --max-time 2 "http://127.0.0.1:$http_port/metrics" |
      awk '$1 == "aftercare_mqtt_connections" { printf "%d", $2 }')"
    if [[ "${connected:-0}" -ge "$connections" ]]; then
      jcmd "$gateway_pid" GC.run >/dev/null
      echo "$(jstat -gc "$gateway_pid" | heap_used_mb) MB"
      return
    fi
    sleep 1
  done
  printf "not measured (fewer than %s connected within 180 s)" "$connections"
}

# row LABEL REPORT CEILING_POINTS: one line of the results table.
row() {
  local label=$1 report=$2 ceiling=$3
  awk -v label="$label" -v pts="$(field "$report" pointsPerSecond)" \
    -v msgs="$(field "$report" messagesPerSecond)" -v ceiling="$ceiling" \
    -v p99="$(field "$report" p99)" -v lost="$(field "$report" lost)" \
    -v dup="$(field "$report" duplicated)" -v failed="$(field "$report" failed)" \
    -v sim="$(field "$report" cpuPercentOfMachine)" -v lag="$(lag_p99 "$report")" \
    -v gw="$(gateway_us "$report")" -v pg="$(cpu_us "$report" postgres)" \
    -v gen="$(cpu_us "$report" generator)" -v slow="$(slow_writes "$report")" \
    'BEGIN { printf "| %s | %.0f | %.0f | %.0f %% | %.1f | %s | %s | %s | %s %% | %.1f | %s | %s | %s | %s |\n",
             label, msgs, pts, 100 * pts / ceiling, p99, lost, dup, failed, sim, lag, gw, pg, gen, slow }'
}

# within_target REPORT: its p99 met LATENCY_TARGET_MS.
within_target() {
  awk -v p="$(field "$1" p99)" -v t="$latency_target" 'BEGIN { exit !(p <= t) }'
}

# fanin_load DEVICES RATE: one fan-in run (the same devices for every run of that count, so they
# are provisioned once); a run done before is not repeated. Prints its report's path.
fanin_load() {
  local n=$1 rate=$2
  if [[ -f "$work/fanin-$n-$rate.json" ]]; then echo "$work/fanin-$n-$rate.json"; return; fi
  load "fanin-$n-$rate" mqtt "$n" "$rate" --ramp-rate "$fanin_ramp_rate" \
    --id-prefix "fanin-$n-" --credentials "$work/fanin-$n-credentials.json"
}

# fanin_search DEVICES: FANIN_RATES upwards until a rate misses the latency target or is not
# sustained; prints the highest rate that met both, or "none".
fanin_search() {
  local n=$1 best=none rate report
  for rate in $fanin_rates; do
    report="$(fanin_load "$n" "$rate")"
    if sustained "$report" "$rate" && within_target "$report"; then best=$rate; else break; fi
  done
  echo "$best"
}

# search NAME PROTOCOL RATES [load options]: runs ascending rates until one is not sustained;
# prints the highest sustained offered rate and a verdict: "limit" when a higher rate failed (the
# maximum lies between the two), "untested-above" when every rate tried was sustained (the maximum
# is at least that), or the first rate and "not-sustained" when even that one was not.
search() {
  local name=$1 protocol=$2 rates=$3 best="" verdict=untested-above rate report
  shift 3
  for rate in $rates; do
    report="$(load "$name-$rate" "$protocol" "$devices" "$rate" "$@")"
    if sustained "$report" "$rate"; then best=$rate; else verdict=limit; break; fi
  done
  if [[ -n "$best" ]]; then echo "$best $verdict"; else echo "${rates%% *} not-sustained"; fi
}

# What a verdict of search means, for the report.
verdict_text() {
  case $1 in
    limit) echo "the highest rate sustained; the next rate tried was not" ;;
    untested-above) echo "the highest rate tried, and sustained: the maximum is at least this" ;;
    *) echo "not sustained even at the lowest rate tried" ;;
  esac
}

# ---- (a) ceiling -----------------------------------------------------------------------------

log "(a) ceiling: COPY of $ceiling_points points from a file"
# CopyCeiling lives in the bench module's thin jar; the platform jar brings the embedded
# PostgreSQL, the schema and every library.
ceiling_json="$(java -cp "$bench_jar:$gateway_jar" io.aftercare.bench.CopyCeiling \
  --data-dir "$work/ceiling" --points "$ceiling_points" --devices "$devices" \
  --metrics "$metrics" 2>>"$work/ceiling.log" | tail -1)"
echo "$ceiling_json" >"$work/ceiling.json"
ceiling_rate="$(field "$work/ceiling.json" pointsPerSecond)"
ceiling_documents_rate="$(field "$work/ceiling.json" documentsPerSecond)"
postgres_version="$(field "$work/ceiling.json" postgres)"
rm -rf "$work/ceiling"
log "ceiling: $ceiling_rate points/s ($ceiling_documents_rate documents/s)"

# ---- (b) MQTT, (c) CoAP, (d) connections -----------------------------------------------------

start_gateway "$work/gateway.log"
# A cold JIT made the first loaded run look seconds slower than the next, whatever its rate;
# the warm-up brings the ingest path to compiled code before anything is measured.
log "warm-up: $devices devices at $warmup_rate msg/s for $warmup_duration"
run_duration=$warmup_duration load warmup mqtt "$devices" "$warmup_rate" >/dev/null

# Before the searches fill the table: the cost of one message at a rate a fleet plans for.
fixed_report=""
if (( fixed_rate > 0 )); then
  log "(e) CPU per message: $devices devices at $fixed_rate msg/s"
  fixed_report="$(load "fixed-$fixed_rate" mqtt "$devices" "$fixed_rate")"
fi

log "(b) MQTT QoS 1 rate search: $mqtt_rates"
read -r mqtt_max mqtt_verdict <<<"$(search mqtt mqtt "$mqtt_rates")"
mqtt_80=$(( mqtt_max * 8 / 10 ))
mqtt_report_max="$work/mqtt-$mqtt_max.json"
# Single runs at one rate differ by 2-3x in p99 on this kind of machine, so the p99 at 80 % is
# taken from several runs and reported with its range.
mqtt_reports_80=()
for i in $(seq "$repeats_80"); do
  mqtt_reports_80+=("$(load "mqtt-80pct-$mqtt_80-run$i" mqtt "$devices" "$mqtt_80")")
done
p99s_80="$(for report in "${mqtt_reports_80[@]}"; do field "$report" p99; done | sort -n)"
p99_80_median="$(awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }' <<<"$p99s_80")"
# The search's p99 by offered rate, and the highest rate whose p99 met the latency target: how
# much of the maximum the target leaves, read from the same runs.
p99_curve=""
p99_within=""
for rate in $mqtt_rates; do
  [[ -f "$work/mqtt-$rate.json" ]] || break
  p99="$(field "$work/mqtt-$rate.json" p99)"
  p99_curve+="${p99_curve:+, }$rate/s: $p99 ms"
  if awk -v p="$p99" -v t="$latency_target" 'BEGIN { exit !(p <= t) }'; then p99_within=$rate; fi
done

# Fan-in: the same platform with many devices sending a few messages each. DEVICES' own count
# was searched in (b) and is read from there.
declare -A fanin_best=()
for n in $device_counts; do
  if (( n == devices )); then
    fanin_best[$n]="${p99_within:-none}"
    continue
  fi
  log "(f) fan-in: $n devices, rates $fanin_rates until p99 > $latency_target ms"
  fanin_best[$n]="$(fanin_search "$n")"
done
sustained_report=""
if [[ -n "$fanin_sustained" ]]; then
  read -r sustained_devices sustained_rate <<<"$fanin_sustained"
  log "(f) $sustained_devices devices at $sustained_rate msg/s, nothing lost"
  sustained_report="$(fanin_load "$sustained_devices" "$sustained_rate")"
fi

# The CoAP path (Californium, its deduplicator, the resource) has code of its own to compile.
log "warm-up: $devices CoAP devices at $coap_warmup_rate requests/s for $warmup_duration"
run_duration=$warmup_duration load coap-warmup coap "$devices" "$coap_warmup_rate" \
  --documents "$coap_documents" >/dev/null

log "(c) CoAP rate search, $coap_documents documents per request: $coap_rates"
read -r coap_max coap_verdict <<<"$(search coap coap "$coap_rates" --documents "$coap_documents")"
coap_80=$(( coap_max * 8 / 10 ))
coap_report_max="$work/coap-$coap_max.json"
coap_report_80="$(load "coap-80pct-$coap_80" coap "$devices" "$coap_80" \
  --documents "$coap_documents")"
log "(c) CoAP, one document per request, at $coap_single_rate/s"
coap_single_report="$(load "coap-single-$coap_single_rate" coap "$devices" "$coap_single_rate")"

log "(d) $connections MQTT connections, gateway at -Xmx$heap"
# A fresh gateway process on the same data: the heap reported is then the connections' own, not
# the young generation G1 had grown for the searches' rates before (which doubled the peak from
# one run to the next with the same code).
stop_gateway
start_gateway "$work/gateway-connections.log"
jstat -gc "$gateway_pid" 1000 >"$work/connections-heap.txt" 2>/dev/null &
jstat_pid=$!
live_heap_when_connected >"$work/connections-live-heap.txt" &
live_heap_pid=$!
# The fan-in's devices of that count, if it ran: they then stay in touch, and the platform raises
# no device_offline alarm for them in the runs that follow.
connections_report="$(load connections mqtt "$connections" "$connections_rate" --ramp-rate 1000 \
  --id-prefix "fanin-$connections-" --credentials "$work/fanin-$connections-credentials.json")"
kill "$jstat_pid" 2>/dev/null || true
wait "$live_heap_pid" || true
# The largest sample while the fleet connected and sent: garbage included, as G1 leaves a 1 GiB
# heap uncollected for long.
heap_peak_mb="$(heap_used_mb <"$work/connections-heap.txt")"
live_heap_mb="$(cat "$work/connections-live-heap.txt")"
upkeep="$(table_upkeep)"
read -r bytes_per_document bytes_per_rollup_row <<<"$(stored_bytes)"
stop_gateway

cluster_fixed_report=""
if (( nodes == 2 )); then
  log "(g) two gateways as one cluster on one database"
  start_cluster
  log "warm-up: $devices devices over both nodes at $warmup_rate msg/s for $warmup_duration"
  run_duration=$warmup_duration load cluster-warmup mqtt "$devices" "$warmup_rate" >/dev/null
  if (( fixed_rate > 0 )); then
    log "(g) CPU per message on two nodes: $devices devices at $fixed_rate msg/s"
    cluster_fixed_report="$(load "cluster-fixed-$fixed_rate" mqtt "$devices" "$fixed_rate")"
  fi
  log "(g) rate search on two nodes: $node_rates"
  read -r cluster_max cluster_verdict <<<"$(search cluster mqtt "$node_rates")"
  cluster_report_max="$work/cluster-$cluster_max.json"
  stop_gateway
fi
if [[ "${KEEP_DATA:-0}" != 1 ]]; then
  rm -rf "$work/platform-data" "$work/platform-data-b"
fi

# sizing REPORT: the paper estimate for SIZING_DEVICES reporting every SIZING_INTERVAL_S, from
# the CPU per message of REPORT, the live heap of (d)'s connections and the stored bytes read at
# the end.
sizing() {
  local live="${live_heap_mb%% MB}"
  [[ "$live" =~ ^[0-9]+$ ]] || live=0
  awk -v devices="$sizing_devices" -v interval="$sizing_interval" \
    -v live_mb="$live" -v connections="$connections" -v node_heap_gb="$sizing_node_heap" \
    -v gw="$(cpu_us "$1" platform)" -v pg="$(cpu_us "$1" postgres)" \
    -v cores="$sizing_node_cores" -v busy="$sizing_busy" -v ratio="$sizing_compression" \
    -v doc="${bytes_per_document:-0}" -v rollup="${bytes_per_rollup_row:-0}" -v metrics="$metrics" \
    -v from="$(field "$1" devices) devices at $(field "$1" targetRate) msg/s" 'BEGIN {
      rate = devices / interval
      gw_cores = gw * rate / 1e6; pg_cores = pg * rate / 1e6
      by_cpu = gw_cores / (cores * busy / 100)
      heap_gb = devices * live_mb / connections / 1024
      by_heap = heap_gb / node_heap_gb
      nodes = by_cpu > by_heap ? by_cpu : by_heap
      nodes = (nodes == int(nodes) ? nodes : int(nodes) + 1) + 1
      docs = devices * 86400 / interval
      telemetry_gb = docs * doc / 1e9; rollup_gb = devices * 24 * metrics * rollup / 1e9
      printf "Paper estimate for %d devices reporting every %d s (%.0f msg/s, %d metrics each), from" \
        " the CPU per message of the run with %s (gateway %.1f µs, PostgreSQL %.1f µs) and the bytes" \
        " stored: gateway %.1f cores and %.1f GB of live heap for the connections (%s MB per %d in" \
        " run (d)), so %d nodes of %d cores at %d %% CPU and %d GB of live heap, one of them spare;" \
        " PostgreSQL %.1f cores; %.0f documents a day, %.0f GB a day of telemetry and %.1f GB of" \
        " hourly rollup uncompressed, %.0f GB a day with TimescaleDB compression at %d to 1" \
        " (rollup uncompressed).\n", devices, interval, rate, metrics, from, gw, pg, gw_cores,
        heap_gb, live_mb, connections, nodes, cores, busy, node_heap_gb, pg_cores, docs,
        telemetry_gb, rollup_gb, telemetry_gb / ratio + rollup_gb, ratio
    }'
}

# ---- report ----------------------------------------------------------------------------------

{
  echo "# Benchmark $stamp on $host"
  echo
  echo "Machine (shared with whatever else ran on it at the time):"
  echo
  echo "- $(nproc) cores: $(grep -m1 'model name' /proc/cpuinfo | sed 's/.*: //')"
  echo "- memory: $(awk '/MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)," \
    "load average before the run: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "- $(java -version 2>&1 | head -1); PostgreSQL $postgres_version (embedded, fsync and" \
    "synchronous_commit on); $(uname -sr)"
  echo "- gateway -Xmx$heap, $devices devices, $metrics metrics per message, $duration per run;" \
    "gateway, database and simulator on the same machine"
  echo
  echo "Ceiling (binary COPY of the load's documents, $ceiling_points points, from a file into" \
    "the telemetry table with its primary key): $ceiling_rate points/s" \
    "($ceiling_documents_rate documents/s)."
  echo
  echo "CPU µs per acked message: each process's CPU time over the run's measured window (after" \
    "its warm-up, to its last PUBACK) over the messages acknowledged in it; gateway JVM alone," \
    "PostgreSQL with every backend, the load generator's JVM."
  echo
  echo "| run | msg/s | points/s | of ceiling | p99 ms | lost | dup | failed | simulator CPU (of machine) | simulator's own lag p99 ms | CPU µs per acked message: gateway | PostgreSQL | load generator | writer batches > 500 ms |"
  echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
  if [[ -n "$fixed_report" ]]; then
    row "MQTT QoS 1 at the fixed rate $fixed_rate/s, $devices devices" "$fixed_report" \
      "$ceiling_rate"
  fi
  row "MQTT QoS 1, $(verdict_text "$mqtt_verdict") (offered $mqtt_max/s)" \
    "$mqtt_report_max" "$ceiling_rate"
  for i in "${!mqtt_reports_80[@]}"; do
    row "MQTT QoS 1 at 80 % ($mqtt_80/s), run $((i + 1)) of $repeats_80" \
      "${mqtt_reports_80[$i]}" "$ceiling_rate"
  done
  coap_label="CoAP CON, $coap_documents documents per request, $(verdict_text "$coap_verdict")"
  row "$coap_label (offered $coap_max/s)" "$coap_report_max" "$ceiling_rate"
  row "CoAP CON, $coap_documents documents per request, at 80 % ($coap_80/s)" \
    "$coap_report_80" "$ceiling_rate"
  row "CoAP CON, one document per request (offered $coap_single_rate/s)" \
    "$coap_single_report" "$ceiling_rate"
  row "$connections MQTT devices at $connections_rate msg/s" "$connections_report" "$ceiling_rate"
  for report in "$work"/fanin-*[0-9].json; do
    [[ -f "$report" ]] || continue
    label="${report##*/fanin-}"
    label="${label%.json}"
    row "fan-in: ${label%-*} devices at ${label#*-} msg/s ($(awk -v r="${label#*-}" \
      -v n="${label%-*}" 'BEGIN { printf "%g", r / n }') per device)" "$report" "$ceiling_rate"
  done
  if (( nodes == 2 )); then
    if [[ -n "$cluster_fixed_report" ]]; then
      row "two nodes: MQTT QoS 1 at the fixed rate $fixed_rate/s, $devices devices over both" \
        "$cluster_fixed_report" "$ceiling_rate"
    fi
    row "two nodes: MQTT QoS 1, $(verdict_text "$cluster_verdict") (offered $cluster_max/s)" \
      "$cluster_report_max" "$ceiling_rate"
  fi
  echo
  if (( nodes == 2 )); then
    echo "Throughput, MQTT QoS 1, $devices devices: one node (cluster off, search (b))" \
      "$(field "$mqtt_report_max" messagesPerSecond) msg/s at $mqtt_max offered ($mqtt_verdict);" \
      "two nodes on one database (search (g), devices split over both)" \
      "$(field "$cluster_report_max" messagesPerSecond) msg/s at $cluster_max offered" \
      "($cluster_verdict).$(if [[ -n "$cluster_fixed_report" ]]; then
        echo " At $fixed_rate msg/s, CPU per acknowledged message of all the cluster's: node A" \
          "$(cpu_us "$cluster_fixed_report" platform-a) µs, node B" \
          "$(cpu_us "$cluster_fixed_report" platform-b) µs, PostgreSQL" \
          "$(cpu_us "$cluster_fixed_report" postgres) µs (one node: $(cpu_us "$fixed_report" platform)" \
          "and $(cpu_us "$fixed_report" postgres) µs); each node handled about half."
      fi)"
    echo
  fi
  echo "MQTT p99 at 80 % ($mqtt_80/s) over $repeats_80 runs: median $p99_80_median ms;" \
    "runs sorted: $(echo $p99s_80 | sed 's/ / ms, /g') ms."
  echo
  echo "MQTT p99 by offered rate in the search: $p99_curve. Highest rate with p99 ≤" \
    "$latency_target ms: $(if [[ -n "$p99_within" ]]; then
      echo "$p99_within/s ($(( p99_within * 100 / mqtt_max )) % of the maximum)"
    else echo "none of those tried"; fi)."
  echo
  if [[ -n "$device_counts" ]]; then
    echo "Fan-in, the highest rate whose p99 met $latency_target ms (for $devices devices from" \
      "the search (b), otherwise FANIN_RATES upwards until one missed):" \
      "$(for n in $device_counts; do
        printf '%s devices: %s; ' "$n" "${fanin_best[$n]} msg/s"
      done | sed 's/none msg\/s/none of those tried/g')"
    echo
  fi
  if [[ -n "$sustained_report" ]]; then
    echo "$sustained_devices devices at $sustained_rate msg/s: $(field "$sustained_report" connected)" \
      "connected in $(field "$sustained_report" rampUpS) s, sent $(field "$sustained_report" sent)," \
      "acked $(field "$sustained_report" acked), lost $(field "$sustained_report" lost)," \
      "duplicated $(field "$sustained_report" duplicated), failed $(field "$sustained_report" failed)," \
      "p99 $(field "$sustained_report" p99) ms: $(if sustained "$sustained_report" "$sustained_rate"; then
        echo "sustained, nothing lost"; else echo "NOT sustained"; fi)."
    echo
  fi
  echo "PostgreSQL's upkeep of the telemetry table during the benchmark: $upkeep."
  echo
  echo "Stored bytes: ${bytes_per_document:-?} per telemetry document (table, key and indexes over" \
    "its rows), ${bytes_per_rollup_row:-?} per row of the hourly rollup."
  sizing_report="${sustained_report:-$fixed_report}"
  if [[ -n "$sizing_report" && -n "${bytes_per_document:-}" ]]; then
    echo
    sizing "$sizing_report"
  fi
  echo
  echo "$connections MQTT connections: $(field "$connections_report" connected) connected in" \
    "$(field "$connections_report" rampUpS) s; gateway heap used at most ${heap_peak_mb} MB of $heap," \
    "garbage included; live after a full collection with all connected: $live_heap_mb."
  echo
  echo "Every load run (one-line summaries, in order):"
  echo
  echo '```'
  cat "$work/summaries.txt"
  echo '```'
} >"$result"
cat "$result"
log "written to $result (logs and JSON reports in $work)"
