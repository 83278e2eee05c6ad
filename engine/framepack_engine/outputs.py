"""Writing output images: atomically, with their generation parameters embedded."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
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


@contextmanager
def atomic_output(path: Path) -> Iterator[Path]:
    """Yields a hidden temp path beside `path`; on success it is synced and renamed onto
    `path`, on failure removed. Readers never see a half-written output, and an earlier
    file at `path` survives a failed write."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temp_name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    os.close(handle)
    temp = Path(temp_name)
    try:
        yield temp
        with temp.open("rb") as written:
            os.fsync(written.fileno())
        os.replace(temp, path)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise


def write_png(image: NDArray[np.uint8], path: Path, parameters: str) -> None:
    """Writes (H, W, 3) uint8 RGB with a `parameters` text chunk, atomically."""
    info = PngInfo()
    info.add_text("parameters", parameters)
    with atomic_output(path) as temp:
        Image.fromarray(image).save(temp, format="PNG", pnginfo=info)
