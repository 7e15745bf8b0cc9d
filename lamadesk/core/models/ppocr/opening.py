"""Opening the text detector for the registry: the weights ship inside a wheel."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from lamadesk.core.engine import OpenRequest
    from lamadesk.core.models.ppocr.detector import TextDetector


def open_ppocr(request: OpenRequest) -> TextDetector:
    """Load PP-OCRv6's detection network (checksum-verified, offline) on the CPU.

    It runs on the CPU whatever device the request names: a 12 MP photo takes well under a
    second there (docs/text-detection.md), and the store is not used (nothing is downloaded).
    The import waits until here so that listing models loads no OpenVINO.
    """
    from lamadesk.core.models.ppocr.detector import TextDetector

    del request
    return TextDetector.open()
