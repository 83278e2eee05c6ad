"""TeaCache: skip the transformer blocks on steps where their input barely changed.

Per forward, the first dual-stream block's modulated input is compared with the last
step's; the relative L1 change, rescaled by a fitted polynomial, accumulates until it
crosses the threshold. Below it, the blocks are skipped and the residual they added
last time is reused. The first and last steps always run. It changes results, so it
is opt-in and recorded in the output's metadata.
"""

from __future__ import annotations

import numpy as np
import torch

DEFAULT_THRESHOLD = 0.15
# Maps the raw relative L1 change to the expected change of the output (highest power first).
_RESCALE = np.poly1d([733.226126, -401.131952, 67.5869174, -3.14987800, 0.0961237896])


class TeaCache:
    """State of one sampling run for one guidance branch (positive or negative)."""

    def __init__(self, steps: int, threshold: float = DEFAULT_THRESHOLD) -> None:
        self.steps = steps
        self.threshold = threshold
        self.skipped = 0
        self._calls = 0
        self._accumulated = 0.0
        self._previous_input: torch.Tensor | None = None
        self._residual: torch.Tensor | None = None

    def should_compute(self, modulated_input: torch.Tensor) -> bool:
        """Decides for this step; call once per forward, before the blocks."""
        step = self._calls % self.steps
        self._calls += 1
        previous, self._previous_input = self._previous_input, modulated_input
        if step in (0, self.steps - 1) or previous is None or self._residual is None:
            self._accumulated = 0.0
            return True
        change = ((modulated_input - previous).abs().mean() / previous.abs().mean()).item()
        self._accumulated += float(_RESCALE(change))
        if self._accumulated >= self.threshold:
            self._accumulated = 0.0
            return True
        self.skipped += 1
        return False

    def remember(self, before: torch.Tensor, after: torch.Tensor) -> None:
        """Keeps what the blocks added to the tokens, to reuse on skipped steps."""
        self._residual = after - before

    def reuse(self, hidden: torch.Tensor) -> torch.Tensor:
        assert self._residual is not None
        return hidden + self._residual
