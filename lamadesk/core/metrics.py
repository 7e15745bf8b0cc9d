"""How close a result is to the truth: PSNR of 8-bit pixels and overlap of masks.

One definition for the speed bench, the watermark benchmark and the tests, so a figure in
the README and an assertion in a test mean the same thing. No torch, no Qt.
"""

from __future__ import annotations

import numpy as np


def psnr(first: np.ndarray, second: np.ndarray) -> float:
    """Peak signal-to-noise ratio in dB of 8-bit pixels (inf when identical).

    Pass masked selections (`a[mask], b[mask]`) to score only a region.
    """
    mse = float(np.mean((first.astype(np.float64) - second.astype(np.float64)) ** 2))
    return float("inf") if mse == 0 else float(10 * np.log10(255.0**2 / mse))


def iou(found: np.ndarray, truth: np.ndarray) -> float:
    """Intersection over union of two bool masks (0 when both are empty)."""
    return float((found & truth).sum() / max(1, (found | truth).sum()))
