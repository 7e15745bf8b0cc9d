from __future__ import annotations

import dataclasses
import errno
import io
import os
import stat
from pathlib import Path

import cv2
import numpy as np
import pytest
from PIL import Image, ImageCms, ImageFile, JpegImagePlugin

from lamadesk.core import image_formats, image_io
from lamadesk.core.errors import ImageReadError, ImageWriteError, OutputExistsError
from lamadesk.core.image_io import (
    IMAGE_EXTENSIONS,
    MAX_PIXELS,
    LoadedImage,
    OutputFormat,
    plan_output,
    read_image,
    read_mask_image,
    write_image,
)
from lamadesk.core.notes import Note, NoteKind
from tests.core import image_samples as samples

TRANSPOSE_FOR_ORIENTATION = {
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_270,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}


def read_unchanged(path: Path) -> np.ndarray:
    """Independent 16-bit reader: OpenCV, BGR(A) turned to RGB(A)."""
    array = cv2.imdecode(np.fromfile(path, np.uint8), cv2.IMREAD_UNCHANGED)
    if array.ndim == 3:
        array = array[..., [2, 1, 0, 3][: array.shape[2]]]
    return array


def pillow_pixels(path: Path) -> tuple[str, np.ndarray]:
    with Image.open(path) as image:
        return image.mode, np.asarray(image).copy()


def temp_leftovers(folder: Path) -> list[Path]:
    return [p for p in folder.iterdir() if p.name.startswith(".") and p.suffix == ".tmp"]


# --- modes -------------------------------------------------------------------------------


def test_rgb_png_round_trips_exactly(tmp_path: Path) -> None:
    pixels = samples.asymmetric_rgb()
    image = read_image(samples.save(tmp_path / "in.png", pixels))

    assert image.rgb.dtype == np.uint8
    np.testing.assert_array_equal(image.rgb, pixels)
    assert image.alpha is None
    assert image.high_depth is None
    assert (image.source.format, image.source.mode, image.source.notes) == ("PNG", "RGB", ())

    out = write_image(image, tmp_path / "out.png")
    assert pillow_pixels(out)[0] == "RGB"
    np.testing.assert_array_equal(pillow_pixels(out)[1], pixels)


def test_rgba_png_keeps_alpha_outside_the_edit(tmp_path: Path) -> None:
    pixels = samples.asymmetric_rgb()
    alpha = np.linspace(0, 255, 24).astype(np.uint8).reshape(4, 6)
    image = read_image(samples.save(tmp_path / "in.png", np.dstack([pixels, alpha])))
    np.testing.assert_array_equal(image.alpha, alpha)

    changed = np.zeros((4, 6), bool)
    changed[1:3, 2:4] = True
    edited = pixels.copy()
    edited[changed] = 7
    out = write_image(image.with_pixels(edited, changed), tmp_path / "out.png")

    mode, written = pillow_pixels(out)
    assert mode == "RGBA"
    np.testing.assert_array_equal(written[..., 3], alpha)
    np.testing.assert_array_equal(written[..., :3], edited)


@pytest.mark.parametrize(("mode", "alpha"), [("L", False), ("LA", True)])
def test_grayscale_png_is_written_back_as_grayscale(tmp_path: Path, mode: str, alpha: bool) -> None:
    gray = samples.asymmetric_rgb()[..., 0]
    picture = (
        Image.fromarray(gray)
        if mode == "L"
        else Image.merge("LA", [Image.fromarray(gray), Image.fromarray(255 - gray)])
    )
    image = read_image(samples.save(tmp_path / "in.png", picture))

    assert image.source.grayscale
    for channel in range(3):
        np.testing.assert_array_equal(image.rgb[..., channel], gray)
    assert (image.alpha is not None) == alpha
    written_mode, written = pillow_pixels(write_image(image, tmp_path / "out.png"))
    assert written_mode == mode
    np.testing.assert_array_equal(written if mode == "L" else written[..., 0], gray)


def test_palette_png_without_transparency_becomes_rgb(tmp_path: Path) -> None:
    image = read_image(samples.save(tmp_path / "p.png", samples.palette_image(None)))

    assert image.source.mode == "P"
    assert image.alpha is None
    np.testing.assert_array_equal(
        image.rgb[0, :4], [[255, 0, 0], [0, 255, 0], [0, 0, 255], [255] * 3]
    )
    assert Note(NoteKind.PALETTE_CONVERTED, {"mode": "RGB"}) in image.source.notes


def test_palette_png_with_transparency_becomes_rgba(tmp_path: Path) -> None:
    image = read_image(samples.save(tmp_path / "p.png", samples.palette_image(2), transparency=2))

    assert image.alpha is not None
    np.testing.assert_array_equal(image.alpha[0, :4], [255, 255, 0, 255])
    assert Note(NoteKind.PALETTE_CONVERTED, {"mode": "RGBA"}) in image.source.notes


@pytest.mark.parametrize("suffix", [".jpg", ".tif"])
def test_cmyk_is_converted_to_rgb_with_a_note(tmp_path: Path, suffix: str) -> None:
    cmyk = Image.new("CMYK", (8, 6), (0, 255, 255, 0))  # pure red in CMYK terms
    image = read_image(samples.save(tmp_path / f"cmyk{suffix}", cmyk))

    assert image.source.mode == "CMYK"
    assert image.rgb.shape == (6, 8, 3)
    assert np.abs(image.rgb.astype(int) - [255, 0, 0]).max() <= 8
    missing = Note(NoteKind.PROFILE_MISSING)
    assert Note(NoteKind.CMYK_UNMANAGED, {"problem": missing}) in image.notes
    assert "CMYK converted to RGB without colour management: no ICC profile" in map(
        str, image.notes
    )


def test_cmyk_jpeg_is_read_as_a_colour_managed_viewer_shows_it(tmp_path: Path) -> None:
    path = samples.cmyk_photo_jpeg(tmp_path / "print.jpg")
    assert b"Adobe" in path.read_bytes()[:200]  # stored inverted, as Photoshop does

    image = read_image(path)

    shown = samples.colour_managed_view(path)
    assert np.abs(image.rgb.astype(int) - shown).max() <= 1
    assert Note(NoteKind.CMYK_MANAGED) in image.notes


def cmyk_edit(image: LoadedImage) -> tuple[LoadedImage, np.ndarray]:
    changed = np.zeros(image.rgb.shape[:2], bool)
    changed[30:60, 40:90] = True
    edited = image.rgb.copy()
    edited[changed] = (90, 120, 160)
    return image.with_pixels(edited, changed), changed


def test_cmyk_jpeg_stays_cmyk_and_looks_unchanged_outside_the_edit(tmp_path: Path) -> None:
    path = samples.cmyk_photo_jpeg(tmp_path / "print.jpg")
    edited, changed = cmyk_edit(read_image(path))

    plan = plan_output(edited)
    out = write_image(edited, tmp_path / "out.jpg")

    before, after = samples.colour_managed_view(path), samples.colour_managed_view(out)
    difference = np.abs(after.astype(int) - before)
    assert difference[~changed].mean() < 0.5
    assert np.abs(after[changed].astype(int) - (90, 120, 160)).mean() < 3
    with Image.open(out) as written:
        assert written.mode == "CMYK"
        assert written.info["icc_profile"] == samples.cmyk_icc()
    assert plan.notes == (Note(NoteKind.CMYK_WRITTEN),)


def test_cmyk_jpeg_written_as_png_is_srgb_and_looks_unchanged_outside_the_edit(
    tmp_path: Path,
) -> None:
    path = samples.cmyk_photo_jpeg(tmp_path / "print.jpg")
    edited, changed = cmyk_edit(read_image(path))

    out = write_image(edited, tmp_path / "out.png", fmt=OutputFormat.PNG)

    before, after = samples.colour_managed_view(path), samples.colour_managed_view(out)
    assert np.abs(after.astype(int) - before)[~changed].mean() < 0.5


@pytest.mark.parametrize("fmt", [OutputFormat.PNG, OutputFormat.WEBP])
def test_cmyk_written_where_cmyk_does_not_fit_embeds_srgb_and_says_so(
    tmp_path: Path, fmt: OutputFormat
) -> None:
    image = read_image(samples.cmyk_photo_jpeg(tmp_path / "print.jpg"))

    plan = plan_output(image, fmt)
    out = write_image(image, tmp_path / "out", fmt=fmt)

    with Image.open(out) as written:
        assert written.mode == "RGB"
        profile = ImageCms.ImageCmsProfile(io.BytesIO(written.info["icc_profile"]))
    assert ImageCms.getProfileDescription(profile).strip() == "sRGB built-in"
    assert plan.notes == (Note(NoteKind.CMYK_AS_SRGB, {"format": fmt.value}),)


def test_grey_image_with_a_profile_written_as_webp_looks_the_same(tmp_path: Path) -> None:
    path = samples.save(
        tmp_path / "scan.png", samples.photo_rgb()[..., 0], icc_profile=samples.gray_icc()
    )
    image = read_image(path)

    plan = plan_output(image, OutputFormat.WEBP)
    out = write_image(image, tmp_path / "out.webp", fmt=OutputFormat.WEBP)

    before, after = samples.colour_managed_view(path), samples.colour_managed_view(out)
    assert np.abs(after.astype(int) - before).mean() < 0.5
    assert plan.notes == (Note(NoteKind.WEBP_GREY_AS_SRGB),)


def test_16bit_read_note_promises_nothing_about_the_output(tmp_path: Path) -> None:
    image = read_image(samples.write_png16(tmp_path / "in.png", samples.asymmetric_u16(4, 6, 3)))

    assert image.notes == (Note(NoteKind.SIXTEEN_BIT_EDITED_AT_8),)


def test_bilevel_image_is_read_as_grayscale(tmp_path: Path) -> None:
    bits = (np.indices((4, 6)).sum(axis=0) % 2).astype(bool)
    image = read_image(samples.save(tmp_path / "bits.png", Image.fromarray(bits)))

    np.testing.assert_array_equal(image.rgb[..., 1], np.where(bits, 255, 0))
    assert image.source.grayscale
    assert Note(NoteKind.ONE_BIT_TO_GREY) in image.source.notes


def test_float_tiff_is_normalised_with_a_note(tmp_path: Path) -> None:
    values = np.array([[-1.0, 0.0], [1.0, 3.0]], np.float32)
    image = read_image(samples.save(tmp_path / "f.tif", Image.fromarray(values)))

    np.testing.assert_array_equal(image.rgb[..., 0], [[0, 64], [128, 255]])
    assert Note(NoteKind.FLOAT_NORMALISED) in image.source.notes


@pytest.mark.parametrize("suffix", [".png", ".tif"])
def test_16bit_grayscale_keeps_16_bits_through_a_write(tmp_path: Path, suffix: str) -> None:
    values = samples.asymmetric_u16(4, 6, 1)[..., 0]
    image = read_image(samples.save(tmp_path / f"g16{suffix}", Image.fromarray(values)))

    assert image.source.bits_per_channel == 16
    np.testing.assert_array_equal(image.high_depth[..., 0], values)
    np.testing.assert_array_equal(image.rgb[..., 0], np.rint(values / 257))
    assert Note(NoteKind.SIXTEEN_BIT_EDITED_AT_8) in image.notes

    out = write_image(image, tmp_path / f"out{suffix}")
    assert pillow_pixels(out)[0].startswith("I;16")
    np.testing.assert_array_equal(read_unchanged(out), values)


def test_32bit_integer_tiff_beyond_16_bits_is_scaled(tmp_path: Path) -> None:
    values = np.array([[0, 100_000], [200_000, 400_000]], np.int32)
    image = read_image(samples.save(tmp_path / "i.tif", Image.fromarray(values)))

    np.testing.assert_array_equal(image.high_depth[..., 0], [[0, 16384], [32768, 65535]])
    assert Note(NoteKind.INT32_SCALED) in image.source.notes


@pytest.mark.parametrize(("channels", "mode"), [(3, "RGB;16"), (4, "RGBA;16"), (2, "LA;16")])
def test_16bit_colour_png_is_read_exactly(tmp_path: Path, channels: int, mode: str) -> None:
    values = samples.asymmetric_u16(4, 6, channels)
    image = read_image(samples.write_png16(tmp_path / "in.png", values))

    assert image.source.mode == mode
    assert image.source.bits_per_channel == 16
    np.testing.assert_array_equal(image.high_depth, values)
    colour = values[..., :3] if channels >= 3 else np.repeat(values[..., :1], 3, axis=2)
    np.testing.assert_array_equal(image.rgb, image_formats.to_8bit(colour))
    assert (image.alpha is not None) == (channels in (2, 4))
    assert image.source.grayscale == (channels == 2)


@pytest.mark.parametrize("channels", [1, 2, 3, 4])
def test_16bit_png_keeps_untouched_pixels_exact_after_an_edit(
    tmp_path: Path, channels: int
) -> None:
    values = samples.asymmetric_u16(5, 7, channels)
    image = read_image(samples.write_png16(tmp_path / "in.png", values))
    changed = np.zeros((5, 7), bool)
    changed[1:3, 2:5] = True
    edited = image.rgb.copy()
    edited[changed] = (10, 10, 10)

    out = write_image(image.with_pixels(edited, changed), tmp_path / "out.png")

    written = read_unchanged(out).reshape(5, 7, -1)
    if channels == 2:  # OpenCV expands grey+alpha to RGBA
        written = written[..., [0, 3]]
    assert written.dtype == np.uint16
    np.testing.assert_array_equal(written[~changed], values[~changed])
    colour = 3 if channels >= 3 else 1
    assert (written[changed][:, :colour] == 10 * 257).all()
    np.testing.assert_array_equal(written[changed][:, colour:], values[changed][:, colour:])


def test_16bit_colour_tiff_round_trips_with_a_metadata_note(tmp_path: Path) -> None:
    values = samples.asymmetric_u16(4, 6, 3)
    path = tmp_path / "in.tif"
    cv2.imwrite(str(path), values[..., ::-1])
    image = read_image(path)
    np.testing.assert_array_equal(image.high_depth, values)

    plan = plan_output(image)
    assert plan.bits_per_channel == 16
    assert Note(NoteKind.TIFF16_COLOUR_NO_METADATA) in plan.notes
    np.testing.assert_array_equal(read_unchanged(write_image(image, tmp_path / "o.tif")), values)


def test_16bit_image_written_as_jpeg_says_it_drops_to_8_bits(tmp_path: Path) -> None:
    image = read_image(samples.write_png16(tmp_path / "in.png", samples.asymmetric_u16(4, 6, 3)))
    plan = plan_output(image, OutputFormat.JPEG)

    assert plan.bits_per_channel == 8
    assert Note(NoteKind.WRITTEN_AT_8_BITS, {"format": "JPEG"}) in plan.notes


def test_animated_gif_uses_the_first_frame(tmp_path: Path) -> None:
    image = read_image(samples.animated_gif(tmp_path / "anim.gif"))

    assert (image.rgb == [255, 0, 0]).all()
    assert Note(NoteKind.FRAMES_FIRST_ONLY, {"format": "GIF"}) in image.source.notes


# --- orientation -------------------------------------------------------------------------


@pytest.mark.parametrize("orientation", range(1, 9))
def test_every_exif_orientation_matches_pillow_transpose(tmp_path: Path, orientation: int) -> None:
    pixels = samples.asymmetric_rgb()
    path = samples.save(tmp_path / "o.png", pixels, exif=samples.exif_block(orientation))
    expected = Image.fromarray(pixels)
    if orientation != 1:
        expected = expected.transpose(TRANSPOSE_FOR_ORIENTATION[orientation])

    image = read_image(path)

    np.testing.assert_array_equal(image.rgb, np.asarray(expected))
    assert image.source.orientation == orientation
    applied = Note(NoteKind.ORIENTATION_APPLIED, {"orientation": orientation})
    assert (applied in image.source.notes) == (orientation != 1)


@pytest.mark.parametrize(("orientation", "turns"), [(6, -1), (3, 2), (8, 1)])
@pytest.mark.parametrize("suffix", [".png", ".tif", ".webp"])
def test_exif_orientation_rotates_pixels(
    tmp_path: Path, orientation: int, turns: int, suffix: str
) -> None:
    pixels = samples.asymmetric_rgb()
    exif = samples.exif_block(orientation)
    options = {"lossless": True} if suffix == ".webp" else {}
    path = samples.save(tmp_path / f"o{suffix}", pixels, exif=exif, **options)

    np.testing.assert_array_equal(read_image(path).rgb, np.rot90(pixels, turns))


def test_exif_orientation_rotates_jpeg_pixels(tmp_path: Path) -> None:
    pixels = samples.photo_rgb()
    path = samples.save(tmp_path / "o.jpg", pixels, exif=samples.exif_block(6), quality=95)

    rgb = read_image(path).rgb

    assert rgb.shape == (96, 64, 3)
    assert np.abs(rgb.astype(int) - np.rot90(pixels, -1)).mean() < 2


def test_exif_orientation_rotates_16bit_pixels_and_alpha(tmp_path: Path) -> None:
    values = samples.asymmetric_u16(4, 6, 4)
    image = read_image(samples.write_png16(tmp_path / "o.png", values, orientation=6))

    np.testing.assert_array_equal(image.high_depth, np.rot90(values, -1))
    np.testing.assert_array_equal(image.alpha, image_formats.to_8bit(np.rot90(values, -1)[..., 3]))


def test_quarter_turn_swaps_dpi(tmp_path: Path) -> None:
    path = samples.save(
        tmp_path / "o.jpg", samples.photo_rgb(), exif=samples.exif_block(6), dpi=(300, 150)
    )
    assert read_image(path).source.dpi == (150.0, 300.0)


# --- metadata and JPEG quality -----------------------------------------------------------


def test_jpeg_round_trip_keeps_exif_and_icc_with_orientation_reset(tmp_path: Path) -> None:
    icc = samples.srgb_icc()
    path = samples.save(
        tmp_path / "in.jpg", samples.photo_rgb(), exif=samples.exif_block(6), icc_profile=icc
    )
    out = write_image(read_image(path), tmp_path / "out.jpg")

    with Image.open(out) as written:
        exif = written.getexif()
        assert exif[samples.ORIENTATION] == 1
        assert exif[samples.MAKE] == "lamadesk-test"
        assert exif.get_ifd(samples.EXIF_IFD)[samples.USER_COMMENT].endswith(b"kept")
        assert written.info["icc_profile"] == icc
        assert written.size == (64, 96)


def test_jpeg_resave_keeps_quantization_tables_and_subsampling(tmp_path: Path) -> None:
    path = samples.save(tmp_path / "in.jpg", samples.photo_rgb(), quality=60, subsampling=1)
    image = read_image(path)
    changed = np.zeros(image.rgb.shape[:2], bool)
    changed[:8, :8] = True

    out = write_image(image.with_pixels(image.rgb.copy(), changed), tmp_path / "out.jpg")

    with Image.open(path) as original, Image.open(out) as written:
        assert written.quantization == original.quantization
        assert JpegImagePlugin.get_sampling(written) == JpegImagePlugin.get_sampling(original) == 1


def test_grayscale_jpeg_stays_grayscale_with_its_tables(tmp_path: Path) -> None:
    gray = samples.photo_rgb()[..., 0]
    path = samples.save(tmp_path / "in.jpg", gray, quality=70)
    out = write_image(read_image(path), tmp_path / "out.jpg")

    with Image.open(path) as original, Image.open(out) as written:
        assert written.mode == "L"
        assert written.quantization == original.quantization


def test_png_written_as_jpeg_uses_quality_95(tmp_path: Path) -> None:
    pixels = samples.photo_rgb()
    image = read_image(samples.save(tmp_path / "in.png", pixels))
    reference = samples.save(tmp_path / "ref.jpg", pixels, quality=95, subsampling=0)

    out = write_image(image, tmp_path / "out.jpg", fmt=OutputFormat.JPEG)

    with Image.open(out) as written, Image.open(reference) as expected:
        assert written.quantization == expected.quantization
        assert JpegImagePlugin.get_sampling(written) == 0


def test_cmyk_icc_profile_is_not_attached_to_rgb_output(tmp_path: Path) -> None:
    cmyk = Image.new("CMYK", (8, 6), (10, 20, 30, 40))
    path = samples.save(tmp_path / "c.jpg", cmyk, icc_profile=samples.fake_cmyk_icc())
    image = read_image(path)

    plan = plan_output(image)
    out = write_image(image, tmp_path / "out.jpg")

    assert not plan.keep_icc
    assert Note(NoteKind.ICC_DROPPED, {"space": "CMYK"}) in plan.notes
    with Image.open(out) as written:
        assert written.mode == "RGB"
        assert "icc_profile" not in written.info


def test_exif_orientation_reset_changes_only_the_orientation_bytes() -> None:
    exif = samples.exif_block(8)
    upright = image_formats.exif_with_upright_orientation(exif)

    assert len(upright) == len(exif)
    assert sum(a != b for a, b in zip(exif, upright, strict=True)) == 1
    parsed = Image.Exif()
    parsed.load(upright)
    assert parsed[samples.ORIENTATION] == 1


# --- output formats ----------------------------------------------------------------------


def test_transparent_image_written_as_jpeg_is_put_on_white(tmp_path: Path) -> None:
    rgba = np.zeros((16, 16, 4), np.uint8)
    rgba[..., 3] = 0
    rgba[8:, :, 3] = 255
    image = read_image(samples.save(tmp_path / "in.png", rgba))

    plan = plan_output(image, OutputFormat.JPEG)
    _, written = pillow_pixels(write_image(image, tmp_path / "out.jpg", fmt=OutputFormat.JPEG))

    assert Note(NoteKind.ALPHA_ON_WHITE, {"format": "JPEG"}) in plan.notes
    assert written[:6].min() >= 250
    assert written[10:].max() <= 5


@pytest.mark.parametrize(
    ("make", "expected_format", "expected_name"),
    [
        (lambda p: samples.animated_gif(p / "in.gif"), "PNG", "out.png"),
        (lambda p: samples.save(p / "in.bmp", samples.asymmetric_rgb()), "BMP", "out.bmp"),
        (lambda p: samples.save(p / "in.tif", samples.asymmetric_rgb()), "TIFF", "out.tif"),
        (lambda p: samples.save(p / "in.webp", samples.asymmetric_rgb()), "WEBP", "out.webp"),
    ],
)
def test_same_format_writes_the_source_format_or_png(
    tmp_path: Path, make: object, expected_format: str, expected_name: str
) -> None:
    image = read_image(make(tmp_path))
    out = write_image(image, tmp_path / "out.jpg")  # a wrong image suffix is replaced

    assert out.name == expected_name
    with Image.open(out) as written:
        assert written.format == expected_format


def test_gif_written_as_same_says_it_becomes_png(tmp_path: Path) -> None:
    image = read_image(samples.animated_gif(tmp_path / "in.gif"))

    out = write_image(image, tmp_path / "out.gif")

    assert out == tmp_path / "out.png"
    assert not (tmp_path / "out.gif").exists()
    assert Note(NoteKind.FORMAT_NOT_WRITTEN_BACK, {"format": "GIF"}) in plan_output(image).notes


def test_unknown_suffix_gets_the_format_suffix_appended(tmp_path: Path) -> None:
    image = read_image(samples.save(tmp_path / "in.png", samples.asymmetric_rgb()))
    assert write_image(image, tmp_path / "in.clean") == tmp_path / "in.clean.png"


def test_bmp_with_alpha_is_written_as_png(tmp_path: Path) -> None:
    bmp = read_image(samples.save(tmp_path / "in.bmp", samples.asymmetric_rgb()))
    image = dataclasses.replace(bmp, alpha=np.full((4, 6), 100, np.uint8))

    assert plan_output(image).format == "PNG"
    assert Note(NoteKind.BMP_SAVED_AS_PNG) in plan_output(image).notes


@pytest.mark.parametrize(
    ("source_options", "lossless"),
    [({"lossless": True}, True), ({"quality": 80}, False)],
)
def test_webp_output_is_lossless_exactly_when_the_webp_source_was(
    tmp_path: Path, source_options: dict[str, object], lossless: bool
) -> None:
    pixels = samples.photo_rgb()
    image = read_image(samples.save(tmp_path / "in.webp", pixels, **source_options))
    assert image.source.webp_lossless is lossless

    out = write_image(image, tmp_path / "out.webp")

    with out.open("rb") as handle:
        assert image_formats.webp_is_lossless(handle) is lossless
    if lossless:
        np.testing.assert_array_equal(pillow_pixels(out)[1], pixels)


def test_png_written_as_webp_is_lossless_and_keeps_alpha(tmp_path: Path) -> None:
    rgba = np.dstack([samples.asymmetric_rgb(), np.arange(24, dtype=np.uint8).reshape(4, 6)])
    image = read_image(samples.save(tmp_path / "in.png", rgba))

    out = write_image(image, tmp_path / "out.webp", fmt=OutputFormat.WEBP)

    np.testing.assert_array_equal(pillow_pixels(out)[1], rgba)


def test_grayscale_written_as_webp_says_it_becomes_rgb(tmp_path: Path) -> None:
    image = read_image(samples.save(tmp_path / "in.png", samples.asymmetric_rgb()[..., 0]))
    assert Note(NoteKind.WEBP_GREY_AS_RGB) in plan_output(image, OutputFormat.WEBP).notes


# --- paths -------------------------------------------------------------------------------


def test_non_ascii_path_reads_and_writes(tmp_path: Path) -> None:
    pixels = samples.asymmetric_rgb()
    folder = tmp_path / "水印 café"
    folder.mkdir()
    image = read_image(samples.save(folder / "水印 café.png", pixels))

    out = write_image(image, folder / "结果 é.png")

    assert out == folder / "结果 é.png"
    np.testing.assert_array_equal(read_image(out).rgb, pixels)


def test_non_ascii_16bit_path_reads_exactly(tmp_path: Path) -> None:
    values = samples.asymmetric_u16(3, 4, 3)
    image = read_image(samples.write_png16(tmp_path / "水印 café.png", values))
    np.testing.assert_array_equal(image.high_depth, values)


# --- read errors -------------------------------------------------------------------------


def assert_read_error(path: Path, reason: str) -> None:
    with pytest.raises(ImageReadError) as caught:
        read_image(path)
    assert caught.value.path == path
    assert reason in str(caught.value.reason)
    assert str(path) in str(caught.value)


def test_missing_file_raises_image_read_error(tmp_path: Path) -> None:
    assert_read_error(tmp_path / "nope.png", "file does not exist")


def test_folder_raises_image_read_error(tmp_path: Path) -> None:
    assert_read_error(tmp_path, "folder")


def test_empty_file_raises_image_read_error(tmp_path: Path) -> None:
    path = tmp_path / "empty.png"
    path.write_bytes(b"")
    assert_read_error(path, "file is empty")


def test_text_file_renamed_png_raises_image_read_error(tmp_path: Path) -> None:
    path = tmp_path / "notes.png"
    path.write_text("this is not an image\n", encoding="utf-8")
    assert_read_error(path, "not an image format Pillow can read")


@pytest.mark.parametrize("suffix", [".jpg", ".png"])
def test_truncated_image_raises_image_read_error(tmp_path: Path, suffix: str) -> None:
    path = samples.cut_in_half(samples.save(tmp_path / f"cut{suffix}", samples.photo_rgb()))
    assert_read_error(path, "file is truncated or corrupt")


def test_truncated_16bit_png_raises_image_read_error(tmp_path: Path) -> None:
    values = samples.asymmetric_u16(32, 32, 3)
    path = samples.cut_in_half(samples.write_png16(tmp_path / "cut.png", values))
    assert_read_error(path, "file is truncated or corrupt")


def forbid_decoding(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(self: ImageFile.ImageFile) -> None:
        raise AssertionError("pixels were decoded")

    monkeypatch.setattr(ImageFile.ImageFile, "load", refuse)


def test_huge_header_raises_too_large_without_decoding(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = samples.save(tmp_path / "bomb.png", samples.asymmetric_rgb())
    samples.claim_size(path, 30000, 30000)
    forbid_decoding(monkeypatch)

    with pytest.raises(ImageReadError) as caught:
        read_image(path)

    assert caught.value.reason.kind is NoteKind.READ_TOO_LARGE
    assert str(caught.value.reason) == "image is too large: 30000×30000 = 900 MP, limit 179 MP"


def test_max_pixels_is_checked_before_decoding(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = samples.save(tmp_path / "big.png", samples.asymmetric_rgb(40, 50))
    monkeypatch.setattr(image_io, "MAX_PIXELS", 1000)
    forbid_decoding(monkeypatch)

    with pytest.raises(ImageReadError, match=r"too large: 50×40 = 0\.002 MP, limit 0\.001 MP"):
        read_image(path)


def test_pillow_bomb_warning_is_suppressed_and_its_error_reported_as_too_large(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 100)
    warned = samples.save(tmp_path / "warned.png", samples.asymmetric_rgb(10, 15))  # 150 px
    refused = samples.save(tmp_path / "refused.png", samples.asymmetric_rgb(20, 15))  # 300 px

    assert read_image(warned).rgb.shape == (10, 15, 3)  # a warning would fail this test
    with pytest.raises(ImageReadError, match="too large: 15×20"):
        read_image(refused)
    assert MAX_PIXELS == 2 * 89_478_485


# --- write safety ------------------------------------------------------------------------


def test_write_refuses_to_replace_an_existing_file(tmp_path: Path) -> None:
    image = read_image(samples.save(tmp_path / "in.png", samples.asymmetric_rgb()))
    existing = tmp_path / "out.png"
    existing.write_bytes(b"keep me")

    with pytest.raises(OutputExistsError):
        write_image(image, existing)
    assert existing.read_bytes() == b"keep me"

    write_image(image, existing, overwrite=True)
    np.testing.assert_array_equal(read_image(existing).rgb, image.rgb)


def test_write_refuses_to_replace_the_source(tmp_path: Path) -> None:
    source = samples.save(tmp_path / "in.png", samples.asymmetric_rgb())
    before = source.read_bytes()
    image = read_image(source)

    with pytest.raises(OutputExistsError) as caught:
        write_image(image, source)

    assert caught.value.path == source
    assert source.read_bytes() == before


class FullDisk:
    """A file handle that writes a little, then fails like a full disk."""

    def __init__(self, handle: object) -> None:
        self._handle = handle

    def __enter__(self) -> FullDisk:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._handle.close()

    def write(self, data: bytes) -> int:
        self._handle.write(data[:10])
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    def __getattr__(self, name: str) -> object:
        return getattr(self._handle, name)


@pytest.mark.parametrize("previous", [None, b"previous content"])
def test_full_disk_leaves_no_partial_file_and_raises_image_write_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, previous: bytes | None
) -> None:
    image = read_image(samples.save(tmp_path / "in.png", samples.asymmetric_rgb()))
    destination = tmp_path / "out.png"
    if previous is not None:
        destination.write_bytes(previous)
    real_fdopen = os.fdopen
    monkeypatch.setattr(os, "fdopen", lambda *args, **kw: FullDisk(real_fdopen(*args, **kw)))

    with pytest.raises(ImageWriteError) as caught:
        write_image(image, destination, overwrite=True)

    assert caught.value.path == destination
    assert caught.value.reason == Note(NoteKind.WRITE_DISK_FULL)
    assert "disk is full" in str(caught.value)
    if previous is None:
        assert not destination.exists()
    else:
        assert destination.read_bytes() == previous
    assert temp_leftovers(tmp_path) == []


@pytest.mark.skipif(os.name != "posix", reason="POSIX permission bits")
def test_a_written_image_gets_the_permissions_the_umask_gives_new_files(tmp_path: Path) -> None:
    image = read_image(samples.save(tmp_path / "in.png", samples.asymmetric_rgb()))
    previous_umask = os.umask(0o027)
    try:
        write_image(image, tmp_path / "out.png")
    finally:
        os.umask(previous_umask)

    assert stat.S_IMODE((tmp_path / "out.png").stat().st_mode) == 0o640


@pytest.mark.skipif(os.name != "posix", reason="POSIX permission bits")
def test_replacing_a_file_keeps_its_permissions(tmp_path: Path) -> None:
    image = read_image(samples.save(tmp_path / "in.png", samples.asymmetric_rgb()))
    destination = tmp_path / "out.png"
    destination.write_bytes(b"previous content")
    destination.chmod(0o604)

    write_image(image, destination, overwrite=True)

    assert stat.S_IMODE(destination.stat().st_mode) == 0o604
    assert destination.read_bytes() != b"previous content"


# --- masks, edits, constants -------------------------------------------------------------


def test_an_rgb_mask_marks_every_non_black_pixel(tmp_path: Path) -> None:
    mask = np.zeros((4, 6, 3), np.uint8)
    mask[1:3, 2:4] = 255
    mask[0, 0, 2] = 1
    np.testing.assert_array_equal(
        read_mask_image(samples.save(tmp_path / "m.png", mask)), mask.max(axis=2) > 0
    )


def test_with_pixels_rejects_wrong_shapes(tmp_path: Path) -> None:
    image = read_image(samples.save(tmp_path / "in.png", samples.asymmetric_rgb()))
    with pytest.raises(ValueError, match="rgb"):
        image.with_pixels(np.zeros((4, 5, 3), np.uint8), np.zeros((4, 5), bool))
    with pytest.raises(ValueError, match="changed"):
        image.with_pixels(image.rgb.copy(), np.zeros((4, 6), np.uint8))


def test_loaded_image_arrays_are_read_only(tmp_path: Path) -> None:
    image = read_image(samples.save(tmp_path / "in.png", samples.asymmetric_rgb()))
    edited = image.rgb.copy()

    updated = image.with_pixels(edited, np.ones((4, 6), bool))

    assert isinstance(updated, LoadedImage)
    with pytest.raises(ValueError, match="read-only"):
        image.rgb[0, 0] = 0
    edited[0, 0] = 1  # the caller's own array stays writable
    assert not updated.rgb.flags.writeable


def test_image_extensions_are_lower_case_with_a_dot() -> None:
    assert all(ext.startswith(".") and ext == ext.lower() for ext in IMAGE_EXTENSIONS)
    assert {".png", ".jpg", ".jpeg", ".webp", ".tif", ".tiff", ".bmp"} <= set(IMAGE_EXTENSIONS)
