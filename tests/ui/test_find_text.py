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
from PIL import Image, ImageDraw, ImageFont
from PySide6.QtCore import QRect

from lamadesk.core.masks import Box
from lamadesk.core.models.ppocr import (
    SearchArea,
    TextDetection,
    TextDetectorWeightsError,
    TextRegion,
    TextSettings,
)
from lamadesk.core.pipeline import InpaintResult
from lamadesk.ui.i18n import Translations
from lamadesk.ui.main_window import MainWindow
from lamadesk.ui.settings.store import Language
from lamadesk.ui.text.text_jobs import TextDetectors
from lamadesk.ui.text.text_panel import Area
from tests.ui.conftest import gradient_rgb
from tests.ui.helpers import add, double_click, make_context, opencv_window, remove_all

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
    """Finds `LINES` inside the area asked for; records what it was asked.

    With `everywhere` off, only the lines whose box centre is pure white (a batch picture
    says where its text is). A `gate` holds the call of that number until it is set.
    """

    def __init__(self) -> None:
        self.asked: list[TextSettings] = []
        self.threads: list[str] = []
        self.everywhere = True
        self.gate: tuple[int, threading.Event] | None = None

    def detect(self, rgb, settings=DEFAULT, *, token=None, on_progress=lambda p, m: None):
        self.asked.append(settings)
        self.threads.append(threading.current_thread().name)
        if self.gate is not None and len(self.asked) == self.gate[0]:
            assert self.gate[1].wait(10)
            token.raise_if_cancelled()  # as the real one does after its network step
        height, width = rgb.shape[:2]
        area = settings.region
        if isinstance(area, SearchArea):
            area = area.box(height, width)
        regions = []
        for number, box in enumerate(LINES):
            centre = rgb[(box.top + box.bottom) // 2, (box.left + box.right) // 2]
            if not self.everywhere and not (centre == 255).all():
                continue
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
def window_with(qtbot, qapp, settings, tmp_path):
    """Makes the window with the given text detectors (the fake, or the app's own)."""
    contexts = []

    def make(detectors: TextDetectors) -> MainWindow:
        context = make_context(qapp, settings, tmp_path / "models")
        contexts.append(dataclasses.replace(context, text_detectors=detectors))
        return opencv_window(qtbot, contexts[-1])

    yield make
    for context in contexts:
        context.shutdown()


@pytest.fixture
def window(window_with, fake) -> MainWindow:
    return window_with(TextDetectors(lambda: fake))


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


def test_picking_a_line_in_the_list_outlines_it_on_the_image(window, qtbot, photo):
    open_image(window, qtbot, photo)
    find_text(window, qtbot)
    window.text_panel.list.setCurrentRow(2)
    outline = window.canvas._outline
    assert outline.isVisible()
    box = LINES[2]
    assert outline.rect().toRect() == QRect(box.left, box.top, box.width, box.height)
    window.document.undo_stack.undo()  # the search is taken back: no line to show
    assert not outline.isVisible()


def test_a_detector_on_opencv_says_why_after_the_search(window, qtbot, photo, fake):
    fake.fallback_reason = "openvino is not installed"
    open_image(window, qtbot, photo)
    find_text(window, qtbot)
    message = window.statusBar().currentMessage()
    assert message.startswith("3 text line(s) found in ")
    assert message.endswith(
        "(OpenCV ran the text detector, as OpenVINO could not: openvino is not installed)"
    )


def test_the_text_panel_and_its_lines_are_reworded_live_in_chinese(window, qtbot, qapp, photo):
    open_image(window, qtbot, photo)
    find_text(window, qtbot)
    translations = Translations(qapp)
    try:
        assert translations.apply(Language.CHINESE_SIMPLIFIED)
        panel = window.text_panel
        qtbot.waitUntil(lambda: panel.list.item(0).text() == "第 1 行 · 把握 90%")
        assert panel.summary.text() == "3 行文字中有 3 行已加上蒙版。"
        assert panel.area.itemText(0) == "整张图片"
        assert window.actions_.find_text.text() == "查找文字(&T)"
        assert window.batch_panel.text.find_button.text() == "在全部文件中查找文字"
    finally:
        translations.apply(Language.ENGLISH)
    qtbot.waitUntil(lambda: window.text_panel.list.item(0).text() == "Line 1 · sure 90%")


# -- the batch: "Find text in all" ------------------------------------------------------
TEXT_LINES = {"a_three.png": (0, 1, 2), "b_stamp.png": (2,), "c_clean.png": ()}


@pytest.fixture
def folder(tmp_path, fake) -> list[Path]:
    """Three scans (three lines, a date stamp only, no text) and a broken file."""
    fake.everywhere = False
    folder = tmp_path / "scans"
    folder.mkdir()
    paths = []
    for name, lines in TEXT_LINES.items():
        rgb = gradient_rgb(WIDTH, HEIGHT)
        for index in lines:
            rgb[LINES[index].slices()] = 255
        Image.fromarray(rgb).save(folder / name)
        paths.append(folder / name)
    broken = folder / "d_broken.png"
    broken.write_bytes(b"\x89PNG cut short")
    return [*paths, broken]


def find_in_all(window: MainWindow, qtbot, outcome: str = "succeeded") -> None:
    runner = window.context.engine.runner
    with qtbot.waitSignal(
        getattr(runner, outcome),
        timeout=10_000,
        check_params_cb=lambda job, *_: job.kind == "find-text-in-files",
    ):
        window.batch_panel.text.find_button.click()


def test_find_text_in_all_lists_each_files_count_and_checks_those_with_text(window, qtbot, folder):
    add(window, qtbot, folder)
    find_in_all(window, qtbot)
    panel = window.batch_panel
    assert [panel.status_text(path) for path in folder[:3]] == [
        "Text: 3 line(s)",
        "Text: 1 line(s)",
        "No text found",
    ]
    assert panel.status_text(folder[3]).startswith("Unreadable: ")
    assert [panel.is_included(path) for path in folder] == [True, True, False, False]
    assert panel.run_button.text() == "Remove from checked files"
    assert "Text found in 2 of 4 files." in panel.summary.text()


def test_the_open_file_and_a_double_clicked_one_show_their_own_text_mask(window, qtbot, folder):
    add(window, qtbot, folder)
    find_in_all(window, qtbot)
    assert np.array_equal(window.document.mask_array(), line_mask(0, 1, 2))
    window.canvas._editor.fill_rect(QRect(0, 0, 4, 4))  # a correction, kept per file
    double_click(window, qtbot, folder[1])
    assert np.array_equal(window.document.mask_array(), line_mask(2))
    assert window.batch_panel.status_text(folder[0]) == "Text: 3 line(s) · corrected by hand"
    double_click(window, qtbot, folder[0])
    assert window.document.mask_array()[0:4, 0:4].all()


def test_cancelling_the_search_leaves_every_row_true(window, qtbot, folder, fake):
    gate = threading.Event()
    fake.gate = (2, gate)
    add(window, qtbot, folder)
    panel = window.batch_panel
    runner = window.context.engine.runner
    with qtbot.waitSignal(runner.cancelled, timeout=10_000):
        panel.text.find_button.click()
        qtbot.waitUntil(lambda: panel.status_text(folder[0]) == "Text: 3 line(s)")
        assert panel.status_text(folder[2]) == "Waiting"
        panel.cancel_button.click()
        gate.set()
    assert panel.status_text(folder[0]) == "Text: 3 line(s)"
    assert [panel.status_text(path) for path in folder[1:]] == ["Not searched"] * 3
    assert [panel.is_included(path) for path in folder] == [True, False, False, False]
    assert "Search cancelled after 1 of 4 files." in panel.summary.text()
    assert panel.text.find_button.isEnabled()
    assert not panel.cancel_button.isEnabled()


def test_remove_from_checked_files_cleans_only_those_with_their_own_masks(
    window, qtbot, folder, tmp_path
):
    add(window, qtbot, folder)
    find_in_all(window, qtbot)
    panel = window.batch_panel
    panel.set_included(folder[1], False)
    out = tmp_path / "out"
    summary = remove_all(window, qtbot, out)
    assert [outcome.source for outcome in summary.done] == [folder[0]]
    assert sorted(path.name for path in out.iterdir()) == ["a_three.png"]
    before = np.asarray(Image.open(folder[0]).convert("RGB"))
    after = np.asarray(Image.open(out / "a_three.png").convert("RGB"))
    for index in (0, 1, 2):
        assert (after[LINES[index].slices()] != 255).any(), "the white letters were removed"
    assert np.array_equal(after[60:80, :], before[60:80, :]), "away from the text, unchanged"


def test_missing_detector_weights_are_explained_and_change_nothing(
    window_with, qtbot, tmp_path, photo, dialogs
):
    def missing() -> FakeDetector:
        raise TextDetectorWeightsError(tmp_path / "det.onnx", "missing", "gone")

    win = window_with(TextDetectors(missing))
    open_image(win, qtbot, photo)
    with qtbot.waitSignal(win.context.engine.runner.failed, timeout=10_000):
        win.actions_.find_text.trigger()
    assert "text detector's model file is missing or damaged" in dialogs.texts()
    assert str(tmp_path / "det.onnx") in dialogs.texts()
    assert win.document.mask_is_empty()
    assert win.actions_.find_text.isEnabled()


# -- the real detector ------------------------------------------------------------------
def test_real_detector_masks_rendered_text_and_a_dropped_line_stays(window_with, qtbot, tmp_path):
    """End to end with the shipped network: a caption and a date stamp on a gradient."""
    plain = np.zeros((240, 400, 3), np.uint8)
    plain[:] = np.linspace(60, 160, 400, dtype=np.uint8)[None, :, None]
    picture = Image.fromarray(plain)
    draw = ImageDraw.Draw(picture)
    font = ImageFont.load_default(size=40)
    draw.text((20, 20), "Summer 1987", fill=(255, 255, 255), font=font)
    draw.text((200, 180), "08 12 '94", fill=(255, 140, 0), font=font)
    path = tmp_path / "stamped.png"
    picture.save(path)
    letters = np.abs(np.asarray(picture).astype(int) - plain.astype(int)).sum(axis=2) > 60
    caption, stamp = letters.copy(), letters.copy()
    caption[120:], stamp[:120] = False, False

    window = window_with(TextDetectors())  # the app's own detector, not a fake
    open_image(window, qtbot, path)
    find_text(window, qtbot)
    mask = window.document.mask_array()
    assert mask[letters].all(), "every letter pixel is masked"
    assert mask.mean() < 0.2, "the letters, not the picture"
    panel = window.text_panel
    assert panel.list.count() == 2
    found = window.find_text.found
    assert found is not None
    stamp_line = next(i for i, r in enumerate(found.regions) if r.box.top > 120)
    panel.set_checked(stamp_line, False)
    assert not window.document.mask_array()[stamp].any(), "the date stamp is kept"
    assert window.document.mask_array()[caption].all()

    runner = window.context.engine.runner
    with qtbot.waitSignal(
        runner.succeeded, timeout=30_000, check_params_cb=lambda job, _: job.kind == "inpaint"
    ):
        window.actions_.remove.trigger()
    after = np.asarray(window.document.rgb)
    assert np.abs(after[caption].astype(int) - 255).max() > 60, "the caption is gone"
    assert np.array_equal(after[stamp], np.asarray(picture)[stamp])
