"""`lamadesk`: start the desktop app (the gui-script entry point).

The command line is read with argparse before Qt is loaded, so ``--help``, ``--version`` and
usage errors work without a display; every other argument is an image to open.

``lamadesk --self-test`` starts the app as usual, without loading the engine, and exits once the
main window has painted: 0 when the window painted and the shipped icon and translations were
found, 1 otherwise. The frozen builds' smoke tests run it, and it logs when the first paint came
(also to stderr, where there is one), which is how their start-up time is measured.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from logging.handlers import RotatingFileHandler
from pathlib import Path

from lamadesk import __version__

log = logging.getLogger("lamadesk")

SELF_TEST_FLAG = "--self-test"
SELF_TEST_TIMEOUT_MS = 60_000
"""A self-test whose window has not painted by then fails (exit code 1)."""

EXIT_STARTUP_FAILED = 1


@dataclass(frozen=True)
class StartOptions:
    """What the command line asks the app to do."""

    images: list[Path]
    self_test: bool


def _build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="lamadesk",
        description="Desktop watermark and object remover: brush over a mark, press Enter.",
        epilog="The command line without a window is lamadesk-cli. Qt takes its settings from "
        "environment variables (QT_QPA_PLATFORM, QT_SCALE_FACTOR, ...), not from options.",
    )
    parser.add_argument("--version", action="version", version=f"lamadesk {__version__}")
    parser.add_argument(
        SELF_TEST_FLAG,
        action="store_true",
        help="open the window, exit 0 once it has painted (checks an installed or built app)",
    )
    parser.add_argument(
        "images",
        nargs="*",
        type=Path,
        metavar="IMAGE_OR_FOLDER",
        help="one image opens in the window; several images or a folder go to the batch list",
    )
    return parser


def parse_arguments(arguments: Sequence[str]) -> StartOptions:
    """Read the command line (without the program name).

    Raises:
        SystemExit: After argparse printed the help, the version (code 0) or a usage error
            (code 2).
    """
    namespace = _build_parser().parse_args(list(arguments))
    # Absolute now, relative to the folder the app was started in: the recent-files list and
    # the last folder are read again from other folders.
    images = [image.absolute() for image in namespace.images]
    return StartOptions(images=images, self_test=namespace.self_test)


def _setup_logging(echo: bool = False) -> Path | None:
    """Log to ``<data dir>/logs/lamadesk.log``; the error dialog points people at it.

    Args:
        echo: Also log to stderr (when there is one), for the self-test.
    """
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
        echo = False
    formatter = logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s")
    handler.setFormatter(formatter)
    root.addHandler(handler)
    if echo:
        stream = logging.StreamHandler()
        stream.setFormatter(formatter)
        root.addHandler(stream)
    return path


def _ensure_std_streams() -> None:
    """Give a windowed Windows executable somewhere to write.

    A frozen app without a console starts with ``sys.stdout`` and ``sys.stderr`` set to None,
    and any library that prints a warning or a progress bar then raises. Writing into the void
    is what a windowed program does anyway; the log file keeps what matters.
    """
    for name in ("stdout", "stderr"):
        if getattr(sys, name) is None:
            # Left open on purpose: it lives as long as the process.
            setattr(sys, name, Path(os.devnull).open("w", encoding="utf-8"))  # noqa: SIM115


def startup_failure_text(error: BaseException, log_file: Path | None) -> str:
    """What to tell a person whose app could not load Qt (no translation: Qt is what failed).

    On Windows the usual cause is a missing Microsoft Visual C++ runtime, which Qt and PyTorch
    both need; the fix and its download address are the ones the device diagnostics give for a
    PyTorch that cannot be loaded.
    """
    from lamadesk.core.diagnostics import VC_REDIST_URL

    fix = "reinstall lamadesk"
    if sys.platform == "win32":
        fix = (
            f"install the Microsoft Visual C++ Redistributable (x64) from {VC_REDIST_URL} and "
            f"start lamadesk again; if the error stays, {fix}"
        )
    where = f"\n\nDetails are in the log: {log_file}" if log_file else ""
    return (
        f"lamadesk cannot start because its user interface library (Qt) failed to load "
        f"({type(error).__name__}: {error}).\n\nFix: {fix}.{where}"
    )


def _startup_failed(error: BaseException, log_file: Path | None) -> int:
    text = startup_failure_text(error, log_file)
    log.critical("%s", text, exc_info=error)
    if sys.platform == "win32":
        import ctypes

        message_box_error_icon = 0x10
        ctypes.windll.user32.MessageBoxW(None, text, "lamadesk", message_box_error_icon)
    else:
        sys.stderr.write(text + "\n")
    return EXIT_STARTUP_FAILED


def create_app(argv: Sequence[str]) -> tuple[object, object]:
    """Build the QApplication, settings, context and shell; nothing is shown yet.

    Returns the application and the `Shell` (typed loosely so importing this module stays
    free of Qt until the app is really started).
    """
    from PySide6.QtGui import QIcon
    from PySide6.QtWidgets import QApplication

    from lamadesk.ui.resources import icon_path
    from lamadesk.ui.settings.store import AppSettings
    from lamadesk.ui.shell import Shell, build_context

    app = QApplication(list(argv))
    app.setApplicationName("lamadesk")
    app.setOrganizationName("lamadesk")
    app.setApplicationVersion(__version__)
    app.setWindowIcon(QIcon(str(icon_path("lamadesk.svg"))))
    settings = AppSettings.for_user()
    context = build_context(settings, parent=app)
    return app, Shell(app, context)


def _self_test_problems(app: object) -> list[str]:
    """What is missing for the window to look right: the shipped icon and catalogs."""
    from lamadesk.ui.resources import translations_dir

    problems = []
    if app.windowIcon().pixmap(32, 32).isNull():  # type: ignore[attr-defined]
        problems.append("the window icon cannot be drawn (icon file or Qt's SVG plugin missing)")
    if not any(translations_dir().glob("lamadesk_*.qm")):
        problems.append(f"no translation catalog in {translations_dir()}")
    return problems


def _run_self_test(app: object, shell: object, began: float) -> int:
    """Show the window, wait for its first paint, quit; see the module docstring."""
    from PySide6.QtCore import QEvent, QObject, QTimer

    window = shell.window  # type: ignore[attr-defined]
    problems = _self_test_problems(app)

    class FirstPaint(QObject):
        def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
            if watched is window and event.type() == QEvent.Type.Paint:
                window.removeEventFilter(self)
                log.info(
                    "self-test: first paint at %.3f (epoch s), %.3f s after main() began",
                    time.time(),
                    time.perf_counter() - began,
                )
                for problem in problems:
                    log.error("self-test: %s", problem)
                QTimer.singleShot(0, lambda: app.exit(1 if problems else 0))  # type: ignore[attr-defined]
            return False

    def give_up() -> None:
        log.error("self-test: the window did not paint within %d ms", SELF_TEST_TIMEOUT_MS)
        app.exit(1)  # type: ignore[attr-defined]

    spy = FirstPaint(window)
    window.installEventFilter(spy)
    QTimer.singleShot(SELF_TEST_TIMEOUT_MS, give_up)
    shell.start(load_engine=False)  # type: ignore[attr-defined]
    code = int(app.exec())  # type: ignore[attr-defined]
    log.info("self-test: %s", "passed" if code == 0 else "FAILED")
    return code


def main(argv: Sequence[str] | None = None) -> int:
    """Start the app and run its event loop; returns the exit code."""
    began = time.perf_counter()
    args = list(sys.argv if argv is None else argv)
    _ensure_std_streams()
    try:
        options = parse_arguments(args[1:])
    except SystemExit as done:  # --help, --version or a usage error, already printed
        return int(done.code or 0)  # argparse exits with 0 or 2
    log_file = _setup_logging(echo=options.self_test)
    try:
        from lamadesk.ui.errors import install_excepthook  # the first import of Qt
    except (ImportError, OSError) as exc:  # a DLL that Qt needs is missing or broken
        return _startup_failed(exc, log_file)
    install_excepthook(log_file)
    app, shell = create_app(args[:1])
    if options.self_test:
        return _run_self_test(app, shell, began)
    window = shell.start()  # type: ignore[attr-defined]
    # "Open with lamadesk" and drops on the program's icon pass files as arguments.
    if options.images:
        window.open_paths(options.images)
    log.info("lamadesk %s started", __version__)
    return int(app.exec())  # type: ignore[attr-defined]
