"""A batch applies the person's choice for existing outputs, also to files that appear."""

from pathlib import Path

import numpy as np
import pytest

from lamadesk.core.batch import BatchRequest, run_batch, same_mask
from lamadesk.core.image_io import read_image
from lamadesk.core.output_names import ExistingOutputs
from tests.core.fake_backends import PaintBackend
from tests.core.image_samples import asymmetric_rgb, save


def corner_mask() -> np.ndarray:
    """Most of the 4×6 picture, leaving pixels to fill from (a full mask fails the file)."""
    mask = np.ones((4, 6), bool)
    mask[0, 0] = False
    return mask


class AnotherRunWrites(PaintBackend):
    """Paints, and meanwhile "another run" writes the output file this image is going to."""

    def __init__(self, destination: Path) -> None:
        super().__init__()
        self.destination = destination

    def inpaint(self, image: np.ndarray, mask: np.ndarray) -> np.ndarray:
        self.destination.write_bytes(b"another run's result")
        return super().inpaint(image, mask)


@pytest.mark.parametrize(
    ("existing", "done", "failed", "skipped"),
    [(ExistingOutputs.FAIL, 0, 1, 0), (ExistingOutputs.SKIP, 0, 0, 1)],
)
def test_an_output_that_appears_while_working_is_kept(tmp_path, existing, done, failed, skipped):
    source = save(tmp_path / "a.png", asymmetric_rgb())
    out = tmp_path / "out"
    out.mkdir()
    request = BatchRequest((source,), same_mask(corner_mask()), out, existing=existing)

    summary = run_batch(request, AnotherRunWrites(out / "a.png"))

    assert (out / "a.png").read_bytes() == b"another run's result"
    counts = (len(summary.done), len(summary.failed), len(summary.skipped))
    assert counts == (done, failed, skipped)
    (outcome,) = summary.outcomes
    assert outcome.exists
    assert outcome.output == out / "a.png"


def test_overwrite_replaces_an_existing_output(tmp_path):
    source = save(tmp_path / "a.png", asymmetric_rgb())
    out = tmp_path / "out"
    out.mkdir()
    (out / "a.png").write_bytes(b"earlier result")
    request = BatchRequest(
        (source,), same_mask(corner_mask()), out, existing=ExistingOutputs.OVERWRITE
    )

    summary = run_batch(request, PaintBackend(colour=(1, 2, 3)))

    assert len(summary.done) == 1
    assert (read_image(out / "a.png").rgb[corner_mask()] == (1, 2, 3)).all()
