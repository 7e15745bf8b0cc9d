"""Read and write images without losing what the person did not ask to change.

Reading gives an upright 8-bit RGB working copy plus everything needed to write the result back
faithfully: alpha, EXIF, ICC profile, DPI, JPEG quantisation, and a 16-bit copy for 16-bit
sources so untouched pixels keep their exact values. Every conversion is stated in `notes`.
"""

from __future__ import annotations

import contextlib
import errno
import stat
import struct
import warnings
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

import numpy as np
from PIL import Image, JpegImagePlugin, UnidentifiedImageError

from lamadesk.core import colour, masks
from lamadesk.core import image_formats as fmts
from lamadesk.core.errors import ImageReadError
from lamadesk.core.image_model import (
    JpegSettings,
    LoadedImage,
    OutputFormat,
    OutputPlan,
    SourceInfo,
)
from lamadesk.core.image_write import plan_output, write_image
from lamadesk.core.notes import Note, NoteKind

__all__ = [
    "IMAGE_EXTENSIONS",
    "MAX_PIXELS",
    "JpegSettings",
    "LoadedImage",
    "OutputFormat",
    "OutputPlan",
    "SourceInfo",
    "plan_output",
    "read_image",
    "read_mask_image",
    "read_thumbnail",
    "write_image",
]

MAX_PIXELS = 178_956_970
"""Largest image accepted (about 179 MP), checked on the header before any decoding.

This is exactly where Pillow itself refuses to open a file (twice its default
`MAX_IMAGE_PIXELS`), so the two limits agree without touching Pillow's global; it still covers
150 MP medium-format photos. Such an image takes about 0.5 GB as RGB, 1 GB more if 16-bit.
"""

IMAGE_EXTENSIONS = (".png", ".jpg", ".jpeg", ".webp", ".bmp", ".tif", ".tiff")
"""Suffixes picked up when a folder is expanded. GIF is left out on purpose: it is read when
named explicitly, but a folder of animations would silently become still PNGs."""

_DECODE_ERRORS = (OSError, SyntaxError, ValueError, EOFError, struct.error, zlib.error)
_GRAY_MODES = ("1", "L", "LA", "La", "I", "F")


def read_image(path: Path) -> LoadedImage:
    """Decode an image fully, turn it upright and keep what is needed to save it faithfully.

    Raises:
        ImageReadError: Missing, empty, truncated, corrupt, unsupported or too large (more
            than `MAX_PIXELS`, checked on the header before decoding).
    """
    path = Path(path)
    with _opened(path) as (handle, image):
        try:
            return _decode(path, handle, image)
        except _DECODE_ERRORS as exc:
            raise ImageReadError(path, _truncated(exc)) from exc


def read_thumbnail(path: Path, max_side: int) -> np.ndarray:
    """A small upright `(H, W, 3)` uint8 preview whose longer side is at most `max_side`.

    The same reader as `read_image`, with its checks and errors, so a preview never shows a
    file that opening would refuse, and a broken file is an exception, not console noise.
    JPEGs decode at a reduced scale (`Image.draft`): a 24 MP photo costs a fraction of a
    full read. Alpha is dropped; smaller images are not enlarged.

    Raises:
        ImageReadError: As `read_image`.
    """
    path = Path(path)
    with _opened(path) as (_handle, image):
        try:
            image.draft(None, (max_side, max_side))
            image.load()
            orientation = _orientation(image)  # after load(): a PNG's eXIf may follow the pixels
            image.thumbnail((max_side, max_side))
            rgb = _pixels(image, [])[0]
        except _DECODE_ERRORS as exc:
            raise ImageReadError(path, _truncated(exc)) from exc
    return fmts.orient(rgb, orientation)


@contextlib.contextmanager
def _opened(path: Path) -> Iterator[tuple[BinaryIO, Image.Image]]:
    """Open `path` with Pillow, its header checked against `MAX_PIXELS`; nothing decoded yet.

    Raises:
        ImageReadError: Missing, empty, unsupported, unreadable header or too large.
    """
    try:
        status = path.stat()
        if stat.S_ISDIR(status.st_mode):
            raise IsADirectoryError(errno.EISDIR, "is a folder", str(path))
        handle = path.open("rb")
    except OSError as exc:
        raise ImageReadError(path, _read_reason(exc)) from exc
    with handle, warnings.catch_warnings():
        # Our own MAX_PIXELS check replaces Pillow's warning; its global is left alone.
        warnings.simplefilter("ignore", Image.DecompressionBombWarning)
        if status.st_size == 0:
            raise ImageReadError(path, Note(NoteKind.READ_EMPTY))
        try:
            opened = Image.open(handle)
        except UnidentifiedImageError as exc:
            raise ImageReadError(path, Note(NoteKind.READ_NOT_IMAGE)) from exc
        except Image.DecompressionBombError as exc:
            raise _too_large(path, _header_size(handle), _pillow_limit()) from exc
        except _DECODE_ERRORS as exc:
            raise ImageReadError(path, _truncated(exc)) from exc
        with opened as image:
            width, height = image.size
            if width * height > MAX_PIXELS:
                raise _too_large(path, image.size, MAX_PIXELS)
            yield handle, image


def read_mask_image(path: Path) -> np.ndarray:
    """Read a mask file as an (H, W) bool mask under `masks.binarize`'s rule.

    A 16-bit file is judged on its 16-bit samples: a label mask of ones would be all zero
    once rounded to 8 bits.

    Raises:
        ImageReadError: As `read_image`.
    """
    image = read_image(path)
    if image.high_depth is None:
        return masks.binarize(image.rgb, image.alpha)
    colours = 1 if image.source.grayscale else 3
    alpha = image.high_depth[..., colours] if image.high_depth.shape[2] > colours else None
    return masks.binarize(image.high_depth[..., :colours], alpha)


def _decode(path: Path, handle: BinaryIO, image: Image.Image) -> LoadedImage:
    # Reading notes say what reading did; what the output keeps is the output plan's to say.
    notes: list[Note] = []
    if getattr(image, "is_animated", False):
        notes.append(Note(NoteKind.FRAMES_FIRST_ONLY, {"format": image.format}))
    rawmode16 = fmts.high_depth_rawmode(image)  # tiles are gone after load()
    stored_orientation = _orientation(image)  # PNG loads here: its eXIf may follow the pixels
    image.load()
    # Pillow turns TIFFs upright while loading; what is still pending is the rest.
    pending = _orientation(image)
    orientation = pending if pending != 1 else stored_orientation
    icc_profile = image.info.get("icc_profile") or None
    cmyk = _managed_cmyk(image, icc_profile, notes)
    if rawmode16:
        handle.seek(0)
        grayscale = rawmode16 == "LA;16"
        high_depth = fmts.decode_16bit(handle.read(), grayscale)
        if high_depth is None or sorted(high_depth.shape[:2]) != sorted(image.size):
            raise ValueError("OpenCV could not decode the 16-bit pixels")
        high_depth = fmts.orient(high_depth, orientation)
        rgb, alpha = _split_16bit(high_depth, grayscale)
        notes.append(Note(NoteKind.SIXTEEN_BIT_EDITED_AT_8))
    elif cmyk is not None:
        cmyk = fmts.orient(cmyk, pending)
        rgb, alpha, high_depth, grayscale = colour.to_srgb(cmyk, icc_profile), None, None, False
    else:
        rgb, alpha, high_depth, grayscale = _pixels(image, notes)
        if high_depth is not None:
            high_depth = fmts.orient(high_depth, pending)
        rgb = fmts.orient(rgb, pending)
        alpha = None if alpha is None else fmts.orient(alpha, pending)
    if orientation != 1:
        notes.append(Note(NoteKind.ORIENTATION_APPLIED, {"orientation": orientation}))
    dpi = image.info.get("dpi")
    dpi = (float(dpi[0]), float(dpi[1])) if dpi and min(dpi) > 0 else None
    if dpi and orientation >= 5:  # a quarter turn swaps the axes
        dpi = (dpi[1], dpi[0])
    exif = _exif_bytes(image, notes)
    source = SourceInfo(
        path=path,
        format=image.format or "unknown",
        mode=rawmode16 or image.mode,
        bits_per_channel=16 if high_depth is not None else 8,
        grayscale=grayscale,
        orientation=orientation,
        exif=exif,
        icc_profile=icc_profile,
        dpi=dpi,
        jpeg=_jpeg_settings(image),
        webp_lossless=fmts.webp_is_lossless(handle) if image.format == "WEBP" else None,
        notes=tuple(notes),
    )
    return LoadedImage(rgb=rgb, alpha=alpha, source=source, high_depth=high_depth, cmyk=cmyk)


def _managed_cmyk(
    image: Image.Image, icc_profile: bytes | None, notes: list[Note]
) -> np.ndarray | None:
    """A CMYK image's samples if its profile can convert them, noting either way; else None.

    Pillow has already undone the inversion of Adobe (Photoshop) CMYK JPEGs.
    """
    if image.mode != "CMYK":
        return None
    problem = colour.profile_problem(icc_profile, "CMYK")
    if problem is not None:
        notes.append(Note(NoteKind.CMYK_UNMANAGED, {"problem": problem}))
        return None
    notes.append(Note(NoteKind.CMYK_MANAGED))
    return np.asarray(image)


def _pixels(
    image: Image.Image, notes: list[Note]
) -> tuple[np.ndarray, np.ndarray | None, np.ndarray | None, bool]:
    """Convert a loaded Pillow image to (rgb, alpha, high_depth, grayscale), noting changes."""
    mode = image.mode
    if mode.startswith("I;16") or mode == "I":
        values = np.asarray(image)
        if values.min(initial=0) < 0 or values.max(initial=0) > 65535:
            notes.append(Note(NoteKind.INT32_SCALED))
            values = _stretch(values.astype(np.float64), 65535)
        high = values.astype(np.uint16)[..., None]
        notes.append(Note(NoteKind.SIXTEEN_BIT_EDITED_AT_8))
        return np.repeat(fmts.to_8bit(high), 3, axis=2), None, high, True
    if mode == "F":
        values = np.nan_to_num(np.asarray(image, dtype=np.float64))
        in_unit_range = values.min(initial=0) >= 0 and values.max(initial=0) <= 1
        gray = np.rint(values * 255) if in_unit_range else _stretch(values, 255)
        notes.append(Note(NoteKind.FLOAT_NORMALISED))
        return np.repeat(gray.astype(np.uint8)[..., None], 3, axis=2), None, None, True
    has_alpha = fmts.has_alpha(image)
    grayscale = mode in _GRAY_MODES
    if mode == "1":
        notes.append(Note(NoteKind.ONE_BIT_TO_GREY))
    elif mode == "P":
        notes.append(Note(NoteKind.PALETTE_CONVERTED, {"mode": "RGBA" if has_alpha else "RGB"}))
    elif not grayscale and mode not in ("RGB", "RGBA", "CMYK"):  # CMYK: see _managed_cmyk
        notes.append(Note(NoteKind.MODE_CONVERTED, {"mode": mode}))
    target = ("LA" if has_alpha else "L") if grayscale else ("RGBA" if has_alpha else "RGB")
    array = np.asarray(image.convert(target) if image.mode != target else image)
    alpha = np.ascontiguousarray(array[..., -1]) if has_alpha else None
    if grayscale:
        gray = array[..., 0] if has_alpha else array
        return np.repeat(gray[..., None], 3, axis=2), alpha, None, True
    return np.ascontiguousarray(array[..., :3]), alpha, None, False


def _split_16bit(high_depth: np.ndarray, grayscale: bool) -> tuple[np.ndarray, np.ndarray | None]:
    low = fmts.to_8bit(high_depth)
    colour_channels = 1 if grayscale else 3
    rgb = np.repeat(low[..., :1], 3, axis=2) if grayscale else low[..., :3]
    alpha = low[..., colour_channels] if low.shape[2] > colour_channels else None
    return np.ascontiguousarray(rgb), None if alpha is None else np.ascontiguousarray(alpha)


def _orientation(image: Image.Image) -> int:
    """The EXIF orientation still to apply; 1 if absent, invalid or unreadable."""
    try:
        value = image.getexif().get(fmts.ORIENTATION_TAG, 1)
    except (KeyError, ValueError, TypeError, struct.error):
        return 1
    return value if isinstance(value, int) and 1 <= value <= 8 else 1


def _exif_bytes(image: Image.Image, notes: list[Note]) -> bytes | None:
    try:
        if image.format == "TIFF":
            return fmts.tiff_exif(image.getexif())
        data = image.info.get("exif")
    except (KeyError, ValueError, TypeError, struct.error, OSError):
        notes.append(Note(NoteKind.EXIF_DROPPED))
        return None
    if not data:
        return None
    return data if data.startswith(fmts.EXIF_HEADER) else fmts.EXIF_HEADER + data


def _jpeg_settings(image: Image.Image) -> JpegSettings | None:
    tables = getattr(image, "quantization", None)
    if not isinstance(image, JpegImagePlugin.JpegImageFile) or not tables:
        return None
    progressive = bool(image.info.get("progressive") or image.info.get("progression"))
    return JpegSettings(
        qtables=tuple(tuple(tables[key]) for key in sorted(tables)),
        subsampling=JpegImagePlugin.get_sampling(image),
        progressive=progressive,
    )


def _stretch(values: np.ndarray, top: int) -> np.ndarray:
    low, high = float(values.min(initial=0)), float(values.max(initial=0))
    if high <= low:
        return np.zeros(values.shape)
    return np.rint((values - low) / (high - low) * top)


def _header_size(handle: BinaryIO) -> tuple[int, int] | None:
    """The size a file's header claims, bypassing Pillow's bomb check (as `Image.open` does)."""
    Image.init()
    for format_id in Image.ID:
        factory, accept = Image.OPEN[format_id]
        handle.seek(0)
        if accept is not None and not accept(handle.read(16)):
            continue
        handle.seek(0)
        try:
            return factory(handle, "").size
        except (SyntaxError, IndexError, TypeError, ValueError, OSError, struct.error):
            continue
    return None


def _pillow_limit() -> int:
    """Pillow's own refusal point, lower than ours only if someone lowered its global."""
    pillow = Image.MAX_IMAGE_PIXELS
    return min(MAX_PIXELS, 2 * pillow) if pillow else MAX_PIXELS


def _too_large(path: Path, size: tuple[int, int] | None, limit: int) -> ImageReadError:
    if size is None:
        return ImageReadError(path, Note(NoteKind.READ_OVER_LIMIT, {"limit": limit / 1e6}))
    width, height = size
    facts = {"width": width, "height": height, "megapixels": width * height / 1e6}
    return ImageReadError(path, Note(NoteKind.READ_TOO_LARGE, {**facts, "limit": limit / 1e6}))


def _read_reason(exc: OSError) -> Note:
    if isinstance(exc, FileNotFoundError):
        return Note(NoteKind.READ_MISSING)
    if isinstance(exc, IsADirectoryError):
        return Note(NoteKind.READ_FOLDER)
    if isinstance(exc, PermissionError):
        return Note(NoteKind.PERMISSION_DENIED)
    return Note(NoteKind.SYSTEM_ERROR, {"detail": exc.strerror or str(exc)})


def _truncated(exc: Exception) -> Note:
    return Note(NoteKind.READ_TRUNCATED, {"detail": str(exc)})
