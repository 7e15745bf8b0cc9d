"""What "Find Text" found on the open image and which of it the person keeps.

No widgets here. A `FoundText` is immutable: keeping or dropping a region makes a new one,
so an undo command can hold the state before and after and the list follows undo and redo.
The mask arithmetic lives here too: the mask with a search applied, with one region dropped
or kept again. A region's pixels that were already masked before the search (brushed by the
person) stay masked when the region is dropped; so do pixels another kept region covers.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import numpy as np

from lamadesk.core.masks import Box
from lamadesk.core.models.ppocr import TextDetection, TextRegion


@dataclass(frozen=True, eq=False)
class FoundText:
    """One search's regions, what was masked under each before it, and the kept ones.

    Attributes:
        detection: The core's result for the open image.
        before: Per region, the (box-sized) bool mask under its box before the search.
        kept: Indices (into `detection.regions`) of the regions in the mask.
    """

    detection: TextDetection
    before: tuple[np.ndarray, ...] = field(repr=False)
    kept: frozenset[int]

    @property
    def regions(self) -> tuple[TextRegion, ...]:
        return self.detection.regions

    def is_kept(self, index: int) -> bool:
        return index in self.kept

    def with_kept(self, index: int, keep: bool) -> FoundText:
        kept = self.kept | {index} if keep else self.kept - {index}
        return replace(self, kept=frozenset(kept))

    def toggled_mask(self, mask: np.ndarray, index: int, keep: bool) -> np.ndarray:
        """`mask` ((H, W) bool, the document's now) with region `index` kept or dropped."""
        region = self.regions[index]
        inside = region.box.slices()
        result = mask.copy()
        if keep:
            result[inside] |= region.pixels
            return result
        dropped = region.pixels & ~self.before[index]
        for other in self.kept - {index}:
            dropped &= ~_placed(self.regions[other], region.box)
        result[inside] &= ~dropped
        return result

    def without_kept(self, mask: np.ndarray) -> np.ndarray:
        """`mask` with every kept region taken out again (before a new search replaces it)."""
        result = mask.copy()
        for index in self.kept:
            region = self.regions[index]
            result[region.box.slices()] &= ~(region.pixels & ~self.before[index])
        return result

    def boxes(self) -> list[Box]:
        return [region.box for region in self.regions]


def apply_search(mask: np.ndarray, detection: TextDetection) -> tuple[np.ndarray, FoundText]:
    """`mask` with every region found added, and the state that remembers what was under them."""
    before = tuple(mask[region.box.slices()].copy() for region in detection.regions)
    result = mask | detection.mask
    return result, FoundText(detection, before, frozenset(range(len(detection.regions))))


def _placed(region: TextRegion, box: Box) -> np.ndarray:
    """`region`'s pixels within `box` (box-sized, False outside the region)."""
    out = np.zeros((box.height, box.width), bool)
    top, left = max(box.top, region.box.top), max(box.left, region.box.left)
    bottom, right = min(box.bottom, region.box.bottom), min(box.right, region.box.right)
    if top < bottom and left < right:
        out[top - box.top : bottom - box.top, left - box.left : right - box.left] = region.pixels[
            top - region.box.top : bottom - region.box.top,
            left - region.box.left : right - region.box.left,
        ]
    return out
