"""Components found in the local Hugging Face cache when the model root lacks them."""

from __future__ import annotations

import shutil
from pathlib import Path

import huggingface_hub.constants
import pytest
import torch

from framepack_engine.weights.layout import VAE, component_dir
from framepack_engine.weights.loader import ModelLoadError, ModelSet
from framepack_engine.weights.locate import locate_component

COMMIT = "0123456789abcdef0123456789abcdef01234567"


def _cache_repo(cache: Path, repo_id: str, source: Path) -> None:
    """Lays `source` out as the cached snapshot of `repo_id`, as huggingface_hub does."""
    repo = cache / f"models--{repo_id.replace('/', '--')}"
    shutil.copytree(source, repo / "snapshots" / COMMIT)
    (repo / "refs").mkdir()
    (repo / "refs" / "main").write_text(COMMIT)


def test_a_component_missing_from_the_root_loads_from_the_cache(
    tiny_root: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / "root"
    shutil.copytree(tiny_root, root)
    cache = tmp_path / "hub"
    _cache_repo(cache, VAE.repo_id, root / VAE.repo_id)
    shutil.rmtree(component_dir(root, VAE))
    monkeypatch.setattr(huggingface_hub.constants, "HF_HUB_CACHE", str(cache))

    directory, missing = locate_component(root, VAE)
    assert missing == []
    assert (
        directory
        == cache / f"models--{VAE.repo_id.replace('/', '--')}" / "snapshots" / COMMIT / "vae"
    )
    vae = ModelSet(root, torch.device("cpu")).vae()
    assert vae.config.latent_channels == 16


def test_missing_everywhere_names_the_files(
    tiny_root: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / "root"
    shutil.copytree(tiny_root, root)
    shutil.rmtree(component_dir(root, VAE))
    monkeypatch.setattr(huggingface_hub.constants, "HF_HUB_CACHE", str(tmp_path / "empty"))
    with pytest.raises(ModelLoadError, match=r"vae/config\.json"):
        ModelSet(root, torch.device("cpu")).vae()
