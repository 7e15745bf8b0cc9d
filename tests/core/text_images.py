"""Pictures with rendered text for the text detector's tests, and where the text is."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
from PIL import Image, ImageDraw, ImageFont

CJK_FONT = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")


def photo_like(height: int, width: int, seed: int = 0) -> np.ndarray:
    """(H, W, 3) uint8: smooth coloured blobs with fine grain, like an out-of-focus photo."""
    rng = np.random.default_rng(seed)
    small = rng.integers(0, 256, (max(2, height // 40), max(2, width // 40), 3)).astype(np.uint8)
    smooth = cv2.resize(small, (width, height), interpolation=cv2.INTER_CUBIC)
    smooth = cv2.normalize(cv2.GaussianBlur(smooth, (0, 0), 8), None, 40, 200, cv2.NORM_MINMAX)
    grain = rng.integers(-4, 5, smooth.shape)
    return np.clip(smooth.astype(np.int16) + grain, 0, 255).astype(np.uint8)


def with_text(
    base: np.ndarray,
    text: str,
    xy: tuple[int, int],
    size: int,
    fill: tuple[int, int, int] = (255, 150, 30),
    font: ImageFont.FreeTypeFont | None = None,
    outline: int = 0,
) -> tuple[np.ndarray, np.ndarray]:
    """`base` with `text` drawn on it, and the (H, W) bool truth: the pixels the text changed."""
    face = font or ImageFont.load_default(size=size)
    picture = Image.fromarray(base)
    ImageDraw.Draw(picture).text(
        xy, text, font=face, fill=fill, stroke_width=outline, stroke_fill=(0, 0, 0)
    )
    rgb = np.array(picture)
    truth = np.abs(rgb.astype(np.int16) - base).max(axis=2) > 10
    return rgb, truth


def recall(mask: np.ndarray, truth: np.ndarray) -> float:
    """The share of the text's pixels the mask covers."""
    return float(mask[truth].mean())


def light_with_dark_blob(height: int, width: int, blob: tuple[int, int, int, int], seed: int = 0):
    """A light, grainy backdrop with a dark, noisy ellipse (cx, cy, rx, ry), like hair.

    Returns:
        The (H, W, 3) uint8 picture and the (H, W) bool pixels of the blob.
    """
    rng = np.random.default_rng(seed)
    rgb = np.full((height, width, 3), (205, 200, 195), np.int16) + rng.integers(
        -6, 7, (height, width, 1)
    )
    inside = np.zeros((height, width), np.uint8)
    cv2.ellipse(inside, blob[:2], blob[2:], 0, 0, 360, 1, -1)
    strands = cv2.GaussianBlur(rng.normal(0, 1, (height, width)).astype(np.float32), (0, 0), 1.5)
    hair = np.clip(70 + 120 * strands, 20, 160)[..., None] * np.array([1.0, 0.85, 0.6])
    rgb[inside > 0] = hair[inside > 0].astype(np.int16)
    return np.clip(rgb, 0, 255).astype(np.uint8), inside > 0


def fine_grain(height: int, width: int, amplitude: float, seed: int = 0) -> np.ndarray:
    """(H, W, 3) uint8: tan with grain a pixel or two across, like fur seen from afar."""
    rng = np.random.default_rng(seed)
    noise = cv2.GaussianBlur(rng.normal(0, 1, (height, width)).astype(np.float32), (0, 0), 1.0)
    shade = amplitude * (noise / noise.std())[..., None] * np.array([1.0, 0.9, 0.8])
    return np.clip(np.array((170, 140, 110)) + shade, 0, 255).astype(np.uint8)


def box_around(truth: np.ndarray, margin: int) -> np.ndarray:
    """(4, 2) float32 corners (x, y) of the upright box `margin` px around the text's pixels."""
    ys, xs = np.nonzero(truth)
    top, bottom = ys.min() - margin, ys.max() + margin
    left, right = xs.min() - margin, xs.max() + margin
    return np.array([[left, top], [right, top], [right, bottom], [left, bottom]], np.float32)
