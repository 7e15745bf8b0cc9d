"""File pickers of the main window: open (several files), open folder, choose a folder."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QFileDialog, QWidget

from lamadesk.ui.settings.store import AppSettings


class FileDialogs(QObject):
    """Asks for files; one file means "open it", several or a folder mean "batch"."""

    open_requested = Signal(Path)
    batch_requested = Signal(list)

    def __init__(self, parent: QWidget, settings: AppSettings) -> None:
        super().__init__(parent)
        self._parent, self._settings = parent, settings

    def _start_folder(self) -> str:
        return str(self._settings.last_folder or Path.home())

    def ask_open(self) -> None:
        files, _filter = QFileDialog.getOpenFileNames(
            self._parent,
            self.tr("Open images"),
            self._start_folder(),
            self.tr("Images (*.png *.jpg *.jpeg *.webp *.bmp *.tif *.tiff);;All files (*)"),
        )
        paths = [Path(file) for file in files]
        if len(paths) == 1:
            self.open_requested.emit(paths[0])
        elif paths:
            self.batch_requested.emit(paths)

    def ask_open_folder(self) -> None:
        folder = self.ask_folder(self.tr("Open a folder of images"))
        if folder is not None:
            self.batch_requested.emit([folder])

    def ask_folder(self, title: str) -> Path | None:
        folder = QFileDialog.getExistingDirectory(self._parent, title, self._start_folder())
        return Path(folder) if folder else None
