"""Image conditioning: buckets, fitting, VAE latents and SigLIP tokens (docs/framepack.md §3)."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt
import torch
from PIL import Image

if TYPE_CHECKING:
    from framepack_engine.weights.loader import ModelSet

Bucket = tuple[int, int]  # (height, width)
ImageArray = npt.NDArray[np.uint8]  # (H, W, 3) RGB

BASE_RESOLUTION = 640
# FramePack's buckets for resolution 640, ordered from widest to tallest.
BUCKETS_640: tuple[Bucket, ...] = (
    (416, 960),
    (448, 864),
    (480, 832),
    (512, 768),
    (544, 704),
    (576, 672),
    (608, 640),
    (640, 608),
    (672, 576),
    (704, 544),
    (768, 512),
    (832, 480),
    (864, 448),
    (960, 416),
)
# HunyuanVideo's VAE latents: 16 channels, each side 8x smaller than the pixels', and 4x fewer
# frames except for the first (T latents decode to 4T - 3 frames); scaled by VAE_SCALING_FACTOR.
LATENT_CHANNELS = 16
VAE_SPATIAL_STRIDE = 8
VAE_TIME_STRIDE = 4
VAE_SCALING_FACTOR = 0.476986
# Bucket sides stay multiples of 16: the VAE divides by 8 and the transformer's patch by 2.
BUCKET_MULTIPLE = 16


def buckets_for_resolution(resolution: int = BASE_RESOLUTION) -> tuple[Bucket, ...]:
    """The 640 list scaled by resolution/640, each side rounded to the nearest multiple of 16.

    FramePack itself only ships 640; scaling the same aspect list is this project's choice
    (docs/framepack.md §3). Small resolutions may map two entries to one size.
    """
    if resolution == BASE_RESOLUTION:
        return BUCKETS_640
    scale = resolution / BASE_RESOLUTION
    return tuple((_snap(height * scale), _snap(width * scale)) for height, width in BUCKETS_640)


def _snap(side: float) -> int:
    return max(BUCKET_MULTIPLE, round(side / BUCKET_MULTIPLE) * BUCKET_MULTIPLE)


def find_nearest_bucket(height: int, width: int, resolution: int = BASE_RESOLUTION) -> Bucket:
    """The bucket whose aspect is closest: minimises |h*bw - w*bh|, ties go to the later entry."""
    best = BUCKETS_640[0]
    best_metric = math.inf
    for bucket_height, bucket_width in buckets_for_resolution(resolution):
        metric = abs(height * bucket_width - width * bucket_height)
        if metric <= best_metric:
            best, best_metric = (bucket_height, bucket_width), metric
    return best


def fit_image(image: Image.Image | ImageArray, width: int, height: int) -> ImageArray:
    """Scale to cover (width, height) with a high-quality LANCZOS resize, then center crop."""
    pil_image = image.convert("RGB") if isinstance(image, Image.Image) else Image.fromarray(image)
    source_width, source_height = pil_image.size
    scale = max(width / source_width, height / source_height)
    resized_width = round(source_width * scale)
    resized_height = round(source_height * scale)
    resized = pil_image.resize((resized_width, resized_height), Image.Resampling.LANCZOS)
    # round() of the half offset matches the reference's float crop box, which PIL rounds.
    left = round((resized_width - width) / 2)
    top = round((resized_height - height) / 2)
    cropped = resized.crop((left, top, left + width, top + height))
    return np.array(cropped, dtype=np.uint8)  # (height, width, 3)


def image_to_tensor(image: ImageArray) -> torch.Tensor:
    """(H, W, 3) uint8 -> (1, 3, 1, H, W) float32 in [-1, 1]."""
    pixels = torch.tensor(image, dtype=torch.float32) / 127.5 - 1.0  # (H, W, 3)
    return pixels.permute(2, 0, 1)[None, :, None]  # (1, 3, 1, H, W)


def vae_scaling_factor(models: ModelSet) -> float:
    """The VAE's latent scale, checked against HunyuanVideo's value (decode divides by it)."""
    factor = float(models.vae().config.scaling_factor)
    if not math.isclose(factor, VAE_SCALING_FACTOR):
        raise ValueError(f"VAE scaling_factor is {factor}, expected {VAE_SCALING_FACTOR}")
    return factor


@torch.no_grad()
def vae_encode(models: ModelSet, pixels: torch.Tensor) -> torch.Tensor:
    """(B, 3, T, H, W) in [-1, 1] -> scaled latents (B, 16, (T-1)/4+1, H/8, W/8).

    Uses the posterior mean, so the same image always gives the same latent.
    """
    vae = models.vae()
    pixels = pixels.to(device=models.device, dtype=vae.dtype)
    mean: torch.Tensor = vae.encode(pixels).latent_dist.mean  # (B, 16, T', H/8, W/8)
    return mean * vae_scaling_factor(models)


@torch.no_grad()
def siglip_encode(models: ModelSet, image: ImageArray) -> torch.Tensor:
    """(H, W, 3) uint8 -> SigLIP tokens (1, 729, D); D = 1152 for the real encoder."""
    encoder = models.image_encoder()
    features: Any = models.feature_extractor()(images=image, return_tensors="pt")
    pixel_values = features.pixel_values.to(device=models.device, dtype=encoder.dtype)
    hidden: torch.Tensor = encoder(pixel_values=pixel_values).last_hidden_state  # (1, 729, D)
    return hidden


@torch.no_grad()
def vae_decode(models: ModelSet, latents: torch.Tensor) -> torch.Tensor:
    """Scaled latents (B, 16, T, H/8, W/8) -> pixels (B, 3, 4T-3, H, W) float32 in [-1, 1]."""
    vae = models.vae()
    scaled = latents.to(device=models.device, dtype=vae.dtype) / vae_scaling_factor(models)
    pixels: torch.Tensor = vae.decode(scaled).sample
    return pixels.float().clamp(-1, 1)


def tensor_to_images(pixels: torch.Tensor) -> list[ImageArray]:
    """(B, 3, 1, H, W) in [-1, 1] -> B arrays (H, W, 3) uint8."""
    frames = ((pixels[:, :, 0] + 1) * 127.5).round().clamp(0, 255).to(torch.uint8)  # (B, 3, H, W)
    return [frame.permute(1, 2, 0).cpu().numpy() for frame in frames]
