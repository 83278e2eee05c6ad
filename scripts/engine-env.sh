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

# shellcheck source=venv-lib.sh
source "$root/scripts/venv-lib.sh"
require_python 3.11

stamp_of_inputs() {
  { "$python" --version 2>&1; cat "$engine/constraints.txt" "$engine/pyproject.toml"; } | sha256sum | cut -d' ' -f1
}
want="$(stamp_of_inputs)"
if venv_is_current; then
  exit 0
fi

say "installing pinned engine dependencies (first run downloads about 3 GB: torch, diffusers, transformers)"
venv_install "the engine's dependencies" -c "$engine/constraints.txt" -e "$engine[dev]"
say "engine environment ready"
