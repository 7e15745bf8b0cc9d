"""The open image's Find Text flow: search on the worker, mask the letters, keep or drop lines.

"Find Text" (Ctrl+T) sends a copy of the pixels to the engine's runner, where the shared
detector searches them (`text_jobs`). The lines found are added to whatever mask is already
brushed as one undo step ("Find text"); the Text dock lists them, and unchecking a line takes
exactly its letters out of the mask again (its own undo step). Moving the sensitivity slider
or choosing another area searches again, replacing the previous search's lines. Remove then
works on the mask as usual.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from PySide6.QtCore import QObject, QRect, Slot
from PySide6.QtWidgets import QWidget

from lamadesk.core.masks import Box
from lamadesk.core.models.ppocr import SearchArea, TextDetection, TextSettings
from lamadesk.ui.canvas.commands import MaskEditCommand, Tiles, mask_tiles
from lamadesk.ui.canvas.document import Document
from lamadesk.ui.errors import show_error
from lamadesk.ui.jobs.runner import Job, JobHandlers, JobProgress, JobRunner
from lamadesk.ui.status_bar import ProgressIndicator, StatusReporter
from lamadesk.ui.text.found_text import FoundText, apply_search
from lamadesk.ui.text.text_jobs import TextDetectors, find_text_job
from lamadesk.ui.text.text_panel import Area, TextPanel

Show = Callable[[FoundText | None], None]


class TextMaskCommand(MaskEditCommand):
    """A mask edit by the text flow; undo and redo also bring the line list to its state."""

    def __init__(
        self,
        document: Document,
        text: str,
        tiles: tuple[Tiles, Tiles],
        states: tuple[FoundText | None, FoundText | None],
        show: Show,
    ) -> None:
        super().__init__(document, text, tiles[0], tiles[1], None)
        self._states, self._show = states, show

    def redo(self) -> None:
        super().redo()
        self._show(self._states[1])

    def undo(self) -> None:
        super().undo()
        self._show(self._states[0])


def _box_rect(box: Box) -> QRect:
    return QRect(box.left, box.top, box.width, box.height)


class FindTextController(QObject):
    """Drives Find Text on the open image and the Text dock's list.

    Args:
        parent: Parent of the dialogs it shows.
        document: The open image, whose mask it edits.
        panel: The Text dock's controls and list.
        runner: The engine's runner (one job at a time: the detector is not thread-safe).
        detectors: The app's detector, loaded on first use.
        status: Where it says what happened.
        progress: The window's progress bar, while a search runs.
    """

    def __init__(
        self,
        parent: QWidget,
        document: Document,
        panel: TextPanel,
        runner: JobRunner,
        detectors: TextDetectors,
        status: StatusReporter,
        progress: ProgressIndicator,
    ) -> None:
        super().__init__(parent)
        self._parent, self._document, self._panel = parent, document, panel
        self._runner, self._detectors = runner, detectors
        self._status, self._progress = status, progress
        self.found: FoundText | None = None
        """The search whose lines the list shows (None: none, or the image changed since)."""
        self._job: tuple[Job, int, int, QRect] | None = None
        """(job, document serial, pixels version, rectangle searched) of the running search."""
        self._rectangle = QRect()
        """The last rectangle drawn on the open image (the "inside the rectangle" area)."""
        panel.region_toggled.connect(self.toggle)
        panel.all_toggled.connect(self.toggle_all)
        panel.sensitivity_changed.connect(self._search_again)
        panel.area_changed.connect(self._search_again)
        document.opened.connect(self._on_opened)
        document.pixels_changed.connect(self._on_pixels_changed)

    @property
    def running(self) -> bool:
        return self._job is not None

    def region_rect(self, index: int) -> QRect:
        """Where line `index` of the list sits on the image (empty when there is none)."""
        found = self.found
        if found is None or not 0 <= index < len(found.regions):
            return QRect()
        return _box_rect(found.regions[index].box)

    @Slot(QRect)
    def set_rectangle(self, rect: QRect) -> None:
        """Remember the rectangle drawn last; "Inside the rectangle drawn" searches there."""
        self._rectangle = QRect(rect)

    # -- search ----------------------------------------------------------------------
    def find(self) -> Job | None:
        """Search the open image with the panel's area and sensitivity."""
        document = self._document
        if document.is_empty:
            self._status.show_words(lambda: self.tr("Open an image first."), 5000)
            return None
        if self._job is not None:
            return None
        area = self._panel.chosen_area()
        rectangle = QRect()
        region: Box | SearchArea | None = area.preset()
        if area is Area.RECTANGLE:
            rectangle = self._rectangle.intersected(document.bounds)
            if rectangle.isEmpty():
                self._status.show_words(
                    lambda: self.tr(
                        "Draw a rectangle around the text with the rectangle tool (R) first."
                    ),
                    8000,
                )
                return None
            region = Box(
                rectangle.top(), rectangle.left(), rectangle.bottom() + 1, rectangle.right() + 1
            )
        settings = TextSettings(self._panel.chosen_sensitivity(), region)
        job = find_text_job(self._detectors, np.array(document.rgb), settings)
        self._job = (job, document.serial, document.pixels_version, rectangle)
        return self._runner.submit(
            job,
            JobHandlers(
                started=self._started,
                progressed=self._progressed,
                succeeded=self._succeeded,
                failed=self._failed,
                cancelled=self._cancelled,
            ),
        )

    def cancel(self) -> None:
        if self._job is not None:
            self._runner.cancel(self._job[0])

    @Slot()
    def _search_again(self) -> None:
        """A new area or sensitivity replaces the lines of the search shown, if any."""
        if self.found is not None and not self._document.is_empty:
            self.find()

    def _started(self) -> None:
        self._progress.busy()
        self._status.show_words(lambda: self.tr("Looking for text…"))

    def _progressed(self, payload: object) -> None:
        if isinstance(payload, JobProgress) and payload.percent > 0:
            self._progress.show_steps(payload.percent, 100)

    def _succeeded(self, result: object) -> None:
        expected, self._job = self._job, None
        self._progress.done()
        if not isinstance(result, TextDetection) or expected is None:
            return
        document = self._document
        if expected[1:3] != (document.serial, document.pixels_version):
            self._status.show_words(
                lambda: self.tr("The image changed meanwhile; that search was dropped."), 8000
            )
            return
        self._apply(result, expected[3])

    def _apply(self, detection: TextDetection, rectangle: QRect) -> None:
        """Replace the previous search's lines (and the rectangle searched) by the new ones."""
        document, previous = self._document, self.found
        mask = document.mask_array()
        touched = QRect(rectangle)
        if previous is not None:
            mask = previous.without_kept(mask)
            for box in previous.boxes():
                touched = touched.united(_box_rect(box))
        if not rectangle.isEmpty():
            mask[
                rectangle.top() : rectangle.bottom() + 1, rectangle.left() : rectangle.right() + 1
            ] = False
        mask, found = apply_search(mask, detection)
        for box in found.boxes():
            touched = touched.united(_box_rect(box))
        tiles = mask_tiles(document, mask, touched)
        if tiles[0]:
            document.undo_stack.push(
                TextMaskCommand(
                    document, self.tr("Find text"), tiles, (previous, found), self._show
                )
            )
        else:
            self._show(found)
        count, seconds = len(detection.regions), detection.seconds
        fallback = self._detectors.fallback_reason

        def text() -> str:
            if count == 0:
                words = self.tr(
                    "No text found. Try a higher sensitivity, or another area to look in."
                )
            else:
                words = self.tr(
                    "{count} text line(s) found in {seconds:.1f} s and masked. Uncheck the "
                    "lines to keep; press Enter to remove the rest."
                ).format(count=count, seconds=seconds)
            if fallback is not None:
                words += " " + self.tr(
                    "(OpenCV ran the text detector, as OpenVINO could not: {reason})"
                ).format(reason=fallback)
            return words

        self._status.show_words(text, 15000)

    def _failed(self, error: object) -> None:
        self._job = None
        self._progress.done()
        self._status.clearMessage()
        show_error(self._parent, self.tr("Cannot look for text"), error)

    def _cancelled(self) -> None:
        self._job = None
        self._progress.done()
        self._status.show_words(lambda: self.tr("Text search cancelled."), 5000)

    # -- the lines found ---------------------------------------------------------------
    @Slot(int, bool)
    def toggle(self, index: int, keep: bool) -> None:
        """Keep or drop line `index`: its letters go into or out of the mask (one undo step)."""
        found = self.found
        if found is None or found.is_kept(index) == keep:
            return
        mask = found.toggled_mask(self._document.mask_array(), index, keep)
        text = self.tr("Keep text line") if keep else self.tr("Drop text line")
        self._push(text, mask, _box_rect(found.regions[index].box), found.with_kept(index, keep))

    @Slot(bool)
    def toggle_all(self, keep: bool) -> None:
        """Keep or drop every line at once (one undo step)."""
        found = self.found
        if found is None:
            return
        mask, after, touched = self._document.mask_array(), found, QRect()
        for index in range(len(found.regions)):
            if after.is_kept(index) != keep:
                mask = after.toggled_mask(mask, index, keep)
                after = after.with_kept(index, keep)
                touched = touched.united(_box_rect(found.regions[index].box))
        if not touched.isEmpty():
            text = self.tr("Keep all text lines") if keep else self.tr("Drop all text lines")
            self._push(text, mask, touched, after)

    def _push(self, text: str, mask: np.ndarray, rect: QRect, after: FoundText) -> None:
        document = self._document
        tiles = mask_tiles(document, mask, rect)
        document.undo_stack.push(
            TextMaskCommand(document, text, tiles, (self.found, after), self._show)
        )

    def _show(self, found: FoundText | None) -> None:
        """Make `found` the state shown: the list, its check boxes and the summary."""
        same = (
            found is not None and self.found is not None and found.detection is self.found.detection
        )
        self.found = found
        if same:
            self._panel.show_kept(found)
        else:
            self._panel.show_found(found, None if found is None else self._document.rgb)
        if found is None:
            self._panel.set_summary(None)
            return
        kept, total = len(found.kept), len(found.regions)
        self._panel.set_summary(
            lambda: (
                self.tr("{kept} of {total} text lines masked.").format(kept=kept, total=total)
                if total
                else self.tr("No text found.")
            )
        )

    # -- the open image ----------------------------------------------------------------
    @Slot()
    def _on_opened(self) -> None:
        self._rectangle = QRect()
        self.found = None
        self._panel.show_found(None, None)
        self._panel.set_summary(None)

    @Slot(QRect)
    def _on_pixels_changed(self, _rect: QRect) -> None:
        """A removal (or its undo) edited the image: the lines listed no longer match it."""
        if self.found is not None:
            self.found = None
            self._panel.show_found(None, None)
            self._panel.set_summary(None)
