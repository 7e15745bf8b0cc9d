"""Removal jobs run on a worker thread while the GUI event loop keeps running."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import QRect, QTimer

from lamadesk.core.pipeline import Strategy
from lamadesk.ui.jobs.runner import Job, JobHandlers, JobRunner
from lamadesk.ui.main_window import MainWindow
from tests.tiny_models import install_unvetted
from tests.ui.conftest import build_mean_fill_model
from tests.ui.helpers import make_context


@pytest.fixture
def window(qtbot, qapp, settings, tmp_path):
    models = tmp_path / "models"
    # Slow enough that a loaded 2-core machine still ticks the GUI timer during the job.
    tiny = build_mean_fill_model(tmp_path / "tiny.pt", delay_loops=4000)
    install_unvetted(models, tiny)
    context = make_context(qapp, settings, models)
    win = MainWindow(context)
    qtbot.addWidget(win)
    win.show()
    yield win
    context.shutdown()


def _load(window: MainWindow, qtbot, image_path: Path) -> None:
    with qtbot.waitSignal(window.context.engine.backend_changed, timeout=60_000):
        window.context.engine.load("auto", "lama")
    with qtbot.waitSignal(window.document.opened, timeout=10_000):
        window.open_file(image_path)


def test_removal_runs_in_worker_while_event_loop_ticks(window, qtbot, png_file) -> None:
    _load(window, qtbot, png_file)
    assert window.context.engine.outcome.opened.backend.name == "lama"
    window.canvas._editor.fill_rect(QRect(10, 10, 20, 15))
    before = np.array(window.document.rgb)
    ticks = []
    timer = QTimer()
    timer.timeout.connect(lambda: ticks.append(1))
    timer.start(5)
    with qtbot.waitSignal(window.context.engine.runner.succeeded, timeout=60_000):
        job = window.remove()
        assert job is not None
    timer.stop()
    assert len(ticks) >= 3, "the GUI thread was blocked during the job"
    after = np.array(window.document.rgb)
    assert not window.document.mask_array().any(), "the mask clears after a removal"
    assert not np.array_equal(after[10:25, 10:30], before[10:25, 10:30])
    outside = np.ones(after.shape[:2], bool)
    outside[6:29, 6:34] = False  # the default 4 px dilation grows the mask
    assert np.array_equal(after[outside], before[outside])
    window.document.undo_stack.undo()
    assert np.array_equal(np.array(window.document.rgb), before)
    assert window.document.mask_array()[10:25, 10:30].all()


def test_cancel_stops_a_running_removal(window, qtbot, tmp_path) -> None:
    from PIL import Image

    big = tmp_path / "big.png"
    Image.fromarray(np.full((1000, 1000, 3), 90, np.uint8)).save(big)
    window.settings.strategy = Strategy.CROP
    window.settings.dilation = 0
    _load(window, qtbot, big)
    for x in (100, 500, 900):
        for y in (100, 500, 900):
            window.canvas._editor.fill_rect(QRect(x, y, 8, 8))
    runner = window.context.engine.runner
    runner.progressed.connect(lambda job, payload: window.cancel())  # the Cancel action
    with qtbot.waitSignal(runner.cancelled, timeout=60_000):
        window.remove()
    assert window.document.mask_array().sum() == 9 * 64, "a cancelled removal keeps the mask"
    assert np.array_equal(np.array(window.document.rgb), np.full((1000, 1000, 3), 90, np.uint8))
    assert window.actions_.remove.isEnabled()


def test_errors_come_back_as_signals_not_crashes(qtbot, qapp) -> None:
    runner = JobRunner("test")

    def boom(_sink, _token):
        raise MemoryError("too big")

    with qtbot.waitSignal(runner.failed, timeout=10_000) as blocker:
        runner.submit(Job("inpaint", boom))
    assert isinstance(blocker.args[1], MemoryError)
    assert not runner.busy


def test_each_job_tells_only_its_own_handlers_whatever_its_kind(qtbot, qapp) -> None:
    runner = JobRunner("test")
    heard: list[tuple[str, object]] = []

    def handlers(name: str) -> JobHandlers:
        return JobHandlers(
            started=lambda: heard.append((name, "started")),
            progressed=lambda payload: heard.append((name, payload)),
            succeeded=lambda result: heard.append((name, result)),
            failed=lambda error: heard.append((name, type(error).__name__)),
            cancelled=lambda: heard.append((name, "cancelled")),
        )

    def works(sink, _token):
        sink(1)
        return "done"

    def breaks(_sink, _token):
        raise ValueError("broken")

    runner.submit(Job("same", works), handlers("first"))
    runner.submit(Job("same", breaks), handlers("second"))
    third = runner.submit(Job("same", works), handlers("third"))
    runner.cancel(third)
    qtbot.waitUntil(lambda: not runner.busy, timeout=10_000)

    assert heard == [
        ("first", "started"),
        ("third", "cancelled"),
        ("first", 1),
        ("first", "done"),
        ("second", "started"),
        ("second", "ValueError"),
    ]
