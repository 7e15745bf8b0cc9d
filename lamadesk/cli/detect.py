"""`lamadesk-cli detect` and the shared-mark search behind `remove --auto-mask`."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from lamadesk.cli.conventions import EXIT_FAILED, EXIT_OK, UsageError, existing_outputs
from lamadesk.cli.mask_files import MaskTally, print_written, write_planned_mask
from lamadesk.cli.terminal import ProgressLine, bar
from lamadesk.core.inputs import Inputs
from lamadesk.core.masks import Box
from lamadesk.core.notes import english
from lamadesk.core.output_names import plan_mask_outputs
from lamadesk.core.watermark.detection import Detection, Seed, detect_shared_mark
from lamadesk.core.watermark.files import picture_loader


def add_seed_arguments(parser: argparse.ArgumentParser) -> None:
    """`--seed-box` and `--seed-image`, shared by `detect` and `remove --auto-mask`."""
    parser.add_argument(
        "--seed-box",
        metavar="X,Y,W,H",
        help="a box around the mark on one image (pixels); guides the search in small batches",
    )
    parser.add_argument(
        "--seed-image",
        type=Path,
        metavar="IMAGE",
        help="the image --seed-box was measured on (default: the first image)",
    )


def find_shared_mark(sources: Sequence[Path], args: argparse.Namespace) -> Detection:
    """Run the search with a progress line; the detection's notes go to stderr."""
    line = ProgressLine()

    def progress(percent: int, message: str) -> None:
        line.update(f"{bar(percent / 100)} {message}")

    detection = detect_shared_mark(
        picture_loader(sources), len(sources), _seed(sources, args), on_progress=progress
    )
    line.finish(f"shared mark found: {detection.mark.shape[1]}×{detection.mark.shape[0]} px")
    for note in detection.notes:
        print(f"notice: {english(note)}", file=sys.stderr)
    return detection


def run_detect_command(inputs: Inputs, args: argparse.Namespace) -> int:
    """Write `<stem>.mask.png` for each image the mark was found in; 1 if any was not.

    Names are planned first (``a.jpg`` and ``a.png`` give ``a.mask.png``, ``a.mask (2).png``);
    an existing mask file is never replaced without `--overwrite`.
    """
    existing = existing_outputs(args)
    sources = inputs.files
    plan = plan_mask_outputs(sources, args.out, inputs.subfolders)
    detection = find_shared_mark(sources, args)
    tally = MaskTally()
    total = len(sources)
    for index, planned in enumerate(plan):
        prefix = f"[{index + 1}/{total}] {inputs.shown(planned.source)}"
        placement = detection.placements[index]
        if placement is None:
            print(f"{prefix}: FAILED: {detection.failures[index]}", file=sys.stderr)
            tally.problems += 1
            continue
        if not detection.found_in(index):
            print(f"{prefix}: not found (confidence {placement.confidence:.2f})", file=sys.stderr)
            tally.problems += 1
            continue
        written = write_planned_mask(detection.mask_for(index), planned, existing, prefix, tally)
        if written is not None:
            print_written(prefix, f"confidence {placement.confidence:.2f}", written, planned)
    found = total - tally.problems
    print(f"mark found in {found} of {total} images{tally.skipped_text()}", file=sys.stderr)
    return EXIT_FAILED if tally.problems else EXIT_OK


def _seed(sources: Sequence[Path], args: argparse.Namespace) -> Seed | None:
    if args.seed_box is None:
        if args.seed_image is not None:
            raise UsageError("--seed-image needs --seed-box")
        return None
    try:
        x, y, width, height = (int(value) for value in args.seed_box.split(","))
    except ValueError as exc:
        raise UsageError("--seed-box takes four whole numbers: X,Y,W,H") from exc
    if width <= 0 or height <= 0 or x < 0 or y < 0:
        raise UsageError("--seed-box needs X, Y >= 0 and W, H > 0")
    index = 0
    if args.seed_image is not None:
        resolved = [source.resolve() for source in sources]
        if args.seed_image.resolve() not in resolved:
            raise UsageError(f"--seed-image {args.seed_image} is not one of the inputs")
        index = resolved.index(args.seed_image.resolve())
    return Seed(index, Box(y, x, y + height, x + width))
