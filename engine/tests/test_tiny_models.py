"""The tiny model set: deterministic, small, laid out like the real repos, loadable by ModelSet."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import torch
from transformers import AutoTokenizer, CLIPTokenizer

from framepack_engine.conditioning.image import VAE_SCALING_FACTOR
from framepack_engine.weights import tiny
from framepack_engine.weights.layout import (
    COMPONENTS,
    IMAGE_ENCODER,
    TINY_MARKER,
    TOKENIZER,
    TOKENIZER_2,
    TRANSFORMER_BASE,
    TRANSFORMER_F1,
    VAE,
    component_dir,
    missing_files,
)
from framepack_engine.weights.loader import ModelLoadError, ModelSet, runtime_dtype
from framepack_engine.weights.tiny import write_tiny_model_set

MAX_TINY_BYTES = 50 * 1024 * 1024
CPU = torch.device("cpu")


def _files(root: Path) -> dict[str, bytes]:
    return {
        path.relative_to(root).as_posix(): path.read_bytes()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def _weights(root: Path) -> dict[str, bytes]:
    return {name: data for name, data in _files(root).items() if name.endswith(".safetensors")}


@pytest.fixture
def fresh_root(tmp_path: Path) -> Path:
    """A private tiny set that a test may damage."""
    root = tmp_path / "models"
    write_tiny_model_set(root, seed=0)
    return root


def test_same_seed_writes_identical_files(tiny_root: Path, tmp_path: Path) -> None:
    again = tmp_path / "again"
    write_tiny_model_set(again, seed=0)
    assert _files(again) == _files(tiny_root)


def test_different_seed_changes_every_weight_file(tiny_root: Path, tmp_path: Path) -> None:
    other = tmp_path / "other"
    write_tiny_model_set(other, seed=1)
    weights, other_weights = _weights(tiny_root), _weights(other)
    assert weights.keys() == other_weights.keys()
    assert all(weights[name] != other_weights[name] for name in weights)


def test_base_and_f1_transformers_have_different_weights(tiny_root: Path) -> None:
    base = _weights(component_dir(tiny_root, TRANSFORMER_BASE))
    f1 = _weights(component_dir(tiny_root, TRANSFORMER_F1))
    assert base.keys() == f1.keys()
    assert base != f1


def test_tiny_set_is_small(tiny_root: Path) -> None:
    assert sum(len(data) for data in _files(tiny_root).values()) < MAX_TINY_BYTES


def test_tiny_set_mirrors_the_repo_layout(tiny_root: Path) -> None:
    assert missing_files(tiny_root) == []
    assert (tiny_root / "hunyuanvideo-community/HunyuanVideo/vae/config.json").is_file()
    assert component_dir(tiny_root, TRANSFORMER_BASE) == tiny_root / "lllyasviel/FramePackI2V_HY"
    marker = json.loads((tiny_root / TINY_MARKER).read_text())
    assert marker == {"seed": 0, "generator": "framepack_engine tiny"}


def test_missing_files_names_what_was_deleted(fresh_root: Path) -> None:
    (component_dir(fresh_root, VAE) / "config.json").unlink()
    for weights in component_dir(fresh_root, IMAGE_ENCODER).glob("*.safetensors"):
        weights.unlink()
    (component_dir(fresh_root, TOKENIZER_2) / "merges.txt").unlink()
    assert missing_files(fresh_root) == [
        "hunyuanvideo-community/HunyuanVideo/tokenizer_2/merges.txt",
        "hunyuanvideo-community/HunyuanVideo/vae/config.json",
        "lllyasviel/flux_redux_bfl/image_encoder/*.safetensors",
    ]


def test_missing_files_of_an_empty_root_covers_every_component(tmp_path: Path) -> None:
    missing = missing_files(tmp_path)
    for component in COMPONENTS:
        assert any(path.startswith(component_dir(Path(), component).as_posix()) for path in missing)


def test_refuses_to_write_into_a_non_empty_directory(tmp_path: Path) -> None:
    (tmp_path / "keep.txt").write_text("mine")
    with pytest.raises(FileExistsError):
        write_tiny_model_set(tmp_path)
    assert [path.name for path in tmp_path.iterdir()] == ["keep.txt"]


def test_writes_into_an_existing_empty_directory(tmp_path: Path) -> None:
    root = tmp_path / "models"
    root.mkdir()
    write_tiny_model_set(root)
    assert missing_files(root) == []


def test_a_failed_write_leaves_nothing_behind(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def fail() -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr(tiny, "tiny_vae", fail)
    with pytest.raises(RuntimeError, match="disk full"):
        write_tiny_model_set(tmp_path / "models")
    assert list(tmp_path.iterdir()) == []


def test_models_reload_with_the_real_classes_and_matching_dims(model_set: ModelSet) -> None:
    transformer = model_set.transformer("base")
    vae = model_set.vae()
    text_encoder = model_set.text_encoder()
    text_encoder_2 = model_set.text_encoder_2()
    image_encoder = model_set.image_encoder()

    assert type(transformer).__name__ == "HunyuanVideoFramepackTransformer3DModel"
    assert type(model_set.transformer("f1")).__name__ == "HunyuanVideoFramepackTransformer3DModel"
    assert type(vae).__name__ == "AutoencoderKLHunyuanVideo"
    assert type(text_encoder).__name__ == "LlamaModel"
    assert type(text_encoder_2).__name__ == "CLIPTextModel"
    assert type(image_encoder).__name__ == "SiglipVisionModel"
    assert type(model_set.tokenizer_2()).__name__ == "CLIPTokenizer"
    assert type(model_set.feature_extractor()).__name__ == "SiglipImageProcessorPil"

    assert transformer.config.in_channels == transformer.config.out_channels == 16
    assert vae.config.latent_channels == 16
    assert vae.config.scaling_factor == VAE_SCALING_FACTOR
    assert (vae.spatial_compression_ratio, vae.temporal_compression_ratio) == (8, 4)
    assert transformer.config.text_embed_dim == text_encoder.config.hidden_size
    assert transformer.config.pooled_projection_dim == text_encoder_2.config.hidden_size
    assert transformer.config.image_proj_dim == image_encoder.config.hidden_size
    assert text_encoder.config.num_hidden_layers >= 3
    assert len(model_set.tokenizer()) <= text_encoder.config.vocab_size
    assert len(model_set.tokenizer_2()) <= text_encoder_2.config.vocab_size
    assert model_set.is_tiny


def test_models_are_frozen_and_in_eval_mode(model_set: ModelSet) -> None:
    for model in (model_set.vae(), model_set.text_encoder(), model_set.transformer("base")):
        assert not model.training
        assert not any(parameter.requires_grad for parameter in model.parameters())


def test_vae_keeps_the_real_compression(model_set: ModelSet) -> None:
    vae = model_set.vae()
    with torch.no_grad():
        image = vae.encode(torch.zeros(1, 3, 1, 64, 64)).latent_dist.mean
        clip = vae.encode(torch.zeros(1, 3, 9, 64, 64)).latent_dist.mean
        decoded = vae.decode(clip).sample
    assert image.shape == (1, 16, 1, 8, 8)
    assert clip.shape == (1, 16, 3, 8, 8)
    assert decoded.shape == (1, 3, 4 * 3 - 3, 64, 64)


def test_components_load_lazily_once_and_are_listed(tiny_root: Path) -> None:
    models = ModelSet(tiny_root, CPU)
    assert models.loaded_models() == []
    assert models.vae() is models.vae()
    models.tokenizer()
    [vae] = models.loaded_models()
    expected_bytes = sum(
        tensor.numel() * tensor.element_size()
        for tensor in [*models.vae().parameters(), *models.vae().buffers()]
    )
    assert vae == {
        "name": "vae",
        "class_name": "AutoencoderKLHunyuanVideo",
        "dtype": "float32",
        "device": "cpu",
        "bytes": expected_bytes,
    }


def test_load_all_loads_f1_only_when_asked(tiny_root: Path) -> None:
    models = ModelSet(tiny_root, CPU)
    models.load_all()
    names = [entry["name"] for entry in models.loaded_models()]
    assert names == ["transformer_base", "text_encoder", "text_encoder_2", "vae", "image_encoder"]
    models.load_all(include_f1=True)
    assert "transformer_f1" in [entry["name"] for entry in models.loaded_models()]


def test_a_root_without_the_marker_is_not_tiny(tmp_path: Path) -> None:
    assert not ModelSet(tmp_path, CPU).is_tiny


def test_missing_component_raises_naming_it(fresh_root: Path) -> None:
    shutil.rmtree(component_dir(fresh_root, VAE))
    models = ModelSet(fresh_root, CPU)
    with pytest.raises(ModelLoadError, match="vae") as raised:
        models.vae()
    assert "hunyuanvideo-community/HunyuanVideo/vae/config.json" in str(raised.value)
    assert type(models.text_encoder()).__name__ == "LlamaModel"


def test_unreadable_weights_raise_naming_the_component(fresh_root: Path) -> None:
    for weights in component_dir(fresh_root, IMAGE_ENCODER).glob("*.safetensors"):
        weights.write_bytes(b"not a safetensors file")
    with pytest.raises(ModelLoadError, match="image_encoder"):
        ModelSet(fresh_root, CPU).image_encoder()


def test_llama_tokenizer_declares_the_real_class_and_loads_byte_level(
    model_set: ModelSet, tiny_root: Path
) -> None:
    directory = component_dir(tiny_root, TOKENIZER)
    config = json.loads((directory / "tokenizer_config.json").read_text())
    assert config["tokenizer_class"] == "LlamaTokenizerFast"

    tokenizer = model_set.tokenizer()
    text = "A Zebra runs: 3 hooves, café! <|eot_id|>"
    ids = tokenizer(text).input_ids
    assert ids == AutoTokenizer.from_pretrained(directory, local_files_only=True)(text).input_ids
    assert ids[0] == tokenizer.convert_tokens_to_ids("<|begin_of_text|>")
    assert tokenizer.decode(ids) == "<|begin_of_text|>" + text


def test_clip_tokenizer_loads_from_the_classic_vocab_files(
    model_set: ModelSet, tiny_root: Path, tmp_path: Path
) -> None:
    classic = tmp_path / "tokenizer_2"
    shutil.copytree(component_dir(tiny_root, TOKENIZER_2), classic)
    (classic / "tokenizer.json").unlink()
    text = "A Cat walks on the grass"
    ids = CLIPTokenizer.from_pretrained(classic, local_files_only=True)(text).input_ids
    assert ids == model_set.tokenizer_2()(text).input_ids
    # CLIP lower-cases and wraps the text in its start and end tokens.
    assert ids[0] == model_set.tokenizer_2().bos_token_id
    assert ids[-1] == model_set.tokenizer_2().eos_token_id
    assert model_set.tokenizer_2().decode(ids, skip_special_tokens=True) == text.lower()


def test_runtime_dtypes_follow_the_device() -> None:
    cuda = torch.device("cuda", 0)
    for component in COMPONENTS:
        assert runtime_dtype(component, CPU) == torch.float32
    assert runtime_dtype(TRANSFORMER_BASE, cuda) == torch.bfloat16
    assert runtime_dtype(TRANSFORMER_F1, cuda) == torch.bfloat16
    assert runtime_dtype(VAE, cuda) == torch.float16
    assert runtime_dtype(IMAGE_ENCODER, cuda) == torch.float16
