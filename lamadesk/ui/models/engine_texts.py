"""What the status bar says once a backend is loaded: engine label, tooltip and message."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication

from lamadesk.core.diagnostics import DeviceReport
from lamadesk.core.errors import ModelNotInstalledError
from lamadesk.core.models.registry import fallback_model
from lamadesk.ui.errors import describe
from lamadesk.ui.models.load_outcome import LoadOutcome
from lamadesk.ui.settings.device_texts import device_status

translate = QCoreApplication.translate


@dataclass(frozen=True)
class EngineTexts:
    """`label` for the permanent status widget, `tooltip` and the transient `message`."""

    label: str
    tooltip: str
    message: str


def engine_name(backend: str, device: str) -> str:
    """One spelling wherever an engine is named: "LaMa · CPU", "OpenCV · CPU", "LaMa · cuda:0".

    Args:
        backend: The backend's name, a registered model's (``lama``, ``opencv``).
        device: The torch device it runs on ("cpu", "cuda:0"...).
    """
    if backend == fallback_model().name:
        return translate("MainWindow", "OpenCV · CPU")
    return translate("MainWindow", "LaMa · {device}").format(device=device_name(device))


def device_name(device: str) -> str:
    """The CPU in capitals; CUDA devices as torch names them (``cuda:0``)."""
    return "CPU" if device == "cpu" else device


def engine_texts(
    outcome: LoadOutcome, report: DeviceReport | None, model_missing: bool
) -> EngineTexts:
    """Name the engine and device, and say why LaMa or the GPU is not used when they are not."""
    backend = outcome.opened.backend
    label = engine_name(backend.name, backend.device)
    tooltip = "" if report is None else device_status(report)
    message = translate("MainWindow", "Ready: {engine}.").format(engine=label)
    if backend.name == fallback_model().name and model_missing:
        message += " " + translate("MainWindow", "The LaMa model is not installed.")
    error = outcome.opened.fallback_error
    if error is not None and not isinstance(error, ModelNotInstalledError):
        message += " " + translate("MainWindow", "LaMa was not loaded: {reason}").format(
            reason=describe(error)
        )
    elif backend.name != fallback_model().name and tooltip:
        message += " " + tooltip
    return EngineTexts(label, tooltip, message)
