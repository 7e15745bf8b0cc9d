"""The shared-watermark flow needs no window: a batch panel, a document, a runner and fakes.

`SharedMarkController` is given only its collaborators (issue 14), so the search can be
driven here with a recording status reporter and a bare progress bar.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget

from lamadesk.ui.batch.batch_panel import BatchPanel
from lamadesk.ui.batch.shared_mark import SharedMarkController
from lamadesk.ui.batch.thumbnails import ThumbnailLoader
from lamadesk.ui.canvas.document import Document
from lamadesk.ui.jobs.runner import JobRunner
from lamadesk.ui.status_bar import ProgressIndicator, Wording
from tests.core.watermark_batches import make_batch

STAMPED = 9


class RecordingStatus:
    """A `StatusReporter` that keeps each message as worded when shown ("" for a clear)."""

    def __init__(self) -> None:
        self.messages: list[str] = []

    def show_words(self, words: Wording, timeout_ms: int = 0) -> None:
        del timeout_ms
        self.messages.append(words())

    def clearMessage(self) -> None:  # noqa: N802 - the StatusReporter protocol's Qt name
        self.messages.append("")


@pytest.fixture
def files(tmp_path) -> list[Path]:
    pictures = [*make_batch(STAMPED, seed=1).stamped, make_batch(1, seed=3).clean[0]]
    paths = []
    for index, picture in enumerate(pictures):
        path = tmp_path / f"shot_{index:02d}.png"
        Image.fromarray(picture).save(path)
        paths.append(path)
    return paths


@pytest.fixture
def parts(qtbot, qapp):
    parent = QWidget()
    qtbot.addWidget(parent)
    thumbnails = ThumbnailLoader()
    panel = BatchPanel(thumbnails, parent)
    runner = JobRunner("test")
    yield parent, panel, runner
    runner.shutdown()
    thumbnails.shutdown()


def test_a_search_without_a_window_reviews_the_files_and_says_what_it_found(
    qtbot, parts, files
) -> None:
    parent, panel, runner = parts
    status, progress, opened = RecordingStatus(), ProgressIndicator(parent), []
    controller = SharedMarkController(
        parent, panel, Document(), runner, status, progress, opened.append
    )
    panel.add_paths(files)

    with qtbot.waitSignal(runner.succeeded, timeout=30_000):
        panel.shared.find_button.click()

    assert controller.active
    assert status.messages[0] == f"Looking for a watermark the {len(files)} images share…"
    assert status.messages[-1].startswith(f"Watermark found in {STAMPED} of {len(files)} images.")
    assert progress.isHidden(), "the search gives the progress bar back"
    for path in files[:STAMPED]:
        assert panel.status_text(path).startswith("Found · match ")
    mark_free = panel.list.item(STAMPED)
    assert panel.status_text(files[STAMPED]).startswith("Not found · match ")
    assert mark_free.checkState() == Qt.CheckState.Unchecked
    controller.open(files[2])
    assert opened == [files[2]], "opening goes to the callable it was given"


def test_a_cancelled_search_says_so_and_leaves_no_review(qtbot, parts, files) -> None:
    parent, panel, runner = parts
    status, progress = RecordingStatus(), ProgressIndicator(parent)
    controller = SharedMarkController(
        parent, panel, Document(), runner, status, progress, lambda _path: None
    )
    panel.add_paths(files)
    runner.progressed.connect(lambda _job, _payload: panel.cancel_requested.emit())

    with qtbot.waitSignal(runner.cancelled, timeout=30_000):
        controller.find()

    assert not controller.active
    assert status.messages[-1] == "Search cancelled; nothing was changed."
    assert progress.isHidden()
    assert panel.shared.find_button.isEnabled()
