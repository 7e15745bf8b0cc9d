"""Scene items of the canvas: the image, the translucent mask overlay and the brush cursor.

Scene coordinates are image pixels. Only dirty rectangles are converted and repainted, so
brushing on a 24 MP photo touches a few tiles per mouse move, not the whole image.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QPointF, QRect, QRectF, Qt
from PySide6.QtGui import QColor, QImage, QPainter, QPen, QPixmap
from PySide6.QtWidgets import (
    QGraphicsEllipseItem,
    QGraphicsItem,
    QStyleOptionGraphicsItem,
    QWidget,
)

from lamadesk.ui.canvas.document import rect_slices

MASK_TINT = QColor(255, 48, 96, 150)


def rgb_to_qimage(rgb: np.ndarray) -> QImage:
    """A QImage copy of an `(H, W, 3)` uint8 array (the copy owns its memory)."""
    array = np.ascontiguousarray(rgb)
    height, width = array.shape[:2]
    image = QImage(array.data, width, height, array.strides[0], QImage.Format.Format_RGB888)
    return image.copy()


def qimage_to_rgb(image: QImage) -> np.ndarray:
    """An `(H, W, 3)` uint8 array from any QImage (alpha is composited on white)."""
    if image.hasAlphaChannel():
        flat = QImage(image.size(), QImage.Format.Format_RGB888)
        flat.fill(Qt.GlobalColor.white)
        painter = QPainter(flat)
        painter.drawImage(0, 0, image)
        painter.end()
        image = flat
    else:
        image = image.convertToFormat(QImage.Format.Format_RGB888)
    height, width = image.height(), image.width()
    buffer = np.frombuffer(image.constBits(), np.uint8).reshape(height, image.bytesPerLine())
    return buffer[:, : width * 3].reshape(height, width, 3).copy()


class ImageLayer(QGraphicsItem):
    """The photo as a pixmap; `update_region` repaints a changed rectangle in place.

    A plain QGraphicsPixmapItem would copy the whole pixmap on every change (implicit
    sharing detaches on paint), which is 100 MB per edit on a 24 MP photo.
    """

    def __init__(self) -> None:
        super().__init__()
        self._pixmap = QPixmap()
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemUsesExtendedStyleOption, True)

    def set_rgb(self, rgb: np.ndarray) -> None:
        self.prepareGeometryChange()
        self._pixmap = QPixmap.fromImage(rgb_to_qimage(rgb))
        self.update()

    def update_region(self, rgb: np.ndarray, rect: QRect) -> None:
        painter = QPainter(self._pixmap)
        painter.setCompositionMode(QPainter.CompositionMode.CompositionMode_Source)
        painter.drawImage(rect.topLeft(), rgb_to_qimage(rgb[rect_slices(rect)]))
        painter.end()
        self.update(QRectF(rect))

    def boundingRect(self) -> QRectF:  # noqa: N802 - Qt override
        return QRectF(0, 0, self._pixmap.width(), self._pixmap.height())

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionGraphicsItem,
        widget: QWidget | None = None,
    ) -> None:
        if self._pixmap.isNull():
            return
        smooth = painter.transform().m11() < 1.0
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, smooth)
        source = option.exposedRect.toAlignedRect().intersected(self._pixmap.rect())
        painter.drawPixmap(QRectF(source), self._pixmap, QRectF(source))


class MaskOverlay(QGraphicsItem):
    """Shows the Alpha8 mask tinted and translucent, from a premultiplied colour cache.

    The cache is refreshed only in the rectangles the mask reports as changed.
    """

    def __init__(self) -> None:
        super().__init__()
        self._mask = QImage()
        self._cache = QImage()
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemUsesExtendedStyleOption, True)

    def set_mask(self, mask: QImage) -> None:
        self.prepareGeometryChange()
        self._mask = mask
        self._cache = QImage(mask.size(), QImage.Format.Format_ARGB32_Premultiplied)
        self.refresh(QRect(0, 0, mask.width(), mask.height()))

    def refresh(self, rect: QRect) -> None:
        """Re-tint `rect` from the mask and schedule its repaint."""
        rect = rect.intersected(self._cache.rect())
        if rect.isEmpty():
            return
        painter = QPainter(self._cache)
        painter.setCompositionMode(QPainter.CompositionMode.CompositionMode_Source)
        painter.drawImage(rect.topLeft(), self._mask, rect)
        painter.setCompositionMode(QPainter.CompositionMode.CompositionMode_SourceIn)
        painter.fillRect(rect, MASK_TINT)
        painter.end()
        self.update(QRectF(rect))

    def boundingRect(self) -> QRectF:  # noqa: N802 - Qt override
        return QRectF(0, 0, self._cache.width(), self._cache.height())

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionGraphicsItem,
        widget: QWidget | None = None,
    ) -> None:
        if self._cache.isNull():
            return
        exposed = option.exposedRect.intersected(self.boundingRect())
        source = exposed.toAlignedRect().intersected(self._cache.rect())
        painter.drawImage(QRectF(source), self._cache, QRectF(source))


class BrushCursor(QGraphicsEllipseItem):
    """A circle the size of the brush in image pixels, so it scales with the zoom."""

    def __init__(self) -> None:
        super().__init__()
        outline = QPen(QColor(255, 255, 255, 230), 1.5)
        outline.setCosmetic(True)
        self.setPen(outline)
        self.setZValue(10)
        self._inner = QGraphicsEllipseItem(self)
        shadow = QPen(QColor(0, 0, 0, 200), 1)
        shadow.setCosmetic(True)
        self._inner.setPen(shadow)
        self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)
        self._size = 10.0

    def place(self, centre: QPointF, size: float) -> None:
        self._size = size
        radius = size / 2
        self.setRect(QRectF(centre.x() - radius, centre.y() - radius, size, size))
        self._inner.setRect(self.rect().adjusted(1, 1, -1, -1))
