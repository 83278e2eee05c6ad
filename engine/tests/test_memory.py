"""Memory modes: the policy with fake free-memory figures, diffusers' group offloading under our
own forward, and low mode end to end on the CPU (where moving weights is a no-op)."""

from __future__ import annotations

import copy
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import torch
from diffusers import HunyuanVideoFramepackTransformer3DModel
from diffusers.hooks import group_offloading
from PIL import Image
from plan_builders import image_plan
from torch import nn

import framepack_engine.weights.loader as loader
from framepack_engine import offload
from framepack_engine.memory import (
    HIGH_MODE_MIN_FREE_GB,
    fits_resident,
    gb_to_bytes,
    resident_block_count,
    resolve_memory_mode,
)
from framepack_engine.offload import (
    TransformerSplit,
    is_streamed,
    stream_blocks,
    tensor_bytes,
    transformer_blocks,
)
from framepack_engine.one_frame import one_frame_context
from framepack_engine.plans import run_plan
from framepack_engine.plans.base import JobContext
from framepack_engine.runtime import EngineRuntime
from framepack_engine.teacache import TeaCache
from framepack_engine.transformer_forward import Conditioning, framepack_forward
from framepack_engine.weights.loader import ModelSet

CPU = torch.device("cpu")
# The full-size transformer's weights in bf16, measured on the real config built on the meta device.
FULL_NON_BLOCK_BYTES = 828_033_152
FULL_BLOCK_BYTES = [679_662_592] * 20 + [283_183_616] * 40


@pytest.mark.parametrize(
    ("requested", "device_type", "free_gb", "expected"),
    [
        ("auto", "cuda", 80, "high"),
        ("auto", "cuda", 16, "low"),
        ("auto", "cuda", HIGH_MODE_MIN_FREE_GB, "low"),  # "more than" the threshold
        ("auto", "cpu", None, "high"),
        ("low", "cpu", None, "low"),
        ("high", "cuda", 16, "high"),
    ],
)
def test_memory_mode_resolution(
    requested: Any, device_type: str, free_gb: float | None, expected: str
) -> None:
    free = None if free_gb is None else gb_to_bytes(free_gb)
    assert resolve_memory_mode(requested, device_type, free) == expected


@pytest.mark.parametrize(
    ("free_gb", "preservation_gb", "resident"),
    [
        (None, 6, 60),  # the CPU: nothing to stream to
        (80, 6, 60),
        (31, 6, 60),  # free minus the whole model (24.9 GB) stays above the preservation
        (22, 6, 24),  # a 24 GB card: the 20 dual and 4 single blocks
        (22, 10, 15),  # a larger preservation keeps fewer blocks
        (16, 6, 12),
        (7, 6, 0),  # every block streams
    ],
)
def test_resident_blocks_at_full_size(
    free_gb: float | None, preservation_gb: float, resident: int
) -> None:
    free = None if free_gb is None else gb_to_bytes(free_gb)
    count = resident_block_count(
        free, FULL_NON_BLOCK_BYTES, FULL_BLOCK_BYTES, gb_to_bytes(preservation_gb)
    )
    assert count == resident


def test_resident_blocks_leave_room_for_two_blocks_in_flight() -> None:
    blocks = [gb_to_bytes(size) for size in (2, 2, 2, 2, 1, 1, 1, 1)]
    non_block, preservation = gb_to_bytes(1), gb_to_bytes(6)
    assert resident_block_count(gb_to_bytes(19), non_block, blocks, preservation) == 8
    # 11 GB for blocks: 4 set aside for two 2 GB blocks in flight, then three 2 GB blocks fit.
    assert resident_block_count(gb_to_bytes(18), non_block, blocks, preservation) == 3
    assert resident_block_count(gb_to_bytes(10), non_block, blocks, preservation) == 0


def test_an_encoder_fits_beside_the_preservation_or_streams() -> None:
    llama, preservation = gb_to_bytes(15), gb_to_bytes(6)
    assert fits_resident(gb_to_bytes(22), llama, preservation)
    assert not fits_resident(gb_to_bytes(20), llama, preservation)
    assert fits_resident(None, llama, preservation)


@pytest.fixture
def onloads(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[Any]]:
    """Every group diffusers' group offloading loads onto the device, in order."""
    loaded: list[Any] = []
    real = group_offloading.ModuleGroup.onload_

    def spy(group: Any) -> None:
        loaded.append(group)
        real(group)

    monkeypatch.setattr(group_offloading.ModuleGroup, "onload_", spy)
    yield loaded


@pytest.fixture
def meta_offload(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """A stand-in device for the CPU: while a streamed group is offloaded its weights are on the
    `meta` device (shapes, no data), and only its offloading hook brings the real ones back.

    On the CPU the onload and offload devices are the same, so a call that touches a streamed
    module's weights outside its hook would work here and fail on CUDA with a device mismatch.
    Under this fixture it fails here too (docs/framepack.md §13.1).
    """
    # (id of a module's parameter or buffer dict, name) -> the real tensor, while offloaded.
    stash: dict[tuple[int, str], torch.Tensor] = {}

    def stores(group: Any) -> list[dict[str, Any]]:
        subs = [sub for module in group.modules for sub in module.modules()]
        return [store for sub in subs for store in (sub._parameters, sub._buffers)]

    def offload(group: Any) -> None:
        for store in stores(group):
            for name, tensor in store.items():
                if tensor is not None and tensor.device.type != "meta":
                    stash[(id(store), name)] = tensor
                    meta = tensor.to("meta")
                    store[name] = (
                        nn.Parameter(meta, False) if isinstance(tensor, nn.Parameter) else meta
                    )

    def onload(group: Any) -> None:
        for store in stores(group):
            for name in list(store):
                if (id(store), name) in stash:
                    store[name] = stash.pop((id(store), name))

    monkeypatch.setattr(group_offloading.ModuleGroup, "offload_", offload)
    monkeypatch.setattr(group_offloading.ModuleGroup, "onload_", onload)
    yield


@torch.no_grad()
def _forward(model: Any, teacache: TeaCache | None = None) -> torch.Tensor:
    """framepack_forward with every context group present, on fixed random inputs."""
    generator = torch.Generator().manual_seed(0)

    def noise(*shape: int) -> torch.Tensor:
        return torch.randn(*shape, generator=generator)

    mask = torch.zeros(1, 32, dtype=torch.bool)
    mask[:, :9] = True
    conditioning = Conditioning(
        text=noise(1, 32, model.config.text_embed_dim),
        text_mask=mask,
        pooled=noise(1, model.config.pooled_projection_dim),
        image=noise(1, 729, model.config.image_proj_dim),
    )
    context = one_frame_context(noise(1, 16, 1, 6, 8), 9, 9, False, False, False)
    latents = noise(1, 16, 1, 6, 8)
    timestep, guidance = torch.tensor([700.0]), torch.tensor([10000.0])
    result: torch.Tensor = framepack_forward(
        model, latents, timestep, guidance, conditioning, context, teacache
    )
    return result


def _teacache_run(model: Any) -> tuple[list[torch.Tensor], int]:
    """Three TeaCache steps on the same inputs: the first and last compute, the middle skips."""
    teacache = TeaCache(steps=3)
    outputs = [_forward(model, teacache) for _ in range(3)]
    return outputs, teacache.skipped


def test_streamed_weights_are_on_the_meta_device_between_forwards(
    model_set: ModelSet, meta_offload: None
) -> None:
    model = copy.deepcopy(model_set.transformer("base"))
    blocks = transformer_blocks(model)
    stream_blocks(blocks, CPU)
    assert {p.device.type for b in blocks for p in b.parameters()} == {"meta"}
    inner = int(model.config.num_attention_heads * model.config.attention_head_dim)
    with pytest.raises((RuntimeError, NotImplementedError)):
        norm1: Any = blocks[0].norm1
        norm1(torch.zeros(1, 4, inner), emb=torch.zeros(1, inner))
    _forward(model)  # the hooks load each block for its own forward
    assert {p.device.type for b in blocks for p in b.parameters()} == {"meta"}


def test_teacache_probe_sees_a_streamed_first_block(
    model_set: ModelSet, meta_offload: None
) -> None:
    """TeaCache calls the first block's norm1 outside the block's forward: when that block
    streams (an 8 GB card), its weights must be brought in for the probe."""
    reference = model_set.transformer("base")
    expected, expected_skipped = _teacache_run(reference)
    model = copy.deepcopy(reference)
    stream_blocks(transformer_blocks(model), CPU)

    outputs, skipped = _teacache_run(model)
    assert skipped == expected_skipped == 1
    for ours, theirs in zip(outputs, expected, strict=True):
        assert torch.equal(ours, theirs)
    assert {p.device.type for p in model.transformer_blocks[0].parameters()} == {"meta"}


def test_streamed_blocks_load_through_framepack_forward(
    model_set: ModelSet, onloads: list[Any]
) -> None:
    """diffusers hooks a block's forward, and framepack_forward calls each block: every block is
    loaded once per forward, in order, and the output is unchanged."""
    reference = model_set.transformer("base")
    expected = _forward(reference)
    model = copy.deepcopy(reference)
    blocks = transformer_blocks(model)
    stream_blocks(blocks, CPU)
    assert all(is_streamed(block) for block in blocks)
    assert not is_streamed(model) and not is_streamed(model.x_embedder)

    onloads.clear()
    assert torch.equal(_forward(model), expected)
    assert [group.modules for group in onloads] == [[block] for block in blocks]


def test_whole_model_block_offloading_would_skip_the_non_block_modules(
    model_set: ModelSet, onloads: list[Any]
) -> None:
    """Why stream_blocks hands diffusers the blocks alone: over the whole transformer, diffusers
    puts the non-block modules in one group that only the transformer's own forward loads.
    framepack_forward never calls that forward, so on CUDA they would stay on the CPU."""
    model = copy.deepcopy(model_set.transformer("base"))
    model.enable_group_offload(CPU, offload_type="block_level", num_blocks_per_group=1)
    non_block_group = model._diffusers_hook.get_hook("group_offloading").group
    assert non_block_group.onload_leader is model
    assert model.x_embedder in non_block_group.modules

    onloads.clear()
    _forward(model)
    assert onloads  # the blocks were loaded ...
    assert all(group is not non_block_group for group in onloads)  # ... the rest never


def test_a_partial_split_streams_the_tail_and_chains_prefetching(model_set: ModelSet) -> None:
    config = {**model_set.transformer("base").config, "num_layers": 3, "num_single_layers": 3}
    torch.manual_seed(0)
    reference = HunyuanVideoFramepackTransformer3DModel.from_config(config).eval()
    expected = _forward(reference)
    model = copy.deepcopy(reference)
    split = TransformerSplit(model, CPU)
    sizes = [tensor_bytes(block) for block in split.blocks]
    # Room for the non-block modules, two blocks in flight and the first two blocks.
    available = tensor_bytes(*split.non_block_modules) + 2 * max(sizes) + sizes[0] + sizes[1]

    split.plan(available, preservation_bytes=0)
    assert split.resident_count == 2 and split.streams
    assert [is_streamed(block) for block in split.blocks] == [False] * 2 + [True] * 4
    # The CUDA prefetch chain, built here on the CPU: this checks its order and that every block
    # still runs with its own weights, not the overlap of copies (CPU copies are synchronous).
    offload._chain_prefetch(split.blocks[2:])
    hooks = [offload._offload_hook(block) for block in split.blocks[2:]]
    assert [hook.next_group for hook in hooks] == [hook.group for hook in hooks[1:]] + [None]
    assert torch.equal(_forward(model), expected)

    split.plan(None, preservation_bytes=0)  # everything fits again: the hooks come off
    assert split.resident_count == 6 and not any(is_streamed(b) for b in split.blocks)
    assert torch.equal(_forward(model), expected)


def test_invalid_memory_settings_are_refused(tiny_root: Path) -> None:
    with pytest.raises(ValueError, match="memory_mode"):
        ModelSet(tiny_root, CPU, memory_mode="medium")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="gpu_memory_preservation"):
        ModelSet(tiny_root, CPU, gpu_memory_preservation_gb=-1)
    with pytest.raises(ValueError, match="gpu_memory_preservation"):
        ModelSet(tiny_root, CPU).set_gpu_memory_preservation(float("nan"))


def test_low_mode_phases_follow_the_accessors_and_the_transformer_forward(
    tiny_root: Path, model_set: ModelSet, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert model_set.memory_mode == "high"  # auto on the CPU
    assert model_set.resident_component is None
    models = ModelSet(tiny_root, CPU, memory_mode="low")
    assert models.memory_mode == "low"
    models.load_all()
    assert models.resident_component is None  # loading starts no phase

    models.text_encoder()
    assert models.resident_component == "text_encoder"
    vae = models.vae()
    assert models.resident_component == "vae"
    assert vae.use_tiling and vae.use_slicing
    assert not model_set.vae().use_tiling

    transformer = models.transformer("base")
    assert models.resident_component == "vae"  # fetching the transformer is not its phase
    moved: list[torch.device] = []
    real_to = vae.to

    def recording_to(device: torch.device) -> Any:
        moved.append(device)
        return real_to(device)

    monkeypatch.setattr(vae, "to", recording_to)
    _forward(transformer)
    assert models.resident_component == "transformer_base"
    assert moved == [CPU]  # the VAE went back when the transformer's phase started
    # No free-memory figure on the CPU: everything fits, nothing streams.
    assert {entry["device"] for entry in models.loaded_models()} == {"cpu"}


def _image(runtime: EngineRuntime, output_dir: Path) -> np.ndarray:
    with torch.inference_mode():
        outcome = run_plan(
            image_plan(output_dir, seed=5, steps=2), JobContext("j", lambda event: None), runtime
        )
    return np.asarray(Image.open(outcome.files[0]["path"]).convert("RGB"))


def test_low_mode_streaming_everything_gives_the_high_mode_image(
    tiny_root: Path,
    runtime: EngineRuntime,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    meta_offload: None,
) -> None:
    # A device with no free memory: everything that can stream does (on the CPU, in place).
    monkeypatch.setattr(loader, "free_device_bytes", lambda device: 0)
    models = ModelSet(tiny_root, CPU, memory_mode="low")
    low = EngineRuntime(models)

    assert np.array_equal(_image(low, tmp_path / "low"), _image(runtime, tmp_path / "high"))

    transformer = models.transformer("base")
    assert all(is_streamed(block) for block in transformer_blocks(transformer))
    assert models.resident_component == "vae"  # decoding was the last phase
    report = {entry["name"]: entry for entry in models.loaded_models()}
    assert {name: entry["device"] for name, entry in report.items()} == {
        "transformer_base": "cpu (streamed)",
        "text_encoder": "cpu (streamed)",
        "text_encoder_2": "cpu (streamed)",
        "vae": "cpu",
        "image_encoder": "cpu (streamed)",
    }
    assert report["transformer_base"] == {
        "name": "transformer_base",
        "class_name": "HunyuanVideoFramepackTransformer3DModel",
        "dtype": "float32",
        "device": "cpu (streamed)",
        "bytes": tensor_bytes(transformer),
    }
    encoders = (models.text_encoder(), models.text_encoder_2(), models.image_encoder())
    assert all(is_streamed(encoder) for encoder in encoders)


def test_a_new_preservation_splits_again_without_reloading(
    tiny_root: Path, model_set: ModelSet, monkeypatch: pytest.MonkeyPatch
) -> None:
    whole = tensor_bytes(model_set.transformer("base"))
    # Free memory for exactly the transformer beside 1 GB.
    monkeypatch.setattr(loader, "free_device_bytes", lambda device: gb_to_bytes(1) + whole)
    plans: list[int] = []
    real_plan = TransformerSplit.plan

    def counted_plan(split: TransformerSplit, available: int | None, preservation: int) -> None:
        plans.append(preservation)
        real_plan(split, available, preservation)

    monkeypatch.setattr(TransformerSplit, "plan", counted_plan)
    models = ModelSet(tiny_root, CPU, memory_mode="low", gpu_memory_preservation_gb=1)
    transformer = models.transformer("base")
    blocks = transformer_blocks(transformer)
    assert not any(is_streamed(block) for block in blocks)
    expected = _forward(transformer)
    assert models.resident_component == "transformer_base"

    models.set_gpu_memory_preservation(2)
    assert models.gpu_memory_preservation_gb == 2
    assert models.transformer("base") is transformer  # nothing reloaded
    assert all(is_streamed(block) for block in blocks)
    assert models.resident_component is None  # it left its phase to be split again
    assert torch.equal(_forward(transformer), expected)

    models.transformer("base")
    assert plans == [gb_to_bytes(1), gb_to_bytes(2)]  # an unchanged value plans nothing


def test_pinning_replaces_each_weight_in_place_one_at_a_time(model_set: ModelSet) -> None:
    """CUDA streaming pins the streamed blocks' host weights before diffusers copies them: each
    weight is swapped for its pinned copy before the next is made, so the host holds one extra
    tensor at most, never a second transformer (docs/framepack.md §13.1)."""
    blocks = transformer_blocks(copy.deepcopy(model_set.transformer("base")))[:2]
    originals = {id(p): p.data for b in blocks for p in b.parameters()}
    copies: list[torch.Tensor] = []

    def fake_pin(tensor: torch.Tensor) -> torch.Tensor:
        in_place = {p.data_ptr() for b in blocks for p in b.parameters()}
        assert all(c.data_ptr() in in_place for c in copies)  # every earlier copy is swapped in
        copies.append(tensor.clone())
        return copies[-1]

    offload.pin_in_place(blocks, pin=fake_pin)
    parameters = [p for b in blocks for p in b.parameters()]
    assert len(copies) == len(parameters)
    for parameter in parameters:
        assert parameter.data_ptr() != originals[id(parameter)].data_ptr()
        assert torch.equal(parameter.data, originals[id(parameter)])


def test_a_memory_limit_caps_what_the_engine_plans_for(
    tiny_root: Path, model_set: ModelSet, monkeypatch: pytest.MonkeyPatch
) -> None:
    """--gpu-memory-gb: a shared card, or a smaller card simulated on a large one."""
    assert offload.capped(gb_to_bytes(80), gb_to_bytes(8)) == gb_to_bytes(8)
    assert offload.capped(gb_to_bytes(5), gb_to_bytes(8)) == gb_to_bytes(5)
    assert offload.capped(None, gb_to_bytes(8)) is None  # the CPU: nothing to plan
    assert resolve_memory_mode("auto", "cuda", offload.capped(gb_to_bytes(80), None)) == "high"
    assert (
        resolve_memory_mode("auto", "cuda", offload.capped(gb_to_bytes(80), gb_to_bytes(24)))
        == "low"
    )

    whole = tensor_bytes(model_set.transformer("base"))
    monkeypatch.setattr(loader, "free_device_bytes", lambda device: gb_to_bytes(80))
    roomy = ModelSet(tiny_root, CPU, memory_mode="low", gpu_memory_preservation_gb=0)
    assert roomy.gpu_memory_limit_gb is None
    assert not any(is_streamed(b) for b in transformer_blocks(roomy.transformer("base")))
    limited = ModelSet(
        tiny_root,
        CPU,
        memory_mode="low",
        gpu_memory_preservation_gb=0,
        gpu_memory_limit_gb=whole / 2 / gb_to_bytes(1),
    )
    assert limited.gpu_memory_limit_gb == pytest.approx(whole / 2 / gb_to_bytes(1), rel=1e-6)
    blocks = transformer_blocks(limited.transformer("base"))
    assert any(is_streamed(b) for b in blocks)  # the same free memory, but capped: it streams
    with pytest.raises(ValueError, match="gpu_memory_limit"):
        ModelSet(tiny_root, CPU, gpu_memory_limit_gb=0)
