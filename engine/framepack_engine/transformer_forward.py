"""FramePack's transformer forward, on diffusers' HunyuanVideoFramepackTransformer3DModel.

diffusers' own forward raises when a context group (clean, 2x or 4x) is absent: the
rotary embeddings of absent groups are never assigned. One-frame inference drops
those groups on purpose (`no_post`, `no_2x`, `no_4x`; transfer uses neither 2x nor
4x), so this module runs the same sub-modules in the same order, packing only the
groups that are present. With every group present the result is the library's.
It also runs the output projection in float32, as the reference does.

Attention (docs/framepack.md §6.1): the blocks run under an explicit SDPA backend priority
(cuDNN, flash, memory-efficient, math), and a batch never carries a padding mask when its
prompts have the same real length; mixed lengths attend per sample over each sample's real
tokens, so flash-class kernels still run.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import torch
import torch.nn.functional as F
from torch.nn.attention import SDPBackend, sdpa_kernel
from torch.overrides import TorchFunctionMode

from framepack_engine.block_cache import BlockCache
from framepack_engine.offload import weights_on_device


@dataclass(frozen=True)
class ContextGroup:
    """Clean latents at one compression, with the frame index of each latent frame."""

    latents: torch.Tensor  # (B, 16, T_group, H/8, W/8)
    indices: torch.Tensor  # (T_group,) long

    def to(self, device: torch.device) -> ContextGroup:
        return ContextGroup(self.latents.to(device), self.indices.to(device))


@dataclass(frozen=True)
class FrameContext:
    """Where the noisy frames sit and which clean context the model sees."""

    noisy_indices: torch.Tensor  # (T,) long, frame index of each noisy latent frame
    clean: ContextGroup | None = None
    history_2x: ContextGroup | None = None
    history_4x: ContextGroup | None = None

    def to(self, device: torch.device) -> FrameContext:
        def move(group: ContextGroup | None) -> ContextGroup | None:
            return None if group is None else group.to(device)

        return FrameContext(
            self.noisy_indices.to(device),
            move(self.clean),
            move(self.history_2x),
            move(self.history_4x),
        )


@dataclass(frozen=True)
class Conditioning:
    """Everything the model sees besides the latents; batch B matches the latents."""

    text: torch.Tensor  # (B, L, D_text) Llama hidden states
    text_mask: torch.Tensor  # (B, L) bool
    pooled: torch.Tensor  # (B, P) CLIP pooled
    image: torch.Tensor  # (B, 729, D_image) SigLIP last hidden state


def framepack_forward(
    model: Any,
    latents: torch.Tensor,  # (B, 16, T, H/8, W/8)
    timestep: torch.Tensor,  # (B,) sigma * 1000
    guidance: torch.Tensor,  # (B,) gs * 1000
    conditioning: Conditioning,
    context: FrameContext,
    cache: BlockCache | None = None,
) -> torch.Tensor:
    """Velocity prediction (B, 16, T, H/8, W/8) in float32."""
    batch, _, frames, height, width = latents.shape
    p, p_t = model.config.patch_size, model.config.patch_size_t
    post_frames, post_height, post_width = frames // p_t, height // p, width // p
    noisy_tokens = post_frames * post_height * post_width
    device, dtype = latents.device, model.dtype

    hidden = model.x_embedder(latents.to(dtype))  # (B, T*h*w/4, inner)
    rope = model.rope(
        frame_indices=context.noisy_indices, height=height, width=width, device=device
    )
    hidden, rope = _pack_context(model, hidden, rope, context, height, width)

    temb, _ = model.time_text_embed(
        timestep.to(dtype), conditioning.pooled.to(dtype), guidance.to(dtype)
    )
    text_mask = conditioning.text_mask
    text = model.context_embedder(conditioning.text.to(dtype), timestep.to(dtype), text_mask)
    image = model.image_projection(conditioning.image.to(dtype))  # (B, 729, inner)
    # Image tokens go before the text tokens, because padding is masked at the end.
    encoder_hidden = torch.cat([image, text], dim=1)
    encoder_mask = torch.cat([text_mask.new_ones((batch, image.shape[1])), text_mask], dim=1)
    # Padding is at the end: crop to the longest real condition; shorter ones attend per sample.
    condition_lengths = [int(length) for length in encoder_mask.sum(dim=1).tolist()]
    encoder_hidden = encoder_hidden[:, : max(condition_lengths)]
    key_lengths = _key_lengths(hidden.shape[1], condition_lengths)

    if cache is None or cache.should_compute(lambda: _modulated_input(model, hidden, temb)):
        before = hidden
        with attention_backends(), per_sample_attention(key_lengths):
            hidden = _run_blocks(model, hidden, encoder_hidden, temb, None, rope)
        if cache is not None:
            cache.remember(before, hidden)
    else:
        hidden = cache.reuse(hidden)

    hidden = hidden[:, -noisy_tokens:]  # only the noisy tokens come out
    hidden = model.norm_out(hidden, temb)
    projection = model.proj_out
    hidden = F.linear(hidden.float(), projection.weight.float(), projection.bias.float())
    hidden = hidden.reshape(batch, post_frames, post_height, post_width, -1, p_t, p, p)
    hidden = hidden.permute(0, 4, 1, 5, 2, 6, 3, 7)
    return hidden.flatten(6, 7).flatten(4, 5).flatten(2, 3)  # (B, 16, T, H/8, W/8)


def _run_blocks(
    model: Any,
    hidden: torch.Tensor,
    encoder_hidden: torch.Tensor,
    temb: torch.Tensor,
    attention_mask: torch.Tensor | None,
    rope: tuple[torch.Tensor, torch.Tensor],
) -> torch.Tensor:
    for block in model.transformer_blocks:
        hidden, encoder_hidden = block(hidden, encoder_hidden, temb, attention_mask, rope)
    for block in model.single_transformer_blocks:
        hidden, encoder_hidden = block(hidden, encoder_hidden, temb, attention_mask, rope)
    return hidden


def _modulated_input(model: Any, hidden: torch.Tensor, temb: torch.Tensor) -> torch.Tensor:
    """The first block's normalised, modulated input tokens (TeaCache's probe)."""
    first = model.transformer_blocks[0]
    # In low mode the first block may stream: its norm1 is only on the device within the block.
    with weights_on_device(first):
        modulated: torch.Tensor = first.norm1(hidden, emb=temb)[0]
    return modulated


def _pack_context(
    model: Any,
    hidden: torch.Tensor,
    rope: tuple[torch.Tensor, torch.Tensor],
    context: FrameContext,
    height: int,
    width: int,
) -> tuple[torch.Tensor, tuple[torch.Tensor, torch.Tensor]]:
    """Prepends the present groups' tokens and rotary embeddings: [4x, 2x, clean, noisy]."""
    groups = (context.clean, context.history_2x, context.history_4x)
    embedded = model.clean_x_embedder(
        *(None if g is None else g.latents.to(hidden.dtype) for g in groups)
    )
    # The 2x and 4x tokens cover 2x2x2 and 4x4x4 latent cells; their rotary
    # embeddings are the cell means, as the library computes them.
    kernels = (None, (2, 2, 2), (4, 4, 4))
    cos, sin = rope
    post_height, post_width = height // model.config.patch_size, width // model.config.patch_size
    for group, tokens, kernel in zip(groups, embedded, kernels, strict=True):
        if group is None:
            continue
        group_rope = model.rope(
            frame_indices=group.indices, height=height, width=width, device=hidden.device
        )
        if kernel is not None:
            group_rope = model._pad_rotary_emb(group_rope, post_height, post_width, kernel)
        hidden = torch.cat([tokens, hidden], dim=1)
        cos = torch.cat([group_rope[0], cos], dim=0)
        sin = torch.cat([group_rope[1], sin], dim=0)
    return hidden, (cos, sin)


# Tried in this order by scaled_dot_product_attention (docs/framepack.md §6.1).
SDPA_PRIORITY: tuple[SDPBackend, ...] = (
    SDPBackend.CUDNN_ATTENTION,
    SDPBackend.FLASH_ATTENTION,
    SDPBackend.EFFICIENT_ATTENTION,
    SDPBackend.MATH,
)
_SDPA_NAMES = {
    SDPBackend.CUDNN_ATTENTION: "cudnn",
    SDPBackend.FLASH_ATTENTION: "flash",
    SDPBackend.EFFICIENT_ATTENTION: "efficient",
    SDPBackend.MATH: "math",
}
# sdpa_kernel(set_priority=True) exists from torch 2.6; before, only the set counts.
_SDPA_SETS_PRIORITY = "set_priority" in inspect.signature(sdpa_kernel).parameters


def attention_backend_order() -> list[str]:
    """The SDPA backends in the order the forward asks for them ("cudnn", "flash", ...); without
    priority support in torch, torch's own order among the same four."""
    return [_SDPA_NAMES[backend] for backend in SDPA_PRIORITY]


def attention_priority_applied() -> bool:
    return _SDPA_SETS_PRIORITY


@contextmanager
def attention_backends() -> Iterator[None]:
    if _SDPA_SETS_PRIORITY:
        with sdpa_kernel(list(SDPA_PRIORITY), set_priority=True):
            yield
    else:
        with sdpa_kernel(list(SDPA_PRIORITY)):
            yield


def chosen_sdpa_backend(
    query: torch.Tensor, key: torch.Tensor, value: torch.Tensor, mask: torch.Tensor | None
) -> str:
    """The backend SDPA picks for these inputs: the first in SDPA_PRIORITY whose kernel accepts
    them ("math" when none does, e.g. on the CPU; "unknown" when torch cannot say)."""
    if query.device.type != "cuda":
        return "math"
    cuda = torch.backends.cuda
    checks: dict[SDPBackend, Callable[[Any], bool]] = {
        SDPBackend.FLASH_ATTENTION: cuda.can_use_flash_attention,
        SDPBackend.EFFICIENT_ATTENTION: cuda.can_use_efficient_attention,
    }
    if hasattr(cuda, "can_use_cudnn_attention"):
        checks[SDPBackend.CUDNN_ATTENTION] = cuda.can_use_cudnn_attention
    try:
        params = cuda.SDPAParams(query, key, value, mask, 0.0, False, False)
    except (TypeError, RuntimeError):
        return "unknown"
    with attention_backends():
        for backend in SDPA_PRIORITY:
            check = checks.get(backend)
            if check is not None and check(params):
                return _SDPA_NAMES[backend]
    return "math"


def _key_lengths(latent_tokens: int, condition_lengths: Sequence[int]) -> list[int] | None:
    """Per-sample real key counts (latents, then image and text tokens); None when every sample
    has the same length, so no sample needs its own attention."""
    if len(set(condition_lengths)) <= 1:
        return None
    return [latent_tokens + length for length in condition_lengths]


class _PerSampleAttention(TorchFunctionMode):
    """Turns each batched scaled_dot_product_attention call into one call per sample, over that
    sample's real keys: the result of a padding mask (every query, real keys only) without a
    mask, so flash-class kernels run. Queries keep the padded length; what padded queries give
    is never attended to and is cut off with the condition tokens."""

    def __init__(self, key_lengths: Sequence[int]) -> None:
        super().__init__()
        self.key_lengths = key_lengths
        self.calls = 0

    def __torch_function__(
        self,
        func: Any,
        types: Any,
        args: tuple[Any, ...] = (),
        kwargs: dict[str, Any] | None = None,
    ) -> Any:
        kwargs = kwargs or {}
        if func is not F.scaled_dot_product_attention:
            return func(*args, **kwargs)
        if len(args) > 3:
            raise RuntimeError("per-sample attention expects query, key and value positional")
        kwargs = {**dict(zip(("query", "key", "value"), args, strict=False)), **kwargs}
        query, key, value = kwargs.pop("query"), kwargs.pop("key"), kwargs.pop("value")
        if kwargs.get("attn_mask") is not None or query.shape[0] != len(self.key_lengths):
            raise RuntimeError("per-sample attention expects an unmasked batched call")
        self.calls += 1
        return torch.cat(
            [
                func(query[i : i + 1], key[i : i + 1, :, :n], value[i : i + 1, :, :n], **kwargs)
                for i, n in enumerate(self.key_lengths)
            ]
        )  # (B, heads, N, head_dim)


@contextmanager
def per_sample_attention(key_lengths: Sequence[int] | None) -> Iterator[None]:
    if key_lengths is None:
        yield
        return
    mode = _PerSampleAttention(key_lengths)
    with mode:
        yield
    if mode.calls == 0:
        # A diffusers attention backend other than torch's SDPA ran: it saw no mask at all.
        raise RuntimeError("mixed prompt lengths need diffusers' native attention backend")
