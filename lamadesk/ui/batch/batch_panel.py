"""The batch list: files with thumbnails and status, output folder, progress and summary."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from pathlib import Path

from PySide6.QtCore import QEvent, QSize, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QIcon, QImage, QKeyEvent, QPixmap
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from lamadesk.core.batch import BatchSummary
from lamadesk.core.inputs import find_inputs, shown_name
from lamadesk.core.notes import NoteKind
from lamadesk.ui.batch.batch_job import FileDone, FileStarted, FileSteps
from lamadesk.ui.batch.left_out import left_out_words
from lamadesk.ui.batch.shared_mark_box import SharedMarkBox
from lamadesk.ui.batch.thumbnails import THUMBNAIL_SIZE, ThumbnailLoader
from lamadesk.ui.errors import file_reason
from lamadesk.ui.status_bar import Wording
from lamadesk.ui.text.text_batch_box import TextBatchBox

_PATH_ROLE = Qt.ItemDataRole.UserRole


class _FolderEdit(QLineEdit):
    """Enter ends the edit here instead of triggering the window's Remove (Enter) shortcut."""

    def event(self, event: QEvent) -> bool:
        if (
            event.type() == QEvent.Type.ShortcutOverride
            and isinstance(event, QKeyEvent)
            and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
        ):
            event.accept()
            return True
        return super().event(event)


class BatchPanel(QWidget):
    """Lists the batch; the window supplies the mask and runs it (`run_requested`).

    After "Find shared watermark" or "Find text in all" the list is in review mode: each
    file gets a check box (checked files are cleaned) and the status the search gave it.

    Statuses and the summary are kept as `Wording`s, so a language change re-words them.
    """

    run_requested = Signal()
    cancel_requested = Signal()
    open_requested = Signal(Path)
    output_folder_changed = Signal(object)
    list_changed = Signal()

    def __init__(self, thumbnails: ThumbnailLoader, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._thumbnails = thumbnails
        self._items: dict[Path, QListWidgetItem] = {}
        self._subfolders: dict[Path, Path] = {}
        """Files found in a subfolder of a folder added: that subfolder, kept in the output."""
        self._queued: list[Path] = []
        """The files of the run being started or running, in order."""
        self._run_started: float | None = None
        self._current: tuple[Path, float] | None = None
        """The file being processed and when it began."""
        self._finished: set[Path] = set()
        self._cancelling = False
        self.clock: Callable[[], float] = time.monotonic
        """Seconds for the elapsed times shown; tests replace it."""
        self._ticker = QTimer(self)
        self._ticker.setInterval(1000)
        self._ticker.timeout.connect(self._tick)
        self._statuses: dict[Path, Wording] = {}
        self._summary: Wording | None = None
        self._reviewing = False
        self._reviewing_text = False
        self._searching = False
        self._searching_text = False
        thumbnails.loaded.connect(self._on_thumbnail)

        self.list = QListWidget()
        self.list.setIconSize(QSize(64, 64))
        self.list.setSelectionMode(QListWidget.SelectionMode.ExtendedSelection)
        self.list.setUniformItemSizes(True)
        self.list.setWordWrap(True)
        self.list.itemDoubleClicked.connect(
            lambda item: self.open_requested.emit(item.data(_PATH_ROLE))
        )
        self.hint = QLabel()
        self.hint.setWordWrap(True)
        self.add_button = QPushButton()
        add_menu = QMenu(self.add_button)
        self.add_images_action = add_menu.addAction("")
        self.add_images_action.triggered.connect(self._ask_files)
        self.add_folder_action = add_menu.addAction("")
        self.add_folder_action.triggered.connect(self._ask_image_folder)
        self.add_button.setMenu(add_menu)
        self.remove_button = QPushButton()
        self.remove_button.clicked.connect(self._remove_selected)
        self.clear_button = QPushButton()
        self.clear_button.clicked.connect(self.clear)
        edit_row = QHBoxLayout()
        for button in (self.add_button, self.remove_button, self.clear_button):
            edit_row.addWidget(button)

        self.shared = SharedMarkBox()
        self.text = TextBatchBox()

        self.folder_edit = _FolderEdit()
        self.folder_edit.editingFinished.connect(self._folder_edited)
        self.browse_button = QPushButton()
        self.browse_button.clicked.connect(self._ask_folder)
        self.folder_caption = QLabel()
        folder_row = QHBoxLayout()
        folder_row.addWidget(self.folder_caption)
        folder_row.addWidget(self.folder_edit, 1)
        folder_row.addWidget(self.browse_button)

        self.run_button = QPushButton()
        self.run_button.setDefault(True)
        self.run_button.clicked.connect(self.run_requested)
        self.cancel_button = QPushButton()
        self.cancel_button.clicked.connect(self.cancel_requested)
        self.cancel_button.setEnabled(False)
        run_row = QHBoxLayout()
        run_row.addWidget(self.run_button, 1)
        run_row.addWidget(self.cancel_button)

        self.file_bar = QProgressBar()
        self.overall_bar = QProgressBar()
        self._show_bars(file=False, overall=False)
        self.summary = QLabel()
        self.summary.setWordWrap(True)

        layout = QVBoxLayout(self)
        layout.addWidget(self.hint)
        layout.addWidget(self.list, 1)
        layout.addLayout(edit_row)
        layout.addWidget(self.shared)
        layout.addWidget(self.text)
        layout.addLayout(folder_row)
        layout.addLayout(run_row)
        layout.addWidget(self.file_bar)
        layout.addWidget(self.overall_bar)
        layout.addWidget(self.summary)
        self.set_review_mode(False)
        self._update_counts()

    def _retranslate(self) -> None:
        """Word every text in the current language, statuses and summary included."""
        self.add_button.setText(self.tr("Add…"))
        self.add_images_action.setText(self.tr("Images…"))
        self.add_folder_action.setText(self.tr("A folder, with its subfolders…"))
        self.remove_button.setText(self.tr("Remove selected"))
        self.clear_button.setText(self.tr("Clear list"))
        self.folder_edit.setPlaceholderText(self.tr("Choose an output folder"))
        self.browse_button.setText(self.tr("Browse…"))
        self.folder_caption.setText(self.tr("Save to:"))
        self.cancel_button.setText(self.tr("Cancel"))
        self.file_bar.setFormat(self.tr("Current file: %v of %m regions"))
        self.overall_bar.setFormat(self._overall_format())
        if self._reviewing and self._reviewing_text:
            self.hint.setText(
                self.tr(
                    "Double-click a file to check the text found in it and brush corrections. "
                    "Checked files are cleaned; uncheck a file to leave it out."
                )
            )
            self.run_button.setText(self.tr("Remove from checked files"))
        elif self._reviewing:
            self.hint.setText(
                self.tr(
                    "Double-click a file to check the watermark found in it and brush "
                    "corrections. Checked files are cleaned; uncheck a file to leave it out."
                )
            )
            self.run_button.setText(self.tr("Remove from checked files"))
        else:
            self.hint.setText(
                self.tr(
                    "Double-click a file to open it and draw the mask; the same mask is "
                    "applied to every file (scaled when sizes differ)."
                )
            )
            self.run_button.setText(self.tr("Remove from all"))
        for path in self._statuses:
            self._show_status(path)
        self.summary.setText("" if self._summary is None else self._summary())

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
        super().changeEvent(event)

    # -- list ------------------------------------------------------------------------
    def paths(self) -> list[Path]:
        return [self.list.item(row).data(_PATH_ROLE) for row in range(self.list.count())]

    def subfolders(self) -> dict[Path, Path]:
        """The listed files found in subfolders, and where below the output folder they go."""
        return dict(self._subfolders)

    def add_paths(self, paths: Sequence[Path]) -> int:
        """Add files, and the images in folders and their subfolders; returns how many were new.

        The output folder is never searched: the results in it are not photos to clean; nor
        are the cleaned copies and masks lamadesk wrote beside the photos, which the summary
        line then names.
        """
        added = 0
        inputs = find_inputs(list(paths), recursive=True, skip=self.output_folder())
        for path in inputs.files:
            if path in self._items:
                continue
            if path in inputs.subfolders:
                self._subfolders[path] = inputs.subfolders[path]
            item = QListWidgetItem(self._placeholder_icon(), "")
            item.setData(_PATH_ROLE, path)
            item.setSizeHint(QSize(THUMBNAIL_SIZE.width() * 3, 72))
            self._items[path] = item
            self.list.addItem(item)
            self._set_status(path, self._waiting)
            self._thumbnails.request(path)
            added += 1
        self._update_counts()
        if inputs.own_files:
            self.set_summary(lambda: left_out_words(inputs.own_files))
        if added:
            self.list_changed.emit()
        return added

    def clear(self) -> None:
        self.list.clear()
        self._items.clear()
        self._subfolders.clear()
        self._statuses.clear()
        self.set_summary(None)
        self._show_bars(file=False, overall=False)
        self._update_counts()
        self.list_changed.emit()

    def _remove_selected(self) -> None:
        for item in self.list.selectedItems():
            self._items.pop(item.data(_PATH_ROLE), None)
            self._subfolders.pop(item.data(_PATH_ROLE), None)
            self._statuses.pop(item.data(_PATH_ROLE), None)
            self.list.takeItem(self.list.row(item))
        self._update_counts()
        self.list_changed.emit()

    def selected_paths(self) -> list[Path]:
        return [item.data(_PATH_ROLE) for item in self.list.selectedItems()]

    def status_text(self, path: Path) -> str:
        return self._items[path].text().split("\n", 1)[1]

    def set_status(self, path: Path, status: Wording) -> None:
        """Show `status()` under the file's name (and in its tooltip)."""
        self._set_status(path, status)

    def set_summary(self, summary: Wording | None) -> None:
        """Show `summary()` under the bars (None: nothing)."""
        self._summary = summary
        self.summary.setText("" if summary is None else summary())

    def set_included(self, path: Path, included: bool | None) -> None:
        """Check or uncheck the file's box; None removes the box (the file cannot be run)."""
        item = self._items.get(path)
        if item is None:
            return
        flags = item.flags() & ~Qt.ItemFlag.ItemIsUserCheckable
        if included is None:
            item.setFlags(flags)
            item.setData(Qt.ItemDataRole.CheckStateRole, None)
            return
        item.setFlags(flags | Qt.ItemFlag.ItemIsUserCheckable)
        item.setCheckState(Qt.CheckState.Checked if included else Qt.CheckState.Unchecked)

    def is_included(self, path: Path) -> bool:
        item = self._items.get(path)
        return (
            item is not None
            and bool(item.flags() & Qt.ItemFlag.ItemIsUserCheckable)
            and item.checkState() == Qt.CheckState.Checked
        )

    def set_review_mode(self, reviewing: bool, *, text: bool = False) -> None:
        """Word the hint and the run button for one painted mask or a reviewed search.

        `text`: the search reviewed is "Find text in all", not "Find shared watermark".
        """
        self._reviewing, self._reviewing_text = reviewing, reviewing and text
        self.shared.set_reviewing(reviewing and not text)
        self.text.set_reviewing(reviewing and text)
        if not reviewing:
            for path in self._items:
                self.set_included(path, None)
                self._set_status(path, self._waiting)
        self._retranslate()

    def _waiting(self) -> str:
        return self.tr("Waiting")

    def _set_status(self, path: Path, status: Wording) -> None:
        if path in self._items:
            self._statuses[path] = status
            self._show_status(path)

    def _show_status(self, path: Path) -> None:
        status = self._statuses[path]()
        item = self._items[path]
        item.setText(f"{shown_name(path, self._subfolders.get(path))}\n{status}")
        item.setToolTip(f"{path}\n{status}")

    def _placeholder_icon(self) -> QIcon:
        pixmap = QPixmap(THUMBNAIL_SIZE)
        pixmap.fill(self.palette().mid().color())
        return QIcon(pixmap)

    @Slot(Path, QImage)
    def _on_thumbnail(self, path: Path, image: QImage) -> None:
        item = self._items.get(path)
        if item is not None and not image.isNull():
            item.setIcon(QIcon(QPixmap.fromImage(image)))

    # -- output folder ---------------------------------------------------------------
    def output_folder(self) -> Path | None:
        text = self.folder_edit.text().strip()
        return Path(text) if text else None

    def set_output_folder(self, folder: Path | None) -> None:
        self.folder_edit.setText("" if folder is None else str(folder))

    def _ask_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, self.tr("Output folder"))
        if folder:
            self.set_output_folder(Path(folder))
            self.output_folder_changed.emit(Path(folder))

    def _folder_edited(self) -> None:
        self.output_folder_changed.emit(self.output_folder())

    def _ask_files(self) -> None:
        files, _filter = QFileDialog.getOpenFileNames(
            self,
            self.tr("Add images"),
            "",
            self.tr("Images (*.png *.jpg *.jpeg *.webp *.bmp *.tif *.tiff)"),
        )
        self.add_paths([Path(file) for file in files])

    def _ask_image_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, self.tr("Add a folder of images"))
        if folder:
            self.add_paths([Path(folder)])

    # -- running ---------------------------------------------------------------------
    @property
    def running(self) -> bool:
        """Whether a run (the blend fit and the batch after it) is under way."""
        return self._run_started is not None

    def queue(self, paths: Sequence[Path]) -> None:
        """Name the files the next run processes (all of the list unless called)."""
        self._queued = list(paths)

    def start_run(self) -> None:
        """A run's first job started: rows wait, the overall bar shows; once per run."""
        if self.running:
            return
        self._run_started, self._current, self._cancelling = self.clock(), None, False
        self._finished = set()
        self.run_button.setEnabled(False)
        self.cancel_button.setEnabled(True)
        self.shared.setEnabled(False)
        self.text.setEnabled(False)
        if not self._queued:
            self._queued = self.paths()
        self.set_summary(None)
        self._show_bars(file=False, overall=True)
        self.overall_bar.setFormat(self.tr("%v of %m files"))
        self.overall_bar.setRange(0, len(self._queued))
        self.overall_bar.setValue(0)
        for path in self._queued:
            self._set_status(path, self._waiting)

    def acknowledge_cancel(self) -> None:
        """Say at once that Cancel was heard; the run ends after the current model step."""
        if not self.running:
            return
        self._cancelling = True
        self.cancel_button.setEnabled(False)
        if self._current is not None:
            self._set_status(self._current[0], lambda: self.tr("Cancelling…"))
        self.set_summary(lambda: self.tr("Cancelling…"))

    def end_run(self, summary: BatchSummary) -> Wording:
        """Leave every row and bar in its final state, write the summary and return its wording.

        The file being processed when the run stopped reads "Cancelled" (or "Failed" when
        the batch job itself failed), files never begun "Not started".
        """
        self._ticker.stop()
        interrupted = None
        if self._current is not None and self._current[0] not in self._finished:
            interrupted = self._current[0]
            cancelled = summary.cancelled
            self._set_status(
                interrupted, lambda: self.tr("Cancelled") if cancelled else self.tr("Failed")
            )
        never = [p for p in self._queued if p not in self._finished and p != interrupted]
        for path in never:
            self._set_status(path, lambda: self.tr("Not started"))
        seconds = self.clock() - (self._run_started or self.clock())
        text = self._summary_text(summary, seconds, interrupted, len(never))
        counted = not summary.cancelled and interrupted is None
        self._queued = []
        self._run_started, self._current, self._cancelling = None, None, False
        self.run_button.setEnabled(self.list.count() > 0)
        self.cancel_button.setEnabled(False)
        self.shared.setEnabled(True)
        self.text.setEnabled(True)
        self._show_bars(file=False, overall=counted)
        self.set_summary(text)
        return text

    def _summary_text(
        self, summary: BatchSummary, seconds: float, interrupted: Path | None, never: int
    ) -> Wording:
        """The same words as the rows: Skipped, Cancelled, Not started, Failed."""
        total = len(self._queued)

        def text() -> str:
            lines = [
                self.tr("{done} of {total} files cleaned in {seconds:.1f} s.").format(
                    done=len(summary.done), total=total, seconds=seconds
                )
            ]
            if summary.skipped:
                lines.append(
                    self.tr("Skipped: {count} already cleaned").format(count=len(summary.skipped))
                )
            if interrupted is not None and summary.cancelled:
                lines.append(self.tr("Cancelled: {name}").format(name=interrupted.name))
            if never:
                lines.append(self.tr("Not started: {count}").format(count=never))
            if summary.failed:
                lines.append(self.tr("Failed:"))
                lines.extend(
                    self.tr("• {name}: {reason}").format(
                        name=shown_name(outcome.source, self._subfolders.get(outcome.source)),
                        reason=file_reason(outcome.error),
                    )
                    for outcome in summary.failed
                    if outcome.error is not None
                )
            return "\n".join(lines)

        return text

    def set_searching(self, searching: bool, *, text_files: int = 0) -> None:
        """A search runs: one bar for its progress, Cancel stops it.

        `text_files`: the text search counts files (that many), the shared-mark one percent.
        """
        self.run_button.setEnabled(not searching and self.list.count() > 0)
        self.cancel_button.setEnabled(searching)
        self._searching, self._searching_text = searching, searching and text_files > 0
        self.shared.set_searching(searching)
        self.text.setEnabled(not searching)
        self._show_bars(file=False, overall=searching)
        self.overall_bar.setFormat(self._overall_format())
        if searching:
            self.set_summary(None)
            self.overall_bar.setRange(0, text_files or 100)
            self.overall_bar.setValue(0)
        else:
            self.overall_bar.reset()

    def _overall_format(self) -> str:
        if self._searching_text:
            return self.tr("Finding text: %v of %m files")
        if self._searching:
            return self.tr("Finding the watermark: %p%")
        return self.tr("%v of %m files")

    def _show_bars(self, *, file: bool, overall: bool) -> None:
        """Bars show only while they mean something: empty, they look like text fields.

        After a completed batch the overall bar stays beside the summary; after a cancel
        both go, the summary says how far it got.
        """
        self.file_bar.setVisible(file)
        self.overall_bar.setVisible(overall)

    def set_search_progress(self, percent: int) -> None:
        self.overall_bar.setValue(percent)

    def on_event(self, event: object) -> None:
        """Update statuses and bars from a batch job's progress payload."""
        if isinstance(event, FileStarted):
            self._current = (event.path, self.clock())
            self.file_bar.setRange(0, 0)  # busy until the file's model steps are known
            self._show_bars(file=True, overall=True)
            self._tick()
            self._ticker.start()
            self.list.scrollToItem(self._items[event.path])
        elif isinstance(event, FileSteps):
            # One model call has no progress of its own: the bar stays busy, the row counts.
            self.file_bar.setRange(0, 0 if event.total == 1 else event.total)
            self.file_bar.setValue(event.done)
        elif isinstance(event, FileDone):
            outcome = event.outcome

            def status() -> str:
                if outcome.skipped:
                    return self.tr("Skipped: already cleaned")
                if outcome.error is not None:
                    return self.tr("Failed: {reason}").format(reason=file_reason(outcome.error))
                output = outcome.output
                subfolder = self._subfolders.get(outcome.source)
                done = self.tr("Done → {name}").format(
                    name=shown_name(output, subfolder) if output else ""
                )
                if any(note.kind is NoteKind.MASK_SCALED for note in outcome.notes):
                    done += " · " + self.tr("mask scaled")
                return done

            self._finished.add(outcome.source)
            self._set_status(outcome.source, status)
            self.overall_bar.setValue(event.index + 1)

    @Slot()
    def _tick(self) -> None:
        """Show how long the current file has taken, every second."""
        if self._current is None or self._cancelling:
            return
        path, started = self._current
        if path not in self._finished:
            seconds = int(self.clock() - started)
            self._set_status(path, lambda: self.tr("Working… {seconds} s").format(seconds=seconds))

    def _update_counts(self) -> None:
        self.run_button.setEnabled(self.list.count() > 0)
