"""MagCache: skip the transformer blocks while the calibrated residual drift stays small.

The ratio of the blocks' residual magnitude between consecutive steps, measured offline
for each model and step, predicts how far a reused residual drifts. After the first
`retention` share of the steps, each step multiplies the running ratio by its table entry
and adds |1 - ratio| to an error sum; the blocks are skipped (the last residual reused)
while the sum stays under the threshold, at most `max_skips` steps in a row, and only on
steps whose own ratio is within 6% of 1. Computing resets the running values
(docs/framepack.md §12.2; the tables are MagCache4FramePack's for 25 steps).
"""

from __future__ import annotations

import numpy as np

from framepack_engine.block_cache import BlockCache, ModulatedInputProbe

DEFAULT_THRESHOLD = 0.10
DEFAULT_MAX_SKIPS = 3
DEFAULT_RETENTION = 0.2
_STEP_RATIO_TOLERANCE = 0.06

# Residual magnitude ratio of step t over step t-1, 25 steps (step 0 has no predecessor: 1).
_RATIOS_25 = {
    "base": [1.0, 1.26562, 1.23438, 1.03125, 1.02344, 1.03906, 1.01562, 1.03906, 1.05469,
             1.02344, 1.03906, 0.99609, 1.03125, 1.02344, 1.01562, 1.02344, 1.00781, 1.04688,
             0.98828, 1.0, 1.00781, 0.98828, 0.94141, 0.94141, 0.78906],
    "f1": [1.0, 1.25781, 1.08594, 1.02344, 1.00781, 1.02344, 1.00781, 1.02344, 1.05469,
           0.99609, 1.03906, 1.00781, 1.01562, 1.00781, 1.02344, 1.01562, 0.98047, 1.05469,
           0.98047, 0.96875, 1.03125, 0.97266, 0.9375, 0.96484, 0.78516],
}  # fmt: skip


def step_ratios(transformer: str, steps: int) -> list[float]:
    """The ratio table of `transformer` ("base" or "f1") for `steps` steps (nearest entry)."""
    table = _RATIOS_25[transformer]
    if steps == 1:
        return [table[-1]]
    positions = np.round(np.arange(steps) * (len(table) - 1) / (steps - 1)).astype(int)
    return [table[position] for position in positions]


class MagCache(BlockCache):
    kind = "magcache"

    def __init__(
        self,
        steps: int,
        transformer: str,
        threshold: float = DEFAULT_THRESHOLD,
        max_skips: int = DEFAULT_MAX_SKIPS,
        retention: float = DEFAULT_RETENTION,
    ) -> None:
        super().__init__(steps)
        self.threshold = threshold
        self._ratios = step_ratios(transformer, steps)
        self._max_skips = max_skips
        self._first_skippable = max(1, int(retention * steps))
        self._reset()

    def _reset(self) -> None:
        self._ratio = 1.0
        self._error = 0.0
        self._skips = 0

    def _decide(self, step: int, probe: ModulatedInputProbe) -> bool:
        if step == 0:
            self._reset()
        if step < self._first_skippable:
            return True
        step_ratio = self._ratios[step]
        self._ratio *= step_ratio
        self._error += abs(1.0 - self._ratio)
        self._skips += 1
        skip = (
            self._error <= self.threshold
            and self._skips <= self._max_skips
            and abs(1.0 - step_ratio) <= _STEP_RATIO_TOLERANCE
        )
        if not skip:
            self._reset()
        return not skip
