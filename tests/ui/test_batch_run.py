"""A batch run as a person sees it: progress, Cancel, final rows, existing outputs.

Progress is watched while a model call runs, Cancel pressed in the middle of one; when some
outputs already exist, the question comes before any work and each answer is followed.

A `GatedPaintBackend` stands in for LaMa on the CPU: each model call waits until the test
lets it finish, so the test can look at the window (and press Cancel) in the middle of one.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from PySide6.QtCore import QRect, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from lamadesk.core.engine import OpenedBackend
from lamadesk.core.output_names import PlannedOutput
from lamadesk.core.pipeline import Strategy
from lamadesk.ui.batch import batch_runs
from lamadesk.ui.batch.existing_outputs import ExistingAnswer, ask_existing_outputs
from lamadesk.ui.i18n import Translations
from lamadesk.ui.main_window import MainWindow
from lamadesk.ui.models import engine_controller
from lamadesk.ui.settings.store import Language
from tests.core.fake_backends import GatedPaintBackend
from tests.ui.conftest import gradient_rgb
from tests.ui.helpers import make_context

_REAL_EXEC = QMessageBox.exec
"""Taken before conftest's `dialogs` fixture replaces it for each test."""


@pytest.fixture
def backend(monkeypatch: pytest.MonkeyPatch) -> Iterator[GatedPaintBackend]:
    gated = GatedPaintBackend()
    monkeypatch.setattr(
        engine_controller,
        "open_model",
        lambda choice, store, device, report=None, **_kwargs: OpenedBackend(gated, report, ()),
    )
    yield gated
    for _ in range(100):  # no worker may stay blocked after the test
        gated.permits.release()


@pytest.fixture
def window(qtbot, qapp, settings, tmp_path, backend):
    context = make_context(qapp, settings, tmp_path / "models")
    win = MainWindow(context)
    qtbot.addWidget(win)
    win.show()
    with qtbot.waitSignal(context.engine.backend_changed, timeout=30_000):
        context.engine.load("auto", "lama")
    yield win
    for _ in range(100):
        backend.permits.release()
    context.shutdown()


@pytest.fixture
def files(tmp_path: Path) -> list[Path]:
    folder = tmp_path / "in"
    folder.mkdir()
    paths = []
    for name in ("a.png", "b.png", "c.png"):
        path = folder / name
        Image.fromarray(gradient_rgb()).save(path)
        paths.append(path)
    return paths


def list_with_mask(window: MainWindow, qtbot, paths: list[Path], rects: list[QRect]) -> None:
    """Put `paths` in the batch list (the first opens) and paint `rects` on it."""
    with qtbot.waitSignal(window.document.opened, timeout=10_000):
        window.add_to_batch(paths)
    for rect in rects:
        window.canvas._editor.fill_rect(rect)


def wait_for_batch_end(window: MainWindow, qtbot) -> object:
    return qtbot.waitSignal(
        window.context.engine.runner.succeeded,
        timeout=30_000,
        check_params_cb=lambda job, _result: job.kind == "batch",
    )


def test_cancel_is_acknowledged_at_once_and_every_row_ends_in_a_true_state(
    window, qtbot, backend, files, tmp_path
) -> None:
    list_with_mask(window, qtbot, files, [QRect(20, 10, 12, 10)])
    out = tmp_path / "out"
    panel = window.batch_panel
    panel.set_output_folder(out)
    backend.permits.release()  # the first file's model call ends by itself
    panel.run_button.click()
    qtbot.waitUntil(lambda: backend.entered == 2, timeout=10_000)
    qtbot.waitUntil(lambda: panel.status_text(files[1]).startswith("Working…"))

    panel.cancel_button.click()
    # The worker is still inside the model call: the window answers before it returns.
    assert backend.entered == 2
    assert not panel.cancel_button.isEnabled()
    assert panel.status_text(files[1]) == "Cancelling…"
    assert window.statusBar().currentMessage() == "Cancelling…"

    with wait_for_batch_end(window, qtbot) as blocker:
        backend.permits.release()  # the current model step ends; nothing runs after it
    assert blocker.args[1].cancelled
    assert backend.entered == 2
    assert sorted(path.name for path in out.iterdir()) == ["a.png"]
    assert panel.status_text(files[0]) == "Done → a.png"
    assert panel.status_text(files[1]) == "Cancelled"
    assert panel.status_text(files[2]) == "Not started"
    assert panel.file_bar.isHidden()
    assert panel.overall_bar.isHidden()
    assert window.progress.isHidden()
    lines = panel.summary.text().splitlines()
    assert lines[0].startswith("1 of 3 files cleaned in ")
    assert lines[1:] == ["Cancelled: b.png", "Not started: 1"]
    assert panel.run_button.isEnabled()
    assert not panel.cancel_button.isEnabled()


@pytest.mark.qt_log_ignore("libpng error")
def test_list_and_summary_call_a_file_that_could_not_be_cleaned_failed(
    window, qtbot, backend, files, tmp_path, dialogs
) -> None:
    broken = files[1].with_name("broken.png")
    broken.write_bytes(b"\x89PNG cut short")
    list_with_mask(window, qtbot, [files[0], broken], [QRect(20, 10, 12, 10)])
    window.batch_panel.set_output_folder(tmp_path / "out")
    backend.permits.release()
    with wait_for_batch_end(window, qtbot):
        window.batch_panel.run_button.click()
    status = window.batch_panel.status_text(broken)
    assert status.startswith("Failed: ")
    summary = window.batch_panel.summary.text()
    assert f"Failed:\n• broken.png: {status.removeprefix('Failed: ')}" in summary
    assert "Skipped" not in summary + status


def test_one_model_call_shows_a_busy_bar_and_the_seconds_it_has_taken(
    window, qtbot, backend, files, tmp_path
) -> None:
    list_with_mask(window, qtbot, files[:1], [QRect(20, 10, 12, 10)])
    panel = window.batch_panel
    panel.set_output_folder(tmp_path / "out")
    now = [100.0]
    panel.clock = lambda: now[0]
    panel.run_button.click()
    qtbot.waitUntil(lambda: backend.entered == 1, timeout=10_000)
    qtbot.waitUntil(panel.file_bar.isVisible)  # the worker's event reaches the window
    assert (panel.file_bar.minimum(), panel.file_bar.maximum()) == (0, 0), "a busy bar"
    assert panel.status_text(files[0]) == "Working… 0 s"
    now[0] += 7.4
    qtbot.waitUntil(lambda: panel.status_text(files[0]) == "Working… 7 s", timeout=3_000)
    with wait_for_batch_end(window, qtbot):
        backend.permits.release()
    assert panel.status_text(files[0]) == "Done → a.png"


def test_several_regions_count_up_as_each_model_call_ends(
    window, qtbot, backend, tmp_path, settings
) -> None:
    wide = tmp_path / "wide.png"
    Image.fromarray(np.full((200, 1000, 3), 90, np.uint8)).save(wide)
    settings.strategy = Strategy.CROP
    settings.dilation = 0
    rects = [QRect(x, 100, 10, 10) for x in (40, 500, 950)]
    list_with_mask(window, qtbot, [wide], rects)
    panel = window.batch_panel
    panel.set_output_folder(tmp_path / "out")
    backend.permits.release()
    panel.run_button.click()
    qtbot.waitUntil(lambda: backend.entered == 2, timeout=10_000)
    qtbot.waitUntil(lambda: panel.file_bar.value() == 1)
    assert (panel.file_bar.minimum(), panel.file_bar.maximum()) == (0, 3)
    assert panel.file_bar.text() == "Current file: 1 of 3 regions"
    with wait_for_batch_end(window, qtbot):
        backend.permits.release()
        backend.permits.release()
    assert backend.entered == 3


class Question:
    """Stands in for the existing-outputs dialog: records each question, gives `answer`.

    It checks, when asked, that no file has reached the model and no batch job is queued.
    """

    def __init__(self, window: MainWindow, backend: GatedPaintBackend, answer) -> None:
        self.window, self.backend, self.answer = window, backend, answer
        self.asked: list[tuple[list[str], Path]] = []

    def __call__(self, parent, existing, folder: Path):
        assert self.backend.entered == 0, "a file was processed before the answer"
        assert not self.window.context.engine.runner.busy, "work was queued before the answer"
        self.asked.append(([planned.destination.name for planned in existing], folder))
        return self.answer


@pytest.fixture
def earlier_output(tmp_path: Path) -> Path:
    """``out/b.png`` from an earlier run: grey pixels and a fixed, old modification time."""
    out = tmp_path / "out"
    out.mkdir()
    path = out / "b.png"
    Image.fromarray(np.full((48, 64, 3), 40, np.uint8)).save(path)
    os.utime(path, ns=(1_600_000_000_000_000_000, 1_600_000_000_000_000_000))
    return path


def ask_with(monkeypatch, window, backend, answer) -> Question:
    question = Question(window, backend, answer)
    monkeypatch.setattr(batch_runs, "ask_existing_outputs", question)
    return question


def start_with_existing(window, qtbot, backend, files, earlier_output) -> None:
    list_with_mask(window, qtbot, files, [QRect(20, 10, 12, 10)])
    window.batch_panel.set_output_folder(earlier_output.parent)
    for _ in files:
        backend.permits.release()


def test_overwrite_replaces_existing_outputs_after_asking_first(
    window, qtbot, backend, files, earlier_output, monkeypatch
) -> None:
    question = ask_with(monkeypatch, window, backend, ExistingAnswer.OVERWRITE)
    start_with_existing(window, qtbot, backend, files, earlier_output)
    with wait_for_batch_end(window, qtbot) as blocker:
        window.batch_panel.run_button.click()
    assert question.asked == [(["b.png"], earlier_output.parent)]
    assert len(blocker.args[1].done) == 3
    pixels = np.asarray(Image.open(earlier_output))
    assert (pixels[12, 22] == [255, 0, 255]).all(), "b.png now holds the new result"
    assert window.batch_panel.status_text(files[1]) == "Done → b.png"


def test_skip_existing_leaves_their_files_alone_and_counts_them_apart(
    window, qtbot, backend, files, earlier_output, monkeypatch
) -> None:
    before = (earlier_output.read_bytes(), earlier_output.stat().st_mtime_ns)
    question = ask_with(monkeypatch, window, backend, ExistingAnswer.SKIP)
    start_with_existing(window, qtbot, backend, files, earlier_output)
    with wait_for_batch_end(window, qtbot) as blocker:
        window.batch_panel.run_button.click()
    assert len(question.asked) == 1
    summary = blocker.args[1]
    assert [outcome.source for outcome in summary.done] == [files[0], files[2]]
    assert [outcome.source for outcome in summary.skipped] == [files[1]]
    assert backend.entered == 2, "the skipped file never reached the model"
    assert (earlier_output.read_bytes(), earlier_output.stat().st_mtime_ns) == before
    assert sorted(p.name for p in earlier_output.parent.iterdir()) == ["a.png", "b.png", "c.png"]
    panel = window.batch_panel
    assert panel.status_text(files[1]) == "Skipped: already cleaned"
    assert panel.status_text(files[2]) == "Done → c.png"
    lines = panel.summary.text().splitlines()
    assert lines[0].startswith("2 of 3 files cleaned in ")
    assert lines[1:] == ["Skipped: 1 already cleaned"]
    assert (panel.overall_bar.value(), panel.overall_bar.maximum()) == (3, 3)


def test_skipping_every_file_inpaints_nothing(
    window, qtbot, backend, files, earlier_output, monkeypatch
) -> None:
    for name in ("a.png", "c.png"):
        shutil.copy2(earlier_output, earlier_output.with_name(name))
    before = {path.name: path.stat().st_mtime_ns for path in earlier_output.parent.iterdir()}
    ask_with(monkeypatch, window, backend, ExistingAnswer.SKIP)
    start_with_existing(window, qtbot, backend, files, earlier_output)
    with wait_for_batch_end(window, qtbot):
        window.batch_panel.run_button.click()
    panel = window.batch_panel
    assert backend.entered == 0
    assert {p.name: p.stat().st_mtime_ns for p in earlier_output.parent.iterdir()} == before
    assert [panel.status_text(path) for path in files] == ["Skipped: already cleaned"] * 3
    assert panel.summary.text().splitlines()[1:] == ["Skipped: 3 already cleaned"]
    assert panel.run_button.isEnabled()


def test_choosing_another_folder_plans_again_there(
    window, qtbot, backend, files, earlier_output, monkeypatch, tmp_path
) -> None:
    before = (earlier_output.read_bytes(), earlier_output.stat().st_mtime_ns)
    question = ask_with(monkeypatch, window, backend, ExistingAnswer.OTHER_FOLDER)
    other = tmp_path / "other"
    other.mkdir()
    monkeypatch.setattr(window.files, "ask_folder", lambda title: other)
    start_with_existing(window, qtbot, backend, files, earlier_output)
    with wait_for_batch_end(window, qtbot):
        window.batch_panel.run_button.click()
    assert len(question.asked) == 1, "the new folder holds none of the outputs: no question"
    assert sorted(p.name for p in other.iterdir()) == ["a.png", "b.png", "c.png"]
    assert (earlier_output.read_bytes(), earlier_output.stat().st_mtime_ns) == before
    assert window.batch_panel.output_folder() == other
    assert window.settings.batch_folder == other


def test_cancelling_the_question_does_nothing(
    window, qtbot, backend, files, earlier_output, monkeypatch
) -> None:
    before = (earlier_output.read_bytes(), earlier_output.stat().st_mtime_ns)
    ask_with(monkeypatch, window, backend, ExistingAnswer.CANCEL)
    start_with_existing(window, qtbot, backend, files, earlier_output)
    started = []
    window.context.engine.runner.started.connect(started.append)
    assert window.run_batch() is None
    assert started == []
    assert backend.entered == 0
    assert list(earlier_output.parent.iterdir()) == [earlier_output]
    assert (earlier_output.read_bytes(), earlier_output.stat().st_mtime_ns) == before
    assert [window.batch_panel.status_text(path) for path in files] == ["Waiting"] * 3


def test_no_question_when_no_output_exists(window, qtbot, backend, files, monkeypatch, tmp_path):
    question = ask_with(monkeypatch, window, backend, ExistingAnswer.CANCEL)
    list_with_mask(window, qtbot, files, [QRect(20, 10, 12, 10)])
    window.batch_panel.set_output_folder(tmp_path / "fresh")
    for _ in files:
        backend.permits.release()
    with wait_for_batch_end(window, qtbot):
        window.batch_panel.run_button.click()
    assert question.asked == []
    assert len(list((tmp_path / "fresh").iterdir())) == 3


@pytest.mark.parametrize(
    ("button", "answer"),
    [
        ("Overwrite", ExistingAnswer.OVERWRITE),
        ("Skip existing", ExistingAnswer.SKIP),
        ("Choose another folder…", ExistingAnswer.OTHER_FOLDER),
        ("Cancel", ExistingAnswer.CANCEL),
    ],
)
def test_the_question_answers_with_the_button_pressed(
    qtbot, monkeypatch, tmp_path, button, answer
) -> None:
    monkeypatch.setattr(QMessageBox, "exec", _REAL_EXEC)  # conftest stubs it for other tests
    parent = QWidget()
    qtbot.addWidget(parent)
    planned = [PlannedOutput(tmp_path / "a.png", tmp_path / "out" / "a.png", True, False)]
    seen = []

    def press() -> None:
        box = QApplication.activeModalWidget()
        seen.append(box.text())
        next(b for b in box.buttons() if b.text() == button).click()

    QTimer.singleShot(0, press)
    assert ask_existing_outputs(parent, planned, tmp_path / "out") is answer
    assert seen == [f"1 of the files to write already exist in {tmp_path / 'out'}."]


def test_the_question_lists_existing_outputs_with_their_subfolders(
    qtbot, monkeypatch, tmp_path
) -> None:
    monkeypatch.setattr(QMessageBox, "exec", _REAL_EXEC)
    parent = QWidget()
    qtbot.addWidget(parent)
    out = tmp_path / "out"
    planned = [
        PlannedOutput(tmp_path / year / "scan.jpg", out / year / "scan.jpg", True, False)
        for year in ("1998", "1999")
    ]
    details = []

    def press() -> None:
        box = QApplication.activeModalWidget()
        details.append(box.detailedText())
        next(b for b in box.buttons() if b.text() == "Cancel").click()

    QTimer.singleShot(0, press)
    ask_existing_outputs(parent, planned, out)
    assert details == ["1998/scan.jpg\n1999/scan.jpg"]


def test_a_single_removal_shows_a_busy_status_bar_while_the_model_runs(
    window, qtbot, backend, files
) -> None:
    with qtbot.waitSignal(window.document.opened, timeout=10_000):
        window.open_file(files[0])
    window.canvas._editor.fill_rect(QRect(20, 10, 12, 10))
    window.remove()
    qtbot.waitUntil(lambda: backend.entered == 1, timeout=10_000)
    qtbot.waitUntil(window.progress.isVisible)
    assert (window.progress.minimum(), window.progress.maximum()) == (0, 0), "a busy bar"
    with qtbot.waitSignal(window.context.engine.runner.succeeded, timeout=10_000):
        backend.permits.release()
    assert window.progress.isHidden()


@pytest.mark.qt_log_ignore("libpng error")
def test_in_chinese_rows_say_why_a_file_failed_and_that_the_mask_was_scaled(
    window, qtbot, backend, files, tmp_path, qapp
) -> None:
    broken = files[1].with_name("broken.png")
    Image.fromarray(gradient_rgb(400, 300)).save(broken)
    broken.write_bytes(broken.read_bytes()[:300])
    larger = files[2].with_name("scaled (2).png")  # old code took "scaled" in the name for a note
    Image.fromarray(gradient_rgb(128, 96)).save(larger)
    other = files[2].with_name("other.png")
    Image.fromarray(gradient_rgb(32, 24)).save(other)
    list_with_mask(window, qtbot, [files[0], broken, larger, other], [QRect(20, 10, 12, 10)])
    window.batch_panel.set_output_folder(tmp_path / "out")
    translations = Translations(qapp)
    translations.apply(Language.CHINESE_SIMPLIFIED)
    try:
        for _ in range(3):
            backend.permits.release()
        with wait_for_batch_end(window, qtbot):
            window.batch_panel.run_button.click()
        panel = window.batch_panel
        assert panel.status_text(broken) == "失败：文件被截断或已损坏"  # noqa: RUF001
        assert "• broken.png：文件被截断或已损坏" in panel.summary.text()  # noqa: RUF001
        assert panel.status_text(larger) == "完成 → scaled (2).png · 蒙版已缩放"
        assert panel.status_text(other) == "完成 → other.png · 蒙版已缩放"
        assert panel.status_text(files[0]) == "完成 → a.png"
    finally:
        translations.apply(Language.ENGLISH)
