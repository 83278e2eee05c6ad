"""Memory modes (docs/framepack.md §13): where each component's weights live, and when.

- high: every component is loaded onto the execution device and stays there.
- low: one component's phase at a time (ModelSet moves the components; framepack_engine.offload
  holds the offloading mechanics, this module the policy). The text encoders, the image encoder
  and the VAE come to the device for their phase only. The transformer keeps its non-block modules
  and as many leading blocks as fit on the device during its phase; the other blocks stay on the
  CPU and stream through the device one block at a time (diffusers' group offloading). VAE tiling
  and slicing are on.

The policy, with "GB" meaning GiB as in FramePack's own memory figures:
- auto: high on CUDA with more than HIGH_MODE_MIN_FREE_GB free when the set is created, else
  low; high on any other device (nothing to offload to on the CPU).
- gpu_memory_preservation (GB): device memory left free for activations. The transformer is
  fully resident in its phase when the available memory minus its size stays at or above the
  preservation. Otherwise room for STREAMED_BLOCKS_IN_FLIGHT of the largest block is set aside
  (one block computes while the next is copied in) and blocks stay resident, in execution order,
  while they fit; the rest stream. Full size with 22 GB free (a 24 GB card) and preservation 6:
  the 20 dual and 4 single blocks resident, 36 of 60 streamed (9.5 GB copied in per forward).
- An encoder that cannot sit on the device beside the preservation (the 15 GB Llama on cards
  below about 22 GB) streams its layers instead; decided once, when it loads.

The transformer's weight format (framepack_engine.fp8, docs/framepack.md §18) is chosen here too:
bf16 keeps the runtime dtype (bf16 on CUDA, float32 on the CPU); fp8 stores the blocks' linear
weights in float8 e4m3 with block-wise scales, about half the transformer's bytes.

Plain numbers only, no torch: the engine's command line reads its defaults from here.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal, get_args

MemoryMode = Literal["high", "low", "auto"]
ResolvedMemoryMode = Literal["high", "low"]
MEMORY_MODES: tuple[MemoryMode, ...] = get_args(MemoryMode)
DEFAULT_MEMORY_MODE: MemoryMode = "auto"

TransformerDtype = Literal["bf16", "fp8"]
TRANSFORMER_DTYPES: tuple[TransformerDtype, ...] = get_args(TransformerDtype)
DEFAULT_TRANSFORMER_DTYPE: TransformerDtype = "bf16"

GB = 1024**3
# FramePack's own test for its high-VRAM mode: the whole set fits with room for activations.
HIGH_MODE_MIN_FREE_GB = 60.0
# FramePack's default, the smallest value its UI offers.
DEFAULT_GPU_MEMORY_PRESERVATION_GB = 6.0
# A streamed block computes while the next one is copied in.
STREAMED_BLOCKS_IN_FLIGHT = 2


def resolve_memory_mode(
    requested: MemoryMode, device_type: str, free_bytes: int | None
) -> ResolvedMemoryMode:
    """`auto` becomes high on CUDA with more than HIGH_MODE_MIN_FREE_GB free, and off CUDA."""
    if requested != "auto":
        return requested
    if device_type != "cuda" or free_bytes is None:
        return "high"
    return "high" if free_bytes > HIGH_MODE_MIN_FREE_GB * GB else "low"


def gb_to_bytes(gb: float) -> int:
    return int(gb * GB)


def fits_resident(available_bytes: int | None, model_bytes: int, preservation_bytes: int) -> bool:
    """Whether a whole model can sit on the device and still leave the preservation free.

    No figure (the CPU) means yes: there is nothing to save by streaming there.
    """
    return available_bytes is None or model_bytes + preservation_bytes <= available_bytes


def resident_block_count(
    available_bytes: int | None,
    non_block_bytes: int,
    block_bytes: Sequence[int],
    preservation_bytes: int,
) -> int:
    """How many leading blocks (execution order) stay on the device; the others stream.

    The non-block modules are always resident: the forward calls them directly.
    """
    budget = (
        None if available_bytes is None else available_bytes - preservation_bytes - non_block_bytes
    )
    if budget is None or budget >= sum(block_bytes):
        return len(block_bytes)
    budget -= STREAMED_BLOCKS_IN_FLIGHT * max(block_bytes, default=0)
    count = 0
    for size in block_bytes:
        if size > budget:
            break
        budget -= size
        count += 1
    return count
