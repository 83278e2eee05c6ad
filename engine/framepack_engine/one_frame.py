"""One-frame inference: index layouts and the sampling of a batch of single frames.

Layouts (docs/framepack.md §8, §10) say where the one noisy frame sits and which clean
context frames the model sees; everything else is the ordinary FramePack sampler.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import torch

from framepack_engine.conditioning.text import PromptEmbeds
from framepack_engine.sampling.noise import seeded_noise
from framepack_engine.sampling.sampler import SamplerSettings, sample_latents
from framepack_engine.sampling.unipc import StepCallback
from framepack_engine.transformer_forward import (
    Conditioning,
    ContextGroup,
    FrameContext,
)
from framepack_engine.video_layout import (
    HISTORY_1X_FRAMES,
    HISTORY_2X_FRAMES,
    HISTORY_4X_FRAMES,
    base_section_indices,
)


def _indices(*values: int) -> torch.Tensor:
    return torch.tensor(values, dtype=torch.long)


def one_frame_context(
    clean_latents: torch.Tensor,  # (B, 16, N, H/8, W/8): the input latent, or 1f-mc controls
    latent_window_size: int,
    target_index: int,
    no_2x: bool,
    no_4x: bool,
    no_post: bool,
    *,
    clean_indices: Sequence[int] = (0,),
) -> FrameContext:
    """The base model's first-section layout (padding 0) with one noisy frame at target_index.

    The clean frames at their indices (the input at 0; 1f-mc controls at theirs, docs/
    framepack.md §11); zero post / 2x / 4x frames after the window, unless dropped.
    """
    if clean_latents.shape[2] != len(clean_indices):
        raise ValueError(f"{clean_latents.shape[2]} clean frames for {len(clean_indices)} indices")
    indices = base_section_indices(0, latent_window_size)
    clean = ContextGroup(clean_latents, _indices(*clean_indices))
    if not no_post:
        post = _zero_frames(clean_latents, HISTORY_1X_FRAMES)
        clean = ContextGroup(
            torch.cat([clean_latents, post], dim=2),
            torch.cat([clean.indices, indices.clean[1:]]),  # clean indices are (start, post)
        )
    history_2x = None
    if not no_2x:
        history_2x = ContextGroup(
            _zero_frames(clean_latents, HISTORY_2X_FRAMES), indices.history_2x
        )
    history_4x = None
    if not no_4x:
        history_4x = ContextGroup(
            _zero_frames(clean_latents, HISTORY_4X_FRAMES), indices.history_4x
        )
    return FrameContext(
        noisy_indices=_indices(target_index),
        clean=clean,
        history_2x=history_2x,
        history_4x=history_4x,
    )


def _zero_frames(latent: torch.Tensor, frames: int) -> torch.Tensor:
    """(B, C, T, h, w) -> zeros (B, C, frames, h, w) of the same dtype and device."""
    batch, channels, _, height, width = latent.shape
    return latent.new_zeros((batch, channels, frames, height, width))


def transfer_context(
    target_latent: torch.Tensor,  # (B, 16, 1, H/8, W/8), already masked
    source_latent: torch.Tensor,  # (B, 16, 1, H/8, W/8), already masked and scaled
    target_index: int,
    control_index: int,
) -> FrameContext:
    """Kisekaeichi: target at 0, the reference at control_index, no 2x / 4x / post."""
    clean = ContextGroup(
        torch.cat([target_latent, source_latent], dim=2), _indices(0, control_index)
    )
    return FrameContext(noisy_indices=_indices(target_index), clean=clean)


def stack_conditioning(embeds: Sequence[PromptEmbeds], image: torch.Tensor) -> Conditioning:
    """Per-sample prompt embeddings and SigLIP tokens (B, 729, D) as one batch."""
    return Conditioning(
        text=torch.cat([e.llama for e in embeds]),  # (B, 512, D_text)
        text_mask=torch.cat([e.llama_mask for e in embeds]),  # (B, 512)
        pooled=torch.cat([e.clip_pooled for e in embeds]),  # (B, P)
        image=image,
    )


def sample_frames(
    transformer: Any,
    positive: Conditioning,
    negative: Conditioning | None,
    context: FrameContext,
    seeds: Sequence[int],
    latent_size: tuple[int, int],
    settings: SamplerSettings,
    on_step: StepCallback | None = None,
) -> torch.Tensor:
    """Samples one latent frame per seed: (B, 16, 1, H/8, W/8) float32 x0."""
    noise = seeded_noise(seeds, 1, *latent_size, positive.text.device)
    return sample_latents(transformer, positive, negative, context, noise, settings, on_step)
