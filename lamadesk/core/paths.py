"""Where lamadesk keeps its data, and how it writes files without leaving them half-done.

The data folder is, first match wins: ``LAMADESK_DATA_DIR``; in a frozen build with a file
named ``portable`` beside the executable (the portable zip ships one), a ``data`` folder beside
it; else the platform's user data folder (platformdirs). The app never writes into its install
folder otherwise. When the data folder is moved (the variable or portable mode), the settings
move with it into ``settings.ini`` there.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import IO

import platformdirs

APP_NAME = "lamadesk"
DATA_DIR_ENV = "LAMADESK_DATA_DIR"
PORTABLE_MARKER = "portable"
"""A file of this name beside the frozen executable keeps the data folder beside it too."""
PORTABLE_DATA_FOLDER = "data"
SETTINGS_FILE = "settings.ini"


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


def settings_file() -> Path | None:
    """The settings file inside a moved data folder; None means the platform's usual place.

    Whoever moves the data (``LAMADESK_DATA_DIR``, a portable copy on a USB stick) expects the
    whole state to move: settings left in the profile would leak between copies and stay
    behind on the machine.
    """
    if os.environ.get(DATA_DIR_ENV) or portable_dir() is not None:
        return data_dir() / SETTINGS_FILE
    return None


def models_dir() -> Path:
    """Where model weights live (downloaded, imported or converted)."""
    return data_dir() / "models"


def logs_dir() -> Path:
    """Where the app writes its log, so error dialogs can point at it."""
    return data_dir() / "logs"


@contextlib.contextmanager
def atomic_write(destination: Path) -> Iterator[IO[bytes]]:
    """Open a temporary file beside `destination` and move it into place on success.

    On any exception the temporary file is removed and `destination` is untouched, so a full
    disk or a crash never leaves a truncated output or destroys the previous file.

    The result gets the permissions a plainly saved file would: those the umask gives a new
    file, or the replaced file's own. (``tempfile.mkstemp`` makes 0600 files, which would hide
    a cleaned photo from the other accounts and servers that could read the original.)
    """
    destination.parent.mkdir(parents=True, exist_ok=True)
    temp_path, fd = _create_beside(destination)
    try:
        # On Windows the only mode bit is read-only, which would make the temp file undeletable.
        if os.name == "posix" and destination.exists():
            shutil.copymode(destination, temp_path)
        with os.fdopen(fd, "wb") as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        temp_path.replace(destination)
    except BaseException:
        temp_path.unlink(missing_ok=True)
        raise


def _create_beside(destination: Path) -> tuple[Path, int]:
    """Create a hidden, uniquely named file next to `destination`, as `open` would (umask)."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    while True:
        temp_path = destination.with_name(f".{destination.name}.{secrets.token_hex(4)}.tmp")
        try:
            return temp_path, os.open(temp_path, flags, 0o666)
        except FileExistsError:
            continue
