#!/usr/bin/env bash
# Installs what the end-to-end tests need from Debian's packages, when missing:
#   queue   (default): PostgreSQL and Redis, for n8n's queue mode;
#   browser: Chromium, for the activity page's browser test (driven by playwright-core).
# Idempotent; nothing is started here and no system service is left running (the e2e harness
# starts private instances on loopback, in temporary folders, and stops them).
set -euo pipefail
need=()
for part in "${@:-queue}"; do
  case "$part" in
    queue)
      ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need+=(postgresql)
      command -v redis-server >/dev/null 2>&1 || need+=(redis-server) ;;
    browser)
      command -v chromium >/dev/null 2>&1 || need+=(chromium fonts-dejavu-core) ;;
    *) echo "unknown part: $part (queue or browser)" >&2; exit 2 ;;
  esac
done
[ ${#need[@]} -eq 0 ] && exit 0
SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
# Keep the packages' own services from starting (the harness runs its own instances).
printf '#!/bin/sh\nexit 101\n' | $SUDO tee /usr/sbin/policy-rc.d >/dev/null && $SUDO chmod +x /usr/sbin/policy-rc.d
trap '$SUDO rm -f /usr/sbin/policy-rc.d' EXIT
# Another install may hold the dpkg lock (two suites, or a person): wait for it rather than fail.
apt=(-o DPkg::Lock::Timeout=600)
$SUDO apt-get "${apt[@]}" update -qq
$SUDO apt-get "${apt[@]}" install -y -qq --no-install-recommends "${need[@]}"
