"""Core gives typed notes and errors, worded in English only for the CLI and the log."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PIL import Image

from lamadesk.core.batch import BatchRequest, run_batch, same_mask
from lamadesk.core.errors import ImageReadError
from lamadesk.core.notes import ENGLISH, Note, NoteKind, english
from tests.core.fake_backends import PaintBackend
from tests.core.image_samples import asymmetric_rgb, save


def test_every_note_kind_has_an_english_wording() -> None:
    assert set(ENGLISH) == set(NoteKind)


def test_a_nested_reason_is_worded_inside_its_note() -> None:
    note = Note(NoteKind.CMYK_UNMANAGED, {"problem": Note(NoteKind.PROFILE_MISSING)})
    assert english(note) == "CMYK converted to RGB without colour management: no ICC profile"
    assert str(note) == english(note)


def test_a_mask_of_another_size_is_scaled_and_the_note_carries_both_sizes() -> None:
    plan = same_mask(np.ones((10, 20), bool))(Path("x.png"), np.zeros((30, 40, 3), np.uint8))

    assert plan.mask.shape == (30, 40)
    assert plan.notes == (
        Note(
            NoteKind.MASK_SCALED, {"mask_width": 20, "mask_height": 10, "width": 40, "height": 30}
        ),
    )
    assert str(plan.notes[0]) == "mask of 20×10 scaled to the image's 40×30"


def test_a_batch_keeps_the_error_of_a_file_it_could_not_read(tmp_path: Path) -> None:
    good = save(tmp_path / "good.png", asymmetric_rgb(12, 16))
    broken = save(tmp_path / "broken.png", asymmetric_rgb(120, 160))
    broken.write_bytes(broken.read_bytes()[:200])
    mask = np.zeros((12, 16), bool)
    mask[2:5, 3:7] = True
    request = BatchRequest((good, broken), same_mask(mask), tmp_path / "out")

    summary = run_batch(request, PaintBackend())

    failed = summary.outcomes[1]
    assert isinstance(failed.error, ImageReadError)
    assert failed.error.path == broken
    assert failed.error.reason.kind is NoteKind.READ_TRUNCATED
    assert str(failed.error).startswith(f"cannot read image {broken}: file is truncated")
    assert summary.outcomes[0].error is None
    with Image.open(summary.outcomes[0].output) as written:
        assert written.size == (16, 12)
