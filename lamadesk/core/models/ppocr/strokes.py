"""The text's own pixels inside a detected box, instead of the whole box.

A box is 5-6× the area of its glyphs; inpainting all of it throws away detail. Inside each box
the glyphs (and their outline or shadow) differ from the local background: a morphological
top-hat and black-hat per Lab channel measure how much brighter or darker than its
surroundings, and in which colour, each pixel is; Otsu's threshold inside the box splits text
from background. Letters are one colour and one polarity (brighter or darker): where only one
polarity looks like text, pixels of the letters' colour are added to its split, and the other
polarity (a dark blob under part of a white caption) is left out. Strands of texture much
thinner than the letters' strokes are cut off them. Where the split is not believable the
whole box is used.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

import cv2
import numpy as np

from lamadesk.core.masks import Box, connected_to

GROW_PX = 2
"""Grown around the strokes: anti-aliased edges and JPEG ringing belong to the text too."""
SURROUNDINGS_SHARE = 0.3
"""The surroundings a pixel is compared with span this share of the line's height: wider than
a bold letter's stroke (under 0.15 of it), and no wider, since the wider they are the more
texture beside the letters stands out as much as faint letters do."""
BACKGROUND_SCALE_PX = 15
"""The background is estimated on the box shrunk so its structuring element is this wide."""
CHROMA_WEIGHT = 2.0
"""a/b channels count double: coloured date stamps differ from the photo more in hue."""
_LAB_WEIGHTS = np.array([1.0, CHROMA_WEIGHT, CHROMA_WEIGHT], np.float32)
SEPARABLE_SHARE = (0.01, 0.6)
"""A believable split flags between 1 % and 60 % of the box as text."""
OUTLINE_REACH = 0.15
"""How far (share of the line's height) beyond the fill an outline or shadow may reach."""
HUG_SHARE = 0.5
"""An outline pixel must stand out at least half as much as Otsu's split of the fill."""
SPAN_AGREEMENT = 0.7
"""A polarity (brighter or darker than the surroundings) is text only if it spans at least
this share of what the other spans along the line."""
COLOUR_TOLERANCE = 2.0
"""Letters are within this many times `min_contrast` of their colour (Lab-weighted)."""
THIN_SHARE = 0.7
"""Parts of the fill thinner than this share of its strokes' width are texture touching them."""
STROKE_PERCENTILE = 90
"""The strokes' half-width is this percentile of the fill's distances to its edge: texture
and the letters' thin joins sit below it, the letters' stems at it."""
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
    lab = cv2.cvtColor(rgb[crop.slices()], cv2.COLOR_RGB2LAB)
    maps = _contrast(lab, short_side)
    least = min_contrast(sensitivity)
    flat = np.maximum(*maps) <= least
    plain = _Plain(_dominant(lab, line & flat), _local_plain(lab, inside & flat, short_side))
    candidates = [_candidate(lab, standing, line, least) for standing in maps]
    along, _ = _axis(corners - shift, crop.height, crop.width, longer=True)
    spans = [_span(candidate.pixels, along, line, short_side) for candidate in candidates]
    # The letters are brighter or darker than their surroundings, not both. The other polarity
    # is the gaps and counters (the plain background's colour) or a blob under part of the
    # line (dark hair under a white caption, which does not run its length). Where one
    # polarity alone is believable it is the text. Where both are (an outline, a shadow, or
    # texture behind big letters), the one gathered in the middle of the line is the fill and
    # the other joins only as its outline below; else one split of the larger difference is
    # made.
    plausible = [i for i in (0, 1) if _differ(lab, candidates[i], plain, least)]
    kept = [i for i in plausible if spans[i] >= SPAN_AGREEMENT * max(spans[j] for j in plausible)]
    if len(kept) == 1:
        contrast, (text, otsu, colour) = maps[kept[0]], candidates[kept[0]]
    elif len(kept) == 2:
        middle = _middle(corners - shift, crop.height, crop.width, line)
        fill = max(kept, key=lambda i: _centred(candidates[i].pixels, middle))
        contrast, (text, otsu, colour) = np.maximum(*maps), candidates[fill]
    else:
        contrast = np.maximum(*maps)
        (text, otsu), colour = _split(contrast, line, least), None
    text = _without_thin_parts(text, lab, colour, least)
    share = text.sum() / line.sum()
    whole_box = not SEPARABLE_SHARE[0] <= share <= SEPARABLE_SHARE[1]
    if whole_box:
        text = line
    else:
        # An outline or shadow is fainter than the fill, hugs it, and may reach a little
        # beyond the network's box; of a polarity kept only (not the hair beside a letter),
        # and touching the fill (not the specks of texture beside a faint letter).
        reach = max(3, int(OUTLINE_REACH * short_side) | 1)
        hug = cv2.dilate(text.astype(np.uint8), np.ones((reach, reach), np.uint8)) > 0
        text = connected_to(text | (hug & (contrast > max(least, HUG_SHARE * otsu)) & inside), text)
    kernel = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (2 * GROW_PX + 1, 2 * GROW_PX + 1))
    grown = cv2.dilate(text.astype(np.uint8), kernel) > 0
    return Strokes(crop, grown, whole_box)


def _polygon(corners: np.ndarray, crop: Box) -> np.ndarray:
    """(crop.height, crop.width) bool: inside the polygon given in crop coordinates."""
    filled = np.zeros((crop.height, crop.width), np.uint8)
    cv2.fillPoly(filled, [np.round(corners).astype(np.int32)], 1)
    return filled > 0


class _Candidate(NamedTuple):
    """The text of one polarity: its pixels, Otsu's split they came from, and their colour."""

    pixels: np.ndarray
    otsu: float
    colour: np.ndarray | None


def _candidate(lab: np.ndarray, standing: np.ndarray, line: np.ndarray, least: float) -> _Candidate:
    """The letters of one polarity inside `line`: pixels that stand out and share one colour.

    One threshold for the whole box fails where the line crosses light and dark background:
    white letters stand out by 150 over hair and by 40 over a light wall, so Otsu keeps only
    the former. Text is one colour, though: the commonest colour among the pixels over Otsu's
    split is the letters' (the hair's strands vary), and every pixel that stands out and is
    near that colour is a letter too.
    """
    clear, otsu = _split(standing, line, least)
    colour = _dominant(lab, clear)
    if colour is None:
        return _Candidate(clear, otsu, None)
    near = _distance(lab, colour) < COLOUR_TOLERANCE * least
    return _Candidate(clear | (near & (standing > least) & line), otsu, colour)


def _without_thin_parts(
    text: np.ndarray, lab: np.ndarray, colour: np.ndarray | None, least: float
) -> np.ndarray:
    """`text` less the parts much thinner than its strokes: strands of texture touching them.

    Behind big, faint letters, fur and grain stand out as much as the letters do and join
    them in Otsu's split; an opening with a disk of `THIN_SHARE` of the strokes' width cuts
    them off. A serif face's hairlines are that thin too, but of the letters' colour: they stay.
    """
    if not text.any():
        return text
    depth = cv2.distanceTransform(text.astype(np.uint8), cv2.DIST_L2, 3)
    stroke_width = 2 * float(np.percentile(depth[text], STROKE_PERCENTILE))
    size = int(THIN_SHARE * stroke_width)
    if size < 3:
        return text
    disk = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (size, size))
    thick = cv2.morphologyEx(text.astype(np.uint8), cv2.MORPH_OPEN, disk) > 0
    if colour is None:
        return thick
    return thick | (text & (_distance(lab, colour) < COLOUR_TOLERANCE * least))


def _dominant(lab: np.ndarray, where: np.ndarray) -> np.ndarray | None:
    """The commonest colour (Lab, in steps of 8) of the pixels `where`; None if there are none."""
    if not where.any():
        return None
    pixels = lab[where]
    steps = pixels // 8
    bins = (steps[:, 0].astype(np.int32) * 32 + steps[:, 1]) * 32 + steps[:, 2]
    commonest = np.bincount(bins).argmax()
    return np.median(pixels[bins == commonest], axis=0)


def _distance(lab: np.ndarray, colour: np.ndarray) -> np.ndarray:
    """Lab-weighted distance (as `_contrast` weighs) of each pixel from `colour` (or its own)."""
    return _weighted_largest(np.abs(lab.astype(np.float32) - colour))


def _weighted_largest(difference: np.ndarray) -> np.ndarray:
    """(h, w) float32: the largest of an (h, w, 3) Lab difference's channels, as weighted.

    Three maxima of planes: numpy's max over a last axis of 3 took a tenth of a 12 MP
    detection (profiled).
    """
    weighted = difference * _LAB_WEIGHTS
    return np.maximum(np.maximum(weighted[..., 0], weighted[..., 1]), weighted[..., 2])


def _local_plain(lab: np.ndarray, plain: np.ndarray, short_side: float) -> np.ndarray:
    """(h, w, 3) float32: the mean colour of the `plain` pixels within a line's height of each.

    NaN where there are none.
    """
    size = max(3, int(short_side) | 1)
    share = cv2.boxFilter(plain.astype(np.float32), -1, (size, size))
    total = cv2.boxFilter(lab.astype(np.float32) * plain[..., None], -1, (size, size))
    mean = np.full(lab.shape, np.nan, np.float32)
    near = share > 0.5 / (size * size)  # at least one plain pixel, not rounding noise
    mean[near] = total[near] / share[near][:, None]
    return mean


class _Plain(NamedTuple):
    """The colour of the background where nothing stands out, two ways."""

    line: np.ndarray | None
    """The commonest plain colour in the line's box (None if nothing there is plain)."""
    beside: np.ndarray
    """(h, w, 3) float32: the mean plain colour within a line's height of each pixel; NaN
    where there is none (`_local_plain`)."""


def _differ(lab: np.ndarray, candidate: _Candidate, plain: _Plain, least: float) -> bool:
    """Whether a candidate is not the plain background (the gaps and counters).

    Gaps have the line's commonest plain colour, or, on a gradient, where one end's gaps
    have the other end's colour, that of the plain background beside them. Either one is
    enough: beside black gaps between glowing digits the plain pixels may be a grey
    reflection, while the line's commonest plain colour is the black. Within `least` only:
    faint letters (white at half opacity over a light wall) are barely 2 × `least` from the
    background, and must not be taken for gaps.
    """
    if candidate.colour is None:
        return False
    if plain.line is not None and float(_distance(candidate.colour, plain.line)) < least:
        return False
    known = candidate.pixels & ~np.isnan(plain.beside[..., 0])
    if not known.any():
        return True
    return float(np.median(_distance(lab[known], plain.beside[known]))) >= least


def _split(standing: np.ndarray, line: np.ndarray, least: float) -> tuple[np.ndarray, float]:
    """Pixels of `line` above Otsu's split of `standing` there (and `least`), and the split."""
    otsu, _ = cv2.threshold(
        standing[line].reshape(-1, 1), 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU
    )
    return (standing > max(otsu, least)) & line, otsu


def _axis(
    corners: np.ndarray, height: int, width: int, *, longer: bool
) -> tuple[np.ndarray, float]:
    """(height, width) float32: each pixel's position along one side of `corners`; its length.

    Measured from the box's centre along the longer side (along the line) or the shorter
    one (across it).
    """
    first, second = corners[1] - corners[0], corners[2] - corners[1]
    first_is_longer = np.hypot(*first) >= np.hypot(*second)
    side = first if first_is_longer == longer else second
    length = float(np.hypot(*side))
    unit = side / max(1e-6, length)
    ys, xs = np.mgrid[0:height, 0:width].astype(np.float32)
    centre = corners.mean(axis=0)
    return (xs - centre[0]) * unit[0] + (ys - centre[1]) * unit[1], length


def _span(fill: np.ndarray, along: np.ndarray, line: np.ndarray, short_side: float) -> float:
    """Share of the line's length, in steps of half its height, that `fill` has pixels in."""
    low, high = float(along[line].min()), float(along[line].max())
    steps = max(1, int((high - low) / (0.5 * short_side)))
    counts, _ = np.histogram(along[fill & line], bins=steps, range=(low, high))
    return float((counts >= short_side).mean())


def _contrast(lab: np.ndarray, short_side: float) -> tuple[np.ndarray, np.ndarray]:
    """Per pixel, how much brighter and how much darker than its surroundings it is.

    Two (h, w) uint8 maps, the largest Lab-weighted difference over the channels. The
    surroundings are the crop opened (for bright text) and closed (for dark text) with a disk
    `SURROUNDINGS_SHARE` of the box's short side; they are computed on a shrunk copy so a
    120-px title costs no more than a 16-px date.
    """
    size = max(3, int(SURROUNDINGS_SHARE * short_side) | 1)
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
    return tuple(
        np.clip(_weighted_largest(difference), 0, 255).astype(np.uint8)
        for difference in (cv2.subtract(lab, opened), cv2.subtract(closed, lab))
    )


def _middle(corners: np.ndarray, height: int, width: int, line: np.ndarray) -> np.ndarray:
    """(height, width) bool: the middle half of the line, across its length.

    The network's box reaches well above and below the letters' main body (ascenders,
    descenders, its own margin); letters and their outline fill the middle, texture
    behind them fills the box evenly.
    """
    across, height_of_line = _axis(corners, height, width, longer=False)
    return line & (np.abs(across) < 0.25 * height_of_line)


def _centred(pixels: np.ndarray, middle: np.ndarray) -> float:
    """Share of `pixels` in `middle`: how much they gather where letters do."""
    return float((pixels & middle).sum() / max(1, pixels.sum()))
