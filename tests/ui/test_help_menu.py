"""Help menu: keyboard shortcuts from the actions themselves, About, and the log folder."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtGui import QDesktopServices, QKeySequence

from lamadesk import __version__
from lamadesk.ui.main_window import MainWindow
from tests.ui.helpers import CUDA_OK, make_context


@pytest.fixture
def window(qtbot, qapp, settings, tmp_path, data_dir):
    context = make_context(qapp, settings, tmp_path / "models", facts=CUDA_OK)
    win = MainWindow(context)
    qtbot.addWidget(win)
    win.show()
    yield win
    context.shutdown()


def load_opencv(window, qtbot) -> None:
    with qtbot.waitSignal(window.context.engine.backend_changed, timeout=30_000):
        window.context.engine.load("auto", "opencv")


def help_menu(window: MainWindow):
    menus = {action.text(): action.menu() for action in window.menuBar().actions()}
    assert list(menus)[-1] == "&Help", "Help is the last menu"
    return menus["&Help"]


def test_help_menu_offers_shortcuts_about_and_the_log_folder(window) -> None:
    texts = [action.text() for action in help_menu(window).actions() if not action.isSeparator()]
    assert texts == ["&Keyboard Shortcuts", "Open &Log Folder", "&About lamadesk"]


def test_view_menu_shows_the_backslash_key_of_show_original(window) -> None:
    compare = window.actions_.compare
    assert compare.text().endswith("\t\\"), "menus show the text after a tab as the key"
    assert compare.shortcut().isEmpty(), "a shortcut would toggle and break holding the key"
    assert compare.iconText() == "Show Original", "the toolbar button has no key in its text"


def test_shortcuts_dialog_lists_every_shortcut_of_every_action_and_the_canvas_keys(
    window,
) -> None:
    window.actions_.shortcuts_help.trigger()
    dialog = window.help.shortcuts_dialog
    assert dialog is not None
    assert dialog.isVisible()
    rows = dialog.rows()
    keys_listed = {keys for _group, _what, keys in rows}
    native = QKeySequence.SequenceFormat.NativeText
    for action in window.actions():
        for sequence in action.shortcuts():
            assert any(sequence.toString(native) in keys for keys in keys_listed), action.text()
    as_text = {(what, keys) for _group, what, keys in rows}
    assert ("Smaller Brush", "[") in as_text
    assert ("Larger Brush", "]") in as_text
    assert ("Remove", "Return, Enter") in as_text
    assert ("Undo", QKeySequence(QKeySequence.StandardKey.Undo).toString(native)) in as_text
    canvas = {what: keys for group, what, keys in rows if group == "Canvas"}
    assert canvas["Show the original while the key is held"] == "\\"
    assert "Space" in canvas["Pan"]
    assert "middle-button" in canvas["Pan"]
    assert canvas["Zoom around the cursor"] == "Mouse wheel"


def test_about_names_version_pytorch_cuda_model_and_licence(window, qtbot, dialogs) -> None:
    load_opencv(window, qtbot)
    window.actions_.about.trigger()
    about = dialogs.texts()
    assert "About lamadesk" in about
    assert f"lamadesk {__version__}" in about
    assert "PyTorch 2.14.1+cu130" in about
    assert "CUDA 13.0" in about
    assert "NVIDIA GeForce RTX 3060" in about
    assert "OpenCV · CPU" in about
    assert "LaMa model: not installed" in about
    assert "Apache-2.0" in about
    assert 'href="https://github.com/advimman/lama"' in about


def test_about_before_the_engine_has_loaded_says_so(window, dialogs) -> None:
    window.actions_.about.trigger()
    assert "not checked yet" in dialogs.texts()


def test_open_log_folder_opens_the_data_folders_logs(window, data_dir, monkeypatch) -> None:
    opened = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url) or True)
    window.actions_.open_log_folder.trigger()
    assert [Path(url.toLocalFile()) for url in opened] == [data_dir / "logs"]
    assert (data_dir / "logs").is_dir()


def test_a_log_folder_that_cannot_be_shown_is_named_in_the_status_bar(
    window, data_dir, monkeypatch
) -> None:
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: False)
    window.actions_.open_log_folder.trigger()
    assert str(data_dir / "logs") in window.statusBar().currentMessage()
