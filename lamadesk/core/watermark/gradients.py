"""Image gradients and their per-pixel median over a batch, the mark's fingerprint.

Dekel et al. (CVPR 2017): in `J = α·W + (1 - α)·I` the photos `I` differ from picture to
picture while the mark does not, so at each pixel the median of the pictures' gradients
keeps the mark's gradient and drops the photos' (their gradients are sparse and of either
sign).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np


def forward_differences(image: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """`(I[y, x+1] - I[y, x], I[y+1, x] - I[y, x])` as float32, 0 on the last column/row.

    Forward differences (not Sobel) because the Poisson reconstruction inverts exactly them.
    """
    values = image.astype(np.float32, copy=False)
    along_x = np.zeros_like(values)
    along_y = np.zeros_like(values)
    along_x[:, :-1] = values[:, 1:] - values[:, :-1]
    along_y[:-1] = values[1:] - values[:-1]
    return along_x, along_y


def median_gradients(images: Sequence[np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """Per-pixel median of the images' forward differences; all images the same shape."""
    pairs = [forward_differences(image) for image in images]
    along_x = np.median(np.stack([pair[0] for pair in pairs]), axis=0)
    along_y = np.median(np.stack([pair[1] for pair in pairs]), axis=0)
    return along_x, along_y


def magnitude(along_x: np.ndarray, along_y: np.ndarray) -> np.ndarray:
    """Gradient length per pixel, over all colour channels.

    A red logo on grey photos has little luma contrast but plenty of colour contrast.
    """
    total = along_x**2 + along_y**2
    return np.sqrt(total.sum(axis=2) if total.ndim == 3 else total)
