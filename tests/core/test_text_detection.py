import hashlib
import os
import socket
import subprocess
import sys
import tracemalloc
from itertools import pairwise
from pathlib import Path

import cv2
import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFilter, ImageFont

from lamadesk.core.cancel import CancelToken
from lamadesk.core.errors import JobCancelled
from lamadesk.core.masks import Box
from lamadesk.core.models.ppocr import (
    SearchArea,
    TextDetector,
    TextDetectorRunError,
    TextDetectorWeightsError,
    TextSettings,
    detect_text_in_files,
    locate_weights,
    weights,
)
from lamadesk.core.models.ppocr.boxes import text_boxes
from lamadesk.core.models.ppocr.network import (
    OVERLAP,
    STRIDE,
    TILE,
    OpenedNetwork,
    import_openvino,
    open_network,
    run_tiled,
)
from lamadesk.core.models.ppocr.strokes import find_strokes
from lamadesk.core.models.ppocr.weights import PP_OCR_V6_DET_SMALL
from tests.core.text_images import (
    CJK_FONT,
    box_around,
    fine_grain,
    light_with_dark_blob,
    photo_like,
    recall,
    with_text,
)


@pytest.fixture(scope="module")
def detector():
    return TextDetector.open()


@pytest.fixture
def dated():
    """A 640×480 photo with an orange camera-style date stamp in the lower right."""
    return with_text(photo_like(480, 640), "1998 12 25", (420, 420), 28)


def test_weights_are_found_in_the_installed_wheel_with_their_checksum():
    path = locate_weights()
    assert path.name == "PP-OCRv6_det_small.onnx"
    assert hashlib.sha256(path.read_bytes()).hexdigest() == weights.PP_OCR_V6_DET_SMALL.sha256


def test_the_detector_loads_and_detects_with_the_network_unreachable(monkeypatch, dated):
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("the text detector tried to use the network")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    rgb, truth = dated
    assert recall(TextDetector.open().detect(rgb).mask, truth) >= 0.9


@pytest.mark.parametrize(("content", "reason"), [(None, "missing"), (b"x" * 9_929_594, "altered")])
def test_missing_or_altered_weights_raise_a_typed_error_naming_the_fix(
    tmp_path, monkeypatch, content, reason
):
    model = tmp_path / "rapidocr" / "models" / "PP-OCRv6_det_small.onnx"
    model.parent.mkdir(parents=True)
    if content is not None:
        model.write_bytes(content)
    monkeypatch.setattr(weights, "_package_folder", lambda: tmp_path / "rapidocr")
    with pytest.raises(TextDetectorWeightsError, match="reinstall") as raised:
        TextDetector.open()
    assert raised.value.reason == reason
    assert raised.value.path == model


def test_a_date_stamp_on_a_photo_is_masked_by_its_strokes_not_its_box(detector, dated):
    rgb, truth = dated
    found = detector.detect(rgb)
    assert recall(found.mask, truth) >= 0.9
    grown_truth = cv2.dilate(truth.astype(np.uint8), np.ones((5, 5), np.uint8)) > 0
    assert found.mask.sum() <= 3 * grown_truth.sum()
    assert not found.mask[:300].any()
    assert len(found.regions) == 1
    assert found.regions[0].score > 0.5


@pytest.mark.parametrize(
    ("text", "xy", "size", "fill", "backdrop"),
    [
        ("Eileen, Houston, summer 1994", (30, 50), 40, (250, 250, 245), None),
        ("1994 08 12", (200, 50), 32, (255, 150, 30), (200, 120, 60)),  # orange on orange
    ],
)
def test_a_line_crossing_light_and_dark_background_is_masked_on_its_letters(
    detector, text, xy, size, fill, backdrop
):
    rgb, blob = light_with_dark_blob(240, 640, (420, 150, 170, 110))
    if backdrop is not None:
        rgb[~blob] = np.clip(rgb[~blob].astype(np.int16) - (205, 200, 195) + backdrop, 0, 255)
    rgb, truth = with_text(rgb, text, xy, size, fill)
    found = detector.detect(rgb)
    letters = cv2.dilate(truth.astype(np.uint8), np.ones((5, 5), np.uint8)) > 0
    hair = blob & ~letters
    hair[130:] = False  # the part of the dark blob in and near the line's box
    assert recall(found.mask, truth) >= 0.9
    assert found.mask[hair].mean() < 0.1


def test_white_outlined_caption_of_several_sizes_is_found(detector):
    rgb, truth = photo_like(480, 640, seed=3), np.zeros((480, 640), bool)
    for y, size in ((30, 16), (80, 24), (150, 48)):
        rgb, changed = with_text(rgb, "Holiday 2024", (40, y), size, (255, 255, 255), outline=1)
        truth |= changed
    assert recall(detector.detect(rgb).mask, truth) >= 0.9


@pytest.mark.skipif(not CJK_FONT.exists(), reason=f"no CJK font at {CJK_FONT} (fonts-noto-cjk)")
def test_chinese_text_is_found(detector):
    font = ImageFont.truetype(str(CJK_FONT), 32)
    rgb, truth = with_text(photo_like(480, 640, 5), "版权所有 水印文字", (60, 200), 32, font=font)
    assert recall(detector.detect(rgb).mask, truth) >= 0.9


def test_a_photo_without_text_gives_a_near_empty_mask(detector):
    found = detector.detect(photo_like(480, 640, seed=7))
    assert found.mask.mean() < 0.005


def test_a_region_limits_the_search_and_the_mask(detector):
    rgb, first = with_text(photo_like(480, 640), "1998 12 25", (420, 420), 28)
    rgb, second = with_text(rgb, "TOP LINE", (40, 30), 28)
    found = detector.detect(rgb, TextSettings(region=SearchArea.BOTTOM_RIGHT))
    assert recall(found.mask, first) >= 0.9
    assert not found.mask[:240].any()
    boxed = detector.detect(rgb, TextSettings(region=Box(0, 0, 120, 640)))
    assert recall(boxed.mask, second) >= 0.9
    assert not boxed.mask[120:].any()


def test_dropping_a_region_rebuilds_the_mask_without_it(detector):
    rgb, bottom = with_text(photo_like(480, 640), "1998 12 25", (420, 420), 28)
    rgb, top = with_text(rgb, "TOP LINE", (40, 30), 28)
    found = detector.detect(rgb)
    kept = tuple(region for region in found.regions if region.box.top > 240)
    mask = found.mask_of(kept)
    assert recall(mask, bottom) >= 0.9
    assert not mask[top].any()


def test_sensitivity_outside_0_to_1_is_refused():
    with pytest.raises(ValueError, match="sensitivity"):
        TextSettings(sensitivity=1.5)


def test_an_exif_rotated_photo_gets_its_mask_in_the_displayed_orientation(detector, tmp_path):
    shown, truth = with_text(photo_like(640, 480), "1998 12 25", (260, 580), 28)
    path = tmp_path / "rotated.jpg"
    exif = Image.Exif()
    exif[0x0112] = 6  # the stored pixels must turn 90° clockwise to be shown
    Image.fromarray(shown).transpose(Image.Transpose.ROTATE_90).save(path, quality=95, exif=exif)
    [result] = detect_text_in_files([path], detector)
    assert result.detection is not None
    assert result.detection.mask.shape == (640, 480)
    assert recall(result.detection.mask, truth) >= 0.9


def test_16_bit_and_rgba_files_are_searched(detector, tmp_path, dated):
    rgb, truth = dated
    deep = tmp_path / "deep.png"
    cv2.imwrite(str(deep), (rgb[:, :, ::-1].astype(np.uint16) * 257))
    alpha = tmp_path / "alpha.png"
    Image.fromarray(np.dstack([rgb, np.full(truth.shape, 200, np.uint8)])).save(alpha)
    results = list(detect_text_in_files([deep, alpha], detector))
    assert [result.error for result in results] == [None, None]
    for result in results:
        assert recall(result.detection.mask, truth) >= 0.9


def test_a_huge_picture_is_shrunk_for_the_network_without_a_memory_blow_up(detector):
    base = cv2.resize(photo_like(600, 800), (8000, 6000), interpolation=cv2.INTER_LINEAR)
    grain = np.empty_like(base)
    cv2.randu(grain, 0, 8)  # pixel-fine grain, as a camera gives (fast at this size)
    base = cv2.add(base, grain)
    rgb, truth = with_text(base, "1998 12 25", (6000, 5600), 120, (255, 255, 255), outline=6)
    tracemalloc.start()
    try:
        found = detector.detect(rgb)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert recall(found.mask, truth) >= 0.9
    assert peak < 2 * rgb.nbytes  # the full-size mask and crops, never a float copy of it


def test_cancelling_a_batch_search_stops_before_the_next_file(detector, tmp_path, dated):
    paths = []
    for index in range(3):
        paths.append(tmp_path / f"{index}.png")
        Image.fromarray(dated[0]).save(paths[-1])
    token = CancelToken()
    results = detect_text_in_files(paths, detector, token=token)
    first = next(results)
    assert first.detection is not None
    token.cancel()
    with pytest.raises(JobCancelled):
        next(results)


def test_an_unreadable_file_fails_alone(detector, tmp_path, dated):
    broken = tmp_path / "broken.png"
    broken.write_bytes(b"not a png")
    good = tmp_path / "good.png"
    Image.fromarray(dated[0]).save(good)
    results = list(detect_text_in_files([broken, good], detector))
    assert results[0].error is not None
    assert results[0].detection is None
    assert results[1].detection is not None


def test_without_openvino_opencv_runs_the_network_and_says_why(monkeypatch, dated):
    monkeypatch.setitem(sys.modules, "openvino", None)
    detector = TextDetector.open()
    assert detector.engine == "opencv-dnn"
    assert "openvino cannot be imported" in detector.fallback_reason
    rgb, truth = dated
    assert recall(detector.detect(rgb).mask, truth) >= 0.9


def test_the_detector_computes_in_bfloat16_only_where_the_cpu_does_and_finds_the_same_text(dated):
    capabilities = import_openvino().Core().get_property("CPU", "OPTIMIZATION_CAPABILITIES")
    native = "BF16" in capabilities
    best, exact = TextDetector.open(), TextDetector.open(precision="f32")
    assert (best.engine, best.precision) == ("openvino", "bf16" if native else "f32")
    rgb, truth = dated
    fast, slow = best.detect(rgb).mask, exact.detect(rgb).mask
    assert recall(fast, truth) >= 0.9
    assert (fast & slow).sum() >= 0.9 * (fast | slow).sum()


def test_detecting_imports_neither_rapidocr_nor_torch_nor_qt():
    code = (
        "import sys, numpy as np\n"
        "from lamadesk.core.models.ppocr import TextDetector\n"
        "TextDetector.open().detect(np.zeros((64, 64, 3), np.uint8))\n"
        "print(sorted({'rapidocr', 'torch', 'PySide6'} & set(sys.modules)))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"


def test_opening_the_detector_sends_no_usage_event_and_leaves_the_home_folder_alone(tmp_path):
    # OpenVINO's model converter, imported by `import openvino`, sends an event to Google
    # Analytics and writes a client id under ~/intel unless a person opted out; in CI it
    # stays quiet, so the child runs as on a person's PC.
    env = {k: v for k, v in os.environ.items() if k not in {"CI", "TF_BUILD", "JENKINS_URL"}}
    env |= {"HOME": str(tmp_path), "USERPROFILE": str(tmp_path), "LOCALAPPDATA": str(tmp_path)}
    code = (
        "import sys, numpy as np\n"
        "from lamadesk.core.models.ppocr import TextDetector\n"
        "TextDetector.open().detect(np.zeros((64, 64, 3), np.uint8))\n"
        "print(sorted(name for name in sys.modules if 'telemetry' in name))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env
    )
    assert result.stdout.strip() == "[]"
    assert list(tmp_path.iterdir()) == []


def resident_bytes() -> int:
    return int(Path("/proc/self/statm").read_text().split()[1]) * os.sysconf("SC_PAGE_SIZE")


@pytest.mark.skipif(sys.platform != "linux", reason="reads /proc/self/statm")
def test_pictures_of_many_sizes_do_not_grow_the_networks_memory():
    # A folder of scans of many sizes: OpenVINO kept kernels for every input shape, and 90
    # shapes grew the process by some 350 MiB.
    network = open_network(locate_weights(PP_OCR_V6_DET_SMALL), threads=2)
    sizes = [(32 * h, 32 * w) for h in range(2, 12) for w in range(2, 14)]
    np.random.default_rng(0).shuffle(sizes)
    for index, (height, width) in enumerate(sizes):
        network.run(np.zeros((1, 3, height, width), np.float32))
        if index == 29:  # after the first shapes, allocators have settled
            settled = resident_bytes()
    assert resident_bytes() - settled < 100 * 2**20


def test_a_line_at_the_top_is_kept_when_grain_makes_thousands_of_specks_below():
    probability = np.zeros((400, 400), np.float32)
    probability[10:20, 50:150] = 0.95  # one text line near the top
    probability[100::4, ::4] = 0.9  # 7,500 one-pixel specks further down
    boxes = text_boxes(probability, 400, 400, sensitivity=0.5)
    assert any(box.corners[:, 1].max() < 40 for box in boxes)


def test_a_big_picture_is_seen_whole_in_overlapping_tiles_no_bigger_than_needed():
    height, width = 1536, 2048
    tensor = np.zeros((1, 3, height, width), np.float32)
    tensor[0, 0], tensor[0, 1] = np.mgrid[0:height, 0:width]  # each pixel says where it is
    tiles = []

    def network(part: np.ndarray) -> np.ndarray:
        top, left = int(part[0, 0, 0, 0]), int(part[0, 1, 0, 0])
        tiles.append((top, left, *part.shape[2:]))
        return np.ones((1, 1, *part.shape[2:]), np.float32)

    assert run_tiled(network, tensor).min() == 1  # no pixel left unseen
    assert all(max(h, w) <= TILE and h % STRIDE == 0 and w % STRIDE == 0 for *_, h, w in tiles)
    for start, size in ((0, 2), (1, 3)):  # down, then across
        spans = sorted({(tile[start], tile[size]) for tile in tiles})
        assert all(a + length - b >= OVERLAP for (a, length), (b, _) in pairwise(spans))
    # the network's time grows with what it sees: overlap costs little
    assert sum(h * w for *_, h, w in tiles) < 1.1 * height * width


def test_a_large_region_the_network_is_unsure_of_is_texture_but_a_large_sure_line_is_text():
    probability = np.zeros((400, 400), np.float32)
    probability[40:80, 40:80] = 0.8  # a big square blob: cell tissue, a camera's body
    probability[100:140, 200:310] = 0.8  # long enough for a line, but not once grown
    probability[200:240, 40:300] = 0.95  # a big line of text
    probability[320:328, 40:100] = 0.75  # a small, fainter line
    boxes = text_boxes(probability, 400, 400, sensitivity=0.5)
    tops = sorted(round(float(box.corners[:, 1].min()), -1) for box in boxes)
    assert len(boxes) == 2  # both lines stay ...
    assert tops[0] > 150  # ... and the blob is gone


def test_how_large_a_line_is_is_judged_against_the_whole_picture_not_the_search_area():
    probability = np.zeros((200, 200), np.float32)  # the lower right quarter of 400 x 400
    probability[40:50, 40:160] = 0.7  # grown to 25 px: 6 % of the picture, 12 % of the area
    assert len(text_boxes(probability, 200, 200, sensitivity=0.5, picture_short_side=400)) == 1
    assert text_boxes(probability, 200, 200, sensitivity=0.5) == []  # were it the picture


def test_two_touching_lines_are_scored_by_their_blob_not_its_rectangle():
    probability = np.zeros((200, 300), np.float32)
    probability[20:26, 20:60] = 0.95  # a small line ...
    probability[26:40, 20:260] = 0.95  # ... touching a long one under it: an L-shaped blob
    probability[20:26, 60:260] = 0.05
    [box] = text_boxes(probability, 200, 300, sensitivity=0.5)
    assert box.score > 0.85  # its rectangle, a third of it the gap, would score 0.7


def test_a_network_failure_is_a_typed_error_and_fails_only_its_file(tmp_path, dated):
    def broken(tensor: np.ndarray) -> np.ndarray:
        raise TextDetectorRunError("openvino", "out of memory")

    detector = TextDetector(OpenedNetwork(broken, "openvino"))
    path = tmp_path / "dated.png"
    Image.fromarray(dated[0]).save(path)
    [result] = detect_text_in_files([path], detector)
    assert isinstance(result.error, TextDetectorRunError)
    assert result.error.reason == "out of memory"


def test_pixels_that_are_not_8_bit_rgb_are_refused_by_the_detector(detector):
    with pytest.raises(ValueError, match="uint8 RGB"):
        detector.detect(np.zeros((32, 32, 4), np.uint8))


def test_specks_near_but_apart_from_the_letters_are_not_taken_for_their_outline():
    rgb, truth = with_text(
        np.full((120, 480, 3), 90, np.uint8), "1998 12 25", (40, 30), 48, (255, 255, 255)
    )
    # 3-4 px from the letters: within an outline's reach, but not touching them.
    near = cv2.dilate(truth.astype(np.uint8), np.ones((9, 9), np.uint8)) > 0
    apart = cv2.dilate(truth.astype(np.uint8), np.ones((5, 5), np.uint8)) == 0
    ys, xs = np.nonzero(near & apart)
    picked = np.random.default_rng(0).choice(len(ys), 300, replace=False)
    specks = np.zeros(truth.shape, bool)
    specks[ys[picked], xs[picked]] = True
    rgb[specks] = 150  # brighter than the backdrop by half of what the letters are
    mask = strokes_mask(rgb, box_around(truth, 8))
    assert recall(mask, truth) >= 0.99
    assert mask[specks].mean() < 0.05


def test_faint_big_letters_over_fine_grain_are_masked_without_the_grain_touching_them():
    backdrop = fine_grain(260, 900, amplitude=15)
    opaque, _ = with_text(backdrop, "photo: J. Smith", (30, 40), 110, (250, 230, 60))
    rgb = ((opaque.astype(np.float32) + backdrop) / 2 + 0.5).astype(np.uint8)  # opacity 0.5
    truth = np.abs(rgb.astype(np.int16) - backdrop).max(axis=2) > 10
    mask = strokes_mask(rgb, box_around(truth, 20))
    assert recall(mask, truth) >= 0.95
    grown_truth = cv2.dilate(truth.astype(np.uint8), np.ones((5, 5), np.uint8)) > 0
    assert mask.sum() <= 3 * grown_truth.sum()


@pytest.mark.parametrize("fill", [(255, 255, 255), (20, 20, 20)], ids=["white", "black"])
def test_behind_big_letters_texture_of_both_polarities_is_not_taken_for_them(fill):
    # Grain both lighter and darker than its mean fills the line's box evenly; the letters
    # gather in its middle. The polarity gathered there is taken as the letters.
    rgb, truth = with_text(
        fine_grain(260, 900, amplitude=20, seed=1), "Sample 2024", (30, 40), 110, fill
    )
    mask = strokes_mask(rgb, box_around(truth, 20))
    assert recall(mask, truth) >= 0.99
    grown_truth = cv2.dilate(truth.astype(np.uint8), np.ones((5, 5), np.uint8)) > 0
    assert mask.sum() <= 3 * grown_truth.sum()


def test_hairlines_as_thin_as_texture_are_kept_where_they_have_the_letters_colour():
    rgb = np.full((200, 700, 3), 200, np.uint8)
    for left in range(40, 600, 110):  # stems 16 px wide joined by 3-px hairlines
        cv2.rectangle(rgb, (left, 50), (left + 15, 150), (20, 20, 20), -1)
        cv2.line(rgb, (left + 15, 150), (left + 110, 50), (20, 20, 20), 3)
    truth = rgb[..., 0] < 110
    mask = strokes_mask(rgb, box_around(truth, 20))
    assert recall(mask, truth) >= 0.99


@pytest.mark.parametrize(("dark", "light"), [(60, 160), (30, 120)])
def test_on_a_gradient_the_gaps_between_white_letters_are_not_taken_for_the_letters(dark, light):
    backdrop = np.zeros((120, 500, 3), np.uint8)
    backdrop[:] = np.linspace(dark, light, 500, dtype=np.uint8)[None, :, None]
    rgb, truth = with_text(backdrop, "Summer 1987", (20, 30), 40, (255, 255, 255))
    assert recall(strokes_mask(rgb, box_around(truth, 8)), truth) >= 0.99


def test_glowing_digits_beside_a_grey_reflection_are_masked_without_the_black_between():
    rgb, digits = glowing_stamp_beside_reflection()
    mask = strokes_mask(rgb, box_around(digits, 6))
    assert recall(mask, digits) >= 0.99
    apart = cv2.dilate(digits.astype(np.uint8), np.ones((9, 9), np.uint8)) == 0
    assert mask[apart].sum() < 0.02 * digits.sum()


def glowing_stamp_beside_reflection() -> tuple[np.ndarray, np.ndarray]:
    """A film camera's orange date, with its halo, on black beside a grey blurred highlight.

    Returns:
        The (H, W, 3) uint8 picture and the (H, W) bool pixels of the digits.
    """
    reflection = np.zeros((160, 480), np.float32)
    cv2.ellipse(reflection, (250, 70), (90, 45), 0, 0, 360, 1.0, -1)
    reflection = cv2.GaussianBlur(reflection, (0, 0), 18)
    grain = np.random.default_rng(0).normal(0, 6, reflection.shape).astype(np.float32)
    backdrop = np.clip(12 + reflection * (120 + grain), 0, 255).astype(np.uint8)
    photo = Image.fromarray(np.repeat(backdrop[..., None], 3, axis=2)).convert("RGBA")
    digits = Image.new("RGBA", photo.size, (0, 0, 0, 0))
    font = ImageFont.load_default(size=44)
    ImageDraw.Draw(digits).text((40, 50), "'94 8 12", font=font, fill=(255, 120, 20, 255))
    halo = Image.alpha_composite(photo, digits.filter(ImageFilter.GaussianBlur(3)))
    rgb = np.asarray(Image.alpha_composite(halo, digits).convert("RGB"))
    return rgb, np.asarray(digits)[..., 3] > 127


def strokes_mask(rgb: np.ndarray, corners: np.ndarray) -> np.ndarray:
    """find_strokes' pixels for the box `corners`, placed in a mask of the whole picture."""
    strokes = find_strokes(rgb, corners, 0.5)
    mask = np.zeros(rgb.shape[:2], bool)
    mask[strokes.box.slices()] = strokes.pixels
    return mask
