"""Cheap latent-to-RGB previews (docs/framepack.md §14), sent as small JPEG data URIs."""

from __future__ import annotations

import base64
import io
from pathlib import Path

import numpy as np
import torch
from PIL import Image

from framepack_engine.outputs import atomic_output

# (16, 3): one RGB row per latent channel, and the bias, for HunyuanVideo's VAE latents.
_LATENT_RGB = torch.tensor(
    [
        [-0.0395, -0.0331, 0.0445],
        [0.0696, 0.0795, 0.0518],
        [0.0135, -0.0945, -0.0282],
        [0.0108, -0.0250, -0.0765],
        [-0.0209, 0.0032, 0.0224],
        [-0.0804, -0.0254, -0.0639],
        [-0.0991, 0.0271, -0.0669],
        [-0.0646, -0.0422, -0.0400],
        [-0.0696, -0.0595, -0.0894],
        [-0.0799, -0.0208, -0.0375],
        [0.1166, 0.1627, 0.0962],
        [0.1165, 0.0432, 0.0407],
        [-0.2315, -0.1920, -0.1355],
        [-0.0270, 0.0401, -0.0821],
        [-0.0616, -0.0997, -0.0727],
        [0.0249, -0.0469, -0.1703],
    ]
)
_LATENT_RGB_BIAS = torch.tensor([0.0259, -0.0192, -0.0761])
_MAX_PREVIEW_SIDE = 512


def latent_to_rgb(latent: torch.Tensor) -> np.ndarray:
    """(16, H/8, W/8) latent frame -> (H/8, W/8, 3) uint8 RGB."""
    rgb = torch.einsum("chw,cr->hwr", latent.float().cpu(), _LATENT_RGB) + _LATENT_RGB_BIAS
    return (rgb.clamp(0, 1) * 255).round().to(torch.uint8).numpy()


def preview_jpeg(latents: torch.Tensor, frame: int = 0) -> bytes:
    """First sample's given latent frame of (B, 16, T, H/8, W/8) as a small JPEG."""
    image = Image.fromarray(latent_to_rgb(latents[0, :, frame]))
    scale = min(1.0, _MAX_PREVIEW_SIDE / max(image.size))
    if scale < 1.0:
        image = image.resize((round(image.width * scale), round(image.height * scale)))
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=80)
    return buffer.getvalue()


def preview_data_uri(latents: torch.Tensor, frame: int = 0) -> str:
    return "data:image/jpeg;base64," + base64.b64encode(preview_jpeg(latents, frame)).decode()


def write_preview(latents: torch.Tensor, path: Path, frame: int = 0) -> None:
    """The preview as a JPEG file, written atomically (clients may be reading the last one)."""
    with atomic_output(path) as temp:
        temp.write_bytes(preview_jpeg(latents, frame))
