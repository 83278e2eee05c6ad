"""The shared example messages must mean the same to both sides.

test/protocol.contract.test.ts runs the same files through the TypeScript side.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from framepack_engine.protocol import PROTOCOL_DIR, Direction, is_job_id, validation_errors

EXAMPLES = PROTOCOL_DIR / "examples"
DIRECTIONS: list[Direction] = ["request", "event"]


def _examples(folder: Path) -> list[tuple[str, object]]:
    files = sorted(folder.glob("*.json"))
    assert files, f"no examples in {folder}"
    return [(path.name, json.loads(path.read_text(encoding="utf-8"))) for path in files]


@pytest.mark.parametrize("direction", DIRECTIONS)
def test_valid_examples_pass(direction: Direction) -> None:
    for name, message in _examples(EXAMPLES / direction):
        assert validation_errors(message, direction) == [], name


@pytest.mark.parametrize("direction", DIRECTIONS)
def test_invalid_examples_fail(direction: Direction) -> None:
    for name, message in _examples(EXAMPLES / "invalid" / direction):
        assert validation_errors(message, direction) != [], name


def test_errors_name_the_field() -> None:
    run = {
        "type": "run",
        "job_id": "job-1",
        "plan": {
            "kind": "probe",
            "prompt": "x",
            "image_path": "/a.png",
            "width": 650,
            "height": 64,
        },
    }
    assert any(line.startswith("plan.width:") for line in validation_errors(run, "request"))


def test_unknown_type_lists_the_known_ones() -> None:
    assert validation_errors({"type": "reboot"}, "request") == [
        "unknown request type 'reboot'; expected one of: cancel, run, shutdown, status, yield"
    ]


def test_job_ids() -> None:
    assert is_job_id("0b6f2d1e-6c55-4a3b-9a49-3c8f8f3e2a10")
    assert not is_job_id("../etc")
    assert not is_job_id(7)
