"""Rebuild an image from its gradients (a Poisson equation), zero around the border.

The median gradients say how the mark changes from pixel to pixel; integrating them gives
the mark itself, "matted" (α·W minus what the photos average to). Zero on the border because
the crop is chosen larger than the mark. Solved exactly with sine transforms (DST-I
diagonalises the 5-point Laplacian with zero Dirichlet borders), written on numpy's FFT so
no solver library is needed.
"""

from __future__ import annotations

import numpy as np


def integrate(along_x: np.ndarray, along_y: np.ndarray) -> np.ndarray:
    """The zero-bordered image whose forward differences best match `(along_x, along_y)`.

    Works on (H, W) or (H, W, C) arrays (each channel separately). Least squares: the
    result's Laplacian equals the divergence of the given field.
    """
    divergence = np.zeros_like(along_x, dtype=np.float64)
    divergence[:, 0] += along_x[:, 0]
    divergence[:, 1:] += along_x[:, 1:] - along_x[:, :-1]
    divergence[0] += along_y[0]
    divergence[1:] += along_y[1:] - along_y[:-1]
    inner = divergence[1:-1, 1:-1]
    rows, cols = inner.shape[:2]
    spectrum = _dst1(_dst1(inner, axis=0), axis=1)
    eigen_rows = 2 * np.cos(np.pi * np.arange(1, rows + 1) / (rows + 1)) - 2
    eigen_cols = 2 * np.cos(np.pi * np.arange(1, cols + 1) / (cols + 1)) - 2
    denominator = eigen_rows[:, None] + eigen_cols[None, :]
    if spectrum.ndim == 3:
        denominator = denominator[..., None]
    solved = _dst1(_dst1(spectrum / denominator, axis=0), axis=1)
    solved /= 4 * (rows + 1) * (cols + 1)
    result = np.zeros(along_x.shape, np.float32)
    result[1:-1, 1:-1] = solved
    return result


def _dst1(values: np.ndarray, axis: int) -> np.ndarray:
    """Twice the DST-I along `axis`; applied twice it multiplies by 2·(N+1)."""
    values = np.moveaxis(values, axis, 0)
    count = values.shape[0]
    zero = np.zeros((1, *values.shape[1:]), values.dtype)
    extended = np.concatenate([zero, values, zero, -values[::-1]], axis=0)
    transformed = -np.fft.rfft(extended, axis=0).imag[1 : count + 1]
    return np.moveaxis(transformed, 0, axis)
