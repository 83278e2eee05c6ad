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

if ! command -v "$python" >/dev/null 2>&1; then
  say "error: '$python' was not found. Install Python 3.10 or newer or point FRAMEPACK_PYTHON at one."
  exit 2
fi

want="$({ "$python" --version 2>&1; cat "$constraints"; } | sha256sum | cut -d' ' -f1)"
stamp="$venv/.framepack-stamp"
if [[ -x "$venv/bin/schemathesis" && -f "$stamp" && "$(cat "$stamp")" == "$want" ]]; then
  exit 0
fi

if [[ ! -x "$venv/bin/python" ]]; then
  say "creating the fuzzer's virtual environment in $venv"
  if ! "$python" -m venv "$venv" >&2; then
    say "error: '$python -m venv' failed. On Debian install python3-venv."
    exit 2
  fi
fi

say "installing schemathesis (pinned in tools/fuzz/constraints.txt)"
if ! "$venv/bin/python" -m pip install --disable-pip-version-check --progress-bar off -q \
    -r "$constraints" >&2; then
  say "error: pip could not install the fuzzer; see the messages above (no network, or a package missing from the index)."
  exit 3
fi
echo "$want" >"$stamp"
say "fuzzer environment ready"
