"""Smoke test of bench/gpu/run.sh, the GPU machine's benchmark script, on the CPU.

--smoke runs the same steps as the real run (interpreter choice, import check, the
benchmark, the saved JSON lines, the table) on the tiny configuration, so the script cannot
rot between GPU runs.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import torch

REPO_ROOT = Path(__file__).resolve().parents[2]
SCRIPT = REPO_ROOT / "bench" / "gpu" / "run.sh"
FIGURES = {
    "matmul_peak_tflops",
    "sdpa_backend",
    "one_frame_step_s",
    "achieved_tflops",
    "batch_images_per_s",
    "video_step_s",
    "video_section_s",
    "peak_memory_bytes",
    "lora_switch_s",
    "fp8_step_s",
    "summary",
}


def _run(*args: str, python: str | None = None) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ)
    if python is not None:
        env["FRAMEPACK_PYTHON"] = python
    return subprocess.run(
        ["bash", str(SCRIPT), *args],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=240,
        check=False,
    )


def test_smoke_run_saves_and_prints_every_figure(tmp_path: Path) -> None:
    result = _run("--check", "--out", str(tmp_path))
    assert result.returncode == 0, result.stderr[-4000:]
    [saved] = tmp_path.glob("smoke-*.jsonl")
    records = [json.loads(line) for line in saved.read_text().splitlines()]
    assert {record["metric"] for record in records} == FIGURES
    assert result.stdout.splitlines() == saved.read_text().splitlines()
    for figure in FIGURES - {"summary"}:
        assert f"  {figure}" in result.stderr  # the table


def test_missing_packages_are_named(tmp_path: Path) -> None:
    empty_venv = tmp_path / "bare"
    subprocess.run(["python3", "-m", "venv", "--without-pip", str(empty_venv)], check=True)
    result = _run("--smoke", "--out", str(tmp_path), python=str(empty_venv / "bin" / "python"))
    assert result.returncode == 2
    assert "lacks: torch" in result.stderr and "diffusers" in result.stderr


def test_full_run_without_cuda_says_so(tmp_path: Path) -> None:
    if torch.cuda.is_available():
        return  # a GPU machine would start the real run here
    result = _run("--out", str(tmp_path))
    assert result.returncode == 3
    assert "sees no CUDA device" in result.stderr
    assert not list(tmp_path.iterdir())


WHEELS = REPO_ROOT / "bench" / "gpu" / "wheels"


@pytest.mark.skipif(not WHEELS.is_dir(), reason="no bench/gpu/wheels (scripts/gpu-wheels.sh)")
def test_the_wheels_cover_what_the_gpu_image_lacks() -> None:
    """As on the lent machine (no diffusers, Pillow or requests): the wheels folder has them,
    and their requirements (diffusers' huggingface_hub and safetensors floors) hold against
    the packages the image shares with this Python (bench/gpu/README.md)."""
    result = subprocess.run(
        [
            sys.executable,
            str(REPO_ROOT / "bench" / "gpu" / "check_env.py"),
            "--wheels",
            str(WHEELS),
            "--assume-missing",
            "diffusers,PIL,requests",
        ],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    names = {Path(line).name.split("-")[0] for line in result.stdout.splitlines()}
    assert {"diffusers", "pillow", "requests"} <= names
    assert all(Path(line).is_file() for line in result.stdout.splitlines())


def test_a_missing_wheel_is_named(tmp_path: Path) -> None:
    result = subprocess.run(
        [
            sys.executable,
            str(REPO_ROOT / "bench" / "gpu" / "check_env.py"),
            "--wheels",
            str(tmp_path),
            "--assume-missing",
            "diffusers",
        ],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 2
    assert "diffusers: not installed here and no wheel for it" in result.stderr
