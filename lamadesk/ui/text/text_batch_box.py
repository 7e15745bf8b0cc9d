"""The batch panel's "Text" controls: where to look, search every file, leave the review."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QEvent, Signal
from PySide6.QtWidgets import QComboBox, QGridLayout, QGroupBox, QLabel, QPushButton, QWidget

from lamadesk.core.models.ppocr import SearchArea


def search_area_text(area: SearchArea) -> str:
    """The name of an area preset in the current language (the batch box and Text panel)."""
    translate = QCoreApplication.translate
    return {
        SearchArea.WHOLE: translate("SearchArea", "Whole image"),
        SearchArea.BOTTOM_BAND: translate("SearchArea", "Bottom band"),
        SearchArea.BOTTOM_RIGHT: translate("SearchArea", "Bottom right corner"),
        SearchArea.BOTTOM_LEFT: translate("SearchArea", "Bottom left corner"),
        SearchArea.TOP_BAND: translate("SearchArea", "Top band"),
    }[area]


class TextBatchBox(QGroupBox):
    """Buttons only; `TextBatchController` does the work when they are pressed."""

    find_requested = Signal()
    forget_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.area_caption = QLabel()
        self.area = QComboBox()
        for area in SearchArea:
            self.area.addItem("", area)
        self.find_button = QPushButton()
        self.find_button.clicked.connect(self.find_requested)
        self.forget_button = QPushButton()
        self.forget_button.clicked.connect(self.forget_requested)
        layout = QGridLayout(self)
        layout.addWidget(self.area_caption, 0, 0)
        layout.addWidget(self.area, 0, 1)
        layout.addWidget(self.find_button, 1, 0, 1, 2)
        layout.addWidget(self.forget_button, 2, 0, 1, 2)
        self.set_reviewing(False)
        self._retranslate()

    def _retranslate(self) -> None:
        self.setTitle(self.tr("Text"))
        self.area_caption.setText(self.tr("Look in:"))
        for row in range(self.area.count()):
            self.area.setItemText(row, search_area_text(self.area.itemData(row)))
        self.find_button.setText(self.tr("Find text in all"))
        self.find_button.setToolTip(
            self.tr(
                "Find date stamps and captions in every file, with the sensitivity set in the "
                "Text panel. Then check each file's mask by double-clicking it."
            )
        )
        self.forget_button.setText(self.tr("Use one mask instead"))
        self.forget_button.setToolTip(
            self.tr("Forget the text found and apply the mask you paint to every file.")
        )

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
        super().changeEvent(event)

    def chosen_area(self) -> SearchArea:
        return self.area.currentData()

    def set_reviewing(self, reviewing: bool) -> None:
        self.forget_button.setVisible(reviewing)
