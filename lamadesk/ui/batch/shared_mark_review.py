"""What a person reviews after "Find shared watermark": per file, the mark found and their fixes.

No widgets here: `Review` keeps the detection of one search, the masks the person corrected
(`mask_review.Corrections`) and builds the batch planner. `detect_job` is the search
itself, run on the engine's worker thread.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from lamadesk.core.cancel import CancelToken
from lamadesk.core.masks import Box
from lamadesk.core.watermark.detection import Detection, Seed, detect_shared_mark
from lamadesk.core.watermark.files import picture_loader
from lamadesk.core.watermark.removal import SharedMarkPlanner, removal_mask
from lamadesk.ui.batch.mask_review import Corrections, Finding
from lamadesk.ui.errors import file_reason
from lamadesk.ui.jobs.runner import Job, ProgressSink, percent_sink

DETECT_KIND = "detect"
FIT_KIND = "fit"


@dataclass(frozen=True)
class SearchRequest:
    """The files searched, in list order, and the box drawn on one of them (if any)."""

    sources: tuple[Path, ...]
    seed: Seed | None


def seed_from_box(
    sources: Sequence[Path], path: Path | None, top: int, left: int, height: int, width: int
) -> Seed | None:
    """A seed for the search from a box drawn on `path`, when `path` is one of `sources`."""
    if path is None or path not in sources or height <= 0 or width <= 0:
        return None
    return Seed(list(sources).index(path), Box(top, left, top + height, left + width))


def detect_job(request: SearchRequest) -> Job:
    """Reads the files on the worker thread and finds the mark they share."""
    sources, seed = request.sources, request.seed

    def run(sink: ProgressSink, token: CancelToken) -> Detection:
        return detect_shared_mark(
            picture_loader(sources), len(sources), seed, percent_sink(sink), token
        )

    return Job(DETECT_KIND, run)


def fit_job(planner: SharedMarkPlanner) -> Job:
    """Fits the mark's opacity and colour before the batch, so that step shows on its own.

    The planner would otherwise do it inside the first file, which then sits at 0 % for
    seconds (more on large marks).
    """

    def run(sink: ProgressSink, token: CancelToken) -> object:
        return planner.prepare(percent_sink(sink), token)

    return Job(FIT_KIND, run)


class Review:
    """One search's result and the person's corrections, keyed by file."""

    def __init__(self, request: SearchRequest, detection: Detection) -> None:
        self.request = request
        self.detection = detection
        self._index = {source: index for index, source in enumerate(request.sources)}
        self._corrections = Corrections()

    @property
    def sources(self) -> tuple[Path, ...]:
        return self.request.sources

    def finding(self, path: Path) -> Finding:
        index = self._index.get(path)
        if index is None:
            return Finding.NOT_SEARCHED
        if self.detection.placements[index] is None:
            return Finding.UNREADABLE
        return Finding.FOUND if self.detection.found_in(index) else Finding.NOT_FOUND

    def confidence(self, path: Path) -> float:
        """The match score of the mark in `path` (0 when it was not read or searched)."""
        index = self._index.get(path)
        placement = None if index is None else self.detection.placements[index]
        return 0.0 if placement is None else placement.confidence

    def failure(self, path: Path) -> str:
        """Why `path` could not be read: the reason alone, without the path the list shows."""
        index = self._index.get(path)
        error = None if index is None else self.detection.failures.get(index)
        if error is None:
            return ""
        return file_reason(error)

    def found_count(self) -> int:
        return sum(self.finding(path) is Finding.FOUND for path in self.sources)

    def readable_count(self) -> int:
        return sum(self.finding(path) is not Finding.UNREADABLE for path in self.sources)

    def detected_mask(self, path: Path, shape: tuple[int, int]) -> np.ndarray:
        """The pixels the removal takes the mark from when nobody corrects them.

        The core's `removal_mask`, so what the canvas shows is exactly what "Remove" works
        on; empty where the mark was not found.
        """
        if self.finding(path) is not Finding.FOUND:
            return np.zeros(shape, bool)
        return removal_mask(self.detection, self._index[path], shape)

    def mask(self, path: Path, shape: tuple[int, int]) -> np.ndarray:
        """The mask to show for `path`: the person's correction, else the detected one."""
        corrected = self._corrections.get(path, shape)
        return corrected if corrected is not None else self.detected_mask(path, shape)

    def remember(self, path: Path, mask: np.ndarray) -> bool:
        """Keep `mask` as the correction of `path` unless it is the detected one.

        Returns:
            Whether `path` now counts as corrected.
        """
        if path not in self._index:
            return False
        return self._corrections.remember(path, mask, self.detected_mask(path, mask.shape))

    def is_corrected(self, path: Path) -> bool:
        return path in self._corrections

    def corrections(self) -> Mapping[Path, np.ndarray]:
        return self._corrections.unpacked()

    def planner(self, deblend: bool, only: Sequence[Path]) -> SharedMarkPlanner:
        """The batch planner for this search; corrections of files in `only` go along."""
        corrected = dict(self._corrections.unpacked(only))
        return SharedMarkPlanner(self.sources, self.detection, deblend, corrected)
