#!/usr/bin/env bash
# Installs the Node.js peer's one dependency (npm ws 8.23.0) next to server.js.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
npm install --no-audit --no-fund --silent
