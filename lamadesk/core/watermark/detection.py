"""Find the watermark a batch of pictures shares, and where it sits in each of them.

Two passes over the pictures, so that memory does not grow with their size: the first
keeps small copies and finds the mark's box (`region`), the second keeps only a
crop around the box from each picture, lines the crops up on the mark and rebuilds it
(`alignment`). A box drawn by the person on one picture (the seed) replaces the first
pass's guess, which makes small batches work.

How many pictures: the median needs most pictures to show photo, not mark, at each pixel's
neighbourhood, so fewer than `MIN_PICTURES` is refused; below `RELIABLE_PICTURES` it still
runs but says that the result may be poor unless a seed box is given.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from lamadesk.core.cancel import CancelToken, ProgressCallback, ignore_progress
from lamadesk.core.errors import LamadeskError, NoSharedMarkError, TooFewPicturesError
from lamadesk.core.masks import Box
from lamadesk.core.notes import Note, NoteKind
from lamadesk.core.watermark.alignment import (
    AlignedBatch,
    Placement,
    SharedMark,
    align_and_rebuild,
    crop_around,
)
from lamadesk.core.watermark.region import (
    Position,
    Region,
    find_region,
    jitter_scale,
    limit_side,
    nearest_anchor,
    position_in,
    shrink,
)

log = logging.getLogger(__name__)

MIN_PICTURES = 3
RELIABLE_PICTURES = 8
SEARCH_RADIUS = 12
"""How far (pixels) the mark may move from picture to picture."""
MIN_CONFIDENCE = 0.3
"""Below this match score the mark counts as absent from a picture."""
_MARGIN = 8
_GROWTH_ROUNDS = 2
"""Times the box may be widened when the rebuilt mark runs into its edge."""
_KEEP_MATCH = 0.9
"""A widened box is kept only if the pictures still match the mark at least this well
(relative median): when the edge was reached by noise, widening takes in more noise."""

PictureLoader = Callable[[int], np.ndarray]
"""Returns picture `i` as (H, W, 3) uint8 RGB, or raises a LamadeskError saying why not."""


@dataclass(frozen=True)
class Seed:
    """A box the person drew around the mark on one picture of the batch."""

    index: int
    box: Box


@dataclass(frozen=True, eq=False)
class Detection:
    """The shared mark and, per picture, where it is (or why the picture was left out)."""

    mark: SharedMark
    placements: tuple[Placement | None, ...]
    """Per picture; None where the picture could not be read."""
    shapes: tuple[tuple[int, int] | None, ...]
    """Per picture, its height and width (None where it could not be read)."""
    failures: dict[int, LamadeskError]
    """Why each picture that could not be read was not (its reason, path and type)."""
    notes: tuple[Note, ...]
    aligned: AlignedBatch = field(repr=False)
    """The crops the mark was rebuilt from (readable pictures only, in order)."""

    def found_in(self, index: int) -> bool:
        placement = self.placements[index]
        return placement is not None and placement.confidence >= MIN_CONFIDENCE

    def mask_for(self, index: int, picture: tuple[int, int] | None = None) -> np.ndarray:
        """The mark's pixels in picture `index`, an (H, W) bool mask of its size."""
        placement = self.placements[index]
        shape = picture or self.shapes[index]
        if placement is None or shape is None:
            raise ValueError(f"picture {index} was not read: {self.failures.get(index)}")
        return placement.mask_in(self.mark, shape)

    def position(self, index: int) -> Position:
        """Where the mark sits in picture `index` (which must have been read)."""
        placement, shape = self.placements[index], self.shapes[index]
        if placement is None or shape is None:
            raise ValueError(f"picture {index} was not read: {self.failures.get(index)}")
        # The mark's visible pixels, not its template, which has a margin around them.
        mask = self.mark.mask if self.mark.mask.any() else np.ones(self.mark.shape, bool)
        rows, cols = np.flatnonzero(mask.any(axis=1)), np.flatnonzero(mask.any(axis=0))
        top, left = placement.top + int(rows[0]), placement.left + int(cols[0])
        box = Box(top, left, top + int(rows[-1] - rows[0]) + 1, left + int(cols[-1] - cols[0]) + 1)
        return position_in(box, shape)


def detect_shared_mark(
    load: PictureLoader,
    count: int,
    seed: Seed | None = None,
    on_progress: ProgressCallback = ignore_progress,
    token: CancelToken | None = None,
) -> Detection:
    """Find the mark shared by pictures `0..count-1` of `load`.

    Raises:
        TooFewPicturesError: fewer than `MIN_PICTURES` pictures could be read.
        NoSharedMarkError: the pictures share nothing that stands out (and no seed was given).
        JobCancelled: `token` was cancelled.
    """
    failures: dict[int, LamadeskError] = {}
    shapes: dict[int, tuple[int, int]] = {}
    small: dict[int, np.ndarray] = {}
    scale = jitter_scale(SEARCH_RADIUS)
    for index in range(count):
        _check(token)
        on_progress(45 * index // max(count, 1), f"Looking at picture {index + 1} of {count}")
        try:
            picture = load(index)
        except LamadeskError as exc:
            failures[index] = exc
            continue
        shapes[index] = picture.shape[:2]
        small[index] = shrink(picture, scale)
        del picture
    readable = sorted(shapes)
    if len(readable) < MIN_PICTURES:
        raise TooFewPicturesError(len(readable), MIN_PICTURES)
    limited, scale = limit_side([small[index] for index in readable], scale)
    region = _region(seed, shapes, limited, scale, readable)
    notes = _count_notes(len(readable), seed)
    aligned = _measure(load, readable, shapes, region, token, on_progress, (45, 80))
    for attempt in range(_GROWTH_ROUNDS):
        cut = _cut_sides(aligned.mark.mask)
        if not cut:
            break
        log.info("the mark reaches the %s edge of its box: looking wider", "/".join(cut))
        wider = region.widened(cut)
        span = (80 + 5 * attempt, 85 + 5 * attempt)
        widened = _measure(load, readable, shapes, wider, token, on_progress, span)
        if np.median(widened.confidences) < _KEEP_MATCH * np.median(aligned.confidences):
            log.info("the wider box matches worse: it only took in noise; kept the first")
            break
        region, aligned = wider, widened
    placements: list[Placement | None] = [None] * count
    for (dy, dx), confidence, index in zip(
        aligned.shifts, aligned.confidences, readable, strict=True
    ):
        box = region.box_in(shapes[index])
        placements[index] = Placement(box.top + dy, box.left + dx, confidence)
    on_progress(100, "Found the shared mark")
    sizes = tuple(shapes.get(index) for index in range(count))
    detection = Detection(aligned.mark, tuple(placements), sizes, failures, notes, aligned)
    log.info(
        "shared mark at the %s of picture %d",
        detection.position(readable[0]).value,
        readable[0] + 1,
    )
    return detection


def _measure(
    load: PictureLoader,
    readable: list[int],
    shapes: dict[int, tuple[int, int]],
    region: Region,
    token: CancelToken | None,
    on_progress: ProgressCallback,
    span: tuple[int, int],
) -> AlignedBatch:
    """The second pass: a crop around the region from each picture, lined up and rebuilt."""
    wide_crops = []
    for position, index in enumerate(readable):
        _check(token)
        percent = span[0] + (span[1] - span[0]) * position // len(readable)
        on_progress(percent, f"Measuring the mark in picture {index + 1}")
        picture = load(index)
        wide_crops.append(crop_around(picture, region.box_in(shapes[index]), SEARCH_RADIUS))
    on_progress(span[1], "Rebuilding the mark")
    return align_and_rebuild(wide_crops, SEARCH_RADIUS)


def _cut_sides(mask: np.ndarray) -> tuple[str, ...]:
    """The edges of the box the mark runs into (the box cut part of it off)."""
    edges = {"top": mask[:2], "bottom": mask[-2:], "left": mask[:, :2], "right": mask[:, -2:]}
    return tuple(side for side, strip in edges.items() if strip.any())


def _region(
    seed: Seed | None,
    shapes: dict[int, tuple[int, int]],
    small: list[np.ndarray],
    scale: float,
    readable: list[int],
) -> Region:
    canvas = (
        min(shape[0] for shape in shapes.values()),
        min(shape[1] for shape in shapes.values()),
    )
    if seed is not None and seed.index in shapes:
        picture = shapes[seed.index]
        anchor = nearest_anchor(seed.box, picture)
        top, left = anchor.origin(picture, canvas)
        box = Box(
            seed.box.top - top, seed.box.left - left, seed.box.bottom - top, seed.box.right - left
        )
        return Region(anchor, canvas, box.grown(_MARGIN, *canvas))
    region = find_region(small, [shapes[index] for index in readable], scale, _MARGIN)
    if region is None:
        raise NoSharedMarkError(len(readable))
    log.info("shared mark's first box %s", region.box)
    return region


def _count_notes(readable: int, seed: Seed | None) -> tuple[Note, ...]:
    if readable >= RELIABLE_PICTURES or seed is not None:
        return ()
    return (Note(NoteKind.FEW_PICTURES, {"readable": readable, "reliable": RELIABLE_PICTURES}),)


def _check(token: CancelToken | None) -> None:
    if token is not None:
        token.raise_if_cancelled()
