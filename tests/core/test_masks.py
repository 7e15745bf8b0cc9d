from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from lamadesk.core import masks
from lamadesk.core.image_io import read_mask_image
from lamadesk.core.image_write import write_mask
from tests.core import image_samples as samples


def strokes() -> np.ndarray:
    """(8, 10) bool: a cross, the shape every mask file below should read back as."""
    cross = np.zeros((8, 10), dtype=bool)
    cross[3:5, :] = True
    cross[:, 4:6] = True
    return cross


def on_transparency(stroke_rgb: int, hidden_rgb: int) -> np.ndarray:
    """RGBA strokes of colour `stroke_rgb`, opaque, on fully transparent `hidden_rgb`."""
    rgba = np.zeros((8, 10, 4), dtype=np.uint8)
    rgba[..., :3] = hidden_rgb
    rgba[strokes(), :3] = stroke_rgb
    rgba[strokes(), 3] = 255
    return rgba


@pytest.mark.parametrize(("stroke_rgb", "hidden_rgb"), [(255, 255), (0, 255), (255, 0), (0, 0)])
def test_strokes_on_transparency_are_the_mask_whatever_colour_hides_underneath(
    tmp_path: Path, stroke_rgb: int, hidden_rgb: int
) -> None:
    path = samples.save(tmp_path / "m.png", on_transparency(stroke_rgb, hidden_rgb))
    np.testing.assert_array_equal(read_mask_image(path), strokes())


def test_antialiased_edges_count_but_a_faint_soft_brush_haze_does_not(tmp_path: Path) -> None:
    rgba = on_transparency(255, 255)
    rgba[0, :, 3] = masks.MIN_ALPHA  # the outermost anti-aliased edge of a stroke
    rgba[1, :, 3] = 128
    haze = ~strokes()
    haze[:6] = False
    rgba[haze, 3] = masks.MIN_ALPHA - 1  # what a soft brush leaves far from its centre
    rgba[6, 0, 3] = 1
    expected = strokes()
    expected[0:2, :] = True
    np.testing.assert_array_equal(read_mask_image(samples.save(tmp_path / "m.png", rgba)), expected)


def test_an_opaque_alpha_channel_is_ignored_and_any_bright_pixel_is_the_mask(
    tmp_path: Path,
) -> None:
    rgba = on_transparency(255, 0)
    rgba[..., 3] = 255
    rgba[0, 0, :3] = (0, 0, 1)
    expected = strokes()
    expected[0, 0] = True
    np.testing.assert_array_equal(read_mask_image(samples.save(tmp_path / "m.png", rgba)), expected)


def test_grey_and_alpha_masks_read_from_alpha(tmp_path: Path) -> None:
    grey_alpha = np.zeros((8, 10, 2), dtype=np.uint8)
    grey_alpha[..., 0] = 255
    grey_alpha[strokes(), 1] = 255
    path = samples.save(tmp_path / "m.png", Image.fromarray(grey_alpha, "LA"))
    np.testing.assert_array_equal(read_mask_image(path), strokes())


def test_palette_masks_with_a_transparent_colour_read_from_transparency(tmp_path: Path) -> None:
    palette = Image.fromarray(strokes().astype(np.uint8), "P")
    palette.putpalette([255, 255, 255, 255, 255, 255])  # both entries white
    path = samples.save(tmp_path / "m.png", palette, transparency=0)
    np.testing.assert_array_equal(read_mask_image(path), strokes())


def test_a_16_bit_label_mask_of_ones_is_not_rounded_away(tmp_path: Path) -> None:
    labels = strokes().astype(np.uint16)[..., None]  # 1 of 65535: 0 at 8 bits
    path = samples.write_png16(tmp_path / "m.png", labels)
    np.testing.assert_array_equal(read_mask_image(path), strokes())


def test_16_bit_grey_and_alpha_masks_read_from_alpha(tmp_path: Path) -> None:
    grey_alpha = np.full((8, 10, 2), 65535, dtype=np.uint16)
    grey_alpha[..., 1] = 0
    grey_alpha[strokes(), 1] = 65535
    grey_alpha[0, 0, 1] = 257 * masks.MIN_ALPHA - 1  # haze, however many bits carry it
    path = samples.write_png16(tmp_path / "m.png", grey_alpha)
    np.testing.assert_array_equal(read_mask_image(path), strokes())


def test_coverage_is_the_share_of_masked_pixels_and_above_nine_tenths_is_large() -> None:
    mask = np.zeros((10, 10), dtype=bool)
    mask[:9] = True
    assert masks.coverage(mask) == pytest.approx(0.9)
    assert not masks.is_large(mask)
    mask[9, 0] = True
    assert masks.is_large(mask)
    assert masks.coverage(np.zeros((0, 0), dtype=bool)) == 0.0


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


def test_shrinking_keeps_every_thin_stroke_so_no_picture_of_a_batch_is_left_unmasked():
    mask = np.zeros((100, 100), dtype=bool)
    mask[:, 5] = True  # nearest-neighbour sampling at 30/100 skips this column
    mask[50, :] = True
    scaled = masks.resize_mask(mask, 30, 30)
    assert scaled[:, 1].all()
    assert scaled[15].all()
    assert scaled.sum() <= 2 * 30 * 2


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


def test_a_mask_written_by_detect_reads_back_unchanged(tmp_path: Path) -> None:
    mask = strokes()
    mask[0, 0] = True
    np.testing.assert_array_equal(read_mask_image(write_mask(mask, tmp_path / "m.png")), mask)
