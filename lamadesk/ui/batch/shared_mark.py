"""The batch view's shared-watermark flow: search, review and correct, then remove.

"Find shared watermark" searches the listed files on the engine's worker thread (seeded by
the box drawn on the open image when it is one of them). The list then shows per file what
was found; opening a file shows the mask the removal will use as the editable mask, and
brush or eraser edits of it are remembered per file (`mask_review.OpenMaskTracker`).
"Remove from checked files" runs the batch with the core's `SharedMarkPlanner`, the
corrections and the de-blend choice.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QRect, QTimer, Slot
from PySide6.QtWidgets import QWidget

from lamadesk.core.watermark.detection import RELIABLE_PICTURES, Detection
from lamadesk.core.watermark.removal import SharedMarkPlanner
from lamadesk.ui.batch.batch_panel import BatchPanel
from lamadesk.ui.batch.mask_review import ReviewController
from lamadesk.ui.batch.shared_mark_review import (
    Finding,
    Review,
    SearchRequest,
    detect_job,
    fit_job,
    seed_from_box,
)
from lamadesk.ui.canvas.document import Document
from lamadesk.ui.errors import show_error
from lamadesk.ui.jobs.runner import Job, JobHandlers, JobProgress, JobRunner
from lamadesk.ui.status_bar import ProgressIndicator, StatusReporter, Wording


class SharedMarkController(ReviewController):
    """Drives the batch panel's "Shared watermark" box.

    Args:
        parent: Parent of the dialogs it shows.
        panel: The batch panel whose box, list and summary it drives.
        document: The open image, whose mask is reviewed and corrected.
        runner: The engine's runner, for the search and the fit.
        status: Where it says what happened.
        progress: The window's progress bar, while the search or fit runs.
        open_file: Opens a listed file in the canvas (asking about unsaved edits).
    """

    def __init__(
        self,
        parent: QWidget,
        panel: BatchPanel,
        document: Document,
        runner: JobRunner,
        status: StatusReporter,
        progress: ProgressIndicator,
        open_file: Callable[[Path], None],
    ) -> None:
        super().__init__(parent, panel, document, open_file)
        self._parent, self._runner = parent, runner
        self._status, self._progress = status, progress
        self.review: Review | None = None
        self._search: tuple[Job, SearchRequest] | None = None
        """(job, request) of the search running or queued."""
        self._later_message: Wording = lambda: ""
        self._fit: Job | None = None
        """The queued or running fit of the mark's opacity and colour."""

        box = self._panel.shared
        box.find_requested.connect(self.find)
        box.accept_requested.connect(lambda: self._include_selected(True))
        box.reject_requested.connect(lambda: self._include_selected(False))
        box.forget_requested.connect(self.forget)
        self._panel.cancel_requested.connect(self._cancel)
        self._panel.list_changed.connect(self._show_findings)
        self._document.opened.connect(self._on_opened)

    # -- search ----------------------------------------------------------------------
    def find(self) -> Job | None:
        """Search the listed files; the box on the open image (if listed) guides it."""
        if self._search is not None:
            return None
        sources = tuple(self._panel.paths())
        document = self._document
        box = document.mask_bounding_rect() if not document.is_empty else QRect()
        seed = seed_from_box(
            sources, document.path, box.top(), box.left(), box.height(), box.width()
        )
        request = SearchRequest(sources, seed)
        job = detect_job(request)
        self._search = (job, request)
        self._panel.set_searching(True)
        self._status.show_words(
            lambda: self.tr("Looking for a watermark the {count} images share…").format(
                count=len(sources)
            )
        )
        return self._runner.submit(
            job,
            JobHandlers(
                started=lambda: self._progress.show_steps(0, 100),
                progressed=self._search_progress,
                succeeded=self._search_succeeded,
                failed=self._search_failed,
                cancelled=self._search_cancelled,
            ),
        )

    def _cancel(self) -> None:
        self._runner.cancel(self._fit, self._search[0] if self._search is not None else None)

    def _search_progress(self, payload: object) -> None:
        if isinstance(payload, JobProgress):
            self._panel.set_search_progress(payload.percent)
            self._progress.show_steps(payload.percent, 100)

    def _search_succeeded(self, result: object) -> None:
        if not isinstance(result, Detection):
            return
        request = self._end_search()
        self.review, self._shown = Review(request, result), set()
        self._masks.follow(self.review)
        self._panel.set_review_mode(True)
        self._show_findings()
        review = self.review

        def found() -> str:
            return self.tr(
                "Watermark found in {found} of {total} images. Double-click an image to check "
                "its mask; uncheck images to leave them out."
            ).format(found=review.found_count(), total=len(review.sources))

        def text() -> str:
            if request.seed is not None or review.readable_count() >= RELIABLE_PICTURES:
                return found()
            return (
                found()
                + "\n"
                + self.tr(
                    "Only {count} images could be read: the mark found may be wrong. Check "
                    "each image, or draw a box around the mark on one image with the rectangle "
                    "tool and search again."
                ).format(count=review.readable_count())
            )

        self._panel.set_summary(text)
        self._status.show_words(found, 15000)
        if not self._document.is_empty and self._document.path in review.sources:
            self._review_open_image(self.tr("Detected watermark"))

    def _search_failed(self, error: object) -> None:
        self._end_search()
        self._status.clearMessage()
        show_error(self._parent, self.tr("No shared watermark found"), error)

    def _search_cancelled(self) -> None:
        self._end_search()
        self._status.show_words(lambda: self.tr("Search cancelled; nothing was changed."), 5000)

    def _end_search(self) -> SearchRequest:
        assert self._search is not None
        request, self._search = self._search[1], None
        self._panel.set_searching(False)
        self._progress.done()
        return request

    # -- review ----------------------------------------------------------------------
    def removal(self) -> tuple[list[Path], SharedMarkPlanner]:
        """The checked files the search covered (list order) and the planner for them."""
        paths = self._checked()
        assert self.review is not None
        return paths, self.review.planner(self._panel.shared.deblend.isChecked(), paths)

    def prepare(self, planner: SharedMarkPlanner, drop_batch: Callable[[], None]) -> None:
        """Queue fitting the mark's blend (when de-blending) ahead of the batch.

        If the fit fails, `drop_batch` cancels the batch queued behind it.
        """
        if not self._panel.shared.deblend.isChecked():
            return
        job = fit_job(planner)
        self._fit = job  # before submit: an idle runner starts it right away

        def failed(error: object) -> None:
            self._end_fit()
            drop_batch()
            show_error(self._parent, self.tr("Cannot undo the watermark's blend"), error)

        self._runner.submit(
            job,
            JobHandlers(
                started=self._fit_started,
                succeeded=lambda _result: self._end_fit(),
                failed=failed,
                cancelled=self._end_fit,
            ),
        )

    def _fit_started(self) -> None:
        self._panel.start_run()

        def text() -> str:
            return self.tr("Measuring the watermark's opacity and colour to undo its blend…")

        self._panel.set_summary(text)
        self._status.show_words(text)
        self._progress.busy()  # no steps to count

    def _end_fit(self) -> None:
        self._fit = None
        self._progress.done()

    def _include_selected(self, included: bool) -> None:
        if self.review is None:
            return
        for path in self._panel.selected_paths():
            if self.review.finding(path) not in (Finding.UNREADABLE, Finding.NOT_SEARCHED):
                self._panel.set_included(path, included)

    def _finding_text(self, review: Review, path: Path) -> str:  # type: ignore[override]
        finding = review.finding(path)
        percent = round(100 * review.confidence(path))
        if finding is Finding.FOUND:
            status = self.tr("Found · match {percent}%").format(percent=percent)
        elif finding is Finding.NOT_FOUND:
            status = self.tr("Not found · match {percent}%").format(percent=percent)
        elif finding is Finding.UNREADABLE:
            status = self.tr("Unreadable: {reason}").format(reason=review.failure(path))
        else:
            status = self.tr("Added after the search: search again to include it")
        return status

    # -- the open image --------------------------------------------------------------
    @Slot()
    def _on_opened(self) -> None:
        if self.review is not None and self._document.path in self.review.sources:
            self._review_open_image(None)

    def _review_open_image(self, undo_text: str | None) -> None:
        """Show the open image's mask from the review; it is tracked from then on."""
        review, document = self.review, self._document
        assert review is not None
        assert document.path is not None
        path = document.path
        if review.finding(path) is Finding.UNREADABLE:
            return
        self._masks.show(undo_text)
        found = review.finding(path) is Finding.FOUND

        def text() -> str:
            if found:
                words = self.tr(
                    "The watermark found in {name} is masked. Brush or erase to correct it."
                )
            else:
                words = self.tr(
                    "The watermark was not found in {name}. Paint over it to clean this image too."
                )
            return words.format(name=path.name)

        self._later_message = text
        QTimer.singleShot(0, self._show_later_message)

    @Slot()
    def _show_later_message(self) -> None:
        # After the window's own "Opened …" message, which follows the same signal.
        self._status.show_words(self._later_message, 10000)
