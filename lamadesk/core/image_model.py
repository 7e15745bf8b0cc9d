"""The data an image carries through lamadesk: pixels, source facts and the output plan.

Kept apart from `image_io` (which reads and writes files) so the types can be imported and
built in tests without touching codecs. `image_io` re-exports them.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

from lamadesk.core.colour import srgb_to_cmyk
from lamadesk.core.image_formats import to_gray
from lamadesk.core.notes import Note


class OutputFormat(enum.Enum):
    """File format of a written result; SAME follows the source (see `plan_output`)."""

    SAME = "SAME"
    PNG = "PNG"
    JPEG = "JPEG"
    WEBP = "WEBP"


@dataclass(frozen=True)
class JpegSettings:
    """How the source JPEG was compressed, so a re-save keeps its quality instead of guessing.

    Attributes:
        qtables: Quantisation tables (64 values each) for Pillow's `qtables=`.
        subsampling: Pillow's `subsampling=` code (0 = 4:4:4, 1 = 4:2:2, 2 = 4:2:0), -1 if
            the file has none (greyscale, CMYK) and Pillow's default applies.
        progressive: Whether the source was progressive.
    """

    qtables: tuple[tuple[int, ...], ...]
    subsampling: int
    progressive: bool


@dataclass(frozen=True)
class SourceInfo:
    """Facts about the file as read, needed to write the result back the same way.

    Attributes:
        path: The file that was read.
        format: Pillow's format name ("JPEG", "PNG", "WEBP", "TIFF", "BMP", "GIF", "MPO", ...).
        mode: Pillow's mode, or "RGB;16"/"RGBA;16"/"LA;16" for 16-bit colour or grey+alpha.
        bits_per_channel: 16 when a 16-bit copy is kept (see `LoadedImage.high_depth`), else 8.
        grayscale: The source had no colour, so results are written back as greyscale.
        orientation: The EXIF orientation (1-8) that was applied to the pixels.
        exif: Raw EXIF with its "Exif" header as found (orientation still the original).
        icc_profile: Embedded ICC profile, if any.
        dpi: Resolution (x, y) for the upright image, if the file stated one.
        jpeg: Compression settings when the source was a JPEG.
        webp_lossless: For WebP sources, whether the image was lossless (VP8L).
        notes: What was converted while reading.
    """

    path: Path
    format: str
    mode: str
    bits_per_channel: int = 8
    grayscale: bool = False
    orientation: int = 1
    exif: bytes | None = None
    icc_profile: bytes | None = None
    dpi: tuple[float, float] | None = None
    jpeg: JpegSettings | None = None
    webp_lossless: bool | None = None
    notes: tuple[Note, ...] = ()


@dataclass(frozen=True, eq=False)
class LoadedImage:
    """An upright image ready for editing, with what is needed to save it faithfully.

    The arrays are read-only views: edits go through `with_pixels`, which is what keeps the
    16-bit and CMYK copies in step with the 8-bit working copy.

    Attributes:
        rgb: (H, W, 3) uint8 working copy.
        alpha: (H, W) uint8 transparency, None if the source had none.
        source: Facts about the file that was read.
        high_depth: (H, W, C) uint16 copy of a 16-bit source (C = 1 grey, 2 grey+alpha, 3 RGB,
            4 RGBA), written instead of `rgb`/`alpha` to formats that hold 16 bits. It lives
            here rather than in `source` because edits change it.
        cmyk: (H, W, 4) uint8 samples of a CMYK source whose ICC profile (`source.icc_profile`)
            `rgb` was converted through, written instead of `rgb` to formats that hold CMYK,
            so untouched pixels keep their exact ink values.
    """

    rgb: np.ndarray
    alpha: np.ndarray | None
    source: SourceInfo
    high_depth: np.ndarray | None = None
    cmyk: np.ndarray | None = None

    def __post_init__(self) -> None:
        height, width = self.rgb.shape[:2]
        if self.rgb.dtype != np.uint8 or self.rgb.shape != (height, width, 3):
            raise ValueError(f"rgb must be (H, W, 3) uint8, got {self.rgb.shape} {self.rgb.dtype}")
        if self.alpha is not None and (
            self.alpha.dtype != np.uint8 or self.alpha.shape != (height, width)
        ):
            raise ValueError(f"alpha must be ({height}, {width}) uint8")
        if self.high_depth is not None and (
            self.high_depth.dtype != np.uint16
            or self.high_depth.ndim != 3
            or self.high_depth.shape[:2] != (height, width)
        ):
            raise ValueError(f"high_depth must be ({height}, {width}, C) uint16")
        if self.cmyk is not None and (
            self.cmyk.dtype != np.uint8 or self.cmyk.shape != (height, width, 4)
        ):
            raise ValueError(f"cmyk must be ({height}, {width}, 4) uint8")
        for name in ("rgb", "alpha", "high_depth", "cmyk"):
            object.__setattr__(self, name, _read_only(getattr(self, name)))

    @property
    def notes(self) -> tuple[Note, ...]:
        """What was converted while reading (shorthand for `source.notes`)."""
        return self.source.notes

    def with_pixels(self, rgb: np.ndarray, changed: np.ndarray) -> LoadedImage:
        """Return a copy whose working pixels are `rgb`, and 16-bit pixels change only where told.

        Args:
            rgb: (H, W, 3) uint8 edited image, same size as `self.rgb`.
            changed: (H, W) bool, True where `rgb` was edited. The 16-bit copy takes the
                edited 8-bit values (times 257) there and keeps its exact values elsewhere;
                the CMYK copy takes the edited colours converted through the source's profile
                there; alpha is never touched.

        Raises:
            ValueError: Shapes or dtypes do not match.
        """
        if rgb.shape != self.rgb.shape or rgb.dtype != np.uint8:
            raise ValueError(f"rgb must be {self.rgb.shape} uint8, got {rgb.shape} {rgb.dtype}")
        if changed.shape != rgb.shape[:2] or changed.dtype != np.bool_:
            raise ValueError(f"changed must be {rgb.shape[:2]} bool")
        high_depth = self.high_depth
        if high_depth is not None:
            colour = to_gray(rgb)[..., None] if self.source.grayscale else rgb
            high_depth = high_depth.copy()
            high_depth[changed, : colour.shape[2]] = colour[changed].astype(np.uint16) * 257
        cmyk = self.cmyk
        if cmyk is not None and changed.any():
            cmyk = cmyk.copy()
            cmyk[changed] = srgb_to_cmyk(rgb[changed], self.source.icc_profile)
        return replace(self, rgb=rgb, high_depth=high_depth, cmyk=cmyk)


@dataclass(frozen=True)
class OutputPlan:
    """What `write_image` will write for an image and format, decided before any encoding.

    Attributes:
        format: Pillow format name actually written ("PNG", "JPEG", "WEBP", "TIFF", "BMP").
        suffix: Default file suffix for that format.
        bits_per_channel: 16 if the 16-bit copy is written, else 8.
        grayscale: Written as greyscale.
        keep_alpha: The alpha channel is written (else composited on white if not opaque).
        keep_icc: The source's ICC profile is embedded.
        notes: What differs from the source, one per conversion.
        cmyk: The CMYK copy is written (with the source's profile).
        srgb_icc: An sRGB profile is embedded: the pixels were converted to sRGB through the
            source's profile.
    """

    format: str
    suffix: str
    bits_per_channel: int
    grayscale: bool
    keep_alpha: bool
    keep_icc: bool
    notes: tuple[Note, ...]
    cmyk: bool = False
    srgb_icc: bool = False


def _read_only(array: np.ndarray | None) -> np.ndarray | None:
    """A non-writable view, so a frozen image cannot be edited behind `with_pixels`' back."""
    if array is None:
        return None
    view = array.view()
    view.flags.writeable = False
    return view
