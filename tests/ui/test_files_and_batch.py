"""Drag and drop, the batch list and saving, driven through the real main window."""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from PySide6.QtCore import QMimeData, QPoint, QPointF, QRect, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox

from lamadesk.ui.main_window import MainWindow
from lamadesk.ui.settings.store import SaveFormat
from tests.ui.helpers import make_context, opencv_window


@pytest.fixture
def window(qtbot, qapp, settings, tmp_path):
    context = make_context(qapp, settings, tmp_path / "models")
    yield opencv_window(qtbot, context)
    context.shutdown()


def drop(window: MainWindow, paths: list[Path]) -> None:
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path)) for path in paths])
    args = (
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    with warnings.catch_warnings():
        # PySide marks the only QDragEnterEvent constructor deprecated; Qt has no other.
        warnings.simplefilter("ignore", DeprecationWarning)
        enter = QDragEnterEvent(QPoint(200, 200), *args)
    QApplication.sendEvent(window, enter)
    assert enter.isAccepted(), "the window accepts dragged files"
    QApplication.sendEvent(window, QDropEvent(QPointF(200, 200), *args))


def open_with_mask(window: MainWindow, qtbot, path: Path) -> None:
    with qtbot.waitSignal(window.document.opened, timeout=10_000):
        drop(window, [path])
    window.canvas._editor.fill_rect(QRect(20, 10, 12, 10))


def test_dropping_one_image_opens_it(window, qtbot, png_file) -> None:
    with qtbot.waitSignal(window.document.opened, timeout=10_000):
        drop(window, [png_file])
    assert window.document.path == png_file
    assert (window.document.width, window.document.height) == (64, 48)
    assert window.batch_dock.isHidden()
    assert png_file in window.settings.recent_files


def test_open_recent_lists_existing_files_and_prunes_missing_ones_with_a_message(
    window, png_file, tmp_path
) -> None:
    gone = tmp_path / "gone.png"
    window.settings.add_recent_file(gone)
    window.settings.add_recent_file(png_file)
    menu = window.actions_.recent_menu
    menu.aboutToShow.emit()
    entries = [action.text() for action in menu.actions() if not action.isSeparator()]
    assert entries == [str(png_file.resolve()), "Clear list"]
    assert window.settings.recent_files == [png_file.resolve()]
    message = window.status_bar.currentMessage()
    assert "gone.png" in message
    assert "no longer exist" in message


def test_dropping_a_folder_fills_the_batch_list_with_thumbnails(window, qtbot, jpeg_files) -> None:
    drop(window, [jpeg_files[0].parent])
    panel = window.batch_panel
    assert panel.paths() == jpeg_files
    assert window.batch_dock.isVisible()
    qtbot.waitUntil(
        lambda: all(
            panel.list.item(i).icon().pixmap(64).toImage().pixelColor(30, 32).name()
            != panel.palette().mid().color().name()
            for i in range(3)
        ),
        timeout=10_000,
    )
    assert panel.status_text(jpeg_files[1]) == "Waiting"


def test_batch_applies_the_mask_to_every_file_and_reports_failures(
    window, qtbot, jpeg_files, tmp_path, dialogs
) -> None:
    broken = jpeg_files[0].parent / "broken.jpg"
    broken.write_bytes(b"\xff\xd8\xff\xe0 not really a jpeg")
    drop(window, [jpeg_files[0].parent])
    panel = window.batch_panel
    assert panel.file_bar.isHidden()
    assert panel.overall_bar.isHidden()
    # The first file of the list (broken.jpg) is opened for painting and fails with a message.
    qtbot.waitUntil(lambda: not window.context.files.busy, timeout=10_000)
    assert "broken.jpg" in dialogs.texts()
    with qtbot.waitSignal(window.document.opened, timeout=10_000):
        window.open_file(jpeg_files[0])
    window.canvas._editor.fill_rect(QRect(20, 10, 12, 10))
    out = tmp_path / "out"
    window.batch_panel.set_output_folder(out)
    runner = window.context.engine.runner
    with qtbot.waitSignal(runner.succeeded, timeout=60_000) as blocker:
        window.run_batch()
    summary = blocker.args[1]
    assert len(summary.done) == 3
    assert len(summary.failed) == 1
    assert sorted(p.name for p in out.iterdir()) == ["img0.jpg", "img1.jpg", "img2.jpg"]
    assert panel.status_text(broken).startswith("Failed:")
    assert "mask scaled" in panel.status_text(jpeg_files[1])
    assert panel.overall_bar.value() == 4
    assert panel.file_bar.isHidden(), "no file is current after the batch"
    assert not panel.overall_bar.isHidden()
    panel.clear()
    assert panel.file_bar.isHidden()
    assert panel.overall_bar.isHidden()
    assert "Batch finished with failures" in dialogs.texts()


@pytest.fixture
def year_folders(tmp_path: Path) -> Path:
    """Scans sorted by year, one name in two years, and a folder of earlier results."""
    root = tmp_path / "scans"
    for index, name in enumerate(("1998/scan.jpg", "1999/scan.jpg", "loose.jpg", "done/old.jpg")):
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        Image.fromarray(np.full((48, 64, 3), 40 * index, np.uint8)).save(root / name)
    return root


def test_a_dropped_folder_brings_its_subfolders_and_the_batch_keeps_their_layout(
    window, qtbot, year_folders
) -> None:
    panel = window.batch_panel
    out = year_folders / "done"  # the results of an earlier run are not photos to clean
    panel.set_output_folder(out)
    drop(window, [year_folders])
    scans = [
        year_folders / "loose.jpg",
        year_folders / "1998/scan.jpg",
        year_folders / "1999/scan.jpg",
    ]
    assert panel.paths() == scans
    assert panel.list.item(1).text().splitlines()[0] == "1998/scan.jpg"
    open_with_mask(window, qtbot, scans[0])
    with qtbot.waitSignal(window.context.engine.runner.succeeded, timeout=60_000) as blocker:
        window.run_batch()
    assert len(blocker.args[1].done) == 3
    assert panel.status_text(scans[2]) == "Done → 1999/scan.jpg"
    for name in ("loose.jpg", "1998/scan.jpg", "1999/scan.jpg"):
        assert (out / name).is_file()
    assert sorted(p.name for p in (out / "1999").iterdir()) == ["scan.jpg"]


def test_the_add_menu_adds_a_chosen_folder_with_its_subfolders(
    window, year_folders, monkeypatch
) -> None:
    panel = window.batch_panel
    monkeypatch.setattr(
        QFileDialog, "getExistingDirectory", lambda *args, **kwargs: str(year_folders)
    )
    assert [action.text() for action in panel.add_button.menu().actions()] == [
        "Images…",
        "A folder, with its subfolders…",
    ]
    panel.add_folder_action.trigger()
    assert len(panel.paths()) == 4  # done/ is not the output folder here, so it is searched
    assert panel.list.item(1).text().splitlines()[0] == "1998/scan.jpg"


def test_copies_saved_beside_the_photos_stay_out_of_the_batch_and_the_panel_says_so(
    window, year_folders, monkeypatch
) -> None:
    panel = window.batch_panel
    Image.fromarray(np.zeros((48, 64, 3), np.uint8)).save(year_folders / "loose.clean.jpg")
    monkeypatch.setattr(
        QFileDialog, "getExistingDirectory", lambda *args, **kwargs: str(year_folders)
    )
    panel.add_folder_action.trigger()
    assert year_folders / "loose.clean.jpg" not in panel.paths()
    assert len(panel.paths()) == 4
    assert panel.summary.text() == (
        "Left out 1 file(s) that lamadesk wrote itself (loose.clean.jpg); add such a file by "
        "itself to clean it again."
    )


def test_an_output_folder_that_would_put_results_beside_their_originals_is_refused(
    window, qtbot, year_folders, dialogs
) -> None:
    (year_folders / "loose.jpg").unlink()  # every photo left is in a subfolder
    window.batch_panel.set_output_folder(year_folders)
    drop(window, [year_folders])
    open_with_mask(window, qtbot, year_folders / "1998" / "scan.jpg")
    before = (year_folders / "1998" / "scan.jpg").read_bytes()
    assert window.run_batch() is None
    assert "The output folder holds some of the originals" in dialogs.texts()
    assert (year_folders / "1998" / "scan.jpg").read_bytes() == before


def test_save_writes_clean_copy_and_never_overwrites_the_original(
    window, qtbot, png_file, dialogs
) -> None:
    original = png_file.read_bytes()
    open_with_mask(window, qtbot, png_file)
    with qtbot.waitSignal(window.context.engine.runner.succeeded, timeout=30_000):
        window.remove()
    files = window.context.files
    with qtbot.waitSignal(files.succeeded, timeout=10_000):
        assert window.saver.save()
    clean = png_file.with_name("photo.clean.png")
    written = np.array(Image.open(clean))
    assert np.array_equal(written, np.array(window.document.rgb))
    assert window.document.undo_stack.isClean()
    assert png_file.read_bytes() == original

    clean.write_bytes(b"keep me")
    dialogs.answer = QMessageBox.StandardButton.No
    assert not window.saver.save(), "declining the replace question writes nothing"
    assert clean.read_bytes() == b"keep me"
    assert "already exists" in dialogs.texts()

    assert not window.saver.write(png_file, overwrite=True)
    assert "never overwrites" in dialogs.texts()
    assert png_file.read_bytes() == original


def test_save_as_jpeg_tells_that_transparency_was_put_on_white(
    window, qtbot, tmp_path, dialogs
) -> None:
    rgba = np.full((48, 64, 4), 200, np.uint8)
    rgba[:, :32, 3] = 0
    source = tmp_path / "logo.png"
    Image.fromarray(rgba).save(source)
    window.settings.save_format = SaveFormat.JPEG
    open_with_mask(window, qtbot, source)
    with qtbot.waitSignal(window.context.engine.runner.succeeded, timeout=30_000):
        window.remove()

    with qtbot.waitSignal(window.context.files.succeeded, timeout=10_000):
        assert window.saver.save()

    message = window.status_bar.currentMessage()
    assert f"Saved {tmp_path / 'logo.clean.jpg'}" in message
    assert "JPEG has no transparency: transparent areas are put on white" in message
    with Image.open(tmp_path / "logo.clean.jpg") as written:
        assert np.asarray(written)[:, :20].min() >= 250


def answer_unsaved_question(monkeypatch, answer):
    """Answer the unsaved-changes question with `answer`; returns the buttons it offered."""
    offered = []

    def question(parent, title, text, buttons, default=None):
        offered.append(buttons)
        return answer

    monkeypatch.setattr(QMessageBox, "question", staticmethod(question))
    return offered


def test_a_brushed_mask_alone_is_no_unsaved_change(window, qtbot, png_file, dialogs) -> None:
    open_with_mask(window, qtbot, png_file)
    assert not window.document.mask_is_empty()
    assert not window.isWindowModified()
    assert window.close()
    assert dialogs.shown == []


def test_an_unsaved_removal_is_saved_from_the_question_then_the_window_closes(
    window, qtbot, png_file, monkeypatch
) -> None:
    open_with_mask(window, qtbot, png_file)
    with qtbot.waitSignal(window.context.engine.runner.succeeded, timeout=30_000):
        window.remove()
    assert window.isWindowModified()
    Button = QMessageBox.StandardButton  # noqa: N806
    offered = answer_unsaved_question(monkeypatch, Button.Save)
    with qtbot.waitSignal(window.context.files.succeeded, timeout=10_000):
        assert not window.close(), "the window waits for the file to be written"
    assert offered == [Button.Save | Button.Discard | Button.Cancel]
    written = np.array(Image.open(png_file.with_name("photo.clean.png")))
    assert np.array_equal(written, np.array(window.document.rgb))
    qtbot.waitUntil(lambda: not window.isVisible(), timeout=5_000)


@pytest.mark.parametrize(("answer", "closes"), [("Discard", True), ("Cancel", False)])
def test_discard_closes_without_writing_and_cancel_keeps_the_window(
    window, qtbot, png_file, monkeypatch, answer, closes
) -> None:
    open_with_mask(window, qtbot, png_file)
    with qtbot.waitSignal(window.context.engine.runner.succeeded, timeout=30_000):
        window.remove()
    answer_unsaved_question(monkeypatch, getattr(QMessageBox.StandardButton, answer))
    assert window.close() is closes
    assert window.isVisible() is not closes
    assert not png_file.with_name("photo.clean.png").exists()


def test_undoing_a_removal_leaves_only_the_mask_edits_to_lose(
    window, qtbot, png_file, dialogs
) -> None:
    open_with_mask(window, qtbot, png_file)
    with qtbot.waitSignal(window.context.engine.runner.succeeded, timeout=30_000):
        window.remove()
    window.document.undo_stack.undo()
    assert not window.isWindowModified()
    assert window.close()
    assert dialogs.shown == []
