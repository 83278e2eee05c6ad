"""Reading the input files that a plan names."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from numpy.typing import NDArray
from PIL import Image, UnidentifiedImageError

from framepack_engine.plans.base import PlanError


def read_rgb_image(path: str, field_name: str) -> NDArray[np.uint8]:
    """Reads an image as (H, W, 3) uint8 RGB; a bad file is an invalid plan naming the field."""
    try:
        with Image.open(Path(path)) as image:
            return np.asarray(image.convert("RGB"), dtype=np.uint8)
    except FileNotFoundError:
        raise PlanError(field_name, f"no file at {path}") from None
    except (UnidentifiedImageError, OSError) as error:
        raise PlanError(field_name, f"{path} is not a readable image ({error})") from None
