"""`lamadesk`: start the desktop app (the gui-script entry point)."""

from __future__ import annotations

import logging
import sys
from collections.abc import Sequence
from logging.handlers import RotatingFileHandler
from pathlib import Path

from lamadesk import __version__

log = logging.getLogger("lamadesk")


def _setup_logging() -> Path | None:
    """Log to ``<data dir>/logs/lamadesk.log``; the error dialog points people at it."""
    from lamadesk.core.paths import logs_dir

    root = logging.getLogger()
    root.setLevel(logging.INFO)
    try:
        folder = logs_dir()
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / "lamadesk.log"
        handler: logging.Handler = RotatingFileHandler(
            path, maxBytes=2_000_000, backupCount=2, encoding="utf-8"
        )
    except OSError:
        path, handler = None, logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root.addHandler(handler)
    return path


def create_app(argv: Sequence[str]) -> tuple[object, object]:
    """Build the QApplication, settings, context and shell; nothing is shown yet.

    Returns the application and the `Shell` (typed loosely so importing this module stays
    free of Qt until the app is really started).
    """
    from PySide6.QtGui import QIcon
    from PySide6.QtWidgets import QApplication

    from lamadesk.ui.resources import icon_path
    from lamadesk.ui.settings import AppSettings
    from lamadesk.ui.shell import Shell, build_context

    app = QApplication(list(argv))
    app.setApplicationName("lamadesk")
    app.setOrganizationName("lamadesk")
    app.setApplicationVersion(__version__)
    app.setWindowIcon(QIcon(str(icon_path("lamadesk.svg"))))
    settings = AppSettings.for_user()
    context = build_context(settings, parent=app)
    return app, Shell(app, context)


def main(argv: Sequence[str] | None = None) -> int:
    """Start the app and run its event loop; returns the exit code."""
    log_file = _setup_logging()
    from lamadesk.ui.errors import install_excepthook

    install_excepthook(log_file)
    app, shell = create_app(sys.argv if argv is None else argv)
    window = shell.start()  # type: ignore[attr-defined]
    # "Open with lamadesk" and drops on the program's icon pass files as arguments; Qt has
    # already removed its own options from app.arguments().
    paths = [Path(argument) for argument in app.arguments()[1:]]  # type: ignore[attr-defined]
    if paths:
        window.open_paths(paths)
    log.info("lamadesk %s started", __version__)
    return int(app.exec())  # type: ignore[attr-defined]
