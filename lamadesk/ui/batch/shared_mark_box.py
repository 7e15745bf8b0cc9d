"""The batch panel's "Shared watermark" controls: search, de-blend choice, accept and reject."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Signal
from PySide6.QtWidgets import QCheckBox, QGridLayout, QGroupBox, QPushButton, QWidget


class SharedMarkBox(QGroupBox):
    """Buttons only; `SharedMarkController` does the work when they are pressed."""

    find_requested = Signal()
    accept_requested = Signal()
    reject_requested = Signal()
    forget_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.find_button = QPushButton()
        self.find_button.clicked.connect(self.find_requested)
        self.deblend = QCheckBox()
        self.deblend.setChecked(True)
        self.accept_button = QPushButton()
        self.accept_button.clicked.connect(self.accept_requested)
        self.reject_button = QPushButton()
        self.reject_button.clicked.connect(self.reject_requested)
        self.forget_button = QPushButton()
        self.forget_button.clicked.connect(self.forget_requested)

        layout = QGridLayout(self)
        layout.addWidget(self.find_button, 0, 0)
        layout.addWidget(self.deblend, 0, 1)
        layout.addWidget(self.accept_button, 1, 0)
        layout.addWidget(self.reject_button, 1, 1)
        layout.addWidget(self.forget_button, 2, 0, 1, 2)
        self.set_reviewing(False)
        self._retranslate()

    def _retranslate(self) -> None:
        self.setTitle(self.tr("Shared watermark"))
        self.find_button.setText(self.tr("Find shared watermark"))
        self.find_button.setToolTip(
            self.tr(
                "Find the watermark the images share, and where it sits in each. To guide the "
                "search, open one of the images and draw a box around the mark with the "
                "rectangle tool first."
            )
        )
        self.deblend.setText(self.tr("Undo the blend (de-blend)"))
        self.deblend.setToolTip(
            self.tr(
                "Recover the photo under a see-through watermark exactly, and paint only where "
                "the mark is opaque. Off: paint over the whole mark."
            )
        )
        self.accept_button.setText(self.tr("Accept selected"))
        self.reject_button.setText(self.tr("Reject selected"))
        self.forget_button.setText(self.tr("Use one mask instead"))
        self.forget_button.setToolTip(
            self.tr("Forget the watermark found and apply the mask you paint to every file.")
        )

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
        super().changeEvent(event)

    def set_reviewing(self, reviewing: bool) -> None:
        """Accept, reject and forget only mean something once a mark was found."""
        for button in (self.accept_button, self.reject_button, self.forget_button):
            button.setVisible(reviewing)

    def set_searching(self, searching: bool) -> None:
        for widget in (self.find_button, self.accept_button, self.reject_button):
            widget.setEnabled(not searching)
        self.forget_button.setEnabled(not searching)
