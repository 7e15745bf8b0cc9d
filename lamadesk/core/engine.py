"""Choosing and opening an inpainting backend: model, implementation and device.

This is the single place that turns a person's choices ("auto", "cuda") into a running
backend plus the notices they deserve (CPU fallback reason, missing model).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from enum import Enum
from pathlib import Path

from lamadesk.core.diagnostics import DeviceReport, diagnose
from lamadesk.core.errors import (
    ModelArchiveError,
    ModelError,
    ModelLoadError,
    ModelNotInstalledError,
)
from lamadesk.core.model_store import ModelStore
from lamadesk.core.models.base import InpaintBackend
from lamadesk.core.models.opencv.backend import OpenCvBackend

log = logging.getLogger(__name__)

LAMA = "lama"


class ModelChoice(Enum):
    """Which inpainting model to use."""

    AUTO = "auto"
    """LaMa when installed and torch works, otherwise OpenCV with a notice."""
    LAMA = "lama"
    OPENCV = "opencv"


class Engine(Enum):
    """Which implementation runs the LaMa weights."""

    NATIVE = "native"
    """lamadesk's own big-lama with per-device fast paths; needs no TorchScript."""
    TORCHSCRIPT = "torchscript"
    """The TorchScript file run as IOPaint runs it: the fallback."""


@dataclass(frozen=True)
class OpenedBackend:
    """A ready backend and what the person should be told about how it was chosen."""

    backend: InpaintBackend
    device_report: DeviceReport | None
    """None when the backend needs no torch (OpenCV)."""
    notes: tuple[str, ...]
    fallback_error: ModelError | None = None
    """Why AUTO fell back to OpenCV (missing, damaged or unloadable model), if it did."""


def open_backend(
    choice: ModelChoice,
    store: ModelStore,
    device: str = "auto",
    engine: Engine = Engine.NATIVE,
    report: DeviceReport | None = None,
) -> OpenedBackend:
    """Load the chosen backend on the best allowed device.

    Args:
        choice: the model; AUTO falls back to OpenCV rather than failing.
        store: where the LaMa weights are looked up.
        device: ``auto``, ``cpu``, ``cuda`` or ``cuda:N``; an unusable CUDA falls back to
            the CPU with the reason in the notes.
        engine: the LaMa implementation.
        report: device diagnostics already gathered (the app probes once at start).

    Raises:
        ModelNotInstalledError: LAMA was asked for explicitly and is not installed.
        ModelError: LAMA was asked for explicitly and its weights are damaged or cannot be
            loaded, or torch is unusable.
        ValueError: `device` is not a valid device string.
    """
    if choice is ModelChoice.OPENCV:
        return OpenedBackend(OpenCvBackend(), None, ())
    try:
        return _open_lama(store, device, engine, report)
    except ModelError as exc:
        if choice is not ModelChoice.AUTO:
            raise
        log.info("LaMa not used: %s", exc)
        if isinstance(exc, ModelNotInstalledError):
            note = (
                "the LaMa model is not installed, so the simpler OpenCV method is used; "
                f"get LaMa with 'lamadesk-cli models download {LAMA}'"
            )
        else:
            note = f"LaMa cannot be used ({exc}), so the simpler OpenCV method is used"
        return OpenedBackend(OpenCvBackend(), report, (note,), fallback_error=exc)


def _open_lama(
    store: ModelStore, device: str, engine: Engine, report: DeviceReport | None
) -> OpenedBackend:
    model_path = store.require(LAMA)
    report = report or diagnose(device)
    if report.facts.torch_error is not None:
        raise ModelLoadError(model_path, f"PyTorch cannot be loaded: {report.reason}")
    notes = [*report.warnings]
    # An explicit request that fell back is explained by the report's warnings already.
    if report.selected_device == "cpu" and report.requested == "auto" and report.reason:
        notes.append(f"running on the CPU because {report.reason}")
    if engine is Engine.NATIVE:
        try:
            backend = _load_lama(model_path, report.selected_device, engine)
        except ModelArchiveError:
            raise  # TorchScript would run the same damaged bytes
        except ModelLoadError as exc:
            # Import refuses such files now; this serves installs made before that rule.
            log.warning("%s", exc)
            notes.append(
                f"the native engine cannot read this model ({exc.reason}); "
                "running it with TorchScript instead"
            )
            backend = _load_lama(model_path, report.selected_device, Engine.TORCHSCRIPT)
    else:
        backend = _load_lama(model_path, report.selected_device, engine)
    log.info("opened %s on %s", backend.name, backend.device)
    return OpenedBackend(backend, report, tuple(notes))


def _load_lama(model_path: Path, device: str, engine: Engine) -> InpaintBackend:
    """Import torch-backed code only now: choosing OpenCV never pays for loading torch."""
    if engine is Engine.TORCHSCRIPT:
        from lamadesk.core.models.lama.torchscript import TorchScriptLama

        return TorchScriptLama(model_path, device)
    from lamadesk.core.models.lama.backend import NativeLamaBackend

    return NativeLamaBackend(model_path, device)
