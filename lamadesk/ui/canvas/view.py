"""The editing canvas: image, mask overlay, brush tools, zoom and pan (QGraphicsView)."""

from __future__ import annotations

from enum import Enum

import numpy as np
from PySide6.QtCore import QEvent, QPointF, QRect, QRectF, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPalette,
    QPen,
    QResizeEvent,
    QTransform,
    QWheelEvent,
)
from PySide6.QtWidgets import QFrame, QGraphicsRectItem, QGraphicsScene, QGraphicsView, QWidget

from lamadesk.ui.canvas.canvas_items import BrushCursor, ImageLayer, MaskOverlay
from lamadesk.ui.canvas.document import Document
from lamadesk.ui.canvas.mask_editor import MaskEditor
from lamadesk.ui.settings.store import DEFAULT_BRUSH, MAX_BRUSH, MIN_BRUSH

MIN_ZOOM, MAX_ZOOM = 0.01, 32.0
_WHEEL_STEP = 1.0015  # per 1/8 degree: one notch (120) zooms by about 20 %
_FIT_MARGIN = 2  # view pixels around a fitted image, as QGraphicsView.fitInView leaves


class Tool(Enum):
    """What a left-button drag on the canvas does."""

    BRUSH = "brush"
    ERASER = "eraser"
    RECTANGLE = "rectangle"


class CanvasView(QGraphicsView):
    """Shows the document and turns mouse gestures into mask edits."""

    zoom_changed = Signal(float)
    brush_size_changed = Signal(int)
    rectangle_drawn = Signal(QRect)
    """The rectangle tool filled this rectangle (image pixels, clipped to the image)."""

    def __init__(self, document: Document, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._document = document
        self._editor = MaskEditor(document)
        self._tool = Tool.BRUSH
        self._brush_size = DEFAULT_BRUSH
        self._stroke_last: QPointF | None = None
        self._rect_start: QPointF | None = None
        self._pan_from: QPointF | None = None
        self._space_held = False
        self._showing_original = False
        self._placeholder = ""
        self._fitting = True
        """The view follows its size with Fit until the person zooms."""

        self.setScene(QGraphicsScene(self))
        self._image = ImageLayer()
        self._original = ImageLayer()
        self._original.setVisible(False)
        self._overlay = MaskOverlay()
        self._cursor = BrushCursor()
        self._cursor.setVisible(False)
        self._rubber = QGraphicsRectItem()
        pen = QPen(QColor(255, 255, 255), 1, Qt.PenStyle.DashLine)
        pen.setCosmetic(True)
        self._rubber.setPen(pen)
        self._rubber.setBrush(QColor(255, 48, 96, 90))
        self._rubber.setVisible(False)
        self._outline = QGraphicsRectItem()
        outline_pen = QPen(QColor(255, 220, 0), 2, Qt.PenStyle.DashLine)
        outline_pen.setCosmetic(True)
        self._outline.setPen(outline_pen)
        self._outline.setVisible(False)
        items = (self._image, self._original, self._overlay, self._rubber, self._outline)
        for z, item in enumerate(items):
            item.setZValue(z)
            self.scene().addItem(item)
        self.scene().addItem(self._cursor)

        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setBackgroundBrush(self.palette().color(QPalette.ColorRole.Dark))
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorViewCenter)
        self.setResizeAnchor(QGraphicsView.ViewportAnchor.AnchorViewCenter)
        self.setViewportUpdateMode(QGraphicsView.ViewportUpdateMode.SmartViewportUpdate)
        self.setOptimizationFlag(QGraphicsView.OptimizationFlag.DontSavePainterState, True)
        self.setMouseTracking(True)
        self.setAcceptDrops(False)
        self.viewport().setAcceptDrops(False)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)

        document.opened.connect(self._on_opened)
        document.pixels_changed.connect(self._on_pixels_changed)
        document.mask_changed.connect(self._on_mask_changed)
        self._update_cursor_shape()

    # -- public API ------------------------------------------------------------------
    @property
    def tool(self) -> Tool:
        return self._tool

    def set_tool(self, tool: Tool) -> None:
        self._tool = tool
        self._update_cursor_shape()

    @property
    def brush_size(self) -> int:
        return self._brush_size

    def set_brush_size(self, size: int) -> None:
        size = max(MIN_BRUSH, min(MAX_BRUSH, int(size)))
        if size != self._brush_size:
            self._brush_size = size
            if self._cursor.isVisible():
                self._cursor.place(self._cursor.rect().center(), size)
            self.brush_size_changed.emit(size)

    def change_brush_size(self, steps: int) -> None:
        """`[` and `]`: about 15 % per step, at least one pixel."""
        factor = 1.15**steps
        new = round(self._brush_size * factor)
        if new == self._brush_size:
            new += 1 if steps > 0 else -1
        self.set_brush_size(new)

    def clear_mask(self) -> None:
        self._editor.clear()

    def show_outline(self, rect: QRect) -> None:
        """Outline `rect` (image pixels) on the image, e.g. the text line picked in a list.

        An empty rectangle hides the outline; the view scrolls to show a new one.
        """
        self._outline.setVisible(not rect.isEmpty())
        if not rect.isEmpty():
            self._outline.setRect(QRectF(rect))
            self.ensureVisible(QRectF(rect), 40, 40)

    def set_placeholder(self, text: str) -> None:
        self._placeholder = text
        self.viewport().update()

    @property
    def zoom(self) -> float:
        return self.transform().m11()

    def fit(self) -> None:
        """Show the whole image as large as the view allows (Ctrl+0).

        Measured against the viewport without scroll bars (`maximumViewportSize`), not with
        `fitInView`: the bars of a zoomed-in view hide only after the fit, which would leave
        a margin the width of a bar.
        """
        if self._document.is_empty:
            return
        area = self.maximumViewportSize()
        bounds = QRectF(self._document.bounds)
        scale = min(
            (area.width() - 2 * _FIT_MARGIN) / bounds.width(),
            (area.height() - 2 * _FIT_MARGIN) / bounds.height(),
        )
        self._fitting = True
        if scale <= 0:  # not laid out yet; the first resize fits
            return
        self.setTransform(QTransform.fromScale(scale, scale))
        self.centerOn(bounds.center())
        self.zoom_changed.emit(self.zoom)

    def actual_size(self) -> None:
        self._fitting = False
        self.resetTransform()
        self.zoom_changed.emit(self.zoom)

    def zoom_by(self, factor: float, anchor: QPointF | None = None) -> None:
        """Zoom by `factor`, keeping the image point under viewport position `anchor` fixed.

        Done here rather than with Qt's AnchorUnderMouse, which follows the last mouse move
        that QGraphicsView itself saw (our mouse handlers take those) and the global cursor.
        """
        factor = max(MIN_ZOOM / self.zoom, min(MAX_ZOOM / self.zoom, factor))
        self._fitting = False
        if anchor is None:
            anchor = QPointF(self.viewport().rect().center())
        inverted, _ok = self.viewportTransform().inverted()
        fixed = inverted.map(anchor)
        self.scale(factor, factor)
        drift = self.viewportTransform().map(fixed) - anchor
        horizontal, vertical = self.horizontalScrollBar(), self.verticalScrollBar()
        horizontal.setValue(horizontal.value() + round(drift.x()))
        vertical.setValue(vertical.value() + round(drift.y()))
        self.zoom_changed.emit(self.zoom)

    def show_original(self, show: bool) -> None:
        """Before/after: show the image as opened, without the mask, while `show` is True."""
        if show == self._showing_original or self._document.is_empty:
            return
        self._showing_original = show
        if show and self._original.boundingRect().isEmpty():
            original = self._document.original_rgb
            if original is not None:
                self._original.set_rgb(original)
        self._original.setVisible(show)
        self._overlay.setVisible(not show)

    @property
    def showing_original(self) -> bool:
        return self._showing_original

    # -- document events -------------------------------------------------------------
    def _on_opened(self) -> None:
        self._showing_original = False
        self._original.setVisible(False)
        self._original.set_rgb(np.zeros((0, 0, 3), np.uint8))
        self._overlay.setVisible(True)
        self._outline.setVisible(False)
        self._image.set_rgb(self._document.rgb)
        self._overlay.set_mask(self._document.mask_image)
        self.setSceneRect(QRectF(self._document.bounds))
        self.fit()
        self._update_cursor_shape()

    def _on_mask_changed(self, rect: QRect) -> None:
        self._overlay.refresh(rect)

    def _on_pixels_changed(self, rect: QRect) -> None:
        self._image.update_region(self._document.rgb, rect)

    # -- mouse -----------------------------------------------------------------------
    def _scene_point(self, event: QMouseEvent | QWheelEvent) -> QPointF:
        return self.mapToScene(event.position().toPoint())

    def mousePressEvent(self, event: QMouseEvent) -> None:
        button = event.button()
        if button == Qt.MouseButton.MiddleButton or (
            button == Qt.MouseButton.LeftButton and self._space_held
        ):
            self._pan_from = event.position()
            self.viewport().setCursor(Qt.CursorShape.ClosedHandCursor)
            event.accept()
            return
        if button != Qt.MouseButton.LeftButton or not self._editable():
            super().mousePressEvent(event)
            return
        point = self._scene_point(event)
        if self._tool is Tool.RECTANGLE:
            self._rect_start = point
            self._rubber.setRect(QRectF(point, point))
            self._rubber.setVisible(True)
        else:
            self._editor.begin_stroke()
            self._editor.paint_segment(point, point, self._brush_size, self._erasing())
            self._stroke_last = point
        event.accept()

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if self._pan_from is not None:
            delta = event.position() - self._pan_from
            self._pan_from = event.position()
            horizontal, vertical = self.horizontalScrollBar(), self.verticalScrollBar()
            horizontal.setValue(horizontal.value() - round(delta.x()))
            vertical.setValue(vertical.value() - round(delta.y()))
            event.accept()
            return
        point = self._scene_point(event)
        self._place_cursor(point)
        if self._stroke_last is not None:
            self._editor.paint_segment(self._stroke_last, point, self._brush_size, self._erasing())
            self._stroke_last = point
        elif self._rect_start is not None:
            self._rubber.setRect(QRectF(self._rect_start, point).normalized())
        event.accept()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if self._pan_from is not None and event.button() in (
            Qt.MouseButton.MiddleButton,
            Qt.MouseButton.LeftButton,
        ):
            self._pan_from = None
            self._update_cursor_shape()
        elif event.button() == Qt.MouseButton.LeftButton:
            if self._rect_start is not None:
                rect = QRectF(self._rect_start, self._scene_point(event)).normalized()
                self._rubber.setVisible(False)
                self._rect_start = None
                filled = self._editor.fill_rect(rect.toAlignedRect())
                if not filled.isEmpty():
                    self.rectangle_drawn.emit(filled)
            self._stroke_last = None
        event.accept()

    def wheelEvent(self, event: QWheelEvent) -> None:
        steps = event.angleDelta().y()
        if steps and not self._document.is_empty:
            self.zoom_by(_WHEEL_STEP**steps, event.position())
            self._place_cursor(self._scene_point(event))
        event.accept()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if self._fitting:  # e.g. an image opened before the window had its size
            self.fit()

    def leaveEvent(self, event: QEvent) -> None:
        self._cursor.setVisible(False)
        super().leaveEvent(event)

    # -- keys ------------------------------------------------------------------------
    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Space:
            if not event.isAutoRepeat():
                self._space_held = True
                self._cursor.setVisible(False)
                self.viewport().setCursor(Qt.CursorShape.OpenHandCursor)
            event.accept()
            return
        super().keyPressEvent(event)

    def keyReleaseEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Space:
            if not event.isAutoRepeat():
                self._space_held = False
                self._update_cursor_shape()
            event.accept()
            return
        super().keyReleaseEvent(event)

    # -- helpers ---------------------------------------------------------------------
    def _editable(self) -> bool:
        return not self._document.is_empty and not self._showing_original

    def _erasing(self) -> bool:
        return self._tool is Tool.ERASER

    def _place_cursor(self, point: QPointF) -> None:
        brushing = self._tool is not Tool.RECTANGLE and not self._space_held
        self._cursor.setVisible(brushing and self._editable() and self._pan_from is None)
        if brushing:
            self._cursor.place(point, self._brush_size)

    def _update_cursor_shape(self) -> None:
        if self._space_held:
            shape = Qt.CursorShape.OpenHandCursor
        elif self._tool is Tool.RECTANGLE:
            shape = Qt.CursorShape.CrossCursor
        else:
            shape = Qt.CursorShape.BlankCursor if self._editable() else Qt.CursorShape.ArrowCursor
        self.viewport().setCursor(shape)

    def drawForeground(self, painter: QPainter, rect: QRectF) -> None:  # noqa: N802 - Qt override
        if self._document.is_empty and self._placeholder:
            painter.save()
            painter.resetTransform()
            painter.setPen(self.palette().color(QPalette.ColorRole.BrightText))
            painter.drawText(
                self.viewport().rect(), Qt.AlignmentFlag.AlignCenter, self._placeholder
            )
            painter.restore()
