"""The one loaded inpainting backend, and the jobs that use it.

Loading (device probe, then torch and the model) runs as a job after the window is shown, so
torch never loads on the GUI thread. The backend is loaded once and reused by every removal
and batch; choosing another device or model queues a reload. All jobs of the engine share one
`JobRunner`, so a removal asked for during loading simply runs after it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from PySide6.QtCore import QCoreApplication, QObject, Signal

from lamadesk.core.batch import BatchRequest
from lamadesk.core.cancel import CancelToken
from lamadesk.core.diagnostics import DeviceReport, diagnose
from lamadesk.core.errors import ModelLoadError
from lamadesk.core.model_store import ModelStore
from lamadesk.core.models.base import InpaintBackend
from lamadesk.core.models.registry import AUTO, open_model, preferred_model
from lamadesk.core.pipeline import InpaintOptions, InpaintResult, inpaint
from lamadesk.ui.batch.batch_job import run_batch_with_events
from lamadesk.ui.jobs.runner import Job, JobHandlers, JobRunner, ProgressSink, step_sink
from lamadesk.ui.models.engine_texts import device_name
from lamadesk.ui.models.load_outcome import LoadOutcome

log = logging.getLogger(__name__)

Diagnose = Callable[[str], DeviceReport]


@dataclass(frozen=True)
class ReportReady:
    """Progress payload of a load job: the probe is done, the model loads next."""

    report: DeviceReport


class EngineController(QObject):
    """Owns the device report and the loaded backend; starts jobs that need them."""

    report_changed = Signal(object)
    load_started = Signal()
    """A (re)load begins: the backend in use is about to be replaced."""
    backend_changed = Signal(object)
    load_failed = Signal(object)
    status_changed = Signal(object)
    """What the engine is doing, as a `Wording` (worded again when the language changes)."""

    def __init__(
        self,
        runner: JobRunner,
        store: ModelStore,
        diagnose_device: Diagnose = diagnose,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.runner = runner
        self.store = store
        self._diagnose = diagnose_device
        self._report: DeviceReport | None = None
        self._outcome: LoadOutcome | None = None
        self._device = "auto"
        self._choice = AUTO

    @property
    def report(self) -> DeviceReport | None:
        return self._report

    @property
    def outcome(self) -> LoadOutcome | None:
        return self._outcome

    @property
    def device(self) -> str:
        return self._device

    def load(self, device: str, choice: str) -> Job:
        """Queue probing the device and loading the model on it (again)."""
        self._device, self._choice = device, choice
        self.status_changed.emit(
            lambda: QCoreApplication.translate(
                "EngineController", "Checking devices and loading PyTorch…"
            )
        )
        return self.runner.submit(
            Job("load", self._load_function(device, choice)),
            JobHandlers(
                started=self.load_started.emit,
                progressed=self._on_progress,
                succeeded=self._on_succeeded,
                failed=self.load_failed.emit,
            ),
        )

    def _load_function(self, device: str, choice: str) -> Callable[..., object]:
        store, probe = self.store, self._diagnose

        def load(sink: ProgressSink, token: CancelToken) -> LoadOutcome:
            report = probe(device)
            sink(ReportReady(report))
            token.raise_if_cancelled()
            return LoadOutcome(open_model(choice, store, device, report=report))

        return load

    def inpaint(
        self,
        rgb: np.ndarray,
        mask: np.ndarray,
        options: InpaintOptions,
        handlers: JobHandlers | None = None,
    ) -> Job:
        """Queue one removal with the loaded backend; its events go to `handlers`."""

        def run(sink: ProgressSink, token: CancelToken) -> InpaintResult:
            return inpaint(
                rgb, mask, self._backend(), options, token=token, on_step=step_sink(sink)
            )

        return self.runner.submit(Job("inpaint", run), handlers)

    def batch(self, request: BatchRequest, handlers: JobHandlers | None = None) -> Job:
        """Queue a batch with the loaded backend; `handlers` get batch events as progress."""

        def run(sink: ProgressSink, token: CancelToken) -> object:
            return run_batch_with_events(request, self._backend(), sink, token)

        return self.runner.submit(Job("batch", run), handlers)

    def _backend(self) -> InpaintBackend:
        """The loaded backend; read on the worker thread when the job starts."""
        if self._outcome is None:
            raise ModelLoadError(
                self.store.path(preferred_model().name), "no inpainting backend could be loaded"
            )
        return self._outcome.opened.backend

    def _on_progress(self, payload: object) -> None:
        if isinstance(payload, ReportReady):
            self._report = payload.report
            self.report_changed.emit(payload.report)
            device = device_name(payload.report.selected_device)
            self.status_changed.emit(
                lambda: QCoreApplication.translate(
                    "EngineController", "Loading the model on {device}…"
                ).format(device=device)
            )

    def _on_succeeded(self, result: object) -> None:
        if isinstance(result, LoadOutcome):
            self._outcome = result
            self.backend_changed.emit(result)
