from pathlib import Path

import cv2
import numpy as np
import pytest

from lamadesk.core.cancel import CancelToken
from lamadesk.core.errors import JobCancelled, MarkNotInPictureError
from lamadesk.core.masks import dilate
from lamadesk.core.metrics import psnr
from lamadesk.core.notes import NoteKind
from lamadesk.core.watermark.detection import detect_shared_mark
from lamadesk.core.watermark.matting import Matte
from lamadesk.core.watermark.removal import SharedMarkPlanner, fit_matte, unblend
from tests.core.watermark_batches import COVERAGE, make_batch
from tools.watermark_samples import stamped_batch, two_colour_mark

SOURCES = tuple(Path(f"picture-{index}.png") for index in range(10))


@pytest.fixture(scope="module")
def batch():
    return make_batch(10, seed=6, opacity=0.5)


@pytest.fixture(scope="module")
def detection(batch):
    return detect_shared_mark(list(batch.stamped).__getitem__, len(batch.stamped))


@pytest.fixture(scope="module")
def matte(detection):
    return fit_matte(detection)


@pytest.fixture(scope="module")
def planner(detection, matte):
    planner = SharedMarkPlanner(SOURCES, detection, deblend=True)
    planner._matte = matte  # the module's fit, so it is made once
    return planner


def test_fitted_opacity_and_colour_match_the_stamp(batch, detection, matte):
    assert np.allclose(matte.main_colour, batch.colour, atol=4)
    assert np.abs(matte.colour[matte.alpha > 0.2] - batch.colour).max() < 12
    placement = detection.placements[0]
    height, width = matte.alpha.shape
    true_alpha = batch.alphas[0][
        placement.top : placement.top + height, placement.left : placement.left + width
    ]
    inside = true_alpha > 0.02
    assert np.sqrt(np.mean((matte.alpha - true_alpha)[inside] ** 2)) < 0.02


def test_undoing_the_blend_beats_inpainting_by_more_than_8_db(batch, planner):
    for index in range(3):
        truth = batch.true_masks()[index]
        plan = planner(SOURCES[index], batch.stamped[index])
        assert not plan.mask.any(), "a translucent mark needs no inpainting"
        inpainted = cv2.inpaint(
            batch.stamped[index],
            cv2.dilate(truth.astype(np.uint8), np.ones((5, 5))),
            5,
            cv2.INPAINT_TELEA,
        )
        deblended_db = psnr(plan.rgb[truth], batch.clean[index][truth])
        assert deblended_db >= 38
        assert deblended_db >= psnr(inpainted[truth], batch.clean[index][truth]) + 8


def test_only_the_mark_changes(batch, planner):
    stamped = batch.stamped[1]
    plan = planner(SOURCES[1], stamped)
    np.testing.assert_array_equal(plan.rgb[~plan.changed], stamped[~plan.changed])
    away = ~dilate(batch.alphas[1] > 0, 3)
    change = np.abs(plan.rgb.astype(int) - stamped.astype(int)).max(axis=2)
    assert change[away].max() <= 3, "away from the mark, at most what a 1% opaque mark makes"


def test_opaque_parts_are_left_to_inpainting(batch, detection):
    placement = detection.placements[0]
    alpha = np.zeros(detection.mark.shape, np.float32)
    alpha[detection.mark.mask] = 0.95
    white = np.full((*alpha.shape, 3), 255, np.float32)
    result = unblend(batch.stamped[0], detection.mark, Matte(alpha, white), placement)
    mark = placement.mask_in(detection.mark, batch.stamped[0].shape[:2])
    assert result.to_inpaint[mark].all()
    assert not result.changed.any()


def test_a_picture_stamped_fainter_than_the_rest_is_inpainted_instead(batch):
    faint = stamped_batch(
        make_batch(1, seed=8).clean, COVERAGE, rng=np.random.default_rng(0), opacity=0.2
    )
    pictures = [*batch.stamped[:9], faint.stamped[0]]
    detection = detect_shared_mark(pictures.__getitem__, len(pictures))
    assert detection.found_in(9)
    plan = SharedMarkPlanner(SOURCES, detection, deblend=True)(SOURCES[9], pictures[9])
    assert plan.notes[0].kind is NoteKind.UNBLEND_DID_NOT_FIT
    assert "inpainted instead" in str(plan.notes[0])
    assert plan.mask[faint.true_masks()[0]].all()
    np.testing.assert_array_equal(plan.rgb, pictures[9])


def test_without_deblending_the_grown_mark_is_inpainted(batch, detection):
    plan = SharedMarkPlanner(SOURCES, detection, deblend=False)(SOURCES[3], batch.stamped[3])
    assert plan.mask[batch.true_masks()[3]].all()
    assert not plan.changed.any()


def test_a_picture_the_mark_was_not_found_in_is_skipped(batch):
    clean = make_batch(1, seed=7).clean[0]
    pictures = [*batch.stamped[:9], clean]
    detection = detect_shared_mark(pictures.__getitem__, len(pictures))
    planner = SharedMarkPlanner(SOURCES, detection, deblend=False)
    with pytest.raises(MarkNotInPictureError, match="not found"):
        planner(SOURCES[9], clean)


def test_a_corrected_mask_replaces_the_detected_one(batch, detection, matte):
    corrected = np.zeros(batch.stamped[4].shape[:2], bool)
    corrected[10:20, 10:30] = True  # far from the mark: the person erased it and brushed here
    planner = SharedMarkPlanner(SOURCES, detection, deblend=True, corrected={SOURCES[4]: corrected})
    planner._matte = matte
    plan = planner(SOURCES[4], batch.stamped[4])
    np.testing.assert_array_equal(plan.mask, corrected)
    np.testing.assert_array_equal(plan.rgb, batch.stamped[4])


def test_a_two_colour_mark_is_fitted_per_pixel_and_lifted():
    colours = two_colour_mark(COVERAGE, logo=(230, 40, 40), text=(255, 255, 255))
    rng = np.random.default_rng(5)
    clean = make_batch(10, seed=9).clean
    batch = stamped_batch(clean, COVERAGE, rng=rng, opacity=0.5, colour=colours)
    detection = detect_shared_mark(list(batch.stamped).__getitem__, len(clean))
    planner = SharedMarkPlanner(SOURCES, detection, deblend=True)
    for index in range(2):
        truth = batch.true_masks()[index]
        plan = planner(SOURCES[index], batch.stamped[index])
        assert not plan.mask.any()
        assert psnr(plan.rgb[truth], batch.clean[index][truth]) >= 38


def test_fitting_reports_progress_and_can_be_cancelled(detection):
    seen = []
    token = CancelToken()

    def progress(percent, message):
        seen.append(percent)
        if percent >= 50:
            token.cancel()

    planner = SharedMarkPlanner(SOURCES, detection, deblend=True)
    with pytest.raises(JobCancelled):
        planner.prepare(progress, token)
    assert seen == sorted(seen)
    assert 50 <= seen[-1] < 100
