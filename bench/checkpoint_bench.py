"""The cost of a video's section checkpoint (docs/framepack.md §7.9): ms and bytes per section.

A checkpoint's size depends only on the shapes, which the tiny model set shares with the
full one (16 latent channels, 8x spatial and 4x temporal VAE compression): the latent
history, the pixels so far (final frames as uint8, the 4*lws - 3 frames the next section
blends with as float32) and the generator state. So the figures at the 640 bucket
(608x640) hold for the full-size model too; the time is the write (torch.save, fsync,
rename) on this machine's disk. One JSON line per figure, as bench/engine_bench.py writes.

Usage: engine/.venv/bin/python bench/checkpoint_bench.py [--seconds 5 60] [--out DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

import torch

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "engine"))

from framepack_engine.section_checkpoint import SectionCheckpoint, SectionState
from framepack_engine.video_layout import overlap_pixel_frames, section_count

WIDTH, HEIGHT = 640, 608  # the 640 bucket's 608x640 (h x w)
LWS = 9


def _state_after(sections_done: int) -> SectionState:
    """Base model's state after `sections_done` sections at the 640 bucket (random values).

    The first section decodes 4*lws - 3 frames and every later one adds 4*lws (§7.4).
    """
    history = torch.randn(1, 16, 1 + 2 + 16 + LWS * sections_done, HEIGHT // 8, WIDTH // 8)
    frames = 4 * LWS * sections_done - 3
    pixels = torch.rand(1, 3, frames, HEIGHT, WIDTH) * 2 - 1
    generator = torch.Generator("cpu").manual_seed(0)
    return SectionState(sections_done, history, pixels, generator.get_state(), 0)


def measure(seconds: float, folder: Path) -> list[dict[str, object]]:
    count = section_count(seconds, LWS)
    checkpoint = SectionCheckpoint(folder, {"kind": "video", "seconds": seconds})
    times_ms: list[float] = []
    sizes: list[int] = []
    for done in range(1, count):  # the last section writes none
        state = _state_after(done)
        started = time.perf_counter()
        sizes.append(checkpoint.save(state, overlap_pixel_frames(LWS), prepend=True))
        times_ms.append((time.perf_counter() - started) * 1000)
    common = {
        "width": WIDTH,
        "height": HEIGHT,
        "video_seconds": seconds,
        "sections": count,
        "latent_window_size": LWS,
        "load_avg_1m": round(os.getloadavg()[0], 2),
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
    }
    return [
        {
            "metric": "checkpoint_write_ms",
            "value": round(statistics.median(times_ms), 2),
            "unit": "ms",
            "statistic": "median over sections",
            "max_ms": round(max(times_ms), 2),
            **common,
        },
        {
            "metric": "checkpoint_bytes_mean",
            "value": round(statistics.mean(sizes)),
            "unit": "bytes",
            **common,
        },
        {"metric": "checkpoint_bytes_last", "value": sizes[-1], "unit": "bytes", **common},
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, nargs="+", default=[5.0, 10.0])
    parser.add_argument("--out", type=Path, default=None, help="folder to write into")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(dir=args.out) as folder:
        for seconds in args.seconds:
            for figure in measure(seconds, Path(folder)):
                print(json.dumps(figure), flush=True)


if __name__ == "__main__":
    main()
