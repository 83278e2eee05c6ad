"""The block caches' skip decisions (docs/framepack.md §12)."""

from __future__ import annotations

import pytest
import torch

from framepack_engine.block_cache import BlockCache
from framepack_engine.magcache import MagCache, step_ratios
from framepack_engine.teacache import TeaCache


def _decisions(cache: BlockCache, inputs: list[torch.Tensor]) -> list[bool]:
    """should_compute per step, with a residual remembered after each computed step."""
    decisions = []
    for tokens in inputs:
        computes = cache.should_compute(lambda: tokens)  # noqa: B023 (called at once)
        if computes:
            cache.remember(tokens, tokens + 1)
        decisions.append(computes)
    return decisions


def test_teacache_skips_only_small_changes() -> None:
    base = torch.ones(1, 4, 8)
    cache = TeaCache(steps=5, threshold=0.15)
    inputs = [base, base * 1.0001, base * 3, base * 3, base * 3]
    # first always; tiny change reused; big change runs; no change reused; last always
    assert _decisions(cache, inputs) == [True, False, True, False, True]
    torch.testing.assert_close(cache.reuse(base), base + 1)
    assert cache.skipped == 2


def test_magcache_tables_are_the_calibrated_25_steps() -> None:
    assert len(step_ratios("base", 25)) == len(step_ratios("f1", 25)) == 25
    assert step_ratios("base", 25)[1] == 1.26562 and step_ratios("f1", 25)[-1] == 0.78516
    # Other step counts take the nearest calibrated step: 6 steps read 0, 5, 10, 14, 19, 24.
    assert step_ratios("base", 6) == [1.0, 1.03906, 1.03906, 1.01562, 1.0, 0.78906]


@pytest.mark.parametrize(
    ("transformer", "steps", "expected"),
    [
        # base, 6 steps: step 1 drifts 3.9% (skip), step 2 would reach 11.9% (run), steps 3
        # and 4 stay under 10% together (skip), step 5's own ratio is 0.79 (run).
        ("base", 6, [True, False, True, False, False, True]),
        # f1, 25 steps: the first 20% (5) always run; then skips until the error sum passes
        # 10% (steps 7, 9, 12, 22), a 4th skip in a row would be due (16, 20), or the step's
        # own ratio is off by more than 6% (24).
        (
            "f1",
            25,
            [True] * 5
            + [False, False, True, False, True, False, False, True, False, False, False, True]
            + [False, False, False, True, False, True, False, True],
        ),
    ],
)
def test_magcache_decisions_follow_the_ratio_table(
    transformer: str, steps: int, expected: list[bool]
) -> None:
    cache = MagCache(steps, transformer)
    inputs = [torch.zeros(1, 2, 4)] * steps
    assert _decisions(cache, inputs) == expected
    assert cache.skipped == expected.count(False)
    # A new run (the next section) starts over from the same table.
    assert _decisions(cache, inputs) == expected
