"""Our forward against diffusers' own, and with context groups absent."""

from __future__ import annotations

from typing import Any

import pytest
import torch
import torch.nn.functional as F
from torch.overrides import TorchFunctionMode

from framepack_engine.runtime import EngineRuntime
from framepack_engine.transformer_forward import (
    Conditioning,
    ContextGroup,
    FrameContext,
    framepack_forward,
)


def _random(*shape: int, seed: int) -> torch.Tensor:
    return torch.randn(*shape, generator=torch.Generator().manual_seed(seed))


def _inputs(batch: int) -> tuple[torch.Tensor, Conditioning, FrameContext]:
    h, w = 6, 8
    mask = torch.zeros(batch, 512, dtype=torch.bool)
    mask[:, :7] = True
    mask[-1, :12] = True  # samples of a batch have different prompt lengths
    conditioning = Conditioning(
        text=_random(batch, 512, 16, seed=1),
        text_mask=mask,
        pooled=_random(batch, 8, seed=2),
        image=_random(batch, 729, 16, seed=3),
    )
    context = FrameContext(
        noisy_indices=torch.tensor([9]),
        clean=ContextGroup(_random(batch, 16, 2, h, w, seed=4), torch.tensor([0, 10])),
        history_2x=ContextGroup(_random(batch, 16, 2, h, w, seed=5), torch.tensor([11, 12])),
        history_4x=ContextGroup(_random(batch, 16, 16, h, w, seed=6), torch.arange(13, 29)),
    )
    return _random(batch, 16, 1, h, w, seed=7), conditioning, context


def _library_forward(model: Any, latents: torch.Tensor, c: Conditioning, ctx: FrameContext) -> Any:
    assert ctx.clean is not None and ctx.history_2x is not None and ctx.history_4x is not None
    batch = latents.shape[0]
    return model(
        hidden_states=latents,
        timestep=torch.full((batch,), 700.0),
        encoder_hidden_states=c.text,
        encoder_attention_mask=c.text_mask,
        pooled_projections=c.pooled,
        image_embeds=c.image,
        indices_latents=ctx.noisy_indices,
        guidance=torch.full((batch,), 10000.0),
        latents_clean=ctx.clean.latents,
        indices_latents_clean=ctx.clean.indices,
        latents_history_2x=ctx.history_2x.latents,
        indices_latents_history_2x=ctx.history_2x.indices,
        latents_history_4x=ctx.history_4x.latents,
        indices_latents_history_4x=ctx.history_4x.indices,
        return_dict=False,
    )[0]


@pytest.mark.parametrize("batch", [1, 3])
def test_matches_the_library_forward_with_every_group(runtime: EngineRuntime, batch: int) -> None:
    model = runtime.models.transformer("base")
    latents, conditioning, context = _inputs(batch)
    with torch.inference_mode():
        ours = framepack_forward(
            model,
            latents,
            torch.full((batch,), 700.0),
            torch.full((batch,), 10000.0),
            conditioning,
            context,
        )
        theirs = _library_forward(model, latents, conditioning, context)
    assert ours.shape == (batch, 16, 1, 6, 8)
    torch.testing.assert_close(ours, theirs.float(), rtol=1e-5, atol=1e-5)


def test_absent_groups_run_and_change_the_result(runtime: EngineRuntime) -> None:
    """The library raises here; ours packs only the groups that are present."""
    model = runtime.models.transformer("base")
    latents, conditioning, full = _inputs(1)
    step = (torch.full((1,), 700.0), torch.full((1,), 10000.0))
    with torch.inference_mode():
        reference = framepack_forward(model, latents, *step, conditioning, full)
        for absent in ("history_2x", "history_4x", "clean"):
            partial = FrameContext(**{**full.__dict__, absent: None})
            result = framepack_forward(model, latents, *step, conditioning, partial)
            assert result.shape == reference.shape
            assert not torch.equal(result, reference), absent
        bare = FrameContext(noisy_indices=full.noisy_indices)
        assert framepack_forward(model, latents, *step, conditioning, bare).isfinite().all()


class _SdpaCalls(TorchFunctionMode):
    """Records (batch, key length, whether a mask was passed) of every SDPA call."""

    def __init__(self) -> None:
        super().__init__()
        self.calls: list[tuple[int, int, bool]] = []

    def __torch_function__(
        self, func: Any, types: Any, args: tuple[Any, ...] = (), kwargs: Any = None
    ) -> Any:
        kwargs = kwargs or {}
        if func is F.scaled_dot_product_attention:
            named = {**dict(zip(("query", "key", "value"), args, strict=False)), **kwargs}
            mask = named.get("attn_mask")
            self.calls.append((named["query"].shape[0], named["key"].shape[2], mask is not None))
        return func(*args, **kwargs)


@pytest.mark.parametrize("mixed", [False, True])
def test_batches_attend_without_a_padding_mask(runtime: EngineRuntime, mixed: bool) -> None:
    """Equal prompt lengths: one batched, unmasked call per layer over the cropped tokens. Mixed:
    one unmasked call per sample over its own real tokens (docs/framepack.md §6.1)."""
    model = runtime.models.transformer("base")
    latents, conditioning, context = _inputs(3)
    if not mixed:
        mask = torch.zeros_like(conditioning.text_mask)
        mask[:, :7] = True
        conditioning = Conditioning(
            conditioning.text, mask, conditioning.pooled, conditioning.image
        )
    layers = len(model.transformer_blocks) + len(model.single_transformer_blocks)
    recorder = _SdpaCalls()
    with torch.inference_mode():
        step = (torch.full((3,), 700.0), torch.full((3,), 10000.0))
        with recorder:
            framepack_forward(model, latents, *step, conditioning, context)
    block_calls = recorder.calls[-layers * (3 if mixed else 1) :]
    assert not any(masked for _, _, masked in block_calls)
    if mixed:
        batches = {batch for batch, _, _ in block_calls}
        keys = [key for _, key, _ in block_calls[:3]]
        assert batches == {1} and keys[0] == keys[1] == keys[2] - 5  # 7, 7 and 12 text tokens
    else:
        assert {batch for batch, _, _ in block_calls} == {3}
        assert len({key for _, key, _ in block_calls}) == 1
