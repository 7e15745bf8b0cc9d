"""Masks: binarising, growing, scaling and finding the regions to repaint."""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np


def binarize(gray: np.ndarray) -> np.ndarray:
    """Any non-zero pixel marks something to remove, as brushes and exported masks expect."""
    if gray.ndim == 3:
        gray = gray.max(axis=2)
    return gray > 0


def dilate(mask: np.ndarray, pixels: int) -> np.ndarray:
    """Grow the mask by `pixels` with a round kernel, so halos and soft edges are covered."""
    if pixels <= 0 or not mask.any():
        return mask
    size = 2 * pixels + 1
    kernel = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (size, size))
    return cv2.dilate(mask.astype(np.uint8), kernel).astype(bool)


def resize_mask(mask: np.ndarray, height: int, width: int) -> np.ndarray:
    """Scale a mask to another image size.

    Nearest-neighbour keeps it binary; used when one mask serves a batch of other sizes.
    """
    if mask.shape == (height, width):
        return mask
    scaled = cv2.resize(mask.astype(np.uint8), (width, height), interpolation=cv2.INTER_NEAREST)
    return scaled.astype(bool)


@dataclass(frozen=True)
class Box:
    """A half-open pixel rectangle: rows `top:bottom`, columns `left:right`."""

    top: int
    left: int
    bottom: int
    right: int

    @property
    def height(self) -> int:
        return self.bottom - self.top

    @property
    def width(self) -> int:
        return self.right - self.left

    def grown(self, margin: int, height: int, width: int) -> Box:
        """This box plus `margin` on every side, clipped to the image."""
        return Box(
            max(0, self.top - margin),
            max(0, self.left - margin),
            min(height, self.bottom + margin),
            min(width, self.right + margin),
        )

    def overlaps(self, other: Box) -> bool:
        return (
            self.top < other.bottom
            and other.top < self.bottom
            and self.left < other.right
            and other.left < self.right
        )

    def union(self, other: Box) -> Box:
        return Box(
            min(self.top, other.top),
            min(self.left, other.left),
            max(self.bottom, other.bottom),
            max(self.right, other.right),
        )

    def slices(self) -> tuple[slice, slice]:
        return slice(self.top, self.bottom), slice(self.left, self.right)


def region_boxes(mask: np.ndarray, margin: int) -> list[Box]:
    """Boxes around each connected mask region, grown by `margin` and merged while any overlap.

    Merging overlapping context boxes means no pixel is repainted by two crops, so there are
    no seams between neighbouring crops.
    """
    height, width = mask.shape
    count, _labels, stats, _centroids = cv2.connectedComponentsWithStats(
        mask.astype(np.uint8), connectivity=8
    )
    boxes = [
        Box(int(y), int(x), int(y + h), int(x + w)).grown(margin, height, width)
        for x, y, w, h, _area in stats[1:count]
    ]
    return _merge_overlapping(boxes)


def _merge_overlapping(boxes: list[Box]) -> list[Box]:
    """Union boxes until no two overlap (a union can reach a box neither part touched)."""
    merged = list(boxes)
    changed = True
    while changed:
        changed = False
        for i, first in enumerate(merged):
            for j in range(i + 1, len(merged)):
                if first.overlaps(merged[j]):
                    merged[i] = first.union(merged.pop(j))
                    changed = True
                    break
            if changed:
                break
    return sorted(merged, key=lambda box: (box.top, box.left))
