"""Take the README screenshots under a real X server (Xvfb) with the real widgets.

Usage: ``xvfb-run -s "-screen 0 1400x900x24" python scripts/screenshots.py [--only NAME]``;
writes PNGs to ``resources/screenshots/`` (``--only shared-watermark`` takes just that one,
``--only language-switch`` the two of a language switch in the middle of a batch review,
``--only help-menu`` the Help menu and its shortcuts list, ``--only settings-device`` the
Settings → Device tab in English and in Chinese, ``--only find-text`` Find Text on a real
photo, from scikit-image's samples, with a date stamp and a caption printed on it).
Uses a temporary data folder (no model: OpenCV backend and the first-start offer) and a
temporary settings file, so the person's own setup is untouched. Device facts are the real
ones of the machine running it.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
from PIL import Image, ImageDraw, ImageFont

if TYPE_CHECKING:
    from lamadesk.ui.main_window import MainWindow
    from lamadesk.ui.settings.settings_dialog import SettingsDialog
    from lamadesk.ui.settings.store import Language
    from lamadesk.ui.shell import Shell

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "resources" / "screenshots"
sys.path.insert(0, str(ROOT))


def sample_photo(path: Path, width: int = 1600, height: int = 1067, seed: int = 0) -> Path:
    """A synthetic landscape with a semi-transparent watermark across it."""
    rng = np.random.default_rng(seed)
    y = np.linspace(0, 1, height)[:, None]
    sky = np.stack([90 + 100 * y, 150 + 70 * y, 235 - 40 * y], axis=-1) * np.ones((1, width, 1))
    image = Image.fromarray(sky.astype(np.uint8))
    draw = ImageDraw.Draw(image)
    draw.ellipse((width * 0.72, height * 0.12, width * 0.82, height * 0.27), fill=(255, 226, 140))
    for layer, colour in enumerate([(70, 120, 90), (50, 100, 70), (35, 80, 55)]):
        base = height * (0.55 + 0.12 * layer)
        xs = np.linspace(0, width, 40)
        ys = base - rng.uniform(30, 140, xs.size) * (1 - 0.3 * layer)
        draw.polygon([(0, height), *zip(xs, ys, strict=True), (width, height)], fill=colour)
    noise = rng.normal(0, 4, (height, width, 3))
    image = Image.fromarray(np.clip(np.array(image) + noise, 0, 255).astype(np.uint8))
    overlay = Image.new("RGBA", image.size, (0, 0, 0, 0))
    font_path = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"
    font = ImageFont.truetype(font_path, 120) if Path(font_path).exists() else None
    ImageDraw.Draw(overlay).text(
        (width * 0.18, height * 0.40), "© SAMPLE STOCK", font=font, fill=(255, 255, 255, 150)
    )
    image = Image.alpha_composite(image.convert("RGBA"), overlay).convert("RGB")
    image.save(path, quality=92)
    return path


def holiday_series(folder: Path, count: int, width: int = 1200, height: int = 800) -> list[Path]:
    """Landscapes that share one translucent corner logo, a few pixels off in each.

    The last picture carries no logo and one more file is broken, so the review shows every
    status the search gives.
    """
    from tools.watermark_samples import mark_coverage, stamped_batch

    rng = np.random.default_rng(7)
    pictures = []
    for _ in range(count):
        image = Image.new("RGB", (width, height))
        draw = ImageDraw.Draw(image)
        top, bottom = rng.uniform(60, 200, 3), rng.uniform(150, 250, 3)
        for row in range(height):
            share = row / height
            draw.line(
                [(0, row), (width, row)], fill=tuple(int(v) for v in top + (bottom - top) * share)
            )
        sun_x, sun_y = rng.uniform(0.1, 0.9) * width, rng.uniform(0.1, 0.35) * height
        draw.ellipse((sun_x - 50, sun_y - 50, sun_x + 50, sun_y + 50), fill=(255, 226, 140))
        for layer in range(3):
            colour = tuple(int(v) for v in rng.uniform(30, 140, 3))
            xs = np.linspace(0, width, int(rng.integers(12, 40)))
            ys = height * (0.45 + 0.15 * layer) - rng.uniform(0, 160, xs.size)
            draw.polygon([(0, height), *zip(xs, ys, strict=True), (width, height)], fill=colour)
        noisy = np.asarray(image, np.float32) + rng.normal(0, 5, (height, width, 3))
        pictures.append(np.clip(noisy, 0, 255).astype(np.uint8))
    stamped = stamped_batch(
        pictures[:-1], mark_coverage("© lamadesk", height=64), rng=rng, opacity=0.45, margin=40
    ).stamped
    paths = []
    for index, picture in enumerate([*stamped, pictures[-1]]):
        path = folder / f"holiday_{index + 1:02d}.jpg"
        Image.fromarray(picture).save(path, quality=92)
        paths.append(path)
    broken = folder / f"holiday_{count + 1:02d}.jpg"
    broken.write_bytes(b"\xff\xd8\xff\xe0 truncated download")
    return [*paths, broken]


def main() -> int:
    """Drive the app through the scenes and save a PNG of each."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--only",
        choices=[
            "shared-watermark",
            "language-switch",
            "help-menu",
            "settings-device",
            "find-text",
        ],
        help="take just this one",
    )
    only = parser.parse_args().only
    os.environ.setdefault("QT_QPA_PLATFORM", "xcb")
    temp = Path(tempfile.mkdtemp(prefix="lamadesk-shots-"))
    os.environ["LAMADESK_DATA_DIR"] = str(temp / "data")
    from PySide6.QtCore import QEventLoop, QTimer
    from PySide6.QtWidgets import QApplication

    from lamadesk.ui.settings.store import AppSettings, Language
    from lamadesk.ui.shell import Shell, build_context

    app = QApplication(["lamadesk"])
    settings = AppSettings.from_file(temp / "lamadesk.ini")
    context = build_context(settings, parent=app)
    shell = Shell(app, context)
    OUT.mkdir(parents=True, exist_ok=True)

    def wait(ms: int) -> None:
        loop = QEventLoop()
        QTimer.singleShot(ms, loop.quit)
        loop.exec()

    def wait_for(condition: Callable[[], bool], timeout_ms: int = 60_000) -> None:
        waited = 0
        while not condition() and waited < timeout_ms:
            wait(50)
            waited += 50

    window = shell.start()
    window.resize(1360, 860)
    wait_for(lambda: context.engine.outcome is not None)
    if only == "find-text":
        find_text_scene(window, temp, wait, wait_for)
        context.shutdown()
        return 0
    if only == "settings-device":
        settings_device_scene(shell, wait)
        context.shutdown()
        return 0
    if only in (None, "shared-watermark"):
        shared_watermark_scene(window, temp, wait, wait_for)
    if only in (None, "language-switch"):
        language_switch_scene(shell, temp, wait, wait_for)
    if only in ("shared-watermark", "language-switch"):
        context.document.undo_stack.setClean()
        context.shutdown()
        return 0
    photos = [sample_photo(temp / f"holiday_{i}.jpg", seed=i) for i in range(4)]
    window.open_file(photos[0])
    wait_for(lambda: context.document.path == photos[0])
    help_menu_scene(window, wait)
    if only == "help-menu":
        context.shutdown()
        return 0
    editor = window.canvas._editor
    editor.begin_stroke()
    from PySide6.QtCore import QPointF

    for x in range(300, 1440, 20):
        editor.paint_segment(QPointF(x, 520), QPointF(x + 20, 520), 150, erase=False)
    window.canvas.fit()
    wait(300)
    window.grab().save(str(OUT / "main_window.png"))

    dialog = shell.show_settings()
    dialog.tabs.setCurrentIndex(0)
    wait_for(lambda: context.engine.report is not None)
    wait(300)
    dialog.grab().save(str(OUT / "settings_device_cpu.png"))
    dialog.tabs.setCurrentIndex(dialog.tabs.count() - 1)  # Options
    wait(300)
    dialog.grab().save(str(OUT / "settings_options.png"))
    dialog.close()

    broken = temp / "scan_0005.jpg"
    broken.write_bytes(b"\xff\xd8\xff\xe0 truncated download")
    # The failure summary is a modal box; record it instead of blocking the script.
    from PySide6.QtWidgets import QMessageBox

    QMessageBox.warning = staticmethod(lambda *args, **kwargs: QMessageBox.StandardButton.Ok)
    window.add_to_batch([*photos, broken])
    window.batch_panel.set_output_folder(temp / "cleaned")
    wait(500)
    window.run_batch()
    wait_for(lambda: not context.engine.runner.busy)
    window.canvas.fit()
    wait(300)
    window.grab().save(str(OUT / "batch.png"))

    shell.translations.apply(Language.CHINESE_SIMPLIFIED)
    wait(500)
    window.resize(1360, 860)
    window.batch_dock.hide()
    editor.begin_stroke()
    for x in range(300, 1440, 20):
        editor.paint_segment(QPointF(x, 520), QPointF(x + 20, 520), 150, erase=False)
    window.canvas.fit()
    wait(400)
    window.grab().save(str(OUT / "main_window_zh_CN.png"))
    dialog = shell.show_settings()
    wait(400)
    dialog.grab().save(str(OUT / "settings_device_zh_CN.png"))
    dialog.close()
    for shot in sorted(OUT.glob("*.png")):
        print(shot)
    context.document.undo_stack.setClean()
    context.shutdown()
    return 0


def help_menu_scene(window: MainWindow, wait: Callable[[int], None]) -> None:
    """The Help menu open over the window's top left corner, and its shortcuts list.

    A menu is a popup window of its own, so the screen is grabbed, not the main window.
    """
    bar = window.menuBar()
    help_action = bar.actions()[-1]
    offer = window.banner.isVisible()
    window.banner.hide()  # the model offer of a first start is not what this shows
    window.canvas.fit()
    wait(300)
    bar.setActiveAction(help_action)
    wait(500)
    menu = help_action.menu()
    top_left = window.geometry().topLeft()
    right = max(menu.geometry().right() + 420, top_left.x() + 760)
    bottom = menu.geometry().bottom() + 60
    shot = window.screen().grabWindow(
        0, top_left.x(), top_left.y(), right - top_left.x(), bottom - top_left.y()
    )
    shot.save(str(OUT / "help-menu.png"))
    menu.hide()
    window.banner.setVisible(offer)
    window.help.show_shortcuts()
    wait(400)
    window.help.shortcuts_dialog.grab().save(str(OUT / "help-shortcuts.png"))
    window.help.shortcuts_dialog.close()
    wait(100)


def shared_watermark_scene(
    window: MainWindow,
    temp: Path,
    wait: Callable[[int], None],
    wait_for: Callable[[Callable[[], bool]], None],
) -> None:
    """The review after "Find shared watermark": statuses, one image with its found mask.

    Leaves the window as it found it (docks, offer banner, empty list, nothing unsaved).
    """
    from PySide6.QtCore import Qt

    state = window.saveState()
    folder = temp / "series"
    folder.mkdir()
    paths = holiday_series(folder, 12)
    context = window.context
    window.add_to_batch(paths)
    wait_for(lambda: not context.document.is_empty)
    window.batch_dock.resize(420, window.batch_dock.height())
    window.resizeDocks([window.batch_dock], [420], Qt.Orientation.Horizontal)
    window.batch_panel.set_output_folder(temp / "cleaned")
    window.shared_mark.find()
    wait_for(lambda: window.shared_mark.active)
    panel = window.batch_panel
    panel.set_included(paths[9], False)  # the person rejected one
    offer = window.banner.isVisible()
    window.banner.hide()  # the model offer of a first start is not what this shows
    window.shared_mark.open(paths[10])
    wait_for(lambda: context.document.path == paths[10])
    panel.list.setCurrentRow(10)
    panel.list.scrollToBottom()
    wait(300)
    window.canvas.fit()
    wait(600)
    window.grab().save(str(OUT / "shared-watermark.png"))
    window.banner.setVisible(offer)
    window.shared_mark.forget()
    panel.clear()
    context.document.undo_stack.setClean()
    window.restoreState(state)


def stamped_photo(path: Path) -> Path:
    """scikit-image's astronaut portrait, enlarged, with a printed caption and a date stamp.

    The date is the orange, slightly glowing digits of a film camera's back, bottom right;
    the caption is white handwriting-like text along the top, as on a scanned print.
    """
    from PIL import ImageFilter
    from skimage import data

    photo = Image.fromarray(data.astronaut()).resize((1024, 1024), Image.Resampling.LANCZOS)
    fonts = Path("/usr/share/fonts/truetype/dejavu")
    bold, oblique = fonts / "DejaVuSansMono-Bold.ttf", fonts / "DejaVuSerif-Italic.ttf"
    stamp_font = ImageFont.truetype(str(bold), 44) if bold.exists() else None
    caption_font = ImageFont.truetype(str(oblique), 40) if oblique.exists() else None
    glow = Image.new("RGBA", photo.size, (0, 0, 0, 0))
    ImageDraw.Draw(glow).text((700, 940), "'94 8 12", font=stamp_font, fill=(255, 120, 20, 255))
    halo = glow.filter(ImageFilter.GaussianBlur(3))
    photo = Image.alpha_composite(photo.convert("RGBA"), halo)
    photo = Image.alpha_composite(photo, glow).convert("RGB")
    ImageDraw.Draw(photo).text(
        (40, 30), "Eileen, Houston, summer 1994", font=caption_font, fill=(250, 250, 245)
    )
    photo.save(path, quality=93)
    return path


def find_text_scene(
    window: MainWindow,
    temp: Path,
    wait: Callable[[int], None],
    wait_for: Callable[[Callable[[], bool]], None],
) -> None:
    """Find Text on a stamped photo: date and caption masked, the suit's name tag kept.

    The name tag is writing that belongs to the picture: unchecking its line keeps it.
    """
    from PySide6.QtCore import Qt

    path = stamped_photo(temp / "eileen_1994.jpg")
    context = window.context
    window.open_file(path)
    wait_for(lambda: context.document.path == path)
    window.banner.hide()  # the model offer of a first start is not what this shows
    window.find_text_now()
    wait_for(lambda: window.find_text.found is not None)
    window.resizeDocks([window.text_dock], [360], Qt.Orientation.Horizontal)
    found = window.find_text.found
    assert found is not None
    in_the_picture = [i for i, region in enumerate(found.regions) if 200 < region.box.top < 900]
    for index in in_the_picture:
        window.text_panel.set_checked(index, False)
        window.text_panel.list.setCurrentRow(index)  # outlined on the image
    window.canvas.fit()
    wait(600)
    window.grab().save(str(OUT / "find-text.png"))
    context.document.undo_stack.setClean()


def language_switch_scene(
    shell: Shell,
    temp: Path,
    wait: Callable[[int], None],
    wait_for: Callable[[Callable[[], bool]], None],
) -> None:
    """A batch under review (scores, a brushed correction, zoom), before and after 简体中文.

    The language is chosen in Settings as a person would; the window is re-worded in place.
    Leaves the window in English with an empty list and nothing unsaved.
    """
    from PySide6.QtCore import QPointF, Qt

    from lamadesk.ui.canvas.view import Tool
    from lamadesk.ui.settings.store import Language

    window, context = shell.window, shell.context
    state = window.saveState()
    folder = temp / "switch"
    folder.mkdir()
    paths = holiday_series(folder, 9)
    window.add_to_batch(paths)
    wait_for(lambda: not context.document.is_empty)
    window.resizeDocks([window.batch_dock], [420], Qt.Orientation.Horizontal)
    window.batch_panel.set_output_folder(temp / "cleaned")
    offer = window.banner.isVisible()
    window.banner.hide()
    window.shared_mark.find()
    wait_for(lambda: window.shared_mark.active)
    window.shared_mark.open(paths[2])
    wait_for(lambda: context.document.path == paths[2])
    # A correction: a stray mark brushed over by hand, then the first image again.
    window.canvas.set_tool(Tool.BRUSH)
    editor = window.canvas._editor
    editor.begin_stroke()
    editor.paint_segment(QPointF(160, 140), QPointF(320, 150), 40, erase=False)
    window.shared_mark.open(paths[0])
    wait_for(lambda: context.document.path == paths[0])
    editor.begin_stroke()  # one more on the open image: the undo history has a step
    editor.paint_segment(QPointF(700, 560), QPointF(820, 600), 30, erase=False)
    window.batch_panel.list.setCurrentRow(0)
    window.canvas.fit()
    wait(300)
    corner = window.canvas.viewport().rect().bottomRight()
    window.canvas.zoom_by(1.6, QPointF(corner.x() - 20, corner.y() - 20))  # the mark's corner
    wait(500)
    window.grab().save(str(OUT / "language_switch_before.png"))

    dialog = shell.show_settings()
    choose_language(dialog, Language.CHINESE_SIMPLIFIED, wait)
    window.grab().save(str(OUT / "language_switch_after.png"))
    choose_language(dialog, Language.ENGLISH, wait)
    dialog.close()
    window.banner.setVisible(offer)
    window.shared_mark.forget()
    window.batch_panel.clear()
    context.document.undo_stack.setClean()
    window.restoreState(state)


def settings_device_scene(shell: Shell, wait: Callable[[int], None]) -> None:
    """Settings → Device on this machine, in English and in Chinese; ends in English."""
    from lamadesk.ui.settings.store import Language

    dialog = shell.show_settings()
    for language, name in (
        (Language.ENGLISH, "settings_device_cpu.png"),
        (Language.CHINESE_SIMPLIFIED, "settings_device_zh_CN.png"),
    ):
        choose_language(dialog, language, wait)
        dialog.tabs.setCurrentIndex(0)
        wait(400)
        dialog.grab().save(str(OUT / name))
    choose_language(dialog, Language.ENGLISH, wait)
    dialog.close()


def choose_language(
    dialog: SettingsDialog, language: Language, wait: Callable[[int], None]
) -> None:
    """Pick `language` in the Options tab's combo box, as a person would."""
    dialog.tabs.setCurrentIndex(dialog.tabs.count() - 1)
    index = dialog.language.findData(language)
    dialog.language.setCurrentIndex(index)
    dialog.language.activated.emit(index)
    wait(600)


if __name__ == "__main__":
    raise SystemExit(main())
