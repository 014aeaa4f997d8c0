#!/usr/bin/env bash
# Installs nginx 1.22 and the nchan module from Debian (needs root). apt does not start nginx
# here; start.sh runs a private instance with this directory's nginx.conf.
set -euo pipefail
DEBIAN_FRONTEND=noninteractive apt-get install -y -q nginx libnginx-mod-nchan
