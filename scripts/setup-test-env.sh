#!/usr/bin/env bash
# Installs what Ringlet's integration and end-to-end tests need on a fresh Debian machine:
#   - chromium (Playwright drives the system browser; `npx playwright install` cannot download one)
#   - kamailio + kamailio-websocket-modules (the real SIP-over-WebSocket PBX of test/kamailio)
#   - the npm dependencies (npm install, pinned by package-lock.json)
# Idempotent: packages already present are not reinstalled. Usage: npm run setup:test
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

log() { printf '[setup-test-env] %s\n' "$*"; }

SUDO=()
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then
    SUDO=(sudo)
  else
    log "not root and no sudo: cannot install system packages" >&2
  fi
fi

PACKAGES=(chromium kamailio kamailio-websocket-modules)

websocket_module_present() {
  # The module path is multiarch (e.g. /usr/lib/x86_64-linux-gnu/kamailio/modules/websocket.so);
  # ask dpkg where the package put it rather than guessing the architecture.
  local path
  if path="$(dpkg -L kamailio-websocket-modules 2>/dev/null | grep '/websocket\.so$' | head -n 1)" &&
    [ -n "$path" ] && [ -f "$path" ]; then
    return 0
  fi
  compgen -G '/usr/lib/*/kamailio/modules/websocket.so' >/dev/null
}

kamailio_binary_present() {
  command -v kamailio >/dev/null 2>&1 || [ -x /usr/sbin/kamailio ]
}

missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
kamailio_binary_present || missing+=(kamailio)
websocket_module_present || missing+=(kamailio-websocket-modules)

# A Kamailio service started by the package would hold ports and run a config we do not want.
# Was one running before we touched anything? Then it is not ours to stop.
service_was_running=no
if pgrep -x kamailio >/dev/null 2>&1 && [ -s /run/kamailio/kamailio.pid ]; then
  service_was_running=yes
fi

if [ "${#missing[@]}" -gt 0 ]; then
  log "missing: ${missing[*]} -> installing ${PACKAGES[*]}"
  # Keep maintainer scripts from starting services during the install (101 = action forbidden),
  # unless the machine already has its own policy.
  policy_created=no
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' | "${SUDO[@]}" tee /usr/sbin/policy-rc.d >/dev/null
    "${SUDO[@]}" chmod 755 /usr/sbin/policy-rc.d
    policy_created=yes
  fi
  remove_policy() {
    if [ "$policy_created" = yes ]; then "${SUDO[@]}" rm -f /usr/sbin/policy-rc.d; fi
  }
  trap remove_policy EXIT
  "${SUDO[@]}" apt-get update
  "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${PACKAGES[@]}"
  remove_policy
  trap - EXIT
  log "installed ${PACKAGES[*]}"
else
  log "chromium, kamailio and the websocket module are already installed"
fi

# Never leave the packaged Kamailio running as a system service: tests start their own on free
# loopback ports with test/kamailio/kamailio.cfg.
if [ -d /run/systemd/system ] && command -v systemctl >/dev/null 2>&1; then
  if systemctl is-enabled --quiet kamailio 2>/dev/null; then
    "${SUDO[@]}" systemctl disable kamailio >/dev/null 2>&1 || true
    log "disabled the kamailio systemd service"
  fi
  if systemctl is-active --quiet kamailio 2>/dev/null; then
    "${SUDO[@]}" systemctl stop kamailio || true
    log "stopped the kamailio systemd service"
  fi
elif [ "$service_was_running" = no ] && [ -s /run/kamailio/kamailio.pid ]; then
  # No systemd (a container): the SysV script may have started it from its pid file.
  if "${SUDO[@]}" kill -0 "$(cat /run/kamailio/kamailio.pid)" 2>/dev/null; then
    if command -v service >/dev/null 2>&1; then
      "${SUDO[@]}" service kamailio stop || true
    else
      "${SUDO[@]}" kill "$(cat /run/kamailio/kamailio.pid)" || true
    fi
    log "stopped the kamailio service started by the package"
  fi
fi
if [ "$service_was_running" = yes ]; then
  log "note: a kamailio service was already running before setup; left as it was"
fi

kamailio_version="$(kamailio -v 2>/dev/null | head -n 1 || true)"
chromium_version="$(/usr/bin/chromium --version 2>/dev/null || true)"
log "kamailio: ${kamailio_version:-not found}"
log "chromium: ${chromium_version:-not found}"

# Not `npm ci`: npm 11 records only this platform's optional native bindings of unrs-resolver (used by
# eslint-plugin-import-x) in package-lock.json, then `npm ci` refuses that very lockfile as "out of sync".
# `npm install` installs exactly the locked versions and leaves an up-to-date tree alone.
if [ -d node_modules ] && npm ls --depth=0 >/dev/null 2>&1; then
  log "npm dependencies already installed"
else
  log "npm install (locked versions from package-lock.json)"
  npm install --no-audit --no-fund
fi

log "done. Run the PBX tests with: npx vitest run test/kamailio ; the browser tests with: npm run test:e2e"
