"""Shared fixtures: one tiny model set per test session, and a CPU ModelSet over it."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from section_spy import SectionCall

    from framepack_engine.runtime import EngineRuntime
    from framepack_engine.weights.loader import ModelSet


# The model imports are local so that test modules that never use these fixtures do not pay
# for importing torch, diffusers and transformers.
@pytest.fixture(scope="session")
def tiny_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from framepack_engine.weights.tiny import write_tiny_model_set

    root = tmp_path_factory.mktemp("tiny-models") / "models"
    write_tiny_model_set(root, seed=0)
    return root


@pytest.fixture(scope="session")
def model_set(tiny_root: Path) -> ModelSet:
    import torch

    from framepack_engine.weights.loader import ModelSet

    return ModelSet(tiny_root, torch.device("cpu"))


@pytest.fixture(scope="session")
def runtime(model_set: ModelSet) -> EngineRuntime:
    from framepack_engine.runtime import EngineRuntime

    return EngineRuntime(model_set)


@pytest.fixture
def sections(monkeypatch: pytest.MonkeyPatch) -> list[SectionCall]:
    """Every section a video plan samples in the test, in generation order."""
    from section_spy import spy_on_sections

    return spy_on_sections(monkeypatch)
