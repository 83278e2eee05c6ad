"""Device choice and memory figures, in the shapes the protocol reports."""

from __future__ import annotations

import os

import psutil
import torch


def choose_device(requested: str) -> torch.device:
    """`auto` takes the first CUDA device when there is one, else the CPU."""
    if requested == "auto":
        return torch.device("cuda:0" if torch.cuda.is_available() else "cpu")
    device = torch.device(requested)
    if device.type == "cuda" and not torch.cuda.is_available():
        raise ValueError(f"device {requested!r} was requested but CUDA is not available")
    return device


def describe_device(device: torch.device) -> dict[str, object]:
    if device.type == "cuda":
        index = device.index if device.index is not None else torch.cuda.current_device()
        return {"kind": "cuda", "name": torch.cuda.get_device_name(index), "index": index}
    return {"kind": device.type, "name": device.type, "index": None}


def memory_snapshot(device: torch.device) -> dict[str, int | None]:
    host_rss = int(psutil.Process(os.getpid()).memory_info().rss)
    if device.type != "cuda":
        return {
            "device_total_bytes": None,
            "device_free_bytes": None,
            "device_allocated_bytes": None,
            "host_rss_bytes": host_rss,
        }
    free, total = torch.cuda.mem_get_info(device)
    return {
        "device_total_bytes": int(total),
        "device_free_bytes": int(free),
        "device_allocated_bytes": int(torch.cuda.memory_allocated(device)),
        "host_rss_bytes": host_rss,
    }
