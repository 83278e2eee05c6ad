"""Lazy, once-per-process loading of a FramePack model set from a local model root, and where
its weights live in each memory mode (framepack_engine.memory holds the policy and offloading)."""

from __future__ import annotations

import importlib
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import torch
from torch import nn

from framepack_engine.memory import (
    DEFAULT_GPU_MEMORY_PRESERVATION_GB,
    DEFAULT_MEMORY_MODE,
    DEFAULT_TRANSFORMER_DTYPE,
    MEMORY_MODES,
    TRANSFORMER_DTYPES,
    MemoryMode,
    ResolvedMemoryMode,
    TransformerDtype,
    fits_resident,
    gb_to_bytes,
    resolve_memory_mode,
)
from framepack_engine.offload import (
    CPU,
    TransformerSplit,
    cap_device_memory,
    capped,
    device_bytes,
    free_device_bytes,
    release_cached_memory,
    stream_model,
    tensor_bytes,
)
from framepack_engine.weights.layout import (
    COMPONENTS,
    COMPONENTS_BY_ROLE,
    TINY_MARKER,
    Component,
    Role,
)
from framepack_engine.weights.locate import locate_component

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
TRANSFORMER_ROLES: tuple[Role, ...] = ("transformer_base", "transformer_f1")


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
    """One model set on one device. Each component loads on first use and is then kept.

    memory_mode "high" keeps every component on the device. In "low" mode an accessor call starts
    that component's phase: it comes to the device and the previous phase's component goes back
    to the CPU. The transformer is the exception: its accessor only (re)plans which of its blocks
    stream, and its phase starts when the first of its modules runs, because the plans fetch it
    before encoding and would otherwise move it in and out again for nothing.
    """

    def __init__(
        self,
        root: Path,
        device: torch.device,
        memory_mode: MemoryMode = DEFAULT_MEMORY_MODE,
        gpu_memory_preservation_gb: float = DEFAULT_GPU_MEMORY_PRESERVATION_GB,
        gpu_memory_limit_gb: float | None = None,
        transformer_dtype: TransformerDtype = DEFAULT_TRANSFORMER_DTYPE,
    ) -> None:
        if memory_mode not in MEMORY_MODES:
            raise ValueError(f"memory_mode must be one of {MEMORY_MODES}, not {memory_mode!r}")
        if transformer_dtype not in TRANSFORMER_DTYPES:
            raise ValueError(
                f"transformer_dtype must be one of {TRANSFORMER_DTYPES}, not {transformer_dtype!r}"
            )
        self._transformer_dtype: TransformerDtype = transformer_dtype
        self._root = root
        self._device = device
        self._limit_bytes = _limit_bytes(gpu_memory_limit_gb)
        if self._limit_bytes is not None:
            cap_device_memory(device, self._limit_bytes)
        self._memory_mode = resolve_memory_mode(
            memory_mode, device.type, capped(free_device_bytes(device), self._limit_bytes)
        )
        self._preservation_bytes = _preservation_bytes(gpu_memory_preservation_gb)
        self._loaded: dict[Role, Any] = {}
        # Low mode only: the transformers' splits, the encoders too big to sit on the device
        # (they stream their layers), and the component whose phase it is.
        self._splits: dict[Role, TransformerSplit] = {}
        self._streamed: set[Role] = set()
        self._resident: Role | None = None
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

    @property
    def memory_mode(self) -> ResolvedMemoryMode:
        return self._memory_mode

    @property
    def transformer_dtype(self) -> TransformerDtype:
        """bf16: the transformers in the runtime dtype; fp8: their blocks' linear weights in
        float8 with block-wise scales (framepack_engine.fp8, docs/framepack.md §18)."""
        return self._transformer_dtype

    @property
    def gpu_memory_preservation_gb(self) -> float:
        return self._preservation_bytes / gb_to_bytes(1)

    @property
    def gpu_memory_limit_gb(self) -> float | None:
        """The device memory this engine plans for and may allocate (None: the whole device)."""
        return None if self._limit_bytes is None else self._limit_bytes / gb_to_bytes(1)

    @property
    def resident_component(self) -> Role | None:
        """Low mode: the component whose phase it is (on the device); None before any phase and
        in high mode."""
        return self._resident

    def set_gpu_memory_preservation(self, gb: float) -> None:
        """Device memory (GB) the transformer's phase leaves free, from the next transformer()
        call on; it re-splits the blocks without reloading anything. No effect in high mode."""
        self._preservation_bytes = _preservation_bytes(gb)

    def transformer(self, variant: TransformerVariant) -> HunyuanVideoFramepackTransformer3DModel:
        role: Role = "transformer_base" if variant == "base" else "transformer_f1"
        model = self._get(role)
        split = self._splits.get(role)
        if split is not None and split.planned_preservation_bytes != self._preservation_bytes:
            self._plan_split(role, split)
        return model

    def text_encoder(self) -> LlamaModel:
        return self._use("text_encoder")

    def tokenizer(self) -> PreTrainedTokenizerFast:
        return self._get("tokenizer")

    def text_encoder_2(self) -> CLIPTextModel:
        return self._use("text_encoder_2")

    def tokenizer_2(self) -> CLIPTokenizer:
        return self._get("tokenizer_2")

    def vae(self) -> AutoencoderKLHunyuanVideo:
        return self._use("vae")

    def image_encoder(self) -> SiglipVisionModel:
        return self._use("image_encoder")

    def feature_extractor(self) -> SiglipImageProcessorPil:
        return self._get("feature_extractor")

    def load_all(self, include_f1: bool = False) -> None:
        """Loads without starting any phase: in low mode everything stays on the CPU."""
        for component in COMPONENTS:
            if component.role != "transformer_f1" or include_f1:
                self._get(component.role)

    def loaded_models(self) -> list[dict[str, object]]:
        """The loaded models (not tokenizers or processors), in layout order.

        `device` says where the weights are now, with " (streamed)" where diffusers' group
        offloading streams (some of) them; `bytes` is the size of all the model's weights.
        """
        return [
            _describe_model(component.role, model, self._device_label(component.role, model))
            for component in COMPONENTS
            if component.has_weights and (model := self._loaded.get(component.role)) is not None
        ]

    def _get(self, role: Role) -> Any:
        with self._lock:
            if role not in self._loaded:
                self._loaded[role] = self._load(COMPONENTS_BY_ROLE[role])
            return self._loaded[role]

    def _use(self, role: Role) -> Any:
        model = self._get(role)
        if self._memory_mode == "low":
            self._enter_phase(role)
        return model

    def _load(self, component: Component) -> Any:
        located, missing = locate_component(self._root, component)
        if missing:
            raise ModelLoadError(
                f"{component.role} ({component.class_name}) is incomplete under {self._root} "
                f"and not in the Hugging Face cache: missing {', '.join(missing)}"
            )
        directory = str(located)
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
        model = model.eval().requires_grad_(False)
        if component.role in TRANSFORMER_ROLES and self._transformer_dtype == "fp8":
            # Before placing, so that the memory modes plan with (and move) the fp8 bytes. The
            # arithmetic runs on the device when there is one; the weights stay on the CPU.
            from framepack_engine.fp8 import quantise_transformer

            quantise_transformer(model, work_device=self._device)
        return self._place(component.role, model)

    def _place(self, role: Role, model: Any) -> Any:
        if self._memory_mode == "high":
            return model.to(self._device)
        # Low mode: the weights stay on the CPU until the component's phase.
        if role in TRANSFORMER_ROLES:
            split = self._splits[role] = TransformerSplit(model, self._device)
            start_phase = self._phase_starter(role)
            for module in split.modules_in_forward():
                module.register_forward_pre_hook(start_phase)
        elif role == "vae":
            # Decoding in tiles (and one sample at a time) bounds the VAE's activations.
            model.enable_tiling()
            model.enable_slicing()
        elif not fits_resident(
            self._available_device_bytes(), tensor_bytes(model), self._preservation_bytes
        ):
            stream_model(model, self._device)
            self._streamed.add(role)
        return model

    def _phase_starter(self, role: Role) -> Callable[[nn.Module, tuple[Any, ...]], None]:
        """A forward pre-hook: the transformer's phase starts when one of its modules runs."""

        def start_phase(module: nn.Module, args: tuple[Any, ...]) -> None:
            self._enter_phase(role)

        return start_phase

    def _enter_phase(self, role: Role) -> None:
        if self._resident == role:
            return  # the common case: every module call within a forward
        with self._lock:
            if self._resident != role:
                self._leave_phase()
                self._move(role, self._device)
                self._resident = role

    def _leave_phase(self) -> None:
        if self._resident is not None:
            self._move(self._resident, CPU)
            self._resident = None
            release_cached_memory(self._device)

    def _move(self, role: Role, device: torch.device) -> None:
        split = self._splits.get(role)
        if split is not None:
            split.move_resident_part(device)
        elif role not in self._streamed:  # a streamed model's hooks place its weights
            self._loaded[role].to(device)

    def _plan_split(self, role: Role, split: TransformerSplit) -> None:
        with self._lock:
            if self._resident == role:
                # The split changes under it; its next forward starts the phase again.
                self._leave_phase()
            split.plan(self._available_device_bytes(), self._preservation_bytes)

    def _available_device_bytes(self) -> int | None:
        """Free device memory plus what our own models hold there (they leave at a phase
        start); None on the CPU."""
        release_cached_memory(self._device)
        free = free_device_bytes(self._device)
        if free is None:
            return None
        models = [
            self._loaded[c.role] for c in COMPONENTS if c.has_weights and c.role in self._loaded
        ]
        return capped(free + device_bytes(*models), self._limit_bytes)

    def _device_label(self, role: Role, model: nn.Module) -> str:
        split = self._splits.get(role)
        if split is not None:
            return split.describe_device()
        if role in self._streamed:
            return f"{self._device if self._resident == role else CPU} (streamed)"
        return str(next(model.parameters()).device)


def _preservation_bytes(gb: float) -> int:
    if not gb >= 0:
        raise ValueError(f"gpu_memory_preservation must be a number of GB >= 0, not {gb!r}")
    return gb_to_bytes(gb)


def _limit_bytes(gb: float | None) -> int | None:
    if gb is None:
        return None
    if not gb > 0:
        raise ValueError(f"gpu_memory_limit must be a number of GB > 0, not {gb!r}")
    return gb_to_bytes(gb)


def _describe_model(role: Role, model: nn.Module, device: str) -> dict[str, object]:
    return {
        "name": role,
        "class_name": type(model).__name__,
        "dtype": _weight_dtypes(model),
        "device": device,
        "bytes": tensor_bytes(model),
    }


def _weight_dtypes(model: nn.Module) -> str:
    """The parameters' dtypes, most bytes first, joined by "+": "bfloat16" for a plain model,
    "float8_e4m3fn+bfloat16" for an fp8 transformer."""
    by_dtype: dict[torch.dtype, int] = {}
    for parameter in model.parameters():
        size = parameter.numel() * parameter.element_size()
        by_dtype[parameter.dtype] = by_dtype.get(parameter.dtype, 0) + size
    ordered = sorted(by_dtype, key=lambda dtype: -by_dtype[dtype])
    return "+".join(str(dtype).removeprefix("torch.") for dtype in ordered)
