import numpy as np

from lamadesk.core import masks


def test_any_nonzero_pixel_is_masked_and_colour_masks_use_their_brightest_channel():
    gray = np.array([[0, 1], [255, 0]], dtype=np.uint8)
    assert masks.binarize(gray).tolist() == [[False, True], [True, False]]
    colour = np.zeros((1, 2, 3), dtype=np.uint8)
    colour[0, 1, 2] = 7
    assert masks.binarize(colour).tolist() == [[False, True]]


def test_dilation_grows_a_point_into_a_disc_of_the_given_radius():
    mask = np.zeros((21, 21), dtype=bool)
    mask[10, 10] = True
    grown = masks.dilate(mask, 3)
    assert grown[10, 7]
    assert grown[10, 13]
    assert grown[7, 10]
    assert not grown[10, 6]
    assert not grown[7, 7]  # round, not square
    assert masks.dilate(mask, 0) is mask


def test_resizing_keeps_a_one_pixel_stroke_and_stays_binary():
    mask = np.zeros((10, 10), dtype=bool)
    mask[:, 5] = True
    scaled = masks.resize_mask(mask, 40, 40)
    assert scaled.dtype == bool
    assert scaled[:, 20:24].all()
    assert scaled.sum() == 40 * 4


def test_nearby_regions_whose_margins_overlap_are_merged_into_one_box():
    mask = np.zeros((100, 200), dtype=bool)
    mask[10:20, 10:20] = True
    mask[10:20, 35:45] = True
    mask[80:90, 180:190] = True
    boxes = masks.region_boxes(mask, margin=10)
    assert boxes == [masks.Box(0, 0, 30, 55), masks.Box(70, 170, 100, 200)]


def test_merging_repeats_until_no_boxes_overlap():
    mask = np.zeros((60, 60), dtype=bool)
    mask[0:2, 0:2] = True  # A
    mask[30:32, 30:32] = True  # B
    mask[0:2, 36:38] = True  # C: overlaps neither A nor B, but overlaps A∪B
    mask[36:38, 0:2] = True  # D: overlaps A∪B only
    boxes = masks.region_boxes(mask, margin=4)
    for i, first in enumerate(boxes):
        for second in boxes[i + 1 :]:
            assert not first.overlaps(second)
    covered = np.zeros_like(mask)
    for box in boxes:
        covered[box.slices()] = True
    assert covered[mask].all()
