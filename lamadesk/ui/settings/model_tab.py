"""Settings → Model: method, install state, download mirror, download and import buttons."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from lamadesk.core.model_store import VerifiedState
from lamadesk.core.models.registry import AUTO, inpainter_choices, model
from lamadesk.ui.models.model_controller import ModelController
from lamadesk.ui.models.model_widgets import TransferRow, ask_import, format_size
from lamadesk.ui.settings.store import AppSettings, is_mirror_url


class ModelTab(QWidget):
    """Shows the LaMa model's state and gets it installed; edits the model settings."""

    choice_changed = Signal()
    """The method changed; the engine should load again."""

    def __init__(
        self, settings: AppSettings, models: ModelController, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._settings, self._models = settings, models
        self.state = QLabel()
        self.path = QLabel()
        self.path.setWordWrap(True)
        self.size = QLabel()
        self.choice = QComboBox()
        for choice in inpainter_choices():
            self.choice.addItem("", choice)  # worded in _retranslate
        self.choice.setCurrentIndex(self.choice.findData(settings.model_choice))
        self.choice.activated.connect(self._choose)
        self.mirror = QLineEdit(settings.model_mirror)
        self.mirror.setPlaceholderText(models.default_url())
        self.mirror.editingFinished.connect(self._mirror_edited)
        self.mirror_error = QLabel()
        self.mirror_error.setStyleSheet("color: #d9534f;")  # reads as an error on light and dark
        self.mirror_error.setWordWrap(True)
        self.mirror_error.hide()
        mirror_box = QVBoxLayout()
        mirror_box.setSpacing(2)
        mirror_box.addWidget(self.mirror)
        mirror_box.addWidget(self.mirror_error)
        self._captions = [QLabel() for _ in range(5)]
        form = QFormLayout()
        fields = (self.choice, self.state, self.path, self.size, mirror_box)
        for caption, field in zip(self._captions, fields, strict=True):
            form.addRow(caption, field)

        self.download_button = QPushButton()
        self.download_button.clicked.connect(models.download)
        self.import_button = QPushButton()
        self.import_button.clicked.connect(lambda: ask_import(self, models))
        self.open_folder_button = QPushButton()
        self.open_folder_button.clicked.connect(
            lambda: QDesktopServices.openUrl(QUrl.fromLocalFile(str(models.store.root)))
        )
        buttons = QHBoxLayout()
        for button in (self.download_button, self.import_button, self.open_folder_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addLayout(buttons)
        layout.addWidget(TransferRow(models))
        layout.addStretch(1)
        models.busy_changed.connect(self.refresh)
        self._retranslate()

    def _retranslate(self) -> None:
        """Word the captions, choices and buttons, and the model's state again."""
        # Translated by model name; a model without an entry shows the registry's name.
        texts = {
            AUTO: self.tr("Automatic (LaMa when installed)"),
            "lama": self.tr("LaMa"),
            "opencv": self.tr("OpenCV (no model needed)"),
        }
        for index in range(self.choice.count()):
            name = self.choice.itemData(index)
            self.choice.setItemText(index, texts.get(name) or model(name).display_name)
        captions = (
            self.tr("Method:"),
            self.tr("LaMa model:"),
            self.tr("File:"),
            self.tr("Size:"),
            self.tr("Download from (mirror URL):"),
        )
        for caption, text in zip(self._captions, captions, strict=True):
            caption.setText(text)
        self.mirror.setToolTip(
            self.tr("Leave empty to download from {url}").format(url=self._models.default_url())
        )
        self.mirror_error.setText(
            self.tr("Enter an address starting with http:// or https://, or leave it empty.")
        )
        self.import_button.setText(self.tr("Import file…"))
        self.open_folder_button.setText(self.tr("Open folder"))
        self.refresh()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
        super().changeEvent(event)

    def refresh(self) -> None:
        status = self._models.status()
        if not status.installed and status.partial_bytes:
            state = self.tr("not installed ({done} downloaded, resumable)").format(
                done=format_size(status.partial_bytes)
            )
        elif not status.installed:
            state = self.tr("not installed")
        elif status.state is VerifiedState.VERIFIED:
            state = self.tr("installed and verified")
        elif status.state is VerifiedState.UNVERIFIED:
            state = self.tr("installed (checksum differs, used on your request)")
        else:
            state = self.tr("installed (not checked yet)")
        self.state.setText(state)
        self.path.setText(str(status.path))
        self.size.setText(format_size(status.size_bytes) if status.size_bytes else "—")
        busy = self._models.busy
        resumable = not status.installed and status.partial_bytes > 0
        text = self.tr("Resume download") if resumable else self.tr("Download")
        self.download_button.setText(text)
        self.download_button.setEnabled(not busy and status.state is not VerifiedState.VERIFIED)
        self.import_button.setEnabled(not busy)

    def _choose(self, index: int) -> None:
        choice = self.choice.itemData(index)
        if choice != self._settings.model_choice:
            self._settings.model_choice = choice
            self.choice_changed.emit()

    def _mirror_edited(self) -> None:
        """Store a blank or http(s) address and use it for the next download; refuse others."""
        text = self.mirror.text().strip()
        valid = not text or is_mirror_url(text)
        self.mirror_error.setVisible(not valid)
        if valid and text != self._settings.model_mirror:
            self._settings.model_mirror = text
            self._models.set_mirror(text)
