"""The vocabulary of opening a model: which implementation, what was asked, what came back.

Which models exist and how each is opened lives in :mod:`lamadesk.core.models.registry`;
this module only holds the types the registry, the model folders and the callers share, so
that a model folder never imports the registry that lists it.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import TYPE_CHECKING

from lamadesk.core.diagnostics import DeviceReport
from lamadesk.core.errors import ModelError
from lamadesk.core.models.base import InpaintBackend

if TYPE_CHECKING:
    # The store lists the registry's weights, and the registry opens models with these types.
    from lamadesk.core.model_store import ModelStore


class Engine(Enum):
    """Which implementation runs the LaMa weights."""

    NATIVE = "native"
    """lamadesk's own big-lama with per-device fast paths; needs no TorchScript."""
    TORCHSCRIPT = "torchscript"
    """The TorchScript file run as IOPaint runs it: the fallback."""


@dataclass(frozen=True)
class OpenRequest:
    """What a model's factory gets: where weights live and where to run.

    Attributes:
        store: Where downloadable weights are looked up.
        device: ``auto``, ``cpu``, ``cuda`` or ``cuda:N``.
        engine: The implementation, for models that have more than one (LaMa).
        report: Device diagnostics already gathered (the app probes once at start).
    """

    store: ModelStore
    device: str = "auto"
    engine: Engine = Engine.NATIVE
    report: DeviceReport | None = None


@dataclass(frozen=True)
class OpenedBackend:
    """A ready backend and what the person should be told about how it was chosen."""

    backend: InpaintBackend
    device_report: DeviceReport | None
    """None when the backend needs no torch (OpenCV)."""
    notes: tuple[str, ...]
    fallback_error: ModelError | None = None
    """Why AUTO fell back to OpenCV (missing, damaged or unloadable model), if it did."""
