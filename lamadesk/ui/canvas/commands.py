"""Undo commands for mask strokes and removals (STYLE §4).

Commands store pixels, never whole images: mask edits keep the 128×128 tiles they touched,
before and after; a removal keeps the changed rectangle of the image. Segments of one brush
stroke share `id()` and a stroke number, so the undo stack merges them into one step that
keeps each tile's oldest "before"; a new stroke number ends the merging.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QCoreApplication, QRect
from PySide6.QtGui import QUndoCommand

from lamadesk.ui.canvas.document import Document, rect_slices

TILE = 128
_STROKE_ID = 1001

Tiles = dict[tuple[int, int], np.ndarray]


def tile_rect(key: tuple[int, int], bounds: QRect) -> QRect:
    """The pixel rectangle of tile `key` (column, row), clipped to the image."""
    column, row = key
    return QRect(column * TILE, row * TILE, TILE, TILE).intersected(bounds)


def tiles_in(rect: QRect) -> list[tuple[int, int]]:
    """Keys of the tiles that `rect` touches."""
    if rect.isEmpty():
        return []
    return [
        (column, row)
        for row in range(rect.top() // TILE, rect.bottom() // TILE + 1)
        for column in range(rect.left() // TILE, rect.right() // TILE + 1)
    ]


def read_tiles(document: Document, keys: list[tuple[int, int]]) -> Tiles:
    """Copies of the mask pixels of the tiles `keys`."""
    bounds = document.bounds
    return {key: document.mask_region(tile_rect(key, bounds)) for key in keys}


def mask_tiles(document: Document, mask: np.ndarray, rect: QRect) -> tuple[Tiles, Tiles]:
    """The mask tiles `rect` touches as they are, and as they are in `mask` ((H, W) bool)."""
    keys = tiles_in(rect.intersected(document.bounds))
    bounds = document.bounds
    after = {key: mask[rect_slices(tile_rect(key, bounds))].astype(np.uint8) * 255 for key in keys}
    return read_tiles(document, keys), after


def _write_tiles(document: Document, tiles: Tiles) -> None:
    bounds = document.bounds
    changed = QRect()
    for key, pixels in tiles.items():
        rect = tile_rect(key, bounds)
        document.set_mask_region(rect, pixels)
        changed = changed.united(rect)
    if not changed.isEmpty():
        document.mask_painted(changed)


class MaskEditCommand(QUndoCommand):
    """A mask edit: a brush or eraser stroke, a rectangle, or clearing the mask.

    Args:
        document: The document whose mask was edited.
        text: The translated name shown in the Edit menu.
        before: Touched tiles as they were before the edit.
        after: The same tiles after the edit (the edit is already painted).
        stroke: Number of the stroke this segment belongs to; None for edits that never merge.
    """

    changes_pixels = False
    """Mask edits are not unsaved changes of the image (`Document.has_unsaved_edits`)."""

    def __init__(
        self, document: Document, text: str, before: Tiles, after: Tiles, stroke: int | None
    ) -> None:
        super().__init__(text)
        self._document, self._before, self._after, self._stroke = document, before, after, stroke

    def id(self) -> int:
        return _STROKE_ID if self._stroke is not None else -1

    def mergeWith(self, other: QUndoCommand) -> bool:
        if not isinstance(other, MaskEditCommand) or other._stroke != self._stroke:
            return False
        for key, pixels in other._before.items():
            self._before.setdefault(key, pixels)
        self._after.update(other._after)
        return True

    def redo(self) -> None:
        _write_tiles(self._document, self._after)

    def undo(self) -> None:
        _write_tiles(self._document, self._before)


class RemovalCommand(QUndoCommand):
    """A finished removal: the changed rectangle of the image, and the mask it consumed."""

    changes_pixels = True

    def __init__(
        self, document: Document, rect: QRect, after_rgb: np.ndarray, mask_before: Tiles
    ) -> None:
        super().__init__(QCoreApplication.translate("RemovalCommand", "Remove"))
        self._document, self._rect = document, rect
        self._before_rgb = document.image_region(rect)
        self._after_rgb = after_rgb
        self._mask_before = mask_before
        self._mask_after = {key: np.zeros_like(pixels) for key, pixels in mask_before.items()}

    def redo(self) -> None:
        self._document.set_image_region(self._rect, self._after_rgb)
        _write_tiles(self._document, self._mask_after)

    def undo(self) -> None:
        self._document.set_image_region(self._rect, self._before_rgb)
        _write_tiles(self._document, self._mask_before)


def nonempty_tiles(document: Document) -> list[tuple[int, int]]:
    """Tiles holding at least one masked pixel, found without a Python loop over pixels."""
    rect = document.mask_bounding_rect()
    bounds = document.bounds
    return [key for key in tiles_in(rect) if document.mask_region(tile_rect(key, bounds)).any()]
