# ruff: noqa: RUF001 - full-width Chinese punctuation is intended
"""The settings panel shows injected diagnostics for each device state."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QGuiApplication

from lamadesk.core.diagnostics import CudaProblem, CudaState, format_report
from lamadesk.core.engine import OpenedBackend
from lamadesk.core.models.opencv.backend import OpenCvBackend
from lamadesk.ui.i18n import Translations
from lamadesk.ui.models.engine_texts import engine_texts
from lamadesk.ui.models.load_outcome import LoadOutcome
from lamadesk.ui.settings.device_panel import DevicePanel
from lamadesk.ui.settings.device_texts import device_status, problem_texts
from lamadesk.ui.settings.settings_dialog import SettingsDialog
from lamadesk.ui.settings.store import Language
from tests.ui.helpers import (
    CPU_ONLY,
    CUDA_OK,
    NO_DRIVER,
    NO_NVIDIA_GPU,
    OLD_DRIVER,
    make_context,
    report_for,
)


@pytest.fixture
def panel(qtbot) -> DevicePanel:
    widget = DevicePanel()
    qtbot.addWidget(widget)
    return widget


@pytest.fixture
def chinese(qapp):
    installed = Translations(qapp)
    assert installed.apply(Language.CHINESE_SIMPLIFIED)
    yield installed
    installed.apply(Language.ENGLISH)


def test_cpu_only_build_says_why_and_how_to_fix(panel) -> None:
    panel.show_report(report_for(CPU_ONLY), "auto")
    status = panel.status.text()
    assert "Using CPU because this PyTorch (2.14.1+cpu) is a CPU-only build" in status
    assert "Fix: install the PyTorch build for cu126" in status
    assert panel.values["torch_cuda"].text() == "none (CPU-only build)"
    assert panel.values["torch"].text() == "2.14.1+cpu"
    assert panel.values["gpu"].text() == "no NVIDIA GPU found"
    assert [panel.device_combo.itemData(i) for i in range(panel.device_combo.count())] == [
        "auto",
        "cpu",
    ]


def test_missing_driver_is_named(panel) -> None:
    panel.show_report(report_for(NO_DRIVER), "auto")
    assert "no NVIDIA driver" in panel.status.text() or "NVIDIA driver" in panel.status.text()
    assert "Fix: install the NVIDIA driver" in panel.status.text()
    assert panel.values["torch_cuda"].text() == "13.0"
    assert panel.values["driver"].text() == "not found"


def test_old_driver_is_named(panel) -> None:
    panel.show_report(report_for(OLD_DRIVER), "auto")
    assert "470.57.02 is too old" in panel.status.text()
    assert panel.values["driver"].text() == "470.57.02"


def test_working_cuda_shows_gpu_facts_and_lists_the_gpu(panel, qtbot) -> None:
    report = report_for(CUDA_OK)
    panel.show_report(report, "cuda:0")
    assert "Using CUDA on NVIDIA GeForce RTX 3060 (cuda:0)" in panel.status.text()
    assert panel.values["gpu"].text() == "NVIDIA GeForce RTX 3060"
    assert panel.values["vram_total"].text() == "12.0 GiB"
    assert panel.values["vram_free"].text() == "10.0 GiB"
    assert panel.values["capability"].text() == "8.6"
    assert panel.values["driver"].text() == "580.65.06"
    assert panel.device_combo.currentData() == "cuda:0"
    assert panel.device_combo.itemText(1) == "GPU 0: NVIDIA GeForce RTX 3060"
    panel.copy_button.click()
    assert QGuiApplication.clipboard().text() == format_report(report)
    assert panel.copy_button.text() == "Copied"
    qtbot.waitUntil(lambda: panel.copy_button.text() == "Copy diagnostics", timeout=5000)


def test_dialog_follows_the_engine_and_reloads_on_device_choice(
    qtbot, qapp, settings, tmp_path
) -> None:
    context = make_context(qapp, settings, tmp_path / "models", facts=CUDA_OK)
    dialog = SettingsDialog(settings, context.engine, context.models, context.compiler)
    qtbot.addWidget(dialog)
    assert dialog.device_panel.status.text() == "Checking devices…"
    assert dialog.model_tab.state.text() == "not installed"
    with qtbot.waitSignal(context.engine.backend_changed, timeout=30_000):
        context.engine.load("auto", settings.model_choice)
    assert "Using CUDA on NVIDIA GeForce RTX 3060" in dialog.device_panel.status.text()
    with qtbot.waitSignal(context.engine.backend_changed, timeout=30_000):
        dialog.device_panel.device_chosen.emit("cpu")
    assert settings.device == "cpu"
    assert context.engine.report.selected_device == "cpu"
    assert "the CPU was requested" in dialog.device_panel.status.text()
    context.shutdown()


def test_no_nvidia_gpu_says_there_is_nothing_to_fix(panel) -> None:
    panel.show_report(report_for(NO_NVIDIA_GPU), "auto")
    status = panel.status.text()
    assert "Using CPU because there is no NVIDIA GPU in this computer." in status
    assert "Fix: runs on the CPU; nothing to fix" in status
    assert "the CPU-only PyTorch saves about 4 GB" in status
    assert "install the NVIDIA driver" not in status


@pytest.mark.parametrize(
    ("facts", "reason", "fix"),
    [
        (CPU_ONLY, "此 PyTorch（2.14.1+cpu）是仅 CPU 版本", "安装 cu126 版 PyTorch："),
        (NO_NVIDIA_GPU, "这台电脑没有 NVIDIA 显卡", "在 CPU 上运行，无需修复"),
        (NO_DRIVER, "未找到 NVIDIA 驱动", "从 https://www.nvidia.com/Download/index.aspx 安装"),
    ],
)
def test_device_reason_and_fix_are_chinese_in_the_panel_and_status_bar(
    chinese, qtbot, facts, reason, fix
) -> None:
    panel = DevicePanel()
    qtbot.addWidget(panel)
    report = report_for(facts)
    panel.show_report(report, "auto")
    status = panel.status.text()
    assert "正在使用 CPU，因为" in status
    assert reason in status
    assert f"解决办法：{fix}" in status
    assert "because" not in status
    assert "Fix" not in status
    assert device_status(report) in status
    opened = OpenedBackend(OpenCvBackend(), None, ())
    tooltip = engine_texts(LoadOutcome(opened), report, model_missing=True).tooltip
    assert tooltip == device_status(report)
    assert reason in tooltip


def test_every_cuda_state_has_its_own_wording() -> None:
    wordings = set()
    for state in CudaState:
        if state is CudaState.USABLE:
            continue
        reason, _fix = problem_texts(CudaProblem(state, "english reason", "english fix", {}))
        assert reason
        assert reason != "english reason"
        wordings.add(reason)
    assert len(wordings) == len(CudaState) - 1


def test_copy_diagnostics_names_version_model_and_folders_and_says_copied(
    qtbot, qapp, settings, tmp_path, data_dir
) -> None:
    from lamadesk import __version__

    context = make_context(qapp, settings, data_dir / "models", facts=NO_NVIDIA_GPU)
    dialog = SettingsDialog(settings, context.engine, context.models, context.compiler)
    qtbot.addWidget(dialog)
    with qtbot.waitSignal(context.engine.backend_changed, timeout=30_000):
        context.engine.load("auto", settings.model_choice)
    dialog.device_panel.copy_button.click()
    copied = QGuiApplication.clipboard().text()
    assert copied.startswith("Using CPU because there is no NVIDIA GPU in this computer.")
    assert f"lamadesk:             {__version__}" in copied
    assert "LaMa model:           not installed" in copied
    assert f"Data folder:          {data_dir}" in copied
    assert "Text detector:        OpenVINO " in copied
    assert f"Settings file:        {settings.file_name}" in copied
    assert settings.file_name.endswith("lamadesk.ini")
    assert dialog.device_panel.copy_button.text() == "Copied"
    context.shutdown()
