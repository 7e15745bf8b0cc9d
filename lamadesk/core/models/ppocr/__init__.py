"""Finding text (captions, date stamps, signs) in a picture and masking its strokes.

Use::

    detector = TextDetector.open()            # once; loads the shipped weights, no network
    found = detector.detect(rgb, TextSettings(sensitivity=0.5, region=None), token=token)
    found.mask                                # (H, W) bool, white = text
    found.mask_of(kept_regions)               # after a person dropped some regions

The weights (PP-OCRv6 small detection, Apache-2.0) come from the `rapidocr` wheel; see
`weights.py`. Nothing here imports Qt or torch.
"""

from lamadesk.core.models.ppocr.detector import (
    DETECTOR_LONG_SIDE,
    SearchArea,
    TextDetection,
    TextDetector,
    TextRegion,
    TextSettings,
    union_mask,
)
from lamadesk.core.models.ppocr.files import FileTextDetection, detect_text_in_files, text_planner
from lamadesk.core.models.ppocr.network import TextDetectorRunError
from lamadesk.core.models.ppocr.weights import TextDetectorWeightsError, locate_weights

__all__ = [
    "DETECTOR_LONG_SIDE",
    "FileTextDetection",
    "SearchArea",
    "TextDetection",
    "TextDetector",
    "TextDetectorRunError",
    "TextDetectorWeightsError",
    "TextRegion",
    "TextSettings",
    "detect_text_in_files",
    "locate_weights",
    "text_planner",
    "union_mask",
]
