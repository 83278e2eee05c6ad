#!/usr/bin/env bash
# Downloads the wheels the GPU benchmark needs and the lent GPU machine's image lacks, into
# bench/gpu/wheels/ (ignored by git; carried to the machine by name, see bench/gpu/README.md).
#
# The image has Python 3.12 with torch, transformers, accelerate, peft, safetensors,
# huggingface_hub, numpy and psutil, but no diffusers, Pillow or requests, and no network.
# Versions come from engine/constraints.txt, so the machine runs the engine's pinned diffusers.
# Every wheel is a cp312 manylinux x86_64 (or pure Python) wheel, fetched without dependencies:
# the list below is the whole closure the image lacks (bench/gpu/check_env.py --wheels checks
# it against the image before anything is installed).
#
# Usage: scripts/gpu-wheels.sh [DIR]   (default bench/gpu/wheels)
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
dest="${1:-$root/bench/gpu/wheels}"
constraints="$root/engine/constraints.txt"
python="${FRAMEPACK_PYTHON:-$root/engine/.venv/bin/python}"
[[ -x $python ]] || python=python3

# diffusers and what it imports that the image lacks; requests and its dependencies.
packages=(diffusers pillow requests urllib3 idna certifi charset-normalizer regex
  importlib_metadata zipp filelock)

pinned() {
  local name="$1" line
  line="$(grep -i -E "^${name//[-_]/[-_]}==" "$constraints" || true)"
  [[ -n $line ]] || {
    echo "error: $name is not pinned in $constraints" >&2
    exit 2
  }
  echo "$line"
}

specs=()
for package in "${packages[@]}"; do specs+=("$(pinned "$package")"); done
mkdir -p "$dest"
echo "downloading ${specs[*]} into $dest" >&2
"$python" -m pip download --quiet --disable-pip-version-check --no-deps --only-binary=:all: \
  --python-version 3.12 --implementation cp --abi cp312 \
  --platform manylinux2014_x86_64 --platform manylinux_2_28_x86_64 \
  --platform manylinux_2_17_x86_64 --dest "$dest" "${specs[@]}"
ls -1 "$dest"/*.whl >&2
du -sh "$dest" >&2
