#!/usr/bin/env bash
# The whole test suite: build, type-check, lint, unit + integration (vitest), e2e (Playwright
# in Debian's Chromium). Tests that use the OS keychain need a Secret Service: this script
# re-runs itself in a private D-Bus session with a fresh, unlocked gnome-keyring of its own,
# so a developer's own keyring is never touched, and stops that daemon when it ends. When it
# cannot start them it fails: the tests must never fall through to the user's real keyring.
set -euo pipefail
cd "$(dirname "$0")/.."

fail() {
  echo "fnstudio test: $*" >&2
  exit 1
}

if [[ -z "${FNSTUDIO_TEST_SESSION:-}" ]]; then
  for tool in dbus-run-session dbus-send gnome-keyring-daemon; do
    command -v "$tool" >/dev/null || fail "$tool is missing, so the tests cannot get a private keyring (see README, Prerequisites: dbus, gnome-keyring)"
  done
  scratch="$(mktemp -d -t fnstudio-test.XXXXXX)"
  export FNSTUDIO_TEST_SESSION=1
  export FNSTUDIO_SCRATCH="$scratch"
  export XDG_CONFIG_HOME="$scratch/config" XDG_CACHE_HOME="$scratch/cache" \
         XDG_DATA_HOME="$scratch/data" XDG_RUNTIME_DIR="$scratch/run" TMPDIR="$scratch/tmp"
  mkdir -p "$XDG_CONFIG_HOME" "$XDG_CACHE_HOME" "$XDG_DATA_HOME" "$XDG_RUNTIME_DIR" "$TMPDIR"
  chmod 700 "$XDG_RUNTIME_DIR"
  # The session's own bus address replaces any inherited one, so nothing below can reach
  # the desktop's bus even by mistake.
  unset DBUS_SESSION_BUS_ADDRESS
  exec dbus-run-session -- bash scripts/test.sh
fi

if [[ -z "${FNSTUDIO_KEYRING_STARTED:-}" ]]; then
  [[ -n "${DBUS_SESSION_BUS_ADDRESS:-}" ]] || fail "no private D-Bus session (dbus-run-session did not provide one)"
  # In the foreground (to us: a child whose pid we hold), so that we stop exactly it.
  printf '%s' fnstudio-test | gnome-keyring-daemon --foreground --unlock --components=secrets >"$FNSTUDIO_SCRATCH/keyring.log" 2>&1 &
  keyring_pid=$!
  trap 'kill "$keyring_pid" 2>/dev/null || true; wait "$keyring_pid" 2>/dev/null || true' EXIT
  owned=""
  for _ in $(seq 1 100); do
    if ! kill -0 "$keyring_pid" 2>/dev/null; then
      fail "gnome-keyring-daemon exited at start: $(cat "$FNSTUDIO_SCRATCH/keyring.log")"
    fi
    if dbus-send --session --print-reply --dest=org.freedesktop.DBus /org/freedesktop/DBus \
         org.freedesktop.DBus.NameHasOwner string:org.freedesktop.secrets 2>/dev/null | grep -q 'boolean true'; then
      owned=1
      break
    fi
    sleep 0.1
  done
  [[ -n "$owned" ]] || fail "gnome-keyring-daemon did not offer the Secret Service on the private bus within 10 s: $(cat "$FNSTUDIO_SCRATCH/keyring.log")"
  # The pid too, so that a test of this script can see the daemon come and go.
  export FNSTUDIO_KEYRING_STARTED=1 FNSTUDIO_KEYRING_PID="$keyring_pid"
fi

npm run build
npm run typecheck
npm run lint
npx vitest run
npm run test:e2e
