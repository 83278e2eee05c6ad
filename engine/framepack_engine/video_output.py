"""Pixel-side video assembly: cross-fading section decodes, uint8 frames and atomic MP4 files.

The blend reproduces FramePack's soft_append_bcthw (lllyasviel/FramePack diffusers_helper/
utils.py); the MP4 is H.264 (libx264, yuv420p) written with PyAV's bundled FFmpeg.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import av
import numpy as np
import numpy.typing as npt
import torch
from safetensors.torch import save_file

from framepack_engine.outputs import atomic_output
from framepack_engine.video_layout import VIDEO_FPS

FrameArray = npt.NDArray[np.uint8]  # (T, H, W, 3) RGB


def soft_append_frames(
    history: torch.Tensor | None, current: torch.Tensor, overlap: int, prepend: bool
) -> torch.Tensor:
    """Join a section's decoded frames to the video so far, cross-fading `overlap` frames.

    history: (B, 3, T1, H, W) or None before the first section; current: (B, 3, T2, H, W).
    Returns (B, 3, T1 + T2 - overlap, H, W). The base model generates backwards, so it
    prepends (current, then history); F1 appends (history, then current). Over the overlap
    the earlier part fades out linearly, weights linspace(1, 0, overlap), as the later part
    fades in.
    """
    if history is None:
        return current
    earlier, later = (current, history) if prepend else (history, current)
    return _cross_fade(earlier, later.to(earlier), overlap)


def _cross_fade(earlier: torch.Tensor, later: torch.Tensor, overlap: int) -> torch.Tensor:
    """(B, C, T1, H, W), (B, C, T2, H, W) -> (B, C, T1 + T2 - overlap, H, W)."""
    if not earlier.is_floating_point():
        raise ValueError(f"cross-fading needs float pixels, got {earlier.dtype}")
    if not 0 <= overlap <= min(earlier.shape[2], later.shape[2]):
        raise ValueError(
            f"overlap {overlap} must be in [0, {min(earlier.shape[2], later.shape[2])}] "
            f"for parts of {earlier.shape[2]} and {later.shape[2]} frames"
        )
    if overlap == 0:
        return torch.cat([earlier, later], dim=2)
    weights = torch.linspace(1, 0, overlap, dtype=earlier.dtype, device=earlier.device)
    weights = weights.view(1, 1, overlap, 1, 1)  # broadcast over (B, C, overlap, H, W)
    blended = weights * earlier[:, :, -overlap:] + (1 - weights) * later[:, :, :overlap]
    return torch.cat([earlier[:, :, :-overlap], blended, later[:, :, overlap:]], dim=2)


def pixels_to_uint8_frames(pixels: torch.Tensor) -> FrameArray:
    """(1, 3, T, H, W) in [-1, 1] -> (T, H, W, 3) uint8, clamped and rounded.

    The reference truncates (uint8 cast); rounding maps each value to its nearest level.
    """
    if pixels.ndim != 5 or pixels.shape[0] != 1 or pixels.shape[1] != 3:
        raise ValueError(f"pixels must be (1, 3, T, H, W), got {tuple(pixels.shape)}")
    levels = ((pixels[0].float().clamp(-1, 1) + 1) * 127.5).round()  # (3, T, H, W)
    frames: FrameArray = levels.to(torch.uint8).permute(1, 2, 3, 0).cpu().numpy()
    return np.ascontiguousarray(frames)


def write_mp4(
    frames: torch.Tensor | FrameArray,
    path: Path,
    fps: int = VIDEO_FPS,
    crf: int = 16,
    comment: str | None = None,
) -> None:
    """Encode (T, H, W, 3) uint8 RGB frames as H.264 MP4 at `path`, atomically.

    H and W must be even (yuv420p halves the chroma planes). `comment`: the container's
    comment tag (the generation parameters, as the PNGs' `parameters` chunk).
    """
    array = _frame_array(frames)
    with atomic_output(path) as temp:
        _encode_h264(array, temp, fps, crf, comment)


def _frame_array(frames: torch.Tensor | FrameArray) -> FrameArray:
    array = frames.cpu().numpy() if isinstance(frames, torch.Tensor) else frames
    if array.dtype != np.uint8 or array.ndim != 4 or array.shape[3] != 3 or len(array) == 0:
        raise ValueError(
            f"frames must be uint8 (T>=1, H, W, 3), got {array.dtype} {tuple(array.shape)}"
        )
    _, height, width, _ = array.shape
    if height % 2 or width % 2:
        raise ValueError(f"yuv420p needs an even frame size, got {width}x{height}")
    return np.ascontiguousarray(array)


def _encode_h264(
    frames: FrameArray, path: Path, fps: int, crf: int, comment: str | None = None
) -> None:
    _, height, width, _ = frames.shape
    # faststart puts the index (moov) first, so browsers can start playing while loading.
    with av.open(str(path), mode="w", format="mp4", options={"movflags": "+faststart"}) as out:
        if comment is not None:
            out.metadata["comment"] = comment
        stream = out.add_stream("libx264", rate=fps, options={"crf": str(crf)})
        stream.width = width
        stream.height = height
        stream.pix_fmt = "yuv420p"
        for frame in frames:
            out.mux(stream.encode(av.VideoFrame.from_ndarray(frame, format="rgb24")))
        out.mux(stream.encode())  # flush the frames the encoder still holds back


def write_latent_history(path: Path, history: torch.Tensor, metadata: Mapping[str, str]) -> None:
    """A finished video's latent history (B, 16, T, h, w), float32 as sampled, as the tensor
    `history` of a safetensors file, atomically: what continuing the video starts from
    (docs/framepack.md §15)."""
    tensor = history.detach().to("cpu", torch.float32).contiguous()
    with atomic_output(path) as temp:
        save_file({"history": tensor}, str(temp), metadata=dict(metadata))
