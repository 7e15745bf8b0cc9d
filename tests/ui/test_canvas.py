"""Mouse gestures on the real canvas make mask pixels; undo and redo restore them."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from lamadesk.core.image_model import LoadedImage, SourceInfo
from lamadesk.ui.canvas.document import Document
from lamadesk.ui.canvas.view import CanvasView, Tool
from tests.ui.conftest import gradient_rgb
from tests.ui.helpers import drag


@pytest.fixture
def canvas(qtbot) -> CanvasView:
    document = Document()
    view = CanvasView(document)
    qtbot.addWidget(view)
    view.resize(400, 300)
    view.show()
    qtbot.waitExposed(view)
    rgb = gradient_rgb(200, 100)
    document.load(
        LoadedImage(
            rgb,
            None,
            SourceInfo(path=Path("x.png"), format="PNG", mode="RGB"),
        ),
        None,
    )
    view.actual_size()
    return view


def mask_of(view: CanvasView) -> np.ndarray:
    return view._document.mask_array()


def test_brush_stroke_marks_pixels_along_the_path(canvas: CanvasView) -> None:
    canvas.set_brush_size(10)
    drag(canvas, [(20, 50), (60, 50), (100, 50)])
    mask = mask_of(canvas)
    assert mask[50, 20:101].all()
    assert mask[46:55, 60].all()
    assert not mask[40, 60]
    assert not mask[60, 60]
    assert not mask[:, 120:].any()


def test_one_stroke_is_one_undo_step_and_redo_restores_it(canvas: CanvasView) -> None:
    canvas.set_brush_size(6)
    drag(canvas, [(10, 10), (50, 10)])
    first = mask_of(canvas).copy()
    drag(canvas, [(10, 80), (30, 80), (60, 80), (190, 80)])
    both = mask_of(canvas).copy()
    stack = canvas._document.undo_stack
    assert stack.count() == 2
    stack.undo()
    assert np.array_equal(mask_of(canvas), first)
    stack.undo()
    assert not mask_of(canvas).any()
    stack.redo()
    stack.redo()
    assert np.array_equal(mask_of(canvas), both)


def test_eraser_and_rectangle_and_clear(canvas: CanvasView) -> None:
    canvas.set_tool(Tool.RECTANGLE)
    drag(canvas, [(10, 10), (40, 30)])
    mask = mask_of(canvas)
    assert mask[10:30, 10:40].all()
    assert mask.sum() == 30 * 20
    canvas.set_tool(Tool.ERASER)
    canvas.set_brush_size(4)
    drag(canvas, [(25, 5), (25, 35)])
    assert not mask_of(canvas)[20, 25]
    assert mask_of(canvas)[20, 12]
    canvas.clear_mask()
    assert not mask_of(canvas).any()
    canvas._document.undo_stack.undo()
    assert mask_of(canvas)[20, 12]
    assert not mask_of(canvas)[20, 25]
