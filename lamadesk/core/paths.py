"""Where lamadesk keeps its data, and how it writes files without leaving them half-done."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO

import platformdirs

APP_NAME = "lamadesk"
DATA_DIR_ENV = "LAMADESK_DATA_DIR"


def data_dir() -> Path:
    """The user's data folder; `LAMADESK_DATA_DIR` overrides it (tests, portable installs)."""
    override = os.environ.get(DATA_DIR_ENV)
    if override:
        return Path(override).expanduser()
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def models_dir() -> Path:
    """Where model weights live (downloaded, imported or converted)."""
    return data_dir() / "models"


def logs_dir() -> Path:
    """Where the app writes its log, so error dialogs can point at it."""
    return data_dir() / "logs"


@contextlib.contextmanager
def atomic_write(destination: Path, mode: str = "wb") -> Iterator[IO]:
    """Open a temporary file beside `destination` and move it into place on success.

    On any exception the temporary file is removed and `destination` is untouched, so a full
    disk or a crash never leaves a truncated output or destroys the previous file.
    """
    destination.parent.mkdir(parents=True, exist_ok=True)
    fd, temp_name = tempfile.mkstemp(
        prefix=f".{destination.name}.", suffix=".tmp", dir=destination.parent
    )
    temp_path = Path(temp_name)
    try:
        with os.fdopen(fd, mode) as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        temp_path.replace(destination)
    except BaseException:
        temp_path.unlink(missing_ok=True)
        raise
