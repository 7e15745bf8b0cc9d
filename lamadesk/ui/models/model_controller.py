"""Getting the LaMa weights into the model store from the UI: download and import jobs.

Runs on its own `JobRunner`, so a 200 MB download never blocks removals with OpenCV.
A cancelled or failed download keeps its ``.part`` file; the next download resumes it.
The mirror setting picks the download address: the store is rebuilt when it changes.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, Signal, Slot

from lamadesk.core.cancel import CancelToken
from lamadesk.core.download import TransferProgress
from lamadesk.core.model_store import ModelStatus, ModelStore
from lamadesk.core.models.registry import preferred_model
from lamadesk.ui.jobs.runner import Job, JobRunner, ProgressSink

StoreFactory = Callable[[str], ModelStore]
"""Builds the model store for a mirror URL ("" = ``LAMADESK_MODEL_URL`` or the default)."""


def default_store(mirror: str) -> ModelStore:
    """The store in the user's data folder, downloading LaMa from `mirror` when it is set."""
    return ModelStore(url_overrides={preferred_model().name: mirror})


class ModelController(QObject):
    """Starts downloads and imports, relays their progress, says when the model changed."""

    progressed = Signal(object)
    """A core `TransferProgress`."""
    installed = Signal()
    failed = Signal(object, object)
    """The job kind ("download" or "import") and the error."""
    cancelled = Signal()
    busy_changed = Signal(bool)

    def __init__(
        self,
        make_store: StoreFactory,
        mirror: str,
        runner: JobRunner,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.name = preferred_model().name
        """The model whose weights this controller installs."""
        self._make_store = make_store
        self.store = make_store(mirror)
        self.runner = runner
        runner.progressed.connect(self._on_progress)
        runner.succeeded.connect(self._on_succeeded)
        runner.failed.connect(self._on_failed)
        runner.cancelled.connect(self._on_cancelled)
        runner.busy_changed.connect(self.busy_changed)

    @property
    def busy(self) -> bool:
        return self.runner.busy

    def status(self) -> ModelStatus:
        return self.store.status(self.name)

    def download_url(self) -> str:
        return self.store.download_url(self.name)

    def default_url(self) -> str:
        """The address used while the mirror setting is empty.

        That is ``LAMADESK_MODEL_URL`` when set, else the registry's URL.
        """
        return self._make_store("").download_url(self.name)

    def set_mirror(self, mirror: str) -> None:
        """Download from `mirror` from now on ("" = the default); a running download goes on.

        The new store covers the same folder, so install state and ``.part`` files carry over.
        """
        self.store = self._make_store(mirror)

    def download(self) -> Job:
        store = self.store

        def run(sink: ProgressSink, token: CancelToken) -> Path:
            return store.download(self.name, on_progress=sink, token=token)

        return self.runner.submit(Job("download", run))

    def import_file(self, source: Path, force: bool = False) -> Job:
        store = self.store

        def run(sink: ProgressSink, token: CancelToken) -> Path:
            return store.import_file(self.name, source, force=force, on_progress=sink, token=token)

        return self.runner.submit(Job("import", run))

    def cancel(self) -> None:
        self.runner.cancel()

    @Slot(object, object)
    def _on_progress(self, _job: Job, payload: object) -> None:
        if isinstance(payload, TransferProgress):
            self.progressed.emit(payload)

    @Slot(object, object)
    def _on_succeeded(self, _job: Job, _result: object) -> None:
        self.installed.emit()

    @Slot(object, object)
    def _on_failed(self, job: Job, error: object) -> None:
        self.failed.emit(job.kind, error)

    @Slot(object)
    def _on_cancelled(self, _job: Job) -> None:
        self.cancelled.emit()
