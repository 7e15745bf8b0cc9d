"""Opening the text detector for the registry: the weights ship inside a wheel."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from lamadesk.core.engine import OpenRequest
    from lamadesk.core.models.ppocr.detector import TextDetector


def open_ppocr(request: OpenRequest) -> TextDetector:
    """Load PP-OCRv6's detection network (checksum-verified, offline) on the CPU.

    ONNX Runtime picks its CUDA provider by itself when the GPU build is installed, so the
    request's device is not needed; the store is not used either (nothing is downloaded).
    The import waits until here so that listing models loads no ONNX Runtime.
    """
    from lamadesk.core.models.ppocr.detector import TextDetector

    del request
    return TextDetector.open()
