"""The shared-mark search over image files, as the CLI and the app's batch view run it."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np

from lamadesk.core.image_io import read_image
from lamadesk.core.watermark.detection import PictureLoader


def picture_loader(paths: Sequence[Path]) -> PictureLoader:
    """Reads picture `i` upright (EXIF applied), as the removal will read it again later."""

    def load(index: int) -> np.ndarray:
        return np.asarray(read_image(paths[index]).rgb)

    return load
