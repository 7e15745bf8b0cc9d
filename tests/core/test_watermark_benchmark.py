"""The shared-watermark benchmark's scoring, on generated batches (its photos need the
optional scikit-image, which the test install does not have)."""

import numpy as np

from benchmarks.watermark_quality import score_batch, ssim
from lamadesk.core.models.opencv.backend import OpenCvBackend
from tests.core.watermark_batches import make_batch
from tools.watermark_samples import textured_picture


def test_ssim_is_one_for_identical_pictures_and_lower_for_noisy_ones():
    rng = np.random.default_rng(0)
    picture = textured_picture(rng, 40, 50)
    everywhere = np.ones((40, 50), bool)
    assert ssim(picture, picture, everywhere) == 1.0
    noisy = np.clip(picture + rng.normal(0, 25, picture.shape), 0, 255).astype(np.uint8)
    assert ssim(noisy, picture, everywhere) < 0.9


def test_scores_put_deblending_well_above_inpainting_on_a_stamped_batch():
    batch = make_batch(8, seed=12, opacity=0.45)
    summary = score_batch(batch, batch.stamped, {"OpenCV": OpenCvBackend()})
    assert summary["iou"] >= 0.85
    deblended = summary["psnr|de-blend (OpenCV where needed)"]
    assert deblended >= summary["psnr|OpenCV inpainting, true mask"] + 8
    assert summary["ssim|de-blend (OpenCV where needed)"] > 0.95
