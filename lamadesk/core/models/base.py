"""The one small interface every inpainting backend implements."""

from __future__ import annotations

from typing import Protocol

import numpy as np

from lamadesk.core.errors import LamadeskError


class DeviceOutOfMemoryError(LamadeskError):
    """The backend ran out of device memory; the pipeline retries smaller or on the CPU."""

    def __init__(self, device: str, detail: str) -> None:
        super().__init__(f"out of memory on {device}: {detail}")
        self.device = device
        self.detail = detail


class InpaintBackend(Protocol):
    """Fills masked pixels of one RGB image.

    Contract: `image` is RGB `(H, W, 3)` uint8, `mask` is `(H, W)` bool with at least one True
    pixel; the result is RGB `(H, W, 3)` uint8 of the same size. The backend may change pixels
    outside the mask (the pipeline composites), but must not keep state between calls.
    """

    name: str
    """Short id shown to people and in logs, e.g. ``lama`` or ``opencv``."""

    device: str
    """Where it runs, as torch spells it (``cpu``, ``cuda:0``)."""

    def inpaint(self, image: np.ndarray, mask: np.ndarray) -> np.ndarray: ...

    def release_memory(self) -> None:
        """Give cached device memory back (called after an out-of-memory error)."""
        ...

    def on_cpu(self) -> InpaintBackend:
        """The same backend running on the CPU, for the last-resort out-of-memory retry."""
        ...
