"""The main window: canvas, tools, remove/cancel, files, batch dock and status bar."""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

import numpy as np
from PySide6.QtCore import QEvent, QRect, Qt, Signal, Slot
from PySide6.QtGui import QCloseEvent, QDragEnterEvent, QDropEvent, QGuiApplication, QKeyEvent
from PySide6.QtWidgets import (
    QApplication,
    QDockWidget,
    QLabel,
    QMainWindow,
    QVBoxLayout,
    QWidget,
)

from lamadesk.core.models.registry import chosen_weights
from lamadesk.core.pipeline import InpaintOptions, InpaintResult
from lamadesk.ui.actions import build_actions, retranslate_actions
from lamadesk.ui.batch.batch_panel import BatchPanel
from lamadesk.ui.batch.batch_runs import BatchRuns
from lamadesk.ui.batch.shared_mark import SharedMarkController
from lamadesk.ui.canvas import mask_import
from lamadesk.ui.canvas.commands import RemovalCommand, nonempty_tiles, read_tiles
from lamadesk.ui.canvas.large_mask import confirm_large_mask
from lamadesk.ui.canvas.view import CanvasView, Tool
from lamadesk.ui.context import AppContext
from lamadesk.ui.errors import show_error
from lamadesk.ui.file_dialogs import FileDialogs
from lamadesk.ui.file_ops import Opened, is_image_file, open_job, pasted_image
from lamadesk.ui.help import Help
from lamadesk.ui.jobs.runner import Job, JobHandlers, StepProgress
from lamadesk.ui.models.compile_controller import CompileStatus, SpeedUp
from lamadesk.ui.models.engine_texts import EngineTexts, engine_name, engine_texts
from lamadesk.ui.models.load_outcome import LoadOutcome
from lamadesk.ui.models.model_watcher import ModelWatcher
from lamadesk.ui.models.model_widgets import ModelOfferBanner, explain_failure
from lamadesk.ui.note_texts import note_text
from lamadesk.ui.saving import Saver
from lamadesk.ui.status_bar import ProgressIndicator, StatusBar, Wording
from lamadesk.ui.text.find_text import FindTextController
from lamadesk.ui.text.text_batch import TextBatchController
from lamadesk.ui.text.text_panel import TextPanel

log = logging.getLogger(__name__)

COMPARE_KEY = Qt.Key.Key_Backslash


class MainWindow(QMainWindow):
    """Everything a person sees; the long-lived state comes in through `AppContext`."""

    settings_requested = Signal()

    def __init__(self, context: AppContext) -> None:
        super().__init__()
        self.context = context
        self.document = context.document
        self.settings = context.settings
        self._inpaint: tuple[Job, int, int] | None = None
        """(job, document serial, pixels version) of the running removal."""

        self._engine_texts: Callable[[], EngineTexts] = lambda: EngineTexts(
            self.tr("Starting…"), "", ""
        )
        """Words the engine label and its tooltip from what was last heard of the engine."""

        self.canvas = CanvasView(self.document)
        self.banner = ModelOfferBanner(context.models)
        self.banner.dismissed.connect(self._offer_dismissed)
        self.model_watcher = ModelWatcher(context.models.store.path(context.models.name), self)
        central = QWidget()
        layout = QVBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.banner)
        layout.addWidget(self.canvas, 1)
        self.setCentralWidget(central)
        self.setAcceptDrops(True)

        self.batch_panel = BatchPanel(context.thumbnails)
        self.batch_panel.set_output_folder(self.settings.batch_folder)
        self.batch_dock = QDockWidget(self)
        self.batch_dock.setObjectName("batchDock")
        self.batch_dock.setWidget(self.batch_panel)
        self.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.batch_dock)
        self.batch_dock.hide()

        self.actions_ = build_actions(self)
        self.text_panel = TextPanel(self.actions_.find_text)
        self.text_dock = QDockWidget(self)
        self.text_dock.setObjectName("textDock")
        self.text_dock.setWidget(self.text_panel)
        self.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.text_dock)
        self.text_dock.hide()
        self._build_status_bar()
        status, progress = self.status_bar, self.progress
        self.files = FileDialogs(self, self.settings)
        self.saver = Saver(self, context, status)
        self.help = Help(self, context, status)
        self.shared_mark = SharedMarkController(
            self,
            self.batch_panel,
            self.document,
            context.engine.runner,
            status,
            progress,
            self.open_file,
        )
        self.find_text = FindTextController(
            self,
            self.document,
            self.text_panel,
            context.engine.runner,
            context.text_detectors,
            status,
            progress,
        )
        self.text_batch = TextBatchController(
            self,
            panel=self.batch_panel,
            document=self.document,
            runner=context.engine.runner,
            detectors=context.text_detectors,
            sensitivity=self.text_panel.chosen_sensitivity,
            status=status,
            progress=progress,
            open_file=self.open_file,
        )
        self.mask_import = mask_import.MaskImporter(
            self, self.document, context.files, self.settings, status
        )
        self.batch_runs = BatchRuns(
            self,
            panel=self.batch_panel,
            document=self.document,
            shared_mark=self.shared_mark,
            text=self.text_batch,
            engine=context.engine,
            files=self.files,
            settings=self.settings,
            output_format=self.saver.output_format,
            options=self.options,
            status=status,
            progress=progress,
        )
        self._connect()
        self.canvas.set_brush_size(self.settings.brush_size)
        self._brush_size_changed(self.canvas.brush_size)
        self._retranslate()
        self._update_offer()
        self._update_actions()
        self._compile_status(context.compiler.status)
        if not self.settings.window_geometry.isEmpty():
            self.restoreGeometry(self.settings.window_geometry)
        else:
            self.resize(1280, 820)
        self.restoreState(self.settings.window_state)

    # -- construction ----------------------------------------------------------------
    def _retranslate(self) -> None:
        """Set every text the window owns in the current language; state stays as it is.

        Called at construction and on Qt's LanguageChange, which reaches every widget when a
        translator is installed or removed: child widgets re-word themselves.
        """
        self.canvas.set_placeholder(
            self.tr(
                "Drop an image here, or open one with Ctrl+O.\n"
                "Paint over what should disappear, then press Enter."
            )
        )
        self.batch_dock.setWindowTitle(self.tr("Batch"))
        self.text_dock.setWindowTitle(self.tr("Text"))
        retranslate_actions(self.actions_)
        self.actions_.size_label.setText(self.tr("{size} px").format(size=self.canvas.brush_size))
        self._show_engine()
        self.compile_label.setText(self.context.compiler.status.text())
        self._update_title()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
        super().changeEvent(event)

    def _build_status_bar(self) -> None:
        self.status_bar = StatusBar()
        self.setStatusBar(self.status_bar)
        bar = self.status_bar
        self.progress = ProgressIndicator()
        self.engine_label = QLabel()
        self.compile_label = QLabel()
        self.compile_label.hide()
        self.zoom_label = QLabel()
        bar.addPermanentWidget(self.progress)
        bar.addPermanentWidget(self.compile_label)
        bar.addPermanentWidget(self.engine_label)
        bar.addPermanentWidget(self.zoom_label)

    def _connect(self) -> None:
        a, doc, ctx = self.actions_, self.document, self.context
        a.open.triggered.connect(self.files.ask_open)
        a.open_folder.triggered.connect(self.files.ask_open_folder)
        a.paste.triggered.connect(self.paste)
        a.save.triggered.connect(self.saver.save)
        a.save_as.triggered.connect(self.saver.save_as)
        a.settings.triggered.connect(self.settings_requested)
        a.quit.triggered.connect(self.close)
        a.undo.triggered.connect(doc.undo_stack.undo)
        a.redo.triggered.connect(doc.undo_stack.redo)
        a.clear_mask.triggered.connect(self.canvas.clear_mask)
        a.brush.triggered.connect(lambda: self.canvas.set_tool(Tool.BRUSH))
        a.eraser.triggered.connect(lambda: self.canvas.set_tool(Tool.ERASER))
        a.rectangle.triggered.connect(lambda: self.canvas.set_tool(Tool.RECTANGLE))
        a.smaller.triggered.connect(lambda: self.canvas.change_brush_size(-1))
        a.larger.triggered.connect(lambda: self.canvas.change_brush_size(1))
        a.size_slider.valueChanged.connect(self.canvas.set_brush_size)
        a.fit.triggered.connect(self.canvas.fit)
        a.actual.triggered.connect(self.canvas.actual_size)
        a.compare.toggled.connect(self.canvas.show_original)
        a.remove.triggered.connect(self.remove)
        a.find_text.triggered.connect(self.find_text_now)
        a.cancel.triggered.connect(self.cancel)
        a.batch.toggled.connect(self.batch_dock.setVisible)
        a.shortcuts_help.triggered.connect(self.help.show_shortcuts)
        a.open_log_folder.triggered.connect(self.help.open_log_folder)
        a.about.triggered.connect(self.help.show_about)
        a.import_mask.triggered.connect(self.mask_import.ask)
        self.batch_dock.visibilityChanged.connect(a.batch.setChecked)
        a.recent_menu.aboutToShow.connect(self._fill_recent_menu)
        self.files.open_requested.connect(self.open_file)
        self.files.batch_requested.connect(self.add_to_batch)

        self.canvas.brush_size_changed.connect(self._brush_size_changed)
        self.canvas.rectangle_drawn.connect(self.find_text.set_rectangle)
        self.text_panel.region_picked.connect(
            lambda index: self.canvas.show_outline(self.find_text.region_rect(index))
        )
        self.canvas.zoom_changed.connect(lambda zoom: self.zoom_label.setText(f"{zoom * 100:.0f}%"))
        doc.undo_stack.cleanChanged.connect(self._update_modified)
        doc.undo_stack.indexChanged.connect(self._update_modified)
        doc.undo_stack.canUndoChanged.connect(a.undo.setEnabled)
        doc.undo_stack.canRedoChanged.connect(a.redo.setEnabled)
        doc.opened.connect(self._update_title)
        doc.opened.connect(self._update_actions)

        ctx.engine.status_changed.connect(self._engine_status)
        ctx.engine.backend_changed.connect(self._backend_ready)
        ctx.engine.load_failed.connect(self._backend_failed)
        ctx.engine.runner.busy_changed.connect(self._update_actions)
        self.batch_runs.running_changed.connect(self._update_actions)
        ctx.compiler.status_changed.connect(self._compile_status)
        ctx.models.installed.connect(self._model_installed)
        self.model_watcher.changed.connect(self._model_installed)  # by the CLI, say
        ctx.models.failed.connect(self._model_failed)

        self.batch_panel.open_requested.connect(self._open_listed)
        self.batch_panel.text.find_requested.connect(self.find_text_in_all)
        self.batch_panel.shared.find_requested.connect(self.text_batch.forget)
        self.batch_panel.output_folder_changed.connect(
            lambda folder: setattr(self.settings, "batch_folder", folder)
        )

    # -- files -----------------------------------------------------------------------
    def open_file(self, path: Path) -> None:
        """Read `path` off the GUI thread; the canvas shows it when the job finishes."""
        if not self.saver.confirm_discard(lambda: self.open_file(path)):
            return
        self.status_bar.show_words(lambda: self.tr("Opening {name}…").format(name=path.name))
        self.context.files.submit(
            open_job(path), JobHandlers(succeeded=self._opened, failed=self._open_failed)
        )

    def add_to_batch(self, paths: list[Path]) -> None:
        added = self.batch_panel.add_paths(paths)
        self.batch_dock.show()
        self.status_bar.show_words(
            lambda: self.tr("{count} file(s) added to the batch.").format(count=added), 5000
        )
        if self.document.is_empty and self.batch_panel.paths():
            self.open_file(self.batch_panel.paths()[0])

    def open_paths(self, paths: list[Path]) -> None:
        """One image opens in the canvas; several images or a folder go to the batch list."""
        if len(paths) == 1 and is_image_file(paths[0]):
            self.open_file(paths[0])
        elif paths:
            self.add_to_batch(paths)

    def paste(self) -> None:
        clipboard = QGuiApplication.clipboard()
        image = clipboard.image()
        if not image.isNull():
            if self.saver.confirm_discard(self.paste):
                self.document.load(pasted_image(image), None)
            return
        urls = [Path(url.toLocalFile()) for url in clipboard.mimeData().urls() if url.isLocalFile()]
        if urls:
            self.open_paths(urls)
        else:
            self.status_bar.show_words(lambda: self.tr("The clipboard holds no image."), 5000)

    def _opened(self, result: object) -> None:
        if isinstance(result, Opened):
            self.document.load(result.image, result.path)
            self.settings.add_recent_file(result.path)
            self.settings.last_folder = result.path.parent
            notes = result.image.source.notes
            width, height = self.document.width, self.document.height
            self.status_bar.show_words(
                lambda: (
                    self.tr("Opened {name} ({width}×{height}).").format(
                        name=result.path.name, width=width, height=height
                    )
                    + "".join(f" {note_text(note)}" for note in notes)
                ),
                8000,
            )

    def _open_failed(self, error: object) -> None:
        self.status_bar.clearMessage()
        show_error(self, self.tr("Cannot open the image"), error)

    def _fill_recent_menu(self) -> None:
        menu = self.actions_.recent_menu
        menu.clear()
        missing = [path for path in self.settings.recent_files if not path.is_file()]
        if missing:
            self.settings.forget_recent_files(missing)
            names = ", ".join(path.name for path in missing)
            self.status_bar.show_words(
                lambda: self.tr(
                    "Removed from Open Recent, as they no longer exist: {names}"
                ).format(names=names),
                10000,
            )
        for path in self.settings.recent_files:
            entry = menu.addAction(str(path).replace("&", "&&"))  # "&" would be a mnemonic
            entry.triggered.connect(lambda _=False, p=path: self.open_file(p))
        if menu.isEmpty():
            menu.addAction(self.tr("(none)")).setEnabled(False)
        else:
            menu.addSeparator()
            menu.addAction(self.tr("Clear list")).triggered.connect(
                self.settings.clear_recent_files
            )

    # -- drag and drop ---------------------------------------------------------------
    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if any(url.isLocalFile() for url in event.mimeData().urls()):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        paths = [Path(url.toLocalFile()) for url in event.mimeData().urls() if url.isLocalFile()]
        if paths:
            event.acceptProposedAction()
            self.open_paths(paths)

    # -- removal ---------------------------------------------------------------------
    def options(self) -> InpaintOptions:
        return InpaintOptions(strategy=self.settings.strategy, dilate_px=self.settings.dilation)

    def remove(self) -> Job | None:
        """Send the image and the mask to the worker; the result comes back as one undo step."""
        if self.document.is_empty:
            self.status_bar.show_words(lambda: self.tr("Open an image first."), 5000)
            return None
        if self.document.mask_is_empty():
            self.status_bar.show_words(
                lambda: self.tr("Paint over what should disappear first."), 5000
            )
            return None
        if self._inpaint is not None:
            return None
        mask = self.document.mask_array()
        if not confirm_large_mask(self, mask):
            return None
        self.actions_.compare.setChecked(False)
        job = self.context.engine.inpaint(
            np.array(self.document.rgb),
            mask,
            self.options(),
            JobHandlers(
                started=self._removal_started,
                progressed=self._removal_progress,
                succeeded=self._removal_succeeded,
                failed=self._removal_failed,
                cancelled=self._removal_cancelled,
            ),
        )
        self._inpaint = (job, self.document.serial, self.document.pixels_version)
        self._update_actions()
        return job

    def find_text_now(self) -> Job | None:
        """Show the Text dock and search the open image (see `FindTextController`)."""
        if not self.document.is_empty:
            self.text_dock.show()
        return self.find_text.find()

    def find_text_in_all(self) -> Job | None:
        """Search every listed file for text; a shared-watermark review ends first."""
        self.shared_mark.forget()
        return self.text_batch.find()

    def _open_listed(self, path: Path) -> None:
        """Open a file double-clicked in the batch list, for the review that is on."""
        (self.text_batch if self.text_batch.active else self.shared_mark).open(path)

    def cancel(self) -> None:
        """Cancel the removal or text search, or the batch run as the panel's Cancel does."""
        self.context.engine.runner.cancel(None if self._inpaint is None else self._inpaint[0])
        self.find_text.cancel()
        self.batch_panel.cancel_requested.emit()

    def _apply_result(self, result: InpaintResult) -> None:
        rows, cols = (
            np.flatnonzero(result.mask.any(axis=1)),
            np.flatnonzero(result.mask.any(axis=0)),
        )
        if rows.size:
            rect = QRect(
                int(cols[0]), int(rows[0]), int(cols[-1] - cols[0] + 1), int(rows[-1] - rows[0] + 1)
            )
            after = result.rgb[
                rect.top() : rect.bottom() + 1, rect.left() : rect.right() + 1
            ].copy()
            mask_before = read_tiles(self.document, nonempty_tiles(self.document))
            self.document.undo_stack.push(RemovalCommand(self.document, rect, after, mask_before))
        self.status_bar.show_words(
            lambda: (
                self.tr("Removed in {seconds:.1f} s with {engine}.").format(
                    seconds=result.seconds, engine=engine_name(result.backend, result.device)
                )
                + "".join(f" {note_text(note)}" for note in result.notes)
            ),
            10000,
        )

    # -- engine and job signals ------------------------------------------------------
    def _show_engine(self) -> None:
        texts = self._engine_texts()
        self.engine_label.setText(texts.label)
        self.engine_label.setToolTip(texts.tooltip)

    @Slot(object)
    def _engine_status(self, words: Wording) -> None:
        self._engine_texts = lambda: EngineTexts(words(), "", "")
        self._show_engine()
        self.status_bar.show_words(words)

    @Slot(object)
    def _backend_ready(self, outcome: LoadOutcome) -> None:
        report = outcome.opened.device_report or self.context.engine.report
        model_missing = (
            chosen_weights(self.settings.model_choice) is not None
            and not self.context.models.status().installed
        )
        found = (
            self.model_watcher.take_found()
            and outcome.opened.backend.name == self.context.models.name
        )

        def texts() -> EngineTexts:
            return engine_texts(outcome, report, model_missing)

        def message() -> str:
            found_text = self.tr("LaMa model found: now using LaMa.") + " " if found else ""
            return found_text + texts().message

        self._engine_texts = texts
        self._show_engine()
        self.status_bar.show_words(message, 15000)
        self._update_offer()

    @Slot(object)
    def _compile_status(self, status: CompileStatus) -> None:
        """A compile in progress stays in view; finished ones are a passing message."""
        self.compile_label.setVisible(status.state is SpeedUp.COMPILING)
        self.compile_label.setText(status.text())
        if status.state in (SpeedUp.READY, SpeedUp.FAILED):
            self.status_bar.show_words(status.text, 10000)

    @Slot(object)
    def _backend_failed(self, error: object) -> None:
        self._engine_texts = lambda: EngineTexts(self.tr("No model loaded"), "", "")
        self._show_engine()
        show_error(self, self.tr("The model could not be loaded"), error)

    # -- the removal job's handlers --------------------------------------------------
    def _removal_started(self) -> None:
        self.progress.busy()  # until its model steps are known
        self.status_bar.show_words(lambda: self.tr("Removing…"))

    def _removal_progress(self, payload: object) -> None:
        if isinstance(payload, StepProgress):
            # One model call has no progress of its own: the bar stays busy.
            self.progress.show_steps(payload.done, 0 if payload.total == 1 else payload.total)

    def _removal_succeeded(self, result: object) -> None:
        expected, self._inpaint = self._inpaint, None
        if isinstance(result, InpaintResult):
            if expected and expected[1:] == (self.document.serial, self.document.pixels_version):
                self._apply_result(result)
            else:
                self.status_bar.show_words(
                    lambda: self.tr("The image changed meanwhile; that result was dropped."), 8000
                )
        self._removal_ended()

    def _removal_failed(self, error: object) -> None:
        self._inpaint = None
        self._removal_ended()
        show_error(self, self.tr("The removal failed"), error)

    def _removal_cancelled(self) -> None:
        self._inpaint = None
        self.status_bar.show_words(lambda: self.tr("Removal cancelled."), 5000)
        self._removal_ended()

    def _removal_ended(self) -> None:
        self.progress.done()
        self._update_actions()

    # -- batch -----------------------------------------------------------------------
    def run_batch(self) -> Job | None:
        """Apply the current mask to every file of the batch list (see `BatchRuns`)."""
        return self.batch_runs.start()

    # -- model offer -----------------------------------------------------------------
    def _update_offer(self) -> None:
        status = self.context.models.status()
        wanted = chosen_weights(self.settings.model_choice) is not None
        self.banner.setVisible(
            wanted and not status.installed and not self.settings.model_offer_dismissed
        )

    def _offer_dismissed(self) -> None:
        self.settings.model_offer_dismissed = True
        self.status_bar.show_words(
            lambda: self.tr("Using OpenCV. Download LaMa any time in Settings → Model."), 8000
        )

    @Slot()
    def _model_installed(self) -> None:
        self.model_watcher.acknowledge()
        self.banner.hide()
        self.status_bar.show_words(lambda: self.tr("LaMa installed; loading it…"))
        self.context.engine.load(self.settings.device, self.settings.model_choice)

    @Slot(object, object)
    def _model_failed(self, kind: str, error: object) -> None:
        explain_failure(QApplication.activeWindow() or self, self.context.models, kind, error)

    # -- state -----------------------------------------------------------------------
    def _brush_size_changed(self, size: int) -> None:
        self.actions_.size_slider.blockSignals(True)
        self.actions_.size_slider.setValue(size)
        self.actions_.size_slider.blockSignals(False)
        self.actions_.size_label.setText(self.tr("{size} px").format(size=size))
        self.settings.brush_size = size

    def _update_modified(self, *_args: object) -> None:
        self.setWindowModified(self.document.has_unsaved_edits())

    def _update_title(self, *_args: object) -> None:
        name = (
            self.tr("Untitled")
            if self.document.is_empty
            else (self.document.path.name if self.document.path else self.tr("Pasted image"))
        )
        self.setWindowTitle(f"{name}[*] — lamadesk")
        self._update_modified()

    def _update_actions(self, *_args: object) -> None:
        a, has_image = self.actions_, not self.document.is_empty
        busy = self._inpaint is not None or self.batch_runs.running or self.find_text.running
        busy = busy or self.text_batch.searching
        for action in (a.save, a.save_as, a.clear_mask, a.import_mask, a.fit, a.actual, a.compare):
            action.setEnabled(has_image)
        a.remove.setEnabled(has_image and not busy)
        a.find_text.setEnabled(has_image and not busy)
        a.cancel.setEnabled(busy)
        a.undo.setEnabled(self.document.undo_stack.canUndo() and not busy)
        a.redo.setEnabled(self.document.undo_stack.canRedo() and not busy)

    # -- keys and closing ------------------------------------------------------------
    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == COMPARE_KEY and not event.isAutoRepeat():
            self.canvas.show_original(True)
            return
        super().keyPressEvent(event)

    def keyReleaseEvent(self, event: QKeyEvent) -> None:
        if event.key() == COMPARE_KEY and not event.isAutoRepeat():
            self.canvas.show_original(self.actions_.compare.isChecked())
            return
        super().keyReleaseEvent(event)

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self.saver.confirm_discard(self.close):
            event.ignore()
            return
        self.settings.window_geometry = self.saveGeometry()
        self.settings.window_state = self.saveState()
        self.settings.sync()
        # Stop it now; the wait for a size still compiling comes after the window is gone.
        self.context.compiler.cancel()
        event.accept()
