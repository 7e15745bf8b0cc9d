"""The main window's actions, menus and toolbar (one place for texts, shortcuts, icons)."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QAction, QActionGroup, QIcon, QKeySequence
from PySide6.QtWidgets import QLabel, QMainWindow, QMenu, QSlider, QStyle, QToolBar

from lamadesk.ui.settings.store import MAX_BRUSH, MIN_BRUSH

translate = QCoreApplication.translate


@dataclass
class WindowActions:
    """Every action and toolbar control the window wires up."""

    open: QAction
    open_folder: QAction
    paste: QAction
    import_mask: QAction
    save: QAction
    save_as: QAction
    settings: QAction
    quit: QAction
    undo: QAction
    redo: QAction
    clear_mask: QAction
    find_text: QAction
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
    file_menu: QMenu
    edit_menu: QMenu
    view_menu: QMenu
    help_menu: QMenu
    toolbar: QToolBar
    size_caption: QLabel


def build_actions(window: QMainWindow) -> WindowActions:
    """Create the actions with shortcuts and icons, fill the menus and the toolbar.

    Their texts come from `retranslate_actions`, called here and again on a language change.
    """
    style = window.style()

    def action(shortcut: QKeySequence | str | None = None, icon: QIcon | None = None) -> QAction:
        created = QAction(window)
        if shortcut is not None:
            created.setShortcut(QKeySequence(shortcut))
        if icon is not None:
            created.setIcon(icon)
        window.addAction(created)
        return created

    pixmap = QStyle.StandardPixmap
    menu = window.menuBar()
    acts = WindowActions(
        open=action(QKeySequence.StandardKey.Open, style.standardIcon(pixmap.SP_DialogOpenButton)),
        open_folder=action("Ctrl+Shift+O", style.standardIcon(pixmap.SP_DirOpenIcon)),
        paste=action(QKeySequence.StandardKey.Paste),
        import_mask=action("Ctrl+M"),
        save=action(QKeySequence.StandardKey.Save, style.standardIcon(pixmap.SP_DialogSaveButton)),
        save_as=action(QKeySequence.StandardKey.SaveAs),
        settings=action("Ctrl+,"),
        quit=action(QKeySequence.StandardKey.Quit),
        undo=action(QKeySequence.StandardKey.Undo, style.standardIcon(pixmap.SP_ArrowBack)),
        redo=action("Ctrl+Shift+Z", style.standardIcon(pixmap.SP_ArrowForward)),
        clear_mask=action("Ctrl+Shift+X", style.standardIcon(pixmap.SP_DialogResetButton)),
        find_text=action("Ctrl+T", style.standardIcon(pixmap.SP_FileDialogContentsView)),
        brush=action("B"),
        eraser=action("E"),
        rectangle=action("R"),
        smaller=action("["),
        larger=action("]"),
        fit=action("Ctrl+0"),
        actual=action("Ctrl+1"),
        compare=action(None),
        remove=action(None, style.standardIcon(pixmap.SP_DialogApplyButton)),
        cancel=action(None, style.standardIcon(pixmap.SP_BrowserStop)),
        batch=action("Ctrl+B"),
        shortcuts_help=action(QKeySequence.StandardKey.HelpContents),
        open_log_folder=action(),
        about=action(),
        recent_menu=QMenu(window),
        size_slider=QSlider(Qt.Orientation.Horizontal),
        size_label=QLabel(),
        file_menu=menu.addMenu(""),
        edit_menu=menu.addMenu(""),
        view_menu=menu.addMenu(""),
        help_menu=menu.addMenu(""),
        toolbar=QToolBar(window),
        size_caption=QLabel(),
    )
    acts.redo.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")])
    acts.remove.setShortcuts([QKeySequence(Qt.Key.Key_Return), QKeySequence(Qt.Key.Key_Enter)])
    acts.cancel.setEnabled(False)
    acts.compare.setCheckable(True)
    acts.batch.setCheckable(True)
    acts.about.setMenuRole(QAction.MenuRole.AboutRole)
    tools = QActionGroup(window)
    for tool in (acts.brush, acts.eraser, acts.rectangle):
        tool.setCheckable(True)
        tools.addAction(tool)
    acts.brush.setChecked(True)
    acts.size_slider.setRange(MIN_BRUSH, MAX_BRUSH)
    acts.size_slider.setFixedWidth(160)
    acts.size_label.setMinimumWidth(56)

    file_menu = acts.file_menu
    file_menu.addActions([acts.open, acts.open_folder])
    file_menu.addMenu(acts.recent_menu)
    file_menu.addActions([acts.paste, acts.import_mask])
    file_menu.addSeparator()
    file_menu.addActions([acts.save, acts.save_as])
    file_menu.addSeparator()
    file_menu.addActions([acts.settings, acts.quit])
    edit_menu = acts.edit_menu
    edit_menu.addActions([acts.undo, acts.redo])
    edit_menu.addSeparator()
    edit_menu.addActions(
        [acts.brush, acts.eraser, acts.rectangle, acts.smaller, acts.larger, acts.clear_mask]
    )
    edit_menu.addSeparator()
    edit_menu.addActions([acts.find_text, acts.remove, acts.cancel])
    acts.view_menu.addActions([acts.fit, acts.actual, acts.compare, acts.batch])
    acts.help_menu.addActions([acts.shortcuts_help, acts.open_log_folder])
    acts.help_menu.addSeparator()
    acts.help_menu.addAction(acts.about)

    bar = acts.toolbar
    bar.setObjectName("tools")
    bar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
    bar.setMovable(False)
    window.addToolBar(bar)
    bar.addActions([acts.open, acts.save])
    bar.addSeparator()
    bar.addActions([acts.undo, acts.redo])
    bar.addSeparator()
    bar.addActions([acts.brush, acts.eraser, acts.rectangle])
    bar.addWidget(acts.size_caption)
    bar.addWidget(acts.size_slider)
    bar.addWidget(acts.size_label)
    bar.addAction(acts.clear_mask)
    bar.addSeparator()
    # Removing comes right after masking: a narrow window hides the view buttons (which have
    # keys) in the toolbar's overflow, never Remove.
    bar.addActions([acts.remove, acts.cancel])
    bar.addSeparator()
    bar.addActions([acts.find_text, acts.fit, acts.compare])
    bar.widgetForAction(acts.remove).setObjectName("removeButton")
    retranslate_actions(acts)
    return acts


def retranslate_actions(acts: WindowActions) -> None:
    """Set every text of the actions, menus and toolbar in the current language.

    Actions are not widgets: Qt's LanguageChange reaches the window, which calls this.
    """
    texts = {
        acts.open: translate("MainWindow", "&Open…"),
        acts.open_folder: translate("MainWindow", "Open &Folder…"),
        acts.paste: translate("MainWindow", "&Paste Image"),
        acts.import_mask: translate("MainWindow", "Import &Mask…"),
        acts.save: translate("MainWindow", "&Save"),
        acts.save_as: translate("MainWindow", "Save &As…"),
        acts.settings: translate("MainWindow", "&Settings…"),
        acts.quit: translate("MainWindow", "&Quit"),
        acts.undo: translate("MainWindow", "&Undo"),
        acts.redo: translate("MainWindow", "&Redo"),
        acts.clear_mask: translate("MainWindow", "&Clear Mask"),
        acts.find_text: translate("MainWindow", "Find &Text"),
        acts.brush: translate("MainWindow", "&Brush"),
        acts.eraser: translate("MainWindow", "&Eraser"),
        acts.rectangle: translate("MainWindow", "&Rectangle"),
        acts.smaller: translate("MainWindow", "Smaller Brush"),
        acts.larger: translate("MainWindow", "Larger Brush"),
        acts.fit: translate("MainWindow", "&Fit to Window"),
        acts.actual: translate("MainWindow", "&Actual Size (100%)"),
        # Held, not a shortcut: a menu shows the text after a tab as the item's key.
        acts.compare: translate("MainWindow", "Show &Original") + "\t\\",
        acts.remove: translate("MainWindow", "Remove"),
        acts.cancel: translate("MainWindow", "Cancel"),
        acts.batch: translate("MainWindow", "&Batch Panel"),
        acts.shortcuts_help: translate("MainWindow", "&Keyboard Shortcuts"),
        acts.open_log_folder: translate("MainWindow", "Open &Log Folder"),
        acts.about: translate("MainWindow", "&About lamadesk"),
    }
    for created, text in texts.items():
        created.setText(text)
    acts.find_text.setToolTip(
        translate("MainWindow", "Find captions and date stamps and mask their letters (Ctrl+T)")
    )
    acts.remove.setToolTip(translate("MainWindow", "Remove the painted area (Enter)"))
    acts.compare.setIconText(translate("MainWindow", "Show Original"))
    acts.compare.setToolTip(translate("MainWindow", "Show the original image (or hold \\)"))
    acts.size_slider.setToolTip(translate("MainWindow", "Brush size ([ and ])"))
    acts.recent_menu.setTitle(translate("MainWindow", "Open &Recent"))
    acts.file_menu.setTitle(translate("MainWindow", "&File"))
    acts.edit_menu.setTitle(translate("MainWindow", "&Edit"))
    acts.view_menu.setTitle(translate("MainWindow", "&View"))
    acts.help_menu.setTitle(translate("MainWindow", "&Help"))
    acts.toolbar.setWindowTitle(translate("MainWindow", "Tools"))
    acts.size_caption.setText(" " + translate("MainWindow", "Size") + " ")
