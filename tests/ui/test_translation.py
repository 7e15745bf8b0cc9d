"""The zh-CN catalog loads from the resources helper and changes visible strings."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QCoreApplication

from lamadesk.ui.i18n import Translations
from lamadesk.ui.main_window import MainWindow
from lamadesk.ui.resources import translations_dir
from lamadesk.ui.settings.store import Language
from tests.ui.helpers import make_context


@pytest.fixture
def translations(qapp):
    installed = Translations(qapp)
    yield installed
    installed.apply(Language.ENGLISH)


def test_catalog_is_found_without_the_working_directory(tmp_path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert (translations_dir() / "lamadesk_zh_CN.qm").is_file()


def test_chinese_catalog_changes_visible_strings(
    translations, qtbot, qapp, settings, tmp_path
) -> None:
    assert translations.apply(Language.CHINESE_SIMPLIFIED)
    assert QCoreApplication.translate("MainWindow", "Remove") == "消除"
    context = make_context(qapp, settings, tmp_path / "models")
    window = MainWindow(context)
    qtbot.addWidget(window)
    assert window.actions_.remove.text() == "消除"
    assert window.actions_.brush.text() == "画笔(&B)"
    assert window.actions_.eraser.text() == "橡皮擦(&E)"
    assert window.actions_.undo.text() == "撤销(&U)"
    assert window.menuBar().actions()[0].text() == "文件(&F)"
    context.shutdown()


def test_switching_back_to_english_restores_the_source_strings(translations) -> None:
    translations.apply(Language.CHINESE_SIMPLIFIED)
    translations.apply(Language.ENGLISH)
    assert QCoreApplication.translate("MainWindow", "Remove") == "Remove"


def test_installing_a_catalog_rewords_the_open_window_and_its_status_message(
    translations, qtbot, qapp, settings, png_file, tmp_path
) -> None:
    context = make_context(qapp, settings, tmp_path / "models")
    window = MainWindow(context)
    qtbot.addWidget(window)
    window.show()
    with qtbot.waitSignal(context.document.opened, timeout=10_000):
        window.add_to_batch([png_file])
    window.remove()  # nothing painted yet: the status bar says so
    assert window.statusBar().currentMessage() == "Paint over what should disappear first."
    assert window.batch_panel.status_text(png_file) == "Waiting"

    translations.apply(Language.CHINESE_SIMPLIFIED)
    qtbot.waitUntil(lambda: window.actions_.remove.text() == "消除")
    assert window.statusBar().currentMessage() == "请先用画笔涂抹要去除的区域。"
    assert window.batch_panel.status_text(png_file) == "等待中"
    assert window.batch_panel.add_button.text() == "添加…"
    assert window.batch_dock.windowTitle() == "批量处理"
    context.document.undo_stack.setClean()
    context.shutdown()
