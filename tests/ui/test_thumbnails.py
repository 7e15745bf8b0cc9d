"""Batch-list thumbnails come from the core's reader, off the GUI thread, without console noise."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PIL import Image

from lamadesk.ui.batch.thumbnails import THUMBNAIL_SIZE, ThumbnailLoader
from lamadesk.ui.canvas.canvas_items import qimage_to_rgb
from tests.ui.conftest import gradient_rgb


def load_thumbnail(qtbot, path: Path):
    loader = ThumbnailLoader()
    try:
        with qtbot.waitSignal(loader.loaded, timeout=10_000) as blocker:
            loader.request(path)
    finally:
        loader.shutdown()
    assert blocker.args[0] == path
    return blocker.args[1]


def test_a_truncated_jpeg_gets_no_thumbnail_and_nothing_is_printed(qtbot, tmp_path, capfd):
    path = tmp_path / "cut.jpg"
    Image.fromarray(gradient_rgb(400, 300)).save(path, quality=90)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    capfd.readouterr()
    image = load_thumbnail(qtbot, path)  # a Qt warning would fail the test (qt_log_level_fail)
    assert image.isNull(), "the list keeps its placeholder; opening the file says why"
    captured = capfd.readouterr()
    assert captured.err == ""
    assert captured.out == ""


def test_a_thumbnail_fits_the_box_keeps_the_aspect_and_shows_the_picture(qtbot, tmp_path):
    path = tmp_path / "wide.jpg"
    rgb = gradient_rgb(400, 200)
    Image.fromarray(rgb).save(path, quality=95)
    image = load_thumbnail(qtbot, path)
    assert (image.width(), image.height()) == (THUMBNAIL_SIZE.width(), THUMBNAIL_SIZE.height() // 2)
    pixels = qimage_to_rgb(image).astype(int)
    expected = np.asarray(Image.fromarray(rgb).resize((96, 48), Image.Resampling.BOX)).astype(int)
    assert np.abs(pixels - expected).max() <= 12
