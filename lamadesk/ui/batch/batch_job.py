"""Batch progress as typed events, for the batch panel's two progress bars."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from lamadesk.core.batch import BatchRequest, BatchSummary, FileOutcome, run_batch
from lamadesk.core.cancel import CancelToken
from lamadesk.core.models.base import InpaintBackend
from lamadesk.ui.jobs.runner import ProgressSink


@dataclass(frozen=True)
class FileStarted:
    """Work on file `index` begins."""

    index: int
    path: Path


@dataclass(frozen=True)
class FileSteps:
    """`done` of the current file's `total` model calls are finished (see `StepCallback`)."""

    index: int
    done: int
    total: int


@dataclass(frozen=True)
class FileDone:
    """File `index` is written or skipped; `outcome` says which and why."""

    index: int
    outcome: FileOutcome


def run_batch_with_events(
    request: BatchRequest, backend: InpaintBackend, sink: ProgressSink, token: CancelToken
) -> BatchSummary:
    """Run the core batch, sending `FileStarted`/`FileSteps`/`FileDone` to `sink`."""
    return run_batch(
        request,
        backend,
        on_file_started=lambda index, path: sink(FileStarted(index, path)),
        on_file_done=lambda index, outcome: sink(FileDone(index, outcome)),
        token=token,
        on_file_step=lambda index, done, total: sink(FileSteps(index, done, total)),
    )
