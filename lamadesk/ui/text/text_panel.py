"""The "Text" dock: where to look, how hard, and the lines found, each to keep or drop."""

from __future__ import annotations

from enum import Enum

import numpy as np
from PySide6.QtCore import QEvent, QSize, Qt, Signal
from PySide6.QtGui import QAction, QIcon, QPixmap
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSlider,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from lamadesk.core.models.ppocr import SearchArea
from lamadesk.ui.canvas.canvas_items import rgb_to_qimage
from lamadesk.ui.status_bar import Wording
from lamadesk.ui.text.found_text import FoundText
from lamadesk.ui.text.text_batch_box import search_area_text

_INDEX_ROLE = Qt.ItemDataRole.UserRole
_THUMB = QSize(160, 40)


class Area(Enum):
    """Where to look on the open image: the core's presets, or the last rectangle drawn."""

    WHOLE = "whole"
    BOTTOM_BAND = "bottom"
    BOTTOM_RIGHT = "bottom-right"
    BOTTOM_LEFT = "bottom-left"
    TOP_BAND = "top"
    RECTANGLE = "rectangle"

    def preset(self) -> SearchArea | None:
        """The core's preset; None for the whole image or the drawn rectangle."""
        if self in (Area.WHOLE, Area.RECTANGLE):
            return None
        return SearchArea(self.value)


class TextPanel(QWidget):
    """Controls only; `FindTextController` searches and edits the mask when they change.

    Args:
        find_action: The window's Find Text action, shown as the panel's main button.
    """

    area_changed = Signal()
    sensitivity_changed = Signal()
    """The slider was released at a new value."""
    region_toggled = Signal(int, bool)
    """Region `index` was checked (kept) or unchecked (dropped) by the person."""
    all_toggled = Signal(bool)
    region_picked = Signal(int)
    """The line `index` was selected in the list (-1: none is)."""

    def __init__(self, find_action: QAction, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._summary: Wording | None = None
        self._scores: list[float] = []
        self._filling = False
        self.hint = QLabel()
        self.hint.setWordWrap(True)
        self.area = QComboBox()
        for area in Area:
            self.area.addItem("", area)
        self.area.currentIndexChanged.connect(self.area_changed)
        self.sensitivity = QSlider(Qt.Orientation.Horizontal)
        self.sensitivity.setRange(0, 100)
        self.sensitivity.setValue(50)
        self.sensitivity.setTracking(False)
        self.sensitivity.valueChanged.connect(self.sensitivity_changed)
        self.fewer, self.more = QLabel(), QLabel()
        slider_row = QHBoxLayout()
        slider_row.addWidget(self.fewer)
        slider_row.addWidget(self.sensitivity, 1)
        slider_row.addWidget(self.more)
        self.area_caption, self.sensitivity_caption = QLabel(), QLabel()
        form = QFormLayout()
        form.addRow(self.area_caption, self.area)
        form.addRow(self.sensitivity_caption, slider_row)
        self.find_button = QToolButton()
        self.find_button.setDefaultAction(find_action)
        self.find_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)

        self.list = QListWidget()
        self.list.setIconSize(_THUMB)
        self.list.itemChanged.connect(self._item_changed)
        self.list.currentRowChanged.connect(self.region_picked)
        self.keep_all, self.drop_all = QPushButton(), QPushButton()
        self.keep_all.clicked.connect(lambda: self.all_toggled.emit(True))
        self.drop_all.clicked.connect(lambda: self.all_toggled.emit(False))
        all_row = QHBoxLayout()
        all_row.addWidget(self.keep_all)
        all_row.addWidget(self.drop_all)
        self.summary = QLabel()
        self.summary.setWordWrap(True)

        layout = QVBoxLayout(self)
        layout.addWidget(self.hint)
        layout.addLayout(form)
        layout.addWidget(self.find_button)
        layout.addWidget(self.summary)
        layout.addWidget(self.list, 1)
        layout.addLayout(all_row)
        self.show_found(None, None)
        self._retranslate()

    def _retranslate(self) -> None:
        self.hint.setText(
            self.tr(
                "Finds date stamps, captions and other writing, and masks their letters. "
                "Uncheck a line to leave it in the photo; press Remove to clean the rest."
            )
        )
        self.area_caption.setText(self.tr("Look in:"))
        for row in range(self.area.count()):
            area = self.area.itemData(row)
            self.area.setItemText(
                row,
                self.tr("Inside the rectangle drawn")
                if area is Area.RECTANGLE
                else search_area_text(SearchArea(area.value)),
            )
        self.area.setToolTip(
            self.tr(
                "Where to look. For “Inside the rectangle drawn”, draw a rectangle around the "
                "text with the rectangle tool (R) first: the text found in it replaces it."
            )
        )
        self.sensitivity_caption.setText(self.tr("Sensitivity:"))
        self.fewer.setText(self.tr("Fewer"))
        self.more.setText(self.tr("More"))
        self.sensitivity.setToolTip(
            self.tr("Higher finds fainter text, and more things that are not text.")
        )
        self.keep_all.setText(self.tr("Keep all"))
        self.drop_all.setText(self.tr("Drop all"))
        self._word_items()
        self.summary.setText("" if self._summary is None else self._summary())

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
        super().changeEvent(event)

    # -- choices ---------------------------------------------------------------------
    def chosen_area(self) -> Area:
        return self.area.currentData()

    def set_area(self, area: Area) -> None:
        self.area.setCurrentIndex(self.area.findData(area))

    def chosen_sensitivity(self) -> float:
        return self.sensitivity.value() / 100

    # -- the lines found ---------------------------------------------------------------
    def show_found(self, found: FoundText | None, rgb: np.ndarray | None) -> None:
        """List `found`'s regions (with a picture of each cut from `rgb`), or nothing."""
        self._filling = True
        self.list.clear()
        if found is not None and rgb is not None:
            for index, region in enumerate(found.regions):
                item = QListWidgetItem(_thumbnail(rgb, region.box.slices()), "")
                item.setData(_INDEX_ROLE, index)
                item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
                self.list.addItem(item)
        self._filling = False
        self.show_kept(found)

    def show_kept(self, found: FoundText | None) -> None:
        """Set the check boxes from `found` (after an undo or redo, say)."""
        self._filling = True
        for row in range(self.list.count()):
            item = self.list.item(row)
            kept = found is not None and found.is_kept(item.data(_INDEX_ROLE))
            item.setCheckState(Qt.CheckState.Checked if kept else Qt.CheckState.Unchecked)
        self._filling = False
        self._scores = [] if found is None else [region.score for region in found.regions]
        self._word_items()
        for button in (self.keep_all, self.drop_all):
            button.setEnabled(self.list.count() > 0)

    def set_summary(self, summary: Wording | None) -> None:
        self._summary = summary
        self.summary.setText("" if summary is None else summary())

    def is_checked(self, index: int) -> bool:
        return self.list.item(index).checkState() == Qt.CheckState.Checked

    def set_checked(self, index: int, checked: bool) -> None:
        """Check or uncheck a line as a person would (the toggle signal follows)."""
        state = Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked
        self.list.item(index).setCheckState(state)

    def _word_items(self) -> None:
        self._filling, was = True, self._filling
        for row in range(self.list.count()):
            item = self.list.item(row)
            score = round(100 * self._scores[row]) if row < len(self._scores) else 0
            item.setText(
                self.tr("Line {number} · sure {score}%").format(number=row + 1, score=score)
            )
        self._filling = was

    def _item_changed(self, item: QListWidgetItem) -> None:
        if not self._filling:
            self.region_toggled.emit(
                item.data(_INDEX_ROLE), item.checkState() == Qt.CheckState.Checked
            )


def _thumbnail(rgb: np.ndarray, inside: tuple[slice, slice]) -> QIcon:
    """The line's pixels, scaled to fit the list's icon size."""
    crop = rgb[inside]
    pixmap = QPixmap.fromImage(rgb_to_qimage(crop))
    return QIcon(
        pixmap.scaled(
            _THUMB, Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.SmoothTransformation
        )
    )
