"""Compiling the loaded model in the background, and what to tell the person about it.

When the engine holds native LaMa on a CUDA GPU and this machine can compile, a long-running
job on its own `JobRunner` drains the core's `CompileWarmup`: every image size the model
fills is compiled on that thread while the uncompiled step keeps serving, and the size
switches over by itself once it is ready. Nobody waits for it.

The warm-up stops (cancel, then the runner's quit and wait; never terminate) when the model
reloads (device or model change), when the setting is switched off, and on quit. A size
that is being compiled finishes first: torch.compile has no point where it can be stopped,
so quitting mid-compile leaves the process running up to a minute after the window closed.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum
from typing import cast

from PySide6.QtCore import QCoreApplication, QObject, Signal, Slot

from lamadesk.core.cancel import CancelToken
from lamadesk.core.models.torch_support.compile_support import (
    CompileBlocker,
    backend_compile_blocker,
    use_compile_cache,
)
from lamadesk.core.models.torch_support.compile_warmup import (
    Compilable,
    CompileWarmup,
    WarmupEvent,
    WarmupState,
)
from lamadesk.ui.jobs.runner import Job, JobHandlers, JobRunner, ProgressSink
from lamadesk.ui.models.engine_controller import EngineController
from lamadesk.ui.models.load_outcome import LoadOutcome

log = logging.getLogger(__name__)
translate = QCoreApplication.translate

BlockerCheck = Callable[[object], CompileBlocker | None]
"""Answers what keeps a backend from being compiled (the core's check; tests inject one)."""

COMPILE_JOB = "compile"


class SpeedUp(Enum):
    """Where the background compile stands."""

    OFF = "off"
    UNAVAILABLE = "unavailable"
    WAITING = "waiting"
    """On, but no model is loaded yet (or it is reloading)."""
    WATCHING = "watching"
    """On: the next new image size will be compiled."""
    COMPILING = "compiling"
    READY = "ready"
    FAILED = "failed"


@dataclass(frozen=True)
class CompileStatus:
    """One state of the background compile; `text()` words it in the current language."""

    state: SpeedUp
    shape: tuple[int, int] | None = None
    """(height, width) being compiled, just compiled or just failed."""
    blocker: CompileBlocker | None = None
    detail: str = ""
    seconds: float | None = None

    def text(self) -> str:
        """The sentence for the settings panel and the status bar."""
        size = "" if self.shape is None else f"{self.shape[1]}×{self.shape[0]}"
        if self.state is SpeedUp.UNAVAILABLE and self.blocker is not None:
            return translate("CompileController", "Not available here: {reason}").format(
                reason=blocker_text(self.blocker)
            )
        if self.state is SpeedUp.WAITING:
            return translate("CompileController", "Waiting for the model to load…")
        if self.state is SpeedUp.WATCHING:
            return translate(
                "CompileController",
                "On: each new image size is compiled in the background the first time it is "
                "used (about a minute, seconds once cached); removals run uncompiled meanwhile.",
            )
        if self.state is SpeedUp.COMPILING:
            return translate(
                "CompileController", "Speeding up for {size} in the background…"
            ).format(size=size)
        if self.state is SpeedUp.READY:
            return translate(
                "CompileController", "Speed-up ready for {size} (compiled in {seconds:.0f} s)."
            ).format(size=size, seconds=self.seconds or 0.0)
        if self.state is SpeedUp.FAILED and self.shape is None:
            return translate(
                "CompileController",
                "Compiling in the background stopped; the model runs uncompiled ({detail}).",
            ).format(detail=self.detail)
        if self.state is SpeedUp.FAILED:
            return translate(
                "CompileController",
                "Could not compile for {size}; it keeps running uncompiled ({detail}).",
            ).format(size=size, detail=self.detail)
        return translate("CompileController", "Off: the model runs uncompiled.")


def blocker_text(blocker: CompileBlocker) -> str:
    """Why compiling is not used, in the person's language."""
    texts = {
        CompileBlocker.NOT_NATIVE: translate(
            "CompileController", "only the LaMa model with lamadesk's own engine can be compiled"
        ),
        CompileBlocker.NOT_CUDA: translate(
            "CompileController",
            "the model runs on the CPU; compiling only pays off on an NVIDIA GPU",
        ),
        CompileBlocker.BUNDLED: translate(
            "CompileController",
            "the downloaded app has no compiler; lamadesk installed with pip can compile",
        ),
        CompileBlocker.NO_TRITON: translate(
            "CompileController", "the Triton package is not installed (compiling needs it)"
        ),
        CompileBlocker.NO_C_COMPILER: translate(
            "CompileController", "no C compiler was found (Triton needs gcc or clang)"
        ),
        CompileBlocker.NO_PYTHON_HEADERS: translate(
            "CompileController", "the Python development headers are missing (Triton needs them)"
        ),
    }
    return texts[blocker]


class CompileController(QObject):
    """Starts, follows and stops the background compile of the engine's backend.

    Lives on the GUI thread like `EngineController`; the warm-up loop runs as one long job of
    `runner` (its own runner, so removals never queue behind it).
    """

    status_changed = Signal(object)
    """A new `CompileStatus`."""

    def __init__(
        self,
        engine: EngineController,
        runner: JobRunner,
        enabled: bool,
        blocker_for: BlockerCheck = backend_compile_blocker,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.runner = runner
        self._engine = engine
        self._enabled = enabled
        self._blocker_for = blocker_for
        self._backend: object | None = None
        self._warmup: CompileWarmup | None = None
        self._job: Job | None = None
        self._status = CompileStatus(SpeedUp.WAITING if enabled else SpeedUp.OFF)
        engine.load_started.connect(self._on_load_started)
        engine.backend_changed.connect(self._on_backend_changed)
        engine.load_failed.connect(self._on_load_failed)

    @property
    def status(self) -> CompileStatus:
        return self._status

    @property
    def enabled(self) -> bool:
        return self._enabled

    def set_enabled(self, enabled: bool) -> None:
        """Switch the background compile on or off for the loaded model (at once)."""
        if enabled != self._enabled:
            self._enabled = enabled
            self._restart()

    def cancel(self) -> None:
        """Stop the warm-up without waiting (the window is closing; `shutdown` waits later)."""
        self._stop()

    def shutdown(self) -> None:
        """Stop the warm-up and wait for its thread; a compile in progress finishes first."""
        self._stop()
        if self.runner.busy:
            log.info("waiting for a compile in progress to finish (it cannot be interrupted)")
        self.runner.shutdown()

    # -- engine ----------------------------------------------------------------------
    @Slot()
    def _on_load_started(self) -> None:
        self._backend = None
        self._restart()

    @Slot(object)
    def _on_backend_changed(self, outcome: LoadOutcome) -> None:
        self._backend = outcome.opened.backend
        self._restart()

    @Slot(object)
    def _on_load_failed(self, _error: object) -> None:
        outcome = self._engine.outcome
        self._backend = None if outcome is None else outcome.opened.backend
        self._restart()

    # -- warm-up ---------------------------------------------------------------------
    def _restart(self) -> None:
        self._stop()
        if self._backend is None:
            self._set(CompileStatus(SpeedUp.WAITING if self._enabled else SpeedUp.OFF))
            return
        blocker = self._blocker_for(self._backend)
        if blocker is not None:
            log.info("not compiling in the background: %s", blocker.value)
            self._set(CompileStatus(SpeedUp.UNAVAILABLE, blocker=blocker))
        elif not self._enabled:
            self._set(CompileStatus(SpeedUp.OFF))
        else:
            self._start(cast(Compilable, self._backend))

    def _start(self, backend: Compilable) -> None:
        warmup = CompileWarmup(backend, None)

        def run(sink: ProgressSink, token: CancelToken) -> None:
            use_compile_cache()
            warmup.run(sink, token)
            token.raise_if_cancelled()  # it only returns when stopped: report it as cancelled

        self._warmup = warmup
        job = Job(COMPILE_JOB, run)
        self._job = job  # before submit: an idle runner starts it right away
        self.runner.submit(
            job,
            JobHandlers(
                progressed=lambda payload: self._on_progress(job, payload),
                failed=lambda error: self._on_failed(job, error),
            ),
        )
        self._set(CompileStatus(SpeedUp.WATCHING))

    def _stop(self) -> None:
        if self._warmup is not None:
            self._warmup.detach()
            self._warmup = None
        if self._job is not None:
            job, self._job = self._job, None
            self.runner.cancel(job)

    def _set(self, status: CompileStatus) -> None:
        self._status = status
        self.status_changed.emit(status)

    def _on_progress(self, job: Job, payload: object) -> None:
        if job is not self._job or not isinstance(payload, WarmupEvent):
            return  # a stopped warm-up finishing its last size
        states = {
            WarmupState.COMPILING: SpeedUp.COMPILING,
            WarmupState.READY: SpeedUp.READY,
            WarmupState.FAILED: SpeedUp.FAILED,
        }
        state = states.get(payload.state)
        if state is not None:
            self._set(CompileStatus(state, payload.shape, None, payload.detail, payload.seconds))

    def _on_failed(self, job: Job, error: object) -> None:
        if job is self._job:
            self._job = None
            if self._warmup is not None:
                self._warmup.detach()
                self._warmup = None
            self._set(CompileStatus(SpeedUp.FAILED, detail=str(error)))
