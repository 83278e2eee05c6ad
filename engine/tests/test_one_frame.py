"""One-frame plans (image, batch, transfer) on the tiny model set: layouts handed to the
transformer, determinism, batch equals singles, PNG parameters, masks, failures."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import torch
from PIL import Image
from plan_builders import HEIGHT, WIDTH, checked, image_plan, sampling_settings

import framepack_engine.conditioning.image as image_conditioning
import framepack_engine.plans.frames as frames
import framepack_engine.plans.one_frame as one_frame_plans
import framepack_engine.sampling.guidance as guidance
import framepack_engine.transformer_forward as transformer_forward
from framepack_engine.plans import run_plan
from framepack_engine.plans.base import Cancelled, JobContext, PlanError, PlanOutcome
from framepack_engine.protocol_types import Plan
from framepack_engine.runtime import EngineRuntime
from framepack_engine.transformer_forward import FrameContext


def _run(
    runtime: EngineRuntime, plan: Mapping[str, object], events: list[Any] | None = None
) -> PlanOutcome:
    ctx = JobContext("job-1", (events if events is not None else []).append)
    with torch.inference_mode():
        return run_plan(checked(plan), ctx, runtime)


def _pixels(path: str) -> np.ndarray:
    return np.asarray(Image.open(path).convert("RGB"), dtype=np.int16)


@pytest.fixture
def contexts(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[FrameContext]]:
    """Every FrameContext handed to the transformer."""
    seen: list[FrameContext] = []
    real = transformer_forward.framepack_forward

    def spy(
        model: Any, latents: Any, t: Any, g: Any, c: Any, context: FrameContext, *rest: Any
    ) -> Any:
        seen.append(context)
        return real(model, latents, t, g, c, context, *rest)

    monkeypatch.setattr(guidance, "framepack_forward", spy)
    yield seen


@pytest.fixture
def input_image(tmp_path: Path) -> Path:
    path = tmp_path / "input.png"
    rgb = np.zeros((HEIGHT, WIDTH, 3), dtype=np.uint8)
    rgb[:, : WIDTH // 2] = (200, 30, 30)
    Image.fromarray(rgb).save(path)
    return path


def _indices(context: FrameContext, group: str) -> list[int] | None:
    value = getattr(context, group)
    return None if value is None else value.indices.tolist()


@pytest.mark.parametrize(
    ("flags", "expected"),
    [
        ({}, {"clean": [0, 10], "history_2x": [11, 12], "history_4x": list(range(13, 29))}),
        (
            {"no_post": True},
            {"clean": [0], "history_2x": [11, 12], "history_4x": list(range(13, 29))},
        ),
        (
            {"no_2x": True},
            {"clean": [0, 10], "history_2x": None, "history_4x": list(range(13, 29))},
        ),
        ({"no_4x": True}, {"clean": [0, 10], "history_2x": [11, 12], "history_4x": None}),
        (
            {"no_2x": True, "no_4x": True, "no_post": True},
            {"clean": [0], "history_2x": None, "history_4x": None},
        ),
    ],
)
def test_image_layouts(
    runtime: EngineRuntime,
    tmp_path: Path,
    contexts: list[FrameContext],
    flags: dict[str, bool],
    expected: dict[str, Any],
) -> None:
    _run(runtime, image_plan(tmp_path, **flags))
    assert len(contexts) == 3  # one transformer call per step at cfg 1
    context = contexts[0]
    assert context.noisy_indices.tolist() == [9]
    assert {group: _indices(context, group) for group in expected} == expected
    assert context.clean is not None
    assert context.clean.latents.shape == (1, 16, len(expected["clean"]), 12, 16)
    if not flags.get("no_post"):
        assert torch.count_nonzero(context.clean.latents[:, :, 1]) == 0  # the post frame is zeros
    for group in ("history_2x", "history_4x"):
        value = getattr(context, group)
        assert value is None or torch.count_nonzero(value.latents) == 0


def test_image_is_deterministic_and_records_its_parameters(
    runtime: EngineRuntime, tmp_path: Path, input_image: Path
) -> None:
    plan = image_plan(tmp_path, input_image_path=str(input_image), seed=1234)
    first = _run(runtime, plan)
    again = _run(runtime, {**plan, "output_dir": str(tmp_path / "again")})
    assert np.array_equal(_pixels(first.files[0]["path"]), _pixels(again.files[0]["path"]))
    other_seed = _run(runtime, {**plan, "seed": 99, "output_dir": str(tmp_path / "other")})
    assert not np.array_equal(_pixels(first.files[0]["path"]), _pixels(other_seed.files[0]["path"]))

    file = first.files[0]
    assert (file["width"], file["height"], file["seed"]) == (WIDTH, HEIGHT, 1234)
    parameters = Image.open(file["path"]).info["parameters"]
    assert parameters.startswith("a red fox\nNegative prompt: \n")
    for text in (
        "Seed: 1234",
        "Steps: 3",
        "Size: 128x96",
        "Target index: 9",
        "Model: lllyasviel/FramePackI2V_HY",
    ):
        assert text in parameters
    assert not list(tmp_path.glob(".*.tmp"))  # no temp file left behind


def test_progress_previews_and_cancel(runtime: EngineRuntime, tmp_path: Path) -> None:
    events: list[Any] = []
    _run(runtime, image_plan(tmp_path, preview_every=1), events)
    sampling = [e for e in events if e["type"] == "progress" and e["phase"] == "sampling"]
    assert [(e["step"], e["total"]) for e in sampling] == [(1, 3), (2, 3), (3, 3)]
    assert all(e["preview"].startswith("data:image/jpeg;base64,") for e in sampling)

    calls = 0
    ctx = JobContext("job-2", lambda event: None)

    def cancel_after_first_step(event: Any) -> None:
        nonlocal calls
        if event.get("phase") == "sampling":
            calls += 1
            ctx.cancel_requested.set()

    ctx.emit = cancel_after_first_step
    with pytest.raises(Cancelled), torch.inference_mode():
        run_plan(image_plan(tmp_path, steps=20), ctx, runtime)
    assert calls == 1  # stopped within one sampler step


def test_batch_equals_singles_and_encodes_each_prompt_once(
    runtime: EngineRuntime, tmp_path: Path, contexts: list[FrameContext]
) -> None:
    items = [{"prompt": p, "seed": s} for p, s in [("a", 1), ("b", 2), ("a", 3), ("c", 4)]]
    base = {k: v for k, v in image_plan(tmp_path).items() if k not in ("prompt", "seed")}
    plan = {**base, "kind": "batch", "items": items, "batch_size": 4}
    runtime.prompts._entries.clear()
    encodings = runtime.prompts.encodings
    batch = _run(runtime, plan)
    assert runtime.prompts.encodings - encodings == 3  # "a" once, "b", "c"
    assert {tuple(c.clean.latents.shape[:1]) for c in contexts if c.clean is not None} == {(4,)}

    for index, item in enumerate(items):
        single = _run(
            runtime,
            {**plan, "items": [item], "batch_size": 1, "output_dir": str(tmp_path / f"s{index}")},
        )
        difference = np.abs(_pixels(batch.files[index]["path"]) - _pixels(single.files[0]["path"]))
        assert difference.max() <= 2, index  # batched matmuls may round differently


def test_rope_sweep_groups_items_by_layout(
    runtime: EngineRuntime, tmp_path: Path, contexts: list[FrameContext]
) -> None:
    base = {k: v for k, v in image_plan(tmp_path).items() if k not in ("prompt", "seed")}
    items = [{"prompt": "same", "seed": 5, "target_index": t} for t in (1, 5, 9, 5)]
    outcome = _run(runtime, {**base, "kind": "batch", "items": items, "batch_size": 4})
    assert [f["index"] for f in outcome.files] == [0, 1, 2, 3]
    calls = [
        (c.noisy_indices.tolist(), c.clean.latents.shape[0] if c.clean else 0) for c in contexts
    ]
    assert calls == [([1], 1)] * 3 + [([5], 2)] * 3 + [([9], 1)] * 3


def test_a_batch_decodes_once_after_every_call_is_sampled(
    runtime: EngineRuntime, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Three layouts are three transformer calls, but one decode: in low mode the transformer
    and the VAE change places once per plan (docs/framepack.md §9)."""
    calls: list[str] = []
    real_decode, real_forward = frames.decode_frames, transformer_forward.framepack_forward

    def decode(runtime: EngineRuntime, latents: torch.Tensor) -> Any:
        calls.append(f"decode {latents.shape[0]}")
        return real_decode(runtime, latents)

    def forward(model: Any, latents: torch.Tensor, *args: Any) -> Any:
        if not calls or calls[-1] != "sample":
            calls.append("sample")
        return real_forward(model, latents, *args)

    monkeypatch.setattr(one_frame_plans, "decode_frames", decode)
    monkeypatch.setattr(guidance, "framepack_forward", forward)
    base = {k: v for k, v in image_plan(tmp_path).items() if k not in ("prompt", "seed")}
    items = [{"prompt": "same", "seed": 5, "target_index": t} for t in (1, 5, 9, 5)]
    outcome = _run(runtime, {**base, "kind": "batch", "items": items, "batch_size": 4})
    assert len(outcome.files) == 4
    assert calls == ["sample", "decode 4"]


def test_out_of_memory_batch_falls_back_to_singles(
    runtime: EngineRuntime, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = transformer_forward.framepack_forward

    def small_memory(model: Any, latents: torch.Tensor, *args: Any) -> Any:
        if latents.shape[0] > 1:
            raise torch.OutOfMemoryError("injected")
        return real(model, latents, *args)

    monkeypatch.setattr(guidance, "framepack_forward", small_memory)
    base = {k: v for k, v in image_plan(tmp_path).items() if k not in ("prompt", "seed")}
    items = [{"prompt": "x", "seed": s} for s in (1, 2)]
    events: list[Any] = []
    outcome = _run(runtime, {**base, "kind": "batch", "items": items, "batch_size": 2}, events)
    assert [item["status"] for item in outcome.metadata["items"]] == ["completed", "completed"]
    assert [e["index"] for e in events if e["type"] == "item_result"] == [0, 1]


def _transfer_plan(tmp_path: Path, target: Path, source: Path, **overrides: Any) -> Plan:
    return checked(
        {
            **sampling_settings(tmp_path),
            "kind": "transfer",
            "prompt": "wearing the jacket",
            "seed": 3,
            "target_image_path": str(target),
            "source_image_path": str(source),
            "target_mask_path": None,
            "source_mask_path": None,
            "transfer_strength": 0.7,
            "target_index": 1,
            "control_index": 10,
            **overrides,
        }
    )


def _write(path: Path, array: np.ndarray) -> Path:
    Image.fromarray(array).save(path)
    return path


def test_transfer_layout_masks_and_strength(
    runtime: EngineRuntime, tmp_path: Path, contexts: list[FrameContext], input_image: Path
) -> None:
    source = _write(tmp_path / "source.png", np.full((HEIGHT, WIDTH, 3), 90, dtype=np.uint8))
    left_black = np.full((HEIGHT, WIDTH), 255, dtype=np.uint8)
    left_black[:, : WIDTH // 2] = 0
    target_mask = _write(tmp_path / "target-mask.png", left_black)

    plain = _run(runtime, _transfer_plan(tmp_path, input_image, source, transfer_strength=1.0))
    unmasked = contexts[0]
    assert unmasked.noisy_indices.tolist() == [1]
    assert _indices(unmasked, "clean") == [0, 10]
    assert unmasked.history_2x is None and unmasked.history_4x is None
    assert plain.files[0]["seed"] == 3

    contexts.clear()
    _run(
        runtime,
        _transfer_plan(
            tmp_path, input_image, source, target_mask_path=str(target_mask), transfer_strength=0.5
        ),
    )
    masked = contexts[0]
    assert masked.clean is not None and unmasked.clean is not None
    target, full_target = (
        masked.clean.latents[:, :, 0],
        unmasked.clean.latents[:, :, 0],
    )  # (1, 16, 12, 16)
    assert torch.count_nonzero(target[..., :7]) == 0  # black = repaint: zeroed
    torch.testing.assert_close(target[..., 9:], full_target[..., 9:])  # white = keep
    torch.testing.assert_close(masked.clean.latents[:, :, 1], 0.5 * unmasked.clean.latents[:, :, 1])


def test_transfer_strength_zero_ignores_the_source(
    runtime: EngineRuntime, tmp_path: Path, input_image: Path
) -> None:
    grey = _write(tmp_path / "grey.png", np.full((HEIGHT, WIDTH, 3), 90, dtype=np.uint8))
    noise = np.random.default_rng(0).integers(0, 255, (HEIGHT, WIDTH, 3), dtype=np.uint8)
    other = _write(tmp_path / "other.png", noise)
    first = _run(runtime, _transfer_plan(tmp_path / "a", input_image, grey, transfer_strength=0.0))
    second = _run(
        runtime, _transfer_plan(tmp_path / "b", input_image, other, transfer_strength=0.0)
    )
    assert np.array_equal(_pixels(first.files[0]["path"]), _pixels(second.files[0]["path"]))


def test_transfer_alpha_channel_is_the_mask(
    runtime: EngineRuntime, tmp_path: Path, contexts: list[FrameContext]
) -> None:
    rgba = np.full((HEIGHT, WIDTH, 4), 200, dtype=np.uint8)
    rgba[:, : WIDTH // 2, 3] = 0
    target = _write(tmp_path / "target.png", rgba)
    _run(runtime, _transfer_plan(tmp_path, target, target))
    assert contexts[0].clean is not None
    assert torch.count_nonzero(contexts[0].clean.latents[:, :, 0, :, :7]) == 0


def test_bad_inputs_are_invalid_plans(
    runtime: EngineRuntime, tmp_path: Path, input_image: Path
) -> None:
    with pytest.raises(PlanError, match=r"plan\.input_image_path"):
        _run(runtime, image_plan(tmp_path, input_image_path=str(tmp_path / "missing.png")))
    with pytest.raises(PlanError, match="control_index"):
        _run(
            runtime,
            _transfer_plan(tmp_path, input_image, input_image, target_index=10, control_index=10),
        )


def _write_lora(path: Path, runtime: EngineRuntime, scale_up: float) -> Path:
    """A kohya-style LoRA on the first double block's query projection."""
    from safetensors.torch import save_file

    query = runtime.models.transformer("base").transformer_blocks[0].attn.to_q  # (20, 20)
    generator = torch.Generator().manual_seed(0)
    down = torch.randn(4, query.in_features, generator=generator)  # (rank, in)
    up = torch.randn(query.out_features, 4, generator=generator) * scale_up  # (out, rank)
    prefix = "lora_unet_transformer_blocks_0_attn_to_q"
    save_file({f"{prefix}.lora_down.weight": down, f"{prefix}.lora_up.weight": up}, str(path))
    return path


def test_lora_stack_changes_the_image_and_switching_back_restores_it(
    runtime: EngineRuntime, tmp_path: Path
) -> None:
    lora = _write_lora(tmp_path / "style.safetensors", runtime, scale_up=5.0)
    plain = _run(runtime, image_plan(tmp_path / "plain"))
    styled = _run(
        runtime, image_plan(tmp_path / "styled", loras=[{"path": str(lora), "scale": 1.0}])
    )
    zero = _run(runtime, image_plan(tmp_path / "zero", loras=[{"path": str(lora), "scale": 0.0}]))
    again = _run(runtime, image_plan(tmp_path / "again"))
    pixels = {
        name: _pixels(o.files[0]["path"])
        for name, o in [("plain", plain), ("styled", styled), ("zero", zero), ("again", again)]
    }
    assert not np.array_equal(pixels["plain"], pixels["styled"])
    assert np.array_equal(pixels["plain"], pixels["zero"])
    assert np.array_equal(pixels["plain"], pixels["again"])
    assert "LoRAs: style.safetensors:1.0" in Image.open(styled.files[0]["path"]).info["parameters"]


def test_a_mismatched_lora_fails_naming_the_file(runtime: EngineRuntime, tmp_path: Path) -> None:
    from safetensors.torch import save_file

    from framepack_engine.lora import LoraError

    bad = tmp_path / "wrong-shape.safetensors"
    prefix = "lora_unet_transformer_blocks_0_attn_to_q"
    save_file(
        {
            f"{prefix}.lora_down.weight": torch.ones(4, 7),
            f"{prefix}.lora_up.weight": torch.ones(20, 4),
        },
        str(bad),
    )
    before = runtime.models.transformer("base").transformer_blocks[0].attn.to_q.weight.clone()
    with pytest.raises(LoraError, match=r"wrong-shape\.safetensors"):
        _run(runtime, image_plan(tmp_path, loras=[{"path": str(bad), "scale": 1.0}]))
    assert torch.equal(
        runtime.models.transformer("base").transformer_blocks[0].attn.to_q.weight, before
    )


def test_transfer_without_a_size_uses_the_target_bucket(
    runtime: EngineRuntime, tmp_path: Path
) -> None:
    target = _write(tmp_path / "wide.png", np.full((200, 300, 3), 120, dtype=np.uint8))
    plan = _transfer_plan(tmp_path, target, target, width=None, height=None, steps=1)
    [file] = _run(runtime, plan).files
    assert (file["width"], file["height"]) == (768, 512)  # the 640 bucket nearest to 3:2
    assert "Size: 768x512" in Image.open(file["path"]).info["parameters"]


def test_items_keep_their_job_index_in_a_micro_batch(
    runtime: EngineRuntime, tmp_path: Path
) -> None:
    base = {k: v for k, v in image_plan(tmp_path).items() if k not in ("prompt", "seed")}
    items = [{"prompt": "x", "seed": 4, "index": 12}, {"prompt": "y", "seed": 5, "index": 13}]
    outcome = _run(runtime, {**base, "kind": "batch", "items": items, "batch_size": 2, "steps": 1})
    assert [(f["index"], Path(f["path"]).name) for f in outcome.files] == [
        (12, "0012-4.png"),
        (13, "0013-5.png"),
    ]


def _control(path: Path, index: int, mask: Path | None = None) -> dict[str, Any]:
    return {
        "image_path": str(path),
        "mask_path": None if mask is None else str(mask),
        "index": index,
    }


def test_control_images_layout_and_masks(
    runtime: EngineRuntime, tmp_path: Path, contexts: list[FrameContext], input_image: Path
) -> None:
    """1f-mc (docs/framepack.md §8.1): the controls' latents at their indices, then the post
    frame; a mask file or an alpha channel multiplied into its control's latent."""
    grey = _write(tmp_path / "grey.png", np.full((HEIGHT, WIDTH, 3), 90, dtype=np.uint8))
    left_black = np.full((HEIGHT, WIDTH), 255, dtype=np.uint8)
    left_black[:, : WIDTH // 2] = 0
    mask = _write(tmp_path / "mask.png", left_black)
    rgba = np.full((HEIGHT, WIDTH, 4), 200, dtype=np.uint8)
    rgba[:, WIDTH // 2 :, 3] = 0
    alpha = _write(tmp_path / "alpha.png", rgba)

    plain = [_control(input_image, 0), _control(grey, 1)]
    _run(runtime, image_plan(tmp_path / "a", control_images=plain))
    unmasked = contexts[0]
    assert unmasked.noisy_indices.tolist() == [9]
    assert _indices(unmasked, "clean") == [0, 1, 10]
    assert _indices(unmasked, "history_2x") == [11, 12]
    assert unmasked.clean is not None and unmasked.clean.latents.shape == (1, 16, 3, 12, 16)
    assert torch.count_nonzero(unmasked.clean.latents[:, :, 2]) == 0  # the post frame is zeros

    contexts.clear()
    outcome = _run(
        runtime,
        image_plan(
            tmp_path / "b",
            control_images=[_control(input_image, 0, mask), _control(grey, 5), _control(alpha, 1)],
            target_index=9,
            no_2x=True,
            no_4x=True,
            no_post=True,
        ),
    )
    masked = contexts[0]
    assert _indices(masked, "clean") == [0, 5, 1]
    assert masked.history_2x is None and masked.history_4x is None
    assert masked.clean is not None
    first, full_first = masked.clean.latents[:, :, 0], unmasked.clean.latents[:, :, 0]
    assert torch.count_nonzero(first[..., :7]) == 0  # black removes
    torch.testing.assert_close(first[..., 9:], full_first[..., 9:])  # white keeps
    torch.testing.assert_close(masked.clean.latents[:, :, 1], unmasked.clean.latents[:, :, 1])
    assert torch.count_nonzero(masked.clean.latents[:, :, 2, :, 9:]) == 0  # alpha 0 removes
    assert torch.count_nonzero(masked.clean.latents[:, :, 2, :, :7]) > 0
    parameters = Image.open(outcome.files[0]["path"]).info["parameters"]
    assert "Mode: 1f-mc" in parameters and "Control indices: 0, 5, 1" in parameters


def test_control_images_leave_siglip_to_the_input_image(
    runtime: EngineRuntime, tmp_path: Path, input_image: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The controls change the clean frames, never the image embedding (docs/framepack.md §8.1)."""
    embedded: list[np.ndarray] = []
    real = image_conditioning.siglip_encode

    def spy(models: Any, pixels: np.ndarray) -> Any:
        embedded.append(pixels)
        return real(models, pixels)

    monkeypatch.setattr(frames, "siglip_encode", spy)
    grey = _write(tmp_path / "grey.png", np.full((HEIGHT, WIDTH, 3), 90, dtype=np.uint8))
    _run(runtime, image_plan(tmp_path, control_images=[_control(grey, 0)]))
    assert len(embedded) == 1 and int(embedded[0].min()) == int(embedded[0].max()) == 128  # grey
    embedded.clear()
    _run(
        runtime,
        image_plan(tmp_path, input_image_path=str(input_image), control_images=[_control(grey, 0)]),
    )
    assert len(embedded) == 1 and tuple(embedded[0][0, 0]) == (200, 30, 30)


def test_a_batch_shares_its_control_images(
    runtime: EngineRuntime, tmp_path: Path, contexts: list[FrameContext], input_image: Path
) -> None:
    plan = image_plan(tmp_path, control_images=[_control(input_image, 2)])
    base = {k: v for k, v in plan.items() if k not in ("prompt", "seed")}
    items = [{"prompt": "a red fox", "seed": 1}, {"prompt": "a blue bird", "seed": 2}]
    _run(runtime, {**base, "kind": "batch", "items": items, "batch_size": 2})
    assert contexts[0].clean is not None
    assert _indices(contexts[0], "clean") == [2, 10]
    assert contexts[0].clean.latents.shape[0] == 2


def test_a_bad_control_image_is_an_invalid_plan(runtime: EngineRuntime, tmp_path: Path) -> None:
    missing = _control(tmp_path / "missing.png", 0)
    with pytest.raises(PlanError, match=r"plan\.control_images\[0\]"):
        _run(runtime, image_plan(tmp_path, control_images=[missing]))
