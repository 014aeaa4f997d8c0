#!/usr/bin/env bash
# Installs the Mosquitto peer: Debian's mosquitto 2.0.11 (MQTT broker with libwebsockets 4.1).
# Needs root or passwordless sudo; does nothing if /usr/sbin/mosquitto is there. apt does not start
# the system service here (and the bench does not use it): start.sh runs a private broker with this
# directory's mosquitto.conf. Also used by .ci/run, so that MosquittoBenchSmokeTest runs on CI.
set -euo pipefail
if [[ -x /usr/sbin/mosquitto ]]; then
  exit 0
fi
SUDO=()
[[ "$(id -u)" == 0 ]] || SUDO=(sudo -n)
apt_install() { "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q mosquitto; }
# a fresh machine may have no package lists yet: then update them once and try again
apt_install || { "${SUDO[@]}" apt-get update -q && apt_install; }
