"""Finding text in many files: the batch detection and the planner for `remove --text-mask`."""

from __future__ import annotations

import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from lamadesk.core.batch import Planner, RepairPlan
from lamadesk.core.cancel import CancelToken
from lamadesk.core.errors import JobCancelled, LamadeskError
from lamadesk.core.image_io import read_image
from lamadesk.core.models.ppocr.detector import (
    DEFAULT_SETTINGS,
    TextDetection,
    TextDetector,
    TextSettings,
)
from lamadesk.core.notes import Note, NoteKind


@dataclass(frozen=True, eq=False)
class FileTextDetection:
    """What the search found in one file.

    Attributes:
        source: The file.
        detection: What was found, masks in the displayed (EXIF-rotated) orientation; None if
            the file could not be read.
        error: Why the file could not be searched; None when `detection` is set.
        seconds: Reading and searching this file.
    """

    source: Path
    detection: TextDetection | None
    error: LamadeskError | None
    seconds: float


def detect_text_in_files(
    sources: Sequence[Path],
    detector: TextDetector,
    settings: TextSettings = DEFAULT_SETTINGS,
    token: CancelToken | None = None,
) -> Iterator[FileTextDetection]:
    """Search each file in order and yield its result; one bad file never stops the others.

    A generator, so only one picture's masks are held at a time (a folder of 12 MP scans would
    otherwise take gigabytes); the caller writes or shows each result as it comes.

    Raises:
        JobCancelled: `token` was cancelled; raised before the next file or between the
            network and the stroke step of the current one.
    """
    for source in sources:
        if token is not None:
            token.raise_if_cancelled()
        started = time.perf_counter()
        try:
            image = read_image(source)
            detection = detector.detect(image.rgb, settings, token=token)
        except JobCancelled:
            raise
        except LamadeskError as exc:
            yield FileTextDetection(source, None, exc, time.perf_counter() - started)
            continue
        yield FileTextDetection(source, detection, None, time.perf_counter() - started)


def text_planner(detector: TextDetector, settings: TextSettings = DEFAULT_SETTINGS) -> Planner:
    """A batch `Planner` that inpaints the text found in each picture.

    A picture without text gets an empty mask: like an empty brushed mask, the file is written
    unchanged (and says so), so the output folder still holds every photo of the batch.
    """

    def plan(source: Path, rgb: np.ndarray) -> RepairPlan:
        found = detector.detect(rgb, settings)
        count = len(found.regions)
        note = (
            Note(NoteKind.TEXT_FOUND, {"count": count, "seconds": found.seconds})
            if count
            else Note(NoteKind.NO_TEXT_FOUND)
        )
        unchanged = np.zeros(found.mask.shape, bool)
        return RepairPlan(rgb, found.mask, unchanged, (note,))

    return plan
