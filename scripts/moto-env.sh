#!/usr/bin/env bash
# Creates or refreshes the S3 stand-in's Python virtual environment (tools/moto/.venv)
# with moto's server and the pinned versions of tools/moto/constraints.txt; the cluster
# storage tests start its `moto_server` through scripts/moto-server.mjs.
#
# Idempotent: a stamp in the venv records the hash of the inputs, so a second
# run with nothing changed returns at once. Messages go to stderr.
#
# Environment:
#   FRAMEPACK_PYTHON  the interpreter that creates the venv (default: python3)
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
constraints="$root/tools/moto/constraints.txt"
venv="$root/tools/moto/.venv"
python="${FRAMEPACK_PYTHON:-python3}"
say() { printf '[moto-env] %s\n' "$*" >&2; }

# shellcheck source=venv-lib.sh
source "$root/scripts/venv-lib.sh"
require_python 3.10

want="$({ "$python" --version 2>&1; cat "$constraints"; } | sha256sum | cut -d' ' -f1)"
if [[ -x "$venv/bin/moto_server" ]] && venv_is_current; then
  exit 0
fi

say "installing moto's server (pinned in tools/moto/constraints.txt)"
venv_install "the S3 stand-in" -r "$constraints"
say "S3 stand-in environment ready"
