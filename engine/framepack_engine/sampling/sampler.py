"""One sampling run: noise in, x0 latents out, for any frame count and context."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import torch

from framepack_engine.block_cache import BlockCache, CacheKind
from framepack_engine.magcache import MagCache
from framepack_engine.protocol_types import SamplingSettings
from framepack_engine.sampling.guidance import make_denoiser
from framepack_engine.sampling.schedule import latent_sequence_length, schedule_mu, shifted_sigmas
from framepack_engine.sampling.unipc import StepCallback, sample_unipc
from framepack_engine.teacache import TeaCache
from framepack_engine.transformer_forward import Conditioning, FrameContext


@dataclass(frozen=True)
class SamplerSettings:
    steps: int
    cfg: float
    gs: float
    rs: float
    shift: float | None

    @staticmethod
    def from_plan(plan: SamplingSettings) -> SamplerSettings:
        return SamplerSettings(plan["steps"], plan["cfg"], plan["gs"], plan["rs"], plan["shift"])


def block_caches(
    kind: CacheKind, steps: int, transformer: str
) -> tuple[BlockCache, BlockCache] | None:
    """Fresh block-cache state for one sampling run (positive, negative branch); None: off."""
    if kind == "teacache":
        return TeaCache(steps), TeaCache(steps)
    if kind == "magcache":
        return MagCache(steps, transformer), MagCache(steps, transformer)
    return None


def sample_latents(
    transformer: Any,
    positive: Conditioning,
    negative: Conditioning | None,
    context: FrameContext,
    noise: torch.Tensor,  # (B, 16, T, H/8, W/8) float32
    settings: SamplerSettings,
    on_step: StepCallback | None = None,
    caches: tuple[BlockCache, BlockCache] | None = None,
) -> torch.Tensor:
    """x0 of the noisy frames (B, 16, T, H/8, W/8) float32; the negative is used iff cfg > 1."""
    _, _, frames, height, width = noise.shape
    mu = schedule_mu(latent_sequence_length(frames, height, width), settings.shift)
    denoise = make_denoiser(
        transformer,
        positive,
        negative if settings.cfg > 1 else None,
        context.to(noise.device),
        settings.cfg,
        settings.rs,
        settings.gs,
        caches,
    )
    return sample_unipc(denoise, noise, shifted_sigmas(settings.steps, mu), on_step)
