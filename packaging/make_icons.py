"""Render resources/icons/lamadesk.svg into the PNG and ICO files a build needs.

Nothing binary is committed: the SVG is the one source, and every build (the PyInstaller spec
calls `make_icons`) renders it with Qt's SVG renderer, which the build environment has anyway
because it installs PySide6. Pillow writes the multi-size .ico that Windows wants for the
executable and the installer.

Usage: ``python packaging/make_icons.py OUT_DIR`` (the spec does this by itself).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SVG = ROOT / "resources" / "icons" / "lamadesk.svg"
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)


def render_png(svg: Path, size: int, destination: Path) -> Path:
    """Render `svg` as a square, transparent `size`×`size` PNG."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QGuiApplication, QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    _app = QGuiApplication.instance() or QGuiApplication([sys.argv[0]])
    renderer = QSvgRenderer(str(svg))
    if not renderer.isValid():
        raise ValueError(f"{svg} is not a valid SVG file")
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    renderer.render(painter)
    painter.end()
    destination.parent.mkdir(parents=True, exist_ok=True)
    if not image.save(str(destination), "PNG"):
        raise OSError(f"cannot write {destination}")
    return destination


def make_icons(out_dir: Path, svg: Path = SVG) -> dict[str, Path]:
    """Write ``lamadesk-256.png`` and ``lamadesk.ico`` (16–256 px) into `out_dir`."""
    from PIL import Image

    png = render_png(svg, 256, out_dir / "lamadesk-256.png")
    ico = out_dir / "lamadesk.ico"
    with Image.open(png) as image:
        image.save(ico, format="ICO", sizes=[(size, size) for size in ICO_SIZES])
    return {"png": png, "ico": ico}


if __name__ == "__main__":
    if len(sys.argv) != 2:
        raise SystemExit(__doc__)
    for kind, path in make_icons(Path(sys.argv[1])).items():
        print(f"{kind}: {path}")
