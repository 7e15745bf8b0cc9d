"""The status bar: long messages stay clear of the engine label; one spelling for engines."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QRect
from PySide6.QtWidgets import QLabel

from lamadesk.ui.main_window import MainWindow
from lamadesk.ui.models.engine_texts import engine_name
from tests.ui.helpers import make_context

LONG = (
    "Ready: LaMa · CPU. The model could not use the GPU because the NVIDIA driver is too old; "
    "update it from https://www.nvidia.com/Download/index.aspx and start lamadesk again."
)


@pytest.fixture
def window(qtbot, qapp, settings, tmp_path):
    context = make_context(qapp, settings, tmp_path / "models")
    win = MainWindow(context)
    qtbot.addWidget(win)
    win.resize(900, 600)
    win.show()
    with qtbot.waitSignal(context.engine.backend_changed, timeout=30_000):
        context.engine.load("auto", "opencv")
    yield win
    context.shutdown()


def message_widget(window: MainWindow) -> QLabel:
    shown = [
        label
        for label in window.statusBar().findChildren(QLabel)
        if label.isVisible() and label.text()[:20] == LONG[:20]
    ]
    assert shown, "the message is drawn by a widget that the layout keeps in its place"
    return shown[0]


def test_a_long_message_is_elided_before_the_engine_label_with_the_full_text_as_tooltip(
    window, qtbot
) -> None:
    window.statusBar().showMessage(LONG)
    qtbot.waitUntil(lambda: window.statusBar().currentMessage() == LONG)
    label = message_widget(window)
    qtbot.waitUntil(lambda: label.text().endswith("…"))
    engine = window.engine_label
    assert engine.text() == "OpenCV · CPU"
    message_area = QRect(label.pos(), label.size())
    engine_area = QRect(engine.pos(), engine.size())
    assert not message_area.intersects(engine_area)
    assert message_area.right() < engine_area.left()
    assert label.fontMetrics().horizontalAdvance(label.text()) <= label.width()
    assert label.toolTip() == LONG
    window.resize(1400, 600)
    qtbot.waitUntil(lambda: len(label.text()) > 40)
    assert label.toolTip() == LONG


def test_a_message_goes_after_its_timeout(window, qtbot) -> None:
    window.statusBar().showMessage("Saved photo.png", 50)
    qtbot.waitUntil(lambda: window.statusBar().currentMessage() == "", timeout=5_000)


@pytest.mark.parametrize(
    ("backend", "device", "expected"),
    [
        ("lama", "cpu", "LaMa · CPU"),
        ("opencv", "cpu", "OpenCV · CPU"),
        ("lama", "cuda:0", "LaMa · cuda:0"),
        ("lama", "cuda:1", "LaMa · cuda:1"),
    ],
)
def test_engines_and_devices_have_one_spelling(backend, device, expected) -> None:
    assert engine_name(backend, device) == expected


def test_the_removal_message_names_the_engine_as_the_label_does(window, qtbot, png_file) -> None:
    with qtbot.waitSignal(window.document.opened, timeout=10_000):
        window.open_file(png_file)
    window.canvas._editor.fill_rect(QRect(20, 10, 12, 10))
    with qtbot.waitSignal(window.context.engine.runner.succeeded, timeout=30_000):
        window.remove()
    qtbot.waitUntil(lambda: "Removed in" in window.statusBar().currentMessage())
    assert "OpenCV · CPU" in window.statusBar().currentMessage()
