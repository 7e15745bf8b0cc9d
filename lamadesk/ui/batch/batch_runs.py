"""Starting a batch, following it and reporting its end, for the window's batch panel.

The checks that protect people come first: a mask must exist (or a reviewed shared-watermark
search with files checked), the output folder must not hold any of the originals (so
nothing is overwritten, whatever the file names), and when some outputs already exist the
person says what to do with them before any file is processed.

`BatchRuns` gets the collaborators it needs (panel, document, engine, file dialogs, settings,
status reporter, progress bar), never the window; the batch job's own handlers follow it.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QObject, Signal
from PySide6.QtWidgets import QMessageBox, QWidget

from lamadesk.core.batch import BatchRequest, BatchSummary, Planner, same_mask
from lamadesk.core.image_io import OutputFormat
from lamadesk.core.output_names import ExistingOutputs, PlannedOutput, plan_outputs
from lamadesk.core.pipeline import InpaintOptions
from lamadesk.ui.batch.batch_panel import BatchPanel
from lamadesk.ui.batch.existing_outputs import ExistingAnswer, ask_existing_outputs
from lamadesk.ui.batch.shared_mark import SharedMarkController
from lamadesk.ui.canvas.document import Document
from lamadesk.ui.canvas.large_mask import confirm_large_mask
from lamadesk.ui.errors import show_error
from lamadesk.ui.file_dialogs import FileDialogs
from lamadesk.ui.jobs.runner import Job, JobHandlers
from lamadesk.ui.models.engine_controller import EngineController
from lamadesk.ui.settings.store import AppSettings
from lamadesk.ui.status_bar import ProgressIndicator, StatusReporter
from lamadesk.ui.text.text_batch import TextBatchController

translate = QCoreApplication.translate

_POLICIES = {
    ExistingAnswer.OVERWRITE: ExistingOutputs.OVERWRITE,
    ExistingAnswer.SKIP: ExistingOutputs.SKIP,
}
"""The core's policy for the person's answer; FAIL (replace nothing) otherwise."""


class BatchRuns(QObject):
    """Runs the batch panel's list: the questions first, then the job, then the summary."""

    running_changed = Signal(bool)
    """The batch job started (True) or ended (False)."""

    def __init__(
        self,
        parent: QWidget,
        *,
        panel: BatchPanel,
        document: Document,
        shared_mark: SharedMarkController,
        text: TextBatchController,
        engine: EngineController,
        files: FileDialogs,
        settings: AppSettings,
        output_format: Callable[[], OutputFormat],
        options: Callable[[], InpaintOptions],
        status: StatusReporter,
        progress: ProgressIndicator,
    ) -> None:
        super().__init__(parent)
        self._parent, self._panel, self._document = parent, panel, document
        self._shared_mark, self._text, self._engine, self._files = shared_mark, text, engine, files
        self._settings, self._output_format, self._options = settings, output_format, options
        self._status, self._progress = status, progress
        self._job: Job | None = None
        """The batch job queued or running."""
        self._running = False
        panel.run_requested.connect(self.start)
        panel.cancel_requested.connect(self.cancel)

    @property
    def running(self) -> bool:
        """Whether the batch job runs now (not while it waits behind a fit)."""
        return self._running

    def start(self) -> Job | None:
        """Queue the batch of the panel's list; None if it cannot start.

        With a shared-watermark or text search under review, the checked files are cleaned
        with what it found (and the person's corrections); otherwise the current mask goes on
        every file.
        """
        if self._shared_mark.active:
            return self._start_shared_mark_batch()
        if self._text.active:
            return self._start_text_batch()
        document, panel = self._document, self._panel
        paths = panel.paths()
        if document.is_empty or document.mask_is_empty():
            show_error(
                self._parent,
                translate("MainWindow", "No mask"),
                translate(
                    "MainWindow",
                    "Open one of the images (double-click it in the list) and paint the area to "
                    "remove; that mask is then used for every file.",
                ),
            )
            return None
        mask = document.mask_array()
        if not confirm_large_mask(self._parent, mask):
            return None
        width, height = document.width, document.height
        panel.set_summary(
            lambda: translate(
                "MainWindow", "The mask ({width}×{height}) is scaled to images of other sizes."
            ).format(width=width, height=height)
        )
        return self._submit(paths, same_mask(mask))

    def cancel(self) -> None:
        """Say "Cancelling…" at once; the worker stops after its current model step."""
        if self._panel.running:
            self._panel.acknowledge_cancel()
            self._status.show_words(lambda: translate("MainWindow", "Cancelling…"))
        self._engine.runner.cancel(self._job)

    def _start_shared_mark_batch(self) -> Job | None:
        paths, planner = self._shared_mark.removal()
        if not paths:
            return self._none_checked(
                translate(
                    "MainWindow",
                    "Check the files to clean in the list (or press “Accept selected”); files "
                    "where the watermark was not found need their mask painted first.",
                )
            )
        return self._submit(paths, planner, lambda: self._shared_mark.prepare(planner, self._drop))

    def _start_text_batch(self) -> Job | None:
        paths, planner = self._text.removal()
        if not paths:
            return self._none_checked(
                translate(
                    "MainWindow",
                    "Check the files to clean in the list; files where no text was found need "
                    "their mask painted first (double-click one to open it).",
                )
            )
        return self._submit(paths, planner)

    def _none_checked(self, advice: str) -> None:
        show_error(self._parent, translate("MainWindow", "No file checked"), advice)

    def _submit(
        self,
        paths: list[Path],
        planner: Planner,
        before: Callable[[], None] = lambda: None,
    ) -> Job | None:
        """Settle the output folder and existing outputs, then queue `before`'s jobs and the batch.

        Every question comes before any work. The core plans the same names again and applies
        the answer file by file; an output that appears meanwhile is never replaced unless the
        person chose Overwrite.
        """
        fmt = self._output_format()
        subfolders = self._panel.subfolders()
        settled = self._settle_outputs(paths, fmt, subfolders)
        if settled is None:
            return None
        folder, answer, existing = settled
        request = BatchRequest(
            sources=tuple(paths),
            planner=planner,
            out_dir=folder,
            options=self._options(),
            fmt=fmt,
            existing=_POLICIES.get(answer, ExistingOutputs.FAIL),
            subfolders=subfolders,
        )
        self._panel.queue(paths)
        if not (answer is ExistingAnswer.SKIP and len(existing) == len(paths)):
            before()  # no blend to fit when every file is skipped
        self._job = self._engine.batch(
            request,
            JobHandlers(
                started=self._started,
                progressed=self._progressed,
                succeeded=self._succeeded,
                failed=self._failed,
                cancelled=self._cancelled,
            ),
        )
        return self._job

    def _settle_outputs(
        self, paths: list[Path], fmt: OutputFormat, subfolders: dict[Path, Path]
    ) -> tuple[Path, ExistingAnswer | None, list[PlannedOutput]] | None:
        """The output folder, the answer for outputs already there (None: none are) and those.

        None when the person cancels, or the folder holds originals (which is said).
        """
        panel = self._panel
        folder = panel.output_folder()
        while True:
            if folder is None:
                folder = self._files.ask_folder(
                    translate("MainWindow", "Where should the cleaned files go?")
                )
                if folder is None:
                    return None
                panel.set_output_folder(folder)
                self._settings.batch_folder = folder
            plan = plan_outputs(paths, folder, fmt, subfolders)
            if any(_beside_its_original(planned) for planned in plan):
                show_error(
                    self._parent,
                    translate("MainWindow", "Choose another folder"),
                    translate(
                        "MainWindow",
                        "The output folder holds some of the originals; choose a different "
                        "folder so nothing is overwritten.",
                    ),
                )
                return None
            existing = [planned for planned in plan if planned.exists]
            if not existing:
                return folder, None, []
            answer = ask_existing_outputs(self._parent, existing, folder)
            if answer is ExistingAnswer.CANCEL:
                return None
            if answer is not ExistingAnswer.OTHER_FOLDER:
                return folder, answer, existing
            folder = None

    # -- the batch job's handlers ----------------------------------------------------
    def _started(self) -> None:
        self._progress.show_steps(0, 100)
        self._status.show_words(lambda: translate("MainWindow", "Processing the batch…"))
        self._panel.start_run()
        self._set_running(True)

    def _progressed(self, payload: object) -> None:
        self._panel.on_event(payload)
        bar = self._panel.overall_bar
        self._progress.show_steps(bar.value() * 100 // max(1, bar.maximum()), 100)

    def _succeeded(self, result: object) -> None:
        if isinstance(result, BatchSummary):
            self._finish(result)
        self._ended()

    def _failed(self, error: object) -> None:
        self._ended()
        self._panel.end_run(BatchSummary((), 0.0, cancelled=False))
        show_error(self._parent, translate("MainWindow", "The batch failed"), error)

    def _finish(self, summary: BatchSummary) -> None:
        """Show the summary under the list and in the status bar; failures also in a dialog.

        Rows and bars reach their final state before the dialog, which waits for the person.
        """
        text = self._panel.end_run(summary)
        self._progress.done()
        self._status.show_words(lambda: text().splitlines()[0], 15000)
        if summary.failed:
            QMessageBox.warning(
                self._parent, translate("MainWindow", "Batch finished with failures"), text()
            )

    def _cancelled(self) -> None:
        self._finish(BatchSummary((), 0.0, cancelled=True))
        self._ended()

    def _drop(self) -> None:
        """Cancel the queued batch without a word (what stopped it says why)."""
        self._engine.runner.cancel(self._job)

    def _ended(self) -> None:
        self._job = None
        self._progress.done()
        self._set_running(False)

    def _set_running(self, running: bool) -> None:
        if running != self._running:
            self._running = running
            self.running_changed.emit(running)


def _beside_its_original(planned: PlannedOutput) -> bool:
    """The output would go into its original's folder, where it could replace it."""
    return planned.destination.parent.resolve() == planned.source.parent.resolve()
