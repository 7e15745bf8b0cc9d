"""Cancellation and progress plumbing shared by every long-running core function."""

from __future__ import annotations

import threading
from collections.abc import Callable

from lamadesk.core.errors import JobCancelled

ProgressCallback = Callable[[int, str], None]
"""Called with a percentage (0-100) and a short English description of the current step."""


StepCallback = Callable[[int, int], None]
"""Called with the model calls done and their total for one image: ``(0, n)`` before the
first, then after each. One call gives no progress of its own, so a caller can show a busy
indicator while ``total`` is 1 (a whole LaMa run on the CPU takes seconds)."""


def ignore_progress(percent: int, message: str) -> None:
    """Progress sink for callers that do not show progress."""


def ignore_steps(done: int, total: int) -> None:
    """Step sink for callers that do not show steps."""


class CancelToken:
    """A flag another thread sets; the worker checks it between steps.

    A plain `threading.Event` underneath, so `cancel()` takes effect immediately even while
    the worker thread is busy (a queued Qt slot would only run after the job).
    """

    def __init__(self) -> None:
        self._event = threading.Event()

    def cancel(self) -> None:
        self._event.set()

    @property
    def cancelled(self) -> bool:
        return self._event.is_set()

    def raise_if_cancelled(self) -> None:
        """Raise `JobCancelled` if `cancel()` was called."""
        if self._event.is_set():
            raise JobCancelled
