"""Byte- and array-level helpers behind `image_io`: orientation, EXIF, ICC, 16-bit PNG/TIFF.

Pillow reduces 16-bit colour images to 8 bits and cannot write them, so this module reads them
with OpenCV and writes 16-bit PNGs itself (keeping ICC, EXIF and DPI, which OpenCV would drop).
Nothing here knows about `LoadedImage`; `image_io` composes these pieces.
"""

from __future__ import annotations

import io
import struct
import zlib
from collections.abc import Iterator
from typing import BinaryIO

import cv2
import numpy as np
from PIL import Image

EXIF_HEADER = b"Exif\x00\x00"
ORIENTATION_TAG = 0x0112
_EXIF_IFD_TAG = 0x8769
_GPS_IFD_TAG = 0x8825
# Descriptive TIFF tags worth carrying from a TIFF source; layout tags (strips, bits, size,
# compression) must not be copied, the encoder writes its own.
_TIFF_DESCRIPTIVE_TAGS = (270, 271, 272, 305, 306, 315, 33432)
_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_PNG_COLOUR_TYPES = {1: 0, 2: 4, 3: 2, 4: 6}  # channels -> PNG colour type (G, GA, RGB, RGBA)
_ROWS_PER_BLOCK = 256


def orient(array: np.ndarray, orientation: int) -> np.ndarray:
    """Turn stored pixels upright for an EXIF orientation (1-8), like `ImageOps.exif_transpose`.

    Done in numpy rather than Pillow so 8-bit, 16-bit and alpha planes all get the same
    transform, including arrays OpenCV decoded (it ignores orientation with IMREAD_UNCHANGED).
    """
    transforms = {
        1: lambda a: a,
        2: lambda a: a[:, ::-1],
        3: lambda a: a[::-1, ::-1],
        4: lambda a: a[::-1],
        5: lambda a: a.swapaxes(0, 1),
        6: lambda a: np.rot90(a, -1),
        7: lambda a: a[::-1, ::-1].swapaxes(0, 1),
        8: lambda a: np.rot90(a, 1),
    }
    return np.ascontiguousarray(transforms[orientation](array))


def to_8bit(array: np.ndarray) -> np.ndarray:
    """Round 16-bit samples to the nearest 8-bit value (the inverse of `x * 257`)."""
    return ((array.astype(np.uint32) + 128) // 257).astype(np.uint8)


def to_gray(rgb: np.ndarray) -> np.ndarray:
    """Luma of an RGB array with Pillow's `convert("L")` weights, so results match Pillow."""
    return np.array(Image.fromarray(rgb).convert("L"))


def composite_on_white(rgb: np.ndarray, alpha: np.ndarray) -> np.ndarray:
    """Flatten transparency onto white, for formats without an alpha channel."""
    weight = alpha.astype(np.uint32)[..., None]
    blended = (rgb.astype(np.uint32) * weight + 255 * (255 - weight) + 127) // 255
    return blended.astype(np.uint8)


def icc_colour_space(icc_profile: bytes) -> str:
    """The data colour space in an ICC header ("RGB", "GRAY", "CMYK", ...), "" if unreadable."""
    return icc_profile[16:20].decode("ascii", errors="replace").strip()


def exif_with_upright_orientation(exif: bytes) -> bytes:
    """Return EXIF bytes (with the "Exif" header) whose orientation says 1 (upright).

    The pixels were already turned upright when reading, so a viewer must not turn them again.
    The orientation value is patched in place, leaving maker notes and offsets byte-identical;
    only if the block cannot be parsed does Pillow re-serialise it.
    """
    body = bytearray(exif.removeprefix(EXIF_HEADER))
    try:
        endian = {b"II": "<", b"MM": ">"}[bytes(body[:2])]
        (ifd,) = struct.unpack_from(endian + "I", body, 4)
        (count,) = struct.unpack_from(endian + "H", body, ifd)
        for index in range(count):
            entry = ifd + 2 + 12 * index
            tag, kind, _ = struct.unpack_from(endian + "HHI", body, entry)
            if tag == ORIENTATION_TAG and kind == 3:  # SHORT, stored inline
                struct.pack_into(endian + "H", body, entry + 8, 1)
    except (KeyError, struct.error):
        parsed = Image.Exif()
        parsed.load(bytes(body))
        if ORIENTATION_TAG in parsed:
            parsed[ORIENTATION_TAG] = 1
        return parsed.tobytes()
    return EXIF_HEADER + bytes(body)


def tiff_exif(tags: Image.Exif) -> bytes | None:
    """EXIF bytes holding a TIFF's descriptive tags and EXIF/GPS folders, None if there are none.

    A TIFF's tag directory also describes its pixel layout; copying that into another file
    would corrupt it, so only camera and authorship data is carried over.
    """
    kept = Image.Exif()
    for tag in _TIFF_DESCRIPTIVE_TAGS:
        if tag in tags:
            kept[tag] = tags[tag]
    for folder in (_EXIF_IFD_TAG, _GPS_IFD_TAG):
        values = tags.get_ifd(folder)
        if values:
            kept[folder] = values
    return kept.tobytes() if len(kept) else None


def webp_is_lossless(handle: BinaryIO) -> bool | None:
    """Whether a WebP file's (first) image is VP8L lossless; None if no image chunk is found.

    Pillow does not report this, but the RIFF chunk names say it exactly.
    """
    handle.seek(12)  # after "RIFF", size, "WEBP"
    while len(header := handle.read(8)) == 8:
        fourcc, size = header[:4], int.from_bytes(header[4:], "little")
        if fourcc == b"VP8L":
            return True
        if fourcc == b"VP8 ":
            return False
        if fourcc == b"ANMF":
            handle.seek(16, io.SEEK_CUR)  # frame header; the frame's own chunks follow
            continue
        handle.seek(size + (size & 1), io.SEEK_CUR)
    return None


def has_alpha(image: Image.Image) -> bool:
    """Whether an opened (not necessarily loaded) image has transparency to keep."""
    bands = image.getbands()
    return "A" in bands or "a" in bands or "transparency" in image.info


def high_depth_rawmode(image: Image.Image) -> str | None:
    """The raw mode of a 16-bit colour or grey+alpha image that Pillow would cut to 8 bits.

    Must be called before `load()` (which clears the tiles). 16-bit greyscale ("I;16") is not
    reported: Pillow keeps those samples exact.
    """
    if not image.tile or image.mode not in ("RGB", "RGBA", "LA"):
        return None
    args = image.tile[0].args
    rawmode = args if isinstance(args, str) else (args[0] if args else "")
    if not isinstance(rawmode, str) or ";16" not in rawmode:
        return None
    return rawmode.split(";")[0] + ";16"


def decode_16bit(data: bytes, gray_alpha: bool) -> np.ndarray | None:
    """Decode a 16-bit PNG/TIFF with OpenCV into (H, W, C) uint16 in RGB(A) or GA order.

    Returns None if OpenCV cannot decode it or it is not 16-bit after all.
    """
    array = cv2.imdecode(np.frombuffer(data, np.uint8), cv2.IMREAD_UNCHANGED)
    if array is None or array.dtype != np.uint16 or array.ndim != 3:
        return None
    if gray_alpha:  # OpenCV expands a grey+alpha PNG to BGRA with equal colour channels
        return np.ascontiguousarray(array if array.shape[2] == 2 else array[..., [0, 3]])
    order = [2, 1, 0, 3] if array.shape[2] == 4 else [2, 1, 0]
    return np.ascontiguousarray(array[..., order])


def encode_png16(
    pixels: np.ndarray,
    *,
    icc_profile: bytes | None,
    exif: bytes | None,
    dpi: tuple[float, float] | None,
) -> bytes:
    """Encode (H, W, C) uint16 (C = 1 G, 2 GA, 3 RGB, 4 RGBA) as a 16-bit PNG with metadata.

    Uses the PNG "Up" filter and compresses in row blocks so memory stays near one copy.
    """
    height, width, channels = pixels.shape
    header = struct.pack(">IIBBBBB", width, height, 16, _PNG_COLOUR_TYPES[channels], 0, 0, 0)
    parts = [_PNG_SIGNATURE, _png_chunk(b"IHDR", header)]
    if icc_profile:
        parts.append(_png_chunk(b"iCCP", b"ICC Profile\x00\x00" + zlib.compress(icc_profile)))
    if dpi:
        per_metre = [round(value / 0.0254) for value in dpi]
        parts.append(_png_chunk(b"pHYs", struct.pack(">IIB", *per_metre, 1)))
    if exif:
        parts.append(_png_chunk(b"eXIf", exif.removeprefix(EXIF_HEADER)))
    parts.extend(_png_chunk(b"IDAT", data) for data in _png_idat(pixels) if data)
    parts.append(_png_chunk(b"IEND", b""))
    return b"".join(parts)


def encode_tiff16(pixels: np.ndarray) -> bytes:
    """Encode (H, W, C) uint16 colour as an LZW TIFF with OpenCV (no metadata: it has no API)."""
    if pixels.shape[2] == 2:  # OpenCV has no grey+alpha TIFF: expand to RGBA
        pixels = pixels[..., [0, 0, 0, 1]]
    order = [2, 1, 0, 3] if pixels.shape[2] == 4 else [2, 1, 0]
    ok, encoded = cv2.imencode(".tiff", np.ascontiguousarray(pixels[..., order]))
    if not ok:
        raise ValueError("OpenCV could not encode the 16-bit TIFF")
    return encoded.tobytes()


def _png_idat(pixels: np.ndarray) -> Iterator[bytes]:
    height = pixels.shape[0]
    rows = pixels.astype(">u2").view(np.uint8).reshape(height, -1)
    compressor = zlib.compressobj(6)
    previous = np.zeros(rows.shape[1], np.uint8)
    for start in range(0, height, _ROWS_PER_BLOCK):
        block = rows[start : start + _ROWS_PER_BLOCK]
        above = np.vstack([previous[None], block[:-1]])
        filtered = np.empty((block.shape[0], block.shape[1] + 1), np.uint8)
        filtered[:, 0] = 2  # "Up": each byte minus the byte above, modulo 256
        np.subtract(block, above, out=filtered[:, 1:])
        previous = block[-1]
        yield compressor.compress(filtered.tobytes())
    yield compressor.flush()


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    crc = zlib.crc32(kind + data)
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)
