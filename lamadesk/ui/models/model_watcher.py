"""Notice a model installed or replaced by another process while the app runs.

`lamadesk-cli models import` (or a file copied in by hand) writes into the same models folder
as the app; without this the app kept OpenCV until a restart. A `QFileSystemWatcher` on the
folder wakes the check, which only stats the model file: it knows nothing about how models are
validated, which stays the store's and the loader's job.
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QFileSystemWatcher, QObject, QTimer, Signal, Slot

log = logging.getLogger(__name__)

SETTLE_MS = 500
"""An import writes a temporary file, renames it and rewrites the manifest: one check after."""

Signature = tuple[int, int] | None
"""(size, modification time in ns) of the model file, None when it is missing."""


def file_signature(path: Path) -> Signature:
    """What changes when a model file is installed, replaced or removed."""
    try:
        stat = path.stat()
    except OSError:
        return None
    return stat.st_size, stat.st_mtime_ns


class ModelWatcher(QObject):
    """Emits `changed` when the model file at `model_path` appears, changes or goes away.

    The window reloads the engine on `changed` and asks `take_found` once it is loaded, to say
    that a model found on disk is now in use.
    """

    changed = Signal()

    def __init__(self, model_path: Path, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._path = model_path
        self._seen = file_signature(model_path)
        self._found = False
        self._settle = QTimer(self, singleShot=True, interval=SETTLE_MS)
        self._settle.timeout.connect(self.check)
        self._watcher = QFileSystemWatcher(self)
        self._watcher.directoryChanged.connect(lambda _folder: self._settle.start())
        try:
            model_path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            log.warning("cannot watch %s for new models: %s", model_path.parent, exc)
            return
        if not self._watcher.addPath(str(model_path.parent)):
            log.warning("cannot watch %s for new models", model_path.parent)

    def acknowledge(self) -> None:
        """Take the file as it is now as known: the app installed it and reloads by itself."""
        self._seen = file_signature(self._path)

    def take_found(self) -> bool:
        """Whether a model appeared or changed on disk since the last call."""
        found, self._found = self._found, False
        return found

    @Slot()
    def check(self) -> None:
        """Emit `changed` if the file differs from what was last seen."""
        now = file_signature(self._path)
        if now != self._seen:
            self._seen, self._found = now, now is not None
            log.info("model file %s changed on disk", self._path)
            self.changed.emit()
