"""Fixtures for the UI tests: offscreen Qt, settings in tmp_path, images and tiny models.

Leftover QThreads or thread-pool work fail the test that left them (napari's
`_dangling_qthreads` idea): a job that outlives its test would touch freed widgets later.
"""

from __future__ import annotations

import gc
import os
import traceback
import warnings
from collections.abc import Iterator
from pathlib import Path
from weakref import WeakKeyDictionary

import numpy as np
import pytest
from PIL import Image

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QEvent, QThread, QThreadPool
from PySide6.QtWidgets import QApplication

from lamadesk.ui.settings.store import AppSettings


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    # The offscreen platform warns about a window-manager feature it lacks.
    for item in items:
        own = item.get_closest_marker("qt_log_ignore")
        patterns = [*(own.args if own else ()), "does not support propagateSizeHints"]
        item.add_marker(pytest.mark.qt_log_ignore(*patterns), append=False)


@pytest.fixture(autouse=True)
def _windows_gone_before_the_next_test(qapp: QApplication) -> Iterator[None]:
    """Delete the test's closed windows now, not in some later test's event loop.

    pytest-qt closes a test's widgets and calls deleteLater; until the deletion runs, the
    last window stays the active one, and its shortcuts (Return removes) take keys a later
    test sends to its own dialog. Set up before qtbot, so this runs after qtbot's teardown.
    """
    yield
    qapp.sendPostedEvents(None, QEvent.Type.DeferredDelete)


@pytest.fixture(autouse=True)
def _dangling_qthreads(monkeypatch: pytest.MonkeyPatch, qtbot) -> Iterator[None]:
    started: WeakKeyDictionary[QThread, str] = WeakKeyDictionary()
    original_start = QThread.start

    def start_and_remember(self: QThread, *args: object) -> None:
        started[self] = "".join(traceback.format_stack(limit=6)[:-1])
        original_start(self, *args)

    monkeypatch.setattr(QThread, "start", start_and_remember)
    yield
    dangling = []
    for thread, where in list(started.items()):
        try:
            if thread.isRunning():
                dangling.append((thread, where))
        except RuntimeError:  # the C++ object is already gone: it was cleaned up
            continue
    for thread, _where in dangling:
        thread.quit()
        qtbot.waitUntil(thread.isFinished, timeout=10_000)
    if dangling:
        places = "\n".join(where for _thread, where in dangling)
        pytest.fail(
            f"{len(dangling)} QThread(s) still running after the test, started at:\n{places}"
        )


@pytest.fixture(autouse=True)
def _collect_garbage_on_the_gui_thread() -> Iterator[None]:
    """Free cyclic garbage on this (the GUI) thread before and after each test.

    Python collects cycles on whichever thread happens to allocate. Qt wrappers a test left
    in cycles (windows, documents, controllers) were otherwise destroyed on the next test's
    thread-pool thread now and then, which crashed the run (a segfault in thumbnails.py).
    """
    gc.collect()
    yield
    gc.collect()


@pytest.fixture(autouse=True)
def _dangling_thread_pool() -> Iterator[None]:
    yield
    pool = QThreadPool.globalInstance()
    busy = pool.activeThreadCount()
    pool.waitForDone(10_000)
    if busy:
        pytest.fail(f"{busy} global thread-pool task(s) still running after the test")


@pytest.fixture
def settings(tmp_path: Path) -> AppSettings:
    return AppSettings.from_file(tmp_path / "settings" / "lamadesk.ini")


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty LAMADESK_DATA_DIR: no model installed, nothing of the person's touched."""
    folder = tmp_path / "data"
    monkeypatch.setenv("LAMADESK_DATA_DIR", str(folder))
    return folder


def gradient_rgb(width: int = 64, height: int = 48) -> np.ndarray:
    x = np.linspace(0, 255, width, dtype=np.uint8)
    y = np.linspace(0, 255, height, dtype=np.uint8)
    rgb = np.zeros((height, width, 3), np.uint8)
    rgb[..., 0] = x[None, :]
    rgb[..., 1] = y[:, None]
    rgb[..., 2] = 128
    return rgb


@pytest.fixture
def png_file(tmp_path: Path) -> Path:
    path = tmp_path / "photo.png"
    Image.fromarray(gradient_rgb()).save(path)
    return path


@pytest.fixture
def jpeg_files(tmp_path: Path) -> list[Path]:
    folder = tmp_path / "many"
    folder.mkdir()
    paths = []
    for index, size in enumerate([(64, 48), (80, 60), (64, 48)]):
        path = folder / f"img{index}.jpg"
        Image.fromarray(gradient_rgb(*size)).save(path, quality=90)
        paths.append(path)
    return paths


class MeanFill:
    """Source of a TorchScript model with lamadesk's contract that fills holes with the mean."""


def build_mean_fill_model(path: Path, delay_loops: int = 0) -> Path:
    """Save a tiny TorchScript model: masked pixels become the mean colour of the rest.

    `delay_loops` makes it slow on purpose (repeated work), so a test can act mid-job.
    """
    import torch

    class _MeanFill(torch.nn.Module):
        def __init__(self, loops: int) -> None:
            super().__init__()
            self.loops = loops

        def forward(self, image: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
            keep = 1.0 - mask
            total = keep.sum() + 1.0
            mean = (image * keep).sum(dim=(2, 3), keepdim=True) / total
            acc = image
            for _ in range(self.loops):
                acc = torch.sqrt(acc * acc + 1e-6)
            return image * keep + mean * mask + (acc - acc)

    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=".*is deprecated", category=FutureWarning)
        warnings.filterwarnings("ignore", message=".*is deprecated", category=DeprecationWarning)
        scripted = torch.jit.script(_MeanFill(delay_loops))
        torch.jit.save(scripted, str(path))
    return path


class DialogLog:
    """Message boxes shown during a test; they return `answer` instead of blocking."""

    def __init__(self) -> None:
        self.shown: list[str] = []
        self.answer = None

    def texts(self) -> str:
        return "\n".join(self.shown)


@pytest.fixture(autouse=True)
def dialogs(monkeypatch: pytest.MonkeyPatch) -> DialogLog:
    """Modal dialogs would hang an offscreen test: record them and answer "No"/"Cancel"."""
    from PySide6.QtWidgets import QMessageBox

    log = DialogLog()

    def static(kind: str):
        def show(parent, title, text, *args, **kwargs):
            log.shown.append(f"{kind}: {title}: {text}")
            if log.answer is not None:
                return log.answer
            return (
                QMessageBox.StandardButton.No
                if kind == "question"
                else QMessageBox.StandardButton.Ok
            )

        return show

    for kind in ("question", "warning", "critical", "information"):
        monkeypatch.setattr(QMessageBox, kind, staticmethod(static(kind)))

    def exec_box(box: QMessageBox) -> int:
        log.shown.append(f"box: {box.windowTitle()}: {box.text()}")
        return int(QMessageBox.StandardButton.Ok.value)

    monkeypatch.setattr(QMessageBox, "exec", exec_box)
    return log
