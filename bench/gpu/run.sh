#!/usr/bin/env bash
# The engine benchmark on a GPU machine, prepared to run as is: the full-size FramePack
# transformer (13B) and VAE with random weights, built directly on the device by
# bench/engine_bench.py. Downloads nothing. Budget: under 6 minutes on one H100/H200 (one
# warm-up and BENCH_STEPS timed steps per figure); see bench/gpu/README.md.
#
# Without engine/.venv (the lent machine: Python 3.12 with torch but no diffusers, Pillow or
# requests, no network), the packages this Python lacks are installed from bench/gpu/wheels/
# (filled by scripts/gpu-wheels.sh, carried to the machine) into a temporary folder put on
# PYTHONPATH, after bench/gpu/check_env.py --wheels has checked every requirement of those
# wheels against what the Python has (it names anything missing or too old, exit 2).
#
# Usage: bench/gpu/run.sh [--check] [--out DIR]
#   --check    dry run: the tiny configuration on the CPU at the smallest sizes, through every
#              figure's code path (the test suite runs it; --smoke is the old name)
#   --out DIR  where the JSON lines are saved (default: bench/results, or a temporary
#              folder with --smoke); the file is gpu-<UTC time>.jsonl (smoke-<...> with --smoke)
#
# Environment:
#   FRAMEPACK_PYTHON       a Python with torch and diffusers (default: engine/.venv/bin/python,
#                          else python3)
#   FRAMEPACK_PEAK_TFLOPS  the device's dense bf16 peak TFLOP/s, for a device the built-in
#                          table (bench/engine_bench.py) does not name
#   BENCH_STEPS            timed steps per figure (default 3)
#   BENCH_TIME_LIMIT_S     the benchmark is interrupted after this many seconds (default 330)
#   FRAMEPACK_WHEELS       the wheels folder (default bench/gpu/wheels)
#
# Output: the figures as JSON lines on stdout and in the saved file, progress on stderr,
# then a table of the figures on stderr. Exit 2: no usable Python; 3: no CUDA device;
# otherwise the benchmark's own status (124: over the time limit).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
say() { printf '[gpu-bench] %s\n' "$*" >&2; }

smoke=false
out=""
while (($#)); do
  case "$1" in
    --smoke | --check) smoke=true ;;
    --out)
      out="${2:?--out needs a folder}"
      shift
      ;;
    *)
      say "unknown argument: $1 (usage: bench/gpu/run.sh [--check] [--out DIR])"
      exit 2
      ;;
  esac
  shift
done

pick_python() {
  if [[ -n "${FRAMEPACK_PYTHON:-}" ]]; then
    echo "$FRAMEPACK_PYTHON"
  elif [[ -x "$root/engine/.venv/bin/python" ]]; then
    echo "$root/engine/.venv/bin/python"
  else
    echo python3
  fi
}

# Exits 2 naming every missing package, before minutes are spent on anything else.
check_imports() {
  local python="$1"
  if ! command -v "$python" >/dev/null 2>&1; then
    say "error: no Python at '$python'; set FRAMEPACK_PYTHON to one with torch and diffusers."
    exit 2
  fi
  local device=cuda
  [[ $smoke == true ]] && device=cpu
  "$python" "$root/bench/gpu/check_env.py" "$device" || exit $?
}

# The packages this Python lacks, from the wheels folder into a temporary target.
install_wheels() {
  local python="$1" wheels="${FRAMEPACK_WHEELS:-$root/bench/gpu/wheels}" target listed
  listed="$("$python" "$root/bench/gpu/check_env.py" --wheels "$wheels")" || exit $?
  [[ -n $listed ]] || return 0
  target="$(mktemp -d "${TMPDIR:-/tmp}/framepack-wheels.XXXXXX")"
  mapfile -t files <<<"$listed"
  if "$python" -m pip --version >/dev/null 2>&1; then
    "$python" -m pip install --quiet --disable-pip-version-check --no-index --no-deps \
      --target "$target" "${files[@]}"
  else # no pip: a wheel is a zip of the installed files
    "$python" -c 'import sys, zipfile; [zipfile.ZipFile(w).extractall(sys.argv[1]) for w in sys.argv[2:]]' \
      "$target" "${files[@]}"
  fi
  export PYTHONPATH="$target${PYTHONPATH:+:$PYTHONPATH}"
  say "installed ${#files[@]} wheels into $target (on PYTHONPATH)"
}

python="$(pick_python)"
if [[ -z ${FRAMEPACK_PYTHON:-} && ! -x "$root/engine/.venv/bin/python" ]]; then
  install_wheels "$python"
fi
check_imports "$python"

if [[ $smoke == true ]]; then
  bench_args=(--config tiny --device cpu --quick --steps 1)
  out="${out:-$(mktemp -d)}"
  name="smoke-$(date -u +%Y%m%dT%H%M%SZ).jsonl"
else
  bench_args=(--config full --device cuda --steps "${BENCH_STEPS:-3}")
  if [[ -n "${FRAMEPACK_PEAK_TFLOPS:-}" ]]; then
    bench_args+=(--peak-tflops "$FRAMEPACK_PEAK_TFLOPS")
  fi
  out="${out:-$root/bench/results}"
  name="gpu-$(date -u +%Y%m%dT%H%M%SZ).jsonl"
fi
mkdir -p "$out"
results="$out/$name"

say "python: $python; benchmark: ${bench_args[*]}; results: $results"
# Everything is built locally: no Hugging Face request may slow or break the run.
export HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1
status=0
timeout --signal=INT --kill-after=20 "${BENCH_TIME_LIMIT_S:-330}" \
  "$python" "$root/bench/engine_bench.py" "${bench_args[@]}" | tee "$results" || status=$?
"$python" "$root/bench/gpu/summarize.py" "$results" >&2 || true
if ((status != 0)); then
  say "the benchmark ended with status $status (124: over the time limit); partial figures are in $results"
fi
exit "$status"
