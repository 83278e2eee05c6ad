#!/usr/bin/env bash
# The engine benchmark on a GPU machine, prepared to run as is: the full-size FramePack
# transformer (13B) and VAE with random weights, built directly on the device by
# bench/engine_bench.py. Installs nothing and downloads nothing. Budget: under 8 minutes
# on one H200 (one warm-up and BENCH_STEPS timed steps per figure).
#
# Usage: bench/gpu/run.sh [--smoke] [--out DIR]
#   --smoke    the tiny configuration on the CPU at the smallest sizes: checks this
#              wrapper end to end without a GPU (the test suite runs it)
#   --out DIR  where the JSON lines are saved (default: bench/results, or a temporary
#              folder with --smoke); the file is gpu-<UTC time>.jsonl (smoke-<...> with --smoke)
#
# Environment:
#   FRAMEPACK_PYTHON       a Python with torch and diffusers (default: engine/.venv/bin/python,
#                          else python3)
#   FRAMEPACK_PEAK_TFLOPS  the device's dense bf16 peak TFLOP/s, for a device the built-in
#                          table (bench/engine_bench.py) does not name
#   BENCH_STEPS            timed steps per figure (default 3)
#   BENCH_TIME_LIMIT_S     the benchmark is interrupted after this many seconds (default 470)
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
    --smoke) smoke=true ;;
    --out)
      out="${2:?--out needs a folder}"
      shift
      ;;
    *)
      say "unknown argument: $1 (usage: bench/gpu/run.sh [--smoke] [--out DIR])"
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

python="$(pick_python)"
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
timeout --signal=INT --kill-after=20 "${BENCH_TIME_LIMIT_S:-470}" \
  "$python" "$root/bench/engine_bench.py" "${bench_args[@]}" | tee "$results" || status=$?
"$python" "$root/bench/gpu/summarize.py" "$results" >&2 || true
if ((status != 0)); then
  say "the benchmark ended with status $status (124: over the time limit); partial figures are in $results"
fi
exit "$status"
