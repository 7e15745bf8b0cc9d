"""The app's Find Text flow on the open image and across the batch, with a fake detector.

The fake finds fixed "lines" (striped strokes in known boxes) at once, so the tests follow
the flow and the mask pixels, not the timing of the real network; one test at the end runs
the real detector on rendered text.
"""

from __future__ import annotations

import dataclasses
import threading
from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from PySide6.QtCore import QRect

from lamadesk.core.engine import ModelChoice
from lamadesk.core.masks import Box
from lamadesk.core.pipeline import InpaintResult
from lamadesk.core.text_detection import SearchArea, TextDetection, TextRegion, TextSettings
from lamadesk.ui.main_window import MainWindow
from lamadesk.ui.text.text_jobs import TextDetectors
from lamadesk.ui.text.text_panel import Area
from tests.ui.conftest import gradient_rgb
from tests.ui.helpers import make_context

WIDTH, HEIGHT = 160, 120
LINES = (Box(10, 10, 20, 70), Box(30, 10, 40, 70), Box(95, 90, 105, 150))
"""Where the fake finds text: two caption lines at the top, a date stamp bottom right."""
DEFAULT = TextSettings()


def strokes(box: Box) -> np.ndarray:
    """Box-sized "letters": every other column, so a line's pixels are not its whole box."""
    pixels = np.zeros((box.height, box.width), bool)
    pixels[:, ::2] = True
    return pixels


def line_mask(*indices: int) -> np.ndarray:
    mask = np.zeros((HEIGHT, WIDTH), bool)
    for index in indices:
        mask[LINES[index].slices()] |= strokes(LINES[index])
    return mask


class FakeDetector:
    """Finds `LINES` inside the area asked for; records what it was asked."""

    def __init__(self) -> None:
        self.asked: list[TextSettings] = []
        self.threads: list[str] = []

    def detect(self, rgb, settings=DEFAULT, *, token=None, on_progress=lambda p, m: None):
        self.asked.append(settings)
        self.threads.append(threading.current_thread().name)
        height, width = rgb.shape[:2]
        area = settings.region
        if isinstance(area, SearchArea):
            area = area.box(height, width)
        regions = []
        for number, box in enumerate(LINES):
            if area is None or (
                area.top <= box.top
                and box.bottom <= area.bottom
                and area.left <= box.left
                and box.right <= area.right
            ):
                corners = np.array(
                    [
                        [box.left, box.top],
                        [box.right, box.top],
                        [box.right, box.bottom],
                        [box.left, box.bottom],
                    ],
                    np.float32,
                )
                regions.append(TextRegion(corners, 0.9 - number / 10, box, strokes(box), False))
        mask = np.zeros((height, width), bool)
        for region in regions:
            mask[region.box.slices()] |= region.pixels
        return TextDetection(tuple(regions), mask, 0.01, "fake")


@pytest.fixture
def fake() -> FakeDetector:
    return FakeDetector()


@pytest.fixture
def window(qtbot, qapp, settings, tmp_path, fake):
    context = make_context(qapp, settings, tmp_path / "models")
    context = dataclasses.replace(context, text_detectors=TextDetectors(lambda: fake))
    win = MainWindow(context)
    qtbot.addWidget(win)
    win.resize(1200, 800)
    win.show()
    with qtbot.waitSignal(context.engine.backend_changed, timeout=30_000):
        context.engine.load("auto", ModelChoice.OPENCV)
    yield win
    context.shutdown()


@pytest.fixture
def photo(tmp_path) -> Path:
    path = tmp_path / "scan.png"
    Image.fromarray(gradient_rgb(WIDTH, HEIGHT)).save(path)
    return path


def open_image(window: MainWindow, qtbot, path: Path) -> None:
    with qtbot.waitSignal(window.document.opened, timeout=10_000):
        window.open_file(path)


def find_text(window: MainWindow, qtbot) -> None:
    runner = window.context.engine.runner
    with qtbot.waitSignal(
        runner.succeeded, timeout=10_000, check_params_cb=lambda job, _: job.kind == "find-text"
    ):
        window.actions_.find_text.trigger()


def test_find_text_masks_the_letters_found_on_top_of_the_brushed_mask(window, qtbot, photo, fake):
    open_image(window, qtbot, photo)
    window.canvas._editor.fill_rect(QRect(0, 60, 5, 5))  # something brushed before
    find_text(window, qtbot)
    expected = line_mask(0, 1, 2)
    expected[60:65, 0:5] = True
    assert np.array_equal(window.document.mask_array(), expected)
    assert fake.threads
    assert fake.threads[0] != threading.current_thread().name, "searched on the worker"
    assert window.text_dock.isVisible()
    assert window.text_panel.list.count() == 3
    assert window.document.undo_stack.undoText() == "Find text"
    window.document.undo_stack.undo()
    assert window.document.mask_array().sum() == 25, "one undo step takes the search back"
    assert window.text_panel.list.count() == 0


def test_unchecking_a_line_drops_exactly_its_pixels_and_undo_restores_them(window, qtbot, photo):
    open_image(window, qtbot, photo)
    find_text(window, qtbot)
    window.text_panel.set_checked(1, False)
    assert np.array_equal(window.document.mask_array(), line_mask(0, 2))
    assert window.document.undo_stack.undoText() == "Drop text line"
    window.document.undo_stack.undo()
    assert np.array_equal(window.document.mask_array(), line_mask(0, 1, 2))
    assert window.text_panel.is_checked(1), "the list follows undo"
    window.document.undo_stack.redo()
    assert not window.text_panel.is_checked(1)
    window.text_panel.set_checked(1, True)
    assert np.array_equal(window.document.mask_array(), line_mask(0, 1, 2))


def test_dropping_a_line_keeps_what_was_brushed_there_before(window, qtbot, photo):
    open_image(window, qtbot, photo)
    window.canvas._editor.fill_rect(QRect(10, 30, 10, 10))  # over the left of line 1
    find_text(window, qtbot)
    window.text_panel.set_checked(1, False)
    expected = line_mask(0, 2)
    expected[30:40, 10:20] = True
    assert np.array_equal(window.document.mask_array(), expected)


def test_removal_runs_on_the_worker_with_the_kept_lines_only(window, qtbot, photo):
    open_image(window, qtbot, photo)
    find_text(window, qtbot)
    window.text_panel.set_checked(0, False)
    before = np.array(window.document.rgb)
    runner = window.context.engine.runner
    with qtbot.waitSignal(
        runner.succeeded, timeout=30_000, check_params_cb=lambda job, _: job.kind == "inpaint"
    ) as blocker:
        window.actions_.remove.trigger()
    result = blocker.args[1]
    assert isinstance(result, InpaintResult)
    assert result.mask[line_mask(1, 2)].all()
    assert not result.mask[LINES[0].slices()].any(), "the dropped line is not removed"
    after = np.array(window.document.rgb)
    assert np.array_equal(after[LINES[0].slices()], before[LINES[0].slices()])
    assert not np.array_equal(after[LINES[2].slices()], before[LINES[2].slices()])


def test_an_area_preset_is_what_the_detector_searches(window, qtbot, photo, fake):
    open_image(window, qtbot, photo)
    window.text_panel.set_area(Area.BOTTOM_RIGHT)
    find_text(window, qtbot)
    assert fake.asked[-1].region is SearchArea.BOTTOM_RIGHT
    assert np.array_equal(window.document.mask_array(), line_mask(2))


def test_sensitivity_searches_again_and_replaces_the_previous_lines(window, qtbot, photo, fake):
    open_image(window, qtbot, photo)
    find_text(window, qtbot)
    window.text_panel.set_checked(2, False)
    runner = window.context.engine.runner
    with qtbot.waitSignal(runner.succeeded, timeout=10_000):
        window.text_panel.sensitivity.setValue(80)
    assert fake.asked[-1].sensitivity == pytest.approx(0.8)
    assert np.array_equal(window.document.mask_array(), line_mask(0, 1, 2))
    assert window.text_panel.list.count() == 3


def test_inside_the_rectangle_drawn_replaces_the_rectangle_by_the_text_in_it(
    window, qtbot, photo, fake
):
    open_image(window, qtbot, photo)
    window.canvas.rectangle_drawn.emit(window.canvas._editor.fill_rect(QRect(85, 90, 70, 20)))
    window.text_panel.set_area(Area.RECTANGLE)
    find_text(window, qtbot)
    assert fake.asked[-1].region == Box(90, 85, 110, 155)
    assert np.array_equal(window.document.mask_array(), line_mask(2))
