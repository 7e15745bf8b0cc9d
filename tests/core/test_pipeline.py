import numpy as np
import pytest

from lamadesk.core.cancel import CancelToken
from lamadesk.core.errors import JobCancelled, MaskCoversImageError
from lamadesk.core.models.opencv.backend import OpenCvBackend
from lamadesk.core.notes import Note, NoteKind
from lamadesk.core.pipeline import InpaintOptions, Strategy, inpaint
from tests.core.fake_backends import OutOfMemoryAbove, PaintBackend


@pytest.fixture
def photo():
    rng = np.random.default_rng(1)
    return rng.integers(0, 256, size=(300, 400, 3), dtype=np.uint8)


def two_spots(shape=(300, 400)):
    mask = np.zeros(shape, dtype=bool)
    mask[20:30, 20:40] = True
    mask[250:260, 350:370] = True
    return mask


@pytest.mark.parametrize("strategy", list(Strategy))
def test_pixels_outside_the_mask_are_returned_bit_for_bit(photo, strategy):
    mask = two_spots()
    result = inpaint(photo, mask, PaintBackend(), InpaintOptions(strategy=strategy))
    assert np.array_equal(result.rgb[~mask], photo[~mask])
    assert (result.rgb[mask] == [255, 0, 255]).all()


def test_empty_mask_returns_the_image_without_running_the_model(photo):
    backend = PaintBackend()
    result = inpaint(photo, np.zeros(photo.shape[:2], dtype=bool), backend)
    assert backend.calls == []
    assert result.rgb is photo
    assert result.notes == (Note(NoteKind.MASK_EMPTY),)


def test_dilation_grows_the_repainted_area_and_is_reported_in_the_result(photo):
    mask = np.zeros(photo.shape[:2], dtype=bool)
    mask[100, 100] = True
    result = inpaint(photo, mask, PaintBackend(), InpaintOptions(dilate_px=4))
    assert result.mask.sum() > 40
    assert (result.rgb[100, 104] == [255, 0, 255]).all()
    assert np.array_equal(result.rgb[100, 106], photo[100, 106])


def test_crop_strategy_sends_one_box_per_separate_region_with_margin(photo):
    backend = PaintBackend()
    mask = two_spots()
    mask[296:300, 0:4] = True  # in the corner: its box is clipped to the image
    inpaint(photo, mask, backend, InpaintOptions(strategy=Strategy.CROP, crop_margin=16))
    assert sorted(backend.calls) == [(20, 20), (42, 52), (42, 52)]


def test_crops_larger_than_the_limit_are_scaled_down_before_the_model(photo):
    backend = PaintBackend()
    mask = np.zeros(photo.shape[:2], dtype=bool)
    mask[10:290, 10:390] = True
    # The margin leaves unmasked pixels at the smaller scale: a crop all mask has nothing to
    # fill from and is refused.
    options = InpaintOptions(strategy=Strategy.CROP, crop_margin=10, crop_limit=95)
    result = inpaint(photo, mask, backend, options)
    assert max(backend.calls[0]) == 95
    assert (result.rgb[mask] == [255, 0, 255]).all()


def test_resize_strategy_scales_the_whole_image_to_the_limit(photo):
    backend = PaintBackend()
    inpaint(photo, two_spots(), backend, InpaintOptions(strategy=Strategy.RESIZE, resize_limit=200))
    assert backend.calls == [(150, 200)]


def test_auto_on_a_gpu_uses_the_full_image_when_small_and_crops_when_large(photo):
    backend = PaintBackend(device="cuda:0")
    inpaint(photo, two_spots(), backend, InpaintOptions(full_limit=400))
    assert backend.calls == [(300, 400)]
    backend.calls.clear()
    inpaint(photo, two_spots(), backend, InpaintOptions(full_limit=399))
    assert len(backend.calls) == 2


def test_auto_on_the_cpu_crops_a_small_image_when_the_crops_save_most_of_the_work(photo):
    backend = PaintBackend(device="cpu")
    inpaint(photo, two_spots(), backend, InpaintOptions(full_limit=400, crop_margin=16))
    assert sorted(backend.calls) == [(42, 52), (42, 52)]


def test_auto_on_the_cpu_keeps_the_full_image_when_crops_would_cover_most_of_it(photo):
    backend = PaintBackend(device="cpu")
    mask = np.zeros(photo.shape[:2], dtype=bool)
    mask[40:260, 60:340] = True
    inpaint(photo, mask, backend, InpaintOptions(full_limit=400, crop_margin=16))
    assert backend.calls == [(300, 400)]


def test_out_of_memory_retries_in_smaller_crops_and_says_so(photo):
    backend = OutOfMemoryAbove(max_pixels=200 * 200)
    result = inpaint(photo, two_spots(), backend, InpaintOptions(strategy=Strategy.FULL))
    assert backend.released == 1
    assert result.device == "cuda:0"
    assert Note(NoteKind.OOM_SMALLER_CROPS, {"device": "cuda:0"}) in result.notes
    assert (result.rgb[two_spots()] == [255, 0, 255]).all()


def test_out_of_memory_everywhere_on_the_gpu_falls_back_to_the_cpu(photo):
    backend = OutOfMemoryAbove(max_pixels=1)
    result = inpaint(photo, two_spots(), backend, InpaintOptions(strategy=Strategy.FULL))
    assert result.device == "cpu"
    assert Note(NoteKind.OOM_ON_CPU, {"device": "cuda:0"}) in result.notes
    assert np.array_equal(result.rgb[~two_spots()], photo[~two_spots()])


def test_cancelled_token_stops_before_the_model_runs(photo):
    token = CancelToken()
    token.cancel()
    backend = PaintBackend()
    with pytest.raises(JobCancelled):
        inpaint(photo, two_spots(), backend, token=token)
    assert backend.calls == []


def test_cancel_between_regions_stops_the_remaining_regions(photo):
    token = CancelToken()
    backend = PaintBackend()

    def cancel_after_first_region(percent, message):
        if backend.calls:
            token.cancel()

    with pytest.raises(JobCancelled):
        inpaint(
            photo,
            two_spots(),
            backend,
            InpaintOptions(strategy=Strategy.CROP),
            cancel_after_first_region,
            token,
        )
    assert len(backend.calls) == 1


def test_progress_is_reported_up_to_one_hundred(photo):
    seen = []
    inpaint(
        photo,
        two_spots(),
        PaintBackend(),
        InpaintOptions(strategy=Strategy.CROP),
        lambda percent, message: seen.append(percent),
    )
    assert seen == sorted(seen)
    assert seen[-1] == 100


@pytest.mark.parametrize("backend", [OpenCvBackend(), PaintBackend()], ids=["opencv", "lama"])
@pytest.mark.parametrize("strategy", list(Strategy))
def test_a_mask_covering_the_whole_image_fails_instead_of_reporting_done(photo, backend, strategy):
    with pytest.raises(MaskCoversImageError, match="nothing is left to fill it from"):
        inpaint(photo, np.ones(photo.shape[:2], bool), backend, InpaintOptions(strategy=strategy))


def test_a_mask_that_dilation_grows_over_the_whole_image_fails_too(photo):
    mask = np.ones(photo.shape[:2], bool)
    mask[150, 200] = False
    with pytest.raises(MaskCoversImageError):
        inpaint(photo, mask, OpenCvBackend(), InpaintOptions(dilate_px=2))


def test_a_mask_scaled_down_until_it_covers_everything_fails_too(photo):
    mask = np.ones(photo.shape[:2], bool)
    mask[150, 200] = False  # one pixel: a quarter of a pixel at half size
    options = InpaintOptions(strategy=Strategy.RESIZE, resize_limit=200)
    with pytest.raises(MaskCoversImageError):
        inpaint(photo, mask, OpenCvBackend(), options)


def test_opencv_fills_a_nearly_full_mask_from_the_pixels_left(photo):
    mask = np.ones(photo.shape[:2], bool)
    mask[100:104, 100:104] = False
    photo[100:104, 100:104] = (10, 200, 30)
    result = inpaint(photo, mask, OpenCvBackend(), InpaintOptions(strategy=Strategy.FULL))
    assert np.array_equal(result.rgb[100:104, 100:104], photo[100:104, 100:104])
    red, green, blue = result.rgb[mask].astype(int).T  # Telea drifts a little, hue stays
    assert (green - red > 150).all()
    assert (green - blue > 150).all()


@pytest.mark.parametrize(
    ("strategy", "steps"),
    [
        (Strategy.CROP, [(0, 2), (1, 2), (2, 2)]),
        (Strategy.FULL, [(0, 1), (1, 1)]),
        (Strategy.RESIZE, [(0, 1), (1, 1)]),
    ],
)
def test_each_model_call_is_reported_as_a_step_done_of_all(photo, strategy, steps):
    seen = []
    backend = PaintBackend()
    inpaint(
        photo,
        two_spots(),
        backend,
        InpaintOptions(strategy=strategy, resize_limit=200),
        on_step=lambda done, total: seen.append((done, total)),
    )
    assert seen == steps
    assert len(backend.calls) == steps[-1][1]
