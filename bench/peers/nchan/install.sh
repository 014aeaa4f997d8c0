#!/usr/bin/env bash
# Installs nginx 1.22 and the nchan module from Debian. Needs root or passwordless sudo; does
# nothing if the module is there. apt does not start nginx here; start.sh runs a private instance
# with this directory's nginx.conf.
set -euo pipefail
if [[ -f /usr/lib/nginx/modules/ngx_nchan_module.so ]]; then
  exit 0
fi
SUDO=()
[[ "$(id -u)" == 0 ]] || SUDO=(sudo -n)
apt_install() { "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q nginx libnginx-mod-nchan; }
# a fresh machine may have no (or stale) package lists: apt then refuses the packages as
# "cannot be authenticated"; update the lists once and try again
apt_install || { "${SUDO[@]}" apt-get update -q && apt_install; }
