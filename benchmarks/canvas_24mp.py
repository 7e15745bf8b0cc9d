"""Canvas responsiveness on a 24 MP photo (a benchmark, not a test).

Usage: ``python benchmarks/canvas_24mp.py [--zoom fit|1] [--brush PX] [--runs N]``. Opens a
6000×4000 image in the real `CanvasView` (offscreen unless QT_QPA_PLATFORM is set) and times,
each step followed by the repaint a person would wait for:

- loading and displaying the image (`Document.load` plus the first paint),
- one brush stroke of 100 mouse moves (ms per move: median and max),
- undoing that stroke,
- building the bool mask a removal job gets (`Document.mask_array`),
- and, for reference, a zoom step that repaints the whole view.

A move has to stay well under a 60 Hz frame (16 ms) for the brush to follow the hand.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

WIDTH, HEIGHT = 6000, 4000
MOVES = 100


def photo() -> np.ndarray:
    """A 24 MP RGB image with structure (gradients and noise), not a flat colour."""
    rng = np.random.default_rng(0)
    y = np.linspace(0, 255, HEIGHT, dtype=np.float32)[:, None]
    x = np.linspace(0, 255, WIDTH, dtype=np.float32)[None, :]
    rgb = np.empty((HEIGHT, WIDTH, 3), np.uint8)
    rgb[..., 0] = x
    rgb[..., 1] = y
    rgb[..., 2] = rng.integers(0, 256, (HEIGHT, WIDTH), dtype=np.uint8)
    return rgb


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--zoom", choices=("fit", "1"), default="fit")
    parser.add_argument("--brush", type=int, default=120, help="brush size in image pixels")
    parser.add_argument("--runs", type=int, default=3, help="strokes to time (fresh stroke each)")
    args = parser.parse_args()
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

    from PySide6.QtCore import QEvent, QObject, QPoint, QPointF, QRect, Qt
    from PySide6.QtGui import QMouseEvent
    from PySide6.QtWidgets import QApplication

    from lamadesk.core.image_model import LoadedImage, SourceInfo
    from lamadesk.ui.canvas.document import Document
    from lamadesk.ui.canvas.view import CanvasView

    app = QApplication(["canvas_24mp"])
    document = Document()
    view = CanvasView(document)
    view.resize(1280, 800)
    view.show()
    app.processEvents()
    rgb = photo()
    image = LoadedImage(rgb, None, SourceInfo(path=Path("big.jpg"), format="JPEG", mode="RGB"))

    painted: list[QRect] = []

    class PaintSpy(QObject):
        def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
            if event.type() == QEvent.Type.Paint:
                painted.append(event.rect())
            return False

    spy = PaintSpy()
    view.viewport().installEventFilter(spy)

    def settle() -> None:
        """Deliver the scene's pending update and the repaint of the dirty region it asks for.

        Twice, because the scene posts its change to the view, which then posts the paint.
        """
        app.processEvents()
        app.processEvents()

    def mouse(kind: QEvent.Type, at: QPoint, button: Qt.MouseButton) -> None:
        buttons = Qt.MouseButton.NoButton if kind == QEvent.Type.MouseButtonRelease else button
        event = QMouseEvent(
            kind,
            QPointF(at),
            QPointF(view.viewport().mapToGlobal(at)),
            button if kind != QEvent.Type.MouseMove else Qt.MouseButton.NoButton,
            buttons,
            Qt.KeyboardModifier.NoModifier,
        )
        QApplication.sendEvent(view.viewport(), event)

    started = time.perf_counter()
    document.load(image, None)
    settle()
    load_ms = (time.perf_counter() - started) * 1000
    if args.zoom == "1":
        view.actual_size()
        view.centerOn(WIDTH / 2, HEIGHT / 2)
    settle()
    view.set_brush_size(args.brush)

    moves: list[float] = []
    areas: list[int] = []
    undo_ms: list[float] = []
    left = Qt.MouseButton.LeftButton
    for run in range(args.runs):
        # A wavy stroke across the visible part of the image, ~100 moves long.
        visible = view.mapToScene(view.viewport().rect()).boundingRect()
        xs = np.linspace(visible.left() + 40, visible.right() - 40, MOVES + 1)
        ys = visible.center().y() + visible.height() * 0.3 * np.sin(xs / visible.width() * 6 + run)
        points = [view.mapFromScene(QPointF(x, y)) for x, y in zip(xs, ys, strict=True)]
        mouse(QEvent.Type.MouseButtonPress, points[0], left)
        settle()
        for point in points[1:]:
            painted.clear()
            begin = time.perf_counter()
            mouse(QEvent.Type.MouseMove, point, left)
            settle()
            moves.append((time.perf_counter() - begin) * 1000)
            areas.append(sum(r.width() * r.height() for r in painted))
        mouse(QEvent.Type.MouseButtonRelease, points[-1], left)
        settle()
        begin = time.perf_counter()
        document.undo_stack.undo()
        settle()
        undo_ms.append((time.perf_counter() - begin) * 1000)
        document.undo_stack.redo()
        settle()

    pan_ms = []
    for step in range(20):
        begin = time.perf_counter()
        view.zoom_by(1.02 if step % 2 else 1 / 1.02)
        view.viewport().repaint()
        pan_ms.append((time.perf_counter() - begin) * 1000)

    mask_ms = []
    for _ in range(5):
        begin = time.perf_counter()
        mask = document.mask_array()
        mask_ms.append((time.perf_counter() - begin) * 1000)
    zoom = view.zoom

    print(
        f"canvas on a {WIDTH}×{HEIGHT} image ({WIDTH * HEIGHT / 1e6:.0f} MP), "
        f"view 1280×800 at zoom {zoom:.3f}, brush {args.brush} px, "
        f"{os.environ['QT_QPA_PLATFORM']} platform, {os.cpu_count()} CPUs"
    )
    print(f"(a) load and first paint:      {load_ms:8.1f} ms")
    print(
        f"(b) brush move ({len(moves)} moves):   median {statistics.median(moves):6.2f} ms, "
        f"p95 {np.percentile(moves, 95):6.2f} ms, max {max(moves):6.2f} ms"
    )
    print(
        f"    repainted per move:        median {statistics.median(areas) / 1000:6.1f} kpx of "
        f"{view.viewport().width() * view.viewport().height() / 1000:.0f} kpx in view"
    )
    print(
        f"(c) undo of one stroke:        median {statistics.median(undo_ms):6.1f} ms, "
        f"max {max(undo_ms):6.1f} ms"
    )
    print(
        f"    zoom step, whole view:     median {statistics.median(pan_ms):6.1f} ms, "
        f"max {max(pan_ms):6.1f} ms"
    )
    print(
        f"(d) bool mask for a job:       median {statistics.median(mask_ms):6.1f} ms "
        f"({int(mask.sum())} px marked)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
