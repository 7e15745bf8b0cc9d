"""The main window's actions, menus and toolbar (one place for texts, shortcuts, icons)."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QAction, QActionGroup, QIcon, QKeySequence
from PySide6.QtWidgets import QLabel, QMainWindow, QMenu, QSlider, QStyle, QToolBar

from lamadesk.ui.settings import MAX_BRUSH, MIN_BRUSH

translate = QCoreApplication.translate


@dataclass
class WindowActions:
    """Every action and toolbar control the window wires up."""

    open: QAction
    open_folder: QAction
    paste: QAction
    save: QAction
    save_as: QAction
    settings: QAction
    quit: QAction
    undo: QAction
    redo: QAction
    clear_mask: QAction
    brush: QAction
    eraser: QAction
    rectangle: QAction
    smaller: QAction
    larger: QAction
    fit: QAction
    actual: QAction
    compare: QAction
    remove: QAction
    cancel: QAction
    batch: QAction
    shortcuts_help: QAction
    open_log_folder: QAction
    about: QAction
    recent_menu: QMenu
    size_slider: QSlider
    size_label: QLabel


def build_actions(window: QMainWindow) -> WindowActions:
    """Create the actions with texts and shortcuts, and fill the menus and the toolbar."""
    style = window.style()

    def action(
        text: str, shortcut: QKeySequence | str | None = None, icon: QIcon | None = None
    ) -> QAction:
        created = QAction(text, window)
        if shortcut is not None:
            created.setShortcut(QKeySequence(shortcut))
        if icon is not None:
            created.setIcon(icon)
        window.addAction(created)
        return created

    pixmap = QStyle.StandardPixmap
    acts = WindowActions(
        open=action(
            translate("MainWindow", "&Open…"),
            QKeySequence.StandardKey.Open,
            style.standardIcon(pixmap.SP_DialogOpenButton),
        ),
        open_folder=action(
            translate("MainWindow", "Open &Folder…"),
            "Ctrl+Shift+O",
            style.standardIcon(pixmap.SP_DirOpenIcon),
        ),
        paste=action(translate("MainWindow", "&Paste Image"), QKeySequence.StandardKey.Paste),
        save=action(
            translate("MainWindow", "&Save"),
            QKeySequence.StandardKey.Save,
            style.standardIcon(pixmap.SP_DialogSaveButton),
        ),
        save_as=action(translate("MainWindow", "Save &As…"), QKeySequence.StandardKey.SaveAs),
        settings=action(translate("MainWindow", "&Settings…"), "Ctrl+,"),
        quit=action(translate("MainWindow", "&Quit"), QKeySequence.StandardKey.Quit),
        undo=action(
            translate("MainWindow", "&Undo"),
            QKeySequence.StandardKey.Undo,
            style.standardIcon(pixmap.SP_ArrowBack),
        ),
        redo=action(
            translate("MainWindow", "&Redo"),
            "Ctrl+Shift+Z",
            style.standardIcon(pixmap.SP_ArrowForward),
        ),
        clear_mask=action(
            translate("MainWindow", "&Clear Mask"),
            "Ctrl+Shift+X",
            style.standardIcon(pixmap.SP_DialogResetButton),
        ),
        brush=action(translate("MainWindow", "&Brush"), "B"),
        eraser=action(translate("MainWindow", "&Eraser"), "E"),
        rectangle=action(translate("MainWindow", "&Rectangle"), "R"),
        smaller=action(translate("MainWindow", "Smaller Brush"), "["),
        larger=action(translate("MainWindow", "Larger Brush"), "]"),
        fit=action(translate("MainWindow", "&Fit to Window"), "Ctrl+0"),
        actual=action(translate("MainWindow", "&Actual Size (100%)"), "Ctrl+1"),
        # Held, not a shortcut: a menu shows the text after a tab as the item's key.
        compare=action(translate("MainWindow", "Show &Original") + "\t\\", None),
        remove=action(
            translate("MainWindow", "Remove"), None, style.standardIcon(pixmap.SP_DialogApplyButton)
        ),
        cancel=action(
            translate("MainWindow", "Cancel"), None, style.standardIcon(pixmap.SP_BrowserStop)
        ),
        batch=action(translate("MainWindow", "&Batch Panel"), "Ctrl+B"),
        shortcuts_help=action(
            translate("MainWindow", "&Keyboard Shortcuts"), QKeySequence.StandardKey.HelpContents
        ),
        open_log_folder=action(translate("MainWindow", "Open &Log Folder")),
        about=action(translate("MainWindow", "&About lamadesk")),
        recent_menu=QMenu(translate("MainWindow", "Open &Recent"), window),
        size_slider=QSlider(Qt.Orientation.Horizontal),
        size_label=QLabel(),
    )
    acts.redo.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")])
    acts.remove.setShortcuts([QKeySequence(Qt.Key.Key_Return), QKeySequence(Qt.Key.Key_Enter)])
    acts.remove.setToolTip(translate("MainWindow", "Remove the painted area (Enter)"))
    acts.cancel.setEnabled(False)
    acts.compare.setCheckable(True)
    acts.compare.setIconText(translate("MainWindow", "Show Original"))
    acts.compare.setToolTip(translate("MainWindow", "Show the original image (or hold \\)"))
    acts.batch.setCheckable(True)
    acts.about.setMenuRole(QAction.MenuRole.AboutRole)
    tools = QActionGroup(window)
    for tool in (acts.brush, acts.eraser, acts.rectangle):
        tool.setCheckable(True)
        tools.addAction(tool)
    acts.brush.setChecked(True)
    acts.size_slider.setRange(MIN_BRUSH, MAX_BRUSH)
    acts.size_slider.setFixedWidth(160)
    acts.size_slider.setToolTip(translate("MainWindow", "Brush size ([ and ])"))
    acts.size_label.setMinimumWidth(56)

    menu = window.menuBar()
    file_menu = menu.addMenu(translate("MainWindow", "&File"))
    file_menu.addActions([acts.open, acts.open_folder])
    file_menu.addMenu(acts.recent_menu)
    file_menu.addActions([acts.paste])
    file_menu.addSeparator()
    file_menu.addActions([acts.save, acts.save_as])
    file_menu.addSeparator()
    file_menu.addActions([acts.settings, acts.quit])
    edit_menu = menu.addMenu(translate("MainWindow", "&Edit"))
    edit_menu.addActions([acts.undo, acts.redo])
    edit_menu.addSeparator()
    edit_menu.addActions(
        [acts.brush, acts.eraser, acts.rectangle, acts.smaller, acts.larger, acts.clear_mask]
    )
    edit_menu.addSeparator()
    edit_menu.addActions([acts.remove, acts.cancel])
    view_menu = menu.addMenu(translate("MainWindow", "&View"))
    view_menu.addActions([acts.fit, acts.actual, acts.compare, acts.batch])
    help_menu = menu.addMenu(translate("MainWindow", "&Help"))
    help_menu.addActions([acts.shortcuts_help, acts.open_log_folder])
    help_menu.addSeparator()
    help_menu.addAction(acts.about)

    bar = QToolBar(translate("MainWindow", "Tools"), window)
    bar.setObjectName("tools")
    bar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
    bar.setMovable(False)
    window.addToolBar(bar)
    bar.addActions([acts.open, acts.save])
    bar.addSeparator()
    bar.addActions([acts.undo, acts.redo])
    bar.addSeparator()
    bar.addActions([acts.brush, acts.eraser, acts.rectangle])
    bar.addWidget(QLabel(" " + translate("MainWindow", "Size") + " "))
    bar.addWidget(acts.size_slider)
    bar.addWidget(acts.size_label)
    bar.addAction(acts.clear_mask)
    bar.addSeparator()
    bar.addActions([acts.fit, acts.compare])
    bar.addSeparator()
    bar.addActions([acts.remove, acts.cancel])
    bar.widgetForAction(acts.remove).setObjectName("removeButton")
    return acts
