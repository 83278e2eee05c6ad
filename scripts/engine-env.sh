#!/usr/bin/env bash
# Creates or refreshes the engine's Python virtual environment (engine/.venv)
# with the pinned dependencies of engine/constraints.txt.
#
# Idempotent: a stamp in the venv records the hash of the inputs, so a second
# run with nothing changed returns at once. Messages go to stderr.
#
# Environment:
#   FRAMEPACK_PYTHON       the interpreter that creates the venv (default: python3)
#   FRAMEPACK_ENGINE_VENV  where the venv lives (default: engine/.venv)
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
engine="$root/engine"
venv="${FRAMEPACK_ENGINE_VENV:-$engine/.venv}"
python="${FRAMEPACK_PYTHON:-python3}"
say() { printf '[engine-env] %s\n' "$*" >&2; }

if ! command -v "$python" >/dev/null 2>&1; then
  say "error: '$python' was not found. Install Python 3.11 or newer (Debian: apt-get install python3 python3-venv) or point FRAMEPACK_PYTHON at one."
  exit 2
fi
if ! "$python" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)'; then
  say "error: $("$python" --version 2>&1) is too old; the engine needs Python 3.11 or newer (set FRAMEPACK_PYTHON)."
  exit 2
fi

stamp_of_inputs() {
  { "$python" --version 2>&1; cat "$engine/constraints.txt" "$engine/pyproject.toml"; } | sha256sum | cut -d' ' -f1
}
want="$(stamp_of_inputs)"
stamp="$venv/.framepack-stamp"
if [[ -x "$venv/bin/python" && -f "$stamp" && "$(cat "$stamp")" == "$want" ]]; then
  exit 0
fi

if [[ ! -x "$venv/bin/python" ]]; then
  say "creating the engine virtual environment in $venv"
  if ! "$python" -m venv "$venv" >&2; then
    say "error: '$python -m venv' failed. On Debian install python3-venv."
    exit 2
  fi
fi

say "installing pinned engine dependencies (first run downloads about 3 GB: torch, diffusers, transformers)"
if ! "$venv/bin/python" -m pip install --disable-pip-version-check --progress-bar off -q \
    -c "$engine/constraints.txt" -e "$engine[dev]" >&2; then
  say "error: pip could not install the engine's dependencies; see the messages above (a package missing from the index, or no network)."
  exit 3
fi
echo "$want" >"$stamp"
say "engine environment ready"
