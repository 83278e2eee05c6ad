"""The video plan on the tiny model set: section layouts handed to the transformer,
frame counts, the MP4, TeaCache."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import av
import numpy as np
import pytest
import torch
from PIL import Image
from plan_builders import checked
from safetensors import safe_open
from section_spy import SectionCall

from framepack_engine.plans import run_plan
from framepack_engine.plans.base import JobContext, PlanOutcome
from framepack_engine.protocol_types import VideoPlan
from framepack_engine.runtime import EngineRuntime
from framepack_engine.video_layout import expected_frame_count


@pytest.fixture(scope="module")
def start_image(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("video-input") / "start.png"
    rgb = np.zeros((96, 128, 3), dtype=np.uint8)
    rgb[20:70, 30:90] = (40, 160, 220)
    Image.fromarray(rgb).save(path)
    return path


def _plan(output_dir: Path, start: Path, **overrides: Any) -> VideoPlan:
    plan = checked(
        {
            "kind": "video",
            "output_dir": str(output_dir),
            "prompt": "the square drifts",
            "seed": 7,
            "input_image_path": str(start),
            "seconds": 1.0,
            "latent_window_size": 9,
            "cache": "none",
            "mp4_crf": 16,
            "gpu_memory_preservation": 6,
            "negative_prompt": "",
            "steps": 2,
            "cfg": 1.0,
            "gs": 10.0,
            "rs": 0.0,
            "shift": None,
            "width": 128,
            "height": 96,
            "transformer": "base",
            "loras": [],
            "preview_every": 0,
            **overrides,
        }
    )
    assert plan["kind"] == "video"
    return plan


def _run(runtime: EngineRuntime, plan: VideoPlan, events: list[Any]) -> PlanOutcome:
    with torch.inference_mode():
        return run_plan(plan, JobContext("video-1", events.append), runtime)


def _decoded_frames(path: str) -> int:
    with av.open(path) as container:
        return sum(1 for _ in container.decode(video=0))


def _start_latent(sections: list[SectionCall]) -> torch.Tensor:
    assert sections[0].context.clean is not None
    return sections[0].context.clean.latents[:, :, :1]


def test_base_model_sections(
    runtime: EngineRuntime, tmp_path: Path, start_image: Path, sections: list[SectionCall]
) -> None:
    events: list[Any] = []
    outcome = _run(runtime, _plan(tmp_path, start_image, seconds=5.0), events)
    lws = 9
    assert len(sections) == 4  # round(5 * 30 / 36)
    paddings = [3, 2, 1, 0]
    for call, padding in zip(sections, paddings, strict=True):
        context = call.context
        window_start = 1 + lws * padding
        assert context.noisy_indices.tolist() == list(range(window_start, window_start + lws))
        post = window_start + lws
        assert context.clean is not None and context.history_2x is not None
        assert context.history_4x is not None
        assert context.clean.indices.tolist() == [0, post]
        assert context.history_2x.indices.tolist() == [post + 1, post + 2]
        assert context.history_4x.indices.tolist() == list(range(post + 3, post + 19))
        # The start latent is always the first clean frame.
        torch.testing.assert_close(context.clean.latents[:, :, :1], _start_latent(sections))

    first, second = sections[0].context, sections[1].context
    assert first.clean is not None and first.history_2x is not None and first.history_4x is not None
    assert torch.count_nonzero(first.clean.latents[:, :, 1]) == 0  # no future frames yet
    assert torch.count_nonzero(first.history_2x.latents) == 0
    assert torch.count_nonzero(first.history_4x.latents) == 0
    # Later sections see the frames generated just after them (generation runs backwards).
    assert second.clean is not None and second.history_2x is not None
    torch.testing.assert_close(second.clean.latents[:, :, 1:], sections[0].latents[:, :, :1])
    torch.testing.assert_close(second.history_2x.latents, sections[0].latents[:, :, 1:3])

    file, preview = outcome.files
    assert file["kind"] == "video"
    assert preview["kind"] == "preview"
    assert Path(preview["path"]).read_bytes()[:2] == b"\xff\xd8"  # a JPEG, written per section
    assert file["frames"] == expected_frame_count(5.0, lws) == 145
    assert _decoded_frames(file["path"]) == 145
    previews = [e for e in events if e["type"] == "progress" and "preview" in e]
    assert len(previews) == 4  # one per section
    steps = [e["step"] for e in events if e["type"] == "progress" and e["phase"] == "sampling"]
    assert steps == list(range(1, 9))  # a progress event per step, across sections


def test_f1_forward_sections(
    runtime: EngineRuntime, tmp_path: Path, start_image: Path, sections: list[SectionCall]
) -> None:
    outcome = _run(runtime, _plan(tmp_path, start_image, seconds=2.4, transformer="f1"), [])
    assert len(sections) == 2
    for call in sections:
        context = call.context
        assert context.clean is not None and context.history_2x is not None
        assert context.history_4x is not None
        assert context.history_4x.indices.tolist() == list(range(1, 17))
        assert context.history_2x.indices.tolist() == [17, 18]
        assert context.clean.indices.tolist() == [0, 19]
        assert context.noisy_indices.tolist() == list(range(20, 29))
    first, second = sections[0].context, sections[1].context
    assert first.clean is not None and second.clean is not None and second.history_2x is not None
    # First section: the most recent frame is the start latent itself.
    torch.testing.assert_close(first.clean.latents[:, :, 1:], _start_latent(sections))
    # Then the last generated frames, in time order.
    torch.testing.assert_close(second.clean.latents[:, :, 1:], sections[0].latents[:, :, -1:])
    torch.testing.assert_close(second.history_2x.latents, sections[0].latents[:, :, -3:-1])
    assert outcome.files[0]["frames"] == expected_frame_count(2.4, 9) == 73
    assert _decoded_frames(outcome.files[0]["path"]) == 73
    # The latent history is kept beside the MP4: 19 context zeros, the start, the sections.
    with safe_open(str(tmp_path / "latents.safetensors"), "pt") as stored:
        history = stored.get_tensor("history")
        metadata = stored.metadata()
    assert history.shape == (1, 16, 19 + 1 + 2 * 9, 12, 16) and history.dtype == torch.float32
    assert torch.count_nonzero(history[:, :, :19]) == 0
    torch.testing.assert_close(history[:, :, 19:20], _start_latent(sections).float())
    torch.testing.assert_close(history[:, :, 20:29], sections[0].latents.float())
    torch.testing.assert_close(history[:, :, 29:], sections[1].latents.float())
    assert metadata == {
        "sampling_mode": "forward",
        "latent_window_size": "9",
        "width": "128",
        "height": "96",
    }
    assert not list(tmp_path.glob(".*.tmp"))


@pytest.mark.parametrize(
    ("cache", "skipped"),
    # MagCache's decisions follow its ratio table alone: at 6 steps of the base model it
    # skips steps 1, 3 and 4 (tests/test_block_cache.py). TeaCache's depend on the inputs.
    [("teacache", range(0, 5)), ("magcache", range(3, 4)), ("none", range(0, 1))],
)
def test_one_second_video_records_its_block_cache(
    runtime: EngineRuntime, tmp_path: Path, start_image: Path, cache: str, skipped: range
) -> None:
    plan = _plan(tmp_path, start_image, cache=cache, steps=6)
    outcome = _run(runtime, plan, [])
    assert outcome.files[0]["frames"] == expected_frame_count(1.0, 9) == 37
    assert _decoded_frames(outcome.files[0]["path"]) == 37
    assert outcome.metadata["cache"]["kind"] == cache
    assert outcome.metadata["cache"]["skipped_steps"] in skipped
