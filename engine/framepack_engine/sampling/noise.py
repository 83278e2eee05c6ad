"""Initial noise: one CPU generator per image, so a batch equals its singles on any device."""

from __future__ import annotations

from collections.abc import Sequence

import torch

from framepack_engine.conditioning.image import LATENT_CHANNELS


def seeded_noise(
    seeds: Sequence[int], frames: int, latent_height: int, latent_width: int, device: torch.device
) -> torch.Tensor:
    """(B, 16, T, H/8, W/8) float32, sample b drawn from a generator seeded with seeds[b]."""
    samples = [
        torch.randn(
            (1, LATENT_CHANNELS, frames, latent_height, latent_width),
            generator=torch.Generator("cpu").manual_seed(seed),
            dtype=torch.float32,
        )
        for seed in seeds
    ]
    return torch.cat(samples).to(device)


def generator_noise(
    generator: torch.Generator,
    frames: int,
    latent_height: int,
    latent_width: int,
    device: torch.device,
) -> torch.Tensor:
    """(1, 16, T, H/8, W/8) float32 drawn next from a running CPU generator (video sections)."""
    shape = (1, LATENT_CHANNELS, frames, latent_height, latent_width)
    return torch.randn(shape, generator=generator, dtype=torch.float32).to(device)
