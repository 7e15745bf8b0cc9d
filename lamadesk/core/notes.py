"""Typed notes: what core did or found that a person may want to know, as facts.

Core never words a note for people. A `Note` is a `NoteKind` and the facts that go with it;
`english` words it for the CLI and the log (`str(note)` does the same), and the UI words it
through its own translated templates (`lamadesk/ui/note_texts.py`). A fact may itself be a
`Note` (the reason inside a reason), and is then worded the same way.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import Enum


class NoteKind(Enum):
    """Every kind of note core can give; each has an English and a UI wording."""

    # Reading a file (`LoadedImage.notes`)
    FRAMES_FIRST_ONLY = "frames_first_only"
    SIXTEEN_BIT_EDITED_AT_8 = "sixteen_bit_edited_at_8"
    CMYK_MANAGED = "cmyk_managed"
    CMYK_UNMANAGED = "cmyk_unmanaged"
    INT32_SCALED = "int32_scaled"
    FLOAT_NORMALISED = "float_normalised"
    ONE_BIT_TO_GREY = "one_bit_to_grey"
    PALETTE_CONVERTED = "palette_converted"
    MODE_CONVERTED = "mode_converted"
    ORIENTATION_APPLIED = "orientation_applied"
    EXIF_DROPPED = "exif_dropped"
    # Why an ICC profile cannot convert samples (`colour.profile_problem`)
    PROFILE_MISSING = "profile_missing"
    PROFILE_WRONG_SPACE = "profile_wrong_space"
    PROFILE_UNREADABLE = "profile_unreadable"
    # Writing a file (`OutputPlan.notes`)
    FORMAT_NOT_WRITTEN_BACK = "format_not_written_back"
    BMP_SAVED_AS_PNG = "bmp_saved_as_png"
    ALPHA_ON_WHITE = "alpha_on_white"
    WRITTEN_AT_8_BITS = "written_at_8_bits"
    WEBP_GREY_AS_SRGB = "webp_grey_as_srgb"
    WEBP_GREY_AS_RGB = "webp_grey_as_rgb"
    TIFF16_GREY_ALPHA_NO_METADATA = "tiff16_grey_alpha_no_metadata"
    TIFF16_COLOUR_NO_METADATA = "tiff16_colour_no_metadata"
    CMYK_WRITTEN = "cmyk_written"
    CMYK_AS_SRGB = "cmyk_as_srgb"
    ICC_DROPPED = "icc_dropped"
    # Batches and inpainting
    OUTPUT_RENAMED = "output_renamed"
    MASK_SCALED = "mask_scaled"
    MASK_EMPTY = "mask_empty"
    OOM_SMALLER_CROPS = "oom_smaller_crops"
    OOM_ON_CPU = "oom_on_cpu"
    # Text found by the text detector
    TEXT_FOUND = "text_found"
    NO_TEXT_FOUND = "no_text_found"
    # Shared watermarks
    HAND_MASK_INPAINTED = "hand_mask_inpainted"
    UNBLEND_DID_NOT_FIT = "unblend_did_not_fit"
    BLEND_UNDONE_PART = "blend_undone_part"
    BLEND_UNDONE_WHOLE = "blend_undone_whole"
    FEW_PICTURES = "few_pictures"
    # Why a file cannot be read or written (`ImageReadError.reason`, `ImageWriteError.reason`)
    READ_TRUNCATED = "read_truncated"
    READ_EMPTY = "read_empty"
    READ_NOT_IMAGE = "read_not_image"
    READ_TOO_LARGE = "read_too_large"
    READ_OVER_LIMIT = "read_over_limit"
    READ_MISSING = "read_missing"
    READ_FOLDER = "read_folder"
    WRITE_EXISTS = "write_exists"
    WRITE_DISK_FULL = "write_disk_full"
    WRITE_CANNOT_ENCODE = "write_cannot_encode"
    PERMISSION_DENIED = "permission_denied"
    SYSTEM_ERROR = "system_error"


@dataclass(frozen=True)
class Note:
    """One fact for a person: its kind and the values its wording needs.

    Attributes:
        kind: What happened.
        params: The values the wordings fill in, by placeholder name (numbers stay numbers,
            a nested reason stays a `Note`). Not hashable; notes are compared, never hashed.
    """

    kind: NoteKind
    params: Mapping[str, object] = field(default_factory=dict)

    def __str__(self) -> str:
        return english(self)


ENGLISH: dict[NoteKind, str] = {
    NoteKind.FRAMES_FIRST_ONLY: "{format} has several frames: only the first is used",
    NoteKind.SIXTEEN_BIT_EDITED_AT_8: "16-bit image: edited pixels are computed at 8 bits",
    NoteKind.CMYK_MANAGED: "CMYK shown and edited as sRGB through its ICC profile",
    NoteKind.CMYK_UNMANAGED: "CMYK converted to RGB without colour management: {problem}",
    NoteKind.INT32_SCALED: "32-bit integer image scaled to 16 bits",
    NoteKind.FLOAT_NORMALISED: "32-bit float image normalised to 8-bit greyscale",
    NoteKind.ONE_BIT_TO_GREY: "1-bit image converted to 8-bit greyscale",
    NoteKind.PALETTE_CONVERTED: "palette image converted to {mode}",
    NoteKind.MODE_CONVERTED: "{mode} converted to RGB",
    NoteKind.ORIENTATION_APPLIED: "EXIF orientation {orientation} applied",
    NoteKind.EXIF_DROPPED: "EXIF data is unreadable and was dropped",
    NoteKind.PROFILE_MISSING: "no ICC profile",
    NoteKind.PROFILE_WRONG_SPACE: "its ICC profile is for {space} colours",
    NoteKind.PROFILE_UNREADABLE: "its ICC profile cannot be read",
    NoteKind.FORMAT_NOT_WRITTEN_BACK: "{format} is not written back; saved as PNG",
    NoteKind.BMP_SAVED_AS_PNG: "BMP keeps no transparency reliably; saved as PNG",
    NoteKind.ALPHA_ON_WHITE: "{format} has no transparency: transparent areas are put on white",
    NoteKind.WRITTEN_AT_8_BITS: (
        "{format} holds 8 bits per channel: the 16-bit image is written at 8 bits"
    ),
    NoteKind.WEBP_GREY_AS_SRGB: (
        "WebP has no greyscale mode: written as sRGB with an sRGB ICC profile"
    ),
    NoteKind.WEBP_GREY_AS_RGB: "WebP has no greyscale mode: written as RGB",
    NoteKind.TIFF16_GREY_ALPHA_NO_METADATA: (
        "16-bit grey+alpha TIFF is written as RGBA without EXIF, ICC profile and DPI"
    ),
    NoteKind.TIFF16_COLOUR_NO_METADATA: (
        "16-bit colour TIFF is written without EXIF, ICC profile and DPI"
    ),
    NoteKind.CMYK_WRITTEN: "edited pixels converted to CMYK through its ICC profile",
    NoteKind.CMYK_AS_SRGB: "{format} holds no CMYK: written as sRGB with an sRGB ICC profile",
    NoteKind.ICC_DROPPED: "{space} ICC profile dropped: it does not describe the output colours",
    NoteKind.OUTPUT_RENAMED: "named {name}: another input is written as the usual name",
    NoteKind.MASK_SCALED: (
        "mask of {mask_width}×{mask_height} scaled to the image's {width}×{height}"
    ),
    NoteKind.MASK_EMPTY: "mask is empty: nothing to do",
    NoteKind.OOM_SMALLER_CROPS: "out of memory on {device}: retried in smaller crops",
    NoteKind.OOM_ON_CPU: "still out of memory on {device}: ran on the CPU instead",
    NoteKind.TEXT_FOUND: "text: {count} region(s) found ({seconds:.1f} s)",
    NoteKind.NO_TEXT_FOUND: "no text found",
    NoteKind.HAND_MASK_INPAINTED: "mask drawn by hand: inpainted",
    NoteKind.UNBLEND_DID_NOT_FIT: (
        "undoing the blend did not fit this picture ({unexplained:.0f}% unexplained, "
        "outline match {leftover:.2f}): inpainted instead"
    ),
    NoteKind.BLEND_UNDONE_PART: "blend undone on {percent}% of the mark; the rest inpainted",
    NoteKind.BLEND_UNDONE_WHOLE: "blend undone on the whole mark",
    NoteKind.FEW_PICTURES: (
        "only {readable} pictures: below {reliable} the mark found may be wrong; "
        "draw a box around the mark on one picture to guide the search"
    ),
    NoteKind.READ_TRUNCATED: "file is truncated or corrupt ({detail})",
    NoteKind.READ_EMPTY: "file is empty",
    NoteKind.READ_NOT_IMAGE: "not an image format Pillow can read",
    NoteKind.READ_TOO_LARGE: (
        "image is too large: {width}×{height} = {megapixels:.4g} MP, limit {limit:.4g} MP"
    ),
    NoteKind.READ_OVER_LIMIT: "image is too large: limit {limit:.4g} MP",
    NoteKind.READ_MISSING: "file does not exist",
    NoteKind.READ_FOLDER: "it is a folder, not a file",
    NoteKind.WRITE_EXISTS: "the file exists; choose another name or allow overwriting",
    NoteKind.WRITE_DISK_FULL: "the disk is full (no space left on device)",
    NoteKind.WRITE_CANNOT_ENCODE: "cannot encode as {format}: {detail}",
    NoteKind.PERMISSION_DENIED: "permission denied",
    NoteKind.SYSTEM_ERROR: "{detail}",
}
"""English template per kind; `{name}` placeholders are the note's params."""


def english(note: Note) -> str:
    """The note in English, for the CLI and the log (nested notes worded the same way)."""
    return ENGLISH[note.kind].format(**note.params)
