"""Reading the input files that a plan names."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from numpy.typing import NDArray
from PIL import Image, UnidentifiedImageError

from framepack_engine.plans.base import PlanError


def _open(path: str, field_name: str) -> Image.Image:
    try:
        with Image.open(Path(path)) as image:
            image.load()
            return image
    except FileNotFoundError:
        raise PlanError(field_name, f"no file at {path}") from None
    except (UnidentifiedImageError, OSError) as error:
        raise PlanError(field_name, f"{path} is not a readable image ({error})") from None


def read_rgb_image(path: str, field_name: str) -> NDArray[np.uint8]:
    """Reads an image as (H, W, 3) uint8 RGB; a bad file is an invalid plan naming the field."""
    return np.asarray(_open(path, field_name).convert("RGB"), dtype=np.uint8)


def read_mask(mask_path: str | None, image_path: str, field_name: str) -> NDArray[np.uint8] | None:
    """A grayscale mask (H, W) uint8: the mask file, else the image's alpha channel, else None."""
    if mask_path is not None:
        return np.asarray(_open(mask_path, field_name).convert("L"), dtype=np.uint8)
    image = _open(image_path, field_name)
    if "A" not in image.getbands():
        return None
    return np.asarray(image.getchannel("A"), dtype=np.uint8)
