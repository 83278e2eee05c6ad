"""UniPC multistep solver (variant bh1) for flow matching, as FramePack samples.

The solver works in the log-SNR-like variable lambda = -log(sigma) on x0 predictions:
each step makes one model call, predicts with up to `order` previous x0 estimates and
corrects with the new one. It returns the last x0 prediction; there is no final
model call at sigma 0.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import torch

# x0 prediction of the model at (x, sigma): (B, C, T, H, W), (B,) -> (B, C, T, H, W)
Denoiser = Callable[[torch.Tensor, torch.Tensor], torch.Tensor]


@dataclass(frozen=True)
class StepInfo:
    index: int  # 0-based step that has just finished
    total: int
    x: torch.Tensor  # current sample
    denoised: torch.Tensor  # latest x0 prediction


StepCallback = Callable[[StepInfo], None]


def sample_unipc(
    denoise: Denoiser,
    noise: torch.Tensor,
    sigmas: torch.Tensor,
    callback: StepCallback | None = None,
) -> torch.Tensor:
    """Integrates from `noise` at sigmas[0] = 1 along `sigmas` (steps + 1 values)."""
    steps = len(sigmas) - 1
    order = min(3, steps - 1) if steps > 1 else 1
    x = noise
    batch = noise.shape[0]
    x0_history: list[torch.Tensor] = []
    sigma_history: list[torch.Tensor] = []
    for i in range(steps):
        sigma = sigmas[i].to(noise.device).expand(batch)  # (B,)
        if i == 0:
            x0 = denoise(x, sigma)
        else:
            x, x0 = _update(denoise, x, x0_history, sigma_history, sigma, min(i, order))
        x0_history = [*x0_history, x0][-order:]
        sigma_history = [*sigma_history, sigma][-order:]
        if callback is not None:
            callback(StepInfo(index=i, total=steps, x=x, denoised=x0))
    return x0_history[-1]


def _update(
    denoise: Denoiser,
    x: torch.Tensor,
    x0_history: list[torch.Tensor],
    sigma_history: list[torch.Tensor],
    sigma: torch.Tensor,
    order: int,
) -> tuple[torch.Tensor, torch.Tensor]:
    """One predictor-corrector step from sigma_history[-1] to sigma; returns (x, x0 at sigma)."""
    sigma_prev = sigma_history[-1]
    x0_prev = x0_history[-1]
    lambda_prev = -torch.log(sigma_prev)
    h = -torch.log(sigma) - lambda_prev  # (B,)

    # Ratios of earlier steps' lambda offsets, and the matching x0 differences.
    ratios: list[torch.Tensor] = []
    differences: list[torch.Tensor] = []
    for k in range(1, order):
        ratio = ((-torch.log(sigma_history[-(k + 1)]) - lambda_prev) / h)[0]
        ratios.append(ratio)
        differences.append((x0_history[-(k + 1)] - x0_prev) / ratio)
    ratios.append(torch.ones((), device=x.device))
    r = torch.stack(ratios).to(x.device)

    hh = -h[0]
    h_phi_1 = torch.expm1(hh)
    b_h = hh  # bh1
    powers, coefficients = [], []
    h_phi_k = h_phi_1 / hh - 1
    factorial = 1
    for k in range(1, order + 1):
        powers.append(torch.pow(r, k - 1))
        coefficients.append(h_phi_k * factorial / b_h)
        factorial *= k + 1
        h_phi_k = h_phi_k / hh - 1 / factorial
    system = torch.stack(powers)
    rhs = torch.stack(coefficients)

    x_base = _per_sample(sigma / sigma_prev, x) * x - h_phi_1 * x0_prev
    if differences:
        stacked = torch.stack(differences, dim=1)  # (B, order-1, C, T, H, W)
        rhos_p = (
            torch.tensor([0.5], device=x.device)
            if order == 2
            else torch.linalg.solve(system[:-1, :-1], rhs[:-1])
        )
        x_pred = x_base - b_h * torch.tensordot(stacked, rhos_p.to(x.dtype), dims=([1], [0]))
    else:
        x_pred = x_base

    x0 = denoise(x_pred, sigma)

    rhos_c = torch.tensor([0.5], device=x.device) if order == 1 else torch.linalg.solve(system, rhs)
    correction = rhos_c[-1] * (x0 - x0_prev)
    if differences:
        correction = correction + torch.tensordot(stacked, rhos_c[:-1].to(x.dtype), dims=([1], [0]))
    return x_base - b_h * correction, x0


def _per_sample(values: torch.Tensor, like: torch.Tensor) -> torch.Tensor:
    """(B,) -> (B, 1, ..., 1) to broadcast over a sample's dimensions."""
    return values.reshape(-1, *([1] * (like.dim() - 1))).to(like.dtype)
