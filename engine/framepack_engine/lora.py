"""LoRA stacks merged into the FramePack transformer's Linear weights.

Files come in three key layouts: diffusers/PEFT (`<module>.lora_A.weight`), musubi-tuner/kohya
(`lora_unet_<module_with_underscores>.lora_down.weight` + `.alpha`) and the original HunyuanVideo
block names (`double_blocks.N.img_attn_qkv`, `single_blocks.N.linear1`, ... whose fused weights are
split over diffusers' separate layers). Every key is resolved against the model's own Linear
layers and merged as W += scale * (up @ down) * alpha / rank.

The original weight of each layer a LoRA touches is kept on the CPU, so that switching sets
restores the base model bit for bit instead of reloading 13B parameters from disk. Layers stored
in fp8 (framepack_engine.fp8) are never merged into: they take the stack as a low-rank term added
to their dequantised weight at forward time, and their fp8 weight and scales stay untouched.
"""

from __future__ import annotations

import json
import re
from collections import OrderedDict
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import torch
from safetensors import safe_open
from torch import Tensor, nn

from framepack_engine.fp8 import Fp8Linear


class LoraError(Exception):
    """A LoRA file that cannot be read or does not fit the model. The message names the file."""

    def __init__(self, path: Path, reason: str) -> None:
        super().__init__(f"LoRA file {path.name!r}: {reason}")
        self.path = path


@dataclass(frozen=True)
class LoraSpec:
    path: Path
    scale: float


@dataclass(frozen=True)
class LoraDelta:
    """The low-rank update of one Linear layer: delta W = (up @ down) * alpha_over_rank."""

    up: Tensor  # (out_features, rank)
    down: Tensor  # (rank, in_features)
    alpha_over_rank: float


# Trainers prefix the transformer's module names differently; one of these is stripped.
_KEY_PREFIXES = ("transformer.", "diffusion_model.", "lora_unet_")
# PEFT calls the matrices lora_A/lora_B, kohya lora_down/lora_up.
_ROLE_BY_SUFFIX = {
    ".lora_A.weight": "down",
    ".lora_down.weight": "down",
    ".lora_B.weight": "up",
    ".lora_up.weight": "up",
    ".alpha": "alpha",
}
# Where diffusers/PEFT files keep `lora_alpha` when they carry no per-layer `.alpha` tensors.
_ADAPTER_METADATA_KEY = "lora_adapter_metadata"

# Original HunyuanVideo layer within a block (flattened: dots as underscores, the form kohya keys
# use) -> the diffusers layers it became, in the order their rows are stacked in the fused weight.
# Checked against diffusers' `_convert_hunyuan_video_lora_to_diffusers` and musubi-tuner's
# `convert_hunyuan_to_framepack`.
_DOUBLE_BLOCK_LAYERS = {
    "img_attn_qkv": ("attn.to_q", "attn.to_k", "attn.to_v"),
    "txt_attn_qkv": ("attn.add_q_proj", "attn.add_k_proj", "attn.add_v_proj"),
    "img_attn_proj": ("attn.to_out.0",),
    "txt_attn_proj": ("attn.to_add_out",),
    "img_mlp_fc1": ("ff.net.0.proj",),
    "img_mlp_fc2": ("ff.net.2",),
    "txt_mlp_fc1": ("ff_context.net.0.proj",),
    "txt_mlp_fc2": ("ff_context.net.2",),
    "img_mod_linear": ("norm1.linear",),
    "txt_mod_linear": ("norm1_context.linear",),
}
_SINGLE_BLOCK_LAYERS = {
    # linear1 computes q, k, v and the MLP input in one matmul; linear2 reads [attn, mlp].
    "linear1": ("attn.to_q", "attn.to_k", "attn.to_v", "proj_mlp"),
    "linear2": ("proj_out",),
    "modulation_linear": ("norm.linear",),
}
_ORIGINAL_BLOCKS = {
    "double_blocks": ("transformer_blocks", _DOUBLE_BLOCK_LAYERS),
    "single_blocks": ("single_transformer_blocks", _SINGLE_BLOCK_LAYERS),
}
_ORIGINAL_LAYER_NAME = re.compile(r"(double_blocks|single_blocks)_(\d+)_(\w+)")


def _flat(module_name: str) -> str:
    """kohya's spelling of a module path: `a.b.0.c` -> `a_b_0_c`."""
    return module_name.replace(".", "_")


def _linear_layers(model: nn.Module) -> dict[str, nn.Linear]:
    return {name: module for name, module in model.named_modules() if isinstance(module, nn.Linear)}


def _split_key(key: str) -> tuple[str, str] | None:
    """(flattened module name, role) of a LoRA tensor key; None when it is no LoRA key."""
    for suffix, role in _ROLE_BY_SUFFIX.items():
        if key.endswith(suffix):
            module = key.removesuffix(suffix)
            for prefix in _KEY_PREFIXES:
                if module.startswith(prefix):
                    module = module.removeprefix(prefix)
                    break
            return _flat(module), role
    return None


def _target_layers(flat_module: str, name_by_flat: Mapping[str, str]) -> tuple[str, ...]:
    """Diffusers names of the layers a (flattened) LoRA module name updates; () when unknown."""
    if flat_module in name_by_flat:
        return (name_by_flat[flat_module],)
    match = _ORIGINAL_LAYER_NAME.fullmatch(flat_module)
    if match is None:
        return ()
    original_block, index, layer = match.groups()
    diffusers_block, layers = _ORIGINAL_BLOCKS[original_block]
    return tuple(f"{diffusers_block}.{index}.{target}" for target in layers.get(layer, ()))


def _read_safetensors(path: Path) -> tuple[dict[str, Tensor], dict[str, str]]:
    try:
        with safe_open(str(path), framework="pt", device="cpu") as file:
            metadata: dict[str, str] = file.metadata() or {}
            # safe_open handles are not iterable, hence keys().
            tensors: dict[str, Tensor] = {key: file.get_tensor(key) for key in file.keys()}  # noqa: SIM118
    except Exception as exc:  # safetensors raises its own error type as well as OSError
        raise LoraError(path, f"cannot be read as safetensors ({exc})") from exc
    return tensors, metadata


def _metadata_alpha(path: Path, metadata: Mapping[str, str]) -> float | None:
    """The `lora_alpha` diffusers/PEFT record in the file metadata, if any."""
    raw = metadata.get(_ADAPTER_METADATA_KEY)
    if raw is None:
        return None
    try:
        config = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise LoraError(path, f"unreadable {_ADAPTER_METADATA_KEY} ({exc})") from exc
    if not isinstance(config, dict):
        raise LoraError(path, f"{_ADAPTER_METADATA_KEY} is not a JSON object")
    # diffusers' pipeline writer prefixes the adapter config with the component name.
    config = {key.removeprefix("transformer."): value for key, value in config.items()}
    if config.get("alpha_pattern") or config.get("use_rslora"):
        # Per-layer alphas or alpha / sqrt(rank) scaling would be silently merged wrong.
        raise LoraError(path, "per-layer alpha_pattern and rsLoRA scaling are not supported")
    alpha = config.get("lora_alpha")
    return None if alpha is None else float(alpha)


def _group_by_module(path: Path, tensors: Mapping[str, Tensor]) -> dict[str, dict[str, Tensor]]:
    """flattened module name -> {"up" | "down" | "alpha": tensor}."""
    groups: dict[str, dict[str, Tensor]] = {}
    for key, tensor in tensors.items():
        parsed = _split_key(key)
        if parsed is None:
            raise LoraError(path, f"key {key!r} is not a LoRA weight")
        module, role = parsed
        group = groups.setdefault(module, {})
        if role in group:
            raise LoraError(path, f"two {role} tensors for module {module!r}")
        group[role] = tensor
    if not groups:
        raise LoraError(path, "contains no LoRA weights")
    return groups


def _module_deltas(
    path: Path,
    module: str,
    group: Mapping[str, Tensor],
    targets: Mapping[str, nn.Linear],
    default_alpha: float | None,
) -> dict[str, LoraDelta]:
    """The deltas one file module contributes to its target layers (several for a fused weight)."""
    if "up" not in group or "down" not in group:
        raise LoraError(path, f"module {module!r} lacks its up or down matrix")
    up, down = group["up"], group["down"]  # (fused_out_features, rank), (rank, in_features)
    if up.ndim != 2 or down.ndim != 2 or up.shape[1] != down.shape[0] or down.shape[0] == 0:
        raise LoraError(
            path, f"module {module!r}: up {tuple(up.shape)} and down {tuple(down.shape)} mismatch"
        )
    rows = [layer.out_features for layer in targets.values()]
    in_features = {layer.in_features for layer in targets.values()}
    if sum(rows) != up.shape[0] or in_features != {down.shape[1]}:
        raise LoraError(
            path,
            f"module {module!r}: up {tuple(up.shape)} / down {tuple(down.shape)} do not fit "
            f"layers {list(targets)} (out {rows}, in {sorted(in_features)})",
        )
    rank = down.shape[0]
    if "alpha" in group:
        if group["alpha"].numel() != 1:
            raise LoraError(path, f"module {module!r}: alpha is not a scalar")
        alpha = float(group["alpha"].item())
    else:
        alpha = default_alpha if default_alpha is not None else float(rank)
    # A fused up matrix stacks its layers' rows; each part pairs with the shared down matrix.
    up_parts = torch.split(up, rows, dim=0)
    return {
        target: LoraDelta(up=part, down=down, alpha_over_rank=alpha / rank)
        for target, part in zip(targets, up_parts, strict=True)
    }


def load_lora_deltas(path: Path, model: nn.Module) -> dict[str, LoraDelta]:
    """Read a LoRA file and resolve it against `model`: Linear layer name -> its delta.

    Validates everything (format, keys, target layers, shapes) without touching the model.
    Raises LoraError naming the file.
    """
    tensors, metadata = _read_safetensors(path)
    default_alpha = _metadata_alpha(path, metadata)
    layers = _linear_layers(model)
    name_by_flat = {_flat(name): name for name in layers}
    deltas: dict[str, LoraDelta] = {}
    for module, group in _group_by_module(path, tensors).items():
        target_names = _target_layers(module, name_by_flat)
        if not target_names or any(name not in layers for name in target_names):
            raise LoraError(path, f"module {module!r} names no Linear layer of the model")
        targets = {name: layers[name] for name in target_names}
        for target, delta in _module_deltas(path, module, group, targets, default_alpha).items():
            if target in deltas:
                raise LoraError(path, f"layer {target!r} is targeted twice")
            deltas[target] = delta
    return deltas


def _merged_weight(original: Tensor, contributions: Sequence[tuple[LoraDelta, float]]) -> Tensor:
    """original + sum(scale * (up @ down) * alpha / rank), summed in float32, cast back."""
    merged = original.to(torch.float32, copy=True)  # (out_features, in_features)
    for delta, scale in contributions:
        up = delta.up.to(merged.device, torch.float32)  # (out_features, rank)
        down = delta.down.to(merged.device, torch.float32)  # (rank, in_features)
        merged.addmm_(up, down, alpha=scale * delta.alpha_over_rank)
    return merged.to(original.dtype)


# Identifies one version of a file on disk: (resolved path, mtime in ns, size in bytes).
_FileSignature = tuple[Path, int, int]


def _file_signature(path: Path) -> _FileSignature:
    try:
        stat = path.stat()
    except OSError as exc:
        raise LoraError(path, f"cannot be opened ({exc})") from exc
    return path.resolve(), stat.st_mtime_ns, stat.st_size


class LoraManager:
    """The LoRA stack merged into one model, switchable without reloading the base weights.

    Before a layer is first modified its original weight is copied to the CPU (in its own dtype);
    switching or clearing copies it back, so the base model returns bit for bit.
    """

    def __init__(self, model: nn.Module, cache_size: int = 4) -> None:
        self._model = model
        self._layers = _linear_layers(model)
        # Parsed files, least recently used first, so that switching between sets skips disk.
        self._cache: OrderedDict[_FileSignature, dict[str, LoraDelta]] = OrderedDict()
        self._cache_size = cache_size
        self._originals: dict[str, Tensor] = {}  # layer name -> original weight, on the CPU
        self._side_paths: set[str] = set()  # fp8 layers carrying a LoRA term
        self._active: tuple[LoraSpec, ...] = ()
        self._merged: tuple[tuple[_FileSignature, float], ...] = ()

    @property
    def active(self) -> tuple[LoraSpec, ...]:
        """The merged stack, without zero-scale entries."""
        return self._active

    def apply(self, specs: Sequence[LoraSpec]) -> None:
        """Make `specs` the merged stack, replacing the previous one.

        Zero-scale entries are skipped (scale 0 is no LoRA at all). Re-applying the merged stack
        is a no-op. Raises LoraError before any weight changes when a file is bad.
        """
        effective = tuple(spec for spec in specs if spec.scale != 0.0)
        merged = tuple((_file_signature(spec.path), spec.scale) for spec in effective)
        if merged != self._merged:
            stack = [
                (self._deltas(signature, spec.path), spec.scale)
                for spec, (signature, _) in zip(effective, merged, strict=True)
            ]
            self._merge(stack)
        self._active, self._merged = effective, merged

    def clear(self) -> None:
        """Restore every modified layer to its original weight."""
        self._restore_originals(keep=())
        self._active, self._merged = (), ()

    def _deltas(self, signature: _FileSignature, path: Path) -> dict[str, LoraDelta]:
        deltas = self._cache.get(signature)
        if deltas is None:
            deltas = load_lora_deltas(path, self._model)
            self._cache[signature] = deltas
            while len(self._cache) > self._cache_size:
                self._cache.popitem(last=False)
        else:
            self._cache.move_to_end(signature)
        return deltas

    def _merge(self, stack: Sequence[tuple[Mapping[str, LoraDelta], float]]) -> None:
        contributions: dict[str, list[tuple[LoraDelta, float]]] = {}
        for deltas, scale in stack:
            for name, delta in deltas.items():
                contributions.setdefault(name, []).append((delta, scale))
        try:
            self._restore_originals(keep=contributions.keys())
            with torch.no_grad():
                for name, layer_contributions in contributions.items():
                    layer = self._layers[name]
                    if isinstance(layer, Fp8Linear):
                        layer.set_lora(
                            [
                                (d.up, d.down, scale * d.alpha_over_rank)
                                for d, scale in layer_contributions
                            ]
                        )
                        self._side_paths.add(name)
                        continue
                    weight = layer.weight
                    if name not in self._originals:
                        self._originals[name] = weight.detach().to("cpu", copy=True)
                    weight.copy_(_merged_weight(weight, layer_contributions))
        except BaseException:
            # A failure mid-way (e.g. out of memory) leaves the base model, not a half-merged one.
            self.clear()
            raise

    def _restore_originals(self, keep: Collection[str]) -> None:
        """Copy every saved original back; forget those of layers outside `keep`. fp8 layers
        drop their LoRA term (their weights were never changed)."""
        with torch.no_grad():
            for name, original in self._originals.items():
                self._layers[name].weight.copy_(original)
        for name in self._side_paths:
            layer = self._layers[name]
            assert isinstance(layer, Fp8Linear)
            layer.set_lora(())
        self._side_paths = set()
        self._originals = {name: w for name, w in self._originals.items() if name in keep}
