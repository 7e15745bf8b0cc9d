"""Zoom, pan and brush-size keys on the real canvas inside the real main window."""

from __future__ import annotations

import pytest
from PIL import Image
from PySide6.QtCore import QPoint, QPointF, QRectF, Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import QApplication

from lamadesk.ui.canvas.view import CanvasView
from lamadesk.ui.main_window import MainWindow
from tests.ui.conftest import gradient_rgb
from tests.ui.helpers import drag_view, make_context

IMAGE_W, IMAGE_H = 1200, 900


@pytest.fixture
def window(qtbot, qapp, settings, tmp_path):
    path = tmp_path / "big.png"
    Image.fromarray(gradient_rgb(IMAGE_W, IMAGE_H)).save(path)
    context = make_context(qapp, settings, tmp_path / "models")
    win = MainWindow(context)
    qtbot.addWidget(win)
    win.resize(900, 650)
    win.show()
    win.activateWindow()
    qtbot.waitActive(win)
    with qtbot.waitSignal(context.document.opened, timeout=10_000):
        win.open_file(path)
    win.canvas.setFocus()
    yield win
    context.shutdown()


def scene_at(view: CanvasView, at: QPointF) -> QPointF:
    inverted, _ok = view.viewportTransform().inverted()
    return inverted.map(at)


def wheel(view: CanvasView, at: QPoint, notches: float) -> None:
    event = QWheelEvent(
        QPointF(at),
        QPointF(view.viewport().mapToGlobal(at)),
        QPoint(0, 0),
        QPoint(0, round(120 * notches)),
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.NoModifier,
        Qt.ScrollPhase.NoScrollPhase,
        False,
    )
    QApplication.sendEvent(view.viewport(), event)


def assert_near(actual: QPointF, expected: QPointF, tolerance: float) -> None:
    assert abs(actual.x() - expected.x()) <= tolerance, (actual, expected)
    assert abs(actual.y() - expected.y()) <= tolerance, (actual, expected)


def test_opening_fits_the_whole_image_in_view(window) -> None:
    canvas = window.canvas
    shown = canvas.mapToScene(canvas.viewport().rect()).boundingRect()
    assert canvas.zoom < 1
    assert shown.contains(QPointF(1, 1))
    assert shown.contains(QPointF(IMAGE_W - 1, IMAGE_H - 1))
    assert window.zoom_label.text() == f"{canvas.zoom * 100:.0f}%"


def test_wheel_zoom_keeps_the_image_point_under_the_cursor(window, qtbot) -> None:
    canvas = window.canvas
    qtbot.keyClick(canvas, Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)
    for at, notches in ((QPoint(120, 90), 1), (QPoint(500, 300), 2), (QPoint(60, 400), -1)):
        before_zoom, fixed = canvas.zoom, scene_at(canvas, QPointF(at))
        wheel(canvas, at, notches)
        assert canvas.zoom == pytest.approx(before_zoom * 1.0015 ** (120 * notches))
        # Scroll bars move in whole view pixels: half a view pixel of slack.
        assert_near(scene_at(canvas, QPointF(at)), fixed, 0.5 / canvas.zoom)
    assert window.zoom_label.text() == f"{canvas.zoom * 100:.0f}%"


def test_ctrl_0_fits_and_ctrl_1_shows_actual_pixels(window, qtbot) -> None:
    canvas = window.canvas
    fitted = canvas.zoom
    qtbot.keyClick(canvas, Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)
    assert canvas.zoom == 1.0
    assert window.zoom_label.text() == "100%"
    shown = canvas.mapToScene(canvas.viewport().rect()).boundingRect()
    assert shown.width() == pytest.approx(canvas.viewport().width(), abs=1)
    wheel(canvas, QPoint(200, 150), 2)
    qtbot.waitUntil(canvas.horizontalScrollBar().isVisible)

    qtbot.keyClick(canvas, Qt.Key.Key_0, Qt.KeyboardModifier.ControlModifier)
    # Same zoom as the first fit, although the zoomed view had scroll bars then.
    assert canvas.zoom == pytest.approx(fitted)
    qtbot.waitUntil(lambda: not canvas.horizontalScrollBar().isVisible())
    assert not canvas.verticalScrollBar().isVisible()
    image = canvas.mapFromScene(QRectF(0, 0, IMAGE_W, IMAGE_H)).boundingRect()
    view = canvas.viewport().rect()
    assert view.contains(image)
    assert max(image.width() - view.width(), image.height() - view.height()) >= -6


def _pan_moves_the_view(window, qtbot, button: Qt.MouseButton) -> None:
    canvas = window.canvas
    grabbed = scene_at(canvas, QPointF(400, 300))
    scroll = (canvas.horizontalScrollBar().value(), canvas.verticalScrollBar().value())
    drag_view(canvas, [QPoint(400, 300), QPoint(350, 280), QPoint(300, 240)], button)
    assert canvas.horizontalScrollBar().value() == scroll[0] + 100
    assert canvas.verticalScrollBar().value() == scroll[1] + 60
    # The grabbed image point followed the hand.
    assert_near(scene_at(canvas, QPointF(300, 240)), grabbed, 0.01)
    assert not window.document.mask_array().any(), "panning must not paint"
    assert window.document.undo_stack.count() == 0


def test_space_drag_pans_instead_of_painting(window, qtbot) -> None:
    canvas = window.canvas
    qtbot.keyClick(canvas, Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyPress(canvas, Qt.Key.Key_Space)
    assert canvas.viewport().cursor().shape() == Qt.CursorShape.OpenHandCursor
    _pan_moves_the_view(window, qtbot, Qt.MouseButton.LeftButton)
    qtbot.keyRelease(canvas, Qt.Key.Key_Space)
    assert canvas.viewport().cursor().shape() == Qt.CursorShape.BlankCursor
    drag_view(canvas, [QPoint(300, 240), QPoint(320, 240)])
    assert window.document.mask_array().any(), "without space the left button paints again"


def test_middle_button_drag_pans(window, qtbot) -> None:
    qtbot.keyClick(window.canvas, Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)
    _pan_moves_the_view(window, qtbot, Qt.MouseButton.MiddleButton)


def test_bracket_keys_change_the_brush_size_slider_and_cursor(window, qtbot, settings) -> None:
    canvas = window.canvas
    assert canvas.brush_size == 40
    qtbot.keyClick(canvas, Qt.Key.Key_BracketRight)
    assert canvas.brush_size == 46
    qtbot.keyClick(canvas, Qt.Key.Key_BracketRight)
    assert canvas.brush_size == 53
    assert window.actions_.size_slider.value() == 53
    assert window.actions_.size_label.text() == "53 px"
    assert settings.brush_size == 53
    qtbot.keyClick(canvas, Qt.Key.Key_BracketLeft)
    assert canvas.brush_size == 46
    drag_view(canvas, [QPoint(300, 240), QPoint(301, 240)])
    # The round cursor is the brush size in image pixels, so it scales with the zoom.
    assert canvas._cursor.rect().width() == 46
