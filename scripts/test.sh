#!/usr/bin/env bash
# The whole test suite: build, type-check, unit + integration (vitest), e2e (Playwright in
# Debian's Chromium). Tests that use the OS keychain need a Secret Service: when none is
# reachable, this script re-runs itself in a private D-Bus session with a fresh, unlocked
# gnome-keyring, so a developer's own keyring is never touched.
set -euo pipefail
cd "$(dirname "$0")/.."

if [[ -z "${FNSTUDIO_TEST_SESSION:-}" ]]; then
  scratch="$(mktemp -d -t fnstudio-test.XXXXXX)"
  export FNSTUDIO_TEST_SESSION=1
  export FNSTUDIO_SCRATCH="$scratch"
  export XDG_CONFIG_HOME="$scratch/config" XDG_CACHE_HOME="$scratch/cache" \
         XDG_DATA_HOME="$scratch/data" XDG_RUNTIME_DIR="$scratch/run" TMPDIR="$scratch/tmp"
  mkdir -p "$XDG_CONFIG_HOME" "$XDG_CACHE_HOME" "$XDG_DATA_HOME" "$XDG_RUNTIME_DIR" "$TMPDIR"
  chmod 700 "$XDG_RUNTIME_DIR"
  if command -v dbus-run-session >/dev/null && command -v gnome-keyring-daemon >/dev/null; then
    exec dbus-run-session -- bash -c \
      'echo -n fnstudio-test | gnome-keyring-daemon --unlock --components=secrets >/dev/null; exec bash scripts/test.sh'
  fi
  echo "fnstudio test: dbus-run-session or gnome-keyring-daemon missing; keychain tests will fail (see README prerequisites)" >&2
fi

npm run build
npm run typecheck
npx vitest run
npm run test:e2e
