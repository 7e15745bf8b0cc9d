"""Opening and saving from the UI: output names, format mapping and the I/O jobs.

Saving never replaces the original: the default name is ``<name>.clean.<ext>`` beside it (or
in the chosen output folder), an existing file is replaced only after asking, and the
original itself is refused even then.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QImage

from lamadesk.core.cancel import CancelToken
from lamadesk.core.image_io import (
    IMAGE_EXTENSIONS,
    LoadedImage,
    OutputFormat,
    SourceInfo,
    plan_output,
    read_image,
    write_image,
)
from lamadesk.core.notes import Note
from lamadesk.core.own_files import clean_name
from lamadesk.ui.canvas.canvas_items import qimage_to_rgb
from lamadesk.ui.jobs.runner import Job, ProgressSink
from lamadesk.ui.settings.store import SaveFormat

_FORMATS = {
    SaveFormat.SAME: OutputFormat.SAME,
    SaveFormat.PNG: OutputFormat.PNG,
    SaveFormat.JPEG: OutputFormat.JPEG,
    SaveFormat.WEBP: OutputFormat.WEBP,
}


def output_format(choice: SaveFormat) -> OutputFormat:
    """The core's format for the settings' choice."""
    return _FORMATS[choice]


def is_image_file(path: Path) -> bool:
    """A file whose suffix the core reads (a quick check before opening it)."""
    return path.is_file() and path.suffix.lower() in IMAGE_EXTENSIONS


def default_save_path(
    image: LoadedImage, original: Path, choice: SaveFormat, folder: Path | None
) -> Path:
    """``<folder or original's folder>/<stem>.clean<suffix of the planned format>``."""
    suffix = plan_output(image, output_format(choice)).suffix
    return (folder or original.parent) / clean_name(original, suffix)


def same_file(first: Path, second: Path | None) -> bool:
    """Whether both paths name one file (symlinks and `..` resolved)."""
    if second is None:
        return False
    try:
        return first.resolve() == second.resolve()
    except OSError:
        return False


def pasted_image(image: QImage) -> LoadedImage:
    """A clipboard image as the core's image; it has no file, so Save asks for a name."""
    name = QCoreApplication.translate("file_ops", "pasted image") + ".png"
    return LoadedImage(
        qimage_to_rgb(image), None, SourceInfo(path=Path(name), format="PNG", mode="RGB")
    )


@dataclass(frozen=True)
class Opened:
    """Result of an open job."""

    path: Path
    image: LoadedImage


def open_job(path: Path) -> Job:
    """A job that reads `path` with the core's `read_image`."""

    def run(_sink: ProgressSink, _token: CancelToken) -> Opened:
        return Opened(path, read_image(path))

    return Job("open", run)


@dataclass(frozen=True)
class Saved:
    """Result of a save job: the file written and what was converted on the way."""

    path: Path
    notes: tuple[Note, ...]


def save_job(
    image: LoadedImage,
    rgb: np.ndarray,
    changed: np.ndarray,
    destination: Path,
    choice: SaveFormat,
    overwrite: bool,
) -> Job:
    """Write the edited pixels with the source's metadata (EXIF, ICC, JPEG tables)."""

    def run(_sink: ProgressSink, _token: CancelToken) -> Saved:
        edited = image.with_pixels(rgb, changed)
        fmt = output_format(choice)
        path = write_image(edited, destination, fmt=fmt, overwrite=overwrite)
        return Saved(path, plan_output(edited, fmt).notes)

    return Job("save", run)
