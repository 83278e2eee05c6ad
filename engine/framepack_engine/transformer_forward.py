"""FramePack's transformer forward, on diffusers' HunyuanVideoFramepackTransformer3DModel.

diffusers' own forward raises when a context group (clean, 2x or 4x) is absent: the
rotary embeddings of absent groups are never assigned. One-frame inference drops
those groups on purpose (`no_post`, `no_2x`, `no_4x`; transfer uses neither 2x nor
4x), so this module runs the same sub-modules in the same order, packing only the
groups that are present. With every group present the result is the library's.
It also runs the output projection in float32, as the reference does.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import torch
import torch.nn.functional as F

from framepack_engine.offload import weights_on_device
from framepack_engine.teacache import TeaCache


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
    teacache: TeaCache | None = None,
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

    attention_mask: torch.Tensor | None
    if batch == 1:
        # One sample: drop the padding instead of masking it (the library does the same).
        encoder_hidden = encoder_hidden[:, : int(encoder_mask.sum())]
        attention_mask = None
    else:
        attention_mask = _batch_attention_mask(hidden.shape[1], encoder_mask)

    if teacache is None or _teacache_computes(model, teacache, hidden, temb):
        before = hidden
        hidden = _run_blocks(model, hidden, encoder_hidden, temb, attention_mask, rope)
        if teacache is not None:
            teacache.remember(before, hidden)
    else:
        hidden = teacache.reuse(hidden)

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


def _teacache_computes(
    model: Any, teacache: TeaCache, hidden: torch.Tensor, temb: torch.Tensor
) -> bool:
    first = model.transformer_blocks[0]
    # In low mode the first block may stream: its norm1 is only on the device within the block.
    with weights_on_device(first):
        modulated, *_ = first.norm1(hidden, emb=temb)
    return teacache.should_compute(modulated)


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


def _batch_attention_mask(latent_tokens: int, encoder_mask: torch.Tensor) -> torch.Tensor:
    """(B, 1, 1, N) bool: each sample attends to its latents and its real condition tokens."""
    batch = encoder_mask.shape[0]
    effective = latent_tokens + encoder_mask.sum(dim=1)  # (B,)
    positions = torch.arange(latent_tokens + encoder_mask.shape[1], device=encoder_mask.device)
    mask = positions.unsqueeze(0) < effective.unsqueeze(1)  # (B, N)
    return mask.reshape(batch, 1, 1, -1)
