"""The settings window: device and diagnostics, model, processing, speed, output, language.

Changes apply at once (there is no OK button to forget); the dialog is not modal, so the
person can keep it open beside the canvas while the model reloads.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QEvent, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from lamadesk.core.install_info import install_info, install_rows
from lamadesk.core.pipeline import Strategy
from lamadesk.ui.models.compile_controller import CompileController, CompileStatus, SpeedUp
from lamadesk.ui.models.engine_controller import EngineController
from lamadesk.ui.models.model_controller import ModelController
from lamadesk.ui.settings.device_panel import DevicePanel
from lamadesk.ui.settings.model_tab import ModelTab
from lamadesk.ui.settings.store import AppSettings, Language, SaveFormat


class SettingsDialog(QDialog):
    """Tabs: Device (diagnostics), Model (install state, download, import), Options."""

    language_chosen = Signal(object)

    def __init__(
        self,
        settings: AppSettings,
        engine: EngineController,
        models: ModelController,
        compiler: CompileController,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._settings, self._engine, self._models = settings, engine, models
        self._compiler = compiler
        self.tabs = QTabWidget()
        self.device_panel = DevicePanel(
            lambda: install_rows(install_info(models.store), settings.file_name)
        )
        self.tabs.addTab(self.device_panel, "")
        self.model_tab = ModelTab(settings, models)
        self.model_tab.choice_changed.connect(self._reload)
        self.tabs.addTab(self.model_tab, "")
        self.tabs.addTab(self._options_tab(), "")
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs)
        layout.addWidget(close)
        self.resize(620, 520)

        self.device_panel.device_chosen.connect(self._choose_device)
        self.device_panel.recheck_requested.connect(self._reload)
        engine.report_changed.connect(self._show_report)
        self._show_report(engine.report)
        compiler.status_changed.connect(self._show_compile_status)
        self._show_compile_status(compiler.status)
        self._retranslate()

    def _retranslate(self) -> None:
        """Word every text of the dialog; choices, fields and the open tab stay as they are."""
        self.setWindowTitle(self.tr("Settings"))
        for index, text in enumerate((self.tr("Device"), self.tr("Model"), self.tr("Options"))):
            self.tabs.setTabText(index, text)
        strategies = (
            self.tr("Automatic"),
            self.tr("Whole image (best context, most memory)"),
            self.tr("Crop around the mask (fast on big photos)"),
            self.tr("Scale down (least memory, softer)"),
        )
        for index, text in enumerate(strategies):
            self.strategy.setItemText(index, text)
        self.save_format.setItemText(0, self.tr("Same as the original"))
        self.dilation.setSuffix(self.tr(" px"))
        self.output_folder.setPlaceholderText(self.tr("Beside the original"))
        self.browse_button.setText(self.tr("Browse…"))
        self.processing.setTitle(self.tr("Processing"))
        self.strategy_caption.setText(self.tr("Strategy:"))
        self.dilation_caption.setText(self.tr("Grow mask by:"))
        self.output.setTitle(self.tr("Output"))
        self.format_caption.setText(self.tr("Format:"))
        self.folder_caption.setText(self.tr("Folder:"))
        self.language_group.setTitle(self.tr("Language"))
        self.language_caption.setText(self.tr("Language:"))
        self.speed.setTitle(self.tr("Speed"))
        self.compile_box.setText(
            self.tr("Compile the model in the background for more speed (NVIDIA GPUs)")
        )
        self.compile_box.setToolTip(
            self.tr(
                "On an NVIDIA GPU, a compiled model removes faster. Each new image size takes "
                "about a minute to compile the first time (seconds once cached); meanwhile "
                "removals run as before, so you never wait for it."
            )
        )
        self._show_compile_status(self._compiler.status)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
        super().changeEvent(event)

    # -- device ----------------------------------------------------------------------
    def _show_report(self, report: object) -> None:
        self.device_panel.show_report(report, self._settings.device)  # type: ignore[arg-type]

    def _choose_device(self, device: str) -> None:
        if device != self._settings.device:
            self._settings.device = device
            self._reload()

    def _reload(self) -> None:
        self._engine.load(self._settings.device, self._settings.model_choice)

    # -- options ---------------------------------------------------------------------
    def _options_tab(self) -> QWidget:
        page = QWidget()
        self.strategy = QComboBox()
        for strategy in (Strategy.AUTO, Strategy.FULL, Strategy.CROP, Strategy.RESIZE):
            self.strategy.addItem("", strategy)  # worded in _retranslate, in this order
        self.strategy.setCurrentIndex(self.strategy.findData(self._settings.strategy))
        self.strategy.activated.connect(
            lambda i: setattr(self._settings, "strategy", self.strategy.itemData(i))
        )
        self.dilation = QSpinBox()
        self.dilation.setRange(0, 64)
        self.dilation.setValue(self._settings.dilation)
        self.dilation.valueChanged.connect(lambda v: setattr(self._settings, "dilation", v))
        self.processing = processing = QGroupBox()
        form = QFormLayout(processing)
        self.strategy_caption, self.dilation_caption = QLabel(), QLabel()
        form.addRow(self.strategy_caption, self.strategy)
        form.addRow(self.dilation_caption, self.dilation)
        speed = self._speed_group()

        self.save_format = QComboBox()
        for text, fmt in (
            ("", SaveFormat.SAME),  # worded in _retranslate
            ("PNG", SaveFormat.PNG),
            ("JPEG", SaveFormat.JPEG),
            ("WebP", SaveFormat.WEBP),
        ):
            self.save_format.addItem(text, fmt)
        self.save_format.setCurrentIndex(self.save_format.findData(self._settings.save_format))
        self.save_format.activated.connect(
            lambda i: setattr(self._settings, "save_format", self.save_format.itemData(i))
        )
        self.output_folder = QLineEdit(str(self._settings.output_folder or ""))
        self.output_folder.editingFinished.connect(self._folder_edited)
        self.browse_button = QPushButton()
        self.browse_button.clicked.connect(self._ask_folder)
        folder_row = QHBoxLayout()
        folder_row.addWidget(self.output_folder, 1)
        folder_row.addWidget(self.browse_button)
        self.output = output = QGroupBox()
        output_form = QFormLayout(output)
        self.format_caption, self.folder_caption = QLabel(), QLabel()
        output_form.addRow(self.format_caption, self.save_format)
        output_form.addRow(self.folder_caption, folder_row)

        self.language = QComboBox()
        self.language.addItem("English", Language.ENGLISH)
        self.language.addItem("简体中文", Language.CHINESE_SIMPLIFIED)
        self.language.setCurrentIndex(self.language.findData(self._settings.language))
        self.language.activated.connect(self._choose_language)
        self.language_group = language = QGroupBox()
        language_form = QFormLayout(language)
        self.language_caption = QLabel()
        language_form.addRow(self.language_caption, self.language)

        layout = QVBoxLayout(page)
        for group in (processing, speed, output, language):
            layout.addWidget(group)
        layout.addStretch(1)
        return page

    def _speed_group(self) -> QGroupBox:
        self.compile_box = QCheckBox()
        self.compile_box.setChecked(self._settings.background_compile)
        self.compile_box.toggled.connect(self._choose_compile)
        self.compile_status = QLabel()
        self.compile_status.setWordWrap(True)
        self.compile_status.setObjectName("compileStatus")
        self.speed = speed = QGroupBox()
        layout = QVBoxLayout(speed)
        layout.addWidget(self.compile_box)
        layout.addWidget(self.compile_status)
        return speed

    def _choose_compile(self, enabled: bool) -> None:
        self._settings.background_compile = enabled
        self._compiler.set_enabled(enabled)

    def _show_compile_status(self, status: CompileStatus) -> None:
        self.compile_status.setText(status.text())
        self.compile_box.setEnabled(status.state is not SpeedUp.UNAVAILABLE)

    def _folder_edited(self) -> None:
        text = self.output_folder.text().strip()
        self._settings.output_folder = Path(text) if text else None

    def _ask_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, self.tr("Output folder"))
        if folder:
            self.output_folder.setText(folder)
            self._folder_edited()

    def _choose_language(self, index: int) -> None:
        language = self.language.itemData(index)
        if language != self._settings.language:
            self._settings.language = language
            self.language_chosen.emit(language)
