"""Shared builders for UI tests: device states, a context with injected probe and store."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import QEvent, QPoint, QPointF, Qt
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QApplication

from lamadesk.core.device_probe import GpuInfo, ProbeFacts
from lamadesk.core.diagnostics import DeviceReport, diagnose
from lamadesk.core.model_store import ModelStore
from lamadesk.ui.canvas.view import CanvasView
from lamadesk.ui.context import AppContext
from lamadesk.ui.main_window import MainWindow
from lamadesk.ui.settings.store import AppSettings
from lamadesk.ui.shell import build_context

CPU_ONLY = ProbeFacts(
    platform_system="Linux",
    python_version="3.11.7",
    torch_version="2.14.1+cpu",
    driver_library_found=False,
)
NO_DRIVER = ProbeFacts(
    platform_system="Windows",
    python_version="3.11.7",
    torch_version="2.14.1+cu130",
    torch_cuda_version="13.0",
    cuda_error="Found no NVIDIA driver on your system.",
    driver_library_found=False,
)
# This machine: a CUDA build of torch, and no NVIDIA GPU at all.
NO_NVIDIA_GPU = replace(NO_DRIVER, platform_system="Linux", nvidia_gpu_present=False)
RTX = GpuInfo(0, "NVIDIA GeForce RTX 3060", (8, 6), 12 * 2**30, 10 * 2**30)
CUDA_OK = ProbeFacts(
    platform_system="Linux",
    python_version="3.11.7",
    torch_version="2.14.1+cu130",
    torch_cuda_version="13.0",
    cuda_available=True,
    arch_list=("sm_80", "sm_86", "sm_90"),
    gpus=(RTX,),
    driver_version="580.65.06",
    driver_source="nvidia-smi",
    driver_gpus=(RTX,),
    driver_library_found=True,
)
OLD_DRIVER = ProbeFacts(
    platform_system="Linux",
    python_version="3.11.7",
    torch_version="2.14.1+cu130",
    torch_cuda_version="13.0",
    cuda_error="The NVIDIA driver on your system is too old",
    driver_version="470.57.02",
    driver_source="nvidia-smi",
    driver_gpus=(RTX,),
    driver_library_found=True,
)


def report_for(facts: ProbeFacts, device: str = "auto") -> DeviceReport:
    return diagnose(device, facts=facts)


def make_context(
    qapp: QApplication, settings: AppSettings, models: Path, facts: ProbeFacts = CPU_ONLY
) -> AppContext:
    """A context whose probe returns `facts` (torch still loads for a LaMa model)."""
    return build_context(
        settings,
        lambda mirror: ModelStore(root=models, url_overrides={"lama": mirror}),
        lambda device: diagnose(device, facts=facts),
    )


def opencv_window(qtbot, context: AppContext) -> MainWindow:
    """The main window of `context`, shown at 1200×800, once the OpenCV engine is loaded."""
    window = MainWindow(context)
    qtbot.addWidget(window)
    window.resize(1200, 800)
    window.show()
    with qtbot.waitSignal(context.engine.backend_changed, timeout=30_000):
        context.engine.load("auto", "opencv")
    return window


def add(window: MainWindow, qtbot, paths: list[Path]) -> None:
    """Add `paths` to the batch; the window opens the first one by itself."""
    with qtbot.waitSignal(window.document.opened, timeout=10_000):
        window.add_to_batch(paths)


def double_click(window: MainWindow, qtbot, path: Path) -> None:
    panel = window.batch_panel
    item = panel.list.item(panel.paths().index(path))
    panel.list.scrollToItem(item)
    where = panel.list.visualItemRect(item).center()
    with qtbot.waitSignal(window.document.opened, timeout=10_000):
        # A view opens only what the same click pressed first, as a real double-click does.
        qtbot.mouseClick(panel.list.viewport(), Qt.MouseButton.LeftButton, pos=where)
        qtbot.mouseDClick(panel.list.viewport(), Qt.MouseButton.LeftButton, pos=where)


def remove_all(window: MainWindow, qtbot, out: Path) -> object:
    window.batch_panel.set_output_folder(out)
    runner = window.context.engine.runner
    with qtbot.waitSignal(
        runner.succeeded, timeout=120_000, check_params_cb=lambda job, _: job.kind == "batch"
    ) as blocker:
        window.batch_panel.run_button.click()
    return blocker.args[1]


def mouse(view: CanvasView, kind: QEvent.Type, at: QPoint, button: Qt.MouseButton, buttons) -> None:
    event = QMouseEvent(
        kind,
        QPointF(at),
        QPointF(view.viewport().mapToGlobal(at)),
        button,
        buttons,
        Qt.KeyboardModifier.NoModifier,
    )
    QApplication.sendEvent(view.viewport(), event)


def drag(
    view: CanvasView, points: list[tuple[float, float]], button=Qt.MouseButton.LeftButton
) -> None:
    """Press at the first image point, move through the others, release at the last."""
    drag_view(view, [view.mapFromScene(QPointF(x, y)) for x, y in points], button)


def drag_view(view: CanvasView, where: list[QPoint], button=Qt.MouseButton.LeftButton) -> None:
    """Press at the first viewport position, move through the others, release at the last."""
    mouse(view, QEvent.Type.MouseButtonPress, where[0], button, button)
    for point in where[1:]:
        mouse(view, QEvent.Type.MouseMove, point, Qt.MouseButton.NoButton, button)
    mouse(view, QEvent.Type.MouseButtonRelease, where[-1], button, Qt.MouseButton.NoButton)
