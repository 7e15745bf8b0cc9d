"""The Help menu: keyboard shortcuts, the log folder, About.

The shortcuts list is read from the window's menus when it opens, so it always shows the
shortcuts the actions really have (in the current language and the platform's key names);
only keys that belong to no action (holding a key, dragging, the wheel) are listed here.
About reports what the engine already found: it never imports torch itself.
"""

from __future__ import annotations

import contextlib
import html
import platform
import re

from PySide6 import __version__ as pyside_version
from PySide6.QtCore import QObject, Qt, QUrl, qVersion
from PySide6.QtGui import QDesktopServices, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QMainWindow,
    QMenu,
    QMenuBar,
    QMessageBox,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from lamadesk import __version__
from lamadesk.core.diagnostics import DeviceReport, status_line
from lamadesk.core.paths import logs_dir
from lamadesk.ui.context import AppContext
from lamadesk.ui.models.engine_texts import engine_texts
from lamadesk.ui.status_bar import StatusReporter

LAMA_URL = "https://github.com/advimman/lama"
LICENCE_URL = "https://www.apache.org/licenses/LICENSE-2.0"

ShortcutRow = tuple[str, str, str]
"""(group, what it does, keys), as the shortcuts dialog lists them."""


def plain_text(text: str) -> str:
    """A menu text without its mnemonic ("&Open…", "打开(&O)…"), key hint and ellipsis."""
    text = re.sub(r"\(&\w\)", "", text.split("\t", 1)[0])
    return text.replace("&&", "\0").replace("&", "").replace("\0", "&").rstrip("…").strip()


def menu_shortcuts(menu_bar: QMenuBar) -> list[ShortcutRow]:
    """Every menu item that has a shortcut, grouped by its top-level menu, in menu order."""
    native = QKeySequence.SequenceFormat.NativeText
    rows: list[ShortcutRow] = []

    def walk(menu: QMenu, group: str) -> None:
        for action in menu.actions():
            if action.menu() is not None:
                walk(action.menu(), group)
            elif action.shortcuts():
                # Return and Enter have one name in some languages (回车): list it once.
                names = dict.fromkeys(sequence.toString(native) for sequence in action.shortcuts())
                keys = ", ".join(names)
                rows.append((group, plain_text(action.text()), keys))

    for top in menu_bar.actions():
        if top.menu() is not None:
            walk(top.menu(), plain_text(top.text()))
    return rows


class ShortcutsDialog(QDialog):
    """A table of the shortcuts: the menus' own, then the canvas keys that are no action."""

    def __init__(self, menu_bar: QMenuBar, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Keyboard Shortcuts"))
        self._rows = [*menu_shortcuts(menu_bar), *self._canvas_keys()]
        self.tree = QTreeWidget()
        self.tree.setColumnCount(2)
        self.tree.setHeaderLabels([self.tr("Command"), self.tr("Keys")])
        self.tree.setRootIsDecorated(False)
        self.tree.header().setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        groups: dict[str, QTreeWidgetItem] = {}
        for group, what, keys in self._rows:
            if group not in groups:
                groups[group] = QTreeWidgetItem(self.tree, [group])
                groups[group].setFirstColumnSpanned(True)
                font = groups[group].font(0)
                font.setBold(True)
                groups[group].setFont(0, font)
            QTreeWidgetItem(groups[group], [what, keys])
        self.tree.expandAll()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tree)
        layout.addWidget(buttons)
        self.resize(600, 600)

    def _canvas_keys(self) -> list[ShortcutRow]:
        group = self.tr("Canvas")
        return [
            (group, self.tr("Show the original while the key is held"), "\\"),
            (group, self.tr("Pan"), self.tr("Space + drag, or middle-button drag")),
            (group, self.tr("Zoom around the cursor"), self.tr("Mouse wheel")),
        ]

    def rows(self) -> list[ShortcutRow]:
        return list(self._rows)


class Help(QObject):
    """What the Help menu's actions do, for the window whose menu bar it lists."""

    def __init__(self, window: QMainWindow, context: AppContext, status: StatusReporter) -> None:
        super().__init__(window)
        self._window, self._context, self._status = window, context, status
        self.shortcuts_dialog: ShortcutsDialog | None = None

    def show_shortcuts(self) -> None:
        """Open the list (built anew each time, so it shows the current texts and keys)."""
        if self.shortcuts_dialog is not None:
            self.shortcuts_dialog.close()
            self.shortcuts_dialog.deleteLater()
        self.shortcuts_dialog = ShortcutsDialog(self._window.menuBar(), self._window)
        self.shortcuts_dialog.show()

    def open_log_folder(self) -> None:
        folder = logs_dir()
        with contextlib.suppress(OSError):  # then opening it fails and the message says where
            folder.mkdir(parents=True, exist_ok=True)
        if not QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder))):
            self._status.show_words(
                lambda: self.tr("No file manager could be started; the log is in {folder}").format(
                    folder=folder
                ),
                15000,
            )

    def show_about(self) -> None:
        box = QMessageBox(self._window)
        box.setWindowTitle(self.tr("About lamadesk"))
        box.setIconPixmap(QApplication.windowIcon().pixmap(64, 64))
        box.setTextFormat(Qt.TextFormat.RichText)
        box.setTextInteractionFlags(Qt.TextInteractionFlag.TextBrowserInteraction)
        box.setText(self.about_text())
        box.exec()

    def about_text(self) -> str:
        """Version, PyTorch and CUDA, device, model and licence, as rich text."""
        engine, models = self._context.engine, self._context.models
        report = engine.report
        if engine.outcome is None:
            model = self.tr("not loaded yet")
        else:
            model = engine_texts(engine.outcome, report, False).label
        lama = self.tr("installed") if models.status().installed else self.tr("not installed")
        lines = [
            self.tr("A desktop watermark and object remover built on {lama}.").format(
                lama=f'<a href="{LAMA_URL}">LaMa</a>'
            ),
            html.escape(self._torch_text(report)),
            self.tr("Device: {device}").format(
                device=html.escape(status_line(report) if report else self.tr("not checked yet"))
            ),
            self.tr("Removing with: {model}").format(model=html.escape(model)),
            self.tr("LaMa model: {state}").format(state=lama),
            f"Python {platform.python_version()} · Qt {qVersion()} · PySide6 {pyside_version}",
            self.tr("Licence: {licence}").format(licence=f'<a href="{LICENCE_URL}">Apache-2.0</a>'),
        ]
        return f"<h3>lamadesk {__version__}</h3><p>" + "<br>".join(lines) + "</p>"

    def _torch_text(self, report: DeviceReport | None) -> str:
        if report is None:
            return self.tr("PyTorch: not checked yet")
        facts = report.facts
        if facts.torch_error:
            return self.tr("PyTorch cannot be loaded ({error})").format(error=facts.torch_error)
        if facts.torch_cuda_version:
            return self.tr("PyTorch {version}, CUDA {cuda}").format(
                version=facts.torch_version, cuda=facts.torch_cuda_version
            )
        return self.tr("PyTorch {version}, CPU-only build").format(version=facts.torch_version)
