import logging

import numpy as np
import pytest

from lamadesk.core.cancel import CancelToken
from lamadesk.core.errors import (
    ImageReadError,
    JobCancelled,
    NoSharedMarkError,
    TooFewPicturesError,
)
from lamadesk.core.masks import Box
from lamadesk.core.metrics import iou
from lamadesk.core.notes import Note, NoteKind
from lamadesk.core.watermark.detection import RELIABLE_PICTURES, Seed, detect_shared_mark
from lamadesk.core.watermark.gradients import forward_differences
from lamadesk.core.watermark.poisson import integrate
from lamadesk.core.watermark.region import Position, position_in
from tests.core.watermark_batches import COVERAGE, make_batch
from tools.watermark_samples import blend


def _detect(pictures, **kwargs):
    return detect_shared_mark(list(pictures).__getitem__, len(pictures), **kwargs)


@pytest.fixture(scope="module")
def batch():
    return make_batch(12, seed=1)


@pytest.fixture(scope="module")
def detection(batch):
    return _detect(batch.stamped)


def test_integrating_gradients_gives_back_a_zero_bordered_image():
    rng = np.random.default_rng(0)
    image = np.zeros((30, 41, 3), np.float32)
    image[2:-2, 3:-3] = rng.normal(0, 20, (26, 35, 3))
    rebuilt = integrate(*forward_differences(image))
    np.testing.assert_allclose(rebuilt, image, atol=1e-3)


def test_detected_mask_overlaps_the_true_mark_in_every_picture(batch, detection):
    for index, truth in enumerate(batch.true_masks()):
        assert detection.found_in(index)
        assert iou(detection.mask_for(index, truth.shape), truth) >= 0.85


def test_placements_follow_a_mark_that_moves_a_few_pixels(batch, detection):
    found = np.array([(p.top, p.left) for p in detection.placements])
    true = np.array(batch.offsets)
    assert np.ptp(true, axis=0).max() >= 3  # the fixture's marks really do move
    np.testing.assert_array_equal(found - found[0], true - true[0])


def test_pictures_of_different_sizes_are_lined_up_by_the_marks_corner():
    batch = make_batch(10, seed=2, sizes=((240, 320), (260, 300), (230, 350)))
    detection = _detect(batch.stamped)
    for index, truth in enumerate(batch.true_masks()):
        assert iou(detection.mask_for(index, truth.shape), truth) >= 0.85


def test_pictures_without_the_mark_are_not_matched(batch):
    clean = make_batch(2, seed=3).clean
    detection = _detect([*batch.stamped, *clean])
    assert [detection.found_in(i) for i in range(len(batch.stamped))] == [True] * 12
    assert not detection.found_in(12)
    assert not detection.found_in(13)


def test_a_mark_at_a_different_place_in_each_picture_is_not_a_shared_mark(batch):
    rng = np.random.default_rng(4)
    scattered = []
    for picture in batch.clean:
        alpha = np.zeros(picture.shape[:2], np.float32)
        top = int(rng.integers(0, picture.shape[0] - COVERAGE.shape[0]))
        left = int(rng.integers(0, picture.shape[1] - COVERAGE.shape[1]))
        alpha[top : top + COVERAGE.shape[0], left : left + COVERAGE.shape[1]] = COVERAGE * 0.45
        scattered.append(blend(picture, alpha, (255, 255, 255)))
    with pytest.raises(NoSharedMarkError):
        _detect(scattered)


def test_shuffled_pixels_share_no_mark(batch):
    rng = np.random.default_rng(5)
    shuffled = [rng.permutation(p.reshape(-1, 3)).reshape(p.shape) for p in batch.stamped]
    with pytest.raises(NoSharedMarkError):
        _detect(shuffled)


def test_fewer_than_three_readable_pictures_are_refused(batch):
    def load(index):
        if index == 2:
            raise ImageReadError("broken.jpg", "truncated")  # type: ignore[arg-type]
        return batch.stamped[index]

    with pytest.raises(TooFewPicturesError, match="at least 3"):
        detect_shared_mark(load, 3)


def test_unreadable_pictures_are_skipped_with_their_reason(batch):
    def load(index):
        if index == 5:
            raise ImageReadError("broken.jpg", "truncated")  # type: ignore[arg-type]
        return batch.stamped[index]

    detection = detect_shared_mark(load, 12)
    assert detection.placements[5] is None
    assert "truncated" in str(detection.failures[5])
    assert detection.found_in(4)
    assert detection.found_in(6)


def test_a_small_batch_says_its_result_may_be_wrong(batch):
    detection = _detect(batch.stamped[: RELIABLE_PICTURES - 3])
    assert detection.notes == (
        Note(
            NoteKind.FEW_PICTURES,
            {"readable": RELIABLE_PICTURES - 3, "reliable": RELIABLE_PICTURES},
        ),
    )


def test_a_seed_box_guides_a_small_batch(batch):
    top, left = batch.offsets[0]
    seed = Seed(0, Box(top, left, top + COVERAGE.shape[0], left + COVERAGE.shape[1]))
    detection = _detect(batch.stamped[:4], seed=seed)
    assert detection.notes == ()
    for index, truth in enumerate(batch.true_masks()[:4]):
        assert iou(detection.mask_for(index, truth.shape), truth) >= 0.8


def test_cancelling_stops_the_search(batch):
    token = CancelToken()
    token.cancel()
    with pytest.raises(JobCancelled):
        _detect(batch.stamped, token=token)


def test_progress_is_reported_up_to_100(batch):
    seen = []
    _detect(batch.stamped[:8], on_progress=lambda percent, message: seen.append(percent))
    assert seen == sorted(seen)
    assert seen[-1] == 100


def test_a_bottom_right_mark_is_logged_and_reported_at_the_bottom_right(batch, caplog):
    caplog.set_level(logging.INFO, logger="lamadesk.core.watermark.detection")
    detection = _detect(batch.stamped[:RELIABLE_PICTURES])
    assert detection.position(0) is Position.BOTTOM_RIGHT
    said = caplog.text
    assert "bottom-right" in said
    assert "top-left" not in said


def test_positions_are_named_by_thirds_of_the_picture():
    picture = (300, 600)
    assert position_in(Box(250, 500, 290, 590), picture) is Position.BOTTOM_RIGHT
    assert position_in(Box(0, 0, 40, 90), picture) is Position.TOP_LEFT
    assert position_in(Box(130, 270, 170, 330), picture) is Position.CENTRE
    assert position_in(Box(10, 250, 50, 350), picture) is Position.TOP
    assert position_in(Box(140, 10, 160, 60), picture) is Position.LEFT
    assert Position.BOTTOM_RIGHT.value == "bottom-right"
