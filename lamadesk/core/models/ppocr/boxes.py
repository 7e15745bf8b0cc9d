"""DB post-processing: the network's probability map to scored, rotated text boxes.

The map marks a shrunk core of each text line; each connected blob becomes its minimum-area
rectangle, scored by the mean probability inside the blob, then grown back ("unclipped") by
``area × ratio / perimeter`` on every side, as the DB paper and PaddleOCR do.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

PIXEL_THRESHOLD = 0.3
"""A map pixel above this belongs to some text core."""
UNCLIP_RATIO = 1.6
MIN_SIDE = 3
"""Cores thinner than this (map pixels) are noise."""
MAX_CANDIDATES = 1000
"""The largest blobs kept: grain can make thousands of specks, which say nothing."""
ELONGATED = 2.5
"""Long side over short side from which a box looks like a text line (a lower score suffices)."""
LARGE_TEXT_SHARE = 0.08
"""A line taller than this share of the picture's short side is large text, written to be
read, and the network is sure of it (every 120-px line of the benchmark scored 0.91 or more).
Large "lines" it is unsure of are texture: cell tissue, a camera's body, a lattice tower."""
LARGE_TEXT_MARGIN = 0.15
"""How much more score a large line needs than `score_threshold`."""
LARGEST_TEXT_SHARE = 0.25
"""A "line" taller than this share of the picture's short side is a smooth object the network
mistook (a cup, a wall), not writing."""


@dataclass(frozen=True, eq=False)
class ScoredBox:
    """A rotated rectangle in image pixels and the network's confidence in it."""

    corners: np.ndarray
    """(4, 2) float32 x, y corners in image pixels, after unclipping."""
    score: float


def score_threshold(sensitivity: float) -> float:
    """Least mean probability a box needs; elongated boxes may be 0.1 lower.

    The score is the mean inside the blob's outline, which runs higher than the mean inside
    its rectangle; sensitivity 0.5 gives 0.7 (0.6 for text-line shapes), tuned on
    benchmarks/text_quality.py; 0 → 0.9, 1 → 0.5.
    """
    return 0.9 - 0.4 * min(1.0, max(0.0, sensitivity))


def text_boxes(
    probability: np.ndarray,
    image_height: int,
    image_width: int,
    sensitivity: float,
    picture_short_side: int | None = None,
) -> list[ScoredBox]:
    """Scored boxes from an (h, w) probability map, scaled to an image of the given size.

    `picture_short_side` is that of the whole picture when the map covers only part of it
    (a search area): how large a line is, is judged against the picture a person sees.
    """
    map_h, map_w = probability.shape
    bitmap = (probability > PIXEL_THRESHOLD).astype(np.uint8)
    contours, _ = cv2.findContours(bitmap, cv2.RETR_LIST, cv2.CHAIN_APPROX_SIMPLE)
    # Largest first: OpenCV lists contours bottom-up, so a plain cut would drop the top's text.
    contours = sorted(contours, key=cv2.contourArea, reverse=True)
    scale = np.array([image_width / map_w, image_height / map_h], np.float32)
    threshold = score_threshold(sensitivity)
    reference = picture_short_side or min(image_height, image_width)
    boxes: list[ScoredBox] = []
    for contour in contours[:MAX_CANDIDATES]:
        centre, (width, height), angle = cv2.minAreaRect(contour)
        short, long = sorted((width, height))
        if short < MIN_SIDE:
            continue
        score = _mean_inside(probability, contour.reshape(-1, 2))
        if score < _needed(threshold, short, long):
            continue
        grow = width * height * UNCLIP_RATIO / (2 * (width + height))
        corners = cv2.boxPoints((centre, (width + 2 * grow, height + 2 * grow), angle))
        corners = (corners * scale).astype(np.float32)
        grown_short, grown_long = sorted(cv2.minAreaRect(corners)[1])
        share = grown_short / reference
        # Judged on the grown box: a texture's core can be long and thin where its box is not.
        large_needed = _needed(threshold, grown_short, grown_long) + LARGE_TEXT_MARGIN
        if share > LARGEST_TEXT_SHARE or (share > LARGE_TEXT_SHARE and score < large_needed):
            continue
        boxes.append(ScoredBox(corners, score))
    return boxes


def _needed(threshold: float, short: float, long: float) -> float:
    """The score a box of these sides needs: line shapes may score 0.1 lower."""
    return threshold - 0.1 if long >= ELONGATED * short else threshold


def _mean_inside(probability: np.ndarray, outline: np.ndarray) -> float:
    """Mean probability inside the blob's own outline (PaddleOCR's "slow" score).

    A rectangle around two touching lines, or a bent one, would count the gaps between them.
    """
    corners = outline.astype(np.int32)
    x, y, width, height = cv2.boundingRect(corners)
    x0, y0 = max(0, x), max(0, y)
    x1, y1 = min(probability.shape[1], x + width), min(probability.shape[0], y + height)
    if x1 <= x0 or y1 <= y0:
        return 0.0
    inside = np.zeros((y1 - y0, x1 - x0), np.uint8)
    cv2.fillPoly(inside, [corners - [x0, y0]], 1)
    return float(cv2.mean(probability[y0:y1, x0:x1], inside)[0])
