"""A spy on the video plan's sampler: what each section was given, and what it sampled."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
import torch

import framepack_engine.plans.video as video_plan
import framepack_engine.sampling.sampler as sampler
from framepack_engine.transformer_forward import Conditioning, FrameContext


@dataclass
class SectionCall:
    positive: Conditioning
    context: FrameContext
    latents: torch.Tensor  # what the section sampled, (1, 16, lws, h, w)


def spy_on_sections(monkeypatch: pytest.MonkeyPatch) -> list[SectionCall]:
    """Records every section the video plan samples, in generation order, while patched."""
    calls: list[SectionCall] = []
    real = sampler.sample_latents

    def spy(
        transformer: Any, positive: Any, negative: Any, context: FrameContext, *rest: Any
    ) -> Any:
        latents = real(transformer, positive, negative, context, *rest)
        calls.append(SectionCall(positive, context, latents))
        return latents

    monkeypatch.setattr(video_plan, "sample_latents", spy)
    return calls
