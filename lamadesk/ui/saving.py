"""Save and Save As for the main window; the original file is never replaced.

Save writes ``<name>.clean.<ext>`` beside the original (or into the chosen output folder) and
asks before replacing an existing file; Save As refuses the original's own path. Writing
runs on the files runner, with the core's `write_image` keeping EXIF, ICC and JPEG quality.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
from PySide6.QtCore import QObject
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from lamadesk.core.image_io import OutputFormat
from lamadesk.ui.context import AppContext
from lamadesk.ui.errors import show_error
from lamadesk.ui.file_ops import Saved, default_save_path, output_format, same_file, save_job
from lamadesk.ui.jobs.runner import JobHandlers
from lamadesk.ui.note_texts import notes_text
from lamadesk.ui.status_bar import StatusReporter


class Saver(QObject):
    """Save, Save As and the questions around them (`parent` is the dialogs' parent)."""

    def __init__(self, parent: QWidget, context: AppContext, status: StatusReporter) -> None:
        super().__init__(parent)
        self._window, self._context, self._status = parent, context, status
        self._document = context.document
        self._after_save: Callable[[], object] | None = None
        """What waits for the file being written (`confirm_discard`)."""

    def output_format(self) -> OutputFormat:
        return output_format(self._context.settings.save_format)

    def default_path(self) -> Path | None:
        source, path = self._document.source, self._document.path
        if source is None or path is None:
            return None
        settings = self._context.settings
        return default_save_path(source, path, settings.save_format, settings.output_folder)

    def save(self) -> bool:
        """Write to the default name; returns False if nothing was started."""
        target = self.default_path()
        if target is None:
            return self.save_as()
        overwrite = False
        if target.exists():
            if not self.confirm_replace(target):
                return False
            overwrite = True
        return self.write(target, overwrite)

    def save_as(self) -> bool:
        if self._document.is_empty:
            return False
        suggestion = self.default_path() or Path.home() / "cleaned.png"
        name, _filter = QFileDialog.getSaveFileName(
            self._window,
            self.tr("Save the cleaned image as"),
            str(suggestion),
            self.tr("Images (*.png *.jpg *.jpeg *.webp *.tif *.tiff *.bmp)"),
        )
        if not name:
            return False
        # The dialog has already asked about replacing an existing file.
        return self.write(Path(name), overwrite=True)

    def write(self, target: Path, overwrite: bool) -> bool:
        """Start writing unless `target` is the original."""
        if same_file(target, self._document.path):
            show_error(
                self._window,
                self.tr("Cannot save"),
                self.tr(
                    "{name} is the original; lamadesk never overwrites it. Choose another name."
                ).format(name=target.name),
            )
            return False
        source = self._document.source
        if source is None:
            return False
        rgb = np.array(self._document.rgb)
        job = save_job(
            source,
            rgb,
            self._document.changed_mask(),
            target,
            self._context.settings.save_format,
            overwrite,
        )
        self._status.show_words(lambda: self.tr("Saving {name}…").format(name=target.name))
        self._context.files.submit(job, JobHandlers(succeeded=self._written, failed=self._failed))
        return True

    def _written(self, result: object) -> None:
        if isinstance(result, Saved):
            self.saved(result)

    def _failed(self, error: object) -> None:
        self._after_save = None  # nothing goes ahead
        self._status.clearMessage()
        show_error(self._window, self.tr("Cannot save"), error)

    def saved(self, result: Saved) -> None:
        """Mark the document saved, say where it went and what the format changed, go on."""
        self._document.mark_saved()
        path = result.path

        def words() -> str:
            if result.notes:  # worded now: the language may change while the message shows
                notes = notes_text(result.notes, "; ")
                return self.tr("Saved {path}. Note: {notes}").format(path=path, notes=notes)
            return self.tr("Saved {path}").format(path=path)

        self._status.show_words(words, 10000)
        then, self._after_save = self._after_save, None
        if then is not None:
            then()

    def confirm_replace(self, target: Path) -> bool:
        answer = QMessageBox.question(
            self._window,
            self.tr("Replace file?"),
            self.tr("{name} already exists. Replace it?").format(name=target.name),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        return answer == QMessageBox.StandardButton.Yes

    def confirm_discard(self, then: Callable[[], object]) -> bool:
        """Ask before unsaved changes of the image are lost; True means go ahead now.

        A brushed mask alone is not asked about (`Document.has_unsaved_edits`). Save writes
        as the Save action does, in the background, and calls `then` (the step that asked:
        open, paste, close) once the file is written; not if writing fails or is declined.
        """
        if not self._document.has_unsaved_edits():
            return True
        button = QMessageBox.StandardButton
        answer = QMessageBox.question(
            self._window,
            self.tr("Unsaved changes"),
            self.tr("Your changes to this image are not saved. Save them first?"),
            button.Save | button.Discard | button.Cancel,
            button.Save,
        )
        if answer == button.Discard:
            return True
        if answer == button.Save and self.save():
            self._after_save = then
        return False
