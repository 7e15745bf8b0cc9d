"""Switching the language in the running app's settings keeps the image and its history."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import Qt

from lamadesk.ui.settings import Language
from lamadesk.ui.shell import Shell
from tests.ui.helpers import drag, make_context

# Shell.show_settings raises the dialog, which the offscreen platform cannot do.
pytestmark = pytest.mark.qt_log_ignore("does not support raise")


@pytest.fixture
def shell(qtbot, qapp, settings, tmp_path):
    context = make_context(qapp, settings, tmp_path / "models")
    running = Shell(qapp, context)
    running.start(load_engine=False)
    yield running
    running.translations.apply(Language.ENGLISH)
    context.document.undo_stack.setClean()  # nothing to ask about when the window goes
    context.shutdown()
    running.window.close()
    running.window.deleteLater()
    running.deleteLater()


def test_language_choice_in_settings_rebuilds_the_window_in_chinese(
    shell, qtbot, settings, png_file
) -> None:
    window, document = shell.window, shell.context.document
    with qtbot.waitSignal(document.opened, timeout=10_000):
        window.open_file(png_file)
    window.canvas.actual_size()
    window.canvas.set_brush_size(6)
    drag(window.canvas, [(10, 10), (40, 10)])
    drag(window.canvas, [(10, 30), (40, 30)])
    mask = document.mask_array().copy()
    assert window.actions_.remove.text() == "Remove"

    window.actions_.settings.trigger()
    dialog = shell._dialog
    assert dialog is not None
    assert dialog.isVisible()
    bar = dialog.tabs.tabBar()
    qtbot.mouseClick(bar, Qt.MouseButton.LeftButton, pos=bar.tabRect(2).center())
    assert dialog.tabs.currentIndex() == 2  # Options, where the language is
    combo = dialog.language
    combo.setFocus()
    with qtbot.waitSignal(dialog.language_chosen, timeout=5_000):
        qtbot.keyClick(combo, Qt.Key.Key_Down)  # English → 简体中文

    assert settings.language is Language.CHINESE_SIMPLIFIED
    rebuilt = shell.window
    assert rebuilt is not window
    assert rebuilt.isVisible()
    assert rebuilt.actions_.remove.text() == "消除"
    assert rebuilt.menuBar().actions()[0].text() == "文件(&F)"
    assert rebuilt.windowTitle().startswith("photo.png")
    qtbot.waitUntil(lambda: shell._dialog is not None and shell._dialog.isVisible())
    assert shell._dialog.windowTitle() == "设置"
    assert shell._dialog.tabs.tabText(2) == "选项"
    assert shell._dialog.tabs.currentIndex() == 2, "Settings reopen where the person was"

    # Same document: the image is on the new canvas, the mask and both strokes remain.
    assert rebuilt.document is document
    assert rebuilt.canvas._image.boundingRect().size().toSize() == document.bounds.size()
    # Fitted to the new window's canvas, not to the size it had while being built.
    area = rebuilt.canvas.maximumViewportSize()
    fitted = min((area.width() - 4) / document.width, (area.height() - 4) / document.height)
    assert rebuilt.canvas.zoom == pytest.approx(fitted)
    assert np.array_equal(document.mask_array(), mask)
    assert document.undo_stack.count() == 2
    assert rebuilt.actions_.undo.isEnabled()
    rebuilt.actions_.undo.trigger()
    assert document.mask_array()[10, 20]
    assert not document.mask_array()[30, 20]
    rebuilt.actions_.undo.trigger()
    assert not document.mask_array().any()
    rebuilt.actions_.redo.trigger()
    rebuilt.actions_.redo.trigger()
    assert np.array_equal(document.mask_array(), mask)
