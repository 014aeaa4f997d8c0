#!/usr/bin/env bash
# Starts the nchan peer on 127.0.0.1:8091 in the foreground with this directory's nginx.conf
# (state under ./run). Its master pid is in run/logs/nginx.pid; the bench reads the workers'.
set -euo pipefail
DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
[[ -f /usr/lib/nginx/modules/ngx_nchan_module.so ]] || "$DIR/install.sh"
mkdir -p "$DIR/run/logs"
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
exec nginx -p "$DIR/run" -c "$DIR/nginx.conf" -g 'daemon off;'
