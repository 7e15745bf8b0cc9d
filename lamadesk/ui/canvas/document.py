"""The open image, its brush mask and the undo stack that records every edit of either.

The image is kept as the core's RGB array and written to disk only on Save, so repeated
removals never re-encode it. The mask is a `Format_Alpha8` QImage that the canvas paints into
with QPainter; it becomes the core's bool array only when a job starts (`mask_array`).
Pixels move in and out through `numpy` views of rectangles, which is what undo commands store.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
from PySide6.QtCore import QObject, QRect, Signal
from PySide6.QtGui import QImage, QUndoStack

if TYPE_CHECKING:
    from lamadesk.core.image_io import LoadedImage

log = logging.getLogger(__name__)

UNDO_LIMIT = 60
"""Undo steps kept; each removal stores its changed rectangle twice, strokes only tiles."""


def rect_slices(rect: QRect) -> tuple[slice, slice]:
    """Row and column slices of a pixel rectangle."""
    return slice(rect.top(), rect.bottom() + 1), slice(rect.left(), rect.right() + 1)


class Document(QObject):
    """One image being cleaned: pixels, mask, file of origin and edit history."""

    opened = Signal()
    """A different image was loaded (or the document was closed)."""
    pixels_changed = Signal(QRect)
    mask_changed = Signal(QRect)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.undo_stack = QUndoStack(self)
        self.undo_stack.setUndoLimit(UNDO_LIMIT)
        self._source: LoadedImage | None = None
        self._path: Path | None = None
        self._rgb = np.zeros((0, 0, 3), np.uint8)
        self._mask = QImage()
        self.serial = 0
        """Increases with every `load`; jobs remember it so stale results are dropped."""
        self.pixels_version = 0
        """Increases with every image edit (removal, its undo and redo)."""
        self._saved_pixels_version = 0

    # -- state -----------------------------------------------------------------------
    @property
    def is_empty(self) -> bool:
        return self._source is None

    @property
    def path(self) -> Path | None:
        """The file the image came from; None for a pasted image."""
        return self._path

    @property
    def source(self) -> LoadedImage | None:
        return self._source

    @property
    def rgb(self) -> np.ndarray:
        """The current pixels (read-only view)."""
        view = self._rgb.view()
        view.flags.writeable = False
        return view

    @property
    def original_rgb(self) -> np.ndarray | None:
        return None if self._source is None else self._source.rgb

    @property
    def width(self) -> int:
        return self._rgb.shape[1]

    @property
    def height(self) -> int:
        return self._rgb.shape[0]

    @property
    def bounds(self) -> QRect:
        return QRect(0, 0, self.width, self.height)

    @property
    def mask_image(self) -> QImage:
        """The Alpha8 mask the canvas paints into; call `mask_painted` after painting."""
        return self._mask

    def load(self, image: LoadedImage, path: Path | None) -> None:
        """Show a new image with an empty mask and a fresh history."""
        self.undo_stack.clear()
        self._source, self._path = image, path
        self._rgb = np.ascontiguousarray(image.rgb).copy()
        height, width = self._rgb.shape[:2]
        self._mask = QImage(width, height, QImage.Format.Format_Alpha8)
        self._mask.fill(0)
        self.serial += 1
        self.mark_saved()
        self.opened.emit()

    def mark_saved(self) -> None:
        """The image as it is now is on disk (just opened or saved)."""
        self.undo_stack.setClean()
        self._saved_pixels_version = self.pixels_version

    def has_unsaved_edits(self) -> bool:
        """Whether the image differs from the one last opened or saved; the mask does not count.

        A mask is a means, not a result: redrawing it costs a few strokes, while asking
        about it on every open teaches people to discard without reading. Commands say
        whether they change pixels (``changes_pixels``; unknown commands count as changes).
        """
        if self.is_empty or self.pixels_version == self._saved_pixels_version:
            return False
        stack = self.undo_stack
        saved, now = stack.cleanIndex(), stack.index()
        if saved < 0:  # the saved state left the history (new branch or undo limit)
            return True
        low, high = sorted((saved, now))
        return any(
            getattr(stack.command(index), "changes_pixels", True) for index in range(low, high)
        )

    # -- mask ------------------------------------------------------------------------
    def _mask_view(self) -> np.ndarray:
        height, width = self.height, self.width
        if height == 0:
            return np.zeros((0, 0), np.uint8)
        buffer = np.frombuffer(self._mask.bits(), np.uint8)
        return buffer.reshape(height, self._mask.bytesPerLine())[:, :width]

    def mask_array(self) -> np.ndarray:
        """The mask as the core wants it: a fresh `(H, W)` bool array."""
        return self._mask_view() > 0

    def mask_is_empty(self) -> bool:
        return not self._mask_view().any()

    def mask_region(self, rect: QRect) -> np.ndarray:
        return self._mask_view()[rect_slices(rect)].copy()

    def set_mask_region(self, rect: QRect, values: np.ndarray) -> None:
        self._mask_view()[rect_slices(rect)] = values

    def mask_painted(self, rect: QRect) -> None:
        """Tell views that pixels in `rect` of the mask changed."""
        self.mask_changed.emit(rect.intersected(self.bounds))

    def mask_bounding_rect(self) -> QRect:
        """The smallest rectangle holding every masked pixel (empty when the mask is)."""
        view = self._mask_view()
        rows, cols = np.flatnonzero(view.any(axis=1)), np.flatnonzero(view.any(axis=0))
        if rows.size == 0:
            return QRect()
        return QRect(
            int(cols[0]), int(rows[0]), int(cols[-1] - cols[0] + 1), int(rows[-1] - rows[0] + 1)
        )

    # -- image -----------------------------------------------------------------------
    def image_region(self, rect: QRect) -> np.ndarray:
        return self._rgb[rect_slices(rect)].copy()

    def set_image_region(self, rect: QRect, values: np.ndarray) -> None:
        self._rgb[rect_slices(rect)] = values
        self.pixels_version += 1
        self.pixels_changed.emit(rect)

    def changed_mask(self) -> np.ndarray:
        """Pixels that differ from the file as read: what `LoadedImage.with_pixels` needs."""
        original = self.original_rgb
        if original is None:
            return np.zeros((0, 0), bool)
        return (self._rgb != original).any(axis=2)
