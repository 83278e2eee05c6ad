"""Continuing a video with F1 on the tiny model set (docs/framepack.md §7.10): the stored latent
history is the context of the first new section, the joined history and MP4 are the earlier
ones plus the new sections, and a foreign MP4's last frames are VAE-encoded in its place."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import av
import numpy as np
import pytest
import torch
from PIL import Image
from plan_builders import checked, sampling_settings
from safetensors import safe_open
from section_spy import SectionCall

from framepack_engine.conditioning.image import fit_image
from framepack_engine.continuation import MAX_ENCODED_LATENTS, encode_frames, video_latents
from framepack_engine.plans import run_plan
from framepack_engine.plans.base import JobContext, PlanError, PlanOutcome
from framepack_engine.protocol_types import VideoPlan
from framepack_engine.runtime import EngineRuntime
from framepack_engine.video_layout import CONTEXT_FRAMES
from framepack_engine.video_output import write_mp4

WIDTH, HEIGHT = 96, 64
LWS = 9
SECTION_FRAMES = 4 * LWS  # pixel frames each F1 section after the first adds


def _plan(output_dir: Path, **overrides: Any) -> VideoPlan:
    output_dir.mkdir(parents=True, exist_ok=True)
    plan = checked(
        {
            **sampling_settings(output_dir),
            "kind": "video",
            "prompt": "the square drifts on",
            "seed": 3,
            "input_image_path": None,
            "seconds": 1.2,  # 1 section at lws 9
            "latent_window_size": LWS,
            "cache": "none",
            "mp4_crf": 16,
            "gpu_memory_preservation": 6,
            "steps": 1,
            "width": None,
            "height": None,
            "transformer": "f1",
            **overrides,
        }
    )
    assert plan["kind"] == "video"
    return plan


def _run(runtime: EngineRuntime, plan: VideoPlan) -> PlanOutcome:
    with torch.inference_mode():
        return run_plan(plan, JobContext("continue-1", lambda _event: None), runtime)


def _history(output_dir: Path) -> torch.Tensor:
    with safe_open(str(output_dir / "latents.safetensors"), "pt") as stored:
        history: torch.Tensor = stored.get_tensor("history")
    return history


def _decoded(path: Path) -> list[np.ndarray]:
    with av.open(str(path)) as container:
        return [frame.to_ndarray(format="rgb24") for frame in container.decode(video=0)]


def _frame_count(path: str) -> int:
    with av.open(path) as container:
        return sum(1 for _ in container.decode(video=0))


def _context_frames(call: SectionCall) -> torch.Tensor:
    """The section's 4x, 2x and 1x context in time order: (1, 16, 19, h, w)."""
    context = call.context
    assert context.history_4x and context.history_2x and context.clean
    latents = [context.history_4x.latents, context.history_2x.latents, context.clean.latents]
    return torch.cat([latents[0], latents[1], latents[2][:, :, 1:]], dim=2)


def _start(call: SectionCall) -> torch.Tensor:
    assert call.context.clean is not None
    return call.context.clean.latents[:, :, :1]


@pytest.fixture(scope="module")
def earlier(runtime: EngineRuntime, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A finished 1-section F1 video (video.mp4 and latents.safetensors) from a start image."""
    folder = tmp_path_factory.mktemp("earlier")
    rgb = np.zeros((HEIGHT, WIDTH, 3), dtype=np.uint8)
    rgb[10:35, 15:45] = (40, 160, 220)
    Image.fromarray(rgb).save(folder / "start.png")
    plan = _plan(folder, input_image_path=str(folder / "start.png"), width=WIDTH, height=HEIGHT)
    _run(runtime, plan)
    return folder


def _stored(earlier: Path) -> dict[str, Any]:
    return {
        "source": "job-1",
        "video_path": str(earlier / "video.mp4"),
        "latents_path": str(earlier / "latents.safetensors"),
    }


def test_a_continued_video_appends_to_the_stored_history(
    runtime: EngineRuntime, tmp_path: Path, earlier: Path, sections: list[SectionCall]
) -> None:
    stored = _history(earlier)  # (1, 16, 19 + 10, h, w)
    earlier_frames = _frame_count(str(earlier / "video.mp4"))
    outcome = _run(runtime, _plan(tmp_path, seconds=2.4, continuation=_stored(earlier)))
    first, second = sections
    # The first new section's context is the stored history's last 19 frames, and its start
    # slot the earlier video's first latent (its start image).
    torch.testing.assert_close(_context_frames(first), stored[:, :, -CONTEXT_FRAMES:])
    torch.testing.assert_close(_start(first), stored[:, :, CONTEXT_FRAMES : CONTEXT_FRAMES + 1])
    torch.testing.assert_close(_start(second), _start(first))
    # The joined history is the stored one, then each new section's latents.
    joined = _history(tmp_path)
    expected = torch.cat([stored, first.latents.float(), second.latents.float()], dim=2)
    torch.testing.assert_close(joined, expected)
    # The joined MP4 is the earlier one plus 4*lws frames per new section.
    video = outcome.files[0]
    assert video["frames"] == earlier_frames + 2 * SECTION_FRAMES
    assert _frame_count(video["path"]) == video["frames"]
    assert (video["width"], video["height"]) == (WIDTH, HEIGHT)
    assert outcome.metadata["continued_from"] == "job-1"
    assert outcome.metadata["frames_before"] == earlier_frames
    assert outcome.metadata["frames_added"] == 2 * SECTION_FRAMES
    with av.open(video["path"]) as container:
        assert "Continued from: job-1" in str(container.metadata["comment"])


def test_a_base_video_continues_with_f1(
    runtime: EngineRuntime, tmp_path: Path, earlier: Path, sections: list[SectionCall]
) -> None:
    base = tmp_path / "base"
    plan = _plan(
        base,
        input_image_path=str(earlier / "start.png"),
        width=WIDTH,
        height=HEIGHT,
        transformer="base",
    )
    base_frames = _run(runtime, plan).files[0]["frames"]
    stored = _history(base)  # (1, 16, 1 + 9 + 19, h, w): start, section, zero tail
    continuation = {
        "source": "job-base",
        "video_path": str(base / "video.mp4"),
        "latents_path": str(base / "latents.safetensors"),
    }
    outcome = _run(runtime, _plan(tmp_path / "on", continuation=continuation))
    latents = stored[:, :, :-CONTEXT_FRAMES]  # the base video's latents in time order
    expected = torch.cat([torch.zeros_like(stored[:, :, :CONTEXT_FRAMES]), latents], dim=2)
    continued = sections[-1]
    torch.testing.assert_close(_context_frames(continued), expected[:, :, -CONTEXT_FRAMES:])
    torch.testing.assert_close(_start(continued), latents[:, :, :1])
    assert outcome.files[0]["frames"] == base_frames + SECTION_FRAMES


def _write_foreign(path: Path, frames: int) -> Path:
    """A foreign MP4 of 80x48 frames (another aspect than the output's), a square moving right."""
    video = np.zeros((frames, 48, 80, 3), dtype=np.uint8)
    for index in range(frames):
        video[index, 10:30, index % 40 : index % 40 + 20] = (200, 80, 40)
    write_mp4(video, path)
    return path


@pytest.mark.parametrize(("frames", "latents"), [(30, 7), (120, MAX_ENCODED_LATENTS)])
def test_an_uploaded_video_is_encoded_from_its_last_frames(
    runtime: EngineRuntime,
    tmp_path: Path,
    sections: list[SectionCall],
    frames: int,
    latents: int,
) -> None:
    upload = _write_foreign(tmp_path / "upload.mp4", frames)
    continuation = {"source": "upload", "video_path": str(upload), "latents_path": None}
    plan = _plan(tmp_path / "out", width=WIDTH, height=HEIGHT, continuation=continuation)
    outcome = _run(runtime, plan)
    # 30 frames: the last 28 (a multiple of 4) give 7 latents; 120: the last 108 give 27.
    joined = _history(tmp_path / "out")
    assert joined.shape[2] == CONTEXT_FRAMES + latents + LWS
    assert torch.count_nonzero(joined[:, :, :CONTEXT_FRAMES]) == 0
    encoded = joined[:, :, : CONTEXT_FRAMES + latents]
    # They are the encoding of the last 4K frames as the engine reads them, fitted.
    tail = [fit_image(frame, WIDTH, HEIGHT) for frame in _decoded(upload)[-4 * latents :]]
    with torch.inference_mode():
        expected = encode_frames(runtime, tail)
    torch.testing.assert_close(encoded[:, :, CONTEXT_FRAMES:], expected)
    (first,) = sections
    torch.testing.assert_close(_context_frames(first), encoded[:, :, -CONTEXT_FRAMES:])
    # The anchor is the last encoded latent (FramePack-Studio's Video F1).
    torch.testing.assert_close(_start(first), encoded[:, :, -1:])
    video = outcome.files[0]
    assert (video["width"], video["height"]) == (WIDTH, HEIGHT)
    assert video["frames"] == frames + SECTION_FRAMES
    assert outcome.metadata["continued_from"] == "upload"


def test_video_latents_drop_the_zero_context_of_either_model() -> None:
    history = torch.arange(30, dtype=torch.float32).view(1, 1, 30, 1, 1)
    assert video_latents(history, "forward")[0, 0, :, 0, 0].tolist() == list(range(19, 30))
    assert video_latents(history, "reverse")[0, 0, :, 0, 0].tolist() == list(range(11))


def test_refusals_name_the_plan_field(
    runtime: EngineRuntime, tmp_path: Path, earlier: Path
) -> None:
    with pytest.raises(PlanError, match=r"plan\.continuation"):
        _run(runtime, _plan(tmp_path, transformer="base", continuation=_stored(earlier)))
    with pytest.raises(PlanError, match=r"plan\.input_image_path"):
        _run(runtime, _plan(tmp_path, width=WIDTH, height=HEIGHT))
    with pytest.raises(PlanError, match=r"plan\.width"):
        _run(runtime, _plan(tmp_path, width=64, height=96, continuation=_stored(earlier)))
    not_video = tmp_path / "not-video.mp4"
    not_video.write_bytes(b"\x00\x00\x00\x18ftypmp42 but nothing else")
    bad = {"source": "upload", "video_path": str(not_video), "latents_path": None}
    with pytest.raises(PlanError, match=r"plan\.continuation\.video_path"):
        _run(runtime, _plan(tmp_path, width=WIDTH, height=HEIGHT, continuation=bad))
