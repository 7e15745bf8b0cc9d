"""OpenCV's classical inpainting: no weights and no torch, so it always works."""

from __future__ import annotations

import cv2
import numpy as np

from lamadesk.core.models.base import InpaintBackend


class OpenCvBackend:
    """Telea's fast marching method: fine for thin text watermarks, smeary on large areas."""

    name = "opencv"
    device = "cpu"

    def __init__(self, radius: int = 5) -> None:
        self._radius = radius

    def inpaint(self, image: np.ndarray, mask: np.ndarray) -> np.ndarray:
        bgr = cv2.cvtColor(image, cv2.COLOR_RGB2BGR)
        filled = cv2.inpaint(bgr, mask.astype(np.uint8) * 255, self._radius, cv2.INPAINT_TELEA)
        return cv2.cvtColor(filled, cv2.COLOR_BGR2RGB)

    def release_memory(self) -> None:
        """Nothing is cached on a device."""

    def on_cpu(self) -> InpaintBackend:
        return self
