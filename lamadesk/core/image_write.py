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

from lamadesk.core import colour
from lamadesk.core import image_formats as fmts
from lamadesk.core.errors import ImageWriteError, OutputExistsError
from lamadesk.core.image_model import LoadedImage, OutputFormat, OutputPlan, SourceInfo
from lamadesk.core.notes import Note, NoteKind
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
_CMYK_FORMATS = ("JPEG", "TIFF")
_ICC_SPACES = {True: "GRAY", False: "RGB"}  # keyed by grayscale output


def plan_output(image: LoadedImage, fmt: OutputFormat = OutputFormat.SAME) -> OutputPlan:
    """Decide format, depth, alpha and metadata handling for writing `image` as `fmt`.

    SAME keeps JPEG, PNG, WebP, TIFF and BMP; other sources (GIF, ICO, ...) become PNG, and
    BMP with transparency becomes PNG. JPEG has no alpha, so a transparent image is flattened
    onto white. Only PNG and TIFF keep 16 bits. WebP has no greyscale, so it gets RGB, made
    through the grey profile if there is one. A CMYK source converted through its profile
    stays CMYK in JPEG and TIFF; PNG and WebP get the sRGB working copy with an sRGB profile.
    An ICC profile is embedded only where it describes the written pixels. The notes are the
    whole story of the write: callers report them (`write_image` only logs them).
    """
    source, notes = image.source, list[Note]()
    name = output_format(source.format, image.alpha is not None, fmt)
    if fmt is OutputFormat.SAME and source.format not in _SAME_FORMAT:
        notes.append(Note(NoteKind.FORMAT_NOT_WRITTEN_BACK, {"format": source.format}))
    elif fmt is OutputFormat.SAME and source.format == "BMP" and name == "PNG":
        notes.append(Note(NoteKind.BMP_SAVED_AS_PNG))
    keep_alpha = image.alpha is not None and name in _ALPHA_FORMATS
    if image.alpha is not None and not keep_alpha and int(image.alpha.min()) < 255:
        notes.append(Note(NoteKind.ALPHA_ON_WHITE, {"format": name}))
    bits = 16 if image.high_depth is not None and name in ("PNG", "TIFF") else 8
    if image.high_depth is not None and bits == 8:
        notes.append(Note(NoteKind.WRITTEN_AT_8_BITS, {"format": name}))
    grayscale = source.grayscale and name != "WEBP"
    gray_to_srgb = (
        source.grayscale
        and not grayscale
        and colour.profile_problem(source.icc_profile, "GRAY") is None
    )
    if source.grayscale and not grayscale:
        notes.append(
            Note(NoteKind.WEBP_GREY_AS_SRGB if gray_to_srgb else NoteKind.WEBP_GREY_AS_RGB)
        )
    if bits == 16 and name == "TIFF" and image.high_depth.shape[2] != 1:
        notes.append(
            Note(
                NoteKind.TIFF16_GREY_ALPHA_NO_METADATA
                if grayscale
                else NoteKind.TIFF16_COLOUR_NO_METADATA
            )
        )
    cmyk = image.cmyk is not None and name in _CMYK_FORMATS
    cmyk_to_srgb = image.cmyk is not None and not cmyk
    if cmyk:
        notes.append(Note(NoteKind.CMYK_WRITTEN))
    elif cmyk_to_srgb:
        notes.append(Note(NoteKind.CMYK_AS_SRGB, {"format": name}))
    srgb_icc = cmyk_to_srgb or gray_to_srgb
    space = fmts.icc_colour_space(source.icc_profile) if source.icc_profile else None
    keep_icc = space == ("CMYK" if cmyk else _ICC_SPACES[grayscale])
    if space is not None and not keep_icc and not srgb_icc:
        notes.append(Note(NoteKind.ICC_DROPPED, {"space": space}))
    return OutputPlan(
        name,
        _SUFFIXES[name][0],
        bits,
        grayscale,
        keep_alpha,
        keep_icc,
        tuple(notes),
        cmyk=cmyk,
        srgb_icc=srgb_icc,
    )


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
    What was converted on the way is `plan_output(image, fmt).notes`; callers that report to
    a person show those.

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
        reason = Note(NoteKind.WRITE_CANNOT_ENCODE, {"format": plan.format, "detail": str(exc)})
        raise ImageWriteError(target, reason) from exc
    _write_file(target, data, overwrite)
    for note in plan.notes:
        logger.info("%s: %s", target, note)
    return target


def _encode(image: LoadedImage, plan: OutputPlan) -> bytes:
    source = image.source
    icc = source.icc_profile if plan.keep_icc else (colour.srgb_icc() if plan.srgb_icc else None)
    exif = _output_exif(source)
    if plan.bits_per_channel == 16 and image.high_depth.shape[2] != 1:
        if plan.format == "TIFF":
            return fmts.encode_tiff16(image.high_depth)
        return fmts.encode_png16(image.high_depth, icc_profile=icc, exif=exif, dpi=source.dpi)
    if plan.bits_per_channel == 16:
        picture = Image.fromarray(np.ascontiguousarray(image.high_depth[..., 0]))
    elif plan.cmyk:
        height, width = image.cmyk.shape[:2]
        picture = Image.frombytes("CMYK", (width, height), image.cmyk.tobytes())
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
    if plan.srgb_icc and image.source.grayscale:  # grey written as colour, through its profile
        rgb = colour.to_srgb(fmts.to_gray(rgb), image.source.icc_profile)
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


def _write_reason(exc: OSError) -> Note:
    if exc.errno == errno.ENOSPC:
        return Note(NoteKind.WRITE_DISK_FULL)
    if isinstance(exc, PermissionError):
        return Note(NoteKind.PERMISSION_DENIED)
    return Note(NoteKind.SYSTEM_ERROR, {"detail": exc.strerror or str(exc)})


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
