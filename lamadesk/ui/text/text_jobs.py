"""The text detector, loaded once off the GUI thread, and the jobs that run it.

`TextDetectors` holds the core's `TextDetector` for the whole app run: the first search
loads it on the worker thread (a second or two), later searches and batches reuse it. Jobs
run one at a time on the engine's runner, which is what the detector (not thread-safe) needs.
Tests pass a factory that returns a fake with the same `detect` method.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import numpy as np

from lamadesk.core.cancel import CancelToken, ProgressCallback
from lamadesk.core.model_store import ModelStore
from lamadesk.core.models.ppocr import (
    FileTextDetection,
    TextDetection,
    TextSettings,
    detect_text_in_files,
)
from lamadesk.core.models.registry import open_text_detector
from lamadesk.ui.jobs.runner import Job, JobProgress, ProgressSink, percent_sink

FIND_TEXT_KIND = "find-text"
FIND_TEXT_IN_FILES_KIND = "find-text-in-files"


class TextFinder(Protocol):
    """What the UI needs of a detector (the core's `TextDetector`, or a test's fake)."""

    def detect(
        self,
        rgb: np.ndarray,
        settings: TextSettings = ...,
        *,
        token: CancelToken | None = None,
        on_progress: ProgressCallback = ...,
    ) -> TextDetection: ...


def _open_registered() -> TextFinder:
    """The registry's text detector (its weights ship with the app: no store is consulted)."""
    return open_text_detector(ModelStore())


class TextDetectors:
    """Opens the detector on first use (on the worker thread) and keeps it.

    Args:
        open_detector: Loads the detector; raises the core's typed errors (missing weights).
    """

    def __init__(self, open_detector: Callable[[], TextFinder] = _open_registered) -> None:
        self._open = open_detector
        self._detector: TextFinder | None = None

    @property
    def fallback_reason(self) -> str | None:
        """Why the loaded detector runs on OpenCV instead of OpenVINO (None: it does not).

        Read on the GUI thread after a job ended; a fake without the attribute has none.
        """
        return getattr(self._detector, "fallback_reason", None)

    def get(self, sink: ProgressSink) -> TextFinder:
        """The detector, loaded now if it is not yet; call on the worker thread only."""
        if self._detector is None:
            sink(JobProgress(0, "loading the text detector"))
            self._detector = self._open()
        return self._detector


def find_text_job(detectors: TextDetectors, rgb: np.ndarray, settings: TextSettings) -> Job:
    """Finds the text in one picture (the open image's pixels, copied by the caller)."""

    def run(sink: ProgressSink, token: CancelToken) -> TextDetection:
        detector = detectors.get(sink)
        token.raise_if_cancelled()
        return detector.detect(rgb, settings, token=token, on_progress=percent_sink(sink))

    return Job(FIND_TEXT_KIND, run)


@dataclass(frozen=True)
class FileSearched:
    """Progress of a batch search: file `index` of `total` is done (its result attached)."""

    index: int
    total: int
    result: FileTextDetection


def find_text_in_files_job(
    detectors: TextDetectors, sources: Sequence[Path], settings: TextSettings
) -> Job:
    """Searches every file in order; each file's result goes out as a `FileSearched`.

    The results travel with the progress, so a cancel leaves every row searched so far
    with its true result; the job returns how many files were searched.
    """
    paths = tuple(sources)

    def run(sink: ProgressSink, token: CancelToken) -> int:
        detector = detectors.get(sink)
        done = 0
        # The core takes a `TextDetector`; the protocol is what it calls of it.
        for result in detect_text_in_files(paths, detector, settings, token):  # type: ignore[arg-type]
            sink(FileSearched(done, len(paths), result))
            done += 1
        return done

    return Job(FIND_TEXT_IN_FILES_KIND, run)
