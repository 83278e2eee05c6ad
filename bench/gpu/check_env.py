"""Checks that this Python can run bench/engine_bench.py, before any time is spent.

Usage: python bench/gpu/check_env.py cuda|cpu

Exit 0 with the versions and the device on stderr; 2 naming every missing package (nothing
is installed: the GPU machine may have no network); 3 when `cuda` is asked for and torch
sees no CUDA device.
"""

from __future__ import annotations

import importlib
import sys

# Import name -> the package to install; what the benchmark and the engine code it uses import.
REQUIRED: dict[str, str] = {
    "torch": "torch",
    "diffusers": "diffusers",
    "transformers": "transformers",
    "accelerate": "accelerate",
    "safetensors": "safetensors",
    "huggingface_hub": "huggingface_hub",
    "numpy": "numpy",
    "PIL": "pillow",
    "psutil": "psutil",
}
MIN_PYTHON = (3, 11)


def say(message: str) -> None:
    print(f"[gpu-bench] {message}", file=sys.stderr)


def missing_packages() -> list[str]:
    missing = []
    for module, package in REQUIRED.items():
        try:
            importlib.import_module(module)
        except ImportError as error:
            missing.append(f"{package} ({error})")
    return missing


def describe_cuda() -> str | None:
    import torch

    if not torch.cuda.is_available():
        return None
    device = torch.cuda.current_device()
    properties = torch.cuda.get_device_properties(device)
    return (
        f"{properties.name}, {properties.total_memory / 2**30:.0f} GiB, CUDA {torch.version.cuda}"
    )


def main(argv: list[str]) -> int:
    want_cuda = argv[1:] == ["cuda"]
    if sys.version_info < MIN_PYTHON:
        say(f"error: Python {sys.version.split()[0]} is too old; the engine needs 3.11 or newer.")
        return 2
    missing = missing_packages()
    if missing:
        say(f"error: {sys.executable} lacks: {', '.join(missing)}.")
        say("Point FRAMEPACK_PYTHON at a Python that has them (npm run setup makes engine/.venv).")
        return 2
    import diffusers
    import torch

    versions = f"torch {torch.__version__}, diffusers {diffusers.__version__}"
    say(f"python {sys.version.split()[0]}, {versions}")
    if not want_cuda:
        return 0
    cuda = describe_cuda()
    if cuda is None:
        build = f"torch {torch.__version__}, CUDA build {torch.version.cuda}"
        say(f"error: {build} sees no CUDA device.")
        return 3
    say(f"device: {cuda}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
