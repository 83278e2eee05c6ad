"""Lazy, once-per-process loading of a FramePack model set from a local model root."""

from __future__ import annotations

import importlib
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import torch

from framepack_engine.models.layout import (
    COMPONENTS,
    COMPONENTS_BY_ROLE,
    TINY_MARKER,
    Component,
    Role,
    component_dir,
    missing_files,
)

if TYPE_CHECKING:
    from diffusers import AutoencoderKLHunyuanVideo, HunyuanVideoFramepackTransformer3DModel
    from transformers import (
        CLIPTextModel,
        CLIPTokenizer,
        LlamaModel,
        PreTrainedTokenizerFast,
        SiglipImageProcessorPil,
        SiglipVisionModel,
    )

TransformerVariant = Literal["base", "f1"]


class ModelLoadError(Exception):
    """A component is missing or could not be loaded; the message names it and what is wrong."""


def runtime_dtype(component: Component, device: torch.device) -> torch.dtype:
    """The dtype a model is loaded in on this device.

    CUDA: the reference dtypes (transformers bf16, encoders and VAE fp16). Elsewhere float32 for
    everything, since half-precision convolutions are unsupported or very slow on CPU.
    """
    if device.type == "cuda" and component.cuda_dtype is not None:
        dtype: torch.dtype = getattr(torch, component.cuda_dtype)
        return dtype
    return torch.float32


class ModelSet:
    """One model set on one device. Each component loads on first use and is then kept."""

    def __init__(self, root: Path, device: torch.device) -> None:
        self._root = root
        self._device = device
        self._loaded: dict[Role, Any] = {}
        self._lock = threading.Lock()

    @property
    def root(self) -> Path:
        return self._root

    @property
    def device(self) -> torch.device:
        return self._device

    @property
    def is_tiny(self) -> bool:
        return (self._root / TINY_MARKER).is_file()

    def transformer(self, variant: TransformerVariant) -> HunyuanVideoFramepackTransformer3DModel:
        role: Role = "transformer_base" if variant == "base" else "transformer_f1"
        return self._get(role)

    def text_encoder(self) -> LlamaModel:
        return self._get("text_encoder")

    def tokenizer(self) -> PreTrainedTokenizerFast:
        return self._get("tokenizer")

    def text_encoder_2(self) -> CLIPTextModel:
        return self._get("text_encoder_2")

    def tokenizer_2(self) -> CLIPTokenizer:
        return self._get("tokenizer_2")

    def vae(self) -> AutoencoderKLHunyuanVideo:
        return self._get("vae")

    def image_encoder(self) -> SiglipVisionModel:
        return self._get("image_encoder")

    def feature_extractor(self) -> SiglipImageProcessorPil:
        return self._get("feature_extractor")

    def load_all(self, include_f1: bool = False) -> None:
        for component in COMPONENTS:
            if component.role != "transformer_f1" or include_f1:
                self._get(component.role)

    def loaded_models(self) -> list[dict[str, object]]:
        """The loaded models (not tokenizers or processors), in layout order."""
        return [
            _describe_model(component.role, self._loaded[component.role])
            for component in COMPONENTS
            if component.has_weights and component.role in self._loaded
        ]

    def _get(self, role: Role) -> Any:
        with self._lock:
            if role not in self._loaded:
                self._loaded[role] = self._load(COMPONENTS_BY_ROLE[role])
            return self._loaded[role]

    def _load(self, component: Component) -> Any:
        missing = missing_files(self._root, [component])
        if missing:
            raise ModelLoadError(
                f"{component.role} ({component.class_name}) is incomplete under {self._root}: "
                f"missing {', '.join(missing)}"
            )
        directory = str(component_dir(self._root, component))
        try:
            load_class = getattr(importlib.import_module(component.library), component.load_class)
            if not component.has_weights:
                return load_class.from_pretrained(directory, local_files_only=True)
            dtype = runtime_dtype(component, self._device)
            # diffusers and transformers 5 name the dtype argument differently.
            dtype_argument = "torch_dtype" if component.library == "diffusers" else "dtype"
            model = load_class.from_pretrained(
                directory, local_files_only=True, **{dtype_argument: dtype}
            )
        except Exception as error:
            raise ModelLoadError(
                f"{component.role} ({component.class_name}) could not be loaded from {directory}: "
                f"{error}"
            ) from error
        return model.to(self._device).eval().requires_grad_(False)


def _describe_model(role: Role, model: torch.nn.Module) -> dict[str, object]:
    tensors = [*model.parameters(), *model.buffers()]
    first = tensors[0]
    return {
        "name": role,
        "class_name": type(model).__name__,
        "dtype": str(first.dtype).removeprefix("torch."),
        "device": str(first.device),
        "bytes": sum(tensor.numel() * tensor.element_size() for tensor in tensors),
    }
