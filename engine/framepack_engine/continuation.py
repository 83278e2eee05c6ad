"""Continuing an earlier video with F1 (docs/framepack.md §7.10).

The earlier video's latents become the history new sections are appended to, and its
frames open the joined video. Our own videos bring their latent history
(latents.safetensors, §15), so nothing is re-encoded; a foreign MP4 has its last up to
108 frames (27 latents) fitted to the bucket and VAE-encoded in chunks.

Shapes: latents (1, 16, T, h, w) with h = H/8, w = W/8; pixels (1, 3, F, H, W) in [-1, 1].
"""

from __future__ import annotations

from dataclasses import dataclass

import av
import torch
from safetensors import safe_open

from framepack_engine.conditioning.image import (
    VAE_SPATIAL_STRIDE,
    VAE_TIME_STRIDE,
    ImageArray,
    find_nearest_bucket,
    fit_image,
    image_to_tensor,
    siglip_encode,
    tensor_to_images,
    vae_decode,
    vae_encode,
)
from framepack_engine.plans.base import PlanError
from framepack_engine.protocol_types import Continuation, VideoPlan
from framepack_engine.runtime import EngineRuntime
from framepack_engine.video_layout import CONTEXT_FRAMES, initial_f1_history

# A foreign video gives at most this many latents of context: 108 frames (FramePack-Studio).
MAX_ENCODED_LATENTS = 27
# Frames VAE-encoded at once: 4 latents a chunk keeps the encoder's memory small.
ENCODE_CHUNK_FRAMES = 16

_FIELD = "plan.continuation"


@dataclass
class Continued:
    """What a continued video starts from."""

    source: str  # the earlier job's id, or "upload"
    history: torch.Tensor  # (1, 16, 19 + K, h, w) float32: zero context, then K latents
    # (1, 3, F, H, W) the earlier video's frames, on the CPU: a long video would crowd the
    # GPU, and each new decode is moved to them for the cross-fade.
    pixels: torch.Tensor
    start_latent: torch.Tensor  # (1, 16, 1, h, w) the clean start slot of every section
    image_embeds: torch.Tensor  # (1, 729, D) SigLIP tokens
    width: int
    height: int

    @property
    def frames(self) -> int:
        return int(self.pixels.shape[2])


def read_latent_history(path: str) -> tuple[torch.Tensor, dict[str, str]]:
    """A latents.safetensors as written by write_latent_history: (1, 16, T, h, w), metadata."""
    try:
        with safe_open(path, framework="pt") as handle:
            metadata = handle.metadata() or {}
            history = handle.get_tensor("history").float()
    except FileNotFoundError:
        raise PlanError(f"{_FIELD}.latents_path", f"no file at {path}") from None
    except Exception as error:  # safetensors raises its own error types for a bad file
        raise PlanError(f"{_FIELD}.latents_path", f"not a latent history ({error})") from None
    if history.ndim != 5 or history.shape[2] <= CONTEXT_FRAMES:
        raise PlanError(f"{_FIELD}.latents_path", f"holds no video latents: {tuple(history.shape)}")
    return history, metadata


def video_latents(history: torch.Tensor, sampling_mode: str) -> torch.Tensor:
    """The video's own latents in time order, without the 19 zero context frames.

    F1 keeps its zero context at the head, the base model at the tail (§7.2, §7.3), so a
    base video continues with F1 as well.
    """
    if sampling_mode == "reverse":
        return history[:, :, :-CONTEXT_FRAMES]
    return history[:, :, CONTEXT_FRAMES:]


def read_video_frames(path: str, field_name: str) -> list[ImageArray]:
    """Every frame of a video file as (H, W, 3) uint8 RGB; an unreadable file names the field."""
    try:
        with av.open(path) as container:
            if not container.streams.video:
                raise PlanError(field_name, f"{path} has no video stream")
            stream = container.streams.video[0]
            frames = [frame.to_ndarray(format="rgb24") for frame in container.decode(stream)]
    except FileNotFoundError:
        raise PlanError(field_name, f"no file at {path}") from None
    except (av.error.FFmpegError, ValueError) as error:
        raise PlanError(field_name, f"{path} is not a readable video ({error})") from None
    if not frames:
        raise PlanError(field_name, f"{path} has no frames")
    return frames


def frames_to_pixels(frames: list[ImageArray]) -> torch.Tensor:
    """F frames (H, W, 3) uint8 -> (1, 3, F, H, W) float32 in [-1, 1], filled in place."""
    height, width = frames[0].shape[:2]
    pixels = torch.empty((1, 3, len(frames), height, width), dtype=torch.float32)
    for index, frame in enumerate(frames):
        pixels[0, :, index] = image_to_tensor(frame)[0, :, 0]  # (3, H, W)
    return pixels


def encode_frames(runtime: EngineRuntime, frames: list[ImageArray]) -> torch.Tensor:
    """4K frames -> K latents (1, 16, K, h, w), ENCODE_CHUNK_FRAMES at a time.

    The causal VAE maps a chunk of 4k frames to k latents; chunks are encoded on their own
    (each starts a new causal window), as the reference does.
    """
    chunks = []
    for first in range(0, len(frames), ENCODE_CHUNK_FRAMES):
        pixels = frames_to_pixels(frames[first : first + ENCODE_CHUNK_FRAMES])
        chunks.append(vae_encode(runtime.models, pixels).float())
    return torch.cat(chunks, dim=2)


def continue_stored(
    continuation: Continuation, latents_path: str, runtime: EngineRuntime
) -> Continued:
    """Our own earlier video: its stored history and its MP4's frames.

    The anchor (start slot) is the earlier video's first latent, its start image, as if the
    earlier generation had simply gone on; SigLIP sees that latent decoded.
    """
    stored, metadata = read_latent_history(latents_path)
    latents = video_latents(stored, metadata.get("sampling_mode", "forward"))
    history = initial_f1_history(latents)  # (1, 16, 19 + K, h, w)
    height, width = (side * VAE_SPATIAL_STRIDE for side in latents.shape[-2:])
    frames = read_video_frames(continuation["video_path"], f"{_FIELD}.video_path")
    if frames[0].shape[:2] != (height, width):
        raise PlanError(
            f"{_FIELD}.video_path",
            f"is {frames[0].shape[1]}x{frames[0].shape[0]}, its latents {width}x{height}",
        )
    start_latent = latents[:, :, :1].to(runtime.models.device)
    anchor = tensor_to_images(vae_decode(runtime.models, start_latent))[0]
    return Continued(
        source=continuation["source"],
        history=history.to(runtime.models.device),
        pixels=frames_to_pixels(frames),
        start_latent=start_latent,
        image_embeds=siglip_encode(runtime.models, anchor),
        width=width,
        height=height,
    )


def continue_upload(
    continuation: Continuation, runtime: EngineRuntime, size: tuple[int, int] | None
) -> Continued:
    """A foreign MP4: every frame fitted to the bucket (or the plan's size), the last up to
    108 (a multiple of 4) VAE-encoded as the history; the anchor is the last of those latents
    and SigLIP sees the first of those frames (FramePack-Studio's Video F1)."""
    field_name = f"{_FIELD}.video_path"
    frames = read_video_frames(continuation["video_path"], field_name)
    if len(frames) < VAE_TIME_STRIDE:
        raise PlanError(field_name, f"has {len(frames)} frames; at least 4 are needed")
    if size is None:
        height, width = find_nearest_bucket(*frames[0].shape[:2])
    else:
        width, height = size
    fitted = [fit_image(frame, width, height) for frame in frames]
    encoded = min(len(fitted) // VAE_TIME_STRIDE, MAX_ENCODED_LATENTS) * VAE_TIME_STRIDE
    tail = fitted[len(fitted) - encoded :]
    latents = encode_frames(runtime, tail)  # (1, 16, encoded / 4, h, w)
    return Continued(
        source=continuation["source"],
        history=initial_f1_history(latents),
        pixels=frames_to_pixels(fitted),
        start_latent=latents[:, :, -1:],
        image_embeds=siglip_encode(runtime.models, tail[0]),
        width=width,
        height=height,
    )


def continued_video(plan: VideoPlan, runtime: EngineRuntime) -> Continued | None:
    """The plan's continuation, read and encoded; None for a video from a start image."""
    continuation = plan.get("continuation")
    if continuation is None:
        return None
    if plan["transformer"] != "f1":
        raise PlanError(_FIELD, "continuing a video needs F1 (transformer f1)")
    width, height = plan["width"], plan["height"]
    size = None if width is None or height is None else (width, height)
    latents_path = continuation["latents_path"]
    if latents_path is None:
        return continue_upload(continuation, runtime, size)
    continued = continue_stored(continuation, latents_path, runtime)
    if size is not None and size != (continued.width, continued.height):
        raise PlanError(
            "plan.width",
            f"{size[0]}x{size[1]} differs from the continued video's "
            f"{continued.width}x{continued.height}",
        )
    return continued
