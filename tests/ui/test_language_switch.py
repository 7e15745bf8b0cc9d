"""Switching the language in the running app's settings re-words the window in place.

Nothing a person has open or done may be lost: the batch list with the search's match scores
and a brushed correction, the undo history, the zoom, the settings dialog.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from PySide6.QtCore import Qt

from lamadesk.core.watermark.detection import RELIABLE_PICTURES
from lamadesk.ui.canvas.view import Tool
from lamadesk.ui.settings.settings_dialog import SettingsDialog
from lamadesk.ui.settings.store import Language
from lamadesk.ui.shell import Shell
from tests.core.watermark_batches import make_batch
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


@pytest.fixture
def stamped_files(tmp_path) -> list[Path]:
    folder = tmp_path / "series"
    folder.mkdir()
    paths = []
    for index, picture in enumerate(make_batch(RELIABLE_PICTURES, seed=1).stamped):
        path = folder / f"shot_{index:02d}.png"
        Image.fromarray(picture).save(path)
        paths.append(path)
    return paths


def choose_language(shell: Shell, qtbot, steps: Qt.Key) -> SettingsDialog:
    """Open Settings → Options and move the language box one entry (as a person would)."""
    shell.window.actions_.settings.trigger()
    dialog = shell._dialog
    assert dialog is not None
    bar = dialog.tabs.tabBar()
    qtbot.mouseClick(bar, Qt.MouseButton.LeftButton, pos=bar.tabRect(2).center())
    assert dialog.tabs.currentIndex() == 2  # Options, where the language is
    dialog.language.setFocus()
    with qtbot.waitSignal(dialog.language_chosen, timeout=5_000):
        qtbot.keyClick(dialog.language, steps)
    return dialog


def open_listed(window, qtbot, path: Path) -> None:
    with qtbot.waitSignal(window.document.opened, timeout=10_000):
        window.shared_mark.open(path)


def test_switching_the_language_keeps_the_batch_the_history_and_the_zoom(
    shell, qtbot, settings, stamped_files
) -> None:
    window, context, document = shell.window, shell.context, shell.context.document
    panel = window.batch_panel
    with qtbot.waitSignal(context.engine.backend_changed, timeout=30_000):
        context.engine.load("auto", "opencv")
    with qtbot.waitSignal(document.opened, timeout=10_000):
        window.add_to_batch(stamped_files)
    with qtbot.waitSignal(
        context.engine.runner.succeeded,
        timeout=30_000,
        check_params_cb=lambda job, *_: job.kind == "detect",
    ):
        panel.shared.find_button.click()
    # A correction brushed on the first image, then two strokes on the second one.
    window.canvas.set_tool(Tool.BRUSH)
    window.canvas.set_brush_size(8)
    window.canvas.actual_size()
    drag(window.canvas, [(30, 30), (60, 30)])
    open_listed(window, qtbot, stamped_files[1])
    window.canvas.actual_size()
    drag(window.canvas, [(30, 60), (60, 60)])
    drag(window.canvas, [(30, 90), (60, 90)])
    panel.set_included(stamped_files[3], False)  # the person rejected one
    window.canvas.zoom_by(1.75)
    zoom, mask = window.canvas.zoom, document.mask_array().copy()
    steps = document.undo_stack.count()
    english = {path: panel.status_text(path) for path in stamped_files}
    assert english[stamped_files[0]].startswith("Found · match ")
    assert english[stamped_files[0]].endswith("· corrected by hand")
    assert steps == 2
    assert panel.run_button.text() == "Remove from checked files"
    checks = [panel.is_included(path) for path in stamped_files]
    assert checks == [index != 3 for index in range(len(stamped_files))]

    dialog = choose_language(shell, qtbot, Qt.Key.Key_Down)  # English → 简体中文
    assert settings.language is Language.CHINESE_SIMPLIFIED
    qtbot.waitUntil(lambda: window.actions_.remove.text() == "消除")

    assert shell.window is window, "the window is re-worded in place, not rebuilt"
    assert window.menuBar().actions()[0].text() == "文件(&F)"
    assert window.batch_dock.windowTitle() == "批量处理"
    assert panel.run_button.text() == "消除所有勾选文件的水印"
    assert panel.shared.title() == "共同水印"
    assert panel.paths() == stamped_files
    for path in stamped_files:
        percent = english[path].split("match ")[1].split("%")[0]
        assert panel.status_text(path).startswith(f"已找到 · 匹配度 {percent}%")
    assert panel.status_text(stamped_files[0]).endswith("已手动修正")
    assert [panel.is_included(path) for path in stamped_files] == checks
    assert window.canvas.zoom == pytest.approx(zoom)
    assert document.undo_stack.count() == steps
    assert np.array_equal(document.mask_array(), mask)
    assert window.windowTitle().startswith("shot_01.png")
    assert shell._dialog is dialog, "Settings stay open where the person was"
    assert dialog.isVisible()
    assert dialog.windowTitle() == "设置"
    assert dialog.tabs.tabText(2) == "选项"
    assert dialog.tabs.currentIndex() == 2

    choose_language(shell, qtbot, Qt.Key.Key_Up)  # and back to English
    qtbot.waitUntil(lambda: window.actions_.remove.text() == "Remove")
    assert {path: panel.status_text(path) for path in stamped_files} == english
    assert panel.run_button.text() == "Remove from checked files"
    assert window.menuBar().actions()[0].text() == "&File"
    assert window.canvas.zoom == pytest.approx(zoom)
    window.actions_.undo.trigger()
    assert document.mask_array()[60, 45]
    assert not document.mask_array()[90, 45]
    window.actions_.undo.trigger()
    assert not document.mask_array()[60, 45]
    # The correction of the first image survived both switches: it comes back on opening it.
    document.undo_stack.setClean()
    open_listed(window, qtbot, stamped_files[0])
    assert document.mask_array()[30, 30:61].all()
