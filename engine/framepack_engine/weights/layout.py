"""The FramePack model set's layout: which component lives where, and what makes it complete.

A model root mirrors the Hugging Face repos: ``<root>/<org>/<repo>/<subfolder>/...``, e.g.
``<root>/hunyuanvideo-community/HunyuanVideo/vae/config.json``. Real and tiny sets share it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

Role = Literal[
    "transformer_base",
    "transformer_f1",
    "text_encoder",
    "tokenizer",
    "text_encoder_2",
    "tokenizer_2",
    "vae",
    "image_encoder",
    "feature_extractor",
]
Library = Literal["diffusers", "transformers"]
# The dtype a model runs in on CUDA (docs/framepack.md §2); None for tokenizers and processors.
CudaDtype = Literal["bfloat16", "float16"] | None

# Written at the root by the tiny generator; its presence is the only thing that marks a tiny set.
TINY_MARKER = "framepack-tiny.json"
WEIGHTS_PATTERN = "*.safetensors"
# A sharded checkpoint (diffusers and transformers alike): `<prefix>-00001-of-00003.safetensors`
# and so on, with `<prefix>.safetensors.index.json` mapping every tensor to its shard.
INDEX_SUFFIX = ".safetensors.index.json"
_SHARD_NAME = re.compile(r"(?P<prefix>.+)-(?P<number>\d{5})-of-(?P<total>\d{5})\.safetensors")

HUNYUAN_VIDEO_REPO = "hunyuanvideo-community/HunyuanVideo"
FLUX_REDUX_REPO = "lllyasviel/flux_redux_bfl"


@dataclass(frozen=True)
class Component:
    role: Role
    repo_id: str
    subfolder: str | None
    library: Library
    # The class the real repo declares for this component.
    class_name: str
    # Files that must all exist in the component directory.
    required_files: tuple[str, ...]
    # Models need at least one *.safetensors file besides their config.
    has_weights: bool
    cuda_dtype: CudaDtype = None
    # The class we load it with, where transformers 5 needs another entry point than class_name.
    loader_class_name: str | None = None

    @property
    def load_class(self) -> str:
        return self.loader_class_name or self.class_name


_MODEL_CONFIG = ("config.json",)

TRANSFORMER_BASE = Component(
    role="transformer_base",
    repo_id="lllyasviel/FramePackI2V_HY",
    subfolder=None,
    library="diffusers",
    class_name="HunyuanVideoFramepackTransformer3DModel",
    required_files=_MODEL_CONFIG,
    has_weights=True,
    cuda_dtype="bfloat16",
)
TRANSFORMER_F1 = Component(
    role="transformer_f1",
    repo_id="lllyasviel/FramePack_F1_I2V_HY_20250503",
    subfolder=None,
    library="diffusers",
    class_name="HunyuanVideoFramepackTransformer3DModel",
    required_files=_MODEL_CONFIG,
    has_weights=True,
    cuda_dtype="bfloat16",
)
TEXT_ENCODER = Component(
    role="text_encoder",
    repo_id=HUNYUAN_VIDEO_REPO,
    subfolder="text_encoder",
    library="transformers",
    class_name="LlamaModel",
    required_files=_MODEL_CONFIG,
    has_weights=True,
    cuda_dtype="float16",
)
TOKENIZER = Component(
    role="tokenizer",
    repo_id=HUNYUAN_VIDEO_REPO,
    subfolder="tokenizer",
    library="transformers",
    class_name="LlamaTokenizerFast",
    required_files=("tokenizer_config.json", "tokenizer.json"),
    has_weights=False,
    # transformers 5's LlamaTokenizerFast rebuilds a SentencePiece-style (Metaspace) tokenizer,
    # which mis-splits this byte-level Llama-3 vocabulary; the generic fast tokenizer loads
    # tokenizer.json exactly as serialized.
    loader_class_name="PreTrainedTokenizerFast",
)
TEXT_ENCODER_2 = Component(
    role="text_encoder_2",
    repo_id=HUNYUAN_VIDEO_REPO,
    subfolder="text_encoder_2",
    library="transformers",
    class_name="CLIPTextModel",
    required_files=_MODEL_CONFIG,
    has_weights=True,
    cuda_dtype="float16",
)
TOKENIZER_2 = Component(
    role="tokenizer_2",
    repo_id=HUNYUAN_VIDEO_REPO,
    subfolder="tokenizer_2",
    library="transformers",
    class_name="CLIPTokenizer",
    required_files=("tokenizer_config.json", "vocab.json", "merges.txt"),
    has_weights=False,
)
VAE = Component(
    role="vae",
    repo_id=HUNYUAN_VIDEO_REPO,
    subfolder="vae",
    library="diffusers",
    class_name="AutoencoderKLHunyuanVideo",
    required_files=_MODEL_CONFIG,
    has_weights=True,
    cuda_dtype="float16",
)
IMAGE_ENCODER = Component(
    role="image_encoder",
    repo_id=FLUX_REDUX_REPO,
    subfolder="image_encoder",
    library="transformers",
    class_name="SiglipVisionModel",
    required_files=_MODEL_CONFIG,
    has_weights=True,
    cuda_dtype="float16",
)
FEATURE_EXTRACTOR = Component(
    role="feature_extractor",
    repo_id=FLUX_REDUX_REPO,
    subfolder="feature_extractor",
    library="transformers",
    class_name="SiglipImageProcessor",
    required_files=("preprocessor_config.json",),
    has_weights=False,
    # transformers 5's SiglipImageProcessor needs torchvision (not a dependency here) and otherwise
    # falls back to this PIL implementation, which is also what FramePack's reference ran.
    loader_class_name="SiglipImageProcessorPil",
)

COMPONENTS: tuple[Component, ...] = (
    TRANSFORMER_BASE,
    TRANSFORMER_F1,
    TEXT_ENCODER,
    TOKENIZER,
    TEXT_ENCODER_2,
    TOKENIZER_2,
    VAE,
    IMAGE_ENCODER,
    FEATURE_EXTRACTOR,
)
COMPONENTS_BY_ROLE: dict[Role, Component] = {component.role: component for component in COMPONENTS}


def component_relative_dir(component: Component) -> Path:
    """The component's directory relative to a model root."""
    directory = Path(*component.repo_id.split("/"))
    return directory / component.subfolder if component.subfolder else directory


def component_dir(root: Path, component: Component) -> Path:
    return root / component_relative_dir(component)


def missing_in_directory(directory: Path, component: Component) -> list[str]:
    """What the component lacks in this directory (names relative to it); empty when complete.

    Weights: every shard a ``*.safetensors.index.json`` lists; else, for shards without their
    index, the index and any absent shard; else at least one ``*.safetensors`` file, reported as
    ``*.safetensors`` when there is none.
    """
    missing = [name for name in component.required_files if not (directory / name).is_file()]
    if component.has_weights:
        missing.extend(missing_weights(directory))
    return missing


def missing_weights(directory: Path) -> list[str]:
    """The weight files a directory lacks, by name (sorted); empty when its weights are whole."""
    indexes = sorted(directory.glob("*" + INDEX_SUFFIX))
    if indexes:
        missing: set[str] = set()
        for index in indexes:
            shards = _indexed_shards(index)
            if shards is None:  # unreadable: as good as absent, it must be fetched again
                missing.add(index.name)
            else:
                missing.update(name for name in shards if not (directory / name).is_file())
        return sorted(missing)
    present = {path.name for path in directory.glob(WEIGHTS_PATTERN)}
    expected: set[str] = set()
    for name in present:
        if (match := _SHARD_NAME.fullmatch(name)) is not None:
            prefix, total = match["prefix"], int(match["total"])
            expected.add(prefix + INDEX_SUFFIX)
            expected.update(
                f"{prefix}-{n:05d}-of-{total:05d}.safetensors" for n in range(1, total + 1)
            )
    if expected:
        return sorted(expected - present)
    return [] if present else [WEIGHTS_PATTERN]


def _indexed_shards(index: Path) -> set[str] | None:
    """The shard names an index lists; None when it cannot be read as one."""
    try:
        weight_map = json.loads(index.read_text())["weight_map"]
        return {str(shard) for shard in weight_map.values()}
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None


def missing_files(root: Path, components: Iterable[Component] = COMPONENTS) -> list[str]:
    """Root-relative POSIX paths of what the components lack; empty when all are complete."""
    return [
        (component_relative_dir(component) / name).as_posix()
        for component in components
        for name in missing_in_directory(component_dir(root, component), component)
    ]
