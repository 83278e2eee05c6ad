"""Sampler numerics: the shift, the sigma schedule, UniPC convergence, guidance."""

from __future__ import annotations

import math

import pytest
import torch

from framepack_engine.sampling.guidance import rescale_guidance
from framepack_engine.sampling.noise import seeded_noise
from framepack_engine.sampling.schedule import (
    MAX_SHIFT,
    latent_sequence_length,
    schedule_mu,
    shifted_sigmas,
)
from framepack_engine.sampling.unipc import StepInfo, sample_unipc


def test_dynamic_shift_for_one_frame_at_640x608() -> None:
    seq = latent_sequence_length(1, 640 // 8, 608 // 8)
    assert seq == 1520
    mu = schedule_mu(seq, None)
    assert mu == pytest.approx(0.5 + 0.65 / 3840 * (1520 - 256))
    assert math.exp(mu) == pytest.approx(2.04, abs=0.01)


def test_long_windows_cap_the_shift_at_7() -> None:
    seq = latent_sequence_length(9, 640 // 8, 608 // 8)
    assert math.exp(schedule_mu(seq, None)) == pytest.approx(MAX_SHIFT)


def test_a_given_shift_is_used_as_is() -> None:
    assert schedule_mu(1520, 3.0) == pytest.approx(math.log(3.0))


def test_sigma_schedule() -> None:
    mu = 0.7
    sigmas = shifted_sigmas(4, mu)
    plain = torch.linspace(1, 0, 5, dtype=torch.float64)[1:-1]
    expected = math.exp(mu) / (math.exp(mu) + 1 / plain - 1)
    assert sigmas.shape == (5,)
    assert sigmas[0].item() == 1.0
    assert sigmas[-1].item() == 0.0
    torch.testing.assert_close(sigmas[1:-1], expected.float())
    assert bool((sigmas[1:] < sigmas[:-1]).all())


def _gaussian_denoiser(mean: float, std: float):  # type: ignore[no-untyped-def]
    """The exact x0 prediction E[x0 | x_sigma] for data ~ N(mean, std^2), x = (1-s) x0 + s eps."""

    def denoise(x: torch.Tensor, sigma: torch.Tensor) -> torch.Tensor:
        s = sigma.reshape(-1, 1, 1, 1, 1).double()
        variance = (1 - s) ** 2 * std**2 + s**2
        gain = (1 - s) * std**2 / variance
        return (mean + gain * (x.double() - (1 - s) * mean)).float()

    return denoise


def _exact_result(
    noise: torch.Tensor, sigmas: torch.Tensor, mean: float, std: float
) -> torch.Tensor:
    """What a perfect solver returns: the x0 prediction at the last sigma before 0 on the
    exact flow, which for Gaussian data is x_s = (1-s) mean + sqrt((1-s)^2 std^2 + s^2) eps."""
    s = float(sigmas[-2])
    spread = math.sqrt((1 - s) ** 2 * std**2 + s**2)
    return mean + (1 - s) * std**2 / spread * noise


def _solver_error(steps: int) -> float:
    mean, std = 0.3, 0.5
    noise = seeded_noise([0, 1], 1, 4, 4, torch.device("cpu"))
    sigmas = shifted_sigmas(steps, 0.7)
    result = sample_unipc(_gaussian_denoiser(mean, std), noise, sigmas)
    return (result - _exact_result(noise, sigmas, mean, std)).abs().max().item()


def test_unipc_converges_to_the_exact_flow_solution() -> None:
    """The error shrinks about quadratically with the step count, towards zero."""
    errors = [_solver_error(steps) for steps in (30, 100, 300)]
    assert errors[0] > errors[1] > errors[2]
    assert errors[1] < 1e-2
    assert errors[2] < 1e-3


def test_unipc_calls_the_model_once_per_step_and_reports_each() -> None:
    calls: list[float] = []
    seen: list[int] = []

    def denoise(x: torch.Tensor, sigma: torch.Tensor) -> torch.Tensor:
        calls.append(float(sigma[0]))
        return torch.zeros_like(x)

    def record(step: StepInfo) -> None:
        seen.append(step.index)

    sigmas = shifted_sigmas(6, 0.7)
    sample_unipc(denoise, torch.ones(1, 16, 1, 2, 2), sigmas, record)
    assert calls == pytest.approx(sigmas[:-1].tolist())
    assert seen == list(range(6))


def test_seeded_noise_is_per_image() -> None:
    cpu = torch.device("cpu")
    batch = seeded_noise([7, 8], 1, 3, 5, cpu)
    assert batch.shape == (2, 16, 1, 3, 5)
    torch.testing.assert_close(batch[1:], seeded_noise([8], 1, 3, 5, cpu), rtol=0, atol=0)


def test_rescale_zero_is_off_and_one_matches_the_positive_std() -> None:
    guided = torch.randn(2, 16, 1, 4, 4, generator=torch.Generator().manual_seed(0)) * 3
    positive = torch.randn(2, 16, 1, 4, 4, generator=torch.Generator().manual_seed(1))
    assert rescale_guidance(guided, positive, 0.0) is guided
    rescaled = rescale_guidance(guided, positive, 1.0)
    dims = [1, 2, 3, 4]
    torch.testing.assert_close(rescaled.std(dim=dims), positive.std(dim=dims))
