"""The batch view's text flow: find text in every file, review and correct, then remove.

"Find text in all" runs one job on the engine's runner that searches the listed files in
order with the shared detector; each file's row says what was found as soon as it is done,
so Cancel (which stops between files) leaves every row true: searched files keep their
count, the rest read "Not searched". Double-clicking a file opens it with its text mask for
brushed corrections (`mask_review.OpenMaskTracker`, as the shared-watermark review does);
"Remove from checked files" runs the batch with each file's own mask.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QTimer, Slot
from PySide6.QtWidgets import QWidget

from lamadesk.core.batch import Planner
from lamadesk.core.models.ppocr import TextSettings
from lamadesk.ui.batch.batch_panel import BatchPanel
from lamadesk.ui.batch.mask_review import Finding, ReviewController
from lamadesk.ui.canvas.document import Document
from lamadesk.ui.errors import show_error
from lamadesk.ui.jobs.runner import Job, JobHandlers, JobRunner
from lamadesk.ui.status_bar import ProgressIndicator, StatusReporter, Wording
from lamadesk.ui.text.text_jobs import FileSearched, TextDetectors, find_text_in_files_job
from lamadesk.ui.text.text_review import TextReview


class TextBatchController(ReviewController):
    """Drives the batch panel's "Text" box and the review of what it found.

    Args:
        parent: Parent of the dialogs it shows.
        panel: The batch panel whose box, list and summary it drives.
        document: The open image, whose mask is reviewed and corrected.
        runner: The engine's runner (one job at a time: the detector is not thread-safe).
        detectors: The app's detector, loaded on first use.
        sensitivity: The Text panel's sensitivity now (0..1).
        status: Where it says what happened.
        progress: The window's progress bar, while the search runs.
        open_file: Opens a listed file in the canvas (asking about unsaved edits).
    """

    def __init__(
        self,
        parent: QWidget,
        *,
        panel: BatchPanel,
        document: Document,
        runner: JobRunner,
        detectors: TextDetectors,
        sensitivity: Callable[[], float],
        status: StatusReporter,
        progress: ProgressIndicator,
        open_file: Callable[[Path], None],
    ) -> None:
        super().__init__(parent, panel, document, open_file)
        self._parent = parent
        self._runner, self._detectors, self._sensitivity = runner, detectors, sensitivity
        self._status, self._progress = status, progress
        self.review: TextReview | None = None
        self._job: Job | None = None
        """The search queued or running."""
        self._later_message: Wording = lambda: ""
        # The window connects the Find button: the shared-mark review is forgotten first.
        panel.text.forget_requested.connect(self.forget)
        panel.cancel_requested.connect(self._cancel)
        panel.list_changed.connect(self._show_findings)
        document.opened.connect(self._on_opened)

    @property
    def searching(self) -> bool:
        return self._job is not None

    # -- search ----------------------------------------------------------------------
    def find(self) -> Job | None:
        """Search every listed file; rows fill in as files are done."""
        sources = self._panel.paths()
        if self._job is not None or not sources:
            return None
        self._masks.remember()  # a correction of the previous review is not lost midway
        review = TextReview(sources)
        self.review, self._shown = review, set()
        self._masks.follow(review)
        settings = TextSettings(self._sensitivity(), self._panel.text.chosen_area())
        self._job = find_text_in_files_job(self._detectors, sources, settings)
        self._panel.set_review_mode(True, text=True)
        self._panel.set_searching(True, text_files=len(sources))
        self._show_findings()
        self._status.show_words(
            lambda: self.tr("Looking for text in {count} files…").format(count=len(sources))
        )
        return self._runner.submit(
            self._job,
            JobHandlers(
                started=lambda: self._progress.show_steps(0, len(sources)),
                progressed=self._progressed,
                succeeded=lambda _count: self._ended(cancelled=False),
                failed=self._failed,
                cancelled=lambda: self._ended(cancelled=True),
            ),
        )

    def _cancel(self) -> None:
        if self._job is not None:
            self._panel.set_summary(lambda: self.tr("Cancelling…"))
            self._runner.cancel(self._job)

    def _progressed(self, payload: object) -> None:
        review = self.review
        if not isinstance(payload, FileSearched) or review is None:
            return
        review.add(payload.result)
        self._show_findings()
        self._panel.set_search_progress(payload.index + 1)
        self._progress.show_steps(payload.index + 1, payload.total)

    def _ended(self, *, cancelled: bool) -> None:
        self._job = None
        self._panel.set_searching(False)
        self._progress.done()
        review = self.review
        if review is None:
            return
        self._show_findings()
        found, searched, total = review.found_count(), review.searched_count(), len(review.sources)

        def text() -> str:
            words = self.tr("Text found in {found} of {searched} files.").format(
                found=found, searched=searched
            )
            if cancelled:
                words = (
                    self.tr("Search cancelled after {searched} of {total} files.").format(
                        searched=searched, total=total
                    )
                    + " "
                    + words
                )
            return (
                words
                + " "
                + self.tr("Double-click a file to check its mask; uncheck files to leave them out.")
            )

        self._panel.set_summary(text)
        self._status.show_words(text, 15000)
        path = self._document.path
        if not self._document.is_empty and path is not None and review.can_review(path):
            self._show_open_image(self.tr("Find text"))

    def _failed(self, error: object) -> None:
        self._ended(cancelled=True)
        self._status.clearMessage()
        show_error(self._parent, self.tr("Cannot look for text"), error)

    # -- review ----------------------------------------------------------------------
    def removal(self) -> tuple[list[Path], Planner]:
        """The checked files the search covered (list order) and the planner for them."""
        paths = self._checked()
        assert self.review is not None
        return paths, self.review.planner(paths)

    def _finding_text(self, review: TextReview, path: Path) -> str:  # type: ignore[override]
        finding = review.finding(path)
        if finding is Finding.FOUND:
            status = self.tr("Text: {count} line(s)").format(count=review.count(path))
        elif finding is Finding.NOT_FOUND:
            status = self.tr("No text found")
        elif finding is Finding.UNREADABLE:
            status = self.tr("Unreadable: {reason}").format(reason=review.failure(path))
        elif self._job is not None and path in review.sources:
            status = self.tr("Waiting")
        else:
            status = self.tr("Not searched")
        return status

    # -- the open image --------------------------------------------------------------
    @Slot()
    def _on_opened(self) -> None:
        review, path = self.review, self._document.path
        if review is not None and path is not None and review.can_review(path):
            self._show_open_image(None)

    def _show_open_image(self, undo_text: str | None) -> None:
        review, path = self.review, self._document.path
        assert review is not None
        assert path is not None
        self._masks.show(undo_text)
        count = review.count(path)

        def text() -> str:
            if count:
                return self.tr(
                    "The text found in {name} is masked. Brush or erase to correct it."
                ).format(name=path.name)
            return self.tr(
                "No text was found in {name}. Paint over it to clean this image too."
            ).format(name=path.name)

        self._later_message = text
        QTimer.singleShot(0, self._show_later_message)

    @Slot()
    def _show_later_message(self) -> None:
        # After the window's own "Opened …" message, which follows the same signal.
        self._status.show_words(self._later_message, 10000)
