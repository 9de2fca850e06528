#!/usr/bin/env bash
# Starts the platform on its embedded defaults and plays the demo fleet against it: sixteen
# smart-home devices over MQTT 3.1.1, MQTT 5, CoAP and CoAP/DTLS, nine of them with a fault
# (see device-simulator/src/main/resources/scenarios/demo.yaml). Ctrl-C stops both.
# Beside the fleet, the simulator's service-desk tour (lines prefixed "tour:") waits for the jammed
# door lock's ticket, then opens a customer-reported case, takes an out-of-warranty repair through
# a quote the customer accepts with their link, records a complaint and prints today's KPI series;
# it ends by itself, the fleet runs on (docs/simulator.md, "tour").
#
# Build first: ./mvnw -q -B package -DskipTests
# The same AFTERCARE_* variables as the platform apply (README.md); the platform's data stays in
# $AFTERCARE_DATA_DIR (./data): the fleet's device tokens and DTLS keys in demo-fleet.json, so that a
# second run reuses the same devices, and the faults the simulator injected in
# demo-ground-truth.jsonl.
# Transport security is on: unless AFTERCARE_TLS_CERT/AFTERCARE_TLS_KEY name a certificate, the
# platform generates a self-signed one for localhost into $data_dir/tls-certificate.pem on its
# first start; the API and the console are then HTTPS only and MQTT over TLS listens on 8883
# (docs/security.md, "Transport security"). Browsers warn about a self-signed certificate.
set -euo pipefail
cd "$(dirname "$0")"

data_dir="${AFTERCARE_DATA_DIR:-./data}"
http_port="${AFTERCARE_HTTP_PORT:-8080}"
mqtt_port="${AFTERCARE_MQTT_PORT:-1883}"
coap_port="${AFTERCARE_COAP_PORT:-5683}"
coaps_port="${AFTERCARE_COAPS_PORT:-5684}"
mqtts_port="${AFTERCARE_MQTTS_PORT:-8883}"
certificate="${AFTERCARE_TLS_CERT:-$data_dir/tls-certificate.pem}"
truststore="$data_dir/demo-truststore.p12"
platform_jar=platform/target/platform.jar
simulator_jar=device-simulator/target/device-simulator.jar

for jar in "$platform_jar" "$simulator_jar"; do
  if [[ ! -f "$jar" ]]; then
    echo "demo: $jar is missing; build first: ./mvnw -q -B package -DskipTests" >&2
    exit 2
  fi
done
for port in "$http_port" "$mqtt_port" "$coap_port" "$coaps_port" "$mqtts_port"; do
  if [[ "$port" == 0 ]]; then
    echo "demo: the demo needs fixed ports; set AFTERCARE_*_PORT to a number, not 0" >&2
    exit 2
  fi
done

platform_pid=""
simulator_pid=""
tour_pid=""
banner_pid=""
stop() {
  trap - EXIT INT TERM
  [[ -n "$banner_pid" ]] && kill "$banner_pid" 2>/dev/null || true
  [[ -n "$tour_pid" ]] && kill "$tour_pid" 2>/dev/null && wait "$tour_pid" || true
  [[ -n "$simulator_pid" ]] && kill "$simulator_pid" 2>/dev/null && wait "$simulator_pid" || true
  [[ -n "$platform_pid" ]] && kill "$platform_pid" 2>/dev/null && wait "$platform_pid" || true
}
trap stop EXIT INT TERM

AFTERCARE_TLS_SELF_SIGNED="${AFTERCARE_TLS_SELF_SIGNED:-true}" java -jar "$platform_jar" &
platform_pid=$!

# Ready when the HTTPS port accepts connections (the platform opens it last, once everything else
# runs); bash's /dev/tcp avoids needing curl, which cannot be assumed.
ready=""
for _ in $(seq 1 180); do
  if ! kill -0 "$platform_pid" 2>/dev/null; then
    echo "demo: the platform did not start (see its log above)" >&2
    exit 1
  fi
  if [[ -f "$certificate" ]] && { exec 3<>"/dev/tcp/127.0.0.1/$http_port"; } 2>/dev/null; then
    exec 3>&-
    ready=yes
    break
  fi
  sleep 1
done
if [[ -z "$ready" ]]; then
  echo "demo: the platform did not open https://127.0.0.1:$http_port" >&2
  exit 1
fi

# The simulator's Java trusts the platform's certificate through a trust store made from it (a
# public certificate: the store's password protects nothing secret).
rm -f "$truststore"
keytool_bin="$(command -v keytool || echo "$(dirname "$(readlink -f "$(command -v java)")")/keytool")"
"$keytool_bin" -importcert -noprompt -alias aftercare -file "$certificate" -keystore "$truststore" \
  -storetype PKCS12 -storepass aftercare-demo > /dev/null
trust=(-Djavax.net.ssl.trustStore="$truststore" -Djavax.net.ssl.trustStorePassword=aftercare-demo
  -Djavax.net.ssl.trustStoreType=PKCS12)

admin_token="${AFTERCARE_ADMIN_TOKEN:-$(cat "$data_dir/admin-token")}"
echo "demo: platform up — staff API https://localhost:$http_port (admin token in $data_dir/admin-token)"
echo "demo: watch it work: curl -s --cacert $certificate https://localhost:$http_port/api/v1/alarms -H \"authorization: Bearer \$(cat $data_dir/admin-token)\""
echo "demo: a device over TLS: mosquitto_pub --cafile $certificate -h localhost -p $mqtts_port ..."

# The support console is the way in for people: its address and the token to sign in with, printed
# once the fleet is starting and again when the tour is over (so it is the last thing on screen).
console_banner() {
  echo "demo: ----------------------------------------------------------------------"
  echo "demo: support console  https://localhost:$http_port/ (self-signed: accept it once)"
  echo "demo: sign in with     $admin_token"
  echo "demo: ----------------------------------------------------------------------"
}

# The token goes through the environment, not the command line, where ps would show it.
AFTERCARE_ADMIN_TOKEN="$admin_token" java "${trust[@]}" -jar "$simulator_jar" run \
  --api "https://localhost:$http_port" \
  --mqtt "tcp://127.0.0.1:$mqtt_port" \
  --coap "coap://127.0.0.1:$coap_port" --coaps "coaps://127.0.0.1:$coaps_port" \
  --scenario classpath:demo \
  --credentials "$data_dir/demo-fleet.json" \
  --ground-truth "$data_dir/demo-ground-truth.jsonl" &
simulator_pid=$!

# The tour talks to the staff API only; its own process, so that it ends without stopping the fleet.
AFTERCARE_ADMIN_TOKEN="$admin_token" java "${trust[@]}" -jar "$simulator_jar" tour \
  --api "https://localhost:$http_port" --wait 5m > >(sed -u 's/^/tour: /') 2>&1 &
tour_pid=$!
console_banner
( while kill -0 "$tour_pid" 2>/dev/null; do sleep 2; done; console_banner ) &
banner_pid=$!
wait "$simulator_pid"
