"""TeaCache: skip the transformer blocks on steps where their input barely changed.

Per forward, the first dual-stream block's modulated input is compared with the last
step's; the relative L1 change, rescaled by a fitted polynomial, accumulates until it
crosses the threshold. Below it, the blocks are skipped and the residual they added
last time is reused. The first and last steps always run (docs/framepack.md §12.1).
"""

from __future__ import annotations

import numpy as np
import torch

from framepack_engine.block_cache import BlockCache, ModulatedInputProbe

DEFAULT_THRESHOLD = 0.15
# Maps the raw relative L1 change to the expected change of the output (highest power first).
_RESCALE = np.poly1d([733.226126, -401.131952, 67.5869174, -3.14987800, 0.0961237896])


class TeaCache(BlockCache):
    kind = "teacache"

    def __init__(self, steps: int, threshold: float = DEFAULT_THRESHOLD) -> None:
        super().__init__(steps)
        self.threshold = threshold
        self._accumulated = 0.0
        self._previous_input: torch.Tensor | None = None
        self._change: float | None = None  # relative L1 change of this step's input

    def should_compute(self, probe: ModulatedInputProbe) -> bool:
        # The probe runs on every step: the next step compares with this one's input.
        current, previous = probe(), self._previous_input
        self._previous_input = current
        self._change = None
        if previous is not None:
            self._change = ((current - previous).abs().mean() / previous.abs().mean()).item()
        return super().should_compute(probe)

    def _decide(self, step: int, probe: ModulatedInputProbe) -> bool:
        if step in (0, self.steps - 1) or self._change is None:
            self._accumulated = 0.0
            return True
        self._accumulated += float(_RESCALE(self._change))
        if self._accumulated >= self.threshold:
            self._accumulated = 0.0
            return True
        return False
