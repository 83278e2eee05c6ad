"""The denoiser the solver calls: velocity from the transformer, guidance, x0."""

from __future__ import annotations

from typing import Any

import torch

from framepack_engine.block_cache import BlockCache
from framepack_engine.sampling.unipc import Denoiser
from framepack_engine.transformer_forward import Conditioning, FrameContext, framepack_forward


def rescale_guidance(guided: torch.Tensor, positive: torch.Tensor, rescale: float) -> torch.Tensor:
    """Pulls the guided prediction's per-sample std back towards the positive one's."""
    if rescale == 0:
        return guided
    dims = list(range(1, guided.dim()))
    matched = guided * (positive.std(dim=dims, keepdim=True) / guided.std(dim=dims, keepdim=True))
    return rescale * matched + (1 - rescale) * guided


def make_denoiser(
    model: Any,
    positive: Conditioning,
    negative: Conditioning | None,
    context: FrameContext,
    cfg: float,
    rescale: float,
    distilled_guidance: float,
    caches: tuple[BlockCache, BlockCache] | None = None,
) -> Denoiser:
    """x0 = x - sigma * v, with v guided by real CFG when a negative is given (cfg > 1).

    `caches` (positive branch, negative branch) turns a block cache on (§12).
    """
    positive_cache, negative_cache = caches or (None, None)

    def denoise(x: torch.Tensor, sigma: torch.Tensor) -> torch.Tensor:
        timestep = sigma * 1000.0  # (B,)
        guidance = torch.full_like(sigma, distilled_guidance * 1000.0)
        velocity = framepack_forward(
            model, x, timestep, guidance, positive, context, positive_cache
        )
        if negative is not None:
            negative_velocity = framepack_forward(
                model, x, timestep, guidance, negative, context, negative_cache
            )
            guided = negative_velocity + cfg * (velocity - negative_velocity)
            velocity = rescale_guidance(guided, velocity, rescale)
        return x - sigma.reshape(-1, 1, 1, 1, 1) * velocity

    return denoise
