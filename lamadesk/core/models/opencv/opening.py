"""Opening OpenCV: nothing to load, nothing to tell."""

from __future__ import annotations

from lamadesk.core.engine import OpenedBackend, OpenRequest
from lamadesk.core.models.opencv.backend import OpenCvBackend


def open_opencv(request: OpenRequest) -> OpenedBackend:
    """The always-working method: no weights, no torch, no device question."""
    return OpenedBackend(OpenCvBackend(), None, ())
