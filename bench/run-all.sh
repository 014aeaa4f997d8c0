#!/usr/bin/env bash
# Runs every preset against Tickwire and the peers, one after the other, in one go; results go to
# bench/results/*.json and the latency chart to docs/bench-latency.png. Expects the servers to be
# running (see docs/benchmarks.md):
#   ./tickwire serve --config bench/tickwire-bench.yaml &
#   bench/peers/node-ws/start.sh &
#   bench/peers/nchan/start.sh &
#   bench/peers/mosquitto/start.sh &      # MQTT over WebSocket on 127.0.0.1:8092 (apt-get install on first start)
# and, optionally, a second Tickwire with flush coalescing, which joins the throughput preset:
#   TICKWIRE_SERVER_PORT=8081 TICKWIRE_SERVER_FLUSH_COALESCING=1ms ./tickwire serve --config bench/tickwire-bench.yaml &
# PRESETS="latency slow-consumer" bench/run-all.sh   runs a subset.
# Each preset runs REPEAT times (default 3; the servers take turns going first) and the tables,
# JSON results and charts give the medians; `connections` runs once (memory does not jitter).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
pid_on() { ss -ltnpH "sport = :$1" | grep -o 'pid=[0-9]*' | head -n 1 | cut -d= -f2; }
TW=$(pid_on 8080)
TWC=$(pid_on 8081 || true)
COALESCING=()
[[ -n "$TWC" ]] && COALESCING=(--target "tickwire.coalesce1ms=127.0.0.1:8081:$TWC")
NW=$(pgrep -f 'node server.js' | head -n 1)
NG=$(cat bench/peers/nchan/run/logs/nginx.pid)
MQ=$(cat bench/peers/mosquitto/run/mosquitto.pid)
TARGETS=(--target "tickwire=127.0.0.1:8080:$TW" --target "node-ws=127.0.0.1:8090:$NW" --target "nchan=127.0.0.1:8091:$NG"
  --target "mosquitto=127.0.0.1:8092:$MQ")
mkdir -p bench/results
for run in ${PRESETS:-latency latency-25k slow-consumer throughput connections}; do
  preset=$run extra=(--repeat "${REPEAT:-3}")
  # this machine's hard limit is 20,000 open files per process: 18,000 connections is what fits
  [[ "$run" == connections ]] && extra=(--connections "${CONNECTIONS:-18000}" --source-addresses 2 --repeat 1)
  # the latency workload at a quarter of the rate, where no process on 2 cores has to queue for CPU
  [[ "$run" == latency-25k ]] && preset=latency extra+=(--rate 250)
  [[ "$run" == throughput ]] && extra+=("${COALESCING[@]}")
  echo "== $run" >&2
  ./tickwire bench "${TARGETS[@]}" --preset "$preset" "${extra[@]}" --json "bench/results/$run.json" \
    | tee "bench/results/$run.txt" || true
done
[[ -f bench/results/latency.json ]] && ./tickwire bench chart bench/results/latency.json --out docs/bench-latency.png \
  --title "publish → receive latency, 1,000 subscribers, 100,000 msgs/s (2-core shared machine)"
[[ -f bench/results/latency-25k.json ]] && ./tickwire bench chart bench/results/latency-25k.json --out docs/bench-latency-25k.png \
  --title "publish → receive latency, 1,000 subscribers, 25,000 msgs/s (2-core shared machine)"
