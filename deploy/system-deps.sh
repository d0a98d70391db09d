#!/usr/bin/env bash
# Install the Debian packages given as arguments, but only those missing, so a non-root user who already
# has them is never blocked. Runs `apt-get update` once, and only when something must be installed.
set -euo pipefail

missing=()
for pkg in "$@"; do
  if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$pkg")
  fi
done
[[ ${#missing[@]} -eq 0 ]] && exit 0

echo "system-deps: installing ${missing[*]}" >&2
if [[ $(id -u) -eq 0 ]]; then
  SUDO=()
elif command -v sudo >/dev/null 2>&1; then
  SUDO=(sudo)
else
  echo "system-deps: ERROR: missing Debian packages (${missing[*]}); install them as root and run again" >&2
  exit 1
fi
# Another apt (unattended-upgrades, a second `make`) may hold the dpkg or lists lock: wait for it rather than fail.
# DPkg::Lock::Timeout makes apt-get itself wait (apt ≥ 1.9); older apt fails at once, so retry for as long.
LOCK_WAIT_S=${SYSTEM_DEPS_LOCK_WAIT_S:-600}
APT=("${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get -o "DPkg::Lock::Timeout=$LOCK_WAIT_S")
with_lock_wait() {
  local deadline=$((SECONDS + LOCK_WAIT_S))
  until "$@"; do
    if ((SECONDS >= deadline)); then
      echo "system-deps: ERROR: '$*' kept failing for ${LOCK_WAIT_S}s (is another apt still running?)" >&2
      return 1
    fi
    echo "system-deps: apt is busy (another package manager holds its lock?); trying again in 5 s" >&2
    sleep 5
  done
}
with_lock_wait "${APT[@]}" update -qq
with_lock_wait "${APT[@]}" install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
