"""Typed failures raised by the core.

Each exception carries the facts a person needs (path, expected and actual values, reason)
so the CLI and the UI can word the message themselves instead of parsing strings.
"""

from __future__ import annotations

from pathlib import Path

from lamadesk.core.notes import Note, NoteKind


class LamadeskError(Exception):
    """Base class: every failure the core expects to happen in real use."""


class JobCancelled(LamadeskError):  # noqa: N818 - a cancel is not an error
    """The person cancelled the job; nothing was written."""

    def __init__(self) -> None:
        super().__init__("cancelled")


class ImageReadError(LamadeskError):
    """An image file could not be decoded (missing, empty, truncated, corrupt, too large).

    `reason` is a `Note` (``READ_*``, ``PERMISSION_DENIED``, ``SYSTEM_ERROR``), so the UI can
    word it.
    """

    def __init__(self, path: Path, reason: Note) -> None:
        super().__init__(f"cannot read image {path}: {reason}")
        self.path = path
        self.reason = reason


class ImageWriteError(LamadeskError):
    """An output image could not be written; the destination was left untouched.

    `reason` is a `Note` (``WRITE_*``, ``PERMISSION_DENIED``, ``SYSTEM_ERROR``), so the UI can
    word it.
    """

    def __init__(self, path: Path, reason: Note) -> None:
        super().__init__(f"cannot write image {path}: {reason}")
        self.path = path
        self.reason = reason


class OutputExistsError(ImageWriteError):
    """Writing would replace an existing file (or the original) without permission."""

    def __init__(self, path: Path) -> None:
        super().__init__(path, Note(NoteKind.WRITE_EXISTS))


class MaskError(LamadeskError):
    """A mask is unusable (unreadable, wrong shape that cannot be scaled, ...)."""


class MaskCoversImageError(MaskError):
    """The mask, as the model would see it, covers every pixel: nothing is left to fill from.

    OpenCV would hand the picture back unchanged and LaMa would invent one unrelated to the
    photo; neither removes anything, so the file fails instead of being reported done.
    """

    def __init__(self) -> None:
        super().__init__("the mask covers the whole image: nothing is left to fill it from")


class ModelError(LamadeskError):
    """Base class for model store and model loading failures."""


class UnknownModelError(ModelError):
    """A model name that the store does not know."""

    def __init__(self, name: str, known: tuple[str, ...]) -> None:
        super().__init__(f"unknown model {name!r}; known models: {', '.join(known)}")
        self.name = name
        self.known = known


class ModelNotInstalledError(ModelError):
    """The weights of a model are not in the model store."""

    def __init__(self, name: str, path: Path) -> None:
        super().__init__(
            f"model {name!r} is not installed (expected at {path}); run "
            f"'lamadesk-cli models download {name}' or "
            f"'lamadesk-cli models import {name} FILE'"
        )
        self.name = name
        self.path = path


class ModelChecksumError(ModelError):
    """A model file's checksum differs from the published one."""

    def __init__(self, path: Path, expected: str, actual: str) -> None:
        super().__init__(f"checksum mismatch for {path}: expected md5 {expected}, got {actual}")
        self.path = path
        self.expected = expected
        self.actual = actual


class ModelLoadError(ModelError):
    """A model file exists but cannot be loaded (wrong format, wrong keys, broken archive)."""

    def __init__(self, path: Path, reason: str) -> None:
        super().__init__(f"cannot load model {path}: {reason}")
        self.path = path
        self.reason = reason


class ModelArchiveError(ModelLoadError):
    """A model file is not an intact zip archive (not a zip, truncated, or a bad member CRC).

    No engine may run it: each would run the damaged bytes. The message names the fix.
    """

    def __init__(self, path: Path, reason: str) -> None:
        ModelError.__init__(
            self,
            f"model file {path} is damaged or not a model file ({reason}); download it again "
            "('lamadesk-cli models download lama') or import a good copy "
            "('lamadesk-cli models import lama FILE')",
        )
        self.path = path
        self.reason = reason


class NotBigLamaError(ModelLoadError):
    """A readable archive whose tensors are not exactly big-lama's (keys, shapes, dtypes).

    Attributes:
        missing: big-lama keys the file lacks, in big-lama's order.
        unexpected: Keys big-lama does not have, sorted.
        mismatch: The first key of the right name with the wrong shape, dtype or type, worded.
    """

    def __init__(
        self,
        path: Path,
        missing: tuple[str, ...],
        unexpected: tuple[str, ...],
        mismatch: str | None = None,
    ) -> None:
        parts = []
        if missing:
            parts.append(f"{len(missing)} missing keys (first: {missing[0]})")
        if unexpected:
            parts.append(f"{len(unexpected)} unexpected keys (first: {unexpected[0]})")
        if mismatch:
            parts.append(mismatch)
        super().__init__(path, "not a big-lama file: " + ", ".join(parts))
        self.missing = missing
        self.unexpected = unexpected
        self.mismatch = mismatch


class DownloadError(ModelError):
    """A download failed; a partial file may be kept for resuming."""

    def __init__(self, url: str, reason: str) -> None:
        super().__init__(f"download of {url} failed: {reason}")
        self.url = url
        self.reason = reason


class NetworkUnavailableError(DownloadError):
    """The server cannot be reached at all; the message names the import alternative."""

    def __init__(self, url: str, reason: str, model: str) -> None:
        super().__init__(
            url,
            f"{reason}. No network? Download the file elsewhere and run "
            f"'lamadesk-cli models import {model} FILE'",
        )
        self.model = model


class ModelSizeError(ModelError):
    """A model file has the wrong size: a half-copied or truncated file must never be loaded."""

    def __init__(self, path: Path, expected: int, actual: int) -> None:
        super().__init__(
            f"model file {path} has {actual:,} bytes, expected {expected:,} "
            "(incomplete copy or download?); download or import it again"
        )
        self.path = path
        self.expected = expected
        self.actual = actual


class ModelImportError(ModelError):
    """A file offered for import cannot be read (missing, a folder, no permission)."""

    def __init__(self, path: Path, reason: str) -> None:
        super().__init__(f"cannot import {path}: {reason}")
        self.path = path
        self.reason = reason


class NotEnoughSpaceError(ModelError):
    """The disk holding the model store has too little free space for a download or import."""

    def __init__(self, folder: Path, needed: int, available: int) -> None:
        super().__init__(
            f"not enough free space in {folder}: {needed:,} bytes needed, {available:,} available"
        )
        self.folder = folder
        self.needed = needed
        self.available = available


class DeviceUnavailableError(LamadeskError):
    """A requested compute device cannot be used at all (even after fallbacks)."""

    def __init__(self, device: str, reason: str) -> None:
        super().__init__(f"device {device} is unavailable: {reason}")
        self.device = device
        self.reason = reason


class WatermarkError(LamadeskError):
    """The shared watermark could not be found or removed in a batch or a picture."""


class TooFewPicturesError(WatermarkError):
    """Finding a shared mark needs several pictures: the median needs a majority."""

    def __init__(self, usable: int, needed: int) -> None:
        super().__init__(
            f"finding a shared watermark needs at least {needed} readable pictures (got {usable})"
        )
        self.usable = usable
        self.needed = needed


class NoSharedMarkError(WatermarkError):
    """The pictures share no structure that stands out: no common mark was found."""

    def __init__(self, count: int) -> None:
        super().__init__(
            f"no watermark shared by the {count} pictures was found; draw a box around it "
            "on one picture to guide the search"
        )
        self.count = count


class MarkNotInPictureError(WatermarkError):
    """The shared mark was found in the batch but not in this picture."""

    def __init__(self, confidence: float) -> None:
        super().__init__(
            f"the shared watermark was not found in this picture (match {confidence:.2f})"
        )
        self.confidence = confidence
