"""Taking the shared mark off each picture: undo its blend where that is sound, else inpaint.

Where the mark is translucent the picture underneath is still there, scaled by `1 - α`:
`I = (J - α·W) / (1 - α)` gets it back exactly, far better than inventing it. That is not
sound everywhere, and the rule for handing a pixel to inpainting instead is:

- opaque: `α >= OPAQUE_ALPHA`, where dividing by `1 - α` would blow 8-bit rounding up to
  more than about ±4 levels;
- not explained: the un-blended value falls more than `_RANGE_SLACK` levels outside 0..255,
  which a correct α and W cannot produce (the mark there differs from the batch's);
- the whole picture, when the fit does not hold for it: more than `UNEXPLAINED_LIMIT` of
  the mark is not explained, or the mark's outline can still be found in the un-blended
  result (match above `LEFTOVER_LIMIT`; measured: a good fit leaves at most 0.3 on JPEG
  photos, an opacity off by a third leaves 0.6 or more).

Pixels outside the mark are never touched.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from lamadesk.core.batch import RepairPlan
from lamadesk.core.cancel import CancelToken, ProgressCallback, ignore_progress
from lamadesk.core.errors import MarkNotInPictureError
from lamadesk.core.masks import dilate
from lamadesk.core.notes import Note, NoteKind
from lamadesk.core.watermark.alignment import Placement, SharedMark, outline_match, paste_into
from lamadesk.core.watermark.detection import MIN_CONFIDENCE, Detection
from lamadesk.core.watermark.matting import Matte

OPAQUE_ALPHA = 0.85
LEFTOVER_LIMIT = 0.45
UNEXPLAINED_LIMIT = 0.25
INPAINT_GROWTH = 2
"""Pixels added around what is inpainted: the anti-aliased rim and JPEG ringing."""
_RANGE_SLACK = 12.0


@dataclass(frozen=True, eq=False)
class Unblended:
    """One picture with the mark's blend undone where that was sound."""

    rgb: np.ndarray = field(repr=False)
    changed: np.ndarray = field(repr=False)
    """(H, W) bool: pixels whose blend was undone."""
    to_inpaint: np.ndarray = field(repr=False)
    """(H, W) bool: mark pixels left for inpainting (opaque or unexplained)."""
    leftover: float
    """How well the mark's outline still matches the result (0 = gone)."""
    unexplained: float
    """Share of the mark's pixels the fitted blend cannot have produced."""

    @property
    def holds(self) -> bool:
        """Whether the batch's fit describes this picture's mark."""
        return self.leftover <= LEFTOVER_LIMIT and self.unexplained <= UNEXPLAINED_LIMIT


def unblend(picture: np.ndarray, mark: SharedMark, matte: Matte, placement: Placement) -> Unblended:
    """Undo `J = α·W + (1 - α)·I` inside the mark; see the module docstring for the rules.

    Works in the mark's window only (α, W and the mask all live there), so a 12 MP photo
    costs no full-size float copies.
    """
    height, width = picture.shape[:2]
    top, left = max(0, placement.top), max(0, placement.left)
    bottom = min(height, placement.top + mark.shape[0])
    right = min(width, placement.left + mark.shape[1])
    window = (slice(top, bottom), slice(left, right))
    offset = (placement.top - top, placement.left - left)
    alpha = np.zeros((bottom - top, right - left), np.float32)
    paste_into(alpha, matte.alpha, *offset)
    colour = np.zeros((*alpha.shape, 3), np.float32)
    paste_into(colour, matte.colour, *offset)
    detected = np.zeros(alpha.shape, bool)
    paste_into(detected, mark.mask, *offset)
    original = picture[window]
    inside = alpha > 0
    weight = alpha[inside][:, None]
    recovered = (original[inside].astype(np.float32) - weight * colour[inside]) / (1 - weight)
    unexplained = (recovered < -_RANGE_SLACK) | (recovered > 255 + _RANGE_SLACK)
    doubtful = np.zeros(alpha.shape, bool)
    doubtful[inside] = unexplained.any(axis=1) | (weight[:, 0] >= OPAQUE_ALPHA)
    to_inpaint = dilate(doubtful, 1) & dilate(detected, 1)
    result = original.copy()
    result[inside] = np.clip(recovered + 0.5, 0, 255).astype(np.uint8)
    result[to_inpaint] = original[to_inpaint]
    rgb = picture.copy()
    rgb[window] = result
    changed = np.zeros((height, width), bool)
    changed[window] = inside & ~to_inpaint
    left_for_inpainting = np.zeros((height, width), bool)
    left_for_inpainting[window] = to_inpaint
    ignored = np.zeros(mark.shape, bool)
    paste_into(ignored, dilate(to_inpaint, 1), -offset[0], -offset[1])
    leftover = outline_match(rgb, mark, placement, ignore=ignored)
    unexplained_share = float((doubtful & detected).sum() / max(1, detected.sum()))
    return Unblended(rgb, changed, left_for_inpainting, leftover, unexplained_share)


class SharedMarkPlanner:
    """Per picture of a detected batch: what to un-blend and what to inpaint.

    Callable as a batch `Planner`; a picture the mark was not found in raises
    `MarkNotInPictureError`, so the batch skips it with that reason and writes nothing.
    """

    def __init__(
        self,
        sources: Sequence[Path],
        detection: Detection,
        deblend: bool,
        corrected: Mapping[Path, np.ndarray] | None = None,
    ) -> None:
        """Plan removals for `sources`, the pictures `detection` was run on, in that order.

        Args:
            sources: the detected pictures, in detection order.
            detection: where the mark is in each.
            deblend: undo the blend where sound (fits α and W first, see `fit_matte`);
                False inpaints the whole mark.
            corrected: per source, a mask the person corrected; it replaces the detected
                one (blend undone only inside it, the rest of it inpainted).
        """
        self._index = {source: index for index, source in enumerate(sources)}
        self._detection = detection
        self._deblend = deblend
        self._matte: Matte | None = None
        self._corrected = dict(corrected or {})

    def prepare(
        self, on_progress: ProgressCallback = ignore_progress, token: CancelToken | None = None
    ) -> Matte | None:
        """Fit the matte now (seconds on a CPU) rather than on the first picture planned.

        Raises:
            JobCancelled: `token` was cancelled during the fit (nothing is kept).
        """
        if self._deblend and self._matte is None:
            self._matte = fit_matte(self._detection, on_progress=on_progress, token=token)
        return self._matte

    def __call__(self, source: Path, rgb: np.ndarray) -> RepairPlan:
        shape = rgb.shape[:2]
        nothing = np.zeros(shape, bool)
        corrected = self._corrected.get(source)
        placement = self._detection.placements[self._index[source]]
        if placement is None or placement.confidence < MIN_CONFIDENCE:
            if corrected is None:
                raise MarkNotInPictureError(0.0 if placement is None else placement.confidence)
            return RepairPlan(rgb, corrected, nothing, (Note(NoteKind.HAND_MASK_INPAINTED),))
        detected = removal_mask(self._detection, self._index[source], shape)
        wanted = detected if corrected is None else corrected
        matte = self.prepare()
        if matte is None:
            return RepairPlan(rgb, wanted, nothing)
        result = unblend(rgb, self._detection.mark, matte, placement)
        if not result.holds:
            facts = {"unexplained": 100 * result.unexplained, "leftover": result.leftover}
            note = Note(NoteKind.UNBLEND_DID_NOT_FIT, facts)
            return RepairPlan(rgb, wanted, nothing, (note,))
        changed = result.changed & wanted
        unblended = np.where(changed[..., None], result.rgb, rgb)
        to_inpaint = dilate(result.to_inpaint, INPAINT_GROWTH) & wanted
        if corrected is not None:
            to_inpaint |= corrected & ~changed  # brushed beyond the mark's translucent part
        if to_inpaint.any():
            undone = changed.sum() / max(1, (changed | to_inpaint).sum())
            note = Note(NoteKind.BLEND_UNDONE_PART, {"percent": math.floor(100 * undone)})
        else:
            note = Note(NoteKind.BLEND_UNDONE_WHOLE)
        return RepairPlan(unblended, to_inpaint, changed, (note,))


def removal_mask(detection: Detection, index: int, shape: tuple[int, int]) -> np.ndarray:
    """The pixels removal takes the mark from in picture `index`, unless a person corrects it.

    The detected mark grown by `INPAINT_GROWTH`; empty where the mark was not found.
    """
    if not detection.found_in(index):
        return np.zeros(shape, bool)
    return dilate(detection.mask_for(index, shape), INPAINT_GROWTH)


def fit_matte(
    detection: Detection,
    limit: int = 12,
    on_progress: ProgressCallback = ignore_progress,
    token: CancelToken | None = None,
) -> Matte:
    """Fit α and W on the (at most `limit`) pictures that match the mark best.

    A dozen varied pictures pin α and W down (see benchmarks/watermark_quality.py); more
    only cost time, and pictures that barely match would only add noise.
    """
    from lamadesk.core.watermark.matting import estimate_matte

    aligned = detection.aligned
    ranked = np.argsort(aligned.confidences)[::-1]
    chosen = [aligned.crops[i] for i in ranked[:limit] if aligned.confidences[i] >= MIN_CONFIDENCE]
    if not chosen:
        chosen = [aligned.crops[i] for i in ranked[:limit]]
    return estimate_matte(
        chosen, detection.mark.mask, detection.mark.matte, on_progress=on_progress, token=token
    )
