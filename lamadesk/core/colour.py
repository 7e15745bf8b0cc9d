"""Colour conversions through ICC profiles, done by littleCMS (Pillow's `ImageCms`).

Editing happens in sRGB. A CMYK source is shown and edited as sRGB converted through its own
embedded profile, and edited pixels go back to CMYK through the same profile, so a
colour-managed viewer shows untouched pixels as before. The intent is perceptual: it is what
browsers and GIMP use to show such a file (Chrome reads only a CMYK profile's perceptual
table), so the working copy looks like the original did; relative colorimetric would also
leave the darkest ink a dark grey instead of black.
"""

from __future__ import annotations

import functools
import io

import numpy as np
from PIL import Image, ImageCms

from lamadesk.core.image_formats import icc_colour_space

_INTENT = ImageCms.Intent.PERCEPTUAL


@functools.cache
def srgb_icc() -> bytes:
    """The sRGB profile of littleCMS, embedded in files whose pixels were converted to sRGB."""
    return ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()


def cmyk_profile_problem(icc_profile: bytes | None) -> str | None:
    """Why a CMYK image cannot be colour-managed with this profile; None if it can."""
    if not icc_profile:
        return "no ICC profile"
    if icc_colour_space(icc_profile) != "CMYK":
        return f"its ICC profile is for {icc_colour_space(icc_profile) or 'unknown'} colours"
    try:
        _transform(icc_profile, to_cmyk=False)
    except (ImageCms.PyCMSError, OSError):  # OSError: lcms could not parse it
        return "its ICC profile cannot be read"
    return None


def cmyk_to_srgb(cmyk: np.ndarray, icc_profile: bytes) -> np.ndarray:
    """(..., 4) uint8 CMYK samples through `icc_profile` to (..., 3) uint8 sRGB."""
    return _apply(cmyk, "CMYK", icc_profile, to_cmyk=False)


def srgb_to_cmyk(rgb: np.ndarray, icc_profile: bytes) -> np.ndarray:
    """(..., 3) uint8 sRGB to (..., 4) uint8 CMYK samples for `icc_profile`."""
    return _apply(rgb, "RGB", icc_profile, to_cmyk=True)


def _apply(pixels: np.ndarray, mode: str, icc_profile: bytes, *, to_cmyk: bool) -> np.ndarray:
    rows = np.ascontiguousarray(pixels.reshape(1, -1, pixels.shape[-1]))
    picture = Image.frombytes(mode, (rows.shape[1], 1), rows.tobytes())
    converted = ImageCms.applyTransform(picture, _transform(icc_profile, to_cmyk=to_cmyk))
    channels = 4 if to_cmyk else 3
    return np.asarray(converted).reshape(*pixels.shape[:-1], channels)


@functools.lru_cache(maxsize=4)
def _transform(icc_profile: bytes, *, to_cmyk: bool) -> ImageCms.ImageCmsTransform:
    cmyk = ImageCms.ImageCmsProfile(io.BytesIO(icc_profile))
    srgb = ImageCms.createProfile("sRGB")
    if to_cmyk:
        return ImageCms.buildTransform(srgb, cmyk, "RGB", "CMYK", renderingIntent=_INTENT)
    return ImageCms.buildTransform(cmyk, srgb, "CMYK", "RGB", renderingIntent=_INTENT)
