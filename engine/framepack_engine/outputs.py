"""Writing output images: atomically, with their generation parameters embedded."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Mapping
from pathlib import Path

import numpy as np
from numpy.typing import NDArray
from PIL import Image
from PIL.PngImagePlugin import PngInfo


def format_parameters(prompt: str, negative_prompt: str, fields: Mapping[str, object]) -> str:
    """The `parameters` text: prompt, negative prompt, then `Key: value` pairs on one line.

    The layout is the one image tools already read (A1111-style), so a file alone says
    how to reproduce it.
    """
    pairs = ", ".join(f"{key}: {value}" for key, value in fields.items())
    return f"{prompt}\nNegative prompt: {negative_prompt}\n{pairs}"


def write_png(image: NDArray[np.uint8], path: Path, parameters: str) -> None:
    """Writes (H, W, 3) uint8 RGB to `path` via a temp file and a rename, so readers
    never see a half-written file."""
    info = PngInfo()
    info.add_text("parameters", parameters)
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temp_name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as temp:
            Image.fromarray(image).save(temp, format="PNG", pnginfo=info)
            temp.flush()
            os.fsync(temp.fileno())
        os.replace(temp_name, path)
    except BaseException:
        Path(temp_name).unlink(missing_ok=True)
        raise
