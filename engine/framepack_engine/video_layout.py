"""Section and frame-index layouts of FramePack video generation (docs/framepack.md §3, §7).

A video is generated in sections of ``latent_window_size`` (lws) latent frames. Each section
is sampled with "clean" context latents at three compressions (1x, 2x, 4x) taken from the
latent history; the frame indices handed to the transformer place the noisy window and the
context on one time axis for RoPE. Everything here is pure tensor bookkeeping, no model.

Two orders, read from lllyasviel/FramePack (demo_gradio.py and demo_gradio_f1.py):

- base model, "inverted anti-drifting": the video is generated from its end back to its start.
  Every section sees the input image's latent at index 0 and the already generated *future*
  frames after its noisy window; new latents are prepended to the history.
- F1, forward: every section sees the input image's latent at index 0 and the most recent
  history *before* its noisy window; new latents are appended.

In both, the history starts with ``CONTEXT_FRAMES`` zero frames that stand in for missing
context; they stay at the far end of the history (the tail for base, the head for F1) and are
never decoded.

Shapes: latents are (B, C, T, h, w) with C = 16 latent channels, h = H/8, w = W/8.
"""

from __future__ import annotations

from dataclasses import dataclass

import torch

from framepack_engine.conditioning.image import VAE_TIME_STRIDE

# Context frames per compression; together the zero history both orders start from.
HISTORY_1X_FRAMES = 1
HISTORY_2X_FRAMES = 2
HISTORY_4X_FRAMES = 16
CONTEXT_FRAMES = HISTORY_1X_FRAMES + HISTORY_2X_FRAMES + HISTORY_4X_FRAMES  # 19

VIDEO_FPS = 30


@dataclass(frozen=True)
class SectionIndices:
    """1-D int64 frame indices of one section, as the transformer's RoPE takes them."""

    latents: torch.Tensor  # (lws,) the noisy window
    clean: torch.Tensor  # (2,) the start latent, then the 1x context frame
    history_2x: torch.Tensor  # (2,)
    history_4x: torch.Tensor  # (16,)


@dataclass(frozen=True)
class SectionContext:
    """The clean context latents of one section, matching SectionIndices group by group."""

    clean: torch.Tensor  # (B, C, 2, h, w) start latent, 1x context frame
    history_2x: torch.Tensor  # (B, C, 2, h, w)
    history_4x: torch.Tensor  # (B, C, 16, h, w)


def section_count(seconds: float, latent_window_size: int, fps: int = VIDEO_FPS) -> int:
    """Sections for a video of `seconds`: max(round(seconds * fps / (4 * lws)), 1).

    Python's round() (ties to even) as in the reference, so 4.5 sections round to 4.
    """
    _check_window(latent_window_size)
    return max(round(seconds * fps / (VAE_TIME_STRIDE * latent_window_size)), 1)


def base_paddings(n_sections: int) -> list[int]:
    """Blank-gap sizes (in windows) of the base model's sections, in generation order.

    n-1 ... 0; above 4 sections the reference repeats 2 instead of counting down from n-1,
    which it found to look better than ever wider gaps: [3] + [2] * (n-3) + [1, 0].
    The last section always has padding 0 and is the one that reaches the start frame.
    """
    if n_sections < 1:
        raise ValueError(f"n_sections must be >= 1, got {n_sections}")
    if n_sections > 4:
        return [3] + [2] * (n_sections - 3) + [1, 0]
    return list(range(n_sections - 1, -1, -1))


def base_section_indices(padding: int, latent_window_size: int) -> SectionIndices:
    """Base model indices: 0 .. (1 + lws*p + lws + 1 + 2 + 16) - 1 cut into
    [start 1 | blank lws*p | noisy lws | post 1 | 2x 2 | 4x 16].

    The blank gap places the window `padding` windows after the start frame, in front of the
    already generated future frames (post, 2x, 4x).
    """
    _check_window(latent_window_size)
    if padding < 0:
        raise ValueError(f"padding must be >= 0, got {padding}")
    start, _blank, noisy, post, history_2x, history_4x = _consecutive_ranges(
        1,
        padding * latent_window_size,
        latent_window_size,
        HISTORY_1X_FRAMES,
        HISTORY_2X_FRAMES,
        HISTORY_4X_FRAMES,
    )
    return SectionIndices(
        latents=noisy,
        clean=torch.cat([start, post]),
        history_2x=history_2x,
        history_4x=history_4x,
    )


def f1_section_indices(latent_window_size: int) -> SectionIndices:
    """F1 indices: 0 .. (1 + 16 + 2 + 1 + lws) - 1 cut into [start | 4x | 2x | 1x | noisy].

    The same for every section: the context is the recent past, just before the window.
    """
    _check_window(latent_window_size)
    start, history_4x, history_2x, history_1x, noisy = _consecutive_ranges(
        1, HISTORY_4X_FRAMES, HISTORY_2X_FRAMES, HISTORY_1X_FRAMES, latent_window_size
    )
    return SectionIndices(
        latents=noisy,
        clean=torch.cat([start, history_1x]),
        history_2x=history_2x,
        history_4x=history_4x,
    )


def initial_base_history(start_latent: torch.Tensor) -> torch.Tensor:
    """(B, C, 1, h, w) -> zeros (B, C, 19, h, w): no future frames exist yet.

    Float32 like the reference, whatever the sampler's dtype: the context keeps full precision.
    """
    return _zero_context(start_latent)


def base_section_context(history: torch.Tensor, start_latent: torch.Tensor) -> SectionContext:
    """Context from the head of the history (the nearest future frames): 1x, 2x, 4x in order.

    history: (B, C, T_hist, h, w) as built by prepend_section; start_latent: (B, C, 1, h, w).
    """
    _check_history(history)
    post, history_2x, history_4x = torch.split(
        history[:, :, :CONTEXT_FRAMES],
        [HISTORY_1X_FRAMES, HISTORY_2X_FRAMES, HISTORY_4X_FRAMES],
        dim=2,
    )
    clean = torch.cat([start_latent.to(history), post], dim=2)  # (B, C, 2, h, w)
    return SectionContext(clean=clean, history_2x=history_2x, history_4x=history_4x)


def prepend_section(
    history: torch.Tensor,
    section_latents: torch.Tensor,
    is_last: bool,
    start_latent: torch.Tensor,
) -> torch.Tensor:
    """(B, C, T_hist, h, w) + (B, C, lws, h, w) -> (B, C, T_hist + lws [+ 1], h, w).

    The base model generates backwards, so new latents go in front. The last section (padding
    0) also puts the start latent in front: the video then opens on the input image itself.
    """
    new_frames = [start_latent, section_latents] if is_last else [section_latents]
    return torch.cat([frames.to(history) for frames in [*new_frames, history]], dim=2)


def base_latents_to_decode(
    history: torch.Tensor, latent_window_size: int, is_first: bool, is_last: bool
) -> torch.Tensor:
    """The latents the reference VAE-decodes after a base section (from the history's head).

    First section: all generated latents (lws, or lws + 1 when it is also the last).
    Later: the new section plus the previous one, 2*lws latents (2*lws + 1 with the start
    latent on the last section); their decode ends on the overlap_pixel_frames() frames that
    are cross-faded into the video decoded so far.
    """
    generated = history[:, :, : history.shape[2] - CONTEXT_FRAMES]  # drop the zero tail
    if is_first:
        return generated
    return generated[:, :, : 2 * latent_window_size + int(is_last)]


def initial_f1_history(start_latent: torch.Tensor) -> torch.Tensor:
    """(B, C, K, h, w) -> (B, C, 19 + K, h, w): 19 zero frames of missing past, then the
    start latent (K = 1), or a continued video's latents (§7.10).

    Float32 like the reference, whatever the sampler's dtype: the context keeps full precision.
    """
    return torch.cat([_zero_context(start_latent), start_latent.float()], dim=2)


def f1_section_context(history: torch.Tensor, start_latent: torch.Tensor) -> SectionContext:
    """Context from the tail of the history (the most recent past): 4x, 2x, 1x in time order.

    history: (B, C, T_hist, h, w) as built by append_section; start_latent: (B, C, 1, h, w).
    """
    _check_history(history)
    history_4x, history_2x, recent = torch.split(
        history[:, :, -CONTEXT_FRAMES:],
        [HISTORY_4X_FRAMES, HISTORY_2X_FRAMES, HISTORY_1X_FRAMES],
        dim=2,
    )
    clean = torch.cat([start_latent.to(history), recent], dim=2)  # (B, C, 2, h, w)
    return SectionContext(clean=clean, history_2x=history_2x, history_4x=history_4x)


def append_section(history: torch.Tensor, section_latents: torch.Tensor) -> torch.Tensor:
    """(B, C, T_hist, h, w) + (B, C, lws, h, w) -> (B, C, T_hist + lws, h, w): F1 appends."""
    return torch.cat([history, section_latents.to(history)], dim=2)


def f1_latents_to_decode(
    history: torch.Tensor, latent_window_size: int, is_first: bool
) -> torch.Tensor:
    """The latents the reference VAE-decodes after an F1 section (from the history's tail).

    First section: the start latent and the new section, lws + 1 latents. Later: the last
    2*lws latents, whose decode starts with the overlap_pixel_frames() frames cross-faded
    onto the end of the video decoded so far.
    """
    generated = history[:, :, CONTEXT_FRAMES:]  # drop the zero head
    if is_first:
        return generated
    return generated[:, :, -2 * latent_window_size :]


def f1_overlap_frames(decoded_frames: int, latent_window_size: int) -> int:
    """Frames an F1 decode after the first shares with the video so far: all but the 4*lws
    frames of its new window. 4*lws - 3 for 2*lws latents (overlap_pixel_frames); fewer when
    a continued video brings fewer than lws latents (§7.10)."""
    return decoded_frames - VAE_TIME_STRIDE * latent_window_size


def pixel_frame_count(latent_frames: int) -> int:
    """Pixel frames the VAE decodes from `latent_frames` latents: 4T - 3."""
    return VAE_TIME_STRIDE * latent_frames - 3


def overlap_pixel_frames(latent_window_size: int) -> int:
    """Pixel frames two consecutive section decodes share and cross-fade: 4*lws - 3."""
    return pixel_frame_count(latent_window_size)


def expected_frame_count(seconds: float, latent_window_size: int, fps: int = VIDEO_FPS) -> int:
    """Pixel frames of the finished video, base and F1 alike: 4 * (n*lws + 1) - 3.

    Both end up with n*lws generated latents plus the start latent (base prepends it on the
    last section, F1 starts from it), and the section-wise decode with cross-fades yields
    exactly the frames of decoding them all at once: the first decode gives 4*(lws[+1]) - 3
    frames and every later one adds 4*lws (4*lws + 4 on base's last section, which carries the
    start latent).
    """
    generated_latents = section_count(seconds, latent_window_size, fps) * latent_window_size + 1
    return pixel_frame_count(generated_latents)


def _consecutive_ranges(*lengths: int) -> list[torch.Tensor]:
    """arange(0, sum(lengths)) cut into consecutive 1-D int64 pieces of the given lengths."""
    return list(torch.split(torch.arange(sum(lengths), dtype=torch.long), list(lengths)))


def _zero_context(start_latent: torch.Tensor) -> torch.Tensor:
    batch, channels, _, height, width = start_latent.shape
    return torch.zeros(
        (batch, channels, CONTEXT_FRAMES, height, width),
        dtype=torch.float32,
        device=start_latent.device,
    )


def _check_window(latent_window_size: int) -> None:
    if latent_window_size < 1:
        raise ValueError(f"latent_window_size must be >= 1, got {latent_window_size}")


def _check_history(history: torch.Tensor) -> None:
    if history.ndim != 5 or history.shape[2] < CONTEXT_FRAMES:
        raise ValueError(
            f"history must be (B, C, T>={CONTEXT_FRAMES}, h, w), got {tuple(history.shape)}"
        )


def time_order_index(generation_index: int, n_sections: int, forward: bool) -> int:
    """The time-order index (0 = the video's first seconds) of a section in generation order.

    F1 generates in time order; the base model generates the last section first.
    """
    return generation_index if forward else n_sections - 1 - generation_index


def prompt_section_seconds(latent_window_size: int, fps: int = VIDEO_FPS) -> float:
    """The grid section prompts snap to: (4*lws - 3) / fps seconds (1.1 s at lws 9)."""
    _check_window(latent_window_size)
    return pixel_frame_count(latent_window_size) / fps


@dataclass(frozen=True)
class PromptMix:
    """The prompt of one section: prompt `first`, blended towards `second` by `alpha`.

    Prompt 0 is the plan's main prompt, j >= 1 the j-th section prompt.
    """

    first: int
    second: int
    alpha: float  # the weight of `second`; 0 = `first` alone


def section_prompt_mixes(
    n_sections: int, latent_window_size: int, starts: list[float], blend_sections: int
) -> list[PromptMix]:
    """One PromptMix per section in time order.

    A section prompt starting at `s` seconds takes over from time-order section
    round(s / prompt_section_seconds(lws)) on (a later prompt snapping to the same section
    wins). With `blend_sections` B > 0, the B sections i before a change at section c blend
    linearly towards the new prompt, alpha = (i - (c - B) + 1) / B.
    """
    step = prompt_section_seconds(latent_window_size)
    governing = [0] * n_sections
    for number, start in enumerate(starts, start=1):
        first_section = round(start / step)
        for section in range(min(first_section, n_sections), n_sections):
            governing[section] = number
    mixes = [PromptMix(prompt, prompt, 0.0) for prompt in governing]
    if blend_sections < 1:
        return mixes
    for change in range(1, n_sections):
        before, after = governing[change - 1], governing[change]
        if before == after:
            continue
        for section in range(max(change - blend_sections, 0), change):
            if governing[section] != before:
                continue  # an earlier change inside the window keeps its own prompt
            alpha = (section - (change - blend_sections) + 1) / blend_sections
            mixes[section] = PromptMix(before, after, alpha)
    return mixes
