"""The engine process speaking the protocol on stdio, on the tiny model set."""

from __future__ import annotations

import io
import json
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import torch
from PIL import Image

import framepack_engine.server as server_module
from framepack_engine.plans.base import JobContext, PlanOutcome, Yielded
from framepack_engine.protocol import validation_errors
from framepack_engine.protocol_types import Plan
from framepack_engine.runtime import EngineRuntime
from framepack_engine.server import EngineServer, EventWriter

ENGINE_DIR = Path(__file__).resolve().parents[1]


class EngineUnderTest:
    def __init__(self, model_root: Path) -> None:
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "framepack_engine",
                "serve",
                "--model-root",
                str(model_root),
                "--device",
                "cpu",
                "--heartbeat-interval",
                "60",
            ],
            cwd=ENGINE_DIR,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )

    def send(self, line: str) -> None:
        assert self.process.stdin is not None
        self.process.stdin.write(line + "\n")
        self.process.stdin.flush()

    def request(self, message: dict[str, Any]) -> None:
        self.send(json.dumps(message))

    def next_event(self, *types: str) -> dict[str, Any]:
        """Reads events until one of the given types; every line must be a valid event."""
        assert self.process.stdout is not None
        while True:
            line = self.process.stdout.readline()
            assert line, "engine closed stdout"
            event: dict[str, Any] = json.loads(line)
            assert validation_errors(event, "event") == [], event
            if event["type"] in types:
                return event


@pytest.fixture(scope="module")
def engine(tiny_root: Path) -> Iterator[EngineUnderTest]:
    under_test = EngineUnderTest(tiny_root)
    yield under_test
    if under_test.process.poll() is None:
        under_test.process.kill()
        under_test.process.wait()


@pytest.fixture(scope="module")
def image_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("inputs") / "input.png"
    gradient = np.linspace(0, 255, 96 * 128 * 3).astype(np.uint8).reshape(96, 128, 3)
    Image.fromarray(gradient).save(path)
    return path


def test_hello_comes_first(engine: EngineUnderTest) -> None:
    hello = engine.next_event("hello", "heartbeat", "status", "error")
    assert hello["type"] == "hello"
    assert hello["protocol_version"] == 1
    assert hello["model_set"]["tiny"] is True
    assert hello["model_set"]["attention_backends"] == ["cudnn", "flash", "efficient", "math"]
    assert hello["model_set"]["gpu_memory_limit_gb"] is None
    assert "probe" in hello["capabilities"]["plan_kinds"]


def test_malformed_lines_get_errors(engine: EngineUnderTest) -> None:
    engine.send("{nope")
    error = engine.next_event("error")
    assert (error["code"], error["job_id"]) == ("malformed_message", None)

    engine.request({"type": "run", "job_id": "../x", "plan": {"kind": "probe"}})
    error = engine.next_event("error")
    assert error["code"] == "malformed_message"
    assert error["job_id"] is None  # an invalid id is never echoed back

    engine.request({"type": "cancel", "job_id": "nobody"})
    error = engine.next_event("error")
    assert (error["code"], error["job_id"]) == ("unknown_job", "nobody")


def test_probe_reports_shapes(engine: EngineUnderTest, image_path: Path) -> None:
    plan = {
        "kind": "probe",
        "prompt": "a dog",
        "image_path": str(image_path),
        "width": 128,
        "height": 96,
    }
    engine.request({"type": "run", "job_id": "probe-1", "plan": plan})
    result = engine.next_event("result", "error")
    assert result["type"] == "result", result
    assert result["metadata"]["shapes"]["image_latent"] == [1, 16, 1, 12, 16]
    assert result["metadata"]["shapes"]["llama_embeds"] == [1, 512, 16]

    engine.request({"type": "status"})
    status = engine.next_event("status")
    assert status["state"] == "idle"
    assert {model["name"] for model in status["loaded_models"]} >= {"vae", "text_encoder"}


def test_shutdown_exits_cleanly(engine: EngineUnderTest) -> None:
    engine.request({"type": "shutdown"})
    assert engine.process.wait(timeout=30) == 0


def _server(runtime: EngineRuntime, events: list[dict[str, Any]]) -> EngineServer:
    return EngineServer(runtime, EventWriter(_ListStream(events)), heartbeat_interval_s=60)


class _ListStream(io.StringIO):
    """A text stream that parses each written line back into the list."""

    def __init__(self, events: list[dict[str, Any]]) -> None:
        super().__init__()
        self.events = events

    def write(self, text: str) -> int:
        self.events.extend(json.loads(line) for line in text.splitlines() if line)
        return len(text)


Runner = Callable[[Plan, JobContext, EngineRuntime], PlanOutcome]


def _probe_plan(image_path: Path) -> dict[str, Any]:
    return {
        "kind": "probe",
        "prompt": "x",
        "image_path": str(image_path),
        "width": 64,
        "height": 64,
    }


def _server_running(
    runtime: EngineRuntime,
    monkeypatch: pytest.MonkeyPatch,
    runner: Runner,
    job_id: str,
    plan: dict[str, Any],
) -> tuple[list[dict[str, Any]], EngineServer]:
    """A server whose plans run with `runner`, asked to run `plan` as `job_id`."""
    monkeypatch.setattr(server_module, "run_plan", runner)
    events: list[dict[str, Any]] = []
    server = _server(runtime, events)
    server._handle_line(json.dumps({"type": "run", "job_id": job_id, "plan": plan}).encode())
    return events, server


def _error_then_recovery(
    runtime: EngineRuntime, monkeypatch: pytest.MonkeyPatch, image_path: Path, failing: Runner
) -> dict[str, Any]:
    """Runs a probe whose runner is `failing`, then a normal one on the same server (the
    engine stays up); returns the first run's error event (job "failing-1")."""
    plan = _probe_plan(image_path)
    events, server = _server_running(runtime, monkeypatch, failing, "failing-1", plan)
    _wait_for(events, "error")
    error = events[-1]

    monkeypatch.undo()
    server._handle_line(json.dumps({"type": "run", "job_id": "after-1", "plan": plan}).encode())
    _wait_for(events, "result")
    assert events[-1]["job_id"] == "after-1"
    return error


def test_out_of_memory_is_a_retriable_error_and_the_engine_stays_up(
    runtime: EngineRuntime, monkeypatch: pytest.MonkeyPatch, image_path: Path
) -> None:
    def exhausted(plan: Plan, ctx: JobContext, rt: EngineRuntime) -> PlanOutcome:
        raise torch.OutOfMemoryError("CUDA out of memory. Tried to allocate 20.00 GiB")

    error = _error_then_recovery(runtime, monkeypatch, image_path, exhausted)
    assert (error["code"], error["job_id"], error["retriable"]) == (
        "out_of_memory",
        "failing-1",
        True,
    )
    assert "20.00 GiB" in error["message"]


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
def test_a_full_disk_fails_the_job_with_a_clear_reason_and_the_engine_stays_up(
    runtime: EngineRuntime, monkeypatch: pytest.MonkeyPatch, image_path: Path
) -> None:
    def write_to_full_disk(plan: Plan, ctx: JobContext, rt: EngineRuntime) -> PlanOutcome:
        try:
            with open("/dev/full", "wb", buffering=0) as full:  # every write: ENOSPC
                full.write(b"pixels")
        except OSError as error:
            raise RuntimeError("saving the output failed") from error
        raise AssertionError("/dev/full accepted a write")

    error = _error_then_recovery(runtime, monkeypatch, image_path, write_to_full_disk)
    assert (error["code"], error["job_id"], error["retriable"]) == ("disk_full", "failing-1", False)
    assert error["message"].startswith("no space left on device")


def _wait_for(events: list[dict[str, Any]], kind: str, timeout_s: float = 30) -> None:
    deadline = time.monotonic() + timeout_s
    while not (events and events[-1]["type"] == kind):
        assert time.monotonic() < deadline, f"no {kind} event; got {events}"
        time.sleep(0.01)


def test_a_yield_request_reaches_the_running_plan_and_its_end_is_a_yielded_event(
    runtime: EngineRuntime, monkeypatch: pytest.MonkeyPatch, image_path: Path
) -> None:
    def video_at_a_boundary(plan: Plan, ctx: JobContext, rt: EngineRuntime) -> PlanOutcome:
        # Stands for a video between sections: it waits for the request, then yields.
        assert ctx.yield_requested.wait(timeout=30)
        raise Yielded(ctx.job_id, 2)

    plan = _probe_plan(image_path)
    events, server = _server_running(runtime, monkeypatch, video_at_a_boundary, "video-1", plan)
    # Another job's yield is no error and touches nothing: the request may cross a job's end.
    server._handle_line(json.dumps({"type": "yield", "job_id": "other"}).encode())
    server._handle_line(json.dumps({"type": "yield", "job_id": "video-1"}).encode())
    _wait_for(events, "yielded")
    assert events[-1] == {"type": "yielded", "job_id": "video-1", "sections_done": 2}
    assert not any(event["type"] == "error" for event in events)
