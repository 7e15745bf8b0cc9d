"""File ▸ Import Mask: a mask file becomes the open image's mask, as one undo step.

The file is read by the core's `read_mask_image`, so the app follows the same rule as
`lamadesk-cli remove --mask` (alpha when the file has a meaningful one, else any non-black
pixel). The question about a mask over most of the image comes when Remove is pressed.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PySide6.QtCore import QObject, Slot
from PySide6.QtWidgets import QFileDialog, QWidget

from lamadesk.core import masks
from lamadesk.core.cancel import CancelToken
from lamadesk.core.image_io import read_mask_image
from lamadesk.ui.canvas.document import Document
from lamadesk.ui.canvas.mask_editor import MaskEditor
from lamadesk.ui.errors import show_error
from lamadesk.ui.jobs.runner import Job, JobHandlers, JobRunner, ProgressSink
from lamadesk.ui.settings.store import AppSettings
from lamadesk.ui.status_bar import StatusReporter


@dataclass(frozen=True)
class ImportedMask:
    """Result of an import job: the file and its (H, W) bool mask."""

    path: Path
    mask: np.ndarray


class MaskImporter(QObject):
    """Reads a mask off the GUI thread, scales it to the image and replaces the mask."""

    def __init__(
        self,
        parent: QWidget,
        document: Document,
        files: JobRunner,
        settings: AppSettings,
        status: StatusReporter,
    ) -> None:
        super().__init__(parent)
        self._parent, self._document, self._files = parent, document, files
        self._settings, self._status = settings, status
        self._editor = MaskEditor(document)
        self._pending: tuple[int, int] | None = None
        """(job id, document serial) of the import under way."""

    @Slot()
    def ask(self) -> None:
        file, _filter = QFileDialog.getOpenFileName(
            self._parent,
            self.tr("Import mask"),
            str(self._settings.last_folder or Path.home()),
            self.tr("Images (*.png *.jpg *.jpeg *.webp *.bmp *.tif *.tiff);;All files (*)"),
        )
        if file:
            self.load(Path(file))

    def load(self, path: Path) -> Job | None:
        """Queue reading `path`; None when no image is open to take the mask."""
        if self._document.is_empty:
            self._status.show_words(lambda: self.tr("Open an image first."), 5000)
            return None

        def run(_sink: ProgressSink, _token: CancelToken) -> ImportedMask:
            return ImportedMask(path, read_mask_image(path))

        job = Job("mask", run)
        self._pending = (job.id, self._document.serial)
        return self._files.submit(
            job,
            JobHandlers(
                succeeded=lambda result: self._done(job, result),
                failed=self._failed,
            ),
        )

    def _done(self, job: Job, result: object) -> None:
        if not isinstance(result, ImportedMask):
            return
        pending, self._pending = self._pending, None
        if pending != (job.id, self._document.serial):
            return  # another image was opened meanwhile
        height, width = self._document.height, self._document.width
        mask = masks.resize_mask(result.mask, height, width)
        self._editor.replace(mask, self.tr("Import mask"))
        name, percent = result.path.name, round(masks.coverage(mask) * 100)
        scaled_from = None if mask.shape == result.mask.shape else result.mask.shape

        def message() -> str:
            words = self.tr("Mask imported from {name}: it covers {percent}% of the image.")
            words = words.format(name=name, percent=percent)
            if scaled_from is not None:
                words += " " + self.tr("It was scaled from {width}×{height}.").format(
                    width=scaled_from[1], height=scaled_from[0]
                )
            return words

        self._status.show_words(message, 10000)

    def _failed(self, error: object) -> None:
        self._pending = None
        show_error(self._parent, self.tr("Cannot import the mask"), error)
