#!/usr/bin/env bash
# Starts the Mosquitto peer in the foreground with this directory's mosquitto.conf: MQTT over
# WebSocket on 127.0.0.1:8092 (what the bench uses), plain MQTT on 127.0.0.1:8093 (only because
# 2.0.11 refuses to start with websockets listeners alone). Its pid is in run/mosquitto.pid.
#   bench/peers/mosquitto/start.sh &   then: ./tickwire bench --target mosquitto=127.0.0.1:8092:$(cat bench/peers/mosquitto/run/mosquitto.pid)
set -euo pipefail
DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
[[ -x /usr/sbin/mosquitto ]] || "$DIR/install.sh"
mkdir -p "$DIR/run"
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
echo $$ > "$DIR/run/mosquitto.pid" # exec keeps this shell's pid
exec /usr/sbin/mosquitto -c "$DIR/mosquitto.conf"
