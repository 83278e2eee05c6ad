"""Offloading mechanics of the low memory mode (the policy is in framepack_engine.memory).

Byte counts of modules on and off the device, diffusers' group offloading of the encoders' layers
and of the transformer's blocks, and TransformerSplit, which moves a transformer's resident part
with its phase while the other blocks stream.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from itertools import pairwise
from typing import Any

import torch
from diffusers.hooks import HookRegistry, apply_group_offloading

# The registry name of diffusers' group offloading hook (private; the tests pin its behaviour).
from diffusers.hooks.group_offloading import _GROUP_OFFLOADING
from torch import nn

from framepack_engine.memory import resident_block_count

# The transformer's block lists, in the order its forward runs them.
BLOCK_LISTS = ("transformer_blocks", "single_transformer_blocks")
CPU = torch.device("cpu")


def free_device_bytes(device: torch.device) -> int | None:
    """Free memory on a CUDA device; None elsewhere (the CPU has no separate device memory)."""
    if device.type != "cuda":
        return None
    free, _ = torch.cuda.mem_get_info(device)
    return int(free)


def capped(available_bytes: int | None, limit_bytes: int | None) -> int | None:
    """Available device memory under the engine's limit (--gpu-memory-gb); None stays None."""
    if available_bytes is None or limit_bytes is None:
        return available_bytes
    return min(available_bytes, limit_bytes)


def cap_device_memory(device: torch.device, limit_bytes: int) -> None:
    """Make the limit binding on CUDA: the caching allocator refuses to hold more than it (an
    allocation beyond it is an out-of-memory error, as on a card of that size). The CUDA
    context itself (a few hundred MB) is outside the allocator and not counted."""
    if device.type != "cuda":
        return
    total = torch.cuda.get_device_properties(device).total_memory
    torch.cuda.set_per_process_memory_fraction(min(1.0, limit_bytes / total), device)


def release_cached_memory(device: torch.device) -> None:
    """Hand blocks the caching allocator keeps back to the device, so free figures are true."""
    if device.type == "cuda":
        torch.cuda.empty_cache()


def _tensors(modules: Iterable[nn.Module]) -> list[torch.Tensor]:
    return [t for module in modules for t in (*module.parameters(), *module.buffers())]


def tensor_bytes(*modules: nn.Module) -> int:
    return sum(t.numel() * t.element_size() for t in _tensors(modules))


def device_bytes(*modules: nn.Module) -> int:
    """The bytes of these modules' weights that are off the CPU right now."""
    return sum(t.numel() * t.element_size() for t in _tensors(modules) if t.device.type != "cpu")


def transformer_blocks(model: nn.Module) -> list[nn.Module]:
    """The dual-stream then single-stream blocks, in the order the forward runs them."""
    return [block for name in BLOCK_LISTS for block in model.get_submodule(name).children()]


def _offload_hook(module: nn.Module) -> Any:
    registry = getattr(module, "_diffusers_hook", None)
    return None if registry is None else registry.get_hook(_GROUP_OFFLOADING)


def is_streamed(module: nn.Module) -> bool:
    """Whether diffusers' group offloading manages this module's weights."""
    return _offload_hook(module) is not None


def stream_model(model: nn.Module, device: torch.device) -> None:
    """Group offloading over a whole model whose own forward we call (the encoders).

    Its ModuleList layers stream one by one, the rest loads when the model's forward starts; on
    CUDA diffusers prefetches the next layer on a side stream (it traces the order on the first
    call).
    """
    apply_group_offloading(
        model,
        onload_device=device,
        offload_type="block_level",
        num_blocks_per_group=1,
        use_stream=device.type == "cuda",
    )


def stream_blocks(blocks: Sequence[nn.Module], device: torch.device) -> None:
    """Keep `blocks` on the CPU; each is copied to `device` for its own forward only.

    diffusers' block-level group offloading, one block per group. The blocks are handed over in a
    bare container on purpose: applied to the whole transformer, diffusers also puts every
    non-block module into one group that only the transformer's own forward loads, and
    framepack_forward calls the submodules directly. This way every hook sits on a block.

    On CUDA (docs/framepack.md §13.1):
    - the blocks' host weights are pinned in place first, one tensor at a time
      (`pin_in_place`): diffusers' stream path keeps a pinned copy of every weight, and made
      from unpinned weights those copies are all allocated before the originals are released,
      so the host would briefly hold the streamed blocks twice (about 23 GB at full size);
    - `record_stream`: a block's device copy is marked as used by the compute stream, so its
      memory is not reused before that stream is done with it. Without it diffusers waits for
      the compute stream after every block (a host synchronisation per block).
    """
    if not blocks:
        return
    use_stream = device.type == "cuda"
    if use_stream:
        pin_in_place(blocks)
    apply_group_offloading(
        nn.ModuleList([nn.ModuleList(blocks)]),
        onload_device=device,
        offload_type="block_level",
        num_blocks_per_group=1,
        use_stream=use_stream,
        record_stream=use_stream,
    )
    if use_stream:
        _chain_prefetch(blocks)


def _pin(tensor: torch.Tensor) -> torch.Tensor:
    return tensor.pin_memory()


def pin_in_place(
    modules: Iterable[nn.Module], pin: Callable[[torch.Tensor], torch.Tensor] = _pin
) -> None:
    """Replace each CPU weight of `modules` by a pinned copy, one tensor at a time.

    Each unpinned original is released as soon as its pinned copy exists, so the host never
    holds more than one extra tensor. diffusers' `_to_cpu` then finds the weights pinned, and
    `Tensor.pin_memory()` of a pinned tensor is the tensor itself: no second copy.
    """
    with torch.no_grad():
        for tensor in _tensors(modules):
            if tensor.device.type == "cpu" and not tensor.is_pinned():
                tensor.data = pin(tensor.data)


@contextmanager
def weights_on_device(block: nn.Module) -> Iterator[None]:
    """Within the block, a streamed block's weights are on the device; outside, as they were.

    For calls into a block's submodules from outside the block's own forward (TeaCache's probe of
    the first block's norm1, docs/framepack.md §12): the offloading hook sits on the block and
    only its forward loads the weights. Not streamed, or already loaded: nothing to do. Otherwise
    the block's group is loaded for the call (synchronously) and offloaded after, so the block's
    own forward then loads it again as usual: one extra copy of one block per forward.
    """
    hook = _offload_hook(block)
    if hook is None or not _offloaded(hook.group):
        yield
        return
    group = hook.group
    group.onload_()
    if group.stream is not None:
        group.stream.synchronize()
    try:
        yield
    finally:
        group.offload_()


def _offloaded(group: Any) -> bool:
    tensors = [t for module in group.modules for t in (*module.parameters(), *module.buffers())]
    return bool(tensors) and tensors[0].device.type != group.onload_device.type


def _chain_prefetch(blocks: Sequence[nn.Module]) -> None:
    """While block i runs, block i+1 is copied in on the side stream.

    diffusers builds this chain itself after tracing one call of the offloaded module's forward;
    the container above is never called, so the fixed order is set here the way diffusers sets
    it. The first block loads itself at each forward, synchronously: nothing prefetches it, and
    an asynchronous copy that nothing waits for would race the computation.
    """
    hooks = [_offload_hook(block) for block in blocks]
    for current, following in pairwise(hooks):
        current.next_group = following.group
        following.group.onload_self = False
    hooks[0].group.non_blocking = False


def stop_streaming(blocks: Iterable[nn.Module]) -> None:
    """Remove group offloading from these blocks; their weights stay where they are (the CPU)."""
    for block in blocks:
        HookRegistry.check_if_exists_or_initialize(block).remove_hook(
            _GROUP_OFFLOADING, recurse=False
        )


class TransformerSplit:
    """A transformer in low mode: what moves with its phase, and what streams.

    The non-block modules (embedders, norm_out, proj_out: about 0.8 GB at full size) and the
    first `resident_count` blocks move to the device when the phase starts and back after; the
    other blocks stay on the CPU and stream (`stream_blocks`). Until the first plan nothing
    streams.
    """

    def __init__(self, model: nn.Module, device: torch.device) -> None:
        self._device = device
        self.blocks = transformer_blocks(model)
        self.non_block_modules = [
            module for name, module in model.named_children() if name not in BLOCK_LISTS
        ]
        self.resident_count = len(self.blocks)
        self.planned_preservation_bytes: int | None = None

    @property
    def streams(self) -> bool:
        return self.resident_count < len(self.blocks)

    def plan(self, available_bytes: int | None, preservation_bytes: int) -> None:
        """Split again for this preservation; call it while the resident part is on the CPU."""
        count = resident_block_count(
            available_bytes,
            tensor_bytes(*self.non_block_modules),
            [tensor_bytes(block) for block in self.blocks],
            preservation_bytes,
        )
        if count != self.resident_count:
            # The prefetch chain runs over every streamed block, so it is rebuilt whole.
            stop_streaming(self.blocks[self.resident_count :])
            stream_blocks(self.blocks[count:], self._device)
            self.resident_count = count
        self.planned_preservation_bytes = preservation_bytes

    def move_resident_part(self, device: torch.device) -> None:
        for module in (*self.non_block_modules, *self.blocks[: self.resident_count]):
            module.to(device)

    def modules_in_forward(self) -> list[nn.Module]:
        """Every module the forward calls: the first one to run starts the phase."""
        return [*self.non_block_modules, *self.blocks]

    def describe_device(self) -> str:
        """Where the resident part is now, and whether blocks stream."""
        where = str(_tensors(self.non_block_modules)[0].device)
        return f"{where} (streamed)" if self.streams else where
