"""Opening LaMa: weights from the store, the device from diagnostics, the engine asked for.

Imports no torch itself: the backends are imported only when one is built, so choosing
another model never pays for loading torch.
"""

from __future__ import annotations

import logging
from pathlib import Path

from lamadesk.core.diagnostics import diagnose
from lamadesk.core.engine import Engine, OpenedBackend, OpenRequest
from lamadesk.core.errors import ModelArchiveError, ModelLoadError
from lamadesk.core.models.base import InpaintBackend
from lamadesk.core.models.lama.spec import LAMA

log = logging.getLogger(__name__)


def open_lama(request: OpenRequest) -> OpenedBackend:
    """Load LaMa on the best allowed device, with the notices a person deserves.

    Raises:
        ModelNotInstalledError: The weights are not installed.
        ModelError: The weights are damaged or cannot be loaded, or torch is unusable.
        ValueError: The device is not a valid device string.
    """
    model_path = request.store.require(LAMA.name)
    report = request.report or diagnose(request.device)
    if report.facts.torch_error is not None:
        raise ModelLoadError(model_path, f"PyTorch cannot be loaded: {report.reason}")
    notes = [*report.warnings]
    # An explicit request that fell back is explained by the report's warnings already.
    if report.selected_device == "cpu" and report.requested == "auto" and report.reason:
        notes.append(f"running on the CPU because {report.reason}")
    if request.engine is Engine.NATIVE:
        try:
            backend = _load_lama(model_path, report.selected_device, request.engine)
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
        backend = _load_lama(model_path, report.selected_device, request.engine)
    log.info("opened %s on %s", backend.name, backend.device)
    return OpenedBackend(backend, report, tuple(notes))


def _load_lama(model_path: Path, device: str, engine: Engine) -> InpaintBackend:
    """Import torch-backed code only now: choosing OpenCV never pays for loading torch."""
    if engine is Engine.TORCHSCRIPT:
        from lamadesk.core.models.lama.torchscript import TorchScriptLama

        return TorchScriptLama(model_path, device)
    from lamadesk.core.models.lama.backend import NativeLamaBackend

    return NativeLamaBackend(model_path, device)
