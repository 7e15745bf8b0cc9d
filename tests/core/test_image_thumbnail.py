"""`read_thumbnail`: the core's reader, small, upright, with `read_image`'s checks and errors."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageFile

from lamadesk.core.errors import ImageReadError
from lamadesk.core.image_io import read_image, read_thumbnail
from lamadesk.core.notes import Note, NoteKind
from tests.core import image_samples as samples


def shrunk(rgb: np.ndarray, width: int, height: int) -> np.ndarray:
    return np.asarray(Image.fromarray(rgb).resize((width, height), Image.Resampling.BOX))


def test_thumbnail_fits_the_box_and_keeps_the_aspect_ratio(tmp_path: Path) -> None:
    rgb = samples.photo_rgb(300, 400)
    path = samples.save(tmp_path / "photo.jpg", rgb, quality=95)
    thumbnail = read_thumbnail(path, 96)
    assert thumbnail.shape == (72, 96, 3)
    assert thumbnail.dtype == np.uint8
    assert np.abs(thumbnail.astype(int) - shrunk(rgb, 96, 72)).max() <= 12


def test_thumbnail_is_turned_upright_as_the_full_read_is(tmp_path: Path) -> None:
    rgb = samples.photo_rgb(100, 200)
    path = samples.save(
        tmp_path / "turned.jpg", rgb, quality=95, exif=samples.exif_block(orientation=6)
    )
    upright = read_image(path).rgb
    assert upright.shape == (200, 100, 3)
    thumbnail = read_thumbnail(path, 96)
    assert thumbnail.shape == (96, 48, 3)
    assert np.abs(thumbnail.astype(int) - shrunk(upright, 48, 96)).max() <= 12


def test_a_small_image_is_not_enlarged(tmp_path: Path) -> None:
    rgb = samples.asymmetric_rgb(4, 6)
    path = samples.save(tmp_path / "tiny.png", rgb)
    np.testing.assert_array_equal(read_thumbnail(path, 96), rgb)


@pytest.mark.parametrize("channels", [1, 3])
def test_a_16bit_png_thumbnail_keeps_its_tones(tmp_path: Path, channels: int) -> None:
    smooth = samples.photo_rgb(64, 64)[..., :channels].astype(np.uint16) * 257 + 100
    path = samples.write_png16(tmp_path / "deep.png", smooth)
    thumbnail = read_thumbnail(path, 32)
    assert thumbnail.shape == (32, 32, 3)
    expected = shrunk(read_image(path).rgb, 32, 32)
    assert np.abs(thumbnail.astype(int) - expected).max() <= 12


@pytest.mark.parametrize("suffix", [".jpg", ".png"])
def test_a_truncated_file_raises_image_read_error_as_the_full_read_does(
    tmp_path: Path, suffix: str
) -> None:
    path = samples.cut_in_half(samples.save(tmp_path / f"cut{suffix}", samples.photo_rgb()))
    with pytest.raises(ImageReadError) as caught:
        read_thumbnail(path, 96)
    assert caught.value.path == path
    assert caught.value.reason.kind is NoteKind.READ_TRUNCATED


def test_a_huge_header_is_refused_without_decoding(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = samples.claim_size(
        samples.save(tmp_path / "bomb.png", samples.asymmetric_rgb()), 30000, 30000
    )

    def refuse(self: ImageFile.ImageFile) -> None:
        raise AssertionError("pixels were decoded")

    monkeypatch.setattr(ImageFile.ImageFile, "load", refuse)
    with pytest.raises(ImageReadError) as caught:
        read_thumbnail(path, 96)
    assert caught.value.reason.kind is NoteKind.READ_TOO_LARGE


def test_a_missing_file_raises_image_read_error(tmp_path: Path) -> None:
    with pytest.raises(ImageReadError) as caught:
        read_thumbnail(tmp_path / "nope.jpg", 96)
    assert caught.value.reason == Note(NoteKind.READ_MISSING)
