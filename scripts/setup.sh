#!/usr/bin/env bash
# Set up everything a fresh machine needs: .venv with the package and the exact versions pinned in
# uv.lock; --test adds the test extras and Debian's Chromium for the browser tests; --bench adds the
# benchmark extras. Installs only when uv.lock or pyproject.toml changed since the last install
# (a stamp in .venv keyed on both), so `make dashboard` starts at once the second time.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}
UV_VERSION=0.13.9  # the uv that wrote uv.lock
case "${1:-}" in
  --test) names=(test) ;;
  --bench) names=(test bench) ;;
  "") names=() ;;
  *) echo "usage: $0 [--test|--bench]" >&2; exit 2 ;;
esac
extras=(); for name in "${names[@]}"; do extras+=(--extra "$name"); done
key="$(cat uv.lock pyproject.toml | sha256sum | cut -c1-16)"
stamp=.venv/.setup-stamp  # one line "KEY PART" per installed part (base, test, bench)
installed() { [ -x .venv/bin/python ] && [ -f "$stamp" ] && grep -qxF "$key $1" "$stamp"; }
missing=0
for part in base "${names[@]}"; do installed "$part" || missing=1; done
[ "$missing" = 0 ] && exit 0  # this lock and these extras are installed already
if [ ! -x .venv/bin/python ]; then
  "$PY" -m venv .venv
fi
if [ "$(.venv/bin/uv --version 2>/dev/null | cut -d' ' -f2)" != "$UV_VERSION" ]; then
  echo "setup: installing uv $UV_VERSION into .venv"
  .venv/bin/python -m pip install --quiet --disable-pip-version-check "uv==$UV_VERSION" 2>&1 \
    | grep -v "^WARNING: Location" || true
fi
echo "setup: installing the locked dependencies (uv.lock) ${extras[*]:-}"
# --frozen: install exactly uv.lock, never re-resolve; --inexact: keep uv itself and other extras.
UV_PROJECT_ENVIRONMENT=.venv UV_PYTHON_DOWNLOADS=never .venv/bin/uv sync --quiet --frozen --inexact \
  --python .venv/bin/python "${extras[@]}"
if [ ${#extras[@]} -gt 0 ] && [ ! -x /usr/bin/chromium ]; then
  echo "setup: installing Debian's chromium for the browser tests"
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >/dev/null
fi
# Parts accumulate (sync is --inexact): a test install also satisfies a plain one.
{ grep "^$key " "$stamp" 2>/dev/null || true; for part in base "${names[@]}"; do echo "$key $part"; done; } \
  | sort -u > "$stamp.new"
mv "$stamp.new" "$stamp"
