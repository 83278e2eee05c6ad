"""Checks that this Python can run bench/engine_bench.py, before any time is spent.

Usage: python bench/gpu/check_env.py cuda|cpu
       python bench/gpu/check_env.py --wheels DIR [--assume-missing MOD,...]

Exit 0 with the versions and the device on stderr; 2 naming every missing package (nothing
is installed: the GPU machine may have no network); 3 when `cuda` is asked for and torch
sees no CUDA device.

--wheels: plan an offline install from DIR (scripts/gpu-wheels.sh fills it) for the packages
this Python lacks: prints the wheel files to install, one a line, on stdout, after checking
every requirement of those wheels (diffusers' huggingface_hub and safetensors floors above
all) against what this Python already has. Exit 2 saying plainly what is missing or too old.
--assume-missing treats those import names as absent (the test suite uses it to check the
wheels on a machine that has everything).
"""

from __future__ import annotations

import importlib
import importlib.metadata
import importlib.util
import re
import sys
import zipfile
from pathlib import Path

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
    "requests": "requests",
}
MIN_PYTHON = (3, 11)


def say(message: str) -> None:
    print(f"[gpu-bench] {message}", file=sys.stderr)


def _normal(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _installed_version(name: str) -> str | None:
    try:
        return importlib.metadata.version(name)
    except importlib.metadata.PackageNotFoundError:
        return None


def _wheels(directory: Path) -> dict[str, Path]:
    """Distribution name (normalised) -> its wheel in `directory`."""
    return {_normal(path.name.split("-")[0]): path for path in sorted(directory.glob("*.whl"))}


def _requirements(wheel: Path) -> list[str]:
    """The wheel's unconditional Requires-Dist lines (extras and other platforms left out)."""
    from packaging.requirements import Requirement

    with zipfile.ZipFile(wheel) as archive:
        [metadata] = [n for n in archive.namelist() if n.endswith(".dist-info/METADATA")]
        text = archive.read(metadata).decode()
    heads = [line for line in text.splitlines() if line.startswith("Requires-Dist:")]
    lines = [head.split(":", 1)[1].strip() for head in heads]
    kept = []
    for line in lines:
        requirement = Requirement(line)
        if requirement.marker is None or requirement.marker.evaluate({"extra": ""}):
            kept.append(line)
    return kept


def plan_wheels(directory: Path, assume_missing: set[str]) -> tuple[list[Path], list[str]]:
    """(wheels to install, problems) for the REQUIRED packages this Python lacks."""
    from packaging.requirements import Requirement

    wheels = _wheels(directory)
    wanted = [
        package
        for module, package in REQUIRED.items()
        if module in assume_missing or importlib.util.find_spec(module) is None
    ]
    chosen: dict[str, Path] = {}
    problems: list[str] = []
    while wanted:
        name = _normal(wanted.pop(0))
        if name in chosen:
            continue
        wheel = wheels.get(name)
        if wheel is None:
            problems.append(f"{name}: not installed here and no wheel for it in {directory}")
            continue
        chosen[name] = wheel
        for line in _requirements(wheel):
            requirement = Requirement(line)
            dist = _normal(requirement.name)
            module_missing = any(
                _normal(package) == dist and module in assume_missing
                for module, package in REQUIRED.items()
            )
            installed = None if module_missing else _installed_version(requirement.name)
            if installed is None:
                wanted.append(requirement.name)
            elif not requirement.specifier.contains(installed, prereleases=True):
                problems.append(
                    f"{name} needs {requirement}, this Python has {requirement.name} {installed}"
                )
    return list(chosen.values()), problems


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


def wheels_main(argv: list[str]) -> int:
    directory = Path(argv[2])
    assume = set(argv[4].split(",")) if argv[3:4] == ["--assume-missing"] else set()
    if not directory.is_dir():
        say(
            f"error: no wheels folder at {directory}; run scripts/gpu-wheels.sh where pip can "
            "reach PyPI and carry the folder."
        )
        return 2
    wheels, problems = plan_wheels(directory, assume)
    for problem in problems:
        say(f"error: {problem}")
    if problems:
        return 2
    for wheel in wheels:
        print(wheel)
    names = ", ".join(wheel.name.split("-")[0] + " " + wheel.name.split("-")[1] for wheel in wheels)
    say(f"installing from {directory}: {names or 'nothing (all present)'}")
    return 0


def main(argv: list[str]) -> int:
    if argv[1:2] == ["--wheels"]:
        return wheels_main(argv)
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
