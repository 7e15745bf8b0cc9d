"""Where lamadesk keeps its data, and how it writes files without leaving them half-done.

The data folder is, first match wins: ``LAMADESK_DATA_DIR``; in a frozen build with a file
named ``portable`` beside the executable (the portable zip ships one), a ``data`` folder beside
it; else the platform's user data folder (platformdirs). The app never writes into its install
folder otherwise. When the data folder is moved (the variable or portable mode), the settings
move with it into ``settings.ini`` there.
"""

from __future__ import annotations

import contextlib
import errno
import logging
import os
import secrets
import shutil
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import IO

import platformdirs

try:
    import fcntl
except ImportError:  # Windows
    fcntl = None

logger = logging.getLogger(__name__)

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
def atomic_write(destination: Path, *, replace: bool = True) -> Iterator[IO[bytes]]:
    """Open a temporary file beside `destination` and move it into place on success.

    On any exception the temporary file is removed and `destination` is untouched, so a full
    disk or a crash never leaves a truncated output or destroys the previous file.

    With `replace` False the move is exclusive: if anything appeared at `destination` since the
    caller looked (another run writing the same name), it is kept and `FileExistsError` is
    raised; two writers can never both "succeed" with one file. With `replace` True (the
    model store updating its own files) the destination is replaced, as ``os.replace`` does.

    The temporary name is short (`TEMP_PREFIX`, 16 hex digits, `TEMP_SUFFIX`), so any final
    name that fits the file system fits, and recognisable, so the first write into a folder
    can remove those a killed run left (see `_remove_stale_temp_files`).

    The result gets the permissions a plainly saved file would: those the umask gives a new
    file, or the replaced file's own. (``tempfile.mkstemp`` makes 0600 files, which would hide
    a cleaned photo from the other accounts and servers that could read the original.)
    """
    destination.parent.mkdir(parents=True, exist_ok=True)
    _sweep_once(destination.parent)
    temp_path, fd = _create_beside(destination)
    try:
        # On Windows the only mode bit is read-only, which would make the temp file undeletable.
        if os.name == "posix" and replace and destination.exists():
            shutil.copymode(destination, temp_path)
        with os.fdopen(fd, "wb") as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
            if os.name == "posix":  # published while still locked: see _remove_stale_temp_files
                _publish(temp_path, destination, replace)
        if os.name != "posix":  # Windows renames no open file
            _publish(temp_path, destination, replace)
    except BaseException:
        temp_path.unlink(missing_ok=True)
        raise


TEMP_PREFIX = ".lamadesk-"
TEMP_SUFFIX = ".tmp"

_PROCESS_STARTED = time.time()
"""When this process (near enough: this module's import) started; its own temp files are newer."""
_swept_folders: set[Path] = set()
"""Folders already cleaned by this process: once is enough, a batch writes many files."""
_NO_HARD_LINKS = frozenset(
    {errno.EPERM, errno.EOPNOTSUPP, errno.ENOTSUP, errno.EXDEV, errno.EMLINK, errno.ENOSYS}
)
"""What `os.link` says on file systems without hard links (FAT, exFAT, some network shares)."""


def _create_beside(destination: Path) -> tuple[Path, int]:
    """Create a hidden, uniquely named file next to `destination`, as `open` would (umask).

    On POSIX the file is locked (``flock``) while it is written, so another process's cleanup
    can tell it from a killed run's leftover.
    """
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    while True:
        temp_path = destination.with_name(f"{TEMP_PREFIX}{secrets.token_hex(8)}{TEMP_SUFFIX}")
        try:
            fd = os.open(temp_path, flags, 0o666)
        except FileExistsError:
            continue
        if fcntl is not None:
            with contextlib.suppress(OSError):  # no locks on this file system: still writable
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return temp_path, fd


def _publish(temp_path: Path, destination: Path, replace: bool) -> None:
    """Move the finished temp file to `destination`; exclusively unless `replace`.

    Raises:
        FileExistsError: `replace` is False and something is at `destination`.
    """
    if replace:
        temp_path.replace(destination)
    elif os.name != "posix":
        temp_path.rename(destination)  # Windows refuses an existing target
    else:
        try:
            destination.hardlink_to(temp_path)  # atomic, and fails if the name is taken
        except OSError as exc:
            if isinstance(exc, FileExistsError) or exc.errno not in _NO_HARD_LINKS:
                raise
            # No hard links here: claim the name with an exclusive create, then replace that
            # placeholder, which is ours. (Killed in between, an empty file would remain.)
            os.close(os.open(destination, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666))
            temp_path.replace(destination)
        else:
            temp_path.unlink()


def _sweep_once(folder: Path) -> None:
    key = folder.resolve()
    if key not in _swept_folders:
        _swept_folders.add(key)
        _remove_stale_temp_files(folder)


def _remove_stale_temp_files(folder: Path) -> None:
    """Remove our temp files that a killed run left in `folder`, logging each.

    Stale means: named like ours, last written before this process started, and not locked
    by a living writer (POSIX ``flock``; on Windows a file still open cannot be removed). The
    time alone would not do: a run started before this one may still be writing.
    """
    try:
        entries = [entry for entry in os.scandir(folder) if _is_temp_name(entry.name)]
    except OSError as exc:
        logger.debug("cannot look for stale temp files in %s: %s", folder, exc)
        return
    for entry in entries:
        path = Path(entry.path)
        try:
            if not entry.is_file(follow_symlinks=False):
                continue
            if entry.stat(follow_symlinks=False).st_mtime >= _PROCESS_STARTED:
                continue
            if _remove_unless_locked(path):
                logger.info("removed %s, left behind by a save that was stopped", path)
        except OSError as exc:
            logger.debug("kept %s: %s", path, exc)


def _is_temp_name(name: str) -> bool:
    return name.startswith(TEMP_PREFIX) and name.endswith(TEMP_SUFFIX)


def _remove_unless_locked(path: Path) -> bool:
    if fcntl is None:
        path.unlink()
        return True
    fd = os.open(path, os.O_RDONLY)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        path.unlink()
        return True
    finally:
        os.close(fd)
