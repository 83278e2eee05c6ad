"""Engine benchmark: FramePack transformer speed, memory and LoRA switching, as JSON lines.

Usage: engine/.venv/bin/python bench/engine_bench.py [--config tiny|full] [--device auto|cpu|cuda]
       [--steps N] [--quick] [--peak-tflops X] [--low-available-gb GB]

The transformer is built from its config with random weights, directly on the device (nothing
is downloaded): `full` is the real 13B configuration (docs/framepack.md §2) in bf16 on CUDA,
`tiny` is the test set's configuration (weights/tiny.py). Inputs are random tensors of the real
shapes.

Figures (one JSON object per line on stdout; progress goes to stderr):

0. `matmul_peak_tflops`: a bf16 matmul calibration (8192^3 on CUDA; float32 512^3 on the CPU),
   the measured peak the step figures are compared with.
1. `one_frame_step_s`: seconds per sampler step of one image at 1216x704, default one-frame
   layout (lws 9, target index 9, zero post / 2x / 4x context), cfg 1: one model forward; then
   the same with no_2x, no_4x and no_post (field `layout_variant`).
2. `batch_images_per_s`: images per second of a batch of 4 in one call against 4 single runs,
   at 1216x704 and 640x640, with equal and with mixed prompt lengths (`prompts`).
2b. `sdpa_backend`: the attention backend SDPA picks for the blocks' calls (value: its name),
   batch 1 and batch 4 with mixed prompt lengths, with the engine's priority order.
3. `video_step_s`, `video_section_s`: a 9-frame window at the 640 bucket (608x640) with full
   1x / 2x / 4x context, and the section estimate: 25 steps + one VAE decode of 18 latents.
4. `peak_memory_bytes` per memory mode: "high" (all resident: CUDA max_memory_allocated over
   the one-frame steps; on the CPU the process's peak RSS) and "low" (the engine's low mode,
   framepack_engine.offload.TransformerSplit: blocks streamed from the CPU, planned for
   `--low-available-gb` of device memory; on the CPU the streaming runs but there is no device
   memory, so the value is null with a note).
5. `lora_switch_s`: LoraManager.apply([A]) -> apply([B]) -> apply([]) with two synthetic kohya
   LoRAs of rank 16 on every attention q / k / v / out layer of all blocks.
6. `achieved_tflops`: FLOPs of one 1216x704 forward (FlopCounterMode) / seconds per step,
   per layout variant, against the device's dense bf16 peak (table) and the measured matmul
   peak (`fraction_of_measured_peak`).
7. `peak_memory_bytes` in low mode once per simulated card (`--low-budgets-gb`, default
   8,12,16,24 for full): the split planned for that much device memory; at the smallest budget
   a TeaCache forward runs too (its probe touches the first block, which streams there).

8. `fp8_step_s`: the same transformer with `--transformer-dtype fp8` (framepack_engine.fp8,
   docs/framepack.md §18), quantised in place after the figures above: seconds per one-frame step
   with every block resident, against the bf16 step of figure 1, with the weights' bytes and the
   device memory peak of both; then one more `peak_memory_bytes` line in low mode at the smallest
   simulated card. Every line carries `transformer_dtype` (bf16 until this figure: the runtime
   dtype, float32 on the CPU).

A final `summary` line gathers the main figures and the total run time (budget: 6 minutes for
the full configuration on one H100/H200).
"""
# The engine's directory may have to go on sys.path before the engine is imported:
# ruff: noqa: E402

from __future__ import annotations

import argparse
import importlib.util
import json
import math
import os
import resource
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

PROCESS_STARTED = time.perf_counter()  # before the heavy imports, which count towards the budget

# Run from a checkout with any Python that has the engine's dependencies, installed or not.
_ENGINE_DIR = Path(__file__).resolve().parents[1] / "engine"
if importlib.util.find_spec("framepack_engine") is None:
    sys.path.insert(0, str(_ENGINE_DIR))

import torch
import torch.nn.functional as F
from diffusers import AutoencoderKLHunyuanVideo, HunyuanVideoFramepackTransformer3DModel
from safetensors.torch import save_file
from torch.overrides import TorchFunctionMode
from torch.utils.flop_counter import FlopCounterMode

from framepack_engine.conditioning.image import (
    LATENT_CHANNELS,
    VAE_SCALING_FACTOR,
    VAE_SPATIAL_STRIDE,
)
from framepack_engine.device import choose_device, describe_device
from framepack_engine.fp8 import fp8_layers, quantise_transformer
from framepack_engine.lora import LoraManager, LoraSpec
from framepack_engine.memory import (
    DEFAULT_GPU_MEMORY_PRESERVATION_GB,
    gb_to_bytes,
)
from framepack_engine.offload import (
    CPU,
    TransformerSplit,
    release_cached_memory,
    stop_streaming,
    tensor_bytes,
)
from framepack_engine.one_frame import one_frame_context
from framepack_engine.teacache import TeaCache
from framepack_engine.transformer_forward import (
    Conditioning,
    ContextGroup,
    FrameContext,
    attention_backend_order,
    chosen_sdpa_backend,
    framepack_forward,
)
from framepack_engine.video_layout import (
    base_section_context,
    base_section_indices,
    initial_base_history,
    pixel_frame_count,
)
from framepack_engine.weights.layout import TRANSFORMER_BASE, VAE
from framepack_engine.weights.loader import runtime_dtype
from framepack_engine.weights.tiny import tiny_transformer, tiny_vae

# The real transformer (docs/framepack.md §2): 20 dual + 40 single blocks, 24 heads x 128.
FULL_TRANSFORMER_CONFIG: dict[str, Any] = {
    "in_channels": LATENT_CHANNELS,
    "out_channels": LATENT_CHANNELS,
    "num_attention_heads": 24,
    "attention_head_dim": 128,
    "num_layers": 20,
    "num_single_layers": 40,
    "num_refiner_layers": 2,
    "mlp_ratio": 4.0,
    "patch_size": 2,
    "patch_size_t": 1,
    "qk_norm": "rms_norm",
    "guidance_embeds": True,
    "text_embed_dim": 4096,
    "pooled_projection_dim": 768,
    "rope_theta": 256.0,
    "rope_axes_dim": (16, 56, 56),
    "image_condition_type": None,
    "has_image_proj": True,
    "image_proj_dim": 1152,
    "has_clean_x_embedder": True,
}

# Dense bf16 tensor-core peaks (TFLOP/s) by device-name fragment; the first match wins.
PEAK_BF16_TFLOPS: tuple[tuple[str, float], ...] = (
    ("H200", 989.0),
    ("H100 PCIe", 756.0),
    ("H100", 989.0),
    ("A100", 312.0),
    ("L40S", 362.0),
    ("RTX 4090", 165.0),
    ("RTX 3090", 71.0),
)

TEXT_TOKENS = 512  # padded Llama length
REAL_TEXT_TOKENS = 80  # a typical prompt
MIXED_TEXT_TOKENS = (80, 40, 160, 120)  # a batch of four different prompts
LAYOUT_VARIANTS: dict[str, dict[str, bool]] = {
    "default": {"no_2x": False, "no_4x": False, "no_post": False},
    "no_2x": {"no_2x": True, "no_4x": False, "no_post": False},
    "no_4x": {"no_2x": False, "no_4x": True, "no_post": False},
    "no_post": {"no_2x": False, "no_4x": False, "no_post": True},
}
LOW_BUDGETS_GB = (8.0, 12.0, 16.0, 24.0)  # simulated cards for the low-mode figures
SIGLIP_TOKENS = 729
LATENT_WINDOW_SIZE = 9  # one-frame target index and video window, the API defaults
STEPS_PER_IMAGE = 30  # the image API's default step count
STEPS_PER_SECTION = 25  # the video API's default step count
DECODE_LATENT_FRAMES = 18  # a later base section decodes 2 * lws latents
BATCH = 4
LORA_RANK = 16
LORA_TARGETS = ("attn.to_q", "attn.to_k", "attn.to_v", "attn.to_out.0")
TIMESTEP = 500.0  # sigma 0.5 * 1000
GUIDANCE = 10_000.0  # gs 10 * 1000
FULL_BUDGET_S = 360.0  # 6 minutes on the lent H100 / H200
CARD_OVERHEAD_GB = 1.0  # a card of N GB has about N - 1 free for the engine (CUDA context, display)


@dataclass(frozen=True)
class Sizes:
    image: tuple[int, int]  # (width, height) of the one-frame figures
    video: tuple[int, int]  # (width, height) of the video window
    decode_latent_frames: int  # latents decoded for the video figure (scaled up to 18)


@dataclass(frozen=True)
class StepTiming:
    median_s: float  # the reported figure: robust to a step slowed by other work on the host
    mean_s: float
    min_s: float
    peak_bytes: int | None  # device memory peak over the timed steps; None off CUDA


@dataclass
class Bench:
    """The model under test and what every JSON line says about the run."""

    model: Any
    device: torch.device
    dtype: torch.dtype
    steps: int
    context: dict[str, Any]
    started: float
    split: TransformerSplit | None = None  # set once the low-mode figures have split the model


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    started = PROCESS_STARTED
    device = choose_device(args.device)
    config = args.config or ("full" if device.type == "cuda" else "tiny")
    if config == "full" and device.type != "cuda":
        raise SystemExit("the full configuration (13B parameters) needs a CUDA device")
    steps = args.steps or (5 if device.type == "cuda" else 3)
    sizes = choose_sizes(config, args.quick)
    torch.manual_seed(0)
    bench = build_bench(config, device, steps, started)
    log(bench, f"built the {config} transformer on {device}")

    measured_peak = bench_matmul_peak(bench)
    one_frame = bench_one_frame(bench, sizes)
    tflops = bench_tflops(bench, sizes, one_frame, args.peak_tflops, measured_peak)
    for variant in LAYOUT_VARIANTS:
        if variant != "default":
            timing = bench_one_frame(bench, sizes, variant)
            bench_tflops(bench, sizes, timing, args.peak_tflops, measured_peak, variant)
    bench_sdpa_backend(bench, sizes)
    batch = bench_batch(bench, sizes, one_frame)
    section = bench_video_section(bench, sizes, config)
    high = bench_memory_high(bench, sizes, one_frame)
    lora = bench_lora_switch(bench)
    budgets = args.low_budgets_gb
    if budgets is None:
        budgets = list(LOW_BUDGETS_GB) if config == "full" else [0.0]
    if args.low_available_gb is not None:
        budgets = [args.low_available_gb]
    low = None
    for number, budget in enumerate(sorted(budgets)):
        peak = bench_memory_low(bench, sizes, budget, teacache=number == 0)
        low = peak if low is None else low
    fp8 = bench_fp8(bench, sizes, one_frame, min(budgets))
    del bench.context["transformer_dtype"]  # the summary has figures of both
    elapsed = time.perf_counter() - started
    emit(
        bench,
        "summary",
        elapsed,
        "s",
        budget_s=FULL_BUDGET_S if config == "full" else None,
        within_budget=elapsed <= FULL_BUDGET_S if config == "full" else None,
        one_frame_step_s=one_frame.median_s,
        batch_ratio=batch,
        video_section_s=section,
        peak_memory_high_bytes=high,
        peak_memory_low_bytes=low,
        lora_switch_s=lora,
        achieved_tflops=tflops,
        fp8_step_s=fp8,
    )
    return 0


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument(
        "--config",
        choices=("tiny", "full"),
        default=None,
        help="model configuration (default: full on CUDA, tiny on CPU)",
    )
    parser.add_argument("--device", choices=("auto", "cpu", "cuda"), default="auto")
    parser.add_argument(
        "--steps",
        type=int,
        default=None,
        help="timed steps per figure (default: 5 on CUDA, 3 on CPU)",
    )
    parser.add_argument("--quick", action="store_true", help="smallest sizes (smoke test)")
    parser.add_argument(
        "--peak-tflops",
        type=float,
        default=None,
        help="the device's peak TFLOP/s (default: looked up by name)",
    )
    parser.add_argument(
        "--low-available-gb",
        type=float,
        default=None,
        help="device memory the low-mode split is planned for (default: 22, a 24 GB card, for "
        "the full config; 0, every block streamed, for tiny)",
    )
    parser.add_argument(
        "--low-budgets-gb",
        type=lambda text: [float(part) for part in text.split(",")],
        default=None,
        help="simulated cards (GB, comma-separated) for the low-mode figures (default: "
        "8,12,16,24 for full; 0, every block streamed, for tiny)",
    )
    args = parser.parse_args(argv)
    if args.steps is not None and args.steps < 1:
        parser.error("--steps must be >= 1")
    return args


def choose_sizes(config: str, quick: bool) -> Sizes:
    if quick:
        return Sizes(image=(256, 192), video=(256, 192), decode_latent_frames=1)
    # The tiny VAE's CPU convolutions are slow: decode 2 latents and scale to 18.
    decode = DECODE_LATENT_FRAMES if config == "full" else 2
    return Sizes(image=(1216, 704), video=(640, 608), decode_latent_frames=decode)


# --- building ---------------------------------------------------------------------------------


def build_bench(config: str, device: torch.device, steps: int, started: float) -> Bench:
    dtype = runtime_dtype(TRANSFORMER_BASE, device)
    with building_on(device, dtype):
        model = tiny_transformer() if config == "tiny" else full_transformer()
    model = model.eval().requires_grad_(False)
    context = {
        "config": config,
        "device": describe_device(device)["name"],
        "dtype": str(dtype).removeprefix("torch."),
        "torch": torch.__version__,
        "parameters": sum(p.numel() for p in model.parameters()),
        "attention_backends": attention_backend_order(),
        "transformer_dtype": "bf16",
    }
    return Bench(model, device, dtype, steps, context, started)


def full_transformer() -> Any:
    return HunyuanVideoFramepackTransformer3DModel(**FULL_TRANSFORMER_CONFIG)


@contextmanager
def building_on(device: torch.device, dtype: torch.dtype) -> Iterator[None]:
    """New modules get their random weights on `device` in `dtype`: no float32 host copy."""
    previous = torch.get_default_dtype()
    torch.set_default_dtype(dtype)
    try:
        with torch.device(device):
            yield
    finally:
        torch.set_default_dtype(previous)


def random_conditioning(
    bench: Bench, batch: int, text_tokens: tuple[int, ...] | None = None
) -> Conditioning:
    """Random conditioning; `text_tokens` gives each sample's real prompt length (default 80)."""
    config, device = bench.model.config, bench.device
    lengths = text_tokens or (REAL_TEXT_TOKENS,) * batch
    text_mask = torch.zeros(batch, TEXT_TOKENS, dtype=torch.bool, device=device)  # (B, 512)
    for row, length in enumerate(lengths):
        text_mask[row, :length] = True
    return Conditioning(
        text=torch.randn(batch, TEXT_TOKENS, config.text_embed_dim, device=device),
        text_mask=text_mask,
        pooled=torch.randn(batch, config.pooled_projection_dim, device=device),  # (B, P)
        image=torch.randn(batch, SIGLIP_TOKENS, config.image_proj_dim, device=device),
    )


def latent_size(size: tuple[int, int]) -> tuple[int, int]:
    """(width, height) in pixels -> the latents' (H/8, W/8)."""
    width, height = size
    return height // VAE_SPATIAL_STRIDE, width // VAE_SPATIAL_STRIDE


def one_frame_step(
    bench: Bench,
    size: tuple[int, int],
    batch: int,
    variant: str = "default",
    text_tokens: tuple[int, ...] | None = None,
    teacache: TeaCache | None = None,
) -> Callable[[], torch.Tensor]:
    """One sampler step (cfg 1: one forward) of `batch` images in a one-frame layout."""
    latent_shape = (batch, LATENT_CHANNELS, 1, *latent_size(size))  # (B, 16, 1, H/8, W/8)
    input_latent = torch.zeros(latent_shape, device=bench.device)
    flags = LAYOUT_VARIANTS[variant]
    context = one_frame_context(
        input_latent,
        LATENT_WINDOW_SIZE,
        LATENT_WINDOW_SIZE,
        flags["no_2x"],
        flags["no_4x"],
        flags["no_post"],
    ).to(bench.device)
    latents = torch.randn(latent_shape, device=bench.device)
    return forward_step(bench, latents, context, text_tokens, teacache)


def video_step(bench: Bench, size: tuple[int, int]) -> Callable[[], torch.Tensor]:
    """One step of a base-model section: 9 noisy frames, zero 1x / 2x / 4x context."""
    start = torch.zeros(1, LATENT_CHANNELS, 1, *latent_size(size), device=bench.device)
    indices = base_section_indices(padding=1, latent_window_size=LATENT_WINDOW_SIZE)
    groups = base_section_context(initial_base_history(start), start)
    context = FrameContext(
        noisy_indices=indices.latents,
        clean=ContextGroup(groups.clean, indices.clean),  # (1, 16, 2, h, w)
        history_2x=ContextGroup(groups.history_2x, indices.history_2x),  # (1, 16, 2, h, w)
        history_4x=ContextGroup(groups.history_4x, indices.history_4x),  # (1, 16, 16, h, w)
    ).to(bench.device)
    noisy_shape = (1, LATENT_CHANNELS, LATENT_WINDOW_SIZE, *latent_size(size))
    return forward_step(bench, torch.randn(noisy_shape, device=bench.device), context)


def forward_step(
    bench: Bench,
    latents: torch.Tensor,
    context: FrameContext,
    text_tokens: tuple[int, ...] | None = None,
    teacache: TeaCache | None = None,
) -> Callable[[], torch.Tensor]:
    batch = latents.shape[0]
    conditioning = random_conditioning(bench, batch, text_tokens)
    timestep = torch.full((batch,), TIMESTEP, device=bench.device)
    guidance = torch.full((batch,), GUIDANCE, device=bench.device)

    def step() -> torch.Tensor:
        with torch.no_grad():
            return framepack_forward(
                bench.model, latents, timestep, guidance, conditioning, context, teacache
            )

    return step


# --- timing -----------------------------------------------------------------------------------


def synchronize(device: torch.device) -> None:
    if device.type == "cuda":
        torch.cuda.synchronize(device)


def time_steps(bench: Bench, step: Callable[[], Any], warm_up: bool = True) -> StepTiming:
    """Median, mean and best seconds of `bench.steps` synchronised calls after one warm-up."""
    if warm_up:
        step()
        synchronize(bench.device)
    if bench.device.type == "cuda":
        torch.cuda.reset_peak_memory_stats(bench.device)
    durations = []
    for _ in range(bench.steps):
        begin = time.perf_counter()
        step()
        synchronize(bench.device)
        durations.append(time.perf_counter() - begin)
    peak = torch.cuda.max_memory_allocated(bench.device) if bench.device.type == "cuda" else None
    mean = sum(durations) / len(durations)
    return StepTiming(statistics.median(durations), mean, min(durations), peak)


def timed(device: torch.device, action: Callable[[], Any]) -> float:
    synchronize(device)
    begin = time.perf_counter()
    action()
    synchronize(device)
    return time.perf_counter() - begin


# --- figures ----------------------------------------------------------------------------------


def bench_matmul_peak(bench: Bench) -> float:
    """Measured dense matmul TFLOP/s in the run's dtype: the peak the figures are compared with."""
    size = 8192 if bench.device.type == "cuda" else 512
    a = torch.randn(size, size, device=bench.device, dtype=bench.dtype)
    b = torch.randn(size, size, device=bench.device, dtype=bench.dtype)
    repeats = 20 if bench.device.type == "cuda" else 3

    def products() -> None:
        for _ in range(repeats):
            torch.matmul(a, b)

    torch.matmul(a, b)  # kernel selection
    seconds = timed(bench.device, products)
    tflops = 2 * size**3 * repeats / seconds / 1e12
    emit(bench, "matmul_peak_tflops", tflops, "TFLOP/s", size=size, repeats=repeats)
    return tflops


def bench_one_frame(bench: Bench, sizes: Sizes, variant: str = "default") -> StepTiming:
    width, height = sizes.image
    timing = time_steps(bench, one_frame_step(bench, sizes.image, batch=1, variant=variant))
    emit(
        bench,
        "one_frame_step_s",
        timing.median_s,
        "s/step",
        width=width,
        height=height,
        batch=1,
        statistic="median",
        mean_s=timing.mean_s,
        min_s=timing.min_s,
        timed_steps=bench.steps,
        cfg=1,
        layout={"latent_window_size": LATENT_WINDOW_SIZE, "target_index": LATENT_WINDOW_SIZE},
        layout_variant=variant,
        peak_memory_bytes=timing.peak_bytes,
    )
    return timing


def bench_tflops(
    bench: Bench,
    sizes: Sizes,
    one_frame: StepTiming,
    peak_override: float | None,
    measured_peak: float | None = None,
    variant: str = "default",
) -> float:
    """Achieved TFLOP/s of the one-frame step; the FLOPs come from one counted forward."""
    counter = FlopCounterMode(display=False)
    step = one_frame_step(bench, sizes.image, batch=1, variant=variant)
    with counter:
        step()
    flops = counter.get_total_flops()
    achieved = flops / one_frame.median_s / 1e12
    peak = peak_override if peak_override is not None else device_peak_tflops(bench.device)
    width, height = sizes.image
    emit(
        bench,
        "achieved_tflops",
        achieved,
        "TFLOP/s",
        width=width,
        height=height,
        batch=1,
        flops_per_step=flops,
        peak_tflops=peak,
        fraction_of_peak=None if peak is None else achieved / peak,
        peak_source="--peak-tflops" if peak_override is not None else "device table",
        measured_peak_tflops=measured_peak,
        fraction_of_measured_peak=None if not measured_peak else achieved / measured_peak,
        layout_variant=variant,
    )
    return achieved


class _SdpaRecorder(TorchFunctionMode):
    """Keeps the inputs of the last scaled_dot_product_attention call."""

    def __init__(self) -> None:
        super().__init__()
        self.last: tuple[torch.Tensor, torch.Tensor, torch.Tensor, torch.Tensor | None] | None = (
            None
        )

    def __torch_function__(
        self, func: Any, types: Any, args: tuple[Any, ...] = (), kwargs: Any = None
    ) -> Any:
        kwargs = kwargs or {}
        if func is F.scaled_dot_product_attention:
            named = {**dict(zip(("query", "key", "value"), args, strict=False)), **kwargs}
            self.last = (named["query"], named["key"], named["value"], named.get("attn_mask"))
        return func(*args, **kwargs)


def bench_sdpa_backend(bench: Bench, sizes: Sizes) -> None:
    """The backend SDPA picks for the last block's attention, alone and in a mixed batch."""
    for batch, tokens in ((1, None), (BATCH, MIXED_TEXT_TOKENS)):
        recorder = _SdpaRecorder()
        step = one_frame_step(bench, sizes.image, batch=batch, text_tokens=tokens)
        with recorder:
            step()
        assert recorder.last is not None
        query, key, value, mask = recorder.last
        width, height = sizes.image
        emit(
            bench,
            "sdpa_backend",
            chosen_sdpa_backend(query, key, value, mask),
            "backend",
            width=width,
            height=height,
            batch=batch,
            prompts="single" if batch == 1 else "mixed",
            query_shape=list(query.shape),
            key_shape=list(key.shape),
            masked=mask is not None,
            priority=attention_backend_order(),
        )


def device_peak_tflops(device: torch.device) -> float | None:
    if device.type != "cuda":
        return None
    name = torch.cuda.get_device_name(device)
    return next((peak for fragment, peak in PEAK_BF16_TFLOPS if fragment in name), None)


def bench_batch(bench: Bench, sizes: Sizes, single: StepTiming) -> float:
    """Images/s of one batch-4 call against 4 single runs, per size and prompt-length mix.

    Equal lengths: the singles' step is one 80-token image (figure 1's at the image size).
    Mixed lengths: the singles' step is the mean over the four prompts' own single steps.
    The return value is the default size's equal-length ratio.
    """
    result = 0.0
    square = (640, 640) if sizes.image == (1216, 704) else sizes.image
    for size in dict.fromkeys((sizes.image, square)):
        for prompts, tokens in (("equal", None), ("mixed", MIXED_TEXT_TOKENS)):
            batch = time_steps(bench, one_frame_step(bench, size, BATCH, text_tokens=tokens))
            if prompts == "equal" and size == sizes.image:
                single_s = single.median_s
            else:
                lengths = tokens or (REAL_TEXT_TOKENS,)
                single_s = statistics.mean(
                    time_steps(bench, one_frame_step(bench, size, 1, text_tokens=(n,))).median_s
                    for n in lengths
                )
            batch_rate = BATCH / (batch.median_s * STEPS_PER_IMAGE)
            single_rate = 1 / (single_s * STEPS_PER_IMAGE)
            ratio = batch_rate / single_rate
            width, height = size
            emit(
                bench,
                "batch_images_per_s",
                batch_rate,
                "images/s",
                width=width,
                height=height,
                batch=BATCH,
                prompts=prompts,
                text_tokens=list(tokens or (REAL_TEXT_TOKENS,) * BATCH),
                singles_images_per_s=single_rate,
                batch_over_singles=ratio,
                batch_step_s=batch.median_s,
                single_step_s=single_s,
                steps_per_image=STEPS_PER_IMAGE,
                timed_steps=bench.steps,
                peak_memory_bytes=batch.peak_bytes,
            )
            if prompts == "equal" and size == sizes.image:
                result = ratio
    return result


def bench_video_section(bench: Bench, sizes: Sizes, config: str) -> float:
    width, height = sizes.video
    timing = time_steps(bench, video_step(bench, sizes.video))
    emit(
        bench,
        "video_step_s",
        timing.median_s,
        "s/step",
        width=width,
        height=height,
        batch=1,
        frames=LATENT_WINDOW_SIZE,
        statistic="median",
        mean_s=timing.mean_s,
        min_s=timing.min_s,
        timed_steps=bench.steps,
        peak_memory_bytes=timing.peak_bytes,
    )
    decode_s, tiling = time_vae_decode(bench, sizes, config)
    if bench.device.type == "cuda":
        torch.cuda.empty_cache()  # the VAE is gone; return its activations' cache
    measured_pixels = pixel_frame_count(sizes.decode_latent_frames)
    decode_estimate = decode_s * pixel_frame_count(DECODE_LATENT_FRAMES) / measured_pixels
    section_s = STEPS_PER_SECTION * timing.median_s + decode_estimate
    emit(
        bench,
        "video_section_s",
        section_s,
        "s",
        width=width,
        height=height,
        frames=LATENT_WINDOW_SIZE,
        steps_per_section=STEPS_PER_SECTION,
        step_s=timing.median_s,
        decode_s=decode_estimate,
        decode_latent_frames=DECODE_LATENT_FRAMES,
        decode_measured_latent_frames=sizes.decode_latent_frames,
        decode_measured_s=decode_s,
        decode_estimated=sizes.decode_latent_frames != DECODE_LATENT_FRAMES,
        vae_tiling=tiling,
    )
    return section_s


def time_vae_decode(bench: Bench, sizes: Sizes, config: str) -> tuple[float, bool]:
    """Seconds to decode `decode_latent_frames` random latents, and whether tiling was on."""
    device = bench.device
    dtype = runtime_dtype(VAE, device)
    with building_on(device, dtype):
        vae = tiny_vae() if config == "tiny" else AutoencoderKLHunyuanVideo()
    vae = vae.eval().requires_grad_(False)
    tiling = device.type == "cuda" and torch.cuda.get_device_properties(device).total_memory < 60e9
    if tiling:
        vae.enable_tiling()
    latents = torch.randn(
        1, LATENT_CHANNELS, sizes.decode_latent_frames, *latent_size(sizes.video), device=device
    )  # (1, 16, T, H/8, W/8)
    scaled = (latents / VAE_SCALING_FACTOR).to(dtype)

    def decode(z: torch.Tensor) -> None:
        with torch.no_grad():
            vae.decode(z)

    if device.type == "cuda":  # kernel selection and allocator warm-up on one frame
        decode(scaled[:, :, :1])
    width, height = sizes.video
    log(bench, f"decoding {sizes.decode_latent_frames} latent frames at {width}x{height}")
    return timed(device, lambda: decode(scaled)), tiling


def bench_memory_high(bench: Bench, sizes: Sizes, one_frame: StepTiming) -> int:
    width, height = sizes.image
    fields: dict[str, Any] = {"mode": "high", "width": width, "height": height, "batch": 1}
    if bench.device.type == "cuda" and one_frame.peak_bytes is not None:
        weights = sum(p.numel() * p.element_size() for p in bench.model.parameters())
        emit(
            bench,
            "peak_memory_bytes",
            one_frame.peak_bytes,
            "bytes",
            **fields,
            kind="cuda_max_memory_allocated",
            weights_bytes=weights,
            note="transformer resident, one one-frame step; encoders and VAE not loaded",
        )
        return one_frame.peak_bytes
    peak_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # Linux: KiB
    emit(
        bench,
        "peak_memory_bytes",
        peak_rss,
        "bytes",
        **fields,
        kind="host_peak_rss",
        note="CPU run: peak resident set of the whole process so far",
    )
    return peak_rss


def bench_memory_low(
    bench: Bench, sizes: Sizes, card_gb: float, teacache: bool = False
) -> int | None:
    """Peak with the transformer's blocks streamed as in low mode, on a simulated smaller card.

    Last, since the model stays split. The split is planned for a card of `card_gb` (that minus
    CARD_OVERHEAD_GB available; 0 means nothing available: every block streams) and the
    engine's default gpu_memory_preservation. With `teacache`, a TeaCache forward runs too: its
    probe calls the first block's norm1 outside the block, which streams on small cards. On the
    CPU the streaming runs too (to exercise it), but there is no device memory.
    """
    width, height = sizes.image
    model, device = bench.model, bench.device
    preservation_gb = DEFAULT_GPU_MEMORY_PRESERVATION_GB
    available_gb = max(card_gb - CARD_OVERHEAD_GB, 0.0)
    split = bench.split
    if split is None:
        model.to(CPU)  # low mode keeps the weights on the CPU between phases
        release_cached_memory(device)
        split = bench.split = TransformerSplit(model, device)
    else:
        split.move_resident_part(CPU)
        release_cached_memory(device)
    split.plan(gb_to_bytes(available_gb), gb_to_bytes(preservation_gb))
    split.move_resident_part(device)
    timing = time_steps(bench, one_frame_step(bench, sizes.image, batch=1))
    teacache_s = None
    if teacache:
        cache = TeaCache(steps=2)
        teacache_s = timed(device, one_frame_step(bench, sizes.image, 1, teacache=cache))
        teacache_s += timed(device, one_frame_step(bench, sizes.image, 1, teacache=cache))
    fields: dict[str, Any] = {
        "mode": "low",
        "width": width,
        "height": height,
        "batch": 1,
        "card_gb": card_gb,
        "available_gb": available_gb,
        "gpu_memory_preservation_gb": preservation_gb,
        "resident_blocks": split.resident_count,
        "streamed_blocks": len(split.blocks) - split.resident_count,
        "first_block_streamed": split.resident_count == 0,
        "step_s": timing.median_s,
        "teacache_two_steps_s": teacache_s,
    }
    if timing.peak_bytes is None:
        note = "CPU run: blocks streamed to exercise low mode; no device memory to measure"
        emit(bench, "peak_memory_bytes", None, "bytes", **fields, note=note)
        return None
    peak = max(timing.peak_bytes, torch.cuda.max_memory_allocated(device))
    note = f"transformer split for a {card_gb:g} GB card, one one-frame step"
    emit(
        bench,
        "peak_memory_bytes",
        peak,
        "bytes",
        **fields,
        kind="cuda_max_memory_allocated",
        note=note,
    )
    return peak


def bench_fp8(bench: Bench, sizes: Sizes, bf16: StepTiming, card_gb: float) -> float:
    """The fp8 transformer against the bf16 one: step time and memory, resident and in low mode.

    Runs last: the model is quantised in place (on the device, block by block, from the CPU where
    low mode left it). The resident figure compares with figure 1's step (same size, batch 1);
    then low mode on the smallest simulated card.
    """
    model, device = bench.model, bench.device
    bf16_weights = tensor_bytes(model)
    split = bench.split
    if split is not None:  # undo the low-mode split: everything back on the CPU, not streamed
        split.move_resident_part(CPU)
        stop_streaming(split.blocks[split.resident_count :])
        bench.split = None
    release_cached_memory(device)
    layers = quantise_transformer(model, work_device=device)
    bench.context["transformer_dtype"] = "fp8"
    weights = tensor_bytes(model)
    quantised = tensor_bytes(*fp8_layers(model).values())
    bf16_quantised = bf16_weights - weights + quantised  # what those layers held before
    model.to(device)
    timing = time_steps(bench, one_frame_step(bench, sizes.image, batch=1))
    width, height = sizes.image
    emit(
        bench,
        "fp8_step_s",
        timing.median_s,
        "s/step",
        mode="high",
        width=width,
        height=height,
        batch=1,
        quantised_layers=layers,
        bf16_step_s=bf16.median_s,
        step_ratio=timing.median_s / bf16.median_s,
        weights_bytes=weights,
        bf16_weights_bytes=bf16_weights,
        weights_ratio=weights / bf16_weights,
        quantised_layers_bytes=quantised,
        quantised_layers_ratio=quantised / bf16_quantised,
        peak_bytes=timing.peak_bytes,
        bf16_peak_bytes=bf16.peak_bytes,
        note="one-frame step, every block resident; weights dequantised per layer",
    )
    bench_memory_low(bench, sizes, card_gb)
    return timing.median_s


def bench_lora_switch(bench: Bench) -> float:
    """Seconds of apply([A]), apply([B]) and apply([]); the value is the A -> B switch."""
    layers = lora_target_layers(bench.model)
    manager = LoraManager(bench.model)
    with tempfile.TemporaryDirectory(prefix="engine-bench-lora-") as directory:
        first, second = (
            write_kohya_lora(Path(directory) / f"{name}.safetensors", layers, seed, bench.dtype)
            for seed, name in enumerate(("a", "b"), start=1)
        )
        apply_s = timed(bench.device, lambda: manager.apply([LoraSpec(first, 0.8)]))
        switch_s = timed(bench.device, lambda: manager.apply([LoraSpec(second, 0.8)]))
        clear_s = timed(bench.device, lambda: manager.apply([]))
    emit(
        bench,
        "lora_switch_s",
        switch_s,
        "s",
        apply_first_s=apply_s,
        switch_s=switch_s,
        clear_s=clear_s,
        layers=len(layers),
        rank=LORA_RANK,
        format="kohya",
        note="apply([A]) -> apply([B]) -> apply([]); files read from a temp dir",
    )
    return switch_s


def lora_target_layers(model: torch.nn.Module) -> dict[str, torch.nn.Linear]:
    """Every attention q / k / v / out Linear of the dual and single blocks."""
    blocks = ("transformer_blocks.", "single_transformer_blocks.")
    return {
        name: module
        for name, module in model.named_modules()
        if isinstance(module, torch.nn.Linear)
        and name.startswith(blocks)
        and name.split(".", 2)[2] in LORA_TARGETS
    }


def write_kohya_lora(
    path: Path, layers: dict[str, torch.nn.Linear], seed: int, dtype: torch.dtype
) -> Path:
    generator = torch.Generator().manual_seed(seed)
    tensors: dict[str, torch.Tensor] = {}
    for name, layer in layers.items():
        stem = "lora_unet_" + name.replace(".", "_")
        down = torch.randn(LORA_RANK, layer.in_features, generator=generator) * 0.01
        up = torch.randn(layer.out_features, LORA_RANK, generator=generator) * 0.01
        tensors[f"{stem}.lora_down.weight"] = down.to(dtype)  # (rank, in_features)
        tensors[f"{stem}.lora_up.weight"] = up.to(dtype)  # (out_features, rank)
        tensors[f"{stem}.alpha"] = torch.tensor(float(LORA_RANK))
    save_file(tensors, str(path))
    return path


# --- output -----------------------------------------------------------------------------------


def emit(bench: Bench, metric: str, value: float | str | None, unit: str, **fields: Any) -> None:
    """One JSON line on stdout: metric, value, unit, the run's context, then the fields."""
    line = {"metric": metric, "value": _rounded(value), "unit": unit, **bench.context}
    line.update({key: _rounded(field) for key, field in fields.items()})
    # Other work on the host slows the figures: say how busy it was.
    line["load_avg_1m"] = round(os.getloadavg()[0], 2)
    print(json.dumps(line), flush=True)
    log(bench, f"{metric} = {line['value']} {unit}")


def _rounded(value: Any) -> Any:
    if isinstance(value, float) and math.isfinite(value):
        return float(f"{value:.6g}")
    return value


def log(bench: Bench, message: str) -> None:
    print(f"[engine-bench {time.perf_counter() - bench.started:7.1f}s] {message}", file=sys.stderr)


if __name__ == "__main__":
    sys.exit(main())
