"""A video's section checkpoint: everything the next section needs, written after each one.

One file per job, `<checkpoint_dir>/sections.pt`, replaced atomically (tmp + rename) after
every finished section, so a crash leaves the previous checkpoint or the new one, never a
torn file. It holds the latent history, the pixels so far, the noise generator's state, the
number of finished sections and the block cache's skip count, stamped with the plan's hash and the
engine version: a checkpoint of another plan or engine version is never used, so a resumed
run is bit-identical to an uninterrupted one (docs/framepack.md §7.9).

Pixels are stored compactly: the frames no later cross-fade touches are final, so they are
kept as the uint8 levels the MP4 gets; only the `overlap` frames the next section blends
with stay float32. uint8 levels dequantised as u/127.5 - 1 round back to u exactly.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path, PurePath

import torch

from framepack_engine import __version__

CHECKPOINT_NAME = "sections.pt"
# Fields that differ between attempts of one job without changing what it generates.
_ATTEMPT_FIELDS = ("output_dir", "checkpoint_dir")


def _is_path_key(key: str) -> bool:
    """The plan's file fields (`image_path`, a LoRA's `path`...)."""
    return key == "path" or key.endswith("_path")


def _where_free(value: object) -> object:
    """The value with every file field reduced to its file name, at any depth."""
    if isinstance(value, Mapping):
        return {
            key: PurePath(item).name
            if _is_path_key(key) and isinstance(item, str)
            else _where_free(item)
            for key, item in value.items()
        }
    if isinstance(value, list):
        return [_where_free(item) for item in value]
    return value


def plan_hash(plan: Mapping[str, object]) -> str:
    """sha256 of the plan's canonical JSON, without its per-attempt directories.

    A file counts by its name, not its folder: each host of a cluster keeps a job's inputs
    in a work folder of its own, and a checkpoint made on one must resume on another.
    """
    kept = {key: value for key, value in plan.items() if key not in _ATTEMPT_FIELDS}
    text = json.dumps(_where_free(kept), sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


@dataclass
class SectionState:
    """A video's state after `sections_done` sections (generation order)."""

    sections_done: int
    history: torch.Tensor  # (1, 16, T, h, w) latent history
    pixels: torch.Tensor  # (1, 3, frames, H, W) float32, the cross-faded video so far
    generator_state: torch.Tensor  # torch.Generator.get_state()
    cache_skipped: int


def _quantise(pixels: torch.Tensor) -> torch.Tensor:
    """The uint8 levels of float pixels in [-1, 1], as pixels_to_uint8_frames makes them."""
    return ((pixels.float().clamp(-1, 1) + 1) * 127.5).round().to(torch.uint8)


def _dequantise(levels: torch.Tensor) -> torch.Tensor:
    return levels.to(torch.float32) / 127.5 - 1


def _split(pixels: torch.Tensor, overlap: int, prepend: bool) -> tuple[torch.Tensor, torch.Tensor]:
    """(settled, open): the open frames are those the next section cross-fades with."""
    overlap = min(overlap, pixels.shape[2])
    if prepend:  # the base model adds sections in front of the video
        return pixels[:, :, overlap:], pixels[:, :, :overlap]
    return pixels[:, :, : pixels.shape[2] - overlap], pixels[:, :, pixels.shape[2] - overlap :]


class SectionCheckpoint:
    """The checkpoint file of one job's plan."""

    def __init__(self, directory: Path, plan: Mapping[str, object]) -> None:
        self.path = directory / CHECKPOINT_NAME
        self._stamp = {"plan_hash": plan_hash(plan), "engine_version": __version__}

    def save(self, state: SectionState, overlap: int, prepend: bool) -> int:
        """Writes the state atomically; returns the file's size in bytes."""
        settled, open_part = _split(state.pixels.cpu(), overlap, prepend)
        payload = {
            **self._stamp,
            "sections_done": state.sections_done,
            "cache_skipped": state.cache_skipped,
            "prepend": prepend,
            "history": state.history.detach().cpu().contiguous(),
            "settled_levels": _quantise(settled).contiguous(),
            "open_pixels": open_part.float().contiguous(),
            "generator_state": state.generator_state,
        }
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_name(f".{self.path.name}.tmp")
        with tmp.open("wb") as handle:
            torch.save(payload, handle)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, self.path)
        return self.path.stat().st_size

    def load(self, device: torch.device) -> SectionState | None:
        """The saved state when it belongs to this plan and engine version, else None."""
        try:
            payload = torch.load(self.path, map_location="cpu", weights_only=True)
        except FileNotFoundError:
            return None
        except Exception:  # a damaged file is as good as none: the run starts over
            return None
        if not isinstance(payload, dict) or any(
            payload.get(key) != value for key, value in self._stamp.items()
        ):
            return None
        settled = _dequantise(payload["settled_levels"])
        open_part = payload["open_pixels"]
        parts = [open_part, settled] if payload["prepend"] else [settled, open_part]
        return SectionState(
            sections_done=int(payload["sections_done"]),
            history=payload["history"].to(device),
            pixels=torch.cat(parts, dim=2).to(device),
            generator_state=payload["generator_state"],
            cache_skipped=int(payload["cache_skipped"]),
        )

    def remove(self) -> None:
        self.path.unlink(missing_ok=True)
