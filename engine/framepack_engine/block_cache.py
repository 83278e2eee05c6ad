"""Skipping the transformer blocks on some sampling steps (docs/framepack.md §12).

A block cache decides per forward whether the blocks run. When they run it keeps the
residual they added to the tokens; when they are skipped that residual is added again.
TeaCache decides from how much the first block's input changed, MagCache from a table
of calibrated residual-magnitude ratios. Either changes results, so a video records
which one ran in its metadata.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Literal

import torch

CacheKind = Literal["teacache", "magcache", "none"]

# Returns the first block's modulated input; only TeaCache needs it, and computing it
# may move a streamed block onto the device, so it is passed as a callable.
ModulatedInputProbe = Callable[[], torch.Tensor]


class BlockCache:
    """One sampling run's state for one guidance branch (positive or negative)."""

    kind: CacheKind
    threshold: float

    def __init__(self, steps: int) -> None:
        self.steps = steps
        self.skipped = 0
        self._calls = 0
        self._residual: torch.Tensor | None = None

    def should_compute(self, probe: ModulatedInputProbe) -> bool:
        """Decides for this step; call once per forward, before the blocks."""
        step = self._calls % self.steps
        self._calls += 1
        if self._residual is None or self._decide(step, probe):
            return True
        self.skipped += 1
        return False

    def _decide(self, step: int, probe: ModulatedInputProbe) -> bool:
        """True to run the blocks at `step` (a residual from an earlier step exists)."""
        raise NotImplementedError

    def remember(self, before: torch.Tensor, after: torch.Tensor) -> None:
        """Keeps what the blocks added to the tokens, to reuse on skipped steps."""
        self._residual = after - before

    def reuse(self, hidden: torch.Tensor) -> torch.Tensor:
        assert self._residual is not None
        return hidden + self._residual
