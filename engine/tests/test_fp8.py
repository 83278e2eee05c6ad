"""FP8 transformer weights (docs/framepack.md §18): the quantisation format, bytes, closeness to
the unquantised transformer, LoRA on fp8 layers (exact restore), the memory modes' streaming of
fp8 blocks, and a one-frame image plan end to end."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import torch
from diffusers import HunyuanVideoFramepackTransformer3DModel
from test_lora import LAYOUTS, _tiny_transformer
from test_memory import _forward, _image, meta_offload  # noqa: F401 (a fixture)
from torch import Tensor, nn

import framepack_engine.__main__ as cli
import framepack_engine.weights.loader as loader
from framepack_engine.fp8 import (
    BLOCK_SIZE,
    FP8_DTYPE,
    FP8_MAX,
    MIN_SCALE,
    Fp8Linear,
    dequantise_weight,
    fp8_layers,
    quantise_transformer,
    quantise_weight,
)
from framepack_engine.lora import LoraManager, LoraSpec
from framepack_engine.offload import is_streamed, tensor_bytes, transformer_blocks
from framepack_engine.runtime import EngineRuntime
from framepack_engine.weights.loader import ModelSet

CPU = torch.device("cpu")
# Relative L2 error ||fp8 - reference|| / ||reference|| of the transformer's output (the velocity
# prediction of framepack_forward) on the tiny set; measured 0.0035 for both variants.
FORWARD_BOUND = 0.02
# The same metric for the decoded image of a 2-step one-frame plan (pixels in [0, 255]).
IMAGE_BOUND = 0.02


def _relative_error(ours: Tensor, reference: Tensor) -> float:
    return float((ours.double() - reference.double()).norm() / reference.double().norm())


def _fp8_copy(model: nn.Module) -> nn.Module:
    quantised = copy.deepcopy(model)
    quantise_transformer(quantised)
    return quantised


def test_block_wise_scales_are_the_absmax_over_448() -> None:
    generator = torch.Generator().manual_seed(0)
    weight = torch.randn(6, 3 * BLOCK_SIZE, generator=generator)
    weight[2, BLOCK_SIZE : 2 * BLOCK_SIZE] = 0.0  # an all-zero block
    quantised, scale = quantise_weight(weight, torch.float32)
    assert quantised.dtype == FP8_DTYPE and quantised.shape == weight.shape
    assert scale.shape == (6, 3)
    blocks = weight.reshape(6, 3, BLOCK_SIZE)
    expected = (blocks.abs().amax(dim=2) / FP8_MAX).clamp_min(MIN_SCALE)
    assert torch.equal(scale, expected)
    assert scale[2, 1] == MIN_SCALE

    restored = dequantise_weight(quantised, scale, torch.float32).reshape(6, 3, BLOCK_SIZE)
    # e4m3 keeps 3 mantissa bits: at most half a unit in the last place, 2^-4 relative, for
    # normal numbers; subnormals (below 2^-6 of the scale unit) are spaced 2^-9 apart.
    bound = blocks.abs() / 16 + scale.unsqueeze(2) * 2**-10
    assert bool(((restored - blocks).abs() <= bound * 1.0001).all())
    assert bool((restored[2, 1] == 0).all())
    # The largest weight of a block maps to +-448 exactly.
    assert torch.equal(
        quantised.float().reshape(6, 3, BLOCK_SIZE).abs().amax(dim=2)[scale > MIN_SCALE],
        torch.full((17,), FP8_MAX),
    )


def test_rows_not_divisible_into_blocks_get_one_scale_each() -> None:
    weight = torch.randn(5, 100)
    _, scale = quantise_weight(weight, torch.float32)
    assert scale.shape == (5, 1)
    assert torch.equal(scale[:, 0], weight.abs().amax(dim=1) / FP8_MAX)


def test_an_fp8_linear_needs_about_half_the_bytes_of_bf16() -> None:
    torch.manual_seed(0)
    linear = nn.Linear(4 * BLOCK_SIZE, 128, dtype=torch.bfloat16)
    bf16_weight_bytes = linear.weight.numel() * 2
    layer = Fp8Linear(linear)
    assert layer.weight.dtype == FP8_DTYPE
    assert layer.weight_scale.dtype == torch.bfloat16  # the compute dtype
    fp8_weight_bytes = tensor_bytes(layer) - layer.bias.numel() * 2
    # One byte per weight plus one bf16 scale per 64: (1 + 2/64) / 2 = 0.516.
    assert fp8_weight_bytes / bf16_weight_bytes == pytest.approx((1 + 2 / BLOCK_SIZE) / 2)
    x = torch.randn(7, 4 * BLOCK_SIZE, dtype=torch.bfloat16)
    with torch.no_grad():
        out, expected = layer(x), linear(x)
    assert out.dtype == torch.bfloat16
    assert _relative_error(out, expected) < 0.04


def test_full_size_transformer_bytes() -> None:
    """The real config on the meta device: the quantised layers, and the whole transformer."""
    previous = torch.get_default_dtype()
    torch.set_default_dtype(torch.bfloat16)
    try:
        with torch.device("meta"):
            model = _full_size_meta_transformer()
    finally:
        torch.set_default_dtype(previous)
    before = tensor_bytes(model)
    quantised_before = sum(
        tensor_bytes(module)
        for block in transformer_blocks(model)
        for name, module in block.named_modules()
        if type(module) is nn.Linear and "norm" not in name
    )
    # Per dual block: q/k/v and out of both streams, both MLPs' two linears; per single block:
    # q/k/v, proj_mlp, proj_out.
    assert quantise_transformer(model) == 20 * 12 + 40 * 5
    after = tensor_bytes(model)
    quantised_after = sum(tensor_bytes(layer) for layer in fp8_layers(model).values())
    # Weights at 1 + 2/64 bytes instead of 2 (their bf16 biases unchanged).
    assert quantised_after / quantised_before < 0.52
    assert before == pytest.approx(25.75e9, rel=0.01)  # bytes, bf16
    assert after == pytest.approx(17.0e9, rel=0.01)  # modulation linears (6.8 GB) stay bf16


def _full_size_meta_transformer() -> nn.Module:
    model: nn.Module = HunyuanVideoFramepackTransformer3DModel(
        in_channels=16,
        out_channels=16,
        num_attention_heads=24,
        attention_head_dim=128,
        num_layers=20,
        num_single_layers=40,
        num_refiner_layers=2,
        mlp_ratio=4.0,
        patch_size=2,
        patch_size_t=1,
        qk_norm="rms_norm",
        guidance_embeds=True,
        text_embed_dim=4096,
        pooled_projection_dim=768,
        rope_theta=256.0,
        rope_axes_dim=(16, 56, 56),
        image_condition_type=None,
        has_image_proj=True,
        image_proj_dim=1152,
        has_clean_x_embedder=True,
    )
    return model


@pytest.mark.parametrize("variant", ["base", "f1"])
def test_the_fp8_forward_stays_close_to_the_unquantised_one(
    model_set: ModelSet, variant: Any
) -> None:
    reference = model_set.transformer(variant)
    quantised = _fp8_copy(reference)
    assert fp8_layers(quantised)
    # Only the blocks' non-modulation linears change.
    for name, module in quantised.named_modules():
        if isinstance(module, Fp8Linear):
            assert name.startswith(("transformer_blocks.", "single_transformer_blocks."))
            assert "norm" not in name
    assert type(quantised.get_submodule("transformer_blocks.0.norm1.linear")) is nn.Linear
    assert _relative_error(_forward(quantised), _forward(reference)) < FORWARD_BOUND


def _lora_spec(tmp_path: Path, layout: str, scale: float = 0.8) -> LoraSpec:
    return LoraSpec(LAYOUTS[layout]().save(tmp_path / f"{layout}.safetensors"), scale)


def _fp8_state(model: nn.Module) -> dict[str, Tensor]:
    """Every weight as raw bytes (float8 has no NaN-free bitwise equality otherwise)."""
    state = {}
    for name, tensor in (*model.named_parameters(), *model.named_buffers()):
        state[name] = tensor.detach().reshape(-1).view(torch.uint8).clone()
    return state


def _assert_state(model: nn.Module, state: dict[str, Tensor]) -> None:
    now = _fp8_state(model)
    assert now.keys() == state.keys()
    for name, raw in state.items():
        assert torch.equal(now[name], raw), name


@pytest.mark.parametrize("layout", list(LAYOUTS))
def test_lora_on_fp8_layers_is_a_low_rank_term_and_restores_exactly(
    layout: str, tmp_path: Path
) -> None:
    model = _fp8_copy(_tiny_transformer())
    original = _fp8_state(model)
    lora = LAYOUTS[layout]()
    spec = LoraSpec(lora.save(tmp_path / f"{layout}.safetensors"), 0.8)
    layers = dict(model.named_modules())
    before = {name: layers[name].dequantised_weight() for name in fp8_layers(model)}

    manager = LoraManager(model)
    manager.apply([spec])
    # No fp8 weight or scale was written (a modulation linear the file targets is merged into).
    quantised = {
        name: raw
        for name, raw in original.items()
        if name.removesuffix(".weight").removesuffix(".weight_scale") in before
    }
    assert quantised
    now = _fp8_state(model)
    for name, raw in quantised.items():
        assert torch.equal(now[name], raw), name
    for name, expected in lora.expected.items():
        layer = layers[name]
        if not isinstance(layer, Fp8Linear):
            continue  # a modulation linear: merged as in any model
        want = before[name].clone()
        for up, down, alpha_over_rank in expected:
            want += 0.8 * alpha_over_rank * (up @ down)
        torch.testing.assert_close(layer.dequantised_weight(), want)

    manager.clear()
    for name, layer in fp8_layers(model).items():
        assert not layer.has_lora
        assert torch.equal(layer.dequantised_weight(), before[name])
    _assert_state(model, original)


def test_fp8_lora_switching_gives_the_forward_of_a_fresh_model(
    model_set: ModelSet, tmp_path: Path
) -> None:
    reference = model_set.transformer("base")
    model = _fp8_copy(reference)
    plain = _forward(model)
    original = _fp8_state(model)
    kohya, peft = _lora_spec(tmp_path, "kohya"), _lora_spec(tmp_path, "original-hunyuan", 0.5)

    fresh = _fp8_copy(reference)
    LoraManager(fresh).apply([peft])
    expected = _forward(fresh)

    manager = LoraManager(model)
    manager.apply([kohya])
    with_kohya = _forward(model)
    assert not torch.equal(with_kohya, plain)
    manager.apply([peft])
    assert torch.equal(_forward(model), expected)
    manager.apply([LoraSpec(kohya.path, 0.0)])  # scale 0 is no LoRA
    assert torch.equal(_forward(model), plain)
    _assert_state(model, original)

    # The fp8 model with a LoRA stays as close to the unquantised one with the same LoRA.
    unquantised = copy.deepcopy(reference)
    LoraManager(unquantised).apply([kohya])
    manager.apply([kohya])
    assert _relative_error(_forward(model), _forward(unquantised)) < FORWARD_BOUND


def test_fp8_blocks_stream_their_fp8_bytes(
    tiny_root: Path,
    monkeypatch: pytest.MonkeyPatch,
    meta_offload: None,  # noqa: F811
) -> None:
    """Low mode with no free memory: every fp8 block streams, the hooks bring its fp8 weights
    and scales in for its own forward, and the output equals the resident fp8 model's."""
    resident = ModelSet(tiny_root, CPU, transformer_dtype="fp8").transformer("base")
    expected = _forward(resident)
    monkeypatch.setattr(loader, "free_device_bytes", lambda device: 0)
    models = ModelSet(tiny_root, CPU, memory_mode="low", transformer_dtype="fp8")
    model = models.transformer("base")
    blocks = transformer_blocks(model)
    assert all(is_streamed(block) for block in blocks)
    layers = fp8_layers(model)
    assert layers and all(layer.weight.device.type == "meta" for layer in layers.values())
    assert all(layer.weight_scale.device.type == "meta" for layer in layers.values())
    assert torch.equal(_forward(model), expected)
    assert all(layer.weight.dtype == FP8_DTYPE for layer in layers.values())


def test_a_one_frame_image_plan_runs_with_fp8(
    tiny_root: Path, runtime: EngineRuntime, tmp_path: Path
) -> None:
    models = ModelSet(tiny_root, CPU, transformer_dtype="fp8")
    assert models.transformer_dtype == "fp8"
    image = _image(EngineRuntime(models), tmp_path / "fp8").astype(np.float64)
    reference = _image(runtime, tmp_path / "full").astype(np.float64)
    assert image.shape == reference.shape
    error = np.linalg.norm(image - reference) / np.linalg.norm(reference)
    assert error < IMAGE_BOUND

    report = {entry["name"]: entry for entry in models.loaded_models()}
    assert report["transformer_base"]["dtype"] == "float32+float8_e4m3fn"
    assert report["vae"]["dtype"] == "float32"
    full_bytes = tensor_bytes(runtime.models.transformer("base"))
    assert int(report["transformer_base"]["bytes"]) < full_bytes  # type: ignore[call-overload]


def test_the_transformer_dtype_is_an_option(
    tiny_root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with pytest.raises(ValueError, match="transformer_dtype"):
        ModelSet(tiny_root, CPU, transformer_dtype="int4")  # type: ignore[arg-type]
    assert ModelSet(tiny_root, CPU).transformer_dtype == "bf16"

    seen: dict[str, Any] = {}

    def fake_serve(args: Any) -> int:
        seen.update(vars(args))
        return 0

    monkeypatch.setattr(cli, "_serve", fake_serve)
    serve = ["serve", "--model-root", str(tiny_root)]
    assert cli.main(serve) == 0
    assert seen["transformer_dtype"] == "bf16"
    assert cli.main([*serve, "--transformer-dtype", "fp8"]) == 0
    assert seen["transformer_dtype"] == "fp8"
    with pytest.raises(SystemExit):
        cli.main([*serve, "--transformer-dtype", "fp16"])
