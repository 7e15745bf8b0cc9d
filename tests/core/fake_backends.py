"""Backends written for tests: they record what they were asked and answer predictably."""

from __future__ import annotations

import threading
from collections.abc import Callable

import numpy as np

from lamadesk.core.models.base import DeviceOutOfMemoryError, InpaintBackend


class PaintBackend:
    """Paints every pixel (not just the mask) in one colour and records each call's size."""

    name = "paint"

    def __init__(self, colour: tuple[int, int, int] = (255, 0, 255), device: str = "cpu") -> None:
        self.colour = np.array(colour, dtype=np.uint8)
        self.device = device
        self.calls: list[tuple[int, int]] = []
        self.released = 0

    def inpaint(self, image: np.ndarray, mask: np.ndarray) -> np.ndarray:
        assert image.dtype == np.uint8
        assert image.shape[:2] == mask.shape
        assert mask.dtype == bool
        assert mask.any()
        self.calls.append(mask.shape)
        return np.broadcast_to(self.colour, image.shape).copy()

    def release_memory(self) -> None:
        self.released += 1

    def on_cpu(self) -> InpaintBackend:
        return self if self.device == "cpu" else PaintBackend(tuple(self.colour), "cpu")


class OutOfMemoryAbove(PaintBackend):
    """Fails like a GPU out of memory for inputs larger than `max_pixels`."""

    def __init__(self, max_pixels: int, device: str = "cuda:0") -> None:
        super().__init__(device=device)
        self.max_pixels = max_pixels

    def inpaint(self, image: np.ndarray, mask: np.ndarray) -> np.ndarray:
        if mask.size > self.max_pixels:
            raise DeviceOutOfMemoryError(self.device, "tried to allocate 2.00 GiB")
        return super().inpaint(image, mask)


class CompilablePaintBackend(PaintBackend):
    """A `PaintBackend` the compile warm-up takes for native LaMa on a GPU.

    It reports each size it fills to `shape_listener`, like `NativeLamaBackend`;
    `compile_shape` waits until the test sets `release` (so the compile can be seen in
    progress), then records the size.
    """

    def __init__(self, device: str = "cuda:0") -> None:
        super().__init__(device=device)
        self.shape_listener: Callable[[int, int], None] | None = None
        self.release = threading.Event()
        self.compiled: list[tuple[int, int]] = []

    def inpaint(self, image: np.ndarray, mask: np.ndarray) -> np.ndarray:
        if self.shape_listener is not None:
            self.shape_listener(*mask.shape)
        return super().inpaint(image, mask)

    def compile_shape(self, height: int, width: int) -> float:
        if not self.release.wait(timeout=30):
            raise TimeoutError("the test never released the compile")
        self.compiled.append((height, width))
        return 2.0


class GatedPaintBackend(PaintBackend):
    """A `PaintBackend` whose every call waits for a permit, so a test can act mid-call.

    `entered` counts the calls begun; each `permits.release()` lets one call finish, the way
    a seconds-long LaMa call on the CPU ends on its own time.
    """

    def __init__(self, device: str = "cpu") -> None:
        super().__init__(device=device)
        self.permits = threading.Semaphore(0)
        self.entered = 0

    def inpaint(self, image: np.ndarray, mask: np.ndarray) -> np.ndarray:
        self.entered += 1
        if not self.permits.acquire(timeout=30):
            raise TimeoutError("the test never let the model call finish")
        return super().inpaint(image, mask)
