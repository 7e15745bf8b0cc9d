"""Batch-list thumbnails decoded on a thread pool, never on the GUI thread.

They go through the core's reader (`read_thumbnail`), like every other image the app opens:
same checks, same errors, and no decoder chatter on the console for a broken file (Qt's own
reader printed libjpeg's "Corrupt JPEG data" warnings). Workers only produce QImages (safe
off the GUI thread); the GUI thread turns them into icons.
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QObject, QRunnable, QSize, QThreadPool, Signal
from PySide6.QtGui import QImage

from lamadesk.core.errors import ImageReadError
from lamadesk.core.image_io import read_thumbnail
from lamadesk.ui.canvas.canvas_items import rgb_to_qimage

log = logging.getLogger(__name__)

THUMBNAIL_SIZE = QSize(96, 96)


class _Relay(QObject):
    """Lives on the GUI thread; a worker's emit is queued to it."""

    loaded = Signal(str, QImage)


class _ThumbnailTask(QRunnable):
    def __init__(self, path: Path, relay: _Relay) -> None:
        super().__init__()
        self._path, self._relay = path, relay

    def run(self) -> None:
        side = max(THUMBNAIL_SIZE.width(), THUMBNAIL_SIZE.height())
        try:
            image = rgb_to_qimage(read_thumbnail(self._path, side))
        except ImageReadError as exc:
            log.debug("no thumbnail: %s", exc)  # opening the file tells the person why
            image = QImage()
        self._relay.loaded.emit(str(self._path), image)


class ThumbnailLoader(QObject):
    """Loads thumbnails with a small private pool; `shutdown` waits for it on exit."""

    loaded = Signal(Path, QImage)
    """The path and its thumbnail (a null QImage if the file cannot be read)."""

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
