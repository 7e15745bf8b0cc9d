"""`lamadesk-cli detect --text` and the text options of `remove --text-mask`."""

from __future__ import annotations

import argparse
import sys

from lamadesk.cli.conventions import EXIT_FAILED, EXIT_OK, UsageError, existing_outputs
from lamadesk.cli.mask_files import MaskTally, print_written, write_planned_mask
from lamadesk.core.batch import Planner
from lamadesk.core.inputs import Inputs
from lamadesk.core.masks import Box
from lamadesk.core.model_store import ModelStore
from lamadesk.core.models.ppocr import (
    SearchArea,
    TextDetector,
    TextSettings,
    detect_text_in_files,
    text_planner,
)
from lamadesk.core.models.registry import open_text_detector
from lamadesk.core.output_names import plan_mask_outputs

_AREAS = ", ".join(area.value for area in SearchArea)


def add_text_arguments(parser: argparse.ArgumentParser) -> None:
    """`--text-region` and `--text-sensitivity`, shared by `detect --text` and `remove`."""
    parser.add_argument(
        "--text-region",
        metavar="X,Y,W,H|AREA",
        help=f"look for text only in this box (pixels) or area ({_AREAS})",
    )
    parser.add_argument(
        "--text-sensitivity",
        type=float,
        default=0.5,
        metavar="0..1",
        help="higher finds fainter text and flags more that is not text (default 0.5)",
    )


def text_settings(args: argparse.Namespace) -> TextSettings:
    """The search the text options ask for."""
    if not 0.0 <= args.text_sensitivity <= 1.0:
        raise UsageError("--text-sensitivity must be within 0..1")
    return TextSettings(args.text_sensitivity, _region(args.text_region))


def open_detector() -> TextDetector:
    """Load the detector, saying which engine runs it when it is not the usual one."""
    detector = open_text_detector(ModelStore())
    if detector.fallback_reason is not None:
        print(f"notice: text detector runs on OpenCV: {detector.fallback_reason}", file=sys.stderr)
    return detector


def text_mask_planner(args: argparse.Namespace) -> Planner:
    """For `remove --text-mask`: each picture's own mask, from the text found in it."""
    return text_planner(open_detector(), text_settings(args))


def run_detect_text_command(inputs: Inputs, args: argparse.Namespace) -> int:
    """Write `<stem>.mask.png` (white = text) for every image; 1 if any could not be searched.

    An image without text gets an all-black mask, so every image has its mask and
    `remove --mask` with it copies the image unchanged.
    """
    if args.seed_box is not None or args.seed_image is not None:
        raise UsageError("--seed-box and --seed-image do not apply to --text")
    settings = text_settings(args)
    existing = existing_outputs(args)
    plan = plan_mask_outputs(inputs.files, args.out, inputs.subfolders)
    detector = open_detector()
    tally = MaskTally()
    total = len(inputs.files)
    results = detect_text_in_files(inputs.files, detector, settings)
    for index, (planned, result) in enumerate(zip(plan, results, strict=True)):
        prefix = f"[{index + 1}/{total}] {inputs.shown(planned.source)}"
        if result.detection is None:
            print(f"{prefix}: FAILED: {result.error}", file=sys.stderr)
            tally.problems += 1
            continue
        found = f"{len(result.detection.regions)} text regions, {result.seconds:.1f} s"
        written = write_planned_mask(result.detection.mask, planned, existing, prefix, tally, found)
        if written is not None:
            print_written(prefix, found, written, planned)
    searched = total - tally.problems
    print(f"searched {searched} of {total} images{tally.skipped_text()}", file=sys.stderr)
    return EXIT_FAILED if tally.problems else EXIT_OK


def _region(text: str | None) -> Box | SearchArea | None:
    if text is None:
        return None
    try:
        return SearchArea(text)
    except ValueError:
        pass
    try:
        x, y, width, height = (int(value) for value in text.split(","))
    except ValueError as exc:
        raise UsageError(f"--text-region takes X,Y,W,H or one of: {_AREAS}") from exc
    if width <= 0 or height <= 0 or x < 0 or y < 0:
        raise UsageError("--text-region needs X, Y >= 0 and W, H > 0")
    return Box(y, x, y + height, x + width)
