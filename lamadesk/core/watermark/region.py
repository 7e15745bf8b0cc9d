"""Where in the pictures the shared mark sits: the coarse search over the whole batch.

Works on small copies (longest side about 1000 pixels) so that 50 photos of
12 MP fit in memory. Pictures of different sizes are lined up by a corner (or the centre):
a watermarking tool places its mark at a fixed distance from one, so the right alignment
is the one whose median gradient shows the strongest structure.
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass

import cv2
import numpy as np

from lamadesk.core.masks import Box
from lamadesk.core.watermark.gradients import magnitude, median_gradients

COARSE_SIDE = 1024
"""Longest side of the copies the coarse search works on."""
_DISTINCT = 6.5
"""How far (in robust spreads above the median) the strongest shared structure must stand
out to count as a mark. Measured on textured batches: no mark or a mark at a different
place in each picture reach 4-5.5; a shared mark reaches 7.4-11 with 5 pictures, 12-20
with 12."""


class Anchor(enum.Enum):
    """The point of the picture the mark keeps its distance to."""

    TOP_LEFT = "top-left"
    TOP_RIGHT = "top-right"
    BOTTOM_LEFT = "bottom-left"
    BOTTOM_RIGHT = "bottom-right"
    CENTRE = "centre"

    def origin(self, picture: tuple[int, int], canvas: tuple[int, int]) -> tuple[int, int]:
        """Top-left of a `canvas`-sized window anchored here in a `picture`-sized image."""
        spare_rows, spare_cols = picture[0] - canvas[0], picture[1] - canvas[1]
        rows = {"top": 0, "bottom": spare_rows}.get(self.value.split("-")[0], spare_rows // 2)
        cols = {"left": 0, "right": spare_cols}.get(self.value.split("-")[-1], spare_cols // 2)
        return rows, cols


class Position(enum.Enum):
    """Where a box sits in a picture, by thirds: what a person would call its place."""

    TOP_LEFT = "top-left"
    TOP = "top"
    TOP_RIGHT = "top-right"
    LEFT = "left"
    CENTRE = "centre"
    RIGHT = "right"
    BOTTOM_LEFT = "bottom-left"
    BOTTOM = "bottom"
    BOTTOM_RIGHT = "bottom-right"


def position_in(box: Box, picture: tuple[int, int]) -> Position:
    """The third (top/middle/bottom × left/centre/right) of `picture` holding the box's centre.

    Not the `Anchor` the search lined the pictures up by: same-sized pictures line up at any
    corner, so the anchor says nothing about where the mark is.
    """
    middle_row = (box.top + box.bottom) / 2 / picture[0]
    middle_col = (box.left + box.right) / 2 / picture[1]
    vertical = "top" if middle_row < 1 / 3 else "bottom" if middle_row > 2 / 3 else ""
    horizontal = "left" if middle_col < 1 / 3 else "right" if middle_col > 2 / 3 else ""
    return Position("-".join(part for part in (vertical, horizontal) if part) or "centre")


def nearest_anchor(box: Box, picture: tuple[int, int]) -> Anchor:
    """The corner closest to the box's centre (the centre if the box is in the middle third)."""
    middle_row = (box.top + box.bottom) / 2 / picture[0]
    middle_col = (box.left + box.right) / 2 / picture[1]
    if 1 / 3 < middle_row < 2 / 3 and 1 / 3 < middle_col < 2 / 3:
        return Anchor.CENTRE
    vertical = "top" if middle_row < 0.5 else "bottom"
    horizontal = "left" if middle_col < 0.5 else "right"
    return Anchor(f"{vertical}-{horizontal}")


@dataclass(frozen=True)
class Region:
    """The mark's box in anchored canvas coordinates, full resolution."""

    anchor: Anchor
    canvas: tuple[int, int]
    """Height and width shared by every picture once lined up at `anchor`."""
    box: Box

    def widened(self, sides: tuple[str, ...]) -> Region:
        """The region pushed out by half its size (at least 16 pixels) on the given sides."""
        grow_rows = max(16, self.box.height // 2)
        grow_cols = max(16, self.box.width // 2)
        box = Box(
            max(0, self.box.top - grow_rows * ("top" in sides)),
            max(0, self.box.left - grow_cols * ("left" in sides)),
            min(self.canvas[0], self.box.bottom + grow_rows * ("bottom" in sides)),
            min(self.canvas[1], self.box.right + grow_cols * ("right" in sides)),
        )
        return Region(self.anchor, self.canvas, box)

    def box_in(self, picture: tuple[int, int]) -> Box:
        """The box in the coordinates of one picture of the batch."""
        top, left = self.anchor.origin(picture, self.canvas)
        return Box(
            self.box.top + top, self.box.left + left, self.box.bottom + top, self.box.right + left
        )


def jitter_scale(jitter: int) -> float:
    """The factor that makes a mark shifted by up to `jitter` pixels move about one pixel.

    Its gradients only survive the median when the shifts are that small.
    """
    return min(1.0, 2.0 / max(1, jitter))


def shrink(picture: np.ndarray, scale: float) -> np.ndarray:
    """A small float32 copy for the coarse search (area averaging keeps thin strokes)."""
    picture = picture.astype(np.float32, copy=False)
    if scale >= 1.0:
        return picture
    size = (max(1, round(picture.shape[1] * scale)), max(1, round(picture.shape[0] * scale)))
    return cv2.resize(picture, size, interpolation=cv2.INTER_AREA)


def limit_side(small_copies: list[np.ndarray], scale: float) -> tuple[list[np.ndarray], float]:
    """Shrink the copies further, all by one factor, until the longest side is COARSE_SIDE."""
    longest = max(max(copy.shape[:2]) for copy in small_copies)
    if longest <= COARSE_SIDE:
        return small_copies, scale
    factor = COARSE_SIDE / longest
    return [shrink(copy, factor) for copy in small_copies], scale * factor


def find_region(
    small_copies: Sequence[np.ndarray],
    shapes: Sequence[tuple[int, int]],
    scale: float,
    margin: int,
) -> Region | None:
    """The box of the strongest shared structure, or None when the batch shares none.

    Tries each anchor, keeps the one whose median gradient is most concentrated, thresholds
    it well above the photos' leftover noise and takes the connected blob with the most
    gradient energy (closing first joins a logo to its text).
    """
    best: tuple[float, Anchor, np.ndarray] | None = None
    for anchor in _anchors_to_try(shapes):
        magnitude = _median_magnitude(small_copies, anchor)
        strength = float(np.percentile(magnitude, 99.9))
        if best is None or strength > best[0]:
            best = (strength, anchor, magnitude)
    assert best is not None
    _, anchor, magnitude = best
    blob = _strongest_blob(magnitude)
    if blob is None:
        return None
    canvas = (min(shape[0] for shape in shapes), min(shape[1] for shape in shapes))
    top, left, bottom, right = (round(value / scale) for value in blob)
    box = Box(top, left, bottom, right).grown(margin + round(1 / scale), *canvas)
    return Region(anchor, canvas, box)


def _anchors_to_try(shapes: Sequence[tuple[int, int]]) -> list[Anchor]:
    if len(set(shapes)) == 1:
        return [Anchor.TOP_LEFT]  # every alignment is the same one
    return list(Anchor)


def _median_magnitude(small_copies: Sequence[np.ndarray], anchor: Anchor) -> np.ndarray:
    canvas = (
        min(copy.shape[0] for copy in small_copies),
        min(copy.shape[1] for copy in small_copies),
    )
    windows = []
    for copy in small_copies:
        top, left = anchor.origin(copy.shape[:2], canvas)
        windows.append(copy[top : top + canvas[0], left : left + canvas[1]])
    return magnitude(*median_gradients(windows))


def _strongest_blob(magnitude: np.ndarray) -> tuple[int, int, int, int] | None:
    floor = float(np.median(magnitude))
    spread = 1.4826 * float(np.median(np.abs(magnitude - floor))) + 1e-6
    peak = float(np.percentile(magnitude, 99.9))
    threshold = max(floor + 6 * spread, 0.2 * peak)
    strong = (magnitude > threshold).astype(np.uint8)
    if peak < floor + _DISTINCT * spread or not strong.any():
        return None
    reach = max(3, round(0.015 * max(magnitude.shape)))
    kernel = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (2 * reach + 1, 2 * reach + 1))
    joined = cv2.morphologyEx(strong, cv2.MORPH_CLOSE, kernel)
    count, labels, stats, _ = cv2.connectedComponentsWithStats(joined, connectivity=8)
    energy = np.bincount(labels.ravel(), weights=(magnitude * strong).ravel(), minlength=count)
    energy[0] = 0
    label = int(np.argmax(energy))
    left, top, width, height = stats[label, :4]
    return int(top), int(left), int(top + height), int(left + width)
