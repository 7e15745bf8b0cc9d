"""The settings window: device and diagnostics, model, processing, output and language.

Changes apply at once (there is no OK button to forget); the dialog is not modal, so the
person can keep it open beside the canvas while the model reloads.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
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

from lamadesk.core.engine import ModelChoice
from lamadesk.core.model_store import VerifiedState
from lamadesk.core.pipeline import Strategy
from lamadesk.ui.device_panel import DevicePanel
from lamadesk.ui.engine_controller import EngineController
from lamadesk.ui.model_controller import ModelController
from lamadesk.ui.model_widgets import TransferRow, ask_import, format_size
from lamadesk.ui.settings import AppSettings, Language, SaveFormat


class SettingsDialog(QDialog):
    """Tabs: Device (diagnostics), Model (install state, download, import), Options."""

    language_chosen = Signal(object)

    def __init__(
        self,
        settings: AppSettings,
        engine: EngineController,
        models: ModelController,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Settings"))
        self._settings, self._engine, self._models = settings, engine, models
        self.tabs = QTabWidget()
        self.device_panel = DevicePanel()
        self.tabs.addTab(self.device_panel, self.tr("Device"))
        self.tabs.addTab(self._model_tab(), self.tr("Model"))
        self.tabs.addTab(self._options_tab(), self.tr("Options"))
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs)
        layout.addWidget(close)
        self.resize(620, 520)

        self.device_panel.device_chosen.connect(self._choose_device)
        self.device_panel.recheck_requested.connect(self._reload)
        engine.report_changed.connect(self._show_report)
        models.busy_changed.connect(self.refresh_model)
        self._show_report(engine.report)
        self.refresh_model()

    # -- device ----------------------------------------------------------------------
    def _show_report(self, report: object) -> None:
        self.device_panel.show_report(report, self._settings.device)  # type: ignore[arg-type]

    def _choose_device(self, device: str) -> None:
        if device != self._settings.device:
            self._settings.device = device
            self._reload()

    def _reload(self) -> None:
        self._engine.load(self._settings.device, self._settings.model_choice)

    # -- model -----------------------------------------------------------------------
    def _model_tab(self) -> QWidget:
        page = QWidget()
        self.model_state = QLabel()
        self.model_path = QLabel()
        self.model_path.setWordWrap(True)
        self.model_size = QLabel()
        self.model_choice = QComboBox()
        for text, choice in (
            (self.tr("Automatic (LaMa when installed)"), ModelChoice.AUTO),
            (self.tr("LaMa"), ModelChoice.LAMA),
            (self.tr("OpenCV (no model needed)"), ModelChoice.OPENCV),
        ):
            self.model_choice.addItem(text, choice)
        self.model_choice.setCurrentIndex(self.model_choice.findData(self._settings.model_choice))
        self.model_choice.activated.connect(self._choose_model)
        form = QFormLayout()
        form.addRow(self.tr("Method:"), self.model_choice)
        form.addRow(self.tr("LaMa model:"), self.model_state)
        form.addRow(self.tr("File:"), self.model_path)
        form.addRow(self.tr("Size:"), self.model_size)
        self.download_button = QPushButton(self.tr("Download"))
        self.download_button.clicked.connect(self._models.download)
        self.import_button = QPushButton(self.tr("Import file…"))
        self.import_button.clicked.connect(lambda: ask_import(self, self._models))
        open_folder = QPushButton(self.tr("Open folder"))
        open_folder.clicked.connect(
            lambda: QDesktopServices.openUrl(QUrl.fromLocalFile(str(self._models.store.root)))
        )
        buttons = QHBoxLayout()
        for button in (self.download_button, self.import_button, open_folder):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout = QVBoxLayout(page)
        layout.addLayout(form)
        layout.addLayout(buttons)
        layout.addWidget(TransferRow(self._models))
        layout.addStretch(1)
        return page

    def refresh_model(self) -> None:
        status = self._models.status()
        if not status.installed:
            state = self.tr("not installed")
            if status.partial_bytes:
                state += " " + self.tr("({done} downloaded, resumable)").format(
                    done=format_size(status.partial_bytes)
                )
        elif status.state is VerifiedState.VERIFIED:
            state = self.tr("installed and verified")
        elif status.state is VerifiedState.UNVERIFIED:
            state = self.tr("installed (checksum differs, used on your request)")
        else:
            state = self.tr("installed (not checked yet)")
        self.model_state.setText(state)
        self.model_path.setText(str(status.path))
        self.model_size.setText(format_size(status.size_bytes) if status.size_bytes else "—")
        busy = self._models.busy
        self.download_button.setEnabled(not busy and status.state is not VerifiedState.VERIFIED)
        self.import_button.setEnabled(not busy)

    def _choose_model(self, index: int) -> None:
        choice = self.model_choice.itemData(index)
        if choice != self._settings.model_choice:
            self._settings.model_choice = choice
            self._reload()

    # -- options ---------------------------------------------------------------------
    def _options_tab(self) -> QWidget:
        page = QWidget()
        self.strategy = QComboBox()
        for text, strategy in (
            (self.tr("Automatic"), Strategy.AUTO),
            (self.tr("Whole image (best context, most memory)"), Strategy.FULL),
            (self.tr("Crop around the mask (fast on big photos)"), Strategy.CROP),
            (self.tr("Scale down (least memory, softer)"), Strategy.RESIZE),
        ):
            self.strategy.addItem(text, strategy)
        self.strategy.setCurrentIndex(self.strategy.findData(self._settings.strategy))
        self.strategy.activated.connect(
            lambda i: setattr(self._settings, "strategy", self.strategy.itemData(i))
        )
        self.dilation = QSpinBox()
        self.dilation.setRange(0, 64)
        self.dilation.setSuffix(self.tr(" px"))
        self.dilation.setValue(self._settings.dilation)
        self.dilation.valueChanged.connect(lambda v: setattr(self._settings, "dilation", v))
        processing = QGroupBox(self.tr("Processing"))
        form = QFormLayout(processing)
        form.addRow(self.tr("Strategy:"), self.strategy)
        form.addRow(self.tr("Grow mask by:"), self.dilation)

        self.save_format = QComboBox()
        for text, fmt in (
            (self.tr("Same as the original"), SaveFormat.SAME),
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
        self.output_folder.setPlaceholderText(self.tr("Beside the original"))
        self.output_folder.editingFinished.connect(self._folder_edited)
        browse = QPushButton(self.tr("Browse…"))
        browse.clicked.connect(self._ask_folder)
        folder_row = QHBoxLayout()
        folder_row.addWidget(self.output_folder, 1)
        folder_row.addWidget(browse)
        output = QGroupBox(self.tr("Output"))
        output_form = QFormLayout(output)
        output_form.addRow(self.tr("Format:"), self.save_format)
        output_form.addRow(self.tr("Folder:"), folder_row)

        self.language = QComboBox()
        self.language.addItem("English", Language.ENGLISH)
        self.language.addItem("简体中文", Language.CHINESE_SIMPLIFIED)
        self.language.setCurrentIndex(self.language.findData(self._settings.language))
        self.language.activated.connect(self._choose_language)
        language = QGroupBox(self.tr("Language"))
        language_form = QFormLayout(language)
        language_form.addRow(self.tr("Language:"), self.language)

        layout = QVBoxLayout(page)
        for group in (processing, output, language):
            layout.addWidget(group)
        layout.addStretch(1)
        return page

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
