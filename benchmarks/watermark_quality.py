"""Shared-watermark benchmark: detection IoU, removal PSNR/SSIM, and 12 MP detection time.

Real photos: crops of the photographs scikit-image ships (`pip install -e ".[bench]"`),
stamped the way issue 7 asks (anti-aliased ring + text, one opacity per batch, ±3 pixels
of jitter, near the bottom-right corner). Inside the true mark, compares lamadesk's
de-blending (with its own fallbacks) against inpainting the detected mask and inpainting
the true mask, both with lamadesk's OpenCV backend; LaMa rows appear when the real model is
installed (it cannot be downloaded in the workplace these numbers came from).

    python -m benchmarks.watermark_quality [--quick] [--out FILE.txt] [--figure FILE.png]
"""

from __future__ import annotations

import argparse
import platform
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import cv2
import numpy as np
from PIL import Image

from lamadesk.core.errors import ModelError
from lamadesk.core.masks import Box, dilate
from lamadesk.core.metrics import iou, psnr
from lamadesk.core.models.base import InpaintBackend
from lamadesk.core.models.opencv.backend import OpenCvBackend
from lamadesk.core.pipeline import inpaint
from lamadesk.core.watermark.detection import Seed, detect_shared_mark
from lamadesk.core.watermark.files import picture_loader
from lamadesk.core.watermark.removal import INPAINT_GROWTH, SharedMarkPlanner
from tools.watermark_samples import (
    StampedBatch,
    mark_coverage,
    stamped_batch,
    two_colour_mark,
)

PHOTOS = (
    "astronaut", "chelsea", "coffee", "rocket", "hubble_deep_field", "immunohistochemistry",
    "retina", "stereo_motorcycle", "camera", "brick", "grass", "gravel", "moon",
)  # fmt: skip
CROP = (480, 640)


def load_photos() -> list[np.ndarray]:
    """scikit-image's bundled photographs as RGB uint8 (no download needed)."""
    import skimage.data

    photos = []
    for name in PHOTOS:
        picture = getattr(skimage.data, name)()
        picture = picture[0] if isinstance(picture, tuple) else picture
        if picture.ndim == 2:
            picture = np.repeat(picture[..., None], 3, axis=2)
        photos.append(np.ascontiguousarray(picture[..., :3]))
    return photos


def photo_crops(photos: Sequence[np.ndarray], count: int, rng: np.random.Generator) -> list:
    """`count` different backgrounds: random windows of random photos, randomly flipped."""
    crops = []
    for _ in range(count):
        photo = photos[int(rng.integers(len(photos)))]
        scale = max(1.0, 1.25 * CROP[0] / photo.shape[0], 1.25 * CROP[1] / photo.shape[1])
        if scale > 1.0:
            photo = cv2.resize(photo, None, fx=scale, fy=scale, interpolation=cv2.INTER_CUBIC)
        top = int(rng.integers(photo.shape[0] - CROP[0] + 1))
        left = int(rng.integers(photo.shape[1] - CROP[1] + 1))
        crop = photo[top : top + CROP[0], left : left + CROP[1]]
        crops.append(np.ascontiguousarray(crop[:, ::-1] if rng.random() < 0.5 else crop))
    return crops


def ssim(result: np.ndarray, clean: np.ndarray, where: np.ndarray) -> float:
    """Mean SSIM (Wang et al. 2004, Gaussian window of sigma 1.5, on luma) over `where`."""
    weights = np.array([0.299, 0.587, 0.114])
    x, y = (image.astype(np.float64) @ weights for image in (result, clean))

    def blur(values: np.ndarray) -> np.ndarray:
        return cv2.GaussianBlur(values, (11, 11), 1.5)

    mean_x, mean_y = blur(x), blur(y)
    var_x = blur(x * x) - mean_x**2
    var_y = blur(y * y) - mean_y**2
    covariance = blur(x * y) - mean_x * mean_y
    c1, c2 = (0.01 * 255) ** 2, (0.03 * 255) ** 2
    index = ((2 * mean_x * mean_y + c1) * (2 * covariance + c2)) / (
        (mean_x**2 + mean_y**2 + c1) * (var_x + var_y + c2)
    )
    return float(index[where].mean())


def score_batch(
    batch: StampedBatch,
    pictures: Sequence[np.ndarray],
    backends: dict[str, InpaintBackend],
    seed: Seed | None = None,
) -> dict[str, float]:
    """Detection IoU and, per method, median PSNR/SSIM inside the true mark."""
    detection = detect_shared_mark(list(pictures).__getitem__, len(pictures), seed)
    truths = batch.true_masks()
    scores: dict[str, list[float]] = {"iou": []}
    sources = [Path(f"picture-{index}") for index in range(len(pictures))]
    planner = SharedMarkPlanner(sources, detection, deblend=True)
    started = time.perf_counter()
    planner.prepare()
    fit_seconds = time.perf_counter() - started
    for index, (picture, truth) in enumerate(zip(pictures, truths, strict=True)):
        found = detection.mask_for(index)
        scores["iou"].append(iou(found, truth))
        clean = batch.clean[index]
        results = {}
        plan = planner(sources[index], picture)
        opencv = backends["OpenCV"]
        results["de-blend (OpenCV where needed)"] = inpaint(plan.rgb, plan.mask, opencv).rgb
        for name, backend in backends.items():
            grown = dilate(found, INPAINT_GROWTH)
            results[f"{name} inpainting, detected mask"] = inpaint(picture, grown, backend).rgb
            results[f"{name} inpainting, true mask"] = inpaint(
                picture, dilate(truth, INPAINT_GROWTH), backend
            ).rgb
        for method, result in results.items():
            scores.setdefault(f"psnr|{method}", []).append(psnr(result[truth], clean[truth]))
            scores.setdefault(f"ssim|{method}", []).append(ssim(result, clean, truth))
    summary = {key: float(np.median(values)) for key, values in scores.items()}
    summary["iou_min"] = float(np.min(scores["iou"]))
    summary["iou"] = float(np.mean(scores["iou"]))
    summary["fit_s"] = fit_seconds
    return summary


def _drawn_box(batch: StampedBatch, mark: tuple[int, int]) -> Seed:
    """A box a person would draw around the mark on the first picture (4 px of slack)."""
    top, left = batch.offsets[0]
    return Seed(0, Box(top - 4, left - 4, top + mark[0] + 4, left + mark[1] + 4))


def jpeg(picture: np.ndarray, quality: int) -> np.ndarray:
    """The picture after a JPEG round trip (Pillow's default 4:2:0 chroma at this quality)."""
    with tempfile.SpooledTemporaryFile() as handle:
        Image.fromarray(picture).save(handle, format="JPEG", quality=quality)
        handle.seek(0)
        return np.asarray(Image.open(handle).convert("RGB"))


def time_12mp_detection(photos: Sequence[np.ndarray], count: int, seed: int) -> dict[str, float]:
    """Detection over `count` 4000×3000 JPEG files, reading included, as the CLI runs it."""
    rng = np.random.default_rng(seed)
    coverage = mark_coverage(height=160)
    with tempfile.TemporaryDirectory() as folder:
        paths = []
        for index, crop in enumerate(photo_crops(photos, count, rng)):
            big = cv2.resize(crop, (4000, 3000), interpolation=cv2.INTER_CUBIC)
            stamped = stamped_batch([big], coverage, rng=rng, margin=120, jitter=6).stamped[0]
            path = Path(folder) / f"photo_{index:02d}.jpg"
            Image.fromarray(stamped).save(path, quality=92)
            paths.append(path)
        started = time.perf_counter()
        detection = detect_shared_mark(picture_loader(paths), len(paths))
        detect_seconds = time.perf_counter() - started
        started = time.perf_counter()
        SharedMarkPlanner(paths, detection, deblend=True).prepare()
        fit_seconds = time.perf_counter() - started
        found = sum(detection.found_in(index) for index in range(len(paths)))
    return {"detect_s": detect_seconds, "fit_s": fit_seconds, "found": found, "count": count}


def before_after(photos: Sequence[np.ndarray], seed: int, destination: Path) -> None:
    """The most colourful picture of a 20-image batch, zoomed on its mark, four ways."""
    rng = np.random.default_rng(seed + 20)
    batch = stamped_batch(photo_crops(photos, 20, rng), mark_coverage(), rng=rng, opacity=0.45)
    pictures = list(batch.stamped)
    detection = detect_shared_mark(pictures.__getitem__, len(pictures))
    sources = [Path(f"picture-{index}") for index in range(len(pictures))]
    shown = int(np.argmax([np.ptp(picture.astype(int), axis=2).mean() for picture in pictures]))
    plan = SharedMarkPlanner(sources, detection, deblend=True)(sources[shown], pictures[shown])
    opencv = OpenCvBackend()
    panels = {
        "stamped (opacity 0.45)": pictures[shown],
        "lamadesk de-blend": inpaint(plan.rgb, plan.mask, opencv).rgb,
        "inpainting (OpenCV)": inpaint(
            pictures[shown], dilate(detection.mask_for(shown), INPAINT_GROWTH), opencv
        ).rgb,
        "original": batch.clean[shown],
    }
    placement = detection.placements[shown]
    assert placement is not None
    top, left = max(0, placement.top - 30), max(0, placement.left - 30)
    bottom = placement.top + detection.mark.shape[0] + 30
    right = placement.left + detection.mark.shape[1] + 30
    rows = []
    for label, picture in panels.items():
        crop = cv2.resize(
            picture[top:bottom, left:right], None, fx=2, fy=2, interpolation=cv2.INTER_NEAREST
        )
        header = np.full((34, crop.shape[1], 3), 255, np.uint8)
        cv2.putText(
            header, label, (8, 24), cv2.FONT_HERSHEY_SIMPLEX, 0.7, (0, 0, 0), 2, cv2.LINE_AA
        )
        rows.append(np.concatenate([header, crop]))
    top_row = np.concatenate(rows[:2], axis=1)
    bottom_row = np.concatenate(rows[2:], axis=1)
    Image.fromarray(np.concatenate([top_row, bottom_row])).save(destination, optimize=True)


def lama_backend() -> InpaintBackend | None:
    """The real LaMa model if installed; random weights would say nothing about quality."""
    from lamadesk.core.model_store import ModelStore
    from lamadesk.core.models.registry import open_model

    try:
        return open_model("lama", ModelStore(), "auto").backend
    except ModelError:
        return None


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="sizes 5,10 and one opacity")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", type=Path, help="also write the report here")
    parser.add_argument("--figure", type=Path, help="save a before/after PNG here")
    args = parser.parse_args(argv)
    lines: list[str] = []
    emit: Callable[[str], None] = lambda text: (lines.append(text), print(text, flush=True))  # noqa: E731
    photos = load_photos()
    backends: dict[str, InpaintBackend] = {"OpenCV": OpenCvBackend()}
    lama = lama_backend()
    if lama is not None:
        backends["LaMa"] = lama
    emit(
        f"# Shared-watermark benchmark ({platform.processor() or platform.machine()}, "
        f"{_cpu_count()} CPU threads, Python {platform.python_version()})"
    )
    emit(
        f"photos: {len(PHOTOS)} scikit-image photographs, random {CROP[1]}×{CROP[0]} crops; "
        "mark: ring + text, white (or a red ring beside white text), ±3 px jitter; "
        "truth = alpha > 0.02"
    )
    if lama is None:
        emit("LaMa: not installed, so no LaMa rows (random weights would mean nothing)")
    sizes = (5, 10) if args.quick else (5, 10, 20, 50)
    opacities = (0.45,) if args.quick else (0.3, 0.45, 0.6)
    cases = [(opacity, count, "PNG") for opacity in opacities for count in sizes]
    cases += [(opacity, 5, "PNG, seed box on picture 1") for opacity in opacities]
    cases += [(0.45, 20, "JPEG q95"), (0.45, 20, "PNG, red ring + white text")]
    for opacity, count, kind in cases:
        rng = np.random.default_rng(args.seed + count)
        coverage = mark_coverage()
        colour = (255.0, 255.0, 255.0)
        if "red ring" in kind:
            colour = two_colour_mark(coverage, logo=(230, 40, 40), text=(255, 255, 255))
        batch = stamped_batch(
            photo_crops(photos, count, rng), coverage, rng=rng, opacity=opacity, colour=colour
        )
        pictures = [jpeg(p, 95) for p in batch.stamped] if "JPEG" in kind else batch.stamped
        seed = _drawn_box(batch, coverage.shape) if "seed box" in kind else None
        summary = score_batch(batch, pictures, backends, seed)
        emit(
            f"\n## {count} images, opacity {opacity}, {kind}: IoU mean {summary['iou']:.3f} "
            f"(min {summary['iou_min']:.3f}); matte fit {summary['fit_s']:.1f} s"
        )
        emit("| method | PSNR in mark (dB) | SSIM in mark |")
        emit("| --- | --- | --- |")
        for key in sorted(k for k in summary if k.startswith("psnr|")):
            method = key.split("|", 1)[1]
            emit(f"| {method} | {summary[key]:.1f} | {summary['ssim|' + method]:.3f} |")
    if args.figure:
        before_after(photos, args.seed, args.figure)
    timing = time_12mp_detection(photos, 20, args.seed)
    emit(
        f"\n## 20 photos of 12 MP (4000×3000 JPEG): detection {timing['detect_s']:.1f} s "
        f"(reading included; mark found in {timing['found']} of {timing['count']}), "
        f"matte fit {timing['fit_s']:.1f} s"
    )
    if args.out:
        args.out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return 0


def _cpu_count() -> int:
    import os

    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 0


if __name__ == "__main__":
    sys.exit(main())
