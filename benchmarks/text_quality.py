"""Text detector benchmark: stroke recall, mask area, false alarms and time (issue 15).

Real photographs (scikit-image's bundled ones, `pip install -e ".[bench]"`) scaled to a
1600-px long side with camera-like grain, text rendered over them: several fonts and sizes
(12-120 px), white with a black outline, black with a white shadow, thin yellow, orange
camera date stamps and Chinese (when the Noto CJK font of Debian's `fonts-noto-cjk` is
installed), each at opacity 0.5, 0.7 and 1. Text-free photos at their own size and at 12 MP
measure false alarms; 12 MP date-stamped photos measure time.

    python -m benchmarks.text_quality [--quick] [--threads 2] [--precision f32] [--only timing]
        [--out FILE.txt]

Pin it to two cores of a bigger machine with `taskset -c 0,1`; the header says which CPU
and how many cores it could use.

Stroke recall: share of the glyphs' own pixels (of one size) the mask covers. Outline
covered: share of every pixel the overlay changed (glyphs, outline and shadow) the mask
covers; what it misses stays in the photo after removal. Area ratio: mask pixels over those
changed pixels grown by 2 px. False alarms: share of a text-free photo flagged.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import time
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np
from PIL import Image, ImageDraw, ImageFont

from lamadesk.core.models.ppocr import TextDetector
from lamadesk.core.models.ppocr.network import engine_facts

DEJAVU = Path("/usr/share/fonts/truetype/dejavu")
CJK = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")
SIZES = (12, 16, 24, 48, 120)
OPACITIES = (0.5, 0.7, 1.0)
TEXT_PHOTOS = ("chelsea", "coffee", "rocket", "stereo_motorcycle", "immunohistochemistry", "camera")
FREE_PHOTOS = (
    "chelsea", "coffee", "camera", "hubble_deep_field", "immunohistochemistry", "retina",
    "stereo_motorcycle", "brick", "grass", "gravel", "moon", "rocket", "astronaut",
)  # fmt: skip
LONG_SIDE = 1600
TWELVE_MP = (3000, 4000)
SECTIONS = ("quality", "false-alarms", "timing")


@dataclass(frozen=True)
class Style:
    """How one kind of text is drawn."""

    name: str
    font: Path | None
    text: str
    fill: tuple[int, int, int]
    outline: tuple[int, int, int] | None = None
    shadow: tuple[int, int, int] | None = None


STYLES = (
    Style(
        "outlined", DEJAVU / "DejaVuSans-Bold.ttf", "Sample Watermark 2024", (255,) * 3, (0,) * 3
    ),
    Style(
        "shadowed", DEJAVU / "DejaVuSerif.ttf", "Summer in Provence", (20,) * 3, None, (235,) * 3
    ),
    Style("thin", None, "photo: J. Smith", (250, 230, 60)),
    Style("date", DEJAVU / "DejaVuSansMono-Bold.ttf", "'98 12 25", (255, 150, 30)),
    Style("chinese", CJK, "版权所有 水印文字", (255,) * 3, (0,) * 3),
)


def photo(name: str, height: int | None = None, width: int | None = None) -> np.ndarray:
    """A scikit-image photo as RGB uint8, scaled (to LONG_SIDE by default) with fine grain."""
    import skimage.data

    picture = getattr(skimage.data, name)()
    picture = picture[0] if isinstance(picture, tuple) else picture
    if picture.ndim == 2:
        picture = np.repeat(picture[..., None], 3, axis=2)
    picture = np.ascontiguousarray(picture[..., :3])
    if height is None or width is None:
        scale = LONG_SIDE / max(picture.shape[:2])
        height, width = round(picture.shape[0] * scale), round(picture.shape[1] * scale)
    scaled = cv2.resize(picture, (width, height), interpolation=cv2.INTER_CUBIC)
    grain = np.random.default_rng(len(name)).integers(-4, 5, scaled.shape)
    return np.clip(scaled.astype(np.int16) + grain, 0, 255).astype(np.uint8)


def render(
    base: np.ndarray, style: Style, opacity: float, sizes: tuple[int, ...] = SIZES
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Text lines of every size over `base`: the picture, per-size glyph labels, all changes."""
    height, width = base.shape[:2]
    layer = Image.new("RGBA", (width, height), (0, 0, 0, 0))
    draw = ImageDraw.Draw(layer)
    labels = np.zeros((height, width), np.uint8)
    y = int(0.03 * height)
    for index, size in enumerate(sizes):
        font = (
            ImageFont.truetype(str(style.font), size)
            if style.font
            else ImageFont.load_default(size=size)
        )
        x = int(0.04 * width)
        outline = max(1, size // 12) if style.outline else 0
        if style.shadow:
            offset = max(1, size // 15)
            draw.text((x + offset, y + offset), style.text, font=font, fill=(*style.shadow, 255))
        draw.text(
            (x, y), style.text, font=font, fill=(*style.fill, 255), stroke_width=outline,
            stroke_fill=(*style.outline, 255) if style.outline else None,
        )  # fmt: skip
        glyphs = Image.new("L", (width, height), 0)
        ImageDraw.Draw(glyphs).text((x, y), style.text, font=font, fill=255)
        labels[np.array(glyphs) > 127] = index + 1
        y += int(size * 1.7) + 8
    rgba = np.asarray(layer, np.float32)
    alpha = rgba[..., 3:] / 255 * opacity
    out = np.clip(base * (1 - alpha) + rgba[..., :3] * alpha + 0.5, 0, 255).astype(np.uint8)
    changed = np.abs(out.astype(np.int16) - base).max(axis=2) > 10
    return out, labels, changed


def quality(detector: TextDetector, photos: tuple[str, ...], lines: list[str]) -> None:
    lines.append("## Text on photos (1600-px long side): median over photos")
    lines.append(
        "| style | opacity | recall 12 | 16 | 24 | 48 | 120 | outline covered"
        " | area / true (2 px) | s / image |"
    )
    lines.append("|---|---|---|---|---|---|---|---|---|---|")
    bases = {name: photo(name) for name in photos}
    for style in STYLES:
        if style.font is not None and not style.font.exists():
            lines.append(f"| {style.name} | - | skipped: no font {style.font} | | | | | | | |")
            continue
        for opacity in OPACITIES:
            recalls: dict[int, list[float]] = {size: [] for size in SIZES}
            areas, covered, seconds = [], [], []
            for base in bases.values():
                rgb, labels, changed = render(base, style, opacity)
                found = detector.detect(rgb)
                seconds.append(found.seconds)
                for index, size in enumerate(SIZES):
                    recalls[size].append(float(found.mask[labels == index + 1].mean()))
                grown = cv2.dilate(changed.astype(np.uint8), np.ones((5, 5), np.uint8)) > 0
                areas.append(found.mask.sum() / grown.sum())
                covered.append(float(found.mask[changed].mean()))
            cells = " | ".join(f"{statistics.median(recalls[size]):.2f}" for size in SIZES)
            lines.append(
                f"| {style.name} | {opacity} | {cells} | {statistics.median(covered):.2f}"
                f" (min {min(covered):.2f}) | {statistics.median(areas):.2f}"
                f" (max {max(areas):.2f}) | {statistics.median(seconds):.2f} |"
            )
            print(lines[-1], flush=True)


def false_alarms(detector: TextDetector, photos: tuple[str, ...], lines: list[str]) -> None:
    lines.append("")
    lines.append("## Text-free photos: share of the image flagged")
    lines.append("| photo | native size | flagged | 12 MP (upscaled) | flagged | s (12 MP) |")
    lines.append("|---|---|---|---|---|---|")
    for name in photos:
        native = photo(name, *_native_size(name))
        big = photo(name, *TWELVE_MP)
        small_found, big_found = detector.detect(native), detector.detect(big)
        lines.append(
            f"| {name} | {native.shape[1]}×{native.shape[0]} | {small_found.mask.mean():.2%} "
            f"| 4000×3000 | {big_found.mask.mean():.2%} | {big_found.seconds:.2f} |"
        )
        print(lines[-1], flush=True)


def timing(detector: TextDetector, photos: tuple[str, ...], lines: list[str]) -> None:
    lines.append("")
    lines.append("## 12 MP photos with a 16-px and a 48-px date stamp: time and recall")
    lines.append("| photo | s (median of 3) | CPU s | recall 16 | recall 48 |")
    lines.append("|---|---|---|---|---|")
    style = STYLES[3]
    for name in photos:
        rgb, labels, _ = render(photo(name, *TWELVE_MP), style, 1.0, sizes=(16, 48))
        runs, cpu = [], []
        for _ in range(3):
            started = time.process_time()
            found = detector.detect(rgb)
            runs.append(found.seconds)
            cpu.append(time.process_time() - started)
        recall = [float(found.mask[labels == index].mean()) for index in (1, 2)]
        lines.append(
            f"| {name} | {statistics.median(runs):.2f} | {statistics.median(cpu):.2f} "
            f"| {recall[0]:.2f} | {recall[1]:.2f} |"
        )
        print(lines[-1], flush=True)


def _native_size(name: str) -> tuple[int, int]:
    import skimage.data

    picture = getattr(skimage.data, name)()
    picture = picture[0] if isinstance(picture, tuple) else picture
    return picture.shape[0], picture.shape[1]


def processor() -> str:
    """The CPU's model name where Linux tells it, else the architecture."""
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    return platform.machine()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="two photos per section")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument(
        "--precision", choices=("bf16", "f32"), help="default: bf16 where the CPU has it"
    )
    parser.add_argument("--out", type=Path)
    parser.add_argument("--only", choices=SECTIONS, action="append", help="run these sections")
    args = parser.parse_args()
    count = 2 if args.quick else None
    detector = TextDetector.open(threads=args.threads, precision=args.precision)
    lines = [
        f"# lamadesk text detector benchmark ({time.strftime('%Y-%m-%d %H:%M')})",
        f"engine {detector.engine} ({detector.precision}, {engine_facts().version}), "
        f"{args.threads} threads, {processor()}, "
        f"{len(os.sched_getaffinity(0))} of {os.cpu_count()} cores usable, "
        f"load average at start {os.getloadavg()[0]:.1f}",
        "",
    ]
    only = args.only or SECTIONS
    if "quality" in only:
        quality(detector, TEXT_PHOTOS[:count], lines)
    if "false-alarms" in only:
        false_alarms(detector, FREE_PHOTOS[:count], lines)
    if "timing" in only:
        timing(detector, TEXT_PHOTOS[: count and 1] or TEXT_PHOTOS, lines)
    lines.append(f"\nload average at end {os.getloadavg()[0]:.1f}")
    report(lines, args.out)


def report(lines: list[str], out: Path | None) -> None:
    """Print the report, and write it to `out` when given."""
    text = "\n".join(lines) + "\n"
    if out:
        out.write_text(text, encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
