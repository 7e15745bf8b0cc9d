"""How long one photo takes, as a person meets it: open, remove a brushed watermark, save.

The headline promise is "a clean image in a second on an NVIDIA GPU, in a few seconds on the
CPU". This times exactly the app's path (``read_image``, ``pipeline.inpaint`` with the app's
default options, ``write_image``) on camera-sized JPEGs with the kinds of marks people brush:
a corner logo, a line of text across the picture, a logo on a small picture. LaMa runs with
random weights of the real architecture unless the real model is installed (speed does not
depend on the weights). Loading the model is timed once, apart: the app does it at start.

    python -m benchmarks.remove_time [--device auto|cpu|cuda] [--runs N] [--out FILE.txt]
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image

from lamadesk.core.image_io import read_image
from lamadesk.core.image_write import write_image
from lamadesk.core.masks import dilate
from lamadesk.core.model_store import ModelStore
from lamadesk.core.models.base import InpaintBackend
from lamadesk.core.models.registry import open_model
from lamadesk.core.pipeline import InpaintOptions, inpaint
from tools.watermark_samples import mark_coverage, textured_picture

APP_MASK_GROWTH = 4
"""The app's default "mask growth" (Settings → Options), so the mask is the app's."""
BRUSH_MARGIN = 6
"""How far past the mark a person's brush strokes reach."""


@dataclass(frozen=True)
class Scene:
    """A photo size and where its mark sits, as (top, left, mark height in pixels)."""

    name: str
    width: int
    height: int
    mark_height: int
    place: Callable[[int, int, int, int], tuple[int, int]]
    """(photo height, photo width, mark height, mark width) → the mark's top-left corner."""


SCENES = (
    Scene("12 MP, corner logo", 4000, 3000, 120, lambda h, w, mh, mw: (h - mh - 80, w - mw - 80)),
    Scene("12 MP, text across", 4000, 3000, 300, lambda h, w, mh, mw: ((h - mh) // 2, 300)),
    Scene("1080p, corner logo", 1920, 1080, 48, lambda h, w, mh, mw: (h - mh - 30, w - mw - 30)),
    Scene("1024×768, corner logo", 1024, 768, 40, lambda h, w, mh, mw: (h - mh - 24, w - mw - 24)),
)


def make_photo(folder: Path, scene: Scene) -> tuple[Path, np.ndarray]:
    """A photo-like JPEG with a white mark stamped on it, and the brushed mask over the mark."""
    rng = np.random.default_rng(0)
    picture = textured_picture(rng, scene.height, scene.width)
    coverage = mark_coverage("© lamadesk stock", scene.mark_height)
    top, left = scene.place(scene.height, scene.width, *coverage.shape)
    alpha = np.zeros(picture.shape[:2], np.float32)
    alpha[top : top + coverage.shape[0], left : left + coverage.shape[1]] = 0.6 * coverage
    stamped = alpha[..., None] * 255 + (1 - alpha[..., None]) * picture
    path = folder / f"{scene.width}x{scene.height}-{scene.mark_height}.jpg"
    Image.fromarray(np.clip(stamped + 0.5, 0, 255).astype(np.uint8)).save(path, quality=92)
    return path, dilate(alpha > 0.02, BRUSH_MARGIN)


def time_scene(
    path: Path, mask: np.ndarray, backend: InpaintBackend, runs: int, scratch: Path
) -> tuple[float, float, float]:
    """Median seconds to open, remove (the app's options) and save, after one warm-up call."""
    options = InpaintOptions(dilate_px=APP_MASK_GROWTH)
    inpaint(read_image(path).rgb, mask, backend, options)
    stages = []
    for _ in range(runs):
        started = time.perf_counter()
        image = read_image(path)
        opened = time.perf_counter()
        result = inpaint(image.rgb, mask, backend, options)
        removed = time.perf_counter()
        write_image(image.with_pixels(result.rgb, result.mask), scratch)
        saved = time.perf_counter()
        scratch.unlink()
        stages.append((opened - started, removed - opened, saved - removed))
    read_s, remove_s, write_s = (statistics.median(stage) for stage in zip(*stages, strict=True))
    return read_s, remove_s, write_s


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--device", default="auto")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--out", type=Path, help="also write the report to this file")
    args = parser.parse_args()

    lines: list[str] = []

    def say(text: str) -> None:
        print(text, flush=True)
        lines.append(text)

    with tempfile.TemporaryDirectory(prefix="lamadesk-remove-time-") as temp:
        folder = Path(temp)
        store = ModelStore()
        weights = "installed big-lama weights"
        if not store.status("lama").installed:
            from tools.lama_test_model import make_test_model

            random_model = folder / "random-big-lama.pt"
            make_test_model(random_model)
            store = ModelStore(root=folder / "models")
            store.import_file("lama", random_model, force=True)
            weights = "RANDOM weights of the real big-lama architecture"
        started = time.perf_counter()
        backend = open_model("lama", store, args.device).backend
        load_seconds = time.perf_counter() - started

        import torch

        python = sys.version.split()[0]
        say(f"lamadesk remove time: {weights}; {platform.platform()}, Python {python}")
        say(
            f"torch {torch.__version__}, {backend.name} on {backend.device}, "
            f"{torch.get_num_threads()} CPU threads, {os.cpu_count()} cores"
        )
        say(f"model load (once, at app start): {load_seconds:.1f} s; medians of {args.runs} runs")
        say(
            f"{'scene':<22} {'mask box':>10} {'open':>6} {'remove':>8} {'save':>6} {'total':>7} (s)"
        )
        for scene in SCENES:
            path, mask = make_photo(folder, scene)
            rows, cols = np.nonzero(mask)
            box = f"{np.ptp(cols) + 1}×{np.ptp(rows) + 1}"
            read_s, remove_s, write_s = time_scene(path, mask, backend, args.runs, folder / "o.jpg")
            say(
                f"{scene.name:<22} {box:>10} {read_s:>6.2f} {remove_s:>8.2f} {write_s:>6.2f} "
                f"{read_s + remove_s + write_s:>7.2f}"
            )
    if args.out is not None:
        args.out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
