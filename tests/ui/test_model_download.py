"""The mirror setting and the model download from the UI, against a server on 127.0.0.1.

The store gets a tiny "lama" spec whose md5 and size are those of a tiny TorchScript model,
whose default URL is a closed port: a download that works went through the mirror setting.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from types import SimpleNamespace

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from lamadesk.core.errors import ModelChecksumError
from lamadesk.core.model_store import ModelStore, VerifiedState
from lamadesk.core.models.lama.spec import MODEL_URL_ENV
from lamadesk.core.models.spec import ModelSpec
from lamadesk.ui.main_window import MainWindow
from lamadesk.ui.models.model_widgets import explain_failure, format_size
from lamadesk.ui.settings.settings_dialog import SettingsDialog
from lamadesk.ui.shell import build_context
from tests.core.http_server import FileServer, closed_port_url
from tests.ui.conftest import build_mean_fill_model
from tests.ui.helpers import CPU_ONLY, report_for

DEFAULT_URL = closed_port_url()


@pytest.fixture(autouse=True)
def _no_mirror_from_the_environment(monkeypatch) -> None:
    monkeypatch.delenv(MODEL_URL_ENV, raising=False)


@pytest.fixture(scope="module")
def model_bytes(tmp_path_factory) -> bytes:
    return build_mean_fill_model(tmp_path_factory.mktemp("model") / "tiny.pt").read_bytes()


@pytest.fixture
def server(model_bytes):
    with FileServer(model_bytes) as running:
        yield running


@pytest.fixture
def context(qapp, settings, tmp_path, model_bytes):
    spec = ModelSpec(
        name="lama",
        filename="big-lama.pt",
        url=DEFAULT_URL,
        md5=hashlib.md5(model_bytes).hexdigest(),
        size_bytes=len(model_bytes),
        description="tiny stand-in for big-lama",
    )

    def make_store(mirror: str) -> ModelStore:
        return ModelStore(tmp_path / "models", url_overrides={"lama": mirror}, specs=(spec,))

    built = build_context(settings, make_store, lambda device: report_for(CPU_ONLY, device))
    yield built
    built.shutdown()


@pytest.fixture
def window(qtbot, context):
    win = MainWindow(context)
    qtbot.addWidget(win)
    win.show()
    return win


def part_file(context) -> Path:
    return context.models.store.path("lama").with_name("big-lama.pt.part")


def type_mirror(qtbot, dialog: SettingsDialog, text: str) -> None:
    field = dialog.model_tab.mirror
    field.setFocus()
    field.selectAll()
    qtbot.keyClick(field, Qt.Key.Key_Delete)
    qtbot.keyClicks(field, text)
    qtbot.keyClick(field, Qt.Key.Key_Return)


def test_mirror_field_shows_the_default_and_refuses_non_http_addresses(
    qtbot, context, settings
) -> None:
    dialog = SettingsDialog(settings, context.engine, context.models, context.compiler)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.tabs.setCurrentWidget(dialog.model_tab)
    field = dialog.model_tab.mirror
    assert field.text() == ""
    assert field.placeholderText() == DEFAULT_URL
    assert DEFAULT_URL in field.toolTip()

    type_mirror(qtbot, dialog, "ftp://mirror.example/big-lama.pt")
    assert dialog.model_tab.mirror_error.isVisible()
    assert settings.model_mirror == ""
    assert context.models.download_url() == DEFAULT_URL

    type_mirror(qtbot, dialog, "https://mirror.example/big-lama.pt")
    assert not dialog.model_tab.mirror_error.isVisible()
    assert settings.model_mirror == "https://mirror.example/big-lama.pt"
    assert context.models.download_url() == "https://mirror.example/big-lama.pt"

    type_mirror(qtbot, dialog, "")
    assert settings.model_mirror == ""
    assert context.models.download_url() == DEFAULT_URL


def test_mirror_setting_wins_over_the_environment_and_survives_a_restart(
    qapp, settings, tmp_path, monkeypatch
) -> None:
    monkeypatch.setenv(MODEL_URL_ENV, "https://env.example/big-lama.pt")
    settings.model_mirror = "http://mirror.example:8080/big-lama.pt"
    settings.sync()

    def make_store(mirror: str) -> ModelStore:
        return ModelStore(tmp_path / "models", url_overrides={"lama": mirror})

    restarted = build_context(settings, make_store, lambda device: report_for(CPU_ONLY, device))
    assert restarted.models.download_url() == "http://mirror.example:8080/big-lama.pt"
    assert restarted.models.default_url() == "https://env.example/big-lama.pt"
    restarted.models.set_mirror("")
    assert restarted.models.download_url() == "https://env.example/big-lama.pt"
    restarted.shutdown()


def test_banner_download_from_the_mirror_shows_progress_then_installs_and_loads(
    qtbot, window, context, settings, server, model_bytes
) -> None:
    context.models.set_mirror(server.url("/mirror/big-lama.pt"))
    server.chunk_delay = 0.01
    banner = window.banner
    assert banner.isVisible()
    assert banner.download_button.text() == "Download LaMa"
    seen: list[object] = []
    context.models.progressed.connect(seen.append)

    with qtbot.waitSignal(context.models.progressed, timeout=10_000):
        qtbot.mouseClick(banner.download_button, Qt.MouseButton.LeftButton)
    assert banner.transfer.isVisible()
    assert not banner.download_button.isEnabled()
    assert f" of {format_size(len(model_bytes))}" in banner.transfer.label.text()
    # Installing loads the engine again, now with the downloaded model.
    qtbot.waitUntil(lambda: context.engine.outcome is not None, timeout=60_000)

    assert [request.path for request in server.requests] == ["/mirror/big-lama.pt"]
    assert len(seen) >= 3, "progress arrives while the file streams in"
    assert seen[-1].done_bytes == len(model_bytes)
    assert not banner.isVisible()
    status = context.models.status()
    assert status.state is VerifiedState.VERIFIED
    assert status.path.read_bytes() == model_bytes
    assert not part_file(context).exists()
    assert context.engine.outcome.opened.backend.name == "lama"
    assert window.engine_label.text().startswith("LaMa")


def test_cancel_keeps_the_part_file_and_the_banner_offers_to_resume(
    qtbot, window, context, settings, server, model_bytes
) -> None:
    context.models.set_mirror(server.url())
    server.chunk_delay = 0.2
    banner = window.banner
    with qtbot.waitSignal(
        context.models.progressed, timeout=10_000, check_params_cb=lambda p: p.done_bytes > 0
    ):
        qtbot.mouseClick(banner.download_button, Qt.MouseButton.LeftButton)
    with qtbot.waitSignal(context.models.cancelled, timeout=10_000):
        qtbot.mouseClick(banner.transfer.cancel_button, Qt.MouseButton.LeftButton)

    kept = part_file(context).stat().st_size
    assert 0 < kept < len(model_bytes)
    assert not context.models.status().installed
    assert banner.isVisible()
    assert not banner.transfer.isVisible()
    assert banner.download_button.isEnabled()
    assert banner.download_button.text().startswith("Resume download (")
    dialog = SettingsDialog(settings, context.engine, context.models, context.compiler, window)
    assert dialog.model_tab.state.text() == (
        f"not installed ({format_size(kept)} downloaded, resumable)"
    )
    assert dialog.model_tab.download_button.text() == "Resume download"
    dialog.deleteLater()

    server.chunk_delay = 0.0
    qtbot.mouseClick(banner.download_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: context.engine.outcome is not None, timeout=60_000)
    assert server.requests[-1].range_header == f"bytes={kept}-"
    assert server.requests[-1].status == 206
    assert context.models.status().path.read_bytes() == model_bytes
    assert not part_file(context).exists()
    assert not banner.isVisible()


def test_unreachable_mirror_is_reported_over_settings_with_its_address(
    qtbot, window, context, settings, dialogs
) -> None:
    dialog = SettingsDialog(settings, context.engine, context.models, context.compiler, window)
    dialog.show()
    dialog.activateWindow()
    qtbot.waitActive(dialog)
    dialog.tabs.setCurrentWidget(dialog.model_tab)
    unreachable = closed_port_url()
    type_mirror(qtbot, dialog, unreachable)
    with qtbot.waitSignal(context.models.failed, timeout=30_000):
        qtbot.mouseClick(dialog.model_tab.download_button, Qt.MouseButton.LeftButton)
    assert "warning: Model not installed" in dialogs.texts()
    assert f"Address: {unreachable}" in dialogs.texts()
    qtbot.waitUntil(lambda: not context.models.busy)
    assert dialog.model_tab.download_button.isEnabled()


def test_forced_import_question_defaults_to_no_so_enter_installs_nothing(
    qtbot, monkeypatch, tmp_path
) -> None:
    asked: list[tuple[str, bool]] = []

    def press_enter(box: QMessageBox) -> int:
        asked.append((box.text(), box.defaultButton() is box.button(QMessageBox.StandardButton.No)))
        qtbot.keyClick(box, Qt.Key.Key_Return)
        return 0

    monkeypatch.setattr(QMessageBox, "exec", press_enter)
    imports: list[object] = []
    controller = SimpleNamespace(import_file=lambda *args, **kwargs: imports.append(args))
    error = ModelChecksumError(tmp_path / "mine.pt", "e3aa4aaa15225a33ec84f9f4bc47e500", "0" * 32)

    explain_failure(None, controller, "import", error)

    ((text, no_is_default),) = asked
    assert no_is_default
    assert imports == [], "Enter answered the default, and that must not install the file"
    assert "only its checksum is not the published one" in text
    assert text.endswith("Use this file anyway?")
