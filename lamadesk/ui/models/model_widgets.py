"""Model download UI: the first-start offer banner and the shared transfer progress row."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, QEvent, Signal, Slot
from PySide6.QtWidgets import (
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from lamadesk.core.download import TransferProgress
from lamadesk.core.errors import ModelChecksumError, NetworkUnavailableError
from lamadesk.ui.errors import describe, error_text
from lamadesk.ui.models.model_controller import ModelController


def format_size(size: float) -> str:
    """Bytes as people read them: 512 KiB, 196.1 MiB."""
    for unit in ("B", "KiB", "MiB", "GiB"):
        if size < 1024 or unit == "GiB":
            return f"{size:.0f} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1024
    return f"{size:.1f} GiB"


class TransferRow(QWidget):
    """Progress bar, "12.0 MiB/s, 10 s left" and a Cancel button for a download or import."""

    def __init__(self, controller: ModelController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._controller = controller
        self._progress: TransferProgress | None = None
        self.bar = QProgressBar()
        self.bar.setRange(0, 1000)
        self.bar.setTextVisible(False)
        self.label = QLabel()
        self.cancel_button = QPushButton()
        self.cancel_button.clicked.connect(controller.cancel)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.bar, 1)
        layout.addWidget(self.label)
        layout.addWidget(self.cancel_button)
        controller.progressed.connect(self._on_progress)
        controller.busy_changed.connect(self.setVisible)
        self.setVisible(controller.busy)
        self._retranslate()

    def _retranslate(self) -> None:
        self.cancel_button.setText(self.tr("Cancel (resume later)"))
        if self._progress is not None:
            self._on_progress(self._progress)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
        super().changeEvent(event)

    @Slot(object)
    def _on_progress(self, progress: TransferProgress) -> None:
        self._progress = progress
        fraction = progress.fraction
        if fraction is None:
            self.bar.setRange(0, 0)
        else:
            self.bar.setRange(0, 1000)
            self.bar.setValue(round(fraction * 1000))
        text = self.tr("{done} of {total}").format(
            done=format_size(progress.done_bytes),
            total=format_size(progress.total_bytes) if progress.total_bytes else "?",
        )
        if progress.bytes_per_second > 0:
            text += " · " + self.tr("{speed}/s").format(
                speed=format_size(progress.bytes_per_second)
            )
        if progress.eta_seconds is not None:
            text += " · " + self.tr("{seconds} s left").format(seconds=round(progress.eta_seconds))
        self.label.setText(text)


def ask_import(parent: QWidget, controller: ModelController) -> None:
    """Let the person pick a model file and start importing it."""
    path, _filter = QFileDialog.getOpenFileName(
        parent,
        QCoreApplication.translate("ModelDialogs", "Import the LaMa model file"),
        str(Path.home()),
        QCoreApplication.translate("ModelDialogs", "TorchScript model (*.pt *.pth);;All files (*)"),
    )
    if path:
        controller.import_file(Path(path))


def unknown_model_question(parent: QWidget, error: ModelChecksumError) -> QMessageBox:
    """Ask before a forced import; No is the default, so Enter never installs an unknown file.

    The import checks the content before the checksum, so the file already is an intact
    big-lama archive: the text says that using it skips only the checksum.
    """
    text = (
        describe(error)
        + "\n\n"
        + QCoreApplication.translate(
            "ModelDialogs",
            "It is an intact big-lama model archive with all of big-lama's weight tensors "
            "(lamadesk checked that first); only its checksum is not the published one.",
        )
        + "\n\n"
        + QCoreApplication.translate("ModelDialogs", "Use this file anyway?")
    )
    box = QMessageBox(
        QMessageBox.Icon.Question,
        QCoreApplication.translate("ModelDialogs", "Unknown model file"),
        text,
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
        parent,
    )
    box.setDefaultButton(QMessageBox.StandardButton.No)
    return box


def explain_failure(parent: QWidget, controller: ModelController, kind: str, error: object) -> None:
    """Say why a download or import failed and what to do; offer a forced import on checksum.

    `parent` should be the active window (Settings when the download started there), or the
    message opens behind it.
    """
    if kind == "import" and isinstance(error, ModelChecksumError):
        box = unknown_model_question(parent, error)
        box.exec()
        if box.clickedButton() is box.button(QMessageBox.StandardButton.Yes):
            controller.import_file(error.path, force=True)
        return
    text = error_text(error)
    if isinstance(error, NetworkUnavailableError):
        text += "\n\n" + QCoreApplication.translate(
            "ModelDialogs", "Address: {url}\nThe file goes to: {path}"
        ).format(url=controller.download_url(), path=controller.status().path)
    QMessageBox.warning(
        parent, QCoreApplication.translate("ModelDialogs", "Model not installed"), text
    )


class ModelOfferBanner(QFrame):
    """Shown at the first start without the model: download, import, or go on with OpenCV.

    Not a modal dialog: the person can open images and work with OpenCV meanwhile.
    """

    dismissed = Signal()

    def __init__(self, controller: ModelController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._controller = controller
        self.setObjectName("modelOffer")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setStyleSheet(
            "#modelOffer { background: palette(alternate-base); border-radius: 4px; }"
        )
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.download_button = QPushButton()
        self.import_button = QPushButton()
        self.opencv_button = QPushButton()
        self.transfer = TransferRow(controller)
        buttons = QHBoxLayout()
        buttons.addWidget(self.download_button)
        buttons.addWidget(self.import_button)
        buttons.addWidget(self.opencv_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.message)
        layout.addLayout(buttons)
        layout.addWidget(self.transfer)
        self.download_button.clicked.connect(controller.download)
        self.import_button.clicked.connect(lambda: ask_import(self, controller))
        self.opencv_button.clicked.connect(self._dismiss)
        controller.busy_changed.connect(self._refresh)
        self._refresh()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._refresh()
        super().changeEvent(event)

    def _refresh(self) -> None:
        """Word the offer and the buttons for the model's state (also on a language change)."""
        self.import_button.setText(self.tr("Import model file…"))
        self.opencv_button.setText(self.tr("Continue with OpenCV"))
        status = self._controller.status()
        busy = self._controller.busy
        self.message.setText(
            self.tr(
                "<b>The LaMa model is not installed.</b> It fills removed areas with realistic "
                "texture and needs a one-time download of {size}. Until then lamadesk uses "
                "OpenCV, which is fine for thin text but smears larger areas."
            ).format(
                size=format_size(self._controller.store.spec(self._controller.name).size_bytes)
            )
        )
        if status.partial_bytes:
            self.download_button.setText(
                self.tr("Resume download ({done} done)").format(
                    done=format_size(status.partial_bytes)
                )
            )
        else:
            self.download_button.setText(self.tr("Download LaMa"))
        for button in (self.download_button, self.import_button):
            button.setEnabled(not busy)

    def _dismiss(self) -> None:
        self.hide()
        self.dismissed.emit()
