"""Batch-list thumbnails decoded on a thread pool, never on the GUI thread.

Workers only produce QImages (safe off the GUI thread); the GUI thread turns them into icons.
`QImageReader.setScaledSize` lets JPEG decode at a fraction of full size.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, QRunnable, QSize, Qt, QThreadPool, Signal
from PySide6.QtGui import QImage, QImageReader

THUMBNAIL_SIZE = QSize(96, 96)


class _Relay(QObject):
    """Lives on the GUI thread; a worker's emit is queued to it."""

    loaded = Signal(str, QImage)


class _ThumbnailTask(QRunnable):
    def __init__(self, path: Path, relay: _Relay) -> None:
        super().__init__()
        self._path, self._relay = path, relay

    def run(self) -> None:
        reader = QImageReader(str(self._path))
        reader.setAutoTransform(True)
        size = reader.size()
        if size.isValid():
            reader.setScaledSize(size.scaled(THUMBNAIL_SIZE, Qt.AspectRatioMode.KeepAspectRatio))
        image = reader.read()
        self._relay.loaded.emit(str(self._path), image)


class ThumbnailLoader(QObject):
    """Loads thumbnails with a small private pool; `shutdown` waits for it on exit."""

    loaded = Signal(Path, QImage)
    """The path and its thumbnail (a null QImage if Qt cannot decode the file)."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(2)
        self._relay = _Relay(self)
        self._relay.loaded.connect(lambda path, image: self.loaded.emit(Path(path), image))

    def request(self, path: Path) -> None:
        self._pool.start(_ThumbnailTask(path, self._relay))

    def wait(self, msecs: int = 10_000) -> bool:
        return self._pool.waitForDone(msecs)

    def shutdown(self) -> None:
        self._pool.clear()
        self._pool.waitForDone()
