"""Starting a batch from the main window and reporting its end.

The checks that protect people come first: a mask must exist (or a reviewed shared-watermark
search with files checked), the output folder must not hold any of the originals (so
nothing is overwritten, whatever the file names), and when some outputs already exist the
person says what to do with them before any file is processed.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QMessageBox

from lamadesk.core.batch import BatchRequest, BatchSummary, Planner, same_mask
from lamadesk.core.image_io import OutputFormat
from lamadesk.core.output_names import ExistingOutputs, PlannedOutput, plan_outputs
from lamadesk.ui.batch.existing_outputs import ExistingAnswer, ask_existing_outputs
from lamadesk.ui.canvas.large_mask import confirm_large_mask
from lamadesk.ui.errors import show_error
from lamadesk.ui.jobs.runner import Job

if TYPE_CHECKING:
    from lamadesk.ui.main_window import MainWindow

translate = QCoreApplication.translate

_POLICIES = {
    ExistingAnswer.OVERWRITE: ExistingOutputs.OVERWRITE,
    ExistingAnswer.SKIP: ExistingOutputs.SKIP,
}
"""The core's policy for the person's answer; FAIL (replace nothing) otherwise."""


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
    mask = document.mask_array()
    if not confirm_large_mask(window, mask):
        return None
    width, height = document.width, document.height
    panel.set_summary(
        lambda: translate(
            "MainWindow", "The mask ({width}×{height}) is scaled to images of other sizes."
        ).format(width=width, height=height)
    )
    return _submit(window, paths, same_mask(mask))


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
    """Settle the output folder and existing outputs, then queue `before`'s jobs and the batch.

    Every question comes before any work. The core plans the same names again and applies
    the answer file by file; an output that appears meanwhile is never replaced unless the
    person chose Overwrite.
    """
    fmt = window.saver.output_format()
    settled = _settle_outputs(window, paths, fmt)
    if settled is None:
        return None
    folder, answer, existing = settled
    request = BatchRequest(
        sources=tuple(paths),
        planner=planner,
        out_dir=folder,
        options=window.options(),
        fmt=fmt,
        existing=_POLICIES.get(answer, ExistingOutputs.FAIL),
    )
    window.batch_panel.queue(paths)
    if not (answer is ExistingAnswer.SKIP and len(existing) == len(paths)):
        before()  # no blend to fit when every file is skipped
    return window.context.engine.batch(request)


def _settle_outputs(
    window: MainWindow, paths: list[Path], fmt: OutputFormat
) -> tuple[Path, ExistingAnswer | None, list[PlannedOutput]] | None:
    """The output folder, the answer for outputs already there (None: none are) and those.

    None when the person cancels, or the folder holds originals (which is said).
    """
    panel = window.batch_panel
    folder = panel.output_folder()
    while True:
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
                    "The output folder holds some of the originals; choose a different folder "
                    "so nothing is overwritten.",
                ),
            )
            return None
        existing = [planned for planned in plan_outputs(paths, folder, fmt) if planned.exists]
        if not existing:
            return folder, None, []
        answer = ask_existing_outputs(window, existing, folder)
        if answer is ExistingAnswer.CANCEL:
            return None
        if answer is not ExistingAnswer.OTHER_FOLDER:
            return folder, answer, existing
        folder = None


def finish_batch(window: MainWindow, summary: BatchSummary) -> None:
    """Show the summary under the list and in the status bar; failures also in a dialog.

    Rows and bars reach their final state before the dialog, which waits for the person.
    """
    text = window.batch_panel.end_run(summary)
    window.progress.hide()
    window.status_bar.show_words(lambda: text().splitlines()[0], 15000)
    if summary.failed:
        QMessageBox.warning(window, translate("MainWindow", "Batch finished with failures"), text())
