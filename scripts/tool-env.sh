#!/usr/bin/env bash
# Creates or refreshes the Python virtual environment of a test tool: tools/<tool>/.venv
# with the pinned versions of tools/<tool>/constraints.txt. The tools: `fuzz` (the API
# fuzzer, schemathesis, for test/fuzz.test.ts) and `moto` (the S3 stand-in, moto_server,
# started by scripts/moto-server.mjs).
#
# Usage: scripts/tool-env.sh fuzz|moto
#
# Idempotent: a stamp in the venv records the hash of the inputs, so a second
# run with nothing changed returns at once. Messages go to stderr.
#
# Environment:
#   FRAMEPACK_PYTHON  the interpreter that creates the venv (default: python3)
set -euo pipefail

tool="${1:-}"
case "$tool" in
  fuzz) command=schemathesis what="the fuzzer" ;;
  moto) command=moto_server what="the S3 stand-in" ;;
  *)
    printf 'usage: %s fuzz|moto\n' "$0" >&2
    exit 2
    ;;
esac

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
constraints="$root/tools/$tool/constraints.txt"
venv="$root/tools/$tool/.venv"
python="${FRAMEPACK_PYTHON:-python3}"
say() { printf '[%s-env] %s\n' "$tool" "$*" >&2; }

# shellcheck source=venv-lib.sh
source "$root/scripts/venv-lib.sh"
require_python 3.10

want="$({ "$python" --version 2>&1; cat "$constraints"; } | sha256sum | cut -d' ' -f1)"
if [[ -x "$venv/bin/$command" ]] && venv_is_current; then
  exit 0
fi

say "installing $command (pinned in tools/$tool/constraints.txt)"
venv_install "$what" -r "$constraints"
say "environment of $what ready"
