"""The inpainting pipeline: mask preparation, strategy, out-of-memory recovery, compositing.

Backends only fill holes; this module decides what they see and guarantees that every pixel
outside the (dilated) mask comes back bit-for-bit unchanged, whatever the strategy.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from enum import Enum

import cv2
import numpy as np

from lamadesk.core import masks
from lamadesk.core.cancel import (
    CancelToken,
    ProgressCallback,
    StepCallback,
    ignore_progress,
    ignore_steps,
)
from lamadesk.core.errors import MaskCoversImageError
from lamadesk.core.models.base import DeviceOutOfMemoryError, InpaintBackend
from lamadesk.core.notes import Note, NoteKind

log = logging.getLogger(__name__)

CPU_CROP_SHARE = 0.5
"""On the CPU, AUTO crops when the crops cover less than this share of the image."""


class Strategy(Enum):
    """How a large image is fed to the model."""

    AUTO = "auto"
    """`full` for images up to `InpaintOptions.full_limit`, `crop` above; on the CPU also
    `crop` when the crops would cover less than `CPU_CROP_SHARE` of the image.

    The model's time grows with the pixels it sees, and on the CPU that is seconds: a corner
    logo on a 1024×768 photo took 11.8 s in full and 1.3 s cropped on 2 cores
    (`benchmarks/remove_time.py`). On a GPU the whole image costs tens of milliseconds, keeps
    all of its context, and keeps one size per photo, which the GPU's graph and compile
    caches are keyed on.
    """
    FULL = "full"
    """The whole image at full resolution: best context, most memory."""
    CROP = "crop"
    """Only boxes around the mask plus a margin: fast and light on big photos."""
    RESIZE = "resize"
    """The whole image scaled down to `resize_limit`: bounded memory, softer fill."""


@dataclass(frozen=True)
class InpaintOptions:
    """Knobs of one removal; the defaults suit watermarks on camera photos."""

    strategy: Strategy = Strategy.AUTO
    dilate_px: int = 0
    full_limit: int = 1536
    crop_margin: int = 128
    crop_limit: int = 2048
    """A crop whose longer side exceeds this is scaled down before the model sees it."""
    resize_limit: int = 2048


@dataclass(frozen=True)
class InpaintResult:
    """The repainted image and what happened on the way."""

    rgb: np.ndarray
    mask: np.ndarray
    """The mask actually repainted (after binarising and dilation)."""
    backend: str
    device: str
    seconds: float
    notes: tuple[Note, ...]


def inpaint(
    image: np.ndarray,
    mask: np.ndarray,
    backend: InpaintBackend,
    options: InpaintOptions | None = None,
    on_progress: ProgressCallback = ignore_progress,
    token: CancelToken | None = None,
    on_step: StepCallback = ignore_steps,
) -> InpaintResult:
    """Remove what `mask` covers from RGB `image`.

    Out of device memory, it frees the cache and retries in smaller crops, then on the CPU,
    and says so in the result's notes instead of failing. `on_step` hears each model call
    done (a retry starts counting again); one call is the smallest step a cancel waits for.

    Raises:
        JobCancelled: `token` was cancelled between two steps.
        MaskCoversImageError: The (dilated, maybe scaled) mask leaves no pixel to fill from.
    """
    options = options or InpaintOptions()
    token = token or CancelToken()
    started = time.perf_counter()
    prepared = masks.dilate(mask, options.dilate_px)
    if not prepared.any():
        on_progress(100, "mask is empty")
        empty = (Note(NoteKind.MASK_EMPTY),)
        return InpaintResult(image, prepared, backend.name, backend.device, 0.0, empty)
    notes: list[Note] = []
    strategy = _resolve(options, prepared, backend.device)
    filled, used = _fill_with_recovery(
        image, prepared, backend, options, strategy, notes, (on_progress, on_step), token
    )
    output = image.copy()
    output[prepared] = filled[prepared]
    on_progress(100, "done")
    seconds = time.perf_counter() - started
    return InpaintResult(output, prepared, used.name, used.device, seconds, tuple(notes))


def _resolve(options: InpaintOptions, mask: np.ndarray, device: str) -> Strategy:
    if options.strategy is not Strategy.AUTO:
        return options.strategy
    if max(mask.shape) > options.full_limit:
        return Strategy.CROP
    if device == "cpu":
        cropped = sum(
            box.height * box.width for box in masks.region_boxes(mask, options.crop_margin)
        )
        if cropped < CPU_CROP_SHARE * mask.size:
            return Strategy.CROP
    return Strategy.FULL


def _fill_with_recovery(
    image: np.ndarray,
    mask: np.ndarray,
    backend: InpaintBackend,
    options: InpaintOptions,
    strategy: Strategy,
    notes: list[Note],
    report: tuple[ProgressCallback, StepCallback],
    token: CancelToken,
) -> tuple[np.ndarray, InpaintBackend]:
    try:
        return _fill(image, mask, backend, options, strategy, report, token), backend
    except DeviceOutOfMemoryError as exc:
        log.warning("%s", exc)
        backend.release_memory()
    smaller = InpaintOptions(
        strategy=Strategy.CROP,
        crop_margin=options.crop_margin // 2,
        crop_limit=max(256, options.crop_limit // 2),
    )
    notes.append(Note(NoteKind.OOM_SMALLER_CROPS, {"device": backend.device}))
    try:
        return _fill(image, mask, backend, smaller, Strategy.CROP, report, token), backend
    except DeviceOutOfMemoryError as exc:
        log.warning("%s", exc)
        backend.release_memory()
    cpu_backend = backend.on_cpu()
    if cpu_backend is backend:
        raise DeviceOutOfMemoryError(backend.device, "not enough memory even for small crops")
    notes.append(Note(NoteKind.OOM_ON_CPU, {"device": backend.device}))
    return _fill(image, mask, cpu_backend, options, strategy, report, token), cpu_backend


def _fill(
    image: np.ndarray,
    mask: np.ndarray,
    backend: InpaintBackend,
    options: InpaintOptions,
    strategy: Strategy,
    report: tuple[ProgressCallback, StepCallback],
    token: CancelToken,
) -> np.ndarray:
    """The backend's fill for every masked pixel (pixels elsewhere are unspecified).

    The token is checked before each model call: a call itself cannot be interrupted.
    """
    on_progress, on_step = report
    token.raise_if_cancelled()
    if strategy in (Strategy.FULL, Strategy.RESIZE):
        on_progress(10, f"inpainting on {backend.device}")
        on_step(0, 1)
        if strategy is Strategy.FULL:
            filled = _fill_once(image, mask, backend)
        else:
            filled = _fill_scaled(image, mask, backend, options.resize_limit)
        on_step(1, 1)
        return filled
    filled = image.copy()
    boxes = masks.region_boxes(mask, options.crop_margin)
    for number, box in enumerate(boxes, start=1):
        on_progress(5 + 90 * (number - 1) // len(boxes), f"region {number} of {len(boxes)}")
        on_step(number - 1, len(boxes))
        token.raise_if_cancelled()
        rows, cols = box.slices()
        filled[rows, cols] = _fill_scaled(
            image[rows, cols], mask[rows, cols], backend, options.crop_limit
        )
    on_step(len(boxes), len(boxes))
    return filled


def _fill_scaled(
    image: np.ndarray, mask: np.ndarray, backend: InpaintBackend, limit: int
) -> np.ndarray:
    """Fill at most `limit` pixels on the longer side, scaling the result back up."""
    height, width = mask.shape
    scale = limit / max(height, width)
    if scale >= 1.0:
        return _fill_once(image, mask, backend)
    small_size = (max(1, round(width * scale)), max(1, round(height * scale)))
    small_image = cv2.resize(image, small_size, interpolation=cv2.INTER_AREA)
    # INTER_AREA averages, so any partly covered pixel stays masked: thin strokes survive.
    small_mask = cv2.resize(mask.astype(np.float32), small_size, interpolation=cv2.INTER_AREA)
    small_filled = _fill_once(small_image, small_mask > 0, backend)
    return cv2.resize(small_filled, (width, height), interpolation=cv2.INTER_CUBIC)


def _fill_once(image: np.ndarray, mask: np.ndarray, backend: InpaintBackend) -> np.ndarray:
    """One backend call, refused when the mask leaves nothing to fill from."""
    if mask.all():
        raise MaskCoversImageError
    return backend.inpaint(image, mask)
