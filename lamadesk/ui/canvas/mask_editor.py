"""Painting into the document's mask: brush and eraser segments, rectangles, clearing, imports.

Each operation paints with QPainter into the Alpha8 mask, records the touched tiles before
and after, and pushes one `MaskEditCommand`; segments of a stroke merge into one undo step.
Painting is aliased on purpose: the core wants a binary mask.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from PySide6.QtCore import QCoreApplication, QPointF, QRect, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QPainter, QPen

from lamadesk.ui.canvas.commands import (
    MaskEditCommand,
    Tiles,
    nonempty_tiles,
    read_tiles,
    tile_rect,
    tiles_in,
)
from lamadesk.ui.canvas.document import Document, rect_slices

_OPAQUE = QColor(0, 0, 0, 255)


class MaskEditor:
    """Turns tool gestures into mask pixels and undo commands."""

    def __init__(self, document: Document) -> None:
        self._document = document
        self._stroke = 0

    def begin_stroke(self) -> None:
        """Start a new stroke: later segments no longer merge into the previous one."""
        self._stroke += 1

    def paint_segment(self, start: QPointF, end: QPointF, size: float, erase: bool) -> QRect:
        """Paint (or erase) a round-capped line of width `size` from `start` to `end`.

        Returns:
            The rectangle of mask pixels that may have changed.
        """
        radius = max(0.5, size / 2)
        dirty = (
            QRectF(start, end)
            .normalized()
            .adjusted(-radius - 2, -radius - 2, radius + 2, radius + 2)
            .toAlignedRect()
            .intersected(self._document.bounds)
        )
        if dirty.isEmpty():
            return dirty

        def paint(painter: QPainter) -> None:
            painter.setPen(
                QPen(_OPAQUE, radius * 2, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap)
            )
            painter.setBrush(QBrush(_OPAQUE))
            painter.drawLine(start, end)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.drawEllipse(end, radius, radius)

        text = (
            QCoreApplication.translate("MaskEditor", "Erase")
            if erase
            else QCoreApplication.translate("MaskEditor", "Brush stroke")
        )
        self._edit(dirty, paint, erase, text, self._stroke)
        return dirty

    def fill_rect(self, rect: QRect, erase: bool = False) -> QRect:
        """Mark (or unmark) every pixel of `rect`; one undo step."""
        rect = rect.normalized().intersected(self._document.bounds)
        if rect.isEmpty():
            return rect
        self._edit(
            rect,
            lambda painter: painter.fillRect(rect, _OPAQUE),
            erase,
            QCoreApplication.translate("MaskEditor", "Rectangle"),
            None,
        )
        return rect

    def clear(self) -> None:
        """Unmark everything; one undo step holding only tiles that had marks."""
        keys = nonempty_tiles(self._document)
        if not keys:
            return
        before = read_tiles(self._document, keys)
        after = {key: pixels * 0 for key, pixels in before.items()}
        self._document.undo_stack.push(
            MaskEditCommand(
                self._document,
                QCoreApplication.translate("MaskEditor", "Clear mask"),
                before,
                after,
                None,
            )
        )

    def replace(self, mask: np.ndarray, text: str) -> None:
        """Make `mask` ((H, W) bool, the image's size) the whole mask; one undo step."""
        bounds = self._document.bounds
        before: Tiles = {}
        after: Tiles = {}
        for key in tiles_in(bounds):
            old = self._document.mask_region(tile_rect(key, bounds))
            new = mask[rect_slices(tile_rect(key, bounds))].astype(np.uint8) * 255
            if old.any() or new.any():
                before[key], after[key] = old, new
        if before:
            self._document.undo_stack.push(
                MaskEditCommand(self._document, text, before, after, None)
            )

    def _edit(
        self,
        dirty: QRect,
        paint: Callable[[QPainter], None],
        erase: bool,
        text: str,
        stroke: int | None,
    ) -> None:
        keys = tiles_in(dirty)
        before = read_tiles(self._document, keys)
        painter = QPainter(self._document.mask_image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
        if erase:
            painter.setCompositionMode(QPainter.CompositionMode.CompositionMode_Clear)
        paint(painter)
        painter.end()
        after = read_tiles(self._document, keys)
        self._document.undo_stack.push(MaskEditCommand(self._document, text, before, after, stroke))
