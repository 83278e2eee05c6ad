#!/usr/bin/env bash
# Creates or refreshes the API fuzzer's Python virtual environment (tools/fuzz/.venv)
# with schemathesis and the pinned versions of tools/fuzz/constraints.txt; the fuzz
# test (test/fuzz.test.ts) runs its `schemathesis` command.
#
# Idempotent: a stamp in the venv records the hash of the inputs, so a second
# run with nothing changed returns at once. Messages go to stderr.
#
# Environment:
#   FRAMEPACK_PYTHON  the interpreter that creates the venv (default: python3)
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
constraints="$root/tools/fuzz/constraints.txt"
venv="$root/tools/fuzz/.venv"
python="${FRAMEPACK_PYTHON:-python3}"
say() { printf '[fuzz-env] %s\n' "$*" >&2; }

# shellcheck source=venv-lib.sh
source "$root/scripts/venv-lib.sh"
require_python 3.10

want="$({ "$python" --version 2>&1; cat "$constraints"; } | sha256sum | cut -d' ' -f1)"
if [[ -x "$venv/bin/schemathesis" ]] && venv_is_current; then
  exit 0
fi

say "installing schemathesis (pinned in tools/fuzz/constraints.txt)"
venv_install "the fuzzer" -r "$constraints"
say "fuzzer environment ready"
