"""Write an edited image back without losing what the person did not ask to change.

The format, depth, alpha and metadata decisions are made up front by `plan_output`, so the UI
can show them before saving; `write_image` then encodes in memory and replaces the destination
atomically. `image_io` re-exports both.
"""

from __future__ import annotations

import errno
import io
import logging
from pathlib import Path

import numpy as np
from PIL import Image

from lamadesk.core import image_formats as fmts
from lamadesk.core.errors import ImageWriteError, OutputExistsError
from lamadesk.core.image_model import LoadedImage, OutputFormat, OutputPlan, SourceInfo
from lamadesk.core.paths import atomic_write

logger = logging.getLogger(__name__)

_JPEG_FORMATS = ("JPEG", "MPO")  # MPO: multi-picture JPEG that phones write as .jpg
_SAME_FORMAT = {
    "JPEG": "JPEG",
    "MPO": "JPEG",
    "PNG": "PNG",
    "WEBP": "WEBP",
    "TIFF": "TIFF",
    "BMP": "BMP",
}
_SUFFIXES = {
    "JPEG": (".jpg", ".jpeg", ".jpe", ".jfif"),
    "PNG": (".png",),
    "WEBP": (".webp",),
    "TIFF": (".tif", ".tiff"),
    "BMP": (".bmp",),
}
_ALPHA_FORMATS = ("PNG", "WEBP", "TIFF")
_ICC_SPACES = {True: "GRAY", False: "RGB"}  # keyed by grayscale output


def plan_output(image: LoadedImage, fmt: OutputFormat = OutputFormat.SAME) -> OutputPlan:
    """Decide format, depth, alpha and metadata handling for writing `image` as `fmt`.

    SAME keeps JPEG, PNG, WebP, TIFF and BMP; other sources (GIF, ICO, ...) become PNG, and
    BMP with transparency becomes PNG. JPEG has no alpha, so a transparent image is flattened
    onto white. Only PNG and TIFF keep 16 bits. WebP has no greyscale, so it gets RGB.
    """
    source, notes = image.source, []
    name = output_format(source.format, image.alpha is not None, fmt)
    if fmt is OutputFormat.SAME and source.format not in _SAME_FORMAT:
        notes.append(f"{source.format} is not written back; saved as PNG")
    elif fmt is OutputFormat.SAME and source.format == "BMP" and name == "PNG":
        notes.append("BMP keeps no transparency reliably; saved as PNG")
    keep_alpha = image.alpha is not None and name in _ALPHA_FORMATS
    if image.alpha is not None and not keep_alpha and int(image.alpha.min()) < 255:
        notes.append(f"{name} has no transparency: transparent areas are put on white")
    bits = 16 if image.high_depth is not None and name in ("PNG", "TIFF") else 8
    if image.high_depth is not None and bits == 8:
        notes.append(f"{name} holds 8 bits per channel: the 16-bit image is written at 8 bits")
    grayscale = source.grayscale and name != "WEBP"
    if source.grayscale and not grayscale:
        notes.append("WebP has no greyscale mode: written as RGB")
    if bits == 16 and name == "TIFF" and image.high_depth.shape[2] != 1:
        kind = "grey+alpha TIFF is written as RGBA" if grayscale else "colour TIFF is written"
        notes.append(f"16-bit {kind} without EXIF, ICC profile and DPI")
    keep_icc = bool(source.icc_profile)
    if keep_icc and fmts.icc_colour_space(source.icc_profile) != _ICC_SPACES[grayscale]:
        keep_icc = False
        space = fmts.icc_colour_space(source.icc_profile)
        notes.append(f"{space} ICC profile dropped: it does not describe the output colours")
    return OutputPlan(name, _SUFFIXES[name][0], bits, grayscale, keep_alpha, keep_icc, tuple(notes))


def output_format(source_format: str, has_alpha: bool, fmt: OutputFormat) -> str:
    """The Pillow format name `write_image` writes for a source of this format and alpha.

    The one place this decision is made, so a batch can name its files before decoding any
    (`output_names.plan_outputs` asks with what a file's header says).
    """
    if fmt is not OutputFormat.SAME:
        return fmt.value
    name = _SAME_FORMAT.get(source_format, "PNG")
    return "PNG" if name == "BMP" and has_alpha else name


def fit_suffix(destination: Path, format_name: str) -> Path:
    """`destination` with a suffix that fits `format_name` (a Pillow name from `output_format`).

    A fitting suffix is kept as it is; another image suffix is replaced by the format's own;
    anything else gets the format's suffix appended ("in.clean" -> "in.clean.png").
    """
    suffix = destination.suffix.lower()
    if suffix in _SUFFIXES[format_name]:
        return destination
    if suffix in Image.registered_extensions():
        return destination.with_suffix(_SUFFIXES[format_name][0])
    return destination.with_name(destination.name + _SUFFIXES[format_name][0])


def write_image(
    image: LoadedImage,
    destination: Path,
    *,
    fmt: OutputFormat = OutputFormat.SAME,
    overwrite: bool = False,
) -> Path:
    """Write `image` atomically as planned by `plan_output`; return the path written.

    Without `overwrite` the file is published with an exclusive move, so a file that appears
    at the destination while encoding (another run) is kept and `OutputExistsError` raised.

    If `destination`'s suffix does not fit the format, the format's suffix replaces a known
    image suffix or is appended (so a GIF source saved with SAME gives "name.png"). EXIF is
    kept with orientation reset to 1, the JPEG tables of a JPEG source are reused (else
    quality 95, 4:4:4), WebP is lossless when the source was lossless (else quality 95).

    Raises:
        OutputExistsError: The file exists (the source included), or appeared while writing,
            and `overwrite` is False.
        ImageWriteError: Encoding or writing failed (full disk, no permission); an existing
            file at the destination is left untouched and no partial file remains.
    """
    plan = plan_output(image, fmt)
    target = fit_suffix(Path(destination), plan.format)
    if not overwrite and (target.exists() or target.is_symlink()):
        raise OutputExistsError(target)
    try:
        data = _encode(image, plan)
    except (OSError, ValueError) as exc:
        raise ImageWriteError(target, f"cannot encode as {plan.format}: {exc}") from exc
    _write_file(target, data, overwrite)
    for note in plan.notes:
        logger.info("%s: %s", target, note)
    return target


def _encode(image: LoadedImage, plan: OutputPlan) -> bytes:
    source = image.source
    icc = source.icc_profile if plan.keep_icc else None
    exif = _output_exif(source)
    if plan.bits_per_channel == 16 and image.high_depth.shape[2] != 1:
        if plan.format == "TIFF":
            return fmts.encode_tiff16(image.high_depth)
        return fmts.encode_png16(image.high_depth, icc_profile=icc, exif=exif, dpi=source.dpi)
    if plan.bits_per_channel == 16:
        picture = Image.fromarray(np.ascontiguousarray(image.high_depth[..., 0]))
    else:
        picture = _pillow_image(image, plan)
    options: dict[str, object] = {}
    if icc:
        options["icc_profile"] = icc
    if exif and plan.format != "BMP":
        options["exif"] = exif
    if source.dpi and plan.format != "WEBP":
        options["dpi"] = source.dpi
    if plan.format == "JPEG":
        options.update(_jpeg_options(source))
    elif plan.format == "WEBP":
        lossless = source.webp_lossless if source.format == "WEBP" else _lossless_origin(source)
        options.update({"lossless": True, "exact": True} if lossless else {"quality": 95})
    elif plan.format == "TIFF":
        options["compression"] = "tiff_lzw"
    buffer = io.BytesIO()
    picture.save(buffer, format=plan.format, **options)
    return buffer.getvalue()


def _pillow_image(image: LoadedImage, plan: OutputPlan) -> Image.Image:
    rgb, alpha = image.rgb, image.alpha
    if alpha is not None and not plan.keep_alpha:
        rgb, alpha = fmts.composite_on_white(rgb, alpha), None
    if plan.grayscale:
        gray = fmts.to_gray(rgb)
        return Image.fromarray(gray if alpha is None else np.dstack([gray, alpha]))
    return Image.fromarray(rgb if alpha is None else np.dstack([rgb, alpha]))


def _jpeg_options(source: SourceInfo) -> dict[str, object]:
    if source.jpeg is None:
        return {"quality": 95, "subsampling": 0}
    options: dict[str, object] = {"qtables": [list(table) for table in source.jpeg.qtables]}
    if source.jpeg.subsampling >= 0:
        options["subsampling"] = source.jpeg.subsampling
    if source.jpeg.progressive:
        options["progressive"] = True
    return options


def _output_exif(source: SourceInfo) -> bytes | None:
    return fmts.exif_with_upright_orientation(source.exif) if source.exif else None


def _lossless_origin(source: SourceInfo) -> bool:
    """Whether the source kept exact pixels, so a WebP of it should too."""
    return source.format not in _JPEG_FORMATS


def _write_reason(exc: OSError) -> str:
    if exc.errno == errno.ENOSPC:
        return "the disk is full (no space left on device)"
    if isinstance(exc, PermissionError):
        return "permission denied"
    return exc.strerror or str(exc)


def write_mask(mask: np.ndarray, destination: Path, *, overwrite: bool = False) -> Path:
    """Write an (H, W) bool mask as a black-and-white PNG (white = remove), atomically.

    The format `lamadesk-cli remove --mask` and the app's mask import read back.

    Raises:
        OutputExistsError: The file exists, or appeared while writing, and `overwrite` is False.
        ImageWriteError: Writing failed; nothing is left behind.
    """
    if not overwrite and (destination.exists() or destination.is_symlink()):
        raise OutputExistsError(destination)
    buffer = io.BytesIO()
    Image.fromarray(mask.astype(np.uint8) * 255).save(buffer, format="PNG", optimize=True)
    _write_file(destination, buffer.getvalue(), overwrite)
    return destination


def _write_file(destination: Path, data: bytes, overwrite: bool) -> None:
    """Publish `data` atomically; without `overwrite`, never over a file that appeared since.

    The callers' early check saves encoding work; this is the check that counts, made by the
    final exclusive move itself (two runs writing one name: one wins, the other is told).
    """
    try:
        with atomic_write(destination, replace=overwrite) as handle:
            handle.write(data)
    except FileExistsError as exc:
        raise OutputExistsError(destination) from exc
    except OSError as exc:
        raise ImageWriteError(destination, _write_reason(exc)) from exc
