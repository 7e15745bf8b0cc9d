"""Where lamadesk keeps its data, and how it writes files without leaving them half-done.

The data folder is, first match wins: ``LAMADESK_DATA_DIR``; in a frozen build with a file
named ``portable`` beside the executable (the portable zip ships one), a ``data`` folder beside
it; else the platform's user data folder (platformdirs). The app never writes into its install
folder otherwise.
"""

from __future__ import annotations

import contextlib
import os
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO

import platformdirs

APP_NAME = "lamadesk"
DATA_DIR_ENV = "LAMADESK_DATA_DIR"
PORTABLE_MARKER = "portable"
"""A file of this name beside the frozen executable keeps the data folder beside it too."""
PORTABLE_DATA_FOLDER = "data"


def data_dir() -> Path:
    """The user's data folder; `LAMADESK_DATA_DIR` overrides it (tests), then portable mode."""
    override = os.environ.get(DATA_DIR_ENV)
    if override:
        return Path(override).expanduser()
    portable = portable_dir()
    if portable is not None:
        return portable / PORTABLE_DATA_FOLDER
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def portable_dir() -> Path | None:
    """The frozen app's folder if a `PORTABLE_MARKER` file sits beside its executable.

    Only frozen builds (PyInstaller sets ``sys.frozen``) can be portable: from a Python install
    the executable is the interpreter, whose folder is no place for lamadesk's data.
    """
    if not getattr(sys, "frozen", False):
        return None
    folder = Path(sys.executable).resolve().parent
    return folder if (folder / PORTABLE_MARKER).is_file() else None


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
