"""A model installed by another process (the CLI) while the app runs is picked up at once."""

from __future__ import annotations

import hashlib

import pytest

from lamadesk.core.model_store import ModelStore
from lamadesk.core.models.spec import ModelSpec
from lamadesk.ui.main_window import MainWindow
from lamadesk.ui.shell import build_context
from tests.core.http_server import closed_port_url
from tests.ui.conftest import build_mean_fill_model
from tests.ui.helpers import CPU_ONLY, report_for


@pytest.fixture
def tiny_model(tmp_path):
    (tmp_path / "downloads").mkdir()
    return build_mean_fill_model(tmp_path / "downloads" / "tiny.pt")


@pytest.fixture
def spec(tiny_model) -> ModelSpec:
    data = tiny_model.read_bytes()
    return ModelSpec(
        name="lama",
        filename="big-lama.pt",
        url=closed_port_url(),
        md5=hashlib.md5(data).hexdigest(),
        size_bytes=len(data),
        description="tiny stand-in for big-lama",
    )


@pytest.fixture
def context(qapp, settings, tmp_path, spec):
    def make_store(mirror: str) -> ModelStore:
        return ModelStore(tmp_path / "models", url_overrides={"lama": mirror}, specs=(spec,))

    built = build_context(settings, make_store, lambda device: report_for(CPU_ONLY, device))
    yield built
    built.shutdown()


def test_model_imported_by_the_cli_while_the_app_runs_is_used_without_restart(
    qtbot, context, settings, tmp_path, spec, tiny_model
) -> None:
    window = MainWindow(context)
    qtbot.addWidget(window)
    window.show()
    with qtbot.waitSignal(context.engine.backend_changed, timeout=30_000):
        context.engine.load(settings.device, settings.model_choice)
    assert context.engine.outcome.opened.backend.name == "opencv"

    # What `lamadesk-cli models import lama FILE` does: its own store on the same folder.
    with qtbot.waitSignal(context.engine.backend_changed, timeout=30_000):
        ModelStore(tmp_path / "models", specs=(spec,)).import_file("lama", tiny_model)

    assert context.engine.outcome.opened.backend.name == "lama"
    assert window.engine_label.text().startswith("LaMa")
    assert window.statusBar().currentMessage().startswith("LaMa model found: now using LaMa.")
    assert not window.banner.isVisible()


def test_a_model_installed_from_the_app_is_loaded_once(
    qtbot, context, settings, tmp_path, tiny_model
) -> None:
    window = MainWindow(context)
    qtbot.addWidget(window)
    window.show()
    with qtbot.waitSignal(context.engine.backend_changed, timeout=30_000):
        context.engine.load(settings.device, settings.model_choice)
    loads = []
    context.engine.runner.started.connect(lambda job: loads.append(job.kind))
    with qtbot.waitSignal(context.engine.backend_changed, timeout=30_000):
        context.models.import_file(tiny_model)
    qtbot.wait(1500)  # longer than the watcher's settling delay
    assert loads == ["load"]
