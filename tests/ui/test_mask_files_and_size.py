"""Mask files imported into the app, and the question before a mask over most of the picture."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image
from PySide6.QtCore import QRect
from PySide6.QtWidgets import QMessageBox

from lamadesk.ui.main_window import MainWindow
from tests.ui.helpers import make_context, opencv_window


@pytest.fixture
def window(qtbot, qapp, settings, tmp_path):
    context = make_context(qapp, settings, tmp_path / "models")
    yield opencv_window(qtbot, context)
    context.shutdown()


def open_with_mask(window: MainWindow, qtbot, path, rect: QRect) -> np.ndarray:
    with qtbot.waitSignal(window.document.opened, timeout=10_000):
        window.open_file(path)
    window.canvas._editor.fill_rect(rect)
    return np.array(window.document.rgb)


ALL_BUT_A_STRIP = QRect(0, 4, 64, 44)  # 44 of 48 rows: 92 %


def test_removing_with_a_mask_over_most_of_the_image_asks_and_no_keeps_everything(
    window, qtbot, png_file, dialogs
) -> None:
    before = open_with_mask(window, qtbot, png_file, ALL_BUT_A_STRIP)
    assert window.remove() is None
    assert "question: Large mask" in dialogs.texts()
    assert "92%" in dialogs.texts()
    assert not window.context.engine.runner.busy
    assert np.array_equal(np.array(window.document.rgb), before)
    assert window.document.mask_array()[4:].all(), "the mask is kept for editing"


def test_answering_yes_to_the_large_mask_question_removes(window, qtbot, png_file, dialogs):
    window.settings.dilation = 0  # 4 px would grow the mask over the strip left
    before = open_with_mask(window, qtbot, png_file, ALL_BUT_A_STRIP)
    dialogs.answer = QMessageBox.StandardButton.Yes
    with qtbot.waitSignal(window.context.engine.runner.succeeded, timeout=30_000):
        assert window.remove() is not None
    after = np.array(window.document.rgb)
    assert not np.array_equal(after[8:], before[8:])
    assert np.array_equal(after[:4], before[:4])


def test_a_mask_over_the_whole_image_fails_with_the_reason(window, qtbot, png_file, dialogs):
    before = open_with_mask(window, qtbot, png_file, QRect(0, 0, 64, 48))
    dialogs.answer = QMessageBox.StandardButton.Yes
    with qtbot.waitSignal(window.context.engine.runner.failed, timeout=30_000):
        window.remove()
    assert "nothing is left to fill it from" in dialogs.texts()
    assert np.array_equal(np.array(window.document.rgb), before)


def test_a_mask_under_nine_tenths_is_removed_without_a_question(
    window, qtbot, png_file, dialogs
) -> None:
    open_with_mask(window, qtbot, png_file, QRect(0, 8, 64, 40))  # 83 %
    with qtbot.waitSignal(window.context.engine.runner.succeeded, timeout=30_000):
        assert window.remove() is not None
    assert "Large mask" not in dialogs.texts()


def test_a_batch_with_a_mask_over_most_of_the_image_asks_first(
    window, qtbot, jpeg_files, tmp_path, dialogs
) -> None:
    window.add_to_batch(jpeg_files)
    window.batch_panel.set_output_folder(tmp_path / "out")
    open_with_mask(window, qtbot, jpeg_files[0], ALL_BUT_A_STRIP)
    assert window.run_batch() is None
    assert "question: Large mask" in dialogs.texts()
    assert not (tmp_path / "out").exists()


def transparent_strokes(path, height: int = 48, width: int = 64):
    """White strokes on a transparent layer whose hidden colour is white too."""
    rgba = np.full((height, width, 4), 255, dtype=np.uint8)
    rgba[..., 3] = 0
    rgba[height // 4 : height // 2, width // 4 : width // 2, 3] = 255
    Image.fromarray(rgba).save(path)
    return path


def import_mask(window: MainWindow, qtbot, path) -> None:
    with qtbot.waitSignal(window.context.files.succeeded, timeout=10_000):
        assert window.mask_import.load(path) is not None


def test_importing_a_transparent_mask_marks_only_its_visible_strokes(
    window, qtbot, png_file, tmp_path
) -> None:
    open_with_mask(window, qtbot, png_file, QRect(0, 0, 4, 4))
    import_mask(window, qtbot, transparent_strokes(tmp_path / "strokes.png"))
    expected = np.zeros((48, 64), dtype=bool)
    expected[12:24, 16:32] = True
    assert np.array_equal(window.document.mask_array(), expected)
    assert "covers 6% of the image" in window.statusBar().currentMessage()
    window.document.undo_stack.undo()
    assert window.document.mask_array().sum() == 16, "one undo step brings the old mask back"


def test_an_imported_mask_of_another_size_is_scaled_and_says_so(
    window, qtbot, png_file, tmp_path
) -> None:
    open_with_mask(window, qtbot, png_file, QRect())
    import_mask(window, qtbot, transparent_strokes(tmp_path / "small.png", 24, 32))
    expected = np.zeros((48, 64), dtype=bool)
    expected[12:24, 16:32] = True
    assert np.array_equal(window.document.mask_array(), expected)
    assert "scaled from 32×24" in window.statusBar().currentMessage()


def test_an_unreadable_mask_file_says_why(window, qtbot, png_file, tmp_path, dialogs) -> None:
    open_with_mask(window, qtbot, png_file, QRect())
    broken = tmp_path / "broken.png"
    broken.write_bytes(b"not a png")
    with qtbot.waitSignal(window.context.files.failed, timeout=10_000):
        window.mask_import.load(broken)
    assert "Cannot import the mask" in dialogs.texts()
    assert "Cannot save" not in dialogs.texts()
    assert not window.document.mask_array().any()


def test_removing_with_an_imported_inverted_mask_asks_first(
    window, qtbot, png_file, tmp_path, dialogs
) -> None:
    before = open_with_mask(window, qtbot, png_file, QRect())
    inverted = np.full((48, 64), 255, dtype=np.uint8)
    inverted[20:24, 30:34] = 0  # the watermark, left out by a mask painted the wrong way round
    path = tmp_path / "inverted.png"
    Image.fromarray(inverted).save(path)
    import_mask(window, qtbot, path)
    assert window.remove() is None
    assert "question: Large mask" in dialogs.texts()
    assert np.array_equal(np.array(window.document.rgb), before)
