"""Compiling the native model in the background while its uncompiled step serves.

torch.compile makes the CUDA path faster but takes tens of seconds per input size (seconds
when the on-disk cache already holds it). Nobody should wait for that: the backend reports
every size it is asked to fill (`shape_listener`), `CompileWarmup` queues the sizes and
compiles them one by one in `run`, a blocking loop the app runs on its own worker thread. The
backend switches a size over to the compiled step once it is ready; until then, and for
every size not yet compiled, the uncompiled step answers as before. The CLI, which has no
worker thread, compiles each size inline before its first use instead (`compile_inline`).
"""

from __future__ import annotations

import logging
import queue
from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum
from typing import Protocol, runtime_checkable

from lamadesk.core.cancel import CancelToken

log = logging.getLogger(__name__)

Shape = tuple[int, int]


@runtime_checkable
class Compilable(Protocol):
    """What the warm-up needs from a backend (`NativeLamaBackend` on CUDA).

    Checked on the opened backend, not on the model: LaMa run by TorchScript is the same
    model and cannot be compiled.
    """

    shape_listener: Callable[[int, int], None] | None

    def compile_shape(self, height: int, width: int) -> float:
        """Compile for this image size (blocking); returns the seconds it took."""
        ...


class WarmupState(Enum):
    """What a `WarmupEvent` reports."""

    UNAVAILABLE = "unavailable"
    """Compiling cannot work here; `detail` says why. Nothing is compiled."""
    COMPILING = "compiling"
    READY = "ready"
    """`shape` is now served compiled; `seconds` is how long it took."""
    FAILED = "failed"
    """Compiling `shape` failed (`detail`); it stays uncompiled, nothing else changes."""


@dataclass(frozen=True)
class WarmupEvent:
    """One step of the warm-up, for the status bar and the log."""

    state: WarmupState
    shape: Shape | None = None
    detail: str = ""
    seconds: float | None = None


WarmupListener = Callable[[WarmupEvent], None]


class CompileWarmup:
    """A queue of image sizes to compile, drained by `run` on a background thread.

    Args:
        backend: The backend to compile; its `shape_listener` is set to `request`.
        unavailable_reason: Why compiling cannot work here (from
            :func:`~lamadesk.core.models.torch_support.compile_support.compile_unavailable_reason`),
            or None. With a reason, `run` reports it once and returns: never an error.
        max_shapes: Sizes compiled at most (each compiled size holds its own kernels, and
            torch.compile recompiles a function only a few times before giving up).
    """

    POLL_SECONDS = 0.2
    """How often an idle `run` looks at its cancel token."""

    def __init__(
        self, backend: Compilable, unavailable_reason: str | None, max_shapes: int = 4
    ) -> None:
        self._backend = backend
        self._reason = unavailable_reason
        self._max_shapes = max_shapes
        self._requested: set[Shape] = set()
        self._queue: queue.SimpleQueue[Shape] = queue.SimpleQueue()
        self._listener: Callable[[int, int], None] = self.request
        if unavailable_reason is None:
            backend.shape_listener = self.request

    @property
    def available(self) -> bool:
        return self._reason is None

    def request(self, height: int, width: int) -> None:
        """Queue a size (thread-safe, returns at once); ignores repeats and sizes past the cap."""
        shape = (height, width)
        if self._reason is not None or shape in self._requested:
            return
        if len(self._requested) >= self._max_shapes:
            return
        self._requested.add(shape)
        self._queue.put(shape)

    def run(self, on_event: WarmupListener, token: CancelToken) -> None:
        """Compile queued sizes until `token` is cancelled (blocking; for a worker thread).

        A size being compiled when `token` is cancelled finishes first: torch.compile cannot be
        interrupted. Compile failures are reported as events and the loop goes on.
        """
        if self._reason is not None:
            on_event(WarmupEvent(WarmupState.UNAVAILABLE, detail=self._reason))
            return
        while not token.cancelled:
            try:
                shape = self._queue.get(timeout=self.POLL_SECONDS)
            except queue.Empty:
                continue
            self._compile(shape, on_event)

    def compile_inline(self, on_event: WarmupListener) -> None:
        """Compile each new size when the backend first asks for it, before serving it.

        The CLI's way: there is no worker thread to run `run`, so the backend's own call waits
        for the compile and the size runs compiled from its first image on. Without compiling
        (`unavailable_reason`) the reason is reported once, as `run` does, and nothing changes.
        """
        if self._reason is not None:
            on_event(WarmupEvent(WarmupState.UNAVAILABLE, detail=self._reason))
            return

        def request_and_compile(height: int, width: int) -> None:
            self.request(height, width)
            while True:
                try:
                    shape = self._queue.get_nowait()
                except queue.Empty:
                    return
                self._compile(shape, on_event)

        self._listener = request_and_compile
        self._backend.shape_listener = request_and_compile

    def _compile(self, shape: Shape, on_event: WarmupListener) -> None:
        on_event(WarmupEvent(WarmupState.COMPILING, shape))
        try:
            seconds = self._backend.compile_shape(*shape)
        except Exception as exc:  # any compiler failure leaves the uncompiled step serving
            log.warning("compiling for %dx%d failed", *shape, exc_info=True)
            detail = str(exc).strip().splitlines()[0] if str(exc).strip() else repr(exc)
            on_event(WarmupEvent(WarmupState.FAILED, shape, detail=detail))
        else:
            log.info("compiled for %dx%d in %.1f s", *shape, seconds)
            on_event(WarmupEvent(WarmupState.READY, shape, seconds=seconds))

    def detach(self) -> None:
        """Stop hearing about sizes (the backend is being replaced)."""
        if getattr(self._backend, "shape_listener", None) == self._listener:
            self._backend.shape_listener = None
