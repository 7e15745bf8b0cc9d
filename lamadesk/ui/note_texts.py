"""Core notes in the person's language: one translated template per `NoteKind`.

The templates say what `lamadesk.core.notes.ENGLISH` says, with the same placeholders, so the
English UI and the CLI agree; the `Notes` context of the catalog holds their translations.
"""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import QCoreApplication

from lamadesk.core.notes import Note, NoteKind

translate = QCoreApplication.translate


def templates() -> dict[NoteKind, str]:
    """Every kind's template in the current language (looked up anew: the language can change)."""
    return {
        NoteKind.FRAMES_FIRST_ONLY: translate(
            "Notes", "{format} has several frames: only the first is used"
        ),
        NoteKind.SIXTEEN_BIT_EDITED_AT_8: translate(
            "Notes", "16-bit image: edited pixels are computed at 8 bits"
        ),
        NoteKind.CMYK_MANAGED: translate(
            "Notes", "CMYK shown and edited as sRGB through its ICC profile"
        ),
        NoteKind.CMYK_UNMANAGED: translate(
            "Notes", "CMYK converted to RGB without colour management: {problem}"
        ),
        NoteKind.INT32_SCALED: translate("Notes", "32-bit integer image scaled to 16 bits"),
        NoteKind.FLOAT_NORMALISED: translate(
            "Notes", "32-bit float image normalised to 8-bit greyscale"
        ),
        NoteKind.ONE_BIT_TO_GREY: translate("Notes", "1-bit image converted to 8-bit greyscale"),
        NoteKind.PALETTE_CONVERTED: translate("Notes", "palette image converted to {mode}"),
        NoteKind.MODE_CONVERTED: translate("Notes", "{mode} converted to RGB"),
        NoteKind.ORIENTATION_APPLIED: translate("Notes", "EXIF orientation {orientation} applied"),
        NoteKind.EXIF_DROPPED: translate("Notes", "EXIF data is unreadable and was dropped"),
        NoteKind.PROFILE_MISSING: translate("Notes", "no ICC profile"),
        NoteKind.PROFILE_WRONG_SPACE: translate("Notes", "its ICC profile is for {space} colours"),
        NoteKind.PROFILE_UNREADABLE: translate("Notes", "its ICC profile cannot be read"),
        NoteKind.FORMAT_NOT_WRITTEN_BACK: translate(
            "Notes", "{format} is not written back; saved as PNG"
        ),
        NoteKind.BMP_SAVED_AS_PNG: translate(
            "Notes", "BMP keeps no transparency reliably; saved as PNG"
        ),
        NoteKind.ALPHA_ON_WHITE: translate(
            "Notes", "{format} has no transparency: transparent areas are put on white"
        ),
        NoteKind.WRITTEN_AT_8_BITS: translate(
            "Notes", "{format} holds 8 bits per channel: the 16-bit image is written at 8 bits"
        ),
        NoteKind.WEBP_GREY_AS_SRGB: translate(
            "Notes", "WebP has no greyscale mode: written as sRGB with an sRGB ICC profile"
        ),
        NoteKind.WEBP_GREY_AS_RGB: translate("Notes", "WebP has no greyscale mode: written as RGB"),
        NoteKind.TIFF16_GREY_ALPHA_NO_METADATA: translate(
            "Notes", "16-bit grey+alpha TIFF is written as RGBA without EXIF, ICC profile and DPI"
        ),
        NoteKind.TIFF16_COLOUR_NO_METADATA: translate(
            "Notes", "16-bit colour TIFF is written without EXIF, ICC profile and DPI"
        ),
        NoteKind.CMYK_WRITTEN: translate(
            "Notes", "edited pixels converted to CMYK through its ICC profile"
        ),
        NoteKind.CMYK_AS_SRGB: translate(
            "Notes", "{format} holds no CMYK: written as sRGB with an sRGB ICC profile"
        ),
        NoteKind.ICC_DROPPED: translate(
            "Notes", "{space} ICC profile dropped: it does not describe the output colours"
        ),
        NoteKind.OUTPUT_RENAMED: translate(
            "Notes", "named {name}: another input is written as the usual name"
        ),
        NoteKind.MASK_SCALED: translate(
            "Notes", "mask of {mask_width}×{mask_height} scaled to the image's {width}×{height}"
        ),
        NoteKind.MASK_EMPTY: translate("Notes", "mask is empty: nothing to do"),
        NoteKind.OOM_SMALLER_CROPS: translate(
            "Notes", "out of memory on {device}: retried in smaller crops"
        ),
        NoteKind.OOM_ON_CPU: translate(
            "Notes", "still out of memory on {device}: ran on the CPU instead"
        ),
        NoteKind.TEXT_FOUND: translate("Notes", "text: {count} region(s) found ({seconds:.1f} s)"),
        NoteKind.NO_TEXT_FOUND: translate("Notes", "no text found"),
        NoteKind.HAND_MASK_INPAINTED: translate("Notes", "mask drawn by hand: inpainted"),
        NoteKind.UNBLEND_DID_NOT_FIT: translate(
            "Notes",
            "undoing the blend did not fit this picture ({unexplained:.0f}% "
            "unexplained, outline match {leftover:.2f}): inpainted instead",
        ),
        NoteKind.BLEND_UNDONE_PART: translate(
            "Notes", "blend undone on {percent}% of the mark; the rest inpainted"
        ),
        NoteKind.BLEND_UNDONE_WHOLE: translate("Notes", "blend undone on the whole mark"),
        NoteKind.FEW_PICTURES: translate(
            "Notes",
            "only {readable} pictures: below {reliable} the mark found may be "
            "wrong; draw a box around the mark on one picture to guide the search",
        ),
        NoteKind.READ_TRUNCATED: translate("Notes", "file is truncated or corrupt ({detail})"),
        NoteKind.READ_EMPTY: translate("Notes", "file is empty"),
        NoteKind.READ_NOT_IMAGE: translate("Notes", "not an image format Pillow can read"),
        NoteKind.READ_TOO_LARGE: translate(
            "Notes",
            "image is too large: {width}×{height} = {megapixels:.4g} MP, limit {limit:.4g} MP",
        ),
        NoteKind.READ_OVER_LIMIT: translate("Notes", "image is too large: limit {limit:.4g} MP"),
        NoteKind.READ_MISSING: translate("Notes", "file does not exist"),
        NoteKind.READ_FOLDER: translate("Notes", "it is a folder, not a file"),
        NoteKind.WRITE_EXISTS: translate(
            "Notes", "the file exists; choose another name or allow overwriting"
        ),
        NoteKind.WRITE_DISK_FULL: translate("Notes", "the disk is full (no space left on device)"),
        NoteKind.WRITE_CANNOT_ENCODE: translate("Notes", "cannot encode as {format}: {detail}"),
        NoteKind.PERMISSION_DENIED: translate("Notes", "permission denied"),
        NoteKind.SYSTEM_ERROR: translate("Notes", "{detail}"),
    }


def note_text(note: Note) -> str:
    """`note` in the current language, its facts filled in after translation."""
    params = {
        name: note_text(value) if isinstance(value, Note) else value
        for name, value in note.params.items()
    }
    return templates()[note.kind].format(**params)


def notes_text(notes: Iterable[Note], separator: str = " ") -> str:
    """Several notes worded one after another."""
    return separator.join(note_text(note) for note in notes)
