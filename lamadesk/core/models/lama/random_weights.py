"""Recognising a random-weight stand-in for ``big-lama.pt`` (written by ``tools/``).

The maker lives outside the product (``tools/lama_test_model.py``); the product only needs to
tell such a file apart, so that ``lamadesk-cli bench`` can label its rows "random weights".
"""

from __future__ import annotations

import zipfile
from pathlib import Path

RANDOM_WEIGHTS_MARK = "lamadesk-random-weights"
"""Name of the extra archive entry that marks a test model."""


def is_test_model(path: Path) -> bool:
    """Whether `path` carries the random-weights mark (reads the zip index, not the weights)."""
    try:
        with zipfile.ZipFile(path) as archive:
            return any(
                name.endswith(f"/extra/{RANDOM_WEIGHTS_MARK}") for name in archive.namelist()
            )
    except (OSError, zipfile.BadZipFile):
        return False
