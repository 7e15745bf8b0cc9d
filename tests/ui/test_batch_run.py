"""A batch run as a person sees it: progress while a model call runs, Cancel, final rows.

A `GatedPaintBackend` stands in for LaMa on the CPU: each model call waits until the test
lets it finish, so the test can look at the window (and press Cancel) in the middle of one.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from PySide6.QtCore import QRect

from lamadesk.core.engine import ModelChoice, OpenedBackend
from lamadesk.core.pipeline import Strategy
from lamadesk.ui import engine_controller
from lamadesk.ui.main_window import MainWindow
from tests.core.fake_backends import GatedPaintBackend
from tests.ui.conftest import gradient_rgb
from tests.ui.helpers import make_context


@pytest.fixture
def backend(monkeypatch: pytest.MonkeyPatch) -> Iterator[GatedPaintBackend]:
    gated = GatedPaintBackend()
    monkeypatch.setattr(
        engine_controller,
        "open_backend",
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
        context.engine.load("auto", ModelChoice.LAMA)
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
