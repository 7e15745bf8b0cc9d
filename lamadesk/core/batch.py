"""Removing one mask from many files: what `lamadesk-cli remove` and the app's batch run."""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from lamadesk.core import masks
from lamadesk.core.cancel import (
    CancelToken,
    ProgressCallback,
    StepCallback,
    ignore_progress,
    ignore_steps,
)
from lamadesk.core.errors import JobCancelled, LamadeskError, OutputExistsError
from lamadesk.core.image_io import (
    OutputFormat,
    plan_output,
    read_image,
    write_image,
)
from lamadesk.core.models.base import InpaintBackend
from lamadesk.core.notes import Note, NoteKind
from lamadesk.core.output_names import ExistingOutputs, PlannedOutput, plan_outputs
from lamadesk.core.pipeline import InpaintOptions, inpaint

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class FileOutcome:
    """What happened to one input file.

    Attributes:
        source: The input file.
        output: The file written; if `exists`, the existing file that was left alone.
        error: Why the file failed (the core error, with its facts), None if it was written
            or skipped. `str(error)` is the English sentence for the CLI and the log.
        notes: What differs from the source, and a changed output name.
        seconds: Time spent on this file.
        skipped: Not processed: its output existed and `ExistingOutputs.SKIP` was chosen.
        exists: Failed or skipped because its output exists (say how to replace or keep it).
    """

    source: Path
    output: Path | None
    error: LamadeskError | None
    notes: tuple[Note, ...]
    seconds: float
    skipped: bool = False
    exists: bool = False

    @property
    def ok(self) -> bool:
        """Written or skipped: nothing went wrong."""
        return self.error is None


@dataclass(frozen=True, eq=False)
class RepairPlan:
    """What to do to one picture before inpainting, and what is left to inpaint."""

    rgb: np.ndarray = field(repr=False)
    """The picture with any repair already done (e.g. a watermark's blend undone)."""
    mask: np.ndarray = field(repr=False)
    """(H, W) bool: the pixels still to inpaint."""
    changed: np.ndarray = field(repr=False)
    """(H, W) bool: the pixels the repair itself changed (kept when the file is written)."""
    notes: tuple[Note, ...] = ()


Planner = Callable[[Path, np.ndarray], RepairPlan]
"""Given a source and its RGB pixels, the plan for it; raises a LamadeskError to skip it."""


def same_mask(mask: np.ndarray) -> Planner:
    """One (H, W) bool mask for every picture, scaled to pictures of another size."""

    def plan(source: Path, rgb: np.ndarray) -> RepairPlan:
        height, width = rgb.shape[:2]
        notes: tuple[Note, ...] = ()
        scaled = mask
        if mask.shape != (height, width):
            sizes = {"mask_width": mask.shape[1], "mask_height": mask.shape[0]}
            notes = (Note(NoteKind.MASK_SCALED, {**sizes, "width": width, "height": height}),)
            scaled = masks.resize_mask(mask, height, width)
        return RepairPlan(rgb, scaled, np.zeros((height, width), bool), notes)

    return plan


@dataclass(frozen=True, eq=False)
class BatchRequest:
    """Everything a batch needs besides the backend."""

    sources: tuple[Path, ...]
    planner: Planner = field(repr=False)
    """Says per picture what to inpaint (`same_mask` for one brushed mask)."""
    out_dir: Path
    options: InpaintOptions = field(default_factory=InpaintOptions)
    fmt: OutputFormat = OutputFormat.SAME
    existing: ExistingOutputs = ExistingOutputs.FAIL
    """What to do with outputs that exist, originals in `out_dir` included."""
    subfolders: Mapping[Path, Path] = field(default_factory=dict)
    """Sources' subfolders below `out_dir` (`Inputs.subfolders`)."""


def remove_in_file(
    planned: PlannedOutput,
    request: BatchRequest,
    backend: InpaintBackend,
    on_progress: ProgressCallback = ignore_progress,
    token: CancelToken | None = None,
    on_step: StepCallback = ignore_steps,
) -> FileOutcome:
    """Read, inpaint and write one file to its planned name, by `request.existing`.

    An output that exists is failed or skipped before any work; one that appears while
    working (another run) is never replaced unless the request says OVERWRITE. Expected
    failures become the outcome's error.

    Raises:
        JobCancelled: the batch was cancelled; the file was not written.
    """
    started = time.perf_counter()
    source, destination = planned.source, planned.destination
    notes: list[Note] = [planned.note] if planned.note else []
    overwrite = request.existing is ExistingOutputs.OVERWRITE
    if not overwrite and os.path.lexists(destination):
        return _existing_output(planned, request.existing, notes, started)
    try:
        image = read_image(source)
        notes.extend(image.notes)
        plan = request.planner(source, image.rgb)
        notes.extend(plan.notes)
        rgb, changed = plan.rgb, plan.changed
        if plan.mask.any() or not changed.any():
            result = inpaint(rgb, plan.mask, backend, request.options, on_progress, token, on_step)
            notes.extend(result.notes)
            rgb, changed = result.rgb, changed | result.mask
        if token is not None:
            token.raise_if_cancelled()
        edited = image.with_pixels(rgb, changed)
        written = write_image(edited, destination, fmt=request.fmt, overwrite=overwrite)
        notes.extend(plan_output(edited, request.fmt).notes)
    except JobCancelled:
        raise
    except OutputExistsError:
        return _existing_output(planned, request.existing, notes, started)
    except LamadeskError as exc:
        log.info("%s: %s", source, exc)
        return FileOutcome(source, None, exc, tuple(notes), time.perf_counter() - started)
    return FileOutcome(source, written, None, tuple(notes), time.perf_counter() - started)


def _existing_output(
    planned: PlannedOutput, existing: ExistingOutputs, notes: list[Note], started: float
) -> FileOutcome:
    seconds = time.perf_counter() - started
    if existing is ExistingOutputs.SKIP:
        log.info("%s: skipped, %s exists", planned.source, planned.destination)
        return FileOutcome(
            planned.source,
            planned.destination,
            None,
            tuple(notes),
            seconds,
            skipped=True,
            exists=True,
        )
    error = OutputExistsError(planned.destination)
    log.info("%s: %s", planned.source, error)
    return FileOutcome(
        planned.source, planned.destination, error, tuple(notes), seconds, exists=True
    )


@dataclass(frozen=True)
class BatchSummary:
    """All outcomes of a batch, for the closing report."""

    outcomes: tuple[FileOutcome, ...]
    seconds: float
    cancelled: bool

    @property
    def failed(self) -> tuple[FileOutcome, ...]:
        return tuple(outcome for outcome in self.outcomes if not outcome.ok)

    @property
    def done(self) -> tuple[FileOutcome, ...]:
        return tuple(outcome for outcome in self.outcomes if outcome.ok and not outcome.skipped)

    @property
    def skipped(self) -> tuple[FileOutcome, ...]:
        return tuple(outcome for outcome in self.outcomes if outcome.skipped)


def run_batch(
    request: BatchRequest,
    backend: InpaintBackend,
    on_file_started: Callable[[int, Path], None] = lambda index, path: None,
    on_file_done: Callable[[int, FileOutcome], None] = lambda index, outcome: None,
    token: CancelToken | None = None,
    on_file_progress: Callable[[int, int, str], None] = lambda index, percent, message: None,
    on_file_step: Callable[[int, int, int], None] = lambda index, done, total: None,
) -> BatchSummary:
    """Process every source in order; one bad file never stops the others.

    Every output name is planned first (`plan_outputs`), so two sources never write one file.
    A cancel stops before the next file, or before the next model call of the current one
    (which is then not written), and the summary says so; files already written stay written.
    `on_file_step` hears `(index, done, total)` model calls of the current file.
    """
    started = time.perf_counter()
    outcomes: list[FileOutcome] = []
    cancelled = False
    plan = plan_outputs(request.sources, request.out_dir, request.fmt, request.subfolders)
    for index, planned in enumerate(plan):
        try:
            if token is not None:
                token.raise_if_cancelled()
            on_file_started(index, planned.source)
            outcome = remove_in_file(
                planned,
                request,
                backend,
                on_progress=lambda percent, message, i=index: on_file_progress(i, percent, message),
                token=token,
                on_step=lambda done, total, i=index: on_file_step(i, done, total),
            )
        except JobCancelled:
            cancelled = True
            break
        outcomes.append(outcome)
        on_file_done(index, outcome)
    return BatchSummary(tuple(outcomes), time.perf_counter() - started, cancelled)
