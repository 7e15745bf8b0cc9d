"""Turning failures into words for people (STYLE §6).

`describe` maps each core error type to translated text built from the facts it carries;
`show_error` is the one dialog for failures; `install_excepthook` catches what nobody
expected, logs it and shows a dialog that points at the log file instead of a traceback.
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path
from types import TracebackType

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from lamadesk.core.errors import (
    DeviceUnavailableError,
    DownloadError,
    ImageReadError,
    ImageWriteError,
    LamadeskError,
    MarkNotInPictureError,
    MaskCoversImageError,
    MaskError,
    ModelArchiveError,
    ModelChecksumError,
    ModelImportError,
    ModelLoadError,
    ModelNotInstalledError,
    ModelSizeError,
    NetworkUnavailableError,
    NoSharedMarkError,
    NotBigLamaError,
    NotEnoughSpaceError,
    OutputExistsError,
    TooFewPicturesError,
)
from lamadesk.core.models.base import DeviceOutOfMemoryError
from lamadesk.core.models.ppocr import TextDetectorWeightsError
from lamadesk.ui.note_texts import note_text

log = logging.getLogger(__name__)


def _mib(size: int) -> str:
    return f"{size / 2**20:,.1f} MiB"


def describe(error: BaseException) -> str:
    """One or two translated sentences about `error`, with its facts filled in."""
    if isinstance(error, OutputExistsError):
        return QCoreApplication.translate(
            "errors", "{path} already exists and was not replaced."
        ).format(path=error.path)
    if isinstance(error, ImageReadError):
        return QCoreApplication.translate("errors", "Cannot open {path}: {reason}.").format(
            path=error.path, reason=note_text(error.reason)
        )
    if isinstance(error, ImageWriteError):
        return QCoreApplication.translate(
            "errors", "Cannot save {path}: {reason}. Nothing was overwritten."
        ).format(path=error.path, reason=note_text(error.reason))
    if isinstance(error, NetworkUnavailableError):
        return QCoreApplication.translate(
            "errors",
            "Cannot reach the download server ({url}). Download the file on another computer "
            "and choose “Import model file…”.",
        ).format(url=error.url)
    if isinstance(error, DownloadError):
        return QCoreApplication.translate(
            "errors", "The download failed: {reason}. It resumes where it stopped next time."
        ).format(reason=error.reason)
    if isinstance(error, ModelChecksumError):
        return QCoreApplication.translate(
            "errors",
            "{path} is not the expected model file (checksum {actual}, expected {expected}).",
        ).format(path=error.path, actual=error.actual, expected=error.expected)
    if isinstance(error, ModelSizeError):
        return QCoreApplication.translate(
            "errors",
            "The model file {path} is incomplete ({actual} instead of {expected}). "
            "Download or import it again.",
        ).format(path=error.path, actual=_mib(error.actual), expected=_mib(error.expected))
    if isinstance(error, ModelNotInstalledError):
        return QCoreApplication.translate(
            "errors", "The LaMa model is not installed (expected at {path})."
        ).format(path=error.path)
    if isinstance(error, ModelArchiveError):
        return QCoreApplication.translate(
            "errors",
            "The model file {path} is damaged or not a model file ({reason}). Download the "
            "model again, or import a good copy with “Import model file…”.",
        ).format(path=error.path, reason=error.reason)
    if isinstance(error, NotBigLamaError):
        return QCoreApplication.translate(
            "errors",
            "{path} cannot be used as the LaMa model: {reason}. Import the big-lama.pt file, "
            "or download the model.",
        ).format(path=error.path, reason=error.reason)
    if isinstance(error, ModelLoadError):
        return QCoreApplication.translate(
            "errors", "The model {path} cannot be loaded: {reason}."
        ).format(path=error.path, reason=error.reason)
    if isinstance(error, ModelImportError):
        return QCoreApplication.translate("errors", "Cannot import {path}: {reason}.").format(
            path=error.path, reason=error.reason
        )
    if isinstance(error, NotEnoughSpaceError):
        return QCoreApplication.translate(
            "errors", "Not enough free space in {folder}: {needed} needed, {available} free."
        ).format(folder=error.folder, needed=_mib(error.needed), available=_mib(error.available))
    if isinstance(error, DeviceOutOfMemoryError):
        return QCoreApplication.translate(
            "errors",
            "Out of memory on {device}. Try the “Crop” strategy or a smaller mask, "
            "or choose the CPU in Settings.",
        ).format(device=error.device)
    if isinstance(error, DeviceUnavailableError):
        return QCoreApplication.translate(
            "errors", "The device {device} cannot be used: {reason}."
        ).format(device=error.device, reason=error.reason)
    if isinstance(error, TextDetectorWeightsError):
        return QCoreApplication.translate(
            "errors",
            "The text detector's model file is missing or damaged ({path}). Reinstall "
            "lamadesk to get it back; painting and removing work without it.",
        ).format(path=error.path or "rapidocr")
    if isinstance(error, MaskCoversImageError):
        return QCoreApplication.translate(
            "errors",
            "The mask covers the whole image, so nothing is left to fill it from. "
            "Leave part of the picture unpainted.",
        )
    if isinstance(error, MaskError):
        return QCoreApplication.translate("errors", "The mask cannot be used: {reason}.").format(
            reason=str(error)
        )
    if isinstance(error, TooFewPicturesError):
        return QCoreApplication.translate(
            "errors",
            "Finding a shared watermark needs at least {needed} images that can be read; only "
            "{usable} could. Add more images of the same series to the batch.",
        ).format(needed=error.needed, usable=error.usable)
    if isinstance(error, MarkNotInPictureError):
        return QCoreApplication.translate(
            "errors", "The shared watermark was not found in this picture (match {confidence:.2f})."
        ).format(confidence=error.confidence)
    if isinstance(error, NoSharedMarkError):
        return QCoreApplication.translate(
            "errors",
            "No watermark shared by the {count} images stands out. Open one of them, draw a box "
            "around the watermark with the rectangle tool (R), then press “Find shared "
            "watermark” again.",
        ).format(count=error.count)
    if isinstance(error, MemoryError):
        return QCoreApplication.translate(
            "errors", "Not enough memory for this image. Close other programs or use a smaller one."
        )
    if isinstance(error, LamadeskError):
        return str(error)
    return QCoreApplication.translate("errors", "Unexpected error: {error}").format(
        error=f"{type(error).__name__}: {error}"
    )


def file_reason(error: LamadeskError) -> str:
    """Why one file of a list failed, for a row that names the file already.

    A file that cannot be read gives its reason alone; other errors their full description.
    """
    if isinstance(error, ImageReadError):
        return note_text(error.reason)
    return describe(error)


def error_text(error: object) -> str:
    """Words for whatever a failed job reported: an exception is described, else shown as is."""
    return describe(error) if isinstance(error, BaseException) else str(error)


def show_error(parent: QWidget | None, title: str, error: object) -> None:
    """The one dialog for failures the person must notice (an exception or a message)."""
    text = error_text(error)
    log.info("%s: %s", title, text)
    box = QMessageBox(QMessageBox.Icon.Warning, title, text, QMessageBox.StandardButton.Ok, parent)
    box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    box.exec()


def install_excepthook(log_file: Path | None) -> None:
    """Show unexpected exceptions in a dialog naming the log instead of crashing silently."""

    def hook(kind: type[BaseException], value: BaseException, trace: TracebackType | None) -> None:
        log.critical("unexpected error", exc_info=(kind, value, trace))
        if QApplication.instance() is None:
            sys.__excepthook__(kind, value, trace)
            return
        where = str(log_file) if log_file else QCoreApplication.translate("errors", "(no log file)")
        message = QCoreApplication.translate(
            "errors",
            "Something went wrong: {error}\n\nThe details are in the log: {log}\n"
            "Please attach it when you report the problem.",
        ).format(error=f"{kind.__name__}: {value}", log=where)
        QMessageBox.critical(None, QCoreApplication.translate("errors", "lamadesk error"), message)

    sys.excepthook = hook
