"""Smoke test of bench/gpu/run.sh, the GPU machine's benchmark script, on the CPU.

--smoke runs the same steps as the real run (interpreter choice, import check, the
benchmark, the saved JSON lines, the table) on the tiny configuration, so the script cannot
rot between GPU runs.
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import torch

REPO_ROOT = Path(__file__).resolve().parents[2]
SCRIPT = REPO_ROOT / "bench" / "gpu" / "run.sh"
FIGURES = {
    "one_frame_step_s",
    "achieved_tflops",
    "batch_images_per_s",
    "video_step_s",
    "video_section_s",
    "peak_memory_bytes",
    "lora_switch_s",
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
    result = _run("--smoke", "--out", str(tmp_path))
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
