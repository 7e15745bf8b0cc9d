"""The mark at full resolution: line the pictures up on it, then rebuild it.

Starting from the coarse box, each picture contributes a crop a little larger than the box.
The median gradient of the crops is the mark's gradient template; matching it against each
crop's gradients finds how far that picture's mark is shifted, and the crops are lined up
again, coarse to fine (blurred first, so shifted marks still agree). The lined-up crops
then give the colour matte (Poisson) and the mask of the mark's pixels.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import cv2
import numpy as np

from lamadesk.core.masks import Box, connected_to
from lamadesk.core.watermark.gradients import forward_differences, magnitude, median_gradients
from lamadesk.core.watermark.poisson import integrate

Gradients = tuple[np.ndarray, np.ndarray]
"""Forward differences along x and along y, each (h, w, 3)."""

_SEED_LEVEL = 0.3
_RIM_LEVEL = 0.12
_LEVELLING_SIGMA = 4.0


@dataclass(frozen=True, eq=False)
class SharedMark:
    """The mark as the batch shows it, in its own (template) coordinates."""

    matte: np.ndarray = field(repr=False)
    """(h, w, 3) float32: the mark rebuilt from median gradients (α·(W - typical photo))."""
    mask: np.ndarray = field(repr=False)
    """(h, w) bool: the pixels the mark visibly changes."""

    @property
    def shape(self) -> tuple[int, int]:
        return self.mask.shape


@dataclass(frozen=True)
class Placement:
    """Where the mark's template sits in one picture, and how sure the match is."""

    top: int
    left: int
    confidence: float
    """Normalised correlation of the picture's gradients with the mark's, 0..1."""

    def mask_in(self, mark: SharedMark, picture: tuple[int, int]) -> np.ndarray:
        """The mark's mask pasted at this placement into a picture-sized bool mask."""
        full = np.zeros(picture, bool)
        paste_into(full, mark.mask, self.top, self.left)
        return full


def paste_into(target: np.ndarray, patch: np.ndarray, top: int, left: int) -> None:
    """Copy `patch` into `target` at (top, left), dropping what falls outside."""
    rows = slice(max(0, top), min(target.shape[0], top + patch.shape[0]))
    cols = slice(max(0, left), min(target.shape[1], left + patch.shape[1]))
    if rows.start >= rows.stop or cols.start >= cols.stop:
        return
    target[rows, cols] = patch[
        rows.start - top : rows.stop - top, cols.start - left : cols.stop - left
    ]


def crop_around(picture: np.ndarray, box: Box, radius: int) -> np.ndarray:
    """The box grown by `radius` on each side as float32; outside the picture repeats its edge."""
    top, left = box.top - radius, box.left - radius
    bottom, right = box.bottom + radius, box.right + radius
    height, width = picture.shape[:2]
    inside = picture[max(0, top) : min(height, bottom), max(0, left) : min(width, right)]
    pad = [(max(0, -top), max(0, bottom - height)), (max(0, -left), max(0, right - width))]
    pad += [(0, 0)] * (picture.ndim - 2)
    return np.pad(inside.astype(np.float32), pad, mode="edge")


def outline_match(
    picture: np.ndarray,
    mark: SharedMark,
    placement: Placement,
    ignore: np.ndarray | None = None,
) -> float:
    """How strongly the mark's outline shows in `picture` at `placement` (|correlation|, 0..1).

    Near 1 where the mark is there, near 0 once it has been taken off. Pixels set in
    `ignore` (the mark's shape; say, left for inpainting) do not count.
    """
    template = forward_differences(mark.matte)
    support = cv2.dilate(mark.mask.astype(np.uint8), np.ones((3, 3), np.uint8)).astype(bool)
    box = Box(
        placement.top,
        placement.left,
        placement.top + mark.shape[0],
        placement.left + mark.shape[1],
    )
    if ignore is not None:
        support &= ~ignore
    field_ = forward_differences(crop_around(picture, box, 0))
    return abs(float(_correlations(field_, template, support.astype(np.float32))[0, 0]))


@dataclass(frozen=True, eq=False)
class AlignedBatch:
    """Every picture's crop lined up on the mark, with the mark rebuilt from them."""

    mark: SharedMark
    crops: tuple[np.ndarray, ...] = field(repr=False)
    """(h, w, 3) float32 per picture, the mark at the same place in each."""
    shifts: tuple[tuple[int, int], ...]
    confidences: tuple[float, ...]


def align_and_rebuild(wide_crops: Sequence[np.ndarray], radius: int) -> AlignedBatch:
    """Line the crops up on their shared mark and rebuild it.

    Args:
        wide_crops: per picture, the box grown by `radius` (see `crop_around`), RGB float32.
        radius: how far (pixels) a picture's mark may sit from where the box says.
    """
    height = wide_crops[0].shape[0] - 2 * radius
    width = wide_crops[0].shape[1] - 2 * radius
    shifts = [(0, 0)] * len(wide_crops)
    confidences = [0.0] * len(wide_crops)
    for sigma in _blur_schedule(radius):
        blurred = [_blur(crop, sigma) for crop in wide_crops]
        fields = [forward_differences(image) for image in blurred]
        template = median_gradients(_lined_up(blurred, shifts, radius, height, width))
        support = _support(magnitude(*template))
        matches = [_best_shift(field_, template, support, radius) for field_ in fields]
        shifts = [shift for shift, _ in matches]
        confidences = [score for _, score in matches]
    crops = _lined_up(wide_crops, shifts, radius, height, width)
    along_x, along_y = median_gradients(crops)
    matte = integrate(along_x, along_y)
    mark = SharedMark(matte=matte, mask=_mark_pixels(matte))
    return AlignedBatch(mark, tuple(crops), tuple(shifts), tuple(confidences))


def _lined_up(
    images: Sequence[np.ndarray],
    shifts: Sequence[tuple[int, int]],
    radius: int,
    height: int,
    width: int,
) -> list[np.ndarray]:
    return [
        image[radius + dy : radius + dy + height, radius + dx : radius + dx + width]
        for image, (dy, dx) in zip(images, shifts, strict=True)
    ]


def _blur_schedule(radius: int) -> tuple[float, ...]:
    """Coarse to fine: a mark shifted by up to `radius` only survives the median once blurred."""
    return (radius / 2, radius / 4, 1.0, 0.0, 0.0)


def _blur(image: np.ndarray, sigma: float) -> np.ndarray:
    return cv2.GaussianBlur(image, (0, 0), sigma) if sigma > 0 else image


def _support(magnitude: np.ndarray) -> np.ndarray:
    """Where the template has structure: matching only there ignores the photos' texture."""
    threshold = 0.15 * float(np.percentile(magnitude, 99.5))
    strong = (magnitude > threshold).astype(np.uint8)
    return cv2.dilate(strong, np.ones((3, 3), np.uint8))


def _best_shift(
    field_: Gradients, template: Gradients, support: np.ndarray, radius: int
) -> tuple[tuple[int, int], float]:
    if not support.any():
        return (0, 0), 0.0
    scores = _correlations(field_, template, support.astype(np.float32))
    row, col = np.unravel_index(int(np.argmax(scores)), scores.shape)
    return (int(row) - radius, int(col) - radius), float(max(0.0, scores[row, col]))


def _correlations(field_: Gradients, template: Gradients, support: np.ndarray) -> np.ndarray:
    """Normalised correlation of colour gradients, at every offset of the template.

    Over the template's support only; offsets are where the template fits in the field.
    """
    products = sum(
        cv2.matchTemplate(along, towards * support[..., None], cv2.TM_CCORR)
        for along, towards in zip(field_, template, strict=True)
    )
    energy = sum((along**2).sum(axis=2) for along in field_).astype(np.float32)
    field_energy = cv2.matchTemplate(energy, support, cv2.TM_CCORR)
    template_energy = float(sum(((towards**2).sum(axis=2) * support).sum() for towards in template))
    denominator = np.sqrt(np.maximum(field_energy, 0.0) * template_energy)
    return np.where(denominator > 0, products / np.maximum(denominator, 1e-12), 0.0)


def _mark_pixels(matte: np.ndarray) -> np.ndarray:
    """Pixels whose rebuilt mark stands clear of the leftover photo noise.

    The photos' leftover gradients integrate to slow bumps, so the matte is first levelled
    by subtracting its smooth part measured away from the mark. Then hysteresis, as in edge
    detection: clearly strong pixels seed the mask, and fainter ones join only when they
    touch a seed and rise above the noise read away from the seeds.
    """
    strength = np.abs(matte).max(axis=2)
    seeds = strength > _SEED_LEVEL * float(np.percentile(strength, 99.5))
    for _ in range(2):
        away = ~cv2.dilate(seeds.astype(np.uint8), np.ones((5, 5), np.uint8)).astype(bool)
        strength = np.abs(matte - _smooth_part(matte, away)).max(axis=2)
        seeds = strength > _SEED_LEVEL * float(np.percentile(strength, 99.5))
    peak = float(np.percentile(strength, 99.5))
    away = ~cv2.dilate(seeds.astype(np.uint8), np.ones((7, 7), np.uint8)).astype(bool)
    noise = float(np.percentile(strength[away], 99.5)) if away.any() else 0.0
    return connected_to(strength > max(noise, _RIM_LEVEL * peak), seeds)


def _smooth_part(matte: np.ndarray, where: np.ndarray) -> np.ndarray:
    """The matte's slow variation, interpolated from the pixels in `where` (normalised blur).

    Deep inside a wide mark no pixel of `where` is near: a four times wider blur fills in.
    """
    mask = where.astype(np.float32)
    levels = []
    for sigma in (_LEVELLING_SIGMA, 4 * _LEVELLING_SIGMA):
        weights = cv2.GaussianBlur(mask, (0, 0), sigma)[..., None]
        blurred = cv2.GaussianBlur(matte * mask[..., None], (0, 0), sigma)
        levels.append((blurred / np.maximum(weights, 1e-6), weights))
    (fine, fine_weights), (wide, _) = levels
    return np.where(fine_weights > 0.05, fine, wide)
