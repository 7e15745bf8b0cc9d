"""The batch list: files with thumbnails and status, output folder, progress and summary."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QSize, Qt, Signal, Slot
from PySide6.QtGui import QIcon, QImage, QPixmap
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from lamadesk.core.batch import BatchSummary, expand_inputs
from lamadesk.ui.batch_job import FileDone, FileProgress, FileStarted
from lamadesk.ui.thumbnails import THUMBNAIL_SIZE, ThumbnailLoader

_PATH_ROLE = Qt.ItemDataRole.UserRole


class BatchPanel(QWidget):
    """Lists the batch; the window supplies the mask and runs it (`run_requested`)."""

    run_requested = Signal()
    cancel_requested = Signal()
    open_requested = Signal(Path)
    output_folder_changed = Signal(object)

    def __init__(self, thumbnails: ThumbnailLoader, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._thumbnails = thumbnails
        self._items: dict[Path, QListWidgetItem] = {}
        thumbnails.loaded.connect(self._on_thumbnail)

        self.list = QListWidget()
        self.list.setIconSize(QSize(64, 64))
        self.list.setSelectionMode(QListWidget.SelectionMode.ExtendedSelection)
        self.list.setUniformItemSizes(True)
        self.list.setWordWrap(True)
        self.list.itemDoubleClicked.connect(
            lambda item: self.open_requested.emit(item.data(_PATH_ROLE))
        )
        self.hint = QLabel(
            self.tr(
                "Double-click a file to open it and draw the mask; the same mask is "
                "applied to every file (scaled when sizes differ)."
            )
        )
        self.hint.setWordWrap(True)
        add_button = QPushButton(self.tr("Add…"))
        add_button.clicked.connect(self._ask_files)
        remove_button = QPushButton(self.tr("Remove selected"))
        remove_button.clicked.connect(self._remove_selected)
        clear_button = QPushButton(self.tr("Clear list"))
        clear_button.clicked.connect(self.clear)
        edit_row = QHBoxLayout()
        for button in (add_button, remove_button, clear_button):
            edit_row.addWidget(button)

        self.folder_edit = QLineEdit()
        self.folder_edit.setPlaceholderText(self.tr("Choose an output folder"))
        self.folder_edit.editingFinished.connect(self._folder_edited)
        browse = QPushButton(self.tr("Browse…"))
        browse.clicked.connect(self._ask_folder)
        folder_row = QHBoxLayout()
        folder_row.addWidget(QLabel(self.tr("Save to:")))
        folder_row.addWidget(self.folder_edit, 1)
        folder_row.addWidget(browse)

        self.run_button = QPushButton(self.tr("Remove from all"))
        self.run_button.setDefault(True)
        self.run_button.clicked.connect(self.run_requested)
        self.cancel_button = QPushButton(self.tr("Cancel"))
        self.cancel_button.clicked.connect(self.cancel_requested)
        self.cancel_button.setEnabled(False)
        run_row = QHBoxLayout()
        run_row.addWidget(self.run_button, 1)
        run_row.addWidget(self.cancel_button)

        self.file_bar = QProgressBar()
        self.file_bar.setFormat(self.tr("Current file: %p%"))
        self.overall_bar = QProgressBar()
        self.overall_bar.setFormat(self.tr("%v of %m files"))
        self.summary = QLabel()
        self.summary.setWordWrap(True)

        layout = QVBoxLayout(self)
        layout.addWidget(self.hint)
        layout.addWidget(self.list, 1)
        layout.addLayout(edit_row)
        layout.addLayout(folder_row)
        layout.addLayout(run_row)
        layout.addWidget(self.file_bar)
        layout.addWidget(self.overall_bar)
        layout.addWidget(self.summary)
        self._update_counts()

    # -- list ------------------------------------------------------------------------
    def paths(self) -> list[Path]:
        return [self.list.item(row).data(_PATH_ROLE) for row in range(self.list.count())]

    def add_paths(self, paths: Sequence[Path]) -> int:
        """Add files and the images inside folders; returns how many were new."""
        added = 0
        for path in expand_inputs(list(paths)):
            if path in self._items:
                continue
            item = QListWidgetItem(self._placeholder_icon(), "")
            item.setData(_PATH_ROLE, path)
            item.setSizeHint(QSize(THUMBNAIL_SIZE.width() * 3, 72))
            self._items[path] = item
            self.list.addItem(item)
            self._set_status(path, self.tr("Waiting"))
            self._thumbnails.request(path)
            added += 1
        self._update_counts()
        return added

    def clear(self) -> None:
        self.list.clear()
        self._items.clear()
        self.summary.clear()
        self._update_counts()

    def _remove_selected(self) -> None:
        for item in self.list.selectedItems():
            self._items.pop(item.data(_PATH_ROLE), None)
            self.list.takeItem(self.list.row(item))
        self._update_counts()

    def status_text(self, path: Path) -> str:
        return self._items[path].text().split("\n", 1)[1]

    def _set_status(self, path: Path, status: str) -> None:
        item = self._items.get(path)
        if item is not None:
            item.setText(f"{path.name}\n{status}")
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

    # -- running ---------------------------------------------------------------------
    def set_running(self, running: bool) -> None:
        self.run_button.setEnabled(not running)
        self.cancel_button.setEnabled(running)
        if running:
            self.summary.clear()
            self.file_bar.setValue(0)
            self.overall_bar.setRange(0, self.list.count())
            self.overall_bar.setValue(0)
            for path in self._items:
                self._set_status(path, self.tr("Waiting"))

    def on_event(self, event: object) -> None:
        """Update statuses and bars from a batch job's progress payload."""
        paths = self.paths()
        if isinstance(event, FileStarted):
            self.file_bar.setValue(0)
            self._set_status(event.path, self.tr("Working…"))
            self.list.scrollToItem(self._items[event.path])
        elif isinstance(event, FileProgress):
            self.file_bar.setValue(event.percent)
        elif isinstance(event, FileDone):
            outcome = event.outcome
            if outcome.ok:
                status = self.tr("Done → {name}").format(
                    name=outcome.output.name if outcome.output else ""
                )
                if any("scaled" in note for note in outcome.notes):
                    status += " · " + self.tr("mask scaled")
            else:
                status = self.tr("Skipped: {reason}").format(reason=outcome.error)
            self._set_status(
                paths[event.index] if event.index < len(paths) else outcome.source, status
            )
            self.file_bar.setValue(100)
            self.overall_bar.setValue(event.index + 1)

    def show_summary(self, summary: BatchSummary) -> str:
        """Write the closing summary under the bars and return it."""
        text = self.tr("{done} of {total} files cleaned in {seconds:.1f} s.").format(
            done=len(summary.done), total=self.list.count(), seconds=summary.seconds
        )
        if summary.cancelled:
            text += " " + self.tr("Cancelled: the remaining files were not processed.")
        if summary.failed:
            text += (
                "\n"
                + self.tr("Failed:")
                + "\n"
                + "\n".join(
                    f"• {outcome.source.name}: {outcome.error}" for outcome in summary.failed
                )
            )
        self.summary.setText(text)
        return text

    def _update_counts(self) -> None:
        self.run_button.setEnabled(self.list.count() > 0)
