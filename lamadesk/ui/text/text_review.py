"""What a person reviews after "Find text in all": per file, the text found and their fixes.

No widgets here. Each file's result arrives as the search goes (`add`), so a cancelled
search still reviews the files it finished; masks are kept packed (`PackedMask`), never a
whole detection, so a folder of large scans stays cheap. `planner` gives the batch each
file's own mask: the person's correction, else the text found.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from lamadesk.core.batch import Planner, RepairPlan
from lamadesk.core.errors import LamadeskError
from lamadesk.core.masks import resize_mask
from lamadesk.core.models.ppocr import FileTextDetection
from lamadesk.ui.batch.mask_review import Corrections, Finding, PackedMask
from lamadesk.ui.errors import file_reason


@dataclass(frozen=True)
class _Result:
    count: int
    mask: PackedMask | None
    error: LamadeskError | None


class TextReview:
    """One text search over the list, and the person's corrections, keyed by file."""

    def __init__(self, sources: Sequence[Path]) -> None:
        self.sources = tuple(sources)
        self._results: dict[Path, _Result] = {}
        self._corrections = Corrections()

    def add(self, found: FileTextDetection) -> None:
        """Take one file's result as the search delivers it."""
        detection = found.detection
        if detection is None:
            self._results[found.source] = _Result(0, None, found.error)
        else:
            packed = PackedMask.pack(detection.mask)
            self._results[found.source] = _Result(len(detection.regions), packed, None)

    def finding(self, path: Path) -> Finding:
        """What the search says about `path` (FOUND: some text; NOT_FOUND: none)."""
        result = self._results.get(path)
        if result is None:
            return Finding.NOT_SEARCHED
        if result.mask is None:
            return Finding.UNREADABLE
        return Finding.FOUND if result.count else Finding.NOT_FOUND

    def count(self, path: Path) -> int:
        """How many text lines were found in `path`."""
        result = self._results.get(path)
        return 0 if result is None else result.count

    def failure(self, path: Path) -> str:
        """Why `path` could not be searched: the reason alone, without the path."""
        result = self._results.get(path)
        return "" if result is None or result.error is None else file_reason(result.error)

    def found_count(self) -> int:
        return sum(self.finding(path) is Finding.FOUND for path in self.sources)

    def searched_count(self) -> int:
        return len(self._results)

    def can_review(self, path: Path) -> bool:
        """Whether `path` has a mask to show (it was searched and read)."""
        return self.finding(path) in (Finding.FOUND, Finding.NOT_FOUND)

    def detected_mask(self, path: Path, shape: tuple[int, int]) -> np.ndarray:
        result = self._results.get(path)
        if result is None or result.mask is None:
            return np.zeros(shape, bool)
        return _fit(result.mask.unpack(), shape)

    def mask(self, path: Path, shape: tuple[int, int]) -> np.ndarray:
        """The mask to show for `path`: the person's correction, else the text found."""
        corrected = self._corrections.get(path, shape)
        return corrected if corrected is not None else self.detected_mask(path, shape)

    def remember(self, path: Path, mask: np.ndarray) -> bool:
        """Keep `mask` as the correction of `path` unless it is the text found."""
        if not self.can_review(path):
            return False
        return self._corrections.remember(path, mask, self.detected_mask(path, mask.shape))

    def is_corrected(self, path: Path) -> bool:
        return path in self._corrections

    def planner(self, only: Sequence[Path]) -> Planner:
        """The batch planner for the files in `only`: each with its own mask.

        The masks are taken now, so brushing another file while the batch runs changes
        nothing the worker reads.
        """
        masks: dict[Path, PackedMask] = {}
        for path in only:
            result = self._results.get(path)
            if result is not None and result.mask is not None:
                corrected = self._corrections.get(path, result.mask.shape)
                masks[path] = result.mask if corrected is None else PackedMask.pack(corrected)

        def plan(source: Path, rgb: np.ndarray) -> RepairPlan:
            height, width = rgb.shape[:2]
            packed = masks.get(source)
            mask = np.zeros((height, width), bool) if packed is None else packed.unpack()
            return RepairPlan(rgb, _fit(mask, (height, width)), np.zeros((height, width), bool))

        return plan


def _fit(mask: np.ndarray, shape: tuple[int, int]) -> np.ndarray:
    """`mask` at `shape` (the same file, changed on disk since the search, is rescaled)."""
    return mask if mask.shape == shape else resize_mask(mask, *shape)
