"""The Device tab: device choice, GPU facts and the status line from the core's diagnostics."""

from __future__ import annotations

import html
from collections.abc import Callable, Sequence

from PySide6.QtCore import QEvent, QTimer, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from lamadesk.core.device_probe import GpuInfo
from lamadesk.core.diagnostics import DeviceReport, format_report
from lamadesk.ui.settings.device_texts import device_status

InstallRows = Callable[[], Sequence[tuple[str, str]]]
"""What is installed (version, model, folders) as report rows, read when copying."""
COPIED_FEEDBACK_MS = 2000


def _gib(size: int | None) -> str:
    return "—" if size is None else f"{size / 2**30:.1f} GiB"


class DevicePanel(QWidget):
    """Shows a `DeviceReport`; the report is injected, so tests can show any machine."""

    device_chosen = Signal(str)
    recheck_requested = Signal()

    def __init__(
        self, install_rows: InstallRows | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._report: DeviceReport | None = None
        self._install_rows = install_rows
        self.device_combo = QComboBox()
        self.device_combo.activated.connect(
            lambda index: self.device_chosen.emit(self.device_combo.itemData(index))
        )
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.setObjectName("deviceStatus")
        self.values: dict[str, QLabel] = {}
        self._captions: dict[str, QLabel] = {}
        form = QFormLayout()
        keys = ("device", "gpu", "vram_total", "vram_free", "capability", "torch_cuda")
        for key in (*keys, "driver", "torch"):
            caption = self._captions[key] = QLabel()
            if key == "device":
                form.addRow(caption, self.device_combo)
                continue
            value = QLabel()
            value.setWordWrap(True)
            self.values[key] = value
            form.addRow(caption, value)
        self.copy_button = QPushButton()
        self.copy_button.clicked.connect(self.copy_diagnostics)
        self._copied_timer = QTimer(self, singleShot=True, interval=COPIED_FEEDBACK_MS)
        self._copied_timer.timeout.connect(self._retranslate)
        self.recheck_button = QPushButton()
        self.recheck_button.clicked.connect(self.recheck_requested)
        buttons = QHBoxLayout()
        buttons.addWidget(self.copy_button)
        buttons.addWidget(self.recheck_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.status)
        layout.addLayout(form)
        layout.addLayout(buttons)
        layout.addStretch(1)
        self.show_report(None, "auto")
        self._retranslate()

    def _retranslate(self) -> None:
        """Word the captions and buttons, and the shown report again (same device chosen)."""
        captions = {
            "device": self.tr("Device:"),
            "gpu": self.tr("GPU:"),
            "vram_total": self.tr("Video memory (total):"),
            "vram_free": self.tr("Video memory (free):"),
            "capability": self.tr("Compute capability:"),
            "torch_cuda": self.tr("CUDA version of PyTorch:"),
            "driver": self.tr("NVIDIA driver:"),
            "torch": self.tr("PyTorch:"),
        }
        for key, text in captions.items():
            self._captions[key].setText(text)
        copied = self._copied_timer.isActive()
        self.copy_button.setText(self.tr("Copied") if copied else self.tr("Copy diagnostics"))
        self.recheck_button.setText(self.tr("Check again"))
        self.show_report(self._report, self.device_combo.currentData() or "auto")

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
        super().changeEvent(event)

    def show_report(self, report: DeviceReport | None, chosen: str) -> None:
        """Fill every field from `report` (None: still probing) and select `chosen`."""
        self._report = report
        self.copy_button.setEnabled(report is not None)
        self.device_combo.clear()
        self.device_combo.addItem(self.tr("Automatic (best available)"), "auto")
        gpus: tuple[GpuInfo, ...] = () if report is None else report.facts.gpus
        for gpu in gpus:
            self.device_combo.addItem(
                self.tr("GPU {index}: {name}").format(index=gpu.index, name=gpu.name),
                f"cuda:{gpu.index}",
            )
        self.device_combo.addItem(self.tr("CPU"), "cpu")
        index = self.device_combo.findData(chosen)
        self.device_combo.setCurrentIndex(max(0, index))
        if report is None:
            self.status.setText(self.tr("Checking devices…"))
            for value in self.values.values():
                value.setText("…")
            return
        facts = report.facts
        colour = "#1b7f3b" if report.cuda_used else "#b35c00"
        self.status.setText(
            f"<b style='color:{colour}'>{html.escape(device_status(report), quote=False)}</b>"
        )
        shown = self._shown_gpu(report)
        self.values["gpu"].setText(shown.name if shown else self.tr("no NVIDIA GPU found"))
        self.values["vram_total"].setText(_gib(shown.total_memory_bytes) if shown else "—")
        self.values["vram_free"].setText(_gib(shown.free_memory_bytes) if shown else "—")
        self.values["capability"].setText((shown.capability_text or "—") if shown else "—")
        self.values["torch_cuda"].setText(
            facts.torch_cuda_version
            or (
                f"ROCm {facts.torch_hip_version}"
                if facts.torch_hip_version
                else self.tr("none (CPU-only build)")
            )
        )
        driver = facts.driver_version or self.tr("not found")
        if facts.driver_error:
            driver += f" ({facts.driver_error})"
        self.values["driver"].setText(driver)
        self.values["torch"].setText(
            facts.torch_version
            or self.tr("cannot be loaded: {error}").format(error=facts.torch_error)
        )

    @staticmethod
    def _shown_gpu(report: DeviceReport) -> GpuInfo | None:
        """The GPU in use, else the first one torch or the driver lists."""
        gpus = report.facts.gpus or report.facts.driver_gpus
        for gpu in report.facts.gpus:
            if f"cuda:{gpu.index}" == report.selected_device:
                return gpu
        return gpus[0] if gpus else None

    def copy_diagnostics(self) -> None:
        """Put the same text as ``lamadesk-cli doctor`` on the clipboard and say so."""
        if self._report is None:
            return
        rows = self._install_rows() if self._install_rows is not None else ()
        QGuiApplication.clipboard().setText(format_report(self._report, rows))
        self._copied_timer.start()
        self.copy_button.setText(self.tr("Copied"))
