"""`lamadesk-cli remove`: one mask, or the watermark the images share, removed from each."""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from lamadesk.cli.compiling import compile_sizes_as_they_come
from lamadesk.cli.conventions import (
    EXISTS_HINT,
    EXIT_FAILED,
    EXIT_INTERRUPTED,
    EXIT_OK,
    UsageError,
    existing_outputs,
    input_images,
)
from lamadesk.cli.detect import find_shared_mark
from lamadesk.cli.terminal import ProgressLine
from lamadesk.cli.text import text_mask_planner
from lamadesk.core import masks
from lamadesk.core.batch import BatchRequest, FileOutcome, run_batch, same_mask
from lamadesk.core.engine import Engine
from lamadesk.core.errors import ImageReadError
from lamadesk.core.image_io import OutputFormat, read_mask_image
from lamadesk.core.model_store import ModelStore
from lamadesk.core.models.base import InpaintBackend
from lamadesk.core.models.registry import open_model
from lamadesk.core.notes import english
from lamadesk.core.pipeline import InpaintOptions, Strategy
from lamadesk.core.watermark.removal import SharedMarkPlanner

_FORMATS = {
    "same": OutputFormat.SAME,
    "png": OutputFormat.PNG,
    "jpg": OutputFormat.JPEG,
    "webp": OutputFormat.WEBP,
}


def run_remove_command(args: argparse.Namespace) -> int:
    """Process every input, print a line per file and a summary; 1 if any file failed."""
    if args.dilate < 0:
        raise UsageError("--dilate must be 0 or more pixels")
    if not args.auto_mask and (args.deblend or args.seed_box or args.seed_image):
        raise UsageError("--deblend, --seed-box and --seed-image need --auto-mask")
    if not args.text_mask and (args.text_region is not None or args.text_sensitivity != 0.5):
        raise UsageError("--text-region and --text-sensitivity need --text-mask")
    inputs = input_images(args)
    sources = inputs.files
    shared: SharedMarkPlanner | None = None
    if args.auto_mask:
        shared = SharedMarkPlanner(sources, find_shared_mark(sources, args), args.deblend)
    if args.text_mask:
        planner = text_mask_planner(args)
    else:
        planner = shared or same_mask(_read_mask(args.mask, args.allow_large_mask))
    backend = _open_backend(args)
    if shared is not None and args.deblend:
        _fit_matte(shared)
    request = BatchRequest(
        sources=tuple(sources),
        planner=planner,
        out_dir=args.out,
        options=InpaintOptions(strategy=Strategy(args.strategy), dilate_px=args.dilate),
        fmt=_FORMATS[args.format],
        existing=existing_outputs(args),
        subfolders=inputs.subfolders,
    )
    line = ProgressLine()
    if args.compile:
        compile_sizes_as_they_come(backend, line)
    total = len(sources)
    outcomes: list[FileOutcome] = []
    current: list[Path] = []

    def started(index: int, path: Path) -> None:
        current[:] = [path]
        line.update(f"[{index + 1}/{total}] {inputs.shown(path)} ...")

    def done(index: int, outcome: FileOutcome) -> None:
        current.clear()
        outcomes.append(outcome)
        line.finish(_describe(f"[{index + 1}/{total}] {inputs.shown(outcome.source)}", outcome))

    try:
        summary = run_batch(request, backend, started, done)
    except KeyboardInterrupt:
        _print_interrupted(line, outcomes, current, total)
        return EXIT_INTERRUPTED
    failed = summary.failed
    skipped = f", {len(summary.skipped)} skipped" if summary.skipped else ""
    print(
        f"{len(summary.done)} done, {len(failed)} failed{skipped} in {summary.seconds:.1f} s",
        file=sys.stderr,
    )
    _print_failures(failed)
    return EXIT_FAILED if failed else EXIT_OK


def _print_interrupted(
    line: ProgressLine, outcomes: list[FileOutcome], current: list[Path], total: int
) -> None:
    """Ctrl-C: what is finished (kept), and what a rerun with --skip-existing still has to do."""
    done = sum(outcome.ok and not outcome.skipped for outcome in outcomes)
    failed = [outcome for outcome in outcomes if not outcome.ok]
    skipped = sum(outcome.skipped for outcome in outcomes)
    not_started = total - len(outcomes) - len(current)
    unfinished = f"; {current[0].name} was not written" if current else ""
    line.finish(
        f"interrupted: {done} done, {len(failed)} failed, {skipped} skipped, "
        f"{not_started} not started{unfinished}"
    )
    _print_failures(failed)
    print("to finish, run the same command with --skip-existing", file=sys.stderr)


def _print_failures(failed: Sequence[FileOutcome]) -> None:
    for outcome in failed:
        print(f"  failed: {outcome.source}: {_failure(outcome)}", file=sys.stderr)


def _read_mask(path: Path, allow_large: bool) -> np.ndarray:
    try:
        mask = read_mask_image(path)
    except ImageReadError as exc:
        raise UsageError(f"mask: {exc}") from exc
    if not mask.any():
        print("warning: the mask is empty: images are copied unchanged", file=sys.stderr)
    if masks.is_large(mask) and not allow_large:
        raise UsageError(
            f"mask: {path} covers {masks.coverage(mask):.0%} of the image, more than "
            f"{masks.LARGE_MASK_SHARE:.0%}: is it inverted? Pass --allow-large-mask to use it"
        )
    return mask


def _open_backend(args: argparse.Namespace) -> InpaintBackend:
    try:
        opened = open_model(args.model, ModelStore(), args.device, Engine(args.engine))
    except ValueError as exc:
        raise UsageError(str(exc)) from exc
    for note in opened.notes:
        print(f"notice: {note}", file=sys.stderr)
    print(f"using {opened.backend.name} on {opened.backend.device}", file=sys.stderr)
    return opened.backend


def _fit_matte(planner: SharedMarkPlanner) -> None:
    print("fitting the mark's opacity and colour ...", file=sys.stderr)
    started = time.perf_counter()
    matte = planner.prepare()
    assert matte is not None
    colour = ", ".join(f"{value:.0f}" for value in matte.main_colour)
    print(
        f"mark colour ({colour}), opacity up to {matte.alpha.max():.2f} "
        f"({time.perf_counter() - started:.1f} s)",
        file=sys.stderr,
    )


def _describe(prefix: str, outcome: FileOutcome) -> str:
    if not outcome.ok:
        return f"{prefix}: FAILED: {_failure(outcome)}"
    if outcome.skipped:
        return f"{prefix}: skipped, {outcome.output} exists"
    notes = "".join(f"\n    note: {english(note)}" for note in outcome.notes)
    return f"{prefix} -> {outcome.output} ({outcome.seconds:.1f} s){notes}"


def _failure(outcome: FileOutcome) -> str:
    if outcome.exists:
        return f"{outcome.output} exists; {EXISTS_HINT}"
    return str(outcome.error)
