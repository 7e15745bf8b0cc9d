"""Masks: binarising, measuring, growing, scaling and finding the regions to repaint."""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

MIN_ALPHA = 16
"""Alpha (of 255) from which a transparent mask's pixel counts: about 6 % opacity.

Anti-aliased brush edges fade out over a pixel or two and should be repainted with the
stroke, so the cut is low; the 1-5 alpha haze a soft brush or a blur leaves across a layer
should not turn into one big mask, so it is not zero.
"""

LARGE_MASK_SHARE = 0.9
"""A mask covering more than this share of the image is most likely inverted or read from
hidden colour: the CLI refuses it unless told otherwise, the app asks first."""


def binarize(pixels: np.ndarray, alpha: np.ndarray | None = None) -> np.ndarray:
    """The one rule that turns a mask file's pixels into an (H, W) bool mask.

    A mask with a meaningful alpha channel (one that is below opaque somewhere) is what is
    visible: alpha of at least `MIN_ALPHA`. The colour under transparent pixels is invisible
    in every paint program, so it never counts: white strokes on a transparent layer whose
    hidden colour is white must not mark the whole picture. Otherwise (no alpha, or fully
    opaque) any non-zero pixel marks something to remove, as brushes and exported masks
    expect.

    Args:
        pixels: (H, W) or (H, W, C) unsigned integers, 8 or 16 bits.
        alpha: (H, W) of the same dtype, or None.
    """
    if alpha is not None:
        top = np.iinfo(alpha.dtype).max
        if (alpha < top).any():
            # 257 maps 8-bit alpha onto 16 bits, so the cut is the same opacity at any depth.
            return alpha >= MIN_ALPHA * (top // 255)
    if pixels.ndim == 3:
        pixels = pixels.max(axis=2)
    return pixels > 0


def coverage(mask: np.ndarray) -> float:
    """The share of the image a mask covers, 0.0 to 1.0 (0.0 for an empty image)."""
    return float(mask.mean()) if mask.size else 0.0


def is_large(mask: np.ndarray) -> bool:
    """True when a mask covers more than `LARGE_MASK_SHARE` of its image."""
    return coverage(mask) > LARGE_MASK_SHARE


def dilate(mask: np.ndarray, pixels: int) -> np.ndarray:
    """Grow the mask by `pixels` with a round kernel, so halos and soft edges are covered."""
    if pixels <= 0 or not mask.any():
        return mask
    size = 2 * pixels + 1
    kernel = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (size, size))
    return cv2.dilate(mask.astype(np.uint8), kernel).astype(bool)


def connected_to(candidates: np.ndarray, seeds: np.ndarray) -> np.ndarray:
    """(H, W) bool: the 8-connected parts of `candidates` that hold a pixel of `seeds`.

    Hysteresis, as edge detection does it: faint pixels count only where they join
    something certain (a watermark's rim its core, a letter's outline its fill).
    """
    count, labels = cv2.connectedComponents(candidates.astype(np.uint8), connectivity=8)
    seeded = np.zeros(count, bool)
    seeded[labels[seeds]] = True
    seeded[0] = False
    return seeded[labels]


def resize_mask(mask: np.ndarray, height: int, width: int) -> np.ndarray:
    """Scale a mask to another image size, for one mask serving a batch of other sizes.

    Enlarging samples the nearest pixel, which keeps the mask binary. Shrinking marks every
    pixel the mask partly covers: nearest-neighbour would skip thin strokes, and a picture
    whose mask vanished would be reported done with the watermark still there.
    """
    if mask.shape == (height, width):
        return mask
    if height < mask.shape[0] or width < mask.shape[1]:
        share = cv2.resize(mask.astype(np.float32), (width, height), interpolation=cv2.INTER_AREA)
        return share > 0
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
