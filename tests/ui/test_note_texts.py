"""Every core note has a UI wording, and the Chinese catalog words each one."""

from __future__ import annotations

import string

import pytest
from PIL import Image

from lamadesk.core.notes import ENGLISH, Note, NoteKind
from lamadesk.ui.file_ops import Saved
from lamadesk.ui.i18n import Translations
from lamadesk.ui.main_window import MainWindow
from lamadesk.ui.note_texts import note_text, templates
from lamadesk.ui.settings.store import Language
from tests.ui.conftest import gradient_rgb
from tests.ui.helpers import make_context

UNTRANSLATED = {NoteKind.SYSTEM_ERROR}
"""Only a placeholder: the operating system's own message."""
ENGLISH_DETAIL_LEFT_OUT = {NoteKind.READ_TRUNCATED, NoteKind.WRITE_CANNOT_ENCODE}
"""Pillow's English message stays in the log; the Chinese text leaves it out."""


@pytest.fixture
def chinese(qapp):
    installed = Translations(qapp)
    assert installed.apply(Language.CHINESE_SIMPLIFIED)
    yield installed
    installed.apply(Language.ENGLISH)


def placeholders(template: str) -> set[str]:
    return {name for _text, name, _spec, _conv in string.Formatter().parse(template) if name}


def test_every_note_kind_has_a_ui_wording_that_matches_the_english_one(qapp) -> None:
    assert templates() == ENGLISH


def test_every_note_kind_is_chinese_with_the_same_placeholders(chinese) -> None:
    for kind, template in templates().items():
        left_out = {"detail"} if kind in ENGLISH_DETAIL_LEFT_OUT else set()
        assert placeholders(template) == placeholders(ENGLISH[kind]) - left_out, kind
        if kind not in UNTRANSLATED:
            assert any("\u4e00" <= char <= "\u9fff" for char in template), kind


def test_a_nested_reason_is_chinese_too(chinese) -> None:
    note = Note(NoteKind.CMYK_UNMANAGED, {"problem": Note(NoteKind.PROFILE_MISSING)})
    assert note_text(note) == "CMYK 未经色彩管理直接转换为 RGB：没有 ICC 配置文件"  # noqa: RUF001


def test_opening_a_converted_image_says_what_was_converted_in_chinese(
    chinese, qtbot, qapp, settings, tmp_path
) -> None:
    path = tmp_path / "palette.png"
    Image.fromarray(gradient_rgb()).convert("P").save(path)
    context = make_context(qapp, settings, tmp_path / "models")
    window = MainWindow(context)
    qtbot.addWidget(window)
    window.show()
    window.open_paths([path])
    expected = "已打开 palette.png（64×48）。 调色板图像已转换为 RGB"  # noqa: RUF001
    qtbot.waitUntil(lambda: window.statusBar().currentMessage() == expected, timeout=10_000)
    context.shutdown()


def test_saving_says_what_the_format_changed_in_chinese(
    chinese, qtbot, qapp, settings, tmp_path
) -> None:
    context = make_context(qapp, settings, tmp_path / "models")
    window = MainWindow(context)
    qtbot.addWidget(window)
    window.show()
    path = tmp_path / "out.jpg"
    window.saver.saved(Saved(path, (Note(NoteKind.ALPHA_ON_WHITE, {"format": "JPEG"}),)))
    assert window.statusBar().currentMessage() == (
        f"已保存到 {path}。注意：JPEG 不支持透明：透明区域已填充为白色"  # noqa: RUF001
    )
    context.shutdown()
