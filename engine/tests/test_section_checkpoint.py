"""Section checkpoints on the tiny model set: a video stopped at a section boundary and run
again resumes there, sampling only the remaining sections, and ends bit-identical to an
uninterrupted run; a checkpoint of another plan or engine version is never used."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest
import torch
from test_video import _plan, start_image  # noqa: F401 (start_image is a fixture)

import framepack_engine.plans.video as video_plan
import framepack_engine.sampling.sampler as sampler
import framepack_engine.section_checkpoint as section_checkpoint
import framepack_engine.video_output as video_output
from framepack_engine.plans import run_plan
from framepack_engine.plans.base import JobContext, PlanOutcome, Yielded
from framepack_engine.protocol import validation_errors
from framepack_engine.protocol_types import VideoPlan
from framepack_engine.runtime import EngineRuntime
from framepack_engine.section_checkpoint import SectionCheckpoint, plan_hash

# Four sections of a small window keep the test quick: round(1.6 * 30 / 12) = 4 at lws 3.
FOUR_SECTIONS: dict[str, Any] = {"seconds": 1.6, "latent_window_size": 3, "steps": 1}


class _Recorder:
    """A job context's emit: keeps the events, and asks for a yield after `yield_after`."""

    def __init__(self, yield_after: int | None = None) -> None:
        self.events: list[dict[str, Any]] = []
        self.ctx = JobContext("video-1", self)
        self._yield_after = yield_after

    def __call__(self, event: dict[str, Any]) -> None:
        assert validation_errors(event, "event") == []
        self.events.append(event)
        if event["type"] == "checkpoint" and event["sections_done"] == self._yield_after:
            self.ctx.yield_requested.set()

    def of_type(self, kind: str) -> list[dict[str, Any]]:
        return [event for event in self.events if event["type"] == kind]


def _run(runtime: EngineRuntime, plan: VideoPlan, recorder: _Recorder) -> PlanOutcome:
    with torch.inference_mode():
        return run_plan(plan, recorder.ctx, runtime)


@pytest.fixture
def encoded(monkeypatch: pytest.MonkeyPatch) -> list[np.ndarray]:
    """The uint8 frames of each MP4 written: the H.264 encoder's bytes vary between runs of
    the same frames (its threads), so equal videos are equal frames."""
    frames: list[np.ndarray] = []
    real = video_output.write_mp4

    def spy(video: Any, *args: Any, **kwargs: Any) -> None:
        frames.append(np.array(video))
        real(video, *args, **kwargs)

    monkeypatch.setattr(video_plan, "write_mp4", spy)
    return frames


@pytest.fixture
def sampled(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """How many sections each run sampled (one entry per sample_latents call)."""
    calls: list[int] = []
    real = sampler.sample_latents

    def counting(*args: Any) -> Any:
        calls.append(1)
        return real(*args)

    monkeypatch.setattr(video_plan, "sample_latents", counting)
    return calls


@pytest.mark.parametrize("transformer", ["base", "f1"])
def test_a_yielded_video_resumes_bit_identical(
    runtime: EngineRuntime,
    tmp_path: Path,
    start_image: Path,  # noqa: F811
    sampled: list[int],
    encoded: list[np.ndarray],
    transformer: str,
) -> None:
    checkpoints = tmp_path / "work"
    settings = {**FOUR_SECTIONS, "transformer": transformer}
    plain = _run(runtime, _plan(tmp_path / "plain", start_image, **settings), _Recorder())
    assert len(sampled) == 4 and "resumed_at_section" not in plain.metadata

    stopped = _Recorder(yield_after=2)
    first = _plan(tmp_path / "a1", start_image, checkpoint_dir=str(checkpoints), **settings)
    with pytest.raises(Yielded) as yielded:
        _run(runtime, first, stopped)
    assert yielded.value.sections_done == 2
    assert [event["sections_done"] for event in stopped.of_type("checkpoint")] == [1, 2]
    assert {event["sections_total"] for event in stopped.of_type("checkpoint")} == {4}
    assert all(event["bytes"] > 0 for event in stopped.of_type("checkpoint"))

    sampled.clear()
    resumed = _Recorder()
    second = _plan(tmp_path / "a2", start_image, checkpoint_dir=str(checkpoints), **settings)
    outcome = _run(runtime, second, resumed)
    assert len(sampled) == 2  # only the sections after the checkpoint
    assert outcome.metadata["resumed_at_section"] == 2
    infos = [event["info"] for event in resumed.of_type("progress")]
    assert "Resuming at section 3 of 4 from its checkpoint" in infos
    # Announced at the resume, then written after section 3; the last section needs none.
    assert [event["sections_done"] for event in resumed.of_type("checkpoint")] == [2, 3]
    assert np.array_equal(encoded[-1], encoded[0])  # the resumed MP4's frames, the plain one's
    assert outcome.files[0]["frames"] == plain.files[0]["frames"]


def test_a_checkpoint_of_another_plan_or_engine_is_not_used(
    runtime: EngineRuntime,
    tmp_path: Path,
    start_image: Path,  # noqa: F811
    sampled: list[int],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    checkpoints = str(tmp_path / "work")
    first = _plan(tmp_path / "a1", start_image, checkpoint_dir=checkpoints, **FOUR_SECTIONS)
    with pytest.raises(Yielded):
        _run(runtime, first, _Recorder(yield_after=1))

    other_seed = _plan(
        tmp_path / "a2", start_image, checkpoint_dir=checkpoints, seed=8, **FOUR_SECTIONS
    )
    sampled.clear()
    with pytest.raises(Yielded):  # sampled from the start, and checkpointed over the old one
        _run(runtime, other_seed, _Recorder(yield_after=1))
    assert len(sampled) == 1

    monkeypatch.setattr(section_checkpoint, "__version__", "0.0.0-other")
    sampled.clear()
    outcome = _run(runtime, other_seed, _Recorder())
    assert len(sampled) == 4 and "resumed_at_section" not in outcome.metadata


def test_a_damaged_checkpoint_is_ignored(
    runtime: EngineRuntime,
    tmp_path: Path,
    start_image: Path,  # noqa: F811
    sampled: list[int],
) -> None:
    (tmp_path / "work").mkdir()
    (tmp_path / "work" / section_checkpoint.CHECKPOINT_NAME).write_bytes(b"not a checkpoint")
    plan = _plan(tmp_path / "out", start_image, checkpoint_dir=str(tmp_path / "work"))
    outcome = _run(runtime, plan, _Recorder())
    assert "resumed_at_section" not in outcome.metadata


def test_the_plan_hash_ignores_the_attempt_directories_and_where_files_lie(
    tmp_path: Path,
) -> None:
    plan: dict[str, object] = {
        "kind": "video",
        "seed": 1,
        "image_path": "/host-a/jobs/j/inputs/input.png",
        "keyframes": [{"section": 1, "image_path": "/host-a/jobs/j/inputs/keyframe-0.png"}],
        "loras": [{"path": "/host-a/loras/style.safetensors", "scale": 0.8}],
        "output_dir": "/a",
        "checkpoint_dir": "/w",
    }
    # Another attempt, on another host of a cluster: its own folders.
    moved = {
        **plan,
        "image_path": "/b/jobs/j/inputs/input.png",
        "keyframes": [{"section": 1, "image_path": "/b/jobs/j/inputs/keyframe-0.png"}],
        "loras": [{"path": "/b/loras/style.safetensors", "scale": 0.8}],
        "output_dir": "/b",
        "checkpoint_dir": "/v",
    }
    assert plan_hash(plan) == plan_hash(moved)
    assert plan_hash(plan) != plan_hash({**plan, "seed": 2})
    assert plan_hash(plan) != plan_hash({**plan, "image_path": "/host-a/jobs/j/inputs/end.png"})
    other_lora = [{"path": "/host-a/loras/other.safetensors", "scale": 0.8}]
    assert plan_hash(plan) != plan_hash({**plan, "loras": other_lora})
    assert plan_hash(plan) != plan_hash({**plan, "keyframes": [{"section": 2, "image_path": "/x"}]})


def test_pixels_round_trip_exactly_through_the_compact_form(tmp_path: Path) -> None:
    """Every uint8 level survives dequantising and quantising again; open frames stay float."""
    levels = torch.arange(256, dtype=torch.uint8).view(1, 1, 256, 1, 1).expand(1, 3, 256, 2, 2)
    pixels = torch.cat([levels.float() / 127.5 - 1, torch.rand(1, 3, 5, 2, 2) * 2 - 1], dim=2)
    for prepend in (False, True):
        state = section_checkpoint.SectionState(1, torch.zeros(1), pixels, torch.zeros(1), 0)
        checkpoint = SectionCheckpoint(tmp_path / str(prepend), {"kind": "video"})
        checkpoint.save(state, overlap=5, prepend=prepend)
        loaded = checkpoint.load(torch.device("cpu"))
        assert loaded is not None
        open_frames = slice(0, 5) if prepend else slice(256, 261)
        assert torch.equal(loaded.pixels[:, :, open_frames], pixels[:, :, open_frames])
        assert torch.equal(
            section_checkpoint._quantise(loaded.pixels), section_checkpoint._quantise(pixels)
        )
