"""The text's own pixels inside a detected box, instead of the whole box.

A box is 5-6× the area of its glyphs; inpainting all of it throws away detail. Inside each box
the glyphs (and their outline or shadow) differ from the local background: a morphological
top-hat and black-hat per Lab channel measure how much brighter or darker than its
surroundings, and in which colour, each pixel is; Otsu's threshold inside the box splits text
from background. Where that split is not believable the whole box is used.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from lamadesk.core.masks import Box

GROW_PX = 2
"""Grown around the strokes: anti-aliased edges and JPEG ringing belong to the text too."""
BACKGROUND_SCALE_PX = 15
"""The background is estimated on the box shrunk so its structuring element is this wide."""
CHROMA_WEIGHT = 2.0
"""a/b channels count double: coloured date stamps differ from the photo more in hue."""
SEPARABLE_SHARE = (0.01, 0.6)
"""A believable split flags between 1 % and 60 % of the box as text."""
OUTLINE_REACH = 0.15
"""How far (share of the line's height) beyond the fill an outline or shadow may reach."""
HUG_SHARE = 0.5
"""An outline pixel must stand out at least half as much as Otsu's split of the fill."""
SEARCH_MARGIN = 0.3
"""The strokes are looked for this share of the line's height beyond its box: the network's
box often clips ascenders, descenders and outlines."""


@dataclass(frozen=True, eq=False)
class Strokes:
    """Text pixels of one box: a crop of the image and whether the box itself was used."""

    box: Box
    """Where `pixels` sits in the image (the box's bounds plus `GROW_PX`, clipped)."""
    pixels: np.ndarray
    """(box.height, box.width) bool."""
    whole_box: bool
    """True when the strokes could not be separated and the box's area was taken instead."""


def min_contrast(sensitivity: float) -> float:
    """Least difference from the background (Lab units) a text pixel must show: 16 … 8."""
    return 16.0 - 8.0 * min(1.0, max(0.0, sensitivity))


def find_strokes(rgb: np.ndarray, corners: np.ndarray, sensitivity: float) -> Strokes | None:
    """The text pixels inside the rotated box `corners` ((4, 2) x, y); None if off the image."""
    height, width = rgb.shape[:2]
    centre, sides, angle = cv2.minAreaRect(corners.astype(np.float32))
    short_side = min(sides)
    margin = 2 * SEARCH_MARGIN * short_side
    search = cv2.boxPoints((centre, (sides[0] + margin, sides[1] + margin), angle))
    x, y, box_w, box_h = cv2.boundingRect(np.round(search).astype(np.int32))
    crop = Box(y, x, y + box_h, x + box_w).grown(GROW_PX, height, width)
    if crop.height < 2 or crop.width < 2:
        return None
    shift = np.array([crop.left, crop.top], np.float32)
    inside = _polygon(search - shift, crop)
    line = _polygon(corners - shift, crop)
    if not line.any():
        return None
    contrast = _contrast(rgb[crop.slices()], short_side)
    values = contrast[line]
    otsu, _ = cv2.threshold(values.reshape(-1, 1), 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    least = min_contrast(sensitivity)
    # The fill lies inside the network's box; an outline or shadow is fainter than the fill
    # Otsu picked, hugs it, and may reach a little beyond the box.
    text = (contrast > max(otsu, least)) & line
    share = text.sum() / values.size
    whole_box = not SEPARABLE_SHARE[0] <= share <= SEPARABLE_SHARE[1]
    if whole_box:
        text = line
    else:
        reach = max(3, int(OUTLINE_REACH * short_side) | 1)
        hug = cv2.dilate(text.astype(np.uint8), np.ones((reach, reach), np.uint8)) > 0
        text |= hug & (contrast > max(least, HUG_SHARE * otsu)) & inside
    kernel = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (2 * GROW_PX + 1, 2 * GROW_PX + 1))
    grown = cv2.dilate(text.astype(np.uint8), kernel) > 0
    return Strokes(crop, grown, whole_box)


def _polygon(corners: np.ndarray, crop: Box) -> np.ndarray:
    """(crop.height, crop.width) bool: inside the polygon given in crop coordinates."""
    filled = np.zeros((crop.height, crop.width), np.uint8)
    cv2.fillPoly(filled, [np.round(corners).astype(np.int32)], 1)
    return filled > 0


def _contrast(crop_rgb: np.ndarray, short_side: float) -> np.ndarray:
    """Per pixel, how far it stands out from its surroundings: (h, w) uint8, Lab-weighted.

    The surroundings are the crop opened (for bright text) and closed (for dark text) with a
    disk half the box's short side, wider than any stroke; they are computed on a shrunk copy
    so a 120-px title costs no more than a 16-px date.
    """
    lab = cv2.cvtColor(crop_rgb, cv2.COLOR_RGB2LAB)
    size = max(3, int(0.5 * short_side) | 1)
    shrink = min(1.0, BACKGROUND_SCALE_PX / size)
    kernel_size = max(3, int(size * shrink) | 1)
    kernel = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (kernel_size, kernel_size))
    crop_h, crop_w = lab.shape[:2]
    small = lab
    if shrink < 1:
        small_size = (max(1, round(crop_w * shrink)), max(1, round(crop_h * shrink)))
        small = cv2.resize(lab, small_size, interpolation=cv2.INTER_AREA)
    opened = cv2.morphologyEx(small, cv2.MORPH_OPEN, kernel)
    closed = cv2.morphologyEx(small, cv2.MORPH_CLOSE, kernel)
    if shrink < 1:
        opened = cv2.resize(opened, (crop_w, crop_h), interpolation=cv2.INTER_LINEAR)
        closed = cv2.resize(closed, (crop_w, crop_h), interpolation=cv2.INTER_LINEAR)
    difference = np.maximum(cv2.subtract(lab, opened), cv2.subtract(closed, lab))
    weights = np.array([1.0, CHROMA_WEIGHT, CHROMA_WEIGHT], np.float32)
    return np.clip((difference * weights).max(axis=2), 0, 255).astype(np.uint8)
