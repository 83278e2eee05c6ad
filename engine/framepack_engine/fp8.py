"""FP8 weights for the transformer's blocks (docs/framepack.md §18).

With `--transformer-dtype fp8` every Linear inside the dual- and single-stream blocks, except the
AdaLN modulation linears (names containing "norm"), keeps its weight as float8 e4m3
(`torch.float8_e4m3fn`) with block-wise scales: each run of BLOCK_SIZE weights along
in_features shares one scale, absmax / 448 (at least MIN_SCALE); a layer whose in_features is
not a multiple of BLOCK_SIZE gets one scale per output row. Everything else (embedders, norms,
biases, the output projection) stays in the runtime dtype.

At forward time the layer dequantises its weight to its compute dtype (the dtype the weight had
before quantising: bf16 on CUDA, float32 on the CPU) and runs the ordinary linear: no matmul in
fp8. The quantised weight and its scales are ordinary parameters and buffers, so moving a block
(the memory modes' phases and streaming) moves the fp8 bytes.

LoRA never touches the fp8 weight: a quantised layer adds its LoRA stack as a low-rank term to
the dequantised copy, W = dequant(q, scale) + up @ down, each forward. Clearing the stack drops
the factors, so the base weight and scales are never rewritten and restore trivially bit for bit.
"""

from __future__ import annotations

from collections.abc import Sequence

import torch
import torch.nn.functional as F
from torch import Tensor, nn

from framepack_engine.offload import transformer_blocks

FP8_DTYPE = torch.float8_e4m3fn
FP8_MAX = float(torch.finfo(FP8_DTYPE).max)  # 448
BLOCK_SIZE = 64  # weights along in_features sharing one scale
MIN_SCALE = 1e-8  # an all-zero block still gets a finite, nonzero scale


def scale_blocks(in_features: int) -> int:
    """How many scales each output row has: in_features / BLOCK_SIZE, or 1 when that does not
    divide evenly."""
    return in_features // BLOCK_SIZE if in_features % BLOCK_SIZE == 0 else 1


def quantise_weight(weight: Tensor, scale_dtype: torch.dtype) -> tuple[Tensor, Tensor]:
    """(fp8 weight (out, in), scales (out, blocks) in `scale_dtype`) of a 2-D weight.

    The scale is rounded to `scale_dtype` before dividing, so dequantising with the stored scale
    undoes exactly the division that was made; values beyond +-448 after that rounding clamp.
    """
    out_features, in_features = weight.shape
    blocks = weight.detach().to(torch.float32).reshape(out_features, scale_blocks(in_features), -1)
    scale = (blocks.abs().amax(dim=2, keepdim=True) / FP8_MAX).clamp_min(MIN_SCALE)
    scale = scale.to(scale_dtype)
    quantised = (blocks / scale.to(torch.float32)).clamp_(-FP8_MAX, FP8_MAX).to(FP8_DTYPE)
    return quantised.reshape(out_features, in_features), scale.squeeze(2)


def dequantise_weight(quantised: Tensor, scale: Tensor, dtype: torch.dtype) -> Tensor:
    """The weight in `dtype`: each fp8 value (exact in bf16 and float32) times its block's scale."""
    out_features, in_features = quantised.shape
    weight = quantised.to(dtype).reshape(out_features, scale.shape[1], -1)
    weight.mul_(scale.to(dtype).unsqueeze(2))
    return weight.reshape(out_features, in_features)


class Fp8Linear(nn.Linear):
    """A Linear whose weight is stored in fp8 with block-wise scales (see the module docstring).

    Still an nn.Linear (in_features, out_features, bias), so LoRA files resolve against it as
    before; `weight` is the fp8 parameter and `weight_scale` a buffer, both moved with the module.
    """

    weight_scale: Tensor

    def __init__(self, linear: nn.Linear, work_device: torch.device | None = None) -> None:
        nn.Module.__init__(self)  # nn.Linear's own __init__ would allocate a fresh weight
        self.in_features, self.out_features = linear.in_features, linear.out_features
        self.compute_dtype = linear.weight.dtype
        home = linear.weight.device
        source = linear.weight if work_device is None else linear.weight.to(work_device)
        quantised, scale = quantise_weight(source, scale_dtype=self.compute_dtype)
        self.weight = nn.Parameter(quantised.to(home), requires_grad=False)
        self.register_buffer("weight_scale", scale.to(home))
        self.register_parameter("bias", linear.bias)
        # The LoRA stack as one low-rank pair, float32 on the CPU: up (out, rank) with each
        # LoRA's scale * alpha / rank folded in, down (rank, in). Plus its copy on the device and
        # dtype of the last forward, made on first use.
        self._lora: tuple[Tensor, Tensor] | None = None
        self._lora_copy: tuple[Tensor, Tensor] | None = None

    @property
    def has_lora(self) -> bool:
        return self._lora is not None

    def set_lora(self, terms: Sequence[tuple[Tensor, Tensor, float]]) -> None:
        """Replace the LoRA stack by `terms`, each (up (out, rank), down (rank, in), factor):
        delta W = sum(factor * up @ down). No terms: the plain dequantised weight again."""
        if not terms:
            self._lora = None
        else:
            up = torch.cat([u.to("cpu", torch.float32) * factor for u, _, factor in terms], dim=1)
            down = torch.cat([d.to("cpu", torch.float32) for _, d, _ in terms], dim=0)
            self._lora = (up, down)
        self._lora_copy = None

    def dequantised_weight(self) -> Tensor:
        """The weight the forward uses: dequantised, plus the LoRA stack, in the compute dtype."""
        weight = dequantise_weight(self.weight, self.weight_scale, self.compute_dtype)
        if self._lora is not None:
            up, down = self._lora_factors(weight.device)
            weight.addmm_(up, down)
        return weight

    def forward(self, input: Tensor) -> Tensor:
        return F.linear(input, self.dequantised_weight(), self.bias)

    def _lora_factors(self, device: torch.device) -> tuple[Tensor, Tensor]:
        assert self._lora is not None
        copy = self._lora_copy
        if copy is None or copy[0].device != device:
            up, down = self._lora
            copy = self._lora_copy = (
                up.to(device, self.compute_dtype),
                down.to(device, self.compute_dtype),
            )
        return copy

    def extra_repr(self) -> str:
        return f"{super().extra_repr()}, fp8 with {self.weight_scale.shape[1]} scale(s) per row"


def quantisable(name: str, module: nn.Module) -> bool:
    """A block's Linear that fp8 stores: all but the AdaLN modulation ("norm" in the name)."""
    return type(module) is nn.Linear and "norm" not in name


def quantise_transformer(model: nn.Module, work_device: torch.device | None = None) -> int:
    """Replace the quantisable Linears of every block by Fp8Linear, one layer at a time (the
    layer's full-precision weight is freed as soon as its fp8 copy exists). The arithmetic runs
    on `work_device` when given (the GPU, much faster than the CPU at full size); the results stay
    where the weights were. Returns the number of layers quantised."""
    count = 0
    with torch.no_grad():
        for block in transformer_blocks(model):
            for name, module in list(block.named_modules()):
                if quantisable(name, module):
                    assert isinstance(module, nn.Linear)
                    parent_name, _, child = name.rpartition(".")
                    parent = block.get_submodule(parent_name)
                    setattr(parent, child, Fp8Linear(module, work_device))
                    count += 1
    return count


def fp8_layers(model: nn.Module) -> dict[str, Fp8Linear]:
    return {name: m for name, m in model.named_modules() if isinstance(m, Fp8Linear)}
