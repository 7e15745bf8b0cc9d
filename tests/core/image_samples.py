"""Odd test images, written into a test's tmp_path.

Built with Pillow and a tiny raw PNG writer of our own (not lamadesk's), so the code under test
never produces its own inputs. Pixel values are distinct per position, so a wrong rotation,
flip or channel order cannot go unnoticed.
"""

from __future__ import annotations

import io
import struct
import zlib
from pathlib import Path

import numpy as np
from PIL import Image, ImageCms

ORIENTATION = 0x0112
MAKE = 0x010F
EXIF_IFD = 0x8769
USER_COMMENT = 0x9286
DATA = Path(__file__).parent / "data"


def asymmetric_rgb(height: int = 4, width: int = 6) -> np.ndarray:
    """(H, W, 3) uint8 with every pixel different and no symmetry."""
    index = np.arange(height * width * 3, dtype=np.int64).reshape(height, width, 3)
    return ((index * 37 + 11) % 251).astype(np.uint8)


def asymmetric_u16(height: int, width: int, channels: int) -> np.ndarray:
    """(H, W, C) uint16 whose values are not multiples of 257 (so 8 bits cannot hold them)."""
    index = np.arange(height * width * channels, dtype=np.int64).reshape(height, width, channels)
    return ((index * 7919 + 1234) % 65521).astype(np.uint16)


def photo_rgb(height: int = 64, width: int = 96) -> np.ndarray:
    """Smooth gradients: JPEG keeps these close, so lossy round trips can be compared."""
    y, x = np.mgrid[0:height, 0:width]
    red = x * 255 // max(width - 1, 1)
    green = y * 255 // max(height - 1, 1)
    blue = (x + y) * 255 // (width + height - 2)
    return np.dstack([red, green, blue]).astype(np.uint8)


def exif_block(orientation: int | None = None, make: str = "lamadesk-test") -> bytes:
    """EXIF with a camera make, a user comment in the EXIF folder and an orientation."""
    exif = Image.Exif()
    exif[MAKE] = make
    if orientation is not None:
        exif[ORIENTATION] = orientation
    exif[EXIF_IFD] = {USER_COMMENT: b"ASCII\x00\x00\x00kept"}
    return exif.tobytes()


def srgb_icc() -> bytes:
    """A real sRGB ICC profile made by littleCMS."""
    return ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()


def fake_cmyk_icc() -> bytes:
    """Enough of an ICC header to say "CMYK"; embedded as opaque bytes, never parsed by lcms."""
    header = bytearray(128)
    header[0:4] = (128).to_bytes(4, "big")
    header[12:16] = b"prtr"
    header[16:20] = b"CMYK"
    header[20:24] = b"Lab "
    header[36:40] = b"acsp"
    return bytes(header)


def cmyk_icc() -> bytes:
    """A real CMYK print profile (FOGRA39 coated offset; where it comes from: data/README.md)."""
    return (DATA / "fogra39l_cmyk.icc").read_bytes()


def gray_icc() -> bytes:
    """A real grey profile, linear (gamma 1.0), unlike sRGB (see data/README.md)."""
    return (DATA / "gray.icc").read_bytes()


def cmyk_photo_jpeg(path: Path, *, embed_profile: bool = True) -> Path:
    """A CMYK JPEG as prepress software writes it, from `photo_rgb` separated for print.

    The colours go through the real CMYK profile (littleCMS); Pillow stores CMYK inverted
    with an Adobe APP14 marker, as Photoshop does. Quality 90, profile embedded unless told.
    """
    separated = ImageCms.profileToProfile(
        Image.fromarray(photo_rgb(96, 128)),
        ImageCms.createProfile("sRGB"),
        ImageCms.ImageCmsProfile(io.BytesIO(cmyk_icc())),
        outputMode="CMYK",
    )
    options: dict[str, object] = {"quality": 90}
    if embed_profile:
        options["icc_profile"] = cmyk_icc()
    separated.save(path, format="JPEG", **options)
    return path


def colour_managed_view(path: Path) -> np.ndarray:
    """(H, W, 3) uint8: what a colour-managed viewer shows of a file, in sRGB.

    The pixels go through the file's own embedded profile (sRGB if none) with the perceptual
    intent, the default of browsers and GIMP.
    """
    with Image.open(path) as image:
        icc = image.info.get("icc_profile")
        if not icc:
            return np.asarray(image.convert("RGB")).copy()
        shown = ImageCms.profileToProfile(
            image,
            ImageCms.ImageCmsProfile(io.BytesIO(icc)),
            ImageCms.createProfile("sRGB"),
            renderingIntent=ImageCms.Intent.PERCEPTUAL,
            outputMode="RGB",
        )
        return np.asarray(shown).copy()


def png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def raw_png(pixels: np.ndarray, extra_chunks: tuple[bytes, ...] = ()) -> bytes:
    """A 16-bit PNG of (H, W, C) uint16 (C = 1 G, 2 GA, 3 RGB, 4 RGBA), filter 0."""
    height, width, channels = pixels.shape
    colour_type = {1: 0, 2: 4, 3: 2, 4: 6}[channels]
    rows = pixels.astype(">u2").reshape(height, -1).view(np.uint8)
    raw = b"".join(b"\x00" + row.tobytes() for row in rows)
    header = struct.pack(">IIBBBBB", width, height, 16, colour_type, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + png_chunk(b"IHDR", header)
        + b"".join(extra_chunks)
        + png_chunk(b"IDAT", zlib.compress(raw))
        + png_chunk(b"IEND", b"")
    )


def write_png16(path: Path, pixels: np.ndarray, orientation: int | None = None) -> Path:
    """Write a 16-bit PNG, optionally with an eXIf chunk carrying an orientation."""
    chunks = ()
    if orientation is not None:
        chunks = (png_chunk(b"eXIf", exif_block(orientation).removeprefix(b"Exif\x00\x00")),)
    path.write_bytes(raw_png(pixels, chunks))
    return path


def claim_size(path: Path, width: int, height: int) -> Path:
    """Patch a PNG's IHDR to claim another size (fixing the CRC); the pixels stay small."""
    data = bytearray(path.read_bytes())
    data[16:24] = struct.pack(">II", width, height)
    data[29:33] = struct.pack(">I", zlib.crc32(bytes(data[12:29])))
    path.write_bytes(bytes(data))
    return path


def cut_in_half(path: Path) -> Path:
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    return path


def save(path: Path, picture: Image.Image | np.ndarray, **options: object) -> Path:
    """Save with Pillow; arrays become images first."""
    image = Image.fromarray(picture) if isinstance(picture, np.ndarray) else picture
    image.save(path, **options)
    return path


def animated_gif(path: Path) -> Path:
    """Two frames: red then blue."""
    frames = [Image.new("RGB", (8, 6), colour) for colour in ((255, 0, 0), (0, 0, 255))]
    frames[0].save(path, save_all=True, append_images=frames[1:], duration=100, loop=0)
    return path


def palette_image(transparent_index: int | None) -> Image.Image:
    """A 4×6 palette image using indices 0-3, one of which may be transparent."""
    image = Image.frombytes("P", (6, 4), (np.arange(24) % 4).astype(np.uint8).tobytes())
    image.putpalette([255, 0, 0, 0, 255, 0, 0, 0, 255, 255, 255, 255])
    if transparent_index is not None:
        image.info["transparency"] = transparent_index
    return image
