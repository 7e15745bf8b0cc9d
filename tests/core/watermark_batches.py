"""Small stamped batches shared by the watermark tests (kept small: the suite runs on 2 cores)."""

from __future__ import annotations

import numpy as np

from tools.watermark_samples import (
    StampedBatch,
    mark_coverage,
    stamped_batch,
    textured_picture,
)

SIZE = (240, 320)
COVERAGE = mark_coverage(height=28)


def make_batch(
    count: int,
    *,
    seed: int = 0,
    sizes: tuple[tuple[int, int], ...] = (SIZE,),
    opacity: float = 0.45,
    colour: tuple[float, float, float] = (255.0, 255.0, 255.0),
    jitter: int = 3,
) -> StampedBatch:
    """`count` textured pictures with the mark near the bottom-right corner."""
    rng = np.random.default_rng(seed)
    pictures = [textured_picture(rng, *sizes[i % len(sizes)]) for i in range(count)]
    return stamped_batch(pictures, COVERAGE, rng=rng, opacity=opacity, colour=colour, jitter=jitter)
