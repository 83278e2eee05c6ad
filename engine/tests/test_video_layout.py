"""Section counts, index layouts, history bookkeeping and frame counts (docs/framepack.md §7).

Pinned against lllyasviel/FramePack demo_gradio.py (base) and demo_gradio_f1.py (F1).
"""

from __future__ import annotations

import pytest
import torch

from framepack_engine.video_layout import (
    CONTEXT_FRAMES,
    SectionIndices,
    append_section,
    base_latents_to_decode,
    base_paddings,
    base_section_context,
    base_section_indices,
    expected_frame_count,
    f1_latents_to_decode,
    f1_section_context,
    f1_section_indices,
    initial_base_history,
    initial_f1_history,
    overlap_pixel_frames,
    pixel_frame_count,
    prepend_section,
    section_count,
)
from framepack_engine.video_output import soft_append_frames

LWS = 9
H, W = 2, 3  # latent size; small, the layout never looks inside a frame
START_VALUE = -1.0


def _frames(*values: float) -> torch.Tensor:
    """(1, 16, len(values), H, W), frame t filled with values[t]: latents that say who they are."""
    return (
        torch.tensor(values, dtype=torch.float32)
        .view(1, 1, -1, 1, 1)
        .expand(1, 16, -1, H, W)
        .clone()
    )


def _labels(latents: torch.Tensor) -> list[float]:
    """The per-frame fill values of latents made by _frames, in time order."""
    return [float(v) for v in latents[0, 0, :, 0, 0]]


def _range(start: int, stop: int) -> list[int]:
    return list(range(start, stop))


def _as_lists(indices: SectionIndices) -> dict[str, list[int]]:
    for group in (indices.latents, indices.clean, indices.history_2x, indices.history_4x):
        assert group.dtype == torch.long and group.ndim == 1
    return {
        "latents": indices.latents.tolist(),
        "clean": indices.clean.tolist(),
        "history_2x": indices.history_2x.tolist(),
        "history_4x": indices.history_4x.tolist(),
    }


@pytest.mark.parametrize(
    ("seconds", "lws", "fps", "sections"),
    [
        (1, 9, 30, 1),  # 30/36 = 0.83
        (5, 9, 30, 4),  # 150/36 = 4.17
        (0.1, 9, 30, 1),  # never below one section
        (10, 9, 30, 8),  # 300/36 = 8.33
        (60, 9, 30, 50),
        (1, 1, 18, 4),  # 4.5: ties go to even, as Python's round() in the reference
        (1, 1, 22, 6),  # 5.5
    ],
)
def test_section_count(seconds: float, lws: int, fps: int, sections: int) -> None:
    assert section_count(seconds, lws, fps) == sections


def test_section_count_rejects_empty_window() -> None:
    with pytest.raises(ValueError):
        section_count(5, 0)


@pytest.mark.parametrize(
    ("n_sections", "paddings"),
    [
        (1, [0]),
        (2, [1, 0]),
        (4, [3, 2, 1, 0]),
        (5, [3, 2, 2, 1, 0]),
        (7, [3, 2, 2, 2, 2, 1, 0]),
    ],
)
def test_base_paddings(n_sections: int, paddings: list[int]) -> None:
    assert base_paddings(n_sections) == paddings


def test_base_paddings_rejects_zero_sections() -> None:
    with pytest.raises(ValueError):
        base_paddings(0)


@pytest.mark.parametrize(
    ("padding", "expected"),
    [
        # first section of five: [start | blank 27 | noisy 9 | post | 2x | 4x]
        (
            3,
            {
                "latents": _range(28, 37),
                "clean": [0, 37],
                "history_2x": [38, 39],
                "history_4x": _range(40, 56),
            },
        ),
        # a middle section
        (
            2,
            {
                "latents": _range(19, 28),
                "clean": [0, 28],
                "history_2x": [29, 30],
                "history_4x": _range(31, 47),
            },
        ),
        # the last section: the window sits right after the start frame
        (
            0,
            {
                "latents": _range(1, 10),
                "clean": [0, 10],
                "history_2x": [11, 12],
                "history_4x": _range(13, 29),
            },
        ),
    ],
)
def test_base_section_indices(padding: int, expected: dict[str, list[int]]) -> None:
    assert _as_lists(base_section_indices(padding, LWS)) == expected


def test_f1_section_indices() -> None:
    # [start | 4x 16 | 2x 2 | 1x | noisy 9]
    assert _as_lists(f1_section_indices(LWS)) == {
        "latents": _range(20, 29),
        "clean": [0, 19],
        "history_2x": [17, 18],
        "history_4x": _range(1, 17),
    }


def test_base_history_and_context() -> None:
    start = _frames(START_VALUE)
    history = initial_base_history(start)
    assert history.shape == (1, 16, CONTEXT_FRAMES, H, W)
    assert history.dtype == torch.float32 and not history.any()

    first = base_section_context(history, start)
    assert _labels(first.clean) == [START_VALUE, 0]
    assert first.history_2x.shape == (1, 16, 2, H, W) and not first.history_2x.any()
    assert first.history_4x.shape == (1, 16, 16, H, W) and not first.history_4x.any()

    # Sections generate backwards: section 1 is frames 11..19 of the video, section 2 1..9.
    history = prepend_section(history, _frames(*range(11, 20)), is_last=False, start_latent=start)
    assert history.shape[2] == CONTEXT_FRAMES + LWS
    second = base_section_context(history, start)
    assert _labels(second.clean) == [START_VALUE, 11]  # start + the nearest future frame
    assert _labels(second.history_2x) == [12, 13]
    assert _labels(second.history_4x) == [*range(14, 20), *[0] * 10]

    history = prepend_section(history, _frames(*range(1, 10)), is_last=True, start_latent=start)
    # The last section also brings the start latent: the video opens on the input image.
    assert history.shape[2] == CONTEXT_FRAMES + 2 * LWS + 1
    assert _labels(history)[: 2 * LWS + 1] == [START_VALUE, *range(1, 10), *range(11, 20)]


def test_f1_history_and_context() -> None:
    start = _frames(START_VALUE)
    history = initial_f1_history(start)
    assert history.shape == (1, 16, CONTEXT_FRAMES + 1, H, W)
    assert _labels(history) == [*[0] * CONTEXT_FRAMES, START_VALUE]

    first = f1_section_context(history, start)
    assert _labels(first.clean) == [START_VALUE, START_VALUE]  # the latest frame is the start
    assert _labels(first.history_2x) == [0, 0]
    assert _labels(first.history_4x) == [0] * 16

    history = append_section(history, _frames(*range(1, 10)))
    assert history.shape[2] == CONTEXT_FRAMES + 1 + LWS
    second = f1_section_context(history, start)
    assert _labels(second.clean) == [START_VALUE, 9]  # start + the most recent frame
    assert _labels(second.history_2x) == [7, 8]
    assert _labels(second.history_4x) == [*[0] * 9, START_VALUE, *range(1, 7)]


def test_context_needs_a_full_history() -> None:
    start = _frames(START_VALUE)
    short = torch.zeros(1, 16, CONTEXT_FRAMES - 1, H, W)
    with pytest.raises(ValueError):
        base_section_context(short, start)
    with pytest.raises(ValueError):
        f1_section_context(short, start)


def test_pixel_arithmetic() -> None:
    assert pixel_frame_count(LWS) == 33
    assert pixel_frame_count(1) == 1
    assert overlap_pixel_frames(LWS) == 33


def _fake_decode(latents: torch.Tensor) -> torch.Tensor:
    """(1, 16, T, h, w) -> (1, 3, 4T - 3, 8h, 8w): the VAE's shapes, none of its work."""
    return torch.zeros(1, 3, pixel_frame_count(latents.shape[2]), 8 * H, 8 * W)


def _run_base(n_sections: int) -> tuple[list[int], int]:
    """Latents decoded per section and final pixel frames, following the base reference loop."""
    start = _frames(START_VALUE)
    history = initial_base_history(start)
    pixels: torch.Tensor | None = None
    decoded: list[int] = []
    for padding in base_paddings(n_sections):
        is_last = padding == 0
        history = prepend_section(history, torch.randn(1, 16, LWS, H, W), is_last, start)
        latents = base_latents_to_decode(history, LWS, is_first=pixels is None, is_last=is_last)
        decoded.append(latents.shape[2])
        pixels = soft_append_frames(
            pixels, _fake_decode(latents), overlap_pixel_frames(LWS), prepend=True
        )
    assert pixels is not None
    return decoded, pixels.shape[2]


def _run_f1(n_sections: int) -> tuple[list[int], int]:
    """Latents decoded per section and final pixel frames, following the F1 reference loop."""
    start = _frames(START_VALUE)
    history = initial_f1_history(start)
    pixels: torch.Tensor | None = None
    decoded: list[int] = []
    for _ in range(n_sections):
        history = append_section(history, torch.randn(1, 16, LWS, H, W))
        latents = f1_latents_to_decode(history, LWS, is_first=pixels is None)
        decoded.append(latents.shape[2])
        pixels = soft_append_frames(
            pixels, _fake_decode(latents), overlap_pixel_frames(LWS), prepend=False
        )
    assert pixels is not None
    return decoded, pixels.shape[2]


@pytest.mark.parametrize(
    ("n_sections", "base_decoded", "f1_decoded"),
    [
        (1, [10], [10]),
        (2, [9, 19], [10, 18]),
        (4, [9, 18, 18, 19], [10, 18, 18, 18]),
        (7, [9, 18, 18, 18, 18, 18, 19], [10, 18, 18, 18, 18, 18, 18]),
    ],
)
def test_section_decode_windows(
    n_sections: int, base_decoded: list[int], f1_decoded: list[int]
) -> None:
    frames = pixel_frame_count(n_sections * LWS + 1)
    assert _run_base(n_sections) == (base_decoded, frames)
    assert _run_f1(n_sections) == (f1_decoded, frames)


@pytest.mark.parametrize(("seconds", "frames"), [(1, 37), (5, 145), (10, 289)])
def test_expected_frame_count(seconds: float, frames: int) -> None:
    assert expected_frame_count(seconds, LWS) == frames
    n_sections = section_count(seconds, LWS)
    assert _run_base(n_sections)[1] == frames
    assert _run_f1(n_sections)[1] == frames
