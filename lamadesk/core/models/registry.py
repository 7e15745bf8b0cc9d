"""The one list of models: what each is, what it needs, and how it is opened.

Everything that names models (CLI choices, ``models list``, the settings combo, engine and
error texts) asks this module, so adding a model is its folder, one `register` line below
and its translations. A model folder never imports this module; the registry imports them.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from enum import Enum
from typing import TYPE_CHECKING

from lamadesk.core.engine import Engine, OpenedBackend, OpenRequest
from lamadesk.core.errors import ModelError, ModelNotInstalledError
from lamadesk.core.models.lama.opening import open_lama
from lamadesk.core.models.lama.spec import LAMA
from lamadesk.core.models.opencv.opening import open_opencv
from lamadesk.core.models.ppocr.opening import open_ppocr
from lamadesk.core.models.spec import ModelSpec

if TYPE_CHECKING:
    from lamadesk.core.diagnostics import DeviceReport
    from lamadesk.core.model_store import ModelStore
    from lamadesk.core.models.ppocr.detector import TextDetector

log = logging.getLogger(__name__)

AUTO = "auto"
"""The choice that means: the preferred inpainter when it opens, else the fallback, with a note."""

ModelFactory = Callable[[OpenRequest], "OpenedBackend | TextDetector"]
"""Opens a model: an inpainter gives an `OpenedBackend`, a text detector a `TextDetector`.

Raises `ModelError` when the weights are missing, damaged or unloadable.
"""


class ModelKind(Enum):
    """What a model does; callers list only the kind they can use."""

    INPAINTS = "inpaints"
    """Fills masked pixels: an `InpaintBackend`."""
    DETECTS_TEXT = "detects-text"
    """Finds text to mask: a `TextDetector` (see `open_text_detector`)."""


@dataclass(frozen=True)
class ModelInfo:
    """One registered model.

    Attributes:
        name: Id used by the CLI, settings and store (``lama``); stored in settings as is.
        display_name: English name for the CLI and logs; the UI translates by `name`.
        kind: What the model does.
        factory: Opens it (imports heavy dependencies only when called).
        weights: The downloadable file it needs, or None (no weights, or weights shipped
            with a package, which its factory finds itself).
        needs_torch: Whether opening it loads PyTorch (and so depends on the device probe).
    """

    name: str
    display_name: str
    kind: ModelKind
    factory: ModelFactory
    weights: ModelSpec | None = None
    needs_torch: bool = False

    def __post_init__(self) -> None:
        if not self.name or self.name == AUTO or not self.name.isidentifier():
            raise ValueError(f"model name {self.name!r} must be an identifier other than {AUTO!r}")


_MODELS: dict[str, ModelInfo] = {}


def register(info: ModelInfo) -> ModelInfo:
    """Add a model at the end of the display order.

    Raises:
        ValueError: A model of that name is registered already.
    """
    if info.name in _MODELS:
        raise ValueError(f"model {info.name!r} is registered already")
    _MODELS[info.name] = info
    return info


@contextmanager
def registered(info: ModelInfo) -> Iterator[ModelInfo]:
    """Register `info` for the duration of a ``with`` block (tests)."""
    register(info)
    try:
        yield info
    finally:
        del _MODELS[info.name]


def models(kind: ModelKind | None = None) -> tuple[ModelInfo, ...]:
    """Registered models in display order, only those of `kind` when given."""
    return tuple(info for info in _MODELS.values() if kind is None or info.kind is kind)


def model(name: str) -> ModelInfo:
    """The model called `name`.

    Raises:
        KeyError: No such model is registered.
    """
    return _MODELS[name]


def inpainter_choices() -> tuple[str, ...]:
    """What a person may pick for removals: AUTO, then each inpainter's name."""
    return (AUTO, *(info.name for info in models(ModelKind.INPAINTS)))


def downloadable_weights() -> tuple[ModelSpec, ...]:
    """The weights files of every registered model that has one, in display order."""
    return tuple(info.weights for info in _MODELS.values() if info.weights is not None)


def preferred_model() -> ModelInfo:
    """The inpainter AUTO tries first: the first registered one with downloadable weights."""
    return next(info for info in models(ModelKind.INPAINTS) if info.weights is not None)


def fallback_model() -> ModelInfo:
    """The inpainter AUTO falls back to: the first that needs neither weights nor torch."""
    return next(
        info for info in models(ModelKind.INPAINTS) if info.weights is None and not info.needs_torch
    )


def chosen_weights(choice: str) -> ModelSpec | None:
    """The weights file a choice would use (AUTO: the preferred model's), or None."""
    return (preferred_model() if choice == AUTO else model(choice)).weights


def open_model(
    choice: str,
    store: ModelStore,
    device: str = "auto",
    engine: Engine = Engine.NATIVE,
    report: DeviceReport | None = None,
) -> OpenedBackend:
    """Open the chosen inpainter on the best allowed device.

    Args:
        choice: A registered inpainter's name, or AUTO, which falls back to
            `fallback_model` with a note rather than failing.
        store: Where downloadable weights are looked up.
        device: ``auto``, ``cpu``, ``cuda`` or ``cuda:N``; an unusable CUDA falls back to
            the CPU with the reason in the notes.
        engine: The implementation, for models that have several (LaMa).
        report: Device diagnostics already gathered (the app probes once at start).

    Raises:
        KeyError: `choice` is not a registered model.
        ValueError: `choice` is a model of another kind (a text detector).
        ModelNotInstalledError: A model was asked for explicitly and is not installed.
        ModelError: A model was asked for explicitly and its weights are damaged or cannot
            be loaded, or torch is unusable.
        ValueError: `device` is not a valid device string.
    """
    info = preferred_model() if choice == AUTO else model(choice)
    if info.kind is not ModelKind.INPAINTS:
        raise ValueError(f"{info.display_name} does not inpaint ({info.kind.value})")
    request = OpenRequest(store, device, engine, report)
    try:
        return _inpainter(info, request)
    except ModelError as exc:
        if choice != AUTO:
            raise
        fallback = fallback_model()
        log.info("%s not used: %s", info.display_name, exc)
        if isinstance(exc, ModelNotInstalledError):
            note = (
                f"the {info.display_name} model is not installed, so the simpler "
                f"{fallback.display_name} method is used; get {info.display_name} with "
                f"'lamadesk-cli models download {info.name}'"
            )
        else:
            note = (
                f"{info.display_name} cannot be used ({exc}), so the simpler "
                f"{fallback.display_name} method is used"
            )
        opened = _inpainter(fallback, request)
        return OpenedBackend(opened.backend, report, (*opened.notes, note), fallback_error=exc)


def _inpainter(info: ModelInfo, request: OpenRequest) -> OpenedBackend:
    opened = info.factory(request)
    if not isinstance(opened, OpenedBackend):
        raise TypeError(f"{info.display_name}'s factory returned {type(opened).__name__}")
    return opened


def open_text_detector(store: ModelStore, name: str | None = None) -> TextDetector:
    """Open a text detector: `name`, or the first one registered.

    Raises:
        KeyError: `name` is not a registered model.
        ValueError: `name` is a model of another kind (an inpainter).
        ModelError: Its weights are missing or altered, or no engine can load them.
    """
    info = model(name) if name is not None else models(ModelKind.DETECTS_TEXT)[0]
    if info.kind is not ModelKind.DETECTS_TEXT:
        raise ValueError(f"{info.display_name} does not detect text ({info.kind.value})")
    from lamadesk.core.models.ppocr.detector import TextDetector

    opened = info.factory(OpenRequest(store, "cpu"))
    if not isinstance(opened, TextDetector):
        raise TypeError(f"{info.display_name}'s factory returned {type(opened).__name__}")
    return opened


register(ModelInfo("lama", "LaMa", ModelKind.INPAINTS, open_lama, LAMA, needs_torch=True))
register(ModelInfo("opencv", "OpenCV", ModelKind.INPAINTS, open_opencv))
register(ModelInfo("ppocr", "PP-OCRv6 text detector", ModelKind.DETECTS_TEXT, open_ppocr))
