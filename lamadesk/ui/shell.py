"""Builds the shared objects, shows the window, then loads the engine in the background.

Order matters for start-up time: the window is shown first and torch, the device probe and
the model load afterwards on a worker thread (`EngineController.load`), with the status bar
saying what is loading. Switching the language installs the new catalog; Qt's LanguageChange
then re-words every widget in place, so nothing a person has open or done is lost.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication

from lamadesk.core.models.torch_support.compile_support import backend_compile_blocker
from lamadesk.ui.batch.thumbnails import ThumbnailLoader
from lamadesk.ui.canvas.document import Document
from lamadesk.ui.context import AppContext
from lamadesk.ui.i18n import Translations
from lamadesk.ui.jobs.runner import JobRunner
from lamadesk.ui.main_window import MainWindow
from lamadesk.ui.models.compile_controller import BlockerCheck, CompileController
from lamadesk.ui.models.engine_controller import Diagnose, EngineController
from lamadesk.ui.models.model_controller import ModelController, StoreFactory, default_store
from lamadesk.ui.settings.settings_dialog import SettingsDialog
from lamadesk.ui.settings.store import AppSettings

log = logging.getLogger(__name__)

_LOAD_FALLBACK_MS = 1000


def build_context(
    settings: AppSettings,
    make_store: StoreFactory = default_store,
    diagnose_device: Diagnose | None = None,
    parent: QObject | None = None,
    compile_blocker: BlockerCheck | None = None,
) -> AppContext:
    """The long-lived objects; `make_store`, `diagnose_device`, `compile_blocker` are for tests.

    `compile_blocker` answers what keeps a backend from being compiled in the background.

    The model store follows the mirror setting (`ModelController.set_mirror`). The engine
    keeps the first store: it only reads the models folder, which a mirror does not change.
    Tests leave `parent` None so each test's objects die with the test, not with the app.
    """
    from lamadesk.core.diagnostics import diagnose

    models = ModelController(make_store, settings.model_mirror, JobRunner("models", parent), parent)
    engine = EngineController(
        JobRunner("engine", parent), models.store, diagnose_device or diagnose, parent
    )
    compiler = CompileController(
        engine,
        JobRunner("compile", parent),
        settings.background_compile,
        compile_blocker or backend_compile_blocker,
        parent,
    )
    return AppContext(
        settings=settings,
        document=Document(parent),
        engine=engine,
        compiler=compiler,
        models=models,
        files=JobRunner("files", parent),
        thumbnails=ThumbnailLoader(parent),
    )


class Shell(QObject):
    """Owns the window and the translators; switches the language when Settings ask."""

    def __init__(self, app: QApplication, context: AppContext) -> None:
        super().__init__(app)
        self.app, self.context = app, context
        self.translations = Translations(app)
        self.translations.apply(context.settings.language)
        self.window = MainWindow(context)
        self.window.settings_requested.connect(self.show_settings)
        self._dialog: SettingsDialog | None = None
        self._engine_started = False
        app.aboutToQuit.connect(context.shutdown)

    def start(self, load_engine: bool = True) -> MainWindow:
        """Show the window now; load the engine once it has painted.

        Importing torch on a worker thread still competes for the GIL, so it starts only
        after the first paint (or after `_LOAD_FALLBACK_MS` if no paint event comes).
        """
        if load_engine:
            self.window.installEventFilter(self)
            QTimer.singleShot(_LOAD_FALLBACK_MS, self._load_engine)
        self.window.show()
        return self.window

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if watched is self.window and event.type() == QEvent.Type.Paint:
            self.window.removeEventFilter(self)
            QTimer.singleShot(0, self._load_engine)
        return False

    def _load_engine(self) -> None:
        if self._engine_started:
            return
        self._engine_started = True
        settings = self.context.settings
        self.context.engine.load(settings.device, settings.model_choice)

    def show_settings(self) -> SettingsDialog:
        if self._dialog is None:
            context = self.context
            self._dialog = SettingsDialog(
                context.settings, context.engine, context.models, context.compiler, self.window
            )
            self._dialog.language_chosen.connect(self.translations.apply)
            self._dialog.finished.connect(self._forget_dialog)
        self._dialog.show()
        self._dialog.raise_()
        return self._dialog

    def _forget_dialog(self) -> None:
        if self._dialog is not None:
            self._dialog.deleteLater()
            self._dialog = None
