#!/usr/bin/env bash
# Starts the Node.js ws peer on 127.0.0.1:${PORT:-8090} in the foreground; prints its pid.
#   bench/peers/node-ws/start.sh &      then: ./tickwire bench --target node-ws=127.0.0.1:8090:PID
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
[[ -d node_modules/ws ]] || ./install.sh
exec node server.js
