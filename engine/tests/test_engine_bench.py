"""Smoke test of bench/engine_bench.py: the quick tiny run on the CPU prints every figure."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parents[2]
SCRIPT = REPO_ROOT / "bench" / "engine_bench.py"

# Metric -> the unit its lines carry; every one must appear with a positive value.
EXPECTED_UNITS = {
    "matmul_peak_tflops": "TFLOP/s",
    "one_frame_step_s": "s/step",
    "sdpa_backend": "backend",
    "achieved_tflops": "TFLOP/s",
    "batch_images_per_s": "images/s",
    "video_step_s": "s/step",
    "video_section_s": "s",
    "peak_memory_bytes": "bytes",
    "lora_switch_s": "s",
    "fp8_step_s": "s/step",
    "summary": "s",
}


def _run_quick_bench() -> list[dict[str, Any]]:
    command = [sys.executable, str(SCRIPT), "--config", "tiny", "--device", "cpu", "--quick"]
    result = subprocess.run(
        command, cwd=REPO_ROOT, capture_output=True, text=True, timeout=240, check=False
    )
    assert result.returncode == 0, f"benchmark failed:\n{result.stderr[-4000:]}"
    lines = result.stdout.splitlines()
    assert lines, f"no JSON lines on stdout; stderr:\n{result.stderr[-4000:]}"
    # Every stdout line is one JSON object: progress must go to stderr.
    return [json.loads(line) for line in lines]


def _positive(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and value > 0


def test_quick_tiny_run_prints_every_figure() -> None:
    records = _run_quick_bench()
    by_metric: dict[str, list[dict[str, Any]]] = {}
    for record in records:
        assert {"metric", "value", "unit", "config", "device", "dtype"} <= record.keys()
        assert record["config"] == "tiny"
        by_metric.setdefault(record["metric"], []).append(record)

    assert set(by_metric) == set(EXPECTED_UNITS)
    assert records[-1]["metric"] == "summary"
    for metric, unit in EXPECTED_UNITS.items():
        for record in by_metric[metric]:
            assert record["unit"] == unit, record
            if metric == "peak_memory_bytes" and record["mode"] == "low":
                # No device memory on the CPU: null, saying why; the streaming still ran.
                assert record["value"] is None and record["note"], record
                assert record["streamed_blocks"] > 0 and _positive(record["step_s"]), record
                if record["transformer_dtype"] == "bf16":
                    assert _positive(record["teacache_two_steps_s"]), record  # the probe ran
            elif metric == "fp8_step_s":
                assert _positive(record["value"]) and _positive(record["bf16_step_s"]), record
                # float32 on the CPU: the quantised layers shrink to about a third (one scale
                # per row of 20 or 80 weights); the tiny model is mostly embedders.
                assert record["quantised_layers"] > 0 and record["quantised_layers_ratio"] < 0.35
                assert record["weights_ratio"] < 1
            elif metric == "sdpa_backend":
                assert record["value"] == "math" and record["priority"][0] == "cudnn", record
            else:
                assert _positive(record["value"]), record

    modes = sorted(
        (record["transformer_dtype"], record["mode"]) for record in by_metric["peak_memory_bytes"]
    )
    assert modes == [("bf16", "high"), ("bf16", "low"), ("fp8", "low")]
    assert {record["transformer_dtype"] for record in by_metric["fp8_step_s"]} == {"fp8"}
    batch = by_metric["batch_images_per_s"][0]
    assert batch["batch"] == 4
    assert _positive(batch["singles_images_per_s"])
    assert _positive(batch["batch_over_singles"])
    section = by_metric["video_section_s"][0]
    assert _positive(section["step_s"]) and _positive(section["decode_s"])
    assert section["value"] > section["step_s"]
    lora = by_metric["lora_switch_s"][0]
    assert lora["layers"] > 0
    assert all(_positive(lora[key]) for key in ("apply_first_s", "switch_s", "clear_s"))
    tflops = by_metric["achieved_tflops"][0]
    assert _positive(tflops["flops_per_step"])
    assert tflops["peak_tflops"] is None  # no CPU peak without --peak-tflops
    assert _positive(tflops["fraction_of_measured_peak"])
    variants = [record["layout_variant"] for record in by_metric["one_frame_step_s"]]
    assert variants == ["default", "no_2x", "no_4x", "no_post"]
    assert [r["layout_variant"] for r in by_metric["achieved_tflops"]] == variants
    assert [r["prompts"] for r in by_metric["batch_images_per_s"]] == ["equal", "mixed"]
    assert [r["batch"] for r in by_metric["sdpa_backend"]] == [1, 4]
