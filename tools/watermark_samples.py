"""Batches of textured pictures carrying one semi-transparent mark, with the truth kept.

The tests and `benchmarks/watermark_quality.py` need photos stamped the way stock sites and
photographers stamp them: the same anti-aliased logo and text, blended with an opacity
between 0.3 and 0.6, at the same corner, a few pixels off in each picture. Keeping the clean
picture, the mark's alpha and its colour lets them score detection (IoU) and removal (PSNR)
against the truth instead of against a picture someone looked at.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import cv2
import numpy as np

_SUPERSAMPLE = 4


def textured_picture(rng: np.random.Generator, height: int, width: int) -> np.ndarray:
    """A photo-like RGB uint8 picture: lit gradients, objects with edges, grain at every scale.

    Flat colours would make any method look perfect; this has the heavy-tailed gradients of
    real photos (smooth areas, sharp object borders, fine texture).
    """
    rows = np.linspace(0.0, 1.0, height, dtype=np.float32)[:, None, None]
    cols = np.linspace(0.0, 1.0, width, dtype=np.float32)[None, :, None]
    corners = rng.uniform(20, 235, size=(4, 3)).astype(np.float32)
    picture = (
        corners[0] * (1 - rows) * (1 - cols)
        + corners[1] * (1 - rows) * cols
        + corners[2] * rows * (1 - cols)
        + corners[3] * rows * cols
    )
    for _ in range(int(rng.integers(6, 14))):
        _draw_object(rng, picture)
    for cell, strength in ((64, 30.0), (16, 18.0), (4, 10.0), (1, 6.0)):
        grid = rng.normal(0.0, strength, size=(height // cell + 2, width // cell + 2, 3))
        picture += cv2.resize(grid.astype(np.float32), (width, height), cv2.INTER_CUBIC)[
            :height, :width
        ]
    picture = cv2.GaussianBlur(picture, (0, 0), 0.6)
    return np.clip(picture + 0.5, 0, 255).astype(np.uint8)


def _draw_object(rng: np.random.Generator, picture: np.ndarray) -> None:
    height, width = picture.shape[:2]
    colour = tuple(float(value) for value in rng.uniform(0, 255, size=3))
    centre = (int(rng.integers(0, width)), int(rng.integers(0, height)))
    if rng.random() < 0.5:
        axes = (int(rng.integers(8, width // 3)), int(rng.integers(8, height // 3)))
        cv2.ellipse(picture, centre, axes, float(rng.uniform(0, 180)), 0, 360, colour, -1)
    else:
        points = rng.integers(-width // 4, width // 4, size=(int(rng.integers(3, 7)), 2))
        cv2.fillPoly(picture, [(points + centre).astype(np.int32)], colour, cv2.LINE_AA)


def mark_coverage(text: str = "© lamadesk", height: int = 48) -> np.ndarray:
    """How much of each pixel a logo (a ring) and a line of text cover, 0..1, anti-aliased.

    Drawn at 4× and averaged down, so edge pixels get fractional cover as a rendered logo has.
    """
    scale = _SUPERSAMPLE
    big_height = height * scale
    font_scale = big_height / 40.0
    thickness = max(1, round(big_height / 14))
    (text_width, _), _ = cv2.getTextSize(text, cv2.FONT_HERSHEY_DUPLEX, font_scale, thickness)
    ring = big_height
    canvas = np.zeros((big_height + 2 * scale, ring + text_width + 4 * scale), np.uint8)
    cv2.circle(
        canvas, (ring // 2 + scale, canvas.shape[0] // 2), ring // 2 - thickness, 255, thickness
    )
    cv2.putText(
        canvas,
        text.replace("©", "").strip(),
        (ring + 2 * scale, big_height - big_height // 5),
        cv2.FONT_HERSHEY_DUPLEX,
        font_scale,
        255,
        thickness,
        cv2.LINE_AA,
    )
    small = (canvas.shape[1] // scale, canvas.shape[0] // scale)
    return cv2.resize(canvas.astype(np.float32) / 255.0, small, interpolation=cv2.INTER_AREA)


def two_colour_mark(
    coverage: np.ndarray, logo: Sequence[float], text: Sequence[float]
) -> np.ndarray:
    """Per-pixel colours for `mark_coverage`'s layout: ring and text in different colours.

    Many brand marks have a coloured logo beside white or black lettering.
    """
    colours = np.empty((*coverage.shape, 3), np.float32)
    ring_width = coverage.shape[0] + 1
    colours[:, :ring_width] = logo
    colours[:, ring_width:] = text
    return colours


def blend(
    picture: np.ndarray, alpha: np.ndarray, colour: Sequence[float] | np.ndarray
) -> np.ndarray:
    """`J = α·W + (1 - α)·I`, rounded to uint8: how an editor stamps a translucent mark."""
    weight = alpha.astype(np.float32)[..., None]
    blended = weight * np.asarray(colour, np.float32) + (1 - weight) * picture
    return np.clip(blended + 0.5, 0, 255).astype(np.uint8)


@dataclass(frozen=True, eq=False)
class StampedBatch:
    """Pictures with one mark stamped on each, and the truth to score against."""

    clean: tuple[np.ndarray, ...] = field(repr=False)
    stamped: tuple[np.ndarray, ...] = field(repr=False)
    alphas: tuple[np.ndarray, ...] = field(repr=False)
    """Per picture, the (H, W) float32 alpha actually blended in (0 outside the mark)."""
    colour: tuple[float, float, float] | np.ndarray = field(repr=False)
    """The mark's colour: one RGB triple, or (h, w, 3) per pixel of the mark."""
    opacity: float
    offsets: tuple[tuple[int, int], ...]
    """Per picture, the mark's top-left corner (row, column)."""

    def true_masks(self, visible_alpha: float = 0.02) -> tuple[np.ndarray, ...]:
        """Pixels the mark changes noticeably: alpha above `visible_alpha` (~5 levels)."""
        return tuple(alpha > visible_alpha for alpha in self.alphas)


def stamped_batch(
    pictures: Sequence[np.ndarray],
    coverage: np.ndarray,
    *,
    rng: np.random.Generator,
    opacity: float = 0.45,
    colour: tuple[float, float, float] | np.ndarray = (255.0, 255.0, 255.0),
    margin: int = 24,
    jitter: int = 3,
) -> StampedBatch:
    """Stamp `coverage·opacity` near each picture's bottom-right corner, ±`jitter` pixels.

    Pictures may differ in size: the mark keeps its distance to the bottom-right corner, as
    a watermarking tool anchored to a corner does.
    """
    mark_height, mark_width = coverage.shape
    stamped, alphas, offsets = [], [], []
    for picture in pictures:
        height, width = picture.shape[:2]
        shift = rng.integers(-jitter, jitter + 1, size=2) if jitter else np.zeros(2, int)
        top = height - margin - mark_height + int(shift[0])
        left = width - margin - mark_width + int(shift[1])
        alpha = np.zeros((height, width), np.float32)
        alpha[top : top + mark_height, left : left + mark_width] = coverage * opacity
        painted = np.asarray(colour, np.float32)
        if painted.ndim == 3:
            painted = np.zeros((height, width, 3), np.float32)
            painted[top : top + mark_height, left : left + mark_width] = colour
        stamped.append(blend(picture, alpha, painted))
        alphas.append(alpha)
        offsets.append((top, left))
    return StampedBatch(
        clean=tuple(pictures),
        stamped=tuple(stamped),
        alphas=tuple(alphas),
        colour=colour,
        opacity=opacity,
        offsets=tuple(offsets),
    )
