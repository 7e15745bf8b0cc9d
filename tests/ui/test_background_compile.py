"""The app compiles new image sizes in the background, says so, and stops when told to.

A `CompilablePaintBackend` stands in for native LaMa on a GPU: it reports the sizes it fills
and its compile waits until the test releases it, so the compile can be seen in progress.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QRect
from PySide6.QtWidgets import QMessageBox

from lamadesk.core.diagnostics import diagnose
from lamadesk.core.engine import OpenedBackend
from lamadesk.core.model_store import ModelStore
from lamadesk.core.models.torch_support.compile_support import CompileBlocker
from lamadesk.ui.i18n import Translations
from lamadesk.ui.main_window import MainWindow
from lamadesk.ui.models import engine_controller
from lamadesk.ui.models.compile_controller import CompileStatus, SpeedUp
from lamadesk.ui.settings.settings_dialog import SettingsDialog
from lamadesk.ui.settings.store import Language
from lamadesk.ui.shell import build_context
from tests.core.fake_backends import CompilablePaintBackend
from tests.ui.helpers import CPU_ONLY, CUDA_OK

StartApp = Callable[..., MainWindow]


@pytest.fixture
def loaded(monkeypatch: pytest.MonkeyPatch) -> list[CompilablePaintBackend]:
    """Every backend the engine loads, in order (one per load; on the report's device)."""
    backends: list[CompilablePaintBackend] = []

    def open_fake(choice, store, device, report=None, **_kwargs) -> OpenedBackend:
        backend = CompilablePaintBackend(report.selected_device if report else device)
        backends.append(backend)
        return OpenedBackend(backend, report, ())

    monkeypatch.setattr(engine_controller, "open_model", open_fake)
    return backends


@pytest.fixture
def start_app(qtbot, settings, tmp_path: Path, loaded) -> Iterator[StartApp]:
    contexts = []

    def start(facts=CUDA_OK, can_compile: bool = True) -> MainWindow:
        context = build_context(
            settings,
            lambda mirror: ModelStore(root=tmp_path / "models"),
            lambda device: diagnose(device, facts=facts),
            compile_blocker=(lambda backend: None) if can_compile else None,
        )
        contexts.append(context)
        window = MainWindow(context)
        qtbot.addWidget(window)
        window.show()
        with qtbot.waitSignal(context.engine.backend_changed, timeout=30_000):
            context.engine.load("auto", "lama")
        return window

    yield start
    for backend in loaded:
        backend.release.set()
    for context in contexts:
        context.shutdown()


def settings_dialog(qtbot, window: MainWindow) -> SettingsDialog:
    ctx = window.context
    dialog = SettingsDialog(ctx.settings, ctx.engine, ctx.models, ctx.compiler, window)
    qtbot.addWidget(dialog)
    return dialog


def remove_something(qtbot, window: MainWindow, image: Path) -> None:
    with qtbot.waitSignal(window.document.opened, timeout=10_000):
        window.open_file(image)
    window.canvas._editor.fill_rect(QRect(10, 10, 20, 15))
    with qtbot.waitSignal(window.context.engine.runner.succeeded, timeout=30_000):
        window.remove()


def test_a_new_size_compiles_in_the_background_while_removals_go_on_and_the_ui_says_so(
    start_app, loaded, qtbot, png_file, dialogs
) -> None:
    window = start_app()
    compiler = window.context.compiler
    assert compiler.status.state is SpeedUp.WATCHING
    assert compiler.runner.current_job is not None, "the warm-up waits on its own thread"
    remove_something(qtbot, window, png_file)
    backend = loaded[0]
    height, width = backend.calls[0]
    assert backend.compiled == [], "the removal did not wait for the compile"
    qtbot.waitUntil(window.compile_label.isVisible, timeout=10_000)
    compiling = f"Speeding up for {width}×{height} in the background…"
    assert window.compile_label.text() == compiling
    dialog = settings_dialog(qtbot, window)
    assert dialog.compile_status.text() == compiling
    assert dialog.compile_box.isChecked()
    assert dialog.compile_box.isEnabled()

    with qtbot.waitSignal(compiler.status_changed, timeout=10_000):
        backend.release.set()
    ready = f"Speed-up ready for {width}×{height} (compiled in 2 s)."
    assert backend.compiled == [(height, width)]
    assert compiler.status.state is SpeedUp.READY
    assert not window.compile_label.isVisible()
    assert window.statusBar().currentMessage() == ready
    assert dialog.compile_status.text() == ready

    dialogs.answer = QMessageBox.StandardButton.Discard  # the removal left unsaved edits
    assert window.close()
    qtbot.waitUntil(lambda: not compiler.runner.busy, timeout=5_000)
    assert backend.shape_listener is None


def test_switching_the_setting_off_stops_the_warmup_and_a_reload_starts_none(
    start_app, loaded, qtbot, settings
) -> None:
    window = start_app()
    compiler = window.context.compiler
    dialog = settings_dialog(qtbot, window)
    assert compiler.runner.busy
    dialog.compile_box.setChecked(False)
    assert settings.background_compile is False
    qtbot.waitUntil(lambda: not compiler.runner.busy, timeout=5_000)
    assert loaded[0].shape_listener is None
    assert dialog.compile_status.text() == "Off: the model runs uncompiled."

    with qtbot.waitSignal(window.context.engine.backend_changed, timeout=30_000):
        window.context.engine.load("cuda:0", "lama")
    assert len(loaded) == 2
    assert not compiler.runner.busy
    assert loaded[1].shape_listener is None
    assert compiler.status.state is SpeedUp.OFF

    dialog.compile_box.setChecked(True)
    assert compiler.runner.busy
    assert loaded[1].shape_listener is not None
    assert compiler.status.state is SpeedUp.WATCHING


def test_a_model_reload_stops_the_old_warmup_and_watches_the_new_model(
    start_app, loaded, qtbot
) -> None:
    window = start_app()
    compiler = window.context.compiler
    first_job = compiler.runner.current_job
    with qtbot.waitSignal(compiler.runner.cancelled, timeout=5_000) as stopped:
        window.context.engine.load("cuda:0", "lama")
    assert stopped.args == [first_job]
    qtbot.waitUntil(lambda: len(loaded) == 2 and compiler.runner.current_job is not None)
    assert compiler.runner.current_job is not first_job
    assert loaded[0].shape_listener is None
    assert loaded[1].shape_listener is not None


def test_the_cpu_starts_no_warmup_and_the_settings_say_why(start_app, loaded, qtbot) -> None:
    window = start_app(facts=CPU_ONLY, can_compile=False)
    compiler = window.context.compiler
    assert loaded[0].device == "cpu"
    assert compiler.status.state is SpeedUp.UNAVAILABLE
    assert not compiler.runner.busy
    assert loaded[0].shape_listener is None
    dialog = settings_dialog(qtbot, window)
    assert dialog.compile_status.text() == (
        "Not available here: the model runs on the CPU; compiling only pays off on an NVIDIA GPU"
    )
    assert not dialog.compile_box.isEnabled()
    assert not window.compile_label.isVisible()


def test_the_compile_status_follows_the_chosen_language(qapp) -> None:
    compiling = CompileStatus(SpeedUp.COMPILING, (768, 1024))
    blocked = CompileStatus(SpeedUp.UNAVAILABLE, blocker=CompileBlocker.NO_TRITON)
    translations = Translations(qapp)
    try:
        assert translations.apply(Language.CHINESE_SIMPLIFIED)
        assert compiling.text() == "正在后台为 1024×768 加速…"
        assert blocked.text() == "此处不可用：未安装 Triton 包（编译需要它）"  # noqa: RUF001
    finally:
        translations.apply(Language.ENGLISH)
    assert compiling.text() == "Speeding up for 1024×768 in the background…"
