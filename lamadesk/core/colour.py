"""Colour conversions through ICC profiles, done by littleCMS (Pillow's `ImageCms`).

Editing happens in sRGB. A CMYK source is shown and edited as sRGB converted through its own
embedded profile, and edited pixels go back to CMYK through the same profile, so a
colour-managed viewer shows untouched pixels as before; a greyscale image that must be
written as colour goes through its grey profile the same way. The intent is perceptual: it is
what browsers and GIMP use to show such a file (Chrome reads only a CMYK profile's perceptual
table), so the working copy looks like the original did; relative colorimetric would also
leave the darkest ink a dark grey instead of black.
"""

from __future__ import annotations

import functools
import io

import numpy as np
from PIL import Image, ImageCms

from lamadesk.core.image_formats import icc_colour_space
from lamadesk.core.notes import Note, NoteKind

_INTENT = ImageCms.Intent.PERCEPTUAL
_MODES = {"CMYK": "CMYK", "GRAY": "L"}  # ICC colour space -> Pillow mode of its samples


@functools.cache
def srgb_icc() -> bytes:
    """The sRGB profile of littleCMS, embedded in files whose pixels were converted to sRGB."""
    return ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()


def profile_problem(icc_profile: bytes | None, space: str) -> Note | None:
    """Why samples of `space` ("CMYK", "GRAY") cannot go through this profile; None if they can."""
    if not icc_profile:
        return Note(NoteKind.PROFILE_MISSING)
    found = icc_colour_space(icc_profile)
    if found != space:
        return Note(NoteKind.PROFILE_WRONG_SPACE, {"space": found or "unknown"})
    try:
        _transform(icc_profile, to_srgb=True)
    except (ImageCms.PyCMSError, OSError):  # OSError: lcms could not parse it
        return Note(NoteKind.PROFILE_UNREADABLE)
    return None


def to_srgb(samples: np.ndarray, icc_profile: bytes) -> np.ndarray:
    """Samples in the profile's colour space to (..., 3) uint8 sRGB.

    Args:
        samples: uint8, (..., 4) for a CMYK profile, (...) for a grey one.
        icc_profile: A profile `profile_problem` accepted.
    """
    mode = _MODES[icc_colour_space(icc_profile)]
    return _apply(samples, mode, "RGB", _transform(icc_profile, to_srgb=True))


def srgb_to_cmyk(rgb: np.ndarray, icc_profile: bytes) -> np.ndarray:
    """(..., 3) uint8 sRGB to (..., 4) uint8 CMYK samples for a CMYK `icc_profile`."""
    return _apply(rgb, "RGB", "CMYK", _transform(icc_profile, to_srgb=False))


def _apply(
    samples: np.ndarray, mode: str, out_mode: str, transform: ImageCms.ImageCmsTransform
) -> np.ndarray:
    channels = Image.getmodebands(mode)
    shape = samples.shape[:-1] if channels > 1 else samples.shape
    count = int(np.prod(shape))
    flat = np.ascontiguousarray(samples, dtype=np.uint8)
    picture = Image.frombytes(mode, (count, 1), flat.tobytes())
    converted = np.asarray(ImageCms.applyTransform(picture, transform))
    return converted.reshape(*shape, Image.getmodebands(out_mode))


@functools.lru_cache(maxsize=4)
def _transform(icc_profile: bytes, *, to_srgb: bool) -> ImageCms.ImageCmsTransform:
    profile = ImageCms.ImageCmsProfile(io.BytesIO(icc_profile))
    mode = _MODES[icc_colour_space(icc_profile)]
    srgb = ImageCms.createProfile("sRGB")
    if to_srgb:
        return ImageCms.buildTransform(profile, srgb, mode, "RGB", renderingIntent=_INTENT)
    return ImageCms.buildTransform(srgb, profile, "RGB", mode, renderingIntent=_INTENT)
