"""LoRA stacks on a tiny FramePack transformer: the three key layouts, stacking, scale 0, exact
restore when switching or clearing, and bad files that leave the model untouched."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import torch
from safetensors.torch import save_file
from torch import Tensor, nn

from framepack_engine import lora as lora_module
from framepack_engine.lora import LoraError, LoraManager, LoraSpec, load_lora_deltas
from framepack_engine.weights.tiny import tiny_transformer

INNER = 20  # 2 heads x 10
MLP = 80  # mlp_ratio 4
RANK = 4
PEFT = ("lora_A", "lora_B")  # (down, up) key names
KOHYA = ("lora_down", "lora_up")

# Per target layer, what each LoRA file adds: (up part, down, alpha / rank).
Expected = dict[str, list[tuple[Tensor, Tensor, float]]]


def _tiny_transformer(dtype: torch.dtype = torch.float32) -> nn.Module:
    torch.manual_seed(0)
    model: nn.Module = tiny_transformer()
    model.to(dtype)
    return model


class _LoraFile:
    """LoRA tensors under chosen keys, with the per-layer deltas they should produce."""

    def __init__(self, seed: int) -> None:
        self.generator = torch.Generator().manual_seed(seed)
        self.tensors: dict[str, Tensor] = {}
        self.expected: Expected = {}

    def add(
        self,
        stem: str,
        names: tuple[str, str],
        targets: list[tuple[str, int]],
        in_features: int,
        alpha: float | None = None,
    ) -> None:
        """One LoRA module whose up matrix stacks the rows of `targets` (layer, out_features)."""
        down_name, up_name = names
        down = torch.randn(RANK, in_features, generator=self.generator)
        up = torch.randn(sum(rows for _, rows in targets), RANK, generator=self.generator)
        self.tensors[f"{stem}.{down_name}.weight"] = down
        self.tensors[f"{stem}.{up_name}.weight"] = up
        if alpha is not None:
            self.tensors[f"{stem}.alpha"] = torch.tensor(alpha)
        alpha_over_rank = (RANK if alpha is None else alpha) / RANK
        up_parts = torch.split(up, [rows for _, rows in targets])
        for (layer, _), part in zip(targets, up_parts, strict=True):
            self.expected.setdefault(layer, []).append((part, down, alpha_over_rank))

    def save(self, path: Path) -> Path:
        save_file({key: t.contiguous() for key, t in self.tensors.items()}, str(path))
        return path


def _peft_lora(prefix: str) -> _LoraFile:
    lora = _LoraFile(seed=1)
    for layer, rows, in_features in [
        ("transformer_blocks.0.attn.to_q", INNER, INNER),
        ("transformer_blocks.0.ff.net.0.proj", MLP, INNER),
        ("single_transformer_blocks.0.proj_out", INNER, INNER + MLP),
    ]:
        alpha = 2.0 if layer.endswith("to_q") else None
        lora.add(f"{prefix}{layer}", PEFT, [(layer, rows)], in_features, alpha)
    return lora


def _kohya_lora() -> _LoraFile:
    """musubi-tuner's FramePack LoRAs: diffusers module paths, underscores for dots."""
    lora = _LoraFile(seed=2)
    for layer, rows, in_features, alpha in [
        ("transformer_blocks.0.attn.to_q", INNER, INNER, 8.0),
        ("transformer_blocks.0.attn.add_q_proj", INNER, INNER, 1.0),
        ("transformer_blocks.0.ff_context.net.2", INNER, MLP, 4.0),
        ("single_transformer_blocks.0.proj_mlp", MLP, INNER, 2.0),
    ]:
        stem = "lora_unet_" + layer.replace(".", "_")
        lora.add(stem, KOHYA, [(layer, rows)], in_features, alpha)
    return lora


def _original_lora() -> _LoraFile:
    """HunyuanVideo block names with fused q/k/v (and MLP input in single blocks)."""
    double, single = "transformer_blocks.0.", "single_transformer_blocks.0."
    qkv = [(f"{double}attn.to_{p}", INNER) for p in "qkv"]
    added_qkv = [(f"{double}attn.add_{p}_proj", INNER) for p in "qkv"]
    linear1 = [(f"{single}attn.to_{p}", INNER) for p in "qkv"] + [(f"{single}proj_mlp", MLP)]
    lora = _LoraFile(seed=3)
    lora.add("double_blocks.0.img_attn_qkv", KOHYA, qkv, INNER, 4.0)
    lora.add("diffusion_model.double_blocks.0.txt_attn_qkv", PEFT, added_qkv, INNER)
    fc2 = [(f"{double}ff.net.2", INNER)]
    txt_modulation = [(f"{double}norm1_context.linear", 6 * INNER)]  # shift/scale/gate x 2
    lora.add("lora_unet_double_blocks_0_img_mlp_fc2", KOHYA, fc2, MLP, 2.0)
    lora.add("lora_unet_double_blocks_0_txt_mod_linear", KOHYA, txt_modulation, INNER, 2.0)
    lora.add("lora_unet_single_blocks_0_linear1", KOHYA, linear1, INNER, 2.0)
    lora.add("single_blocks.0.linear2", PEFT, [(f"{single}proj_out", INNER)], INNER + MLP)
    return lora


LAYOUTS: dict[str, Callable[[], _LoraFile]] = {
    "peft": lambda: _peft_lora(""),
    "peft-transformer-prefix": lambda: _peft_lora("transformer."),
    "peft-diffusion_model-prefix": lambda: _peft_lora("diffusion_model."),
    "kohya": _kohya_lora,
    "original-hunyuan": _original_lora,
}


def _snapshot(model: nn.Module) -> dict[str, Tensor]:
    return {name: p.detach().clone() for name, p in model.named_parameters()}


def _assert_same(model: nn.Module, snapshot: dict[str, Tensor]) -> None:
    for name, parameter in model.named_parameters():
        assert torch.equal(parameter, snapshot[name]), name


def _assert_merged(
    model: nn.Module, original: dict[str, Tensor], stack: list[tuple[Expected, float]]
) -> None:
    """Targeted weights equal W + sum(scale * up @ down * alpha / rank); all else is untouched."""
    touched = {f"{layer}.weight" for expected, _ in stack for layer in expected}
    for name, parameter in model.named_parameters():
        if name not in touched:
            assert torch.equal(parameter, original[name]), name
            continue
        want = original[name].float()
        layer = name.removesuffix(".weight")
        for expected, scale in stack:
            for up, down, alpha_over_rank in expected.get(layer, []):
                want = want + scale * (up @ down) * alpha_over_rank
        assert parameter.dtype == original[name].dtype
        torch.testing.assert_close(parameter.detach(), want.to(parameter.dtype), msg=name)


@pytest.mark.parametrize("layout", list(LAYOUTS))
def test_each_layout_merges_its_deltas(layout: str, tmp_path: Path) -> None:
    model = _tiny_transformer()
    original = _snapshot(model)
    lora = LAYOUTS[layout]()
    spec = LoraSpec(lora.save(tmp_path / f"{layout}.safetensors"), 0.8)

    manager = LoraManager(model)
    manager.apply([spec])

    _assert_merged(model, original, [(lora.expected, 0.8)])
    assert manager.active == (spec,)


def test_fused_layers_share_their_down_matrix(tmp_path: Path) -> None:
    deltas = load_lora_deltas(
        _original_lora().save(tmp_path / "hv.safetensors"), _tiny_transformer()
    )

    linear1_parts = [f"single_transformer_blocks.0.attn.to_{p}" for p in "qkv"]
    linear1_parts.append("single_transformer_blocks.0.proj_mlp")
    assert [tuple(deltas[name].up.shape) for name in linear1_parts] == [(20, 4)] * 3 + [(80, 4)]
    assert all(deltas[name].down is deltas[linear1_parts[0]].down for name in linear1_parts)
    assert deltas[linear1_parts[0]].alpha_over_rank == 0.5


def test_stacked_loras_add_their_deltas(tmp_path: Path) -> None:
    model = _tiny_transformer()
    original = _snapshot(model)
    # Both files update transformer_blocks.0.attn.to_q and single_transformer_blocks.0.proj_out.
    peft, hunyuan = _peft_lora("transformer."), _original_lora()
    specs = [
        LoraSpec(peft.save(tmp_path / "a.safetensors"), 0.8),
        LoraSpec(hunyuan.save(tmp_path / "b.safetensors"), -0.5),
    ]

    LoraManager(model).apply(specs)

    _assert_merged(model, original, [(peft.expected, 0.8), (hunyuan.expected, -0.5)])


def test_scale_zero_is_no_lora(tmp_path: Path) -> None:
    a = LoraSpec(_peft_lora("").save(tmp_path / "a.safetensors"), 0.8)
    b = LoraSpec(_original_lora().save(tmp_path / "b.safetensors"), 0.0)
    model = _tiny_transformer()
    original = _snapshot(model)
    manager = LoraManager(model)

    manager.apply([LoraSpec(a.path, 0.0)])
    _assert_same(model, original)
    assert not manager.active

    manager.apply([a, b])
    only_a = _tiny_transformer()
    LoraManager(only_a).apply([a])
    _assert_same(model, _snapshot(only_a))
    assert manager.active == (a,)


def test_clear_restores_bit_for_bit(tmp_path: Path) -> None:
    model = _tiny_transformer()
    original = _snapshot(model)
    manager = LoraManager(model)
    manager.apply(
        [
            LoraSpec(_kohya_lora().save(tmp_path / "a.safetensors"), 0.8),
            LoraSpec(_original_lora().save(tmp_path / "b.safetensors"), 0.7),
        ]
    )

    manager.clear()

    _assert_same(model, original)
    assert not manager.active


def test_switching_sets_equals_applying_the_new_set_fresh(tmp_path: Path) -> None:
    a = LoraSpec(_original_lora().save(tmp_path / "a.safetensors"), 0.8)
    b = LoraSpec(_kohya_lora().save(tmp_path / "b.safetensors"), 0.6)
    c = LoraSpec(_peft_lora("").save(tmp_path / "c.safetensors"), 1.0)
    model = _tiny_transformer()
    manager = LoraManager(model)

    manager.apply([a, c])
    manager.apply([b, c])

    fresh = _tiny_transformer()
    LoraManager(fresh).apply([b, c])
    _assert_same(model, _snapshot(fresh))
    assert manager.active == (b, c)


def test_reapplying_the_same_set_is_a_no_op(tmp_path: Path) -> None:
    spec = LoraSpec(_peft_lora("").save(tmp_path / "a.safetensors"), 0.8)
    model = _tiny_transformer()
    manager = LoraManager(model)
    manager.apply([spec])
    # A mark that a real re-merge would overwrite.
    to_q = model.get_submodule("transformer_blocks.0.attn.to_q")
    assert isinstance(to_q, nn.Linear)
    with torch.no_grad():
        to_q.weight[0, 0] = 123.0

    manager.apply([LoraSpec(spec.path, 0.8)])

    assert to_q.weight[0, 0].item() == 123.0


def test_a_rewritten_file_is_read_again(tmp_path: Path) -> None:
    path = _peft_lora("").save(tmp_path / "a.safetensors")
    model = _tiny_transformer()
    original = _snapshot(model)
    manager = LoraManager(model)
    manager.apply([LoraSpec(path, 0.8)])

    path.unlink()
    rewritten = _kohya_lora()
    rewritten.save(path)
    manager.apply([LoraSpec(path, 0.8)])

    _assert_merged(model, original, [(rewritten.expected, 0.8)])


def _wrong_shapes(path: Path) -> None:
    lora = _peft_lora("")
    lora.tensors["single_transformer_blocks.0.proj_out.lora_A.weight"] = torch.ones(RANK, INNER)
    lora.save(path)


def _unknown_keys_only(path: Path) -> None:
    save_file({"model.diffusion_model.foo.weight": torch.ones(2, 2)}, str(path))


def _not_safetensors(path: Path) -> None:
    path.write_text("this is not a safetensors file")


def _missing_block(path: Path) -> None:
    lora = _original_lora()
    # The tiny model has one double block; a LoRA for block 7 does not fit it.
    lora.add("double_blocks.7.img_attn_proj", KOHYA, [("unused", INNER)], INNER)
    lora.save(path)


def _missing_up_matrix(path: Path) -> None:
    lora = _kohya_lora()
    del lora.tensors["lora_unet_transformer_blocks_0_attn_to_q.lora_up.weight"]
    lora.save(path)


BAD_FILES: dict[str, Callable[[Path], None]] = {
    "wrong-shapes": _wrong_shapes,
    "unknown-keys-only": _unknown_keys_only,
    "not-safetensors": _not_safetensors,
    "missing-block": _missing_block,
    "missing-up-matrix": _missing_up_matrix,
    "missing-file": lambda path: None,
}


@pytest.mark.parametrize("case", list(BAD_FILES))
def test_bad_file_raises_naming_it_and_leaves_the_model_untouched(
    case: str, tmp_path: Path
) -> None:
    good = LoraSpec(_peft_lora("").save(tmp_path / "good.safetensors"), 0.8)
    bad_path = tmp_path / f"bad-{case}.safetensors"
    BAD_FILES[case](bad_path)
    model = _tiny_transformer()
    manager = LoraManager(model)
    manager.apply([good])
    with_good = _snapshot(model)

    with pytest.raises(LoraError, match=re.escape(bad_path.name)):
        manager.apply([LoraSpec(bad_path, 0.8)])
    with pytest.raises(LoraError, match=re.escape(bad_path.name)):
        manager.apply([good, LoraSpec(bad_path, 0.8)])

    _assert_same(model, with_good)
    assert manager.active == (good,)


def test_bf16_model_keeps_bf16_weights(tmp_path: Path) -> None:
    model = _tiny_transformer(torch.bfloat16)
    original = _snapshot(model)
    lora = _original_lora()
    manager = LoraManager(model)

    manager.apply([LoraSpec(lora.save(tmp_path / "a.safetensors"), 0.8)])
    assert all(p.dtype == torch.bfloat16 for p in model.parameters())
    _assert_merged(model, original, [(lora.expected, 0.8)])

    manager.clear()
    _assert_same(model, original)


def _with_adapter_metadata(path: Path, config: dict[str, object]) -> Path:
    lora = _peft_lora("transformer.")
    del lora.tensors["transformer.transformer_blocks.0.attn.to_q.alpha"]
    save_file(lora.tensors, str(path), metadata={"lora_adapter_metadata": json.dumps(config)})
    return path


def test_diffusers_metadata_alpha_applies_to_every_layer(tmp_path: Path) -> None:
    path = _with_adapter_metadata(
        tmp_path / "meta.safetensors", {"transformer.lora_alpha": 8, "transformer.r": RANK}
    )

    deltas = load_lora_deltas(path, _tiny_transformer())

    assert {delta.alpha_over_rank for delta in deltas.values()} == {2.0}


def test_diffusers_metadata_alpha_pattern_is_refused(tmp_path: Path) -> None:
    path = _with_adapter_metadata(
        tmp_path / "pattern.safetensors",
        {"lora_alpha": 8, "alpha_pattern": {"transformer_blocks.0.attn.to_q": 2}},
    )

    with pytest.raises(LoraError, match=re.escape(path.name)):
        load_lora_deltas(path, _tiny_transformer())


def test_a_failure_while_merging_restores_the_base_model(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    a = LoraSpec(_kohya_lora().save(tmp_path / "a.safetensors"), 0.8)
    b = LoraSpec(_original_lora().save(tmp_path / "b.safetensors"), 0.8)
    model = _tiny_transformer()
    original = _snapshot(model)
    manager = LoraManager(model)
    manager.apply([a])
    merge_one_layer = lora_module._merged_weight
    merged_layers: list[Tensor] = []

    def out_of_memory_on_the_third_layer(*args: Any, **kwargs: Any) -> Tensor:
        if len(merged_layers) == 2:
            raise torch.OutOfMemoryError("simulated")
        merged_layers.append(merge_one_layer(*args, **kwargs))
        return merged_layers[-1]

    monkeypatch.setattr(lora_module, "_merged_weight", out_of_memory_on_the_third_layer)
    with pytest.raises(torch.OutOfMemoryError):
        manager.apply([b])

    _assert_same(model, original)
    assert not manager.active
