"""The shifted flow-matching sigma schedule (docs/framepack.md §5)."""

from __future__ import annotations

import math

import torch

# mu grows linearly with the token count between these two points, then is capped.
_SEQ_LOW, _MU_LOW = 256, 0.5
_SEQ_HIGH, _MU_HIGH = 4096, 1.15
MAX_SHIFT = 7.0


def latent_sequence_length(frames: int, latent_height: int, latent_width: int) -> int:
    """Transformer tokens of the noisy latents: the 2x2 patch makes 4 latent pixels one token."""
    return frames * latent_height * latent_width // 4


def dynamic_mu(sequence_length: int) -> float:
    slope = (_MU_HIGH - _MU_LOW) / (_SEQ_HIGH - _SEQ_LOW)
    mu = _MU_LOW + slope * (sequence_length - _SEQ_LOW)
    return min(mu, math.log(MAX_SHIFT))


def schedule_mu(sequence_length: int, shift: float | None) -> float:
    """mu of the time shift: dynamic from the token count, or ln(shift) when one is given."""
    return dynamic_mu(sequence_length) if shift is None else math.log(shift)


def shifted_sigmas(steps: int, mu: float) -> torch.Tensor:
    """(steps + 1,) float32 from 1 down to 0: s' = e^mu / (e^mu + 1/s - 1)."""
    sigmas = torch.linspace(1.0, 0.0, steps + 1, dtype=torch.float64)
    shifted = math.exp(mu) / (math.exp(mu) + (1.0 / sigmas - 1.0))  # 1/0 = inf gives 0
    return shifted.to(torch.float32)
