"""The long-lived objects one app run shares, built by `main()` and passed to the window."""

from __future__ import annotations

from dataclasses import dataclass, field

from lamadesk.ui.batch.thumbnails import ThumbnailLoader
from lamadesk.ui.canvas.document import Document
from lamadesk.ui.jobs.runner import JobRunner
from lamadesk.ui.models.compile_controller import CompileController
from lamadesk.ui.models.engine_controller import EngineController
from lamadesk.ui.models.model_controller import ModelController
from lamadesk.ui.settings.store import AppSettings
from lamadesk.ui.text.text_jobs import TextDetectors


@dataclass(frozen=True)
class AppContext:
    """Settings, document, engine, compile, model store, file jobs, thumbnails, text detector."""

    settings: AppSettings
    document: Document
    engine: EngineController
    compiler: CompileController
    models: ModelController
    files: JobRunner
    """Opening and saving images."""
    thumbnails: ThumbnailLoader
    text_detectors: TextDetectors = field(default_factory=TextDetectors)
    """The text detector, loaded by the first text search and kept (tests pass a fake)."""

    def shutdown(self) -> None:
        """Cancel every job and wait for the threads (never terminate them).

        The background compile is waited for last: a size being compiled cannot be stopped.
        """
        self.compiler.cancel()
        for runner in (self.engine.runner, self.models.runner, self.files):
            runner.shutdown()
        self.thumbnails.shutdown()
        self.compiler.shutdown()
