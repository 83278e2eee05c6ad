"""Pieces the one-frame plans (image, batch, transfer) share."""

from __future__ import annotations

import gc
from collections.abc import Mapping
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F
from numpy.typing import NDArray

from framepack_engine.conditioning.image import (
    VAE_SPATIAL_STRIDE,
    find_nearest_bucket,
    fit_image,
    image_to_tensor,
    siglip_encode,
    tensor_to_images,
    vae_decode,
    vae_encode,
)
from framepack_engine.outputs import format_parameters, write_png
from framepack_engine.plans.base import JobContext, PlanError
from framepack_engine.plans.inputs import read_mask, read_rgb_image
from framepack_engine.previews import preview_data_uri
from framepack_engine.protocol_types import OutputFile, SamplingSettings
from framepack_engine.runtime import EngineRuntime
from framepack_engine.sampling.unipc import StepCallback, StepInfo
from framepack_engine.transformer_forward import Conditioning
from framepack_engine.weights.layout import TRANSFORMER_BASE, TRANSFORMER_F1

# Text-only generation conditions on a flat mid-grey picture: it carries no content,
# and is what the image-to-video model sees as "nothing in particular".
NEUTRAL_GREY = 128


def output_size(
    plan: SamplingSettings, reference_path: str | None, field_name: str
) -> tuple[int, int]:
    """(width, height): the plan's, or when null the 640 bucket of the reference image."""
    if plan["width"] is not None and plan["height"] is not None:
        return plan["width"], plan["height"]
    if reference_path is None:
        raise PlanError("plan.width", "width and height are required without an input image")
    image_height, image_width = read_rgb_image(reference_path, field_name).shape[:2]
    height, width = find_nearest_bucket(image_height, image_width)
    return width, height


def encode_input_image(
    runtime: EngineRuntime, path: str | None, field_name: str, width: int, height: int
) -> tuple[torch.Tensor, torch.Tensor]:
    """The fitted input's VAE latent (1, 16, 1, H/8, W/8) and SigLIP tokens (1, 729, D)."""
    if path is None:
        pixels = np.full((height, width, 3), NEUTRAL_GREY, dtype=np.uint8)
    else:
        pixels = fit_image(read_rgb_image(path, field_name), width, height)
    return vae_encode(runtime.models, image_to_tensor(pixels)), siglip_encode(
        runtime.models, pixels
    )


def encode_masked_latent(
    runtime: EngineRuntime,
    image_path: str,
    mask_path: str | None,
    field_name: str,
    width: int,
    height: int,
) -> torch.Tensor:
    """An image's fitted VAE latent (1, 16, 1, H/8, W/8) times its mask's weights (the mask
    file, else the image's alpha channel, else none): white keeps, black removes."""
    pixels = fit_image(read_rgb_image(image_path, field_name), width, height)
    latent = vae_encode(runtime.models, image_to_tensor(pixels))
    weights = mask_weights(mask_path, image_path, field_name, width, height)
    return latent * weights.to(latent)


def mask_to_latent_weights(
    mask: NDArray[np.uint8] | None, latent_height: int, latent_width: int
) -> torch.Tensor:
    """(H, W) uint8 mask -> (1, 1, 1, H/8, W/8) weights in [0, 1]; no mask = all ones."""
    if mask is None:
        return torch.ones((1, 1, 1, latent_height, latent_width))
    weights = torch.tensor(mask, dtype=torch.float32)[None, None] / 255.0  # (1, 1, H, W)
    resized = F.interpolate(weights, size=(latent_height, latent_width), mode="bilinear")
    return resized[:, :, None]  # (1, 1, 1, H/8, W/8)


def mask_weights(
    mask_path: str | None, image_path: str, field_name: str, width: int, height: int
) -> torch.Tensor:
    """An image's mask, fitted like the image (scale and center crop), as latent weights."""
    mask = read_mask(mask_path, image_path, field_name)
    if mask is not None:
        rgb = np.repeat(mask[:, :, None], 3, axis=2)  # (H, W, 3): fit_image takes RGB
        mask = fit_image(rgb, width, height)[:, :, 0]
    return mask_to_latent_weights(mask, height // VAE_SPATIAL_STRIDE, width // VAE_SPATIAL_STRIDE)


def negative_conditioning(
    runtime: EngineRuntime, plan: SamplingSettings, batch: int, image: torch.Tensor
) -> Conditioning | None:
    """The negative prompt's conditioning, only when real CFG is on (cfg > 1)."""
    if plan["cfg"] <= 1:
        return None
    embeds = runtime.prompts.get(plan["negative_prompt"])
    return Conditioning(
        text=embeds.llama.expand(batch, -1, -1),
        text_mask=embeds.llama_mask.expand(batch, -1),
        pooled=embeds.clip_pooled.expand(batch, -1),
        image=image,
    )


def step_reporter(
    ctx: JobContext, steps_before: int, total_steps: int, preview_every: int, label: str
) -> StepCallback:
    """Progress per sampler step (where a cancel takes effect), a preview every k steps."""

    def report(step: StepInfo) -> None:
        done = steps_before + step.index + 1
        preview = None
        if preview_every and (step.index + 1) % preview_every == 0:
            preview = preview_data_uri(step.denoised)
        info = f"{label}step {step.index + 1} of {step.total}"
        ctx.progress("sampling", done, total_steps, info, preview)

    return report


def decode_frames(runtime: EngineRuntime, latents: torch.Tensor) -> list[np.ndarray]:
    """(B, 16, 1, H/8, W/8) -> B pictures (H, W, 3) uint8."""
    return tensor_to_images(vae_decode(runtime.models, latents))


def save_image(
    image: np.ndarray,
    output_dir: str,
    name: str,
    prompt: str,
    negative_prompt: str,
    fields: Mapping[str, object],
) -> OutputFile:
    """Writes a PNG with its parameters and returns the protocol's OutputFile."""
    path = Path(output_dir) / name
    write_png(image, path, format_parameters(prompt, negative_prompt, fields))
    return {"path": str(path), "kind": "image", "width": image.shape[1], "height": image.shape[0]}


def common_fields(plan: SamplingSettings, width: int, height: int) -> dict[str, object]:
    """The parameters every output records, in a stable order."""
    model = (TRANSFORMER_BASE if plan["transformer"] == "base" else TRANSFORMER_F1).repo_id
    loras = ", ".join(f"{Path(lora['path']).name}:{lora['scale']}" for lora in plan["loras"])
    return {
        "Steps": plan["steps"],
        "CFG": plan["cfg"],
        "GS": plan["gs"],
        "RS": plan["rs"],
        "Shift": "dynamic" if plan["shift"] is None else plan["shift"],
        "Size": f"{width}x{height}",
        "Model": model,
        "LoRAs": loras or "none",
    }


def free_memory() -> None:
    gc.collect()
    if torch.cuda.is_available():
        torch.cuda.empty_cache()
