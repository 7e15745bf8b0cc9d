"""The batch view's "Find shared watermark" flow, through the real window and worker thread.

A stamped batch is written to disk (textured pictures carrying one translucent mark with a
few pixels of jitter, one picture without the mark, one broken file); the search, the
review, corrections, rejections and the removal all run as a person would run them.
"""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
import pytest
from PIL import Image
from PySide6.QtCore import Qt

from lamadesk.core.masks import Box, dilate
from lamadesk.core.metrics import iou, psnr
from lamadesk.core.notes import NoteKind
from lamadesk.core.watermark.detection import Seed
from lamadesk.core.watermark.removal import INPAINT_GROWTH
from lamadesk.ui.canvas.view import Tool
from lamadesk.ui.main_window import MainWindow
from tests.core.watermark_batches import COVERAGE, make_batch
from tests.ui.helpers import add, double_click, drag, make_context, opencv_window, remove_all

STAMPED = 9
MARK_FREE = STAMPED  # index of the picture without the mark
BROKEN = STAMPED + 1

pytestmark = pytest.mark.qt_log_ignore("JPEG datastream contains no image", "Corrupt JPEG")


@pytest.fixture(scope="module")
def batch():
    return make_batch(STAMPED, seed=1)


@pytest.fixture
def files(tmp_path, batch) -> list[Path]:
    folder = tmp_path / "series"
    folder.mkdir()
    pictures = [*batch.stamped, make_batch(1, seed=3).clean[0]]
    paths = []
    for index, picture in enumerate(pictures):
        path = folder / f"shot_{index:02d}.png"
        Image.fromarray(picture).save(path)
        paths.append(path)
    broken = folder / f"shot_{BROKEN:02d}.jpg"
    broken.write_bytes(b"\xff\xd8\xff\xe0 cut short")
    return [*paths, broken]


@pytest.fixture
def window(qtbot, qapp, settings, tmp_path):
    context = make_context(qapp, settings, tmp_path / "models")
    yield opencv_window(qtbot, context)
    context.shutdown()


def find(window: MainWindow, qtbot, outcome: str = "succeeded") -> object:
    runner = window.context.engine.runner
    with qtbot.waitSignal(
        getattr(runner, outcome),
        timeout=30_000,
        check_params_cb=lambda job, *_: job.kind == "detect",
    ) as blocker:
        window.batch_panel.shared.find_button.click()
    return blocker.args[-1]


def checked(window: MainWindow, path: Path) -> Qt.CheckState | None:
    item = window.batch_panel.list.item(window.batch_panel.paths().index(path))
    if not item.flags() & Qt.ItemFlag.ItemIsUserCheckable:
        return None
    return item.checkState()


def read(path: Path) -> np.ndarray:
    return np.asarray(Image.open(path).convert("RGB"))


def test_search_lists_each_file_as_found_not_found_or_unreadable(window, qtbot, files):
    add(window, qtbot, files)
    find(window, qtbot)
    panel = window.batch_panel
    for path in files[:STAMPED]:
        assert panel.status_text(path).startswith("Found · match ")
        assert checked(window, path) == Qt.CheckState.Checked
    assert panel.status_text(files[MARK_FREE]).startswith("Not found · match ")
    assert checked(window, files[MARK_FREE]) == Qt.CheckState.Unchecked
    assert panel.status_text(files[BROKEN]).startswith("Unreadable: ")
    assert checked(window, files[BROKEN]) is None, "a file that cannot be read has no box"
    assert panel.run_button.text() == "Remove from checked files"
    assert f"found in {STAMPED} of {len(files)} images" in window.statusBar().currentMessage()


def test_opening_a_file_shows_the_detected_mark_as_its_editable_mask(window, qtbot, files, batch):
    add(window, qtbot, files)
    find(window, qtbot)
    double_click(window, qtbot, files[4])
    mask = window.document.mask_array()
    top, left = batch.offsets[4]
    height, width = COVERAGE.shape
    grown = INPAINT_GROWTH + 1
    inside_box = np.zeros_like(mask)
    inside_box[top - grown : top + height + grown, left - grown : left + width + grown] = True
    truth = batch.true_masks()[4]
    assert not (mask & ~inside_box).any(), "nothing is masked away from the mark"
    assert iou(mask, dilate(truth, INPAINT_GROWTH)) >= 0.8
    assert mask[truth & (batch.alphas[4] > 0.2)].all(), "every clearly visible mark pixel"
    assert window.document.undo_stack.isClean(), "loading the found mask is not an edit"

    double_click(window, qtbot, files[MARK_FREE])
    assert not window.document.mask_array().any(), "no mark was found in this picture"


def test_removal_cleans_checked_files_only_and_keeps_a_brushed_correction(
    window, qtbot, files, batch, tmp_path, dialogs
):
    add(window, qtbot, files)
    find(window, qtbot)
    panel = window.batch_panel
    # A stray spot far from the mark, brushed onto picture 2, must go too.
    double_click(window, qtbot, files[2])
    window.canvas.set_tool(Tool.BRUSH)
    window.canvas.set_brush_size(12)
    drag(window.canvas, [(40, 40), (60, 40)])
    double_click(window, qtbot, files[3])
    assert "Unsaved changes" not in dialogs.texts(), "a reviewed mask is kept, not lost"
    assert panel.status_text(files[2]).endswith("· corrected by hand")
    double_click(window, qtbot, files[2])
    assert window.document.mask_array()[40, 40:61].all(), "the correction came back"
    # Painting a mask on the picture the mark was not found in takes that picture in.
    assert checked(window, files[MARK_FREE]) == Qt.CheckState.Unchecked
    double_click(window, qtbot, files[MARK_FREE])
    drag(window.canvas, [(100, 100), (120, 100)])
    double_click(window, qtbot, files[0])
    assert checked(window, files[MARK_FREE]) == Qt.CheckState.Checked
    # Reject picture 5.
    panel.list.clearSelection()
    panel.list.item(5).setSelected(True)
    panel.shared.reject_button.click()
    assert checked(window, files[5]) == Qt.CheckState.Unchecked

    out = tmp_path / "out"
    kinds = []
    window.context.engine.runner.started.connect(lambda job: kinds.append(job.kind))
    summary = remove_all(window, qtbot, out)
    assert kinds == ["fit", "batch"], "the blend is fitted as a step of its own, first"

    written = sorted(path.name for path in out.iterdir())
    expected = [path.name for i, path in enumerate(files[: MARK_FREE + 1]) if i != 5]
    assert written == expected, "the rejected and the broken file are not written"
    assert len(summary.done) == STAMPED
    assert not summary.failed
    hand = read(out / files[MARK_FREE].name)
    original = np.asarray(Image.open(files[MARK_FREE]))
    painted = np.zeros((240, 320), np.uint8)
    cv2.line(painted, (100, 100), (120, 100), 1, 12)
    painted = painted.astype(bool)
    far = ~dilate(painted, 12)
    np.testing.assert_array_equal(hand[far], original[far])
    assert np.abs(hand[painted].astype(int) - original[painted]).max() > 0
    for index in (0, 2, 7):
        source, result = batch.stamped[index], read(out / files[index].name)
        truth = batch.true_masks()[index]
        near = dilate(truth | _spot(index), 12)
        np.testing.assert_array_equal(result[~near], source[~near])
        before = psnr(source[truth], batch.clean[index][truth])
        assert psnr(result[truth], batch.clean[index][truth]) >= before + 10
    spot = _spot(2)
    assert np.abs(read(out / files[2].name)[spot].astype(int) - batch.stamped[2][spot]).max() > 0
    assert panel.status_text(files[5]).startswith("Found"), "a rejected file keeps its status"
    assert panel.status_text(files[0]).startswith("Done → ")


def _spot(index: int) -> np.ndarray:
    """The stroke brushed onto picture 2 by the test above (none elsewhere)."""
    spot = np.zeros((240, 320), np.uint8)
    if index == 2:
        cv2.line(spot, (40, 40), (60, 40), 1, 12)
    return spot.astype(bool)


def test_turning_de_blending_off_paints_over_the_whole_mark(window, qtbot, files, batch, tmp_path):
    add(window, qtbot, files[:STAMPED])
    find(window, qtbot)
    window.batch_panel.shared.deblend.setChecked(False)
    kinds = []
    window.context.engine.runner.started.connect(lambda job: kinds.append(job.kind))
    summary = remove_all(window, qtbot, tmp_path / "out")
    assert kinds == ["batch"], "nothing to fit when the blend is not undone"
    assert len(summary.done) == STAMPED
    undone = (NoteKind.BLEND_UNDONE_PART, NoteKind.BLEND_UNDONE_WHOLE)
    assert all(note.kind not in undone for outcome in summary.done for note in outcome.notes)
    result, truth = read(tmp_path / "out" / files[1].name), batch.true_masks()[1]
    assert np.abs(result[truth].astype(int) - batch.stamped[1][truth]).mean() > 5


def test_a_box_drawn_on_the_open_image_guides_the_search(window, qtbot, files, batch):
    few = files[:4]
    add(window, qtbot, few)
    top, left = batch.offsets[0]
    height, width = COVERAGE.shape
    window.canvas.set_tool(Tool.RECTANGLE)
    drag(window.canvas, [(left, top), (left + width, top + height)])
    detection = find(window, qtbot)
    seed = window.shared_mark.review.request.seed
    assert seed is not None
    assert seed.index == 0
    box = seed.box
    assert abs(box.top - top) <= 1
    assert abs(box.left - left) <= 1
    assert seed == Seed(0, Box(box.top, box.left, box.bottom, box.right))
    for index in range(4):
        found = detection.mask_for(index, (240, 320))
        assert iou(found, batch.true_masks()[index]) >= 0.8
    assert "may be wrong" not in window.batch_panel.summary.text()
    assert window.document.mask_array()[top + height // 2, left : left + width].any()
    window.document.undo_stack.undo()
    assert window.document.mask_array()[top + 1, left + 1 : left + width - 1].all(), (
        "undo brings the drawn box back"
    )


def test_too_few_readable_images_are_explained(window, qtbot, files, dialogs):
    add(window, qtbot, [files[0], files[1], files[BROKEN]])
    find(window, qtbot, "failed")
    assert "needs at least 3 images that can be read; only 2 could" in dialogs.texts()
    assert not window.shared_mark.active
    assert window.batch_panel.run_button.text() == "Remove from all"


def test_no_shared_mark_suggests_drawing_a_box(window, qtbot, tmp_path, dialogs):
    rng = np.random.default_rng(5)
    paths = []
    for index, picture in enumerate(make_batch(8, seed=2).stamped):
        path = tmp_path / f"noise_{index}.png"
        Image.fromarray(rng.permutation(picture.reshape(-1, 3)).reshape(picture.shape)).save(path)
        paths.append(path)
    add(window, qtbot, paths)
    find(window, qtbot, "failed")
    assert "draw a box around the watermark with the rectangle tool" in dialogs.texts()


def test_cancelling_a_new_search_keeps_the_review_and_its_corrections(window, qtbot, files):
    add(window, qtbot, files)
    find(window, qtbot)
    drag(window.canvas, [(40, 40), (60, 40)])
    review = window.shared_mark.review
    runner = window.context.engine.runner
    with qtbot.waitSignal(runner.cancelled, timeout=30_000):
        window.batch_panel.shared.find_button.click()
        window.batch_panel.cancel_button.click()
    assert window.shared_mark.review is review
    assert window.document.mask_array()[40, 40:61].all()
    assert window.batch_panel.status_text(files[1]).startswith("Found")
    double_click(window, qtbot, files[1])
    assert window.batch_panel.status_text(files[0]).endswith("corrected by hand")


def test_cancelling_the_search_keeps_the_list_and_the_mask(window, qtbot, files):
    add(window, qtbot, files)
    window.canvas._editor.fill_rect(window.document.bounds.adjusted(10, 10, -200, -150))
    before = window.document.mask_array()
    runner = window.context.engine.runner
    panel = window.batch_panel
    with qtbot.waitSignal(runner.cancelled, timeout=30_000):
        panel.shared.find_button.click()
        assert not panel.overall_bar.isHidden()
        assert panel.file_bar.isHidden()
        panel.cancel_button.click()
    assert panel.overall_bar.isHidden()
    assert panel.file_bar.isHidden()
    assert not window.shared_mark.active
    assert np.array_equal(window.document.mask_array(), before)
    assert all(window.batch_panel.status_text(path) == "Waiting" for path in files)
    assert window.batch_panel.shared.find_button.isEnabled()
    assert "cancelled" in window.statusBar().currentMessage()


def test_forgetting_the_search_goes_back_to_one_mask_for_all(window, qtbot, files):
    add(window, qtbot, files)
    find(window, qtbot)
    window.batch_panel.shared.forget_button.click()
    assert not window.shared_mark.active
    assert checked(window, files[0]) is None
    assert window.batch_panel.status_text(files[0]) == "Waiting"
    assert window.batch_panel.run_button.text() == "Remove from all"


def test_enter_in_the_output_folder_field_does_not_remove_from_the_open_image(window, qtbot, files):
    add(window, qtbot, files)
    find(window, qtbot)
    window.activateWindow()
    qtbot.waitUntil(lambda: window.isActiveWindow())
    before = window.document.mask_array()
    assert before.any()
    edit = window.batch_panel.folder_edit
    edit.setFocus()
    kinds = []
    window.context.engine.runner.started.connect(lambda job: kinds.append(job.kind))
    with qtbot.waitSignal(edit.editingFinished, timeout=5_000):
        qtbot.keyClick(edit, Qt.Key.Key_Return)
    assert kinds == []
    assert np.array_equal(window.document.mask_array(), before)
    assert window.document.changed_mask().sum() == 0


def test_the_summary_counts_the_time_spent_fitting_the_blend(window, qtbot, files, tmp_path):
    add(window, qtbot, files[:STAMPED])
    find(window, qtbot)
    panel, runner = window.batch_panel, window.context.engine.runner
    now = [100.0]
    panel.clock = lambda: now[0]

    def fit_took_seconds(job, _result) -> None:
        if job.kind == "fit":
            now[0] += 8.5

    runner.succeeded.connect(fit_took_seconds)
    summary = remove_all(window, qtbot, tmp_path / "out")
    assert len(summary.done) == STAMPED
    assert panel.summary.text().startswith(f"{STAMPED} of {STAMPED} files cleaned in 8.5 s.")
