"""Small, fully specified plans for tests on the tiny model set (checked against the schema)."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any, cast

from framepack_engine.protocol import validation_errors
from framepack_engine.protocol_types import ImagePlan, Plan

WIDTH, HEIGHT = 128, 96  # latents (12, 16)


def sampling_settings(output_dir: Path) -> dict[str, Any]:
    return {
        "output_dir": str(output_dir),
        "negative_prompt": "",
        "steps": 3,
        "cfg": 1.0,
        "gs": 10.0,
        "rs": 0.0,
        "shift": None,
        "width": WIDTH,
        "height": HEIGHT,
        "transformer": "base",
        "loras": [],
        "preview_every": 0,
    }


def checked(plan: Mapping[str, object]) -> Plan:
    """The plan, typed as the server types it once the schema has accepted it."""
    assert validation_errors({"type": "run", "job_id": "j", "plan": plan}, "request") == []
    return cast(Plan, plan)


def image_plan(output_dir: Path, **overrides: Any) -> ImagePlan:
    plan = checked(
        {
            **sampling_settings(output_dir),
            "kind": "image",
            "prompt": "a red fox",
            "seed": 11,
            "input_image_path": None,
            "latent_window_size": 9,
            "target_index": 9,
            "no_2x": False,
            "no_4x": False,
            "no_post": False,
            **overrides,
        }
    )
    assert plan["kind"] == "image"
    return plan
