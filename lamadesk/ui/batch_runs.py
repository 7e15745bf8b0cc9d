"""Starting a batch from the main window and reporting its end.

The checks that protect people come first: a mask must exist (or a reviewed shared-watermark
search with files checked), and the output folder must not hold any of the originals (so
nothing is overwritten, whatever the file names).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QMessageBox

from lamadesk.core.batch import BatchRequest, BatchSummary, Planner, same_mask
from lamadesk.ui.errors import show_error
from lamadesk.ui.jobs import Job

if TYPE_CHECKING:
    from lamadesk.ui.main_window import MainWindow

translate = QCoreApplication.translate


def start_batch(window: MainWindow) -> Job | None:
    """Queue the batch of `window`'s list; None if it cannot start.

    With a shared-watermark search under review, the checked files are cleaned with what it
    found (and the person's corrections); otherwise the current mask goes on every file.
    """
    if window.shared_mark.active:
        return _start_shared_mark_batch(window)
    document, panel = window.document, window.batch_panel
    paths = panel.paths()
    if document.is_empty or document.mask_is_empty():
        show_error(
            window,
            translate("MainWindow", "No mask"),
            translate(
                "MainWindow",
                "Open one of the images (double-click it in the list) and paint the area to "
                "remove; that mask is then used for every file.",
            ),
        )
        return None
    width, height = document.width, document.height
    panel.set_summary(
        lambda: translate(
            "MainWindow", "The mask ({width}×{height}) is scaled to images of other sizes."
        ).format(width=width, height=height)
    )
    return _submit(window, paths, same_mask(document.mask_array()))


def _start_shared_mark_batch(window: MainWindow) -> Job | None:
    paths, planner = window.shared_mark.removal()
    if not paths:
        show_error(
            window,
            translate("MainWindow", "No file checked"),
            translate(
                "MainWindow",
                "Check the files to clean in the list (or press “Accept selected”); files "
                "where the watermark was not found need their mask painted first.",
            ),
        )
        return None
    return _submit(window, paths, planner, lambda: window.shared_mark.prepare(planner))


def _submit(
    window: MainWindow,
    paths: list[Path],
    planner: Planner,
    before: Callable[[], None] = lambda: None,
) -> Job | None:
    """Check the output folder, then queue `before`'s jobs (if any) and the batch."""
    panel = window.batch_panel
    folder = panel.output_folder()
    if folder is None:
        folder = window.files.ask_folder(
            translate("MainWindow", "Where should the cleaned files go?")
        )
        if folder is None:
            return None
        panel.set_output_folder(folder)
        window.settings.batch_folder = folder
    if any(path.parent.resolve() == folder.resolve() for path in paths):
        show_error(
            window,
            translate("MainWindow", "Choose another folder"),
            translate(
                "MainWindow",
                "The output folder holds some of the originals; choose a different folder so "
                "nothing is overwritten.",
            ),
        )
        return None
    request = BatchRequest(
        sources=tuple(paths),
        planner=planner,
        out_dir=folder,
        options=window.options(),
        fmt=window.saver.output_format(),
    )
    panel.queue(paths)
    before()
    return window.context.engine.batch(request)


def finish_batch(window: MainWindow, summary: BatchSummary) -> None:
    """Show the summary under the list and in the status bar; failures also in a dialog."""
    window.batch_panel.set_running(False)
    text = window.batch_panel.show_summary(summary)
    window.status_bar.show_words(lambda: text().splitlines()[0], 15000)
    if summary.failed:
        QMessageBox.warning(window, translate("MainWindow", "Batch finished with failures"), text())
