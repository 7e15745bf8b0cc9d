"""Running blocking core functions off the GUI thread (STYLE §3).

A `JobWorker` (a QObject moved to its own QThread) calls one job function; the GUI-thread
`JobRunner` owns thread and worker, runs jobs one after another in submission order and relays
their outcome. Whoever submits a job passes its `JobHandlers`: the runner calls them for that
job alone, so no listener has to pick its own jobs out by kind or id (superqt's workers carry
their own signals the same way). The runner's signals (any job) remain for what concerns every
job: busy state, tests. Both come on the GUI thread, only after the job's thread has stopped.
"""

from __future__ import annotations

import itertools
import logging
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field

from PySide6.QtCore import QObject, QThread, Signal, Slot

from lamadesk.core.cancel import CancelToken
from lamadesk.core.errors import JobCancelled

log = logging.getLogger(__name__)

ProgressSink = Callable[[object], None]
"""Receives progress payloads (`JobProgress`, a core `TransferProgress`, batch events)."""

JobFunction = Callable[[ProgressSink, CancelToken], object]
"""The blocking work: gets a progress sink and a cancel token, returns the result."""

_ids = itertools.count(1)


@dataclass(frozen=True)
class JobProgress:
    """A percentage and the core's short English description of the step (for the log)."""

    percent: int
    message: str


@dataclass(frozen=True)
class StepProgress:
    """Model calls done of all for the image being inpainted (the core's `StepCallback`)."""

    done: int
    total: int


def percent_sink(sink: ProgressSink) -> Callable[[int, str], None]:
    """Adapt the core's ``(percent, message)`` progress callback to a `ProgressSink`."""
    return lambda percent, message: sink(JobProgress(percent, message))


def step_sink(sink: ProgressSink) -> Callable[[int, int], None]:
    """Adapt the core's ``(done, total)`` step callback to a `ProgressSink`."""
    return lambda done, total: sink(StepProgress(done, total))


@dataclass(frozen=True)
class Job:
    """One unit of work; `id` lets its owner drop a result that has gone stale meanwhile.

    `kind` names the job in logs and thread names; nothing routes by it.
    """

    kind: str
    function: JobFunction = field(repr=False)
    id: int = field(default_factory=lambda: next(_ids))


def _ignore(*_args: object) -> None:
    """The handler of an event its submitter does not need."""


@dataclass(frozen=True)
class JobHandlers:
    """What the submitter of one job wants told, on the GUI thread, about that job only.

    `succeeded` gets the result, `failed` the exception, `progressed` each progress payload;
    exactly one of `succeeded`, `failed` and `cancelled` is called, after the job's thread
    has stopped.
    """

    started: Callable[[], object] = _ignore
    progressed: Callable[[object], object] = _ignore
    succeeded: Callable[[object], object] = _ignore
    failed: Callable[[object], object] = _ignore
    cancelled: Callable[[], object] = _ignore


class JobWorker(QObject):
    """Calls the job function on its thread; never touches widgets, pixmaps or settings."""

    progressed = Signal(object)
    succeeded = Signal(object)
    failed = Signal(object)
    cancelled = Signal()

    def __init__(self, job: Job) -> None:
        super().__init__()
        self._job, self._token = job, CancelToken()

    def cancel(self) -> None:
        """Set the flag directly: a queued slot would only run after the job ends."""
        self._token.cancel()

    @Slot()
    def run(self) -> None:
        try:
            result = self._job.function(self.progressed.emit, self._token)
        except JobCancelled:
            self.cancelled.emit()
        except Exception as exc:
            log.info("job %s (%s) failed", self._job.id, self._job.kind, exc_info=True)
            self.failed.emit(exc)
        else:
            self.succeeded.emit(result)


class JobRunner(QObject):
    """Runs jobs one at a time on a fresh QThread each, in submission order.

    The job's handlers are called first, then the runner's signals (which carry the job);
    `succeeded`, `failed` and `cancelled` fire after the job's thread has finished, then the
    next queued job starts.
    """

    started = Signal(object)
    progressed = Signal(object, object)
    succeeded = Signal(object, object)
    failed = Signal(object, object)
    cancelled = Signal(object)
    busy_changed = Signal(bool)

    def __init__(self, name: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._name = name
        self._queue: deque[tuple[Job, JobHandlers]] = deque()
        self._current: tuple[Job, JobHandlers, JobWorker, QThread] | None = None
        self._outcome: tuple[str, object] | None = None
        self._closed = False

    @property
    def busy(self) -> bool:
        return self._current is not None or bool(self._queue)

    @property
    def current_job(self) -> Job | None:
        return None if self._current is None else self._current[0]

    def submit(self, job: Job, handlers: JobHandlers | None = None) -> Job:
        """Queue `job`, whose events go to `handlers`; after `shutdown` it is cancelled."""
        handlers = handlers or JobHandlers()
        if self._closed:
            log.info("%s runner is shut down; job %s (%s) dropped", self._name, job.id, job.kind)
            handlers.cancelled()
            self.cancelled.emit(job)
            return job
        was_busy = self.busy
        self._queue.append((job, handlers))
        if self._current is None:
            self._start_next()
        if not was_busy:
            self.busy_changed.emit(True)
        return job

    def cancel(self, *jobs: Job | None) -> None:
        """Cancel `jobs` (None entries are skipped), or every job when none are named.

        Queued ones are dropped at once; the running one stops at the core's next check.
        """
        every = not jobs
        wanted = {job.id for job in jobs if job is not None}
        dropped = [entry for entry in self._queue if every or entry[0].id in wanted]
        self._queue = deque(entry for entry in self._queue if entry not in dropped)
        for job, handlers in dropped:
            handlers.cancelled()
            self.cancelled.emit(job)
        if self._current is not None and (every or self._current[0].id in wanted):
            self._current[2].cancel()
        if not self.busy:
            self.busy_changed.emit(False)

    def shutdown(self) -> None:
        """Cancel everything and wait for the running job's thread; never terminates it."""
        self._closed = True
        self._queue.clear()
        if self._current is None:
            return
        job, _handlers, worker, thread = self._current
        worker.cancel()
        thread.quit()
        thread.wait()
        self._current = None
        log.debug("%s runner shut down during job %s", self._name, job.id)

    def _start_next(self) -> None:
        if not self._queue:
            return
        job, handlers = self._queue.popleft()
        thread = QThread()
        thread.setObjectName(f"lamadesk-{self._name}-{job.kind}")
        worker = JobWorker(job)
        worker.moveToThread(thread)
        thread.started.connect(worker.run)
        worker.progressed.connect(self._on_progress)
        worker.succeeded.connect(self._on_succeeded)
        worker.failed.connect(self._on_failed)
        worker.cancelled.connect(self._on_cancelled)
        thread.finished.connect(self._on_thread_finished)
        self._current = (job, handlers, worker, thread)
        self._outcome = None
        handlers.started()
        self.started.emit(job)
        thread.start()

    @Slot(object)
    def _on_progress(self, payload: object) -> None:
        if self._current is not None:
            job, handlers = self._current[:2]
            handlers.progressed(payload)
            self.progressed.emit(job, payload)

    @Slot(object)
    def _on_succeeded(self, result: object) -> None:
        self._finish(("succeeded", result))

    @Slot(object)
    def _on_failed(self, error: object) -> None:
        self._finish(("failed", error))

    @Slot()
    def _on_cancelled(self) -> None:
        self._finish(("cancelled", None))

    def _finish(self, outcome: tuple[str, object]) -> None:
        self._outcome = outcome
        if self._current is not None:
            self._current[3].quit()

    @Slot()
    def _on_thread_finished(self) -> None:
        if self._current is None:
            return
        job, handlers, _worker, thread = self._current
        thread.wait()
        self._current = None
        outcome, value = self._outcome or ("cancelled", None)
        if outcome == "succeeded":
            handlers.succeeded(value)
            self.succeeded.emit(job, value)
        elif outcome == "failed":
            handlers.failed(value)
            self.failed.emit(job, value)
        else:
            handlers.cancelled()
            self.cancelled.emit(job)
        self._start_next()
        if not self.busy:
            self.busy_changed.emit(False)
