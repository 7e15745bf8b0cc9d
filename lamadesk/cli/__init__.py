"""`lamadesk-cli`: diagnostics, model management and batch removal without a display.

Exit codes: 0 success, 1 some files or the operation failed, 2 usage error, 130 interrupted.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from collections.abc import Sequence
from pathlib import Path

from lamadesk import __version__
from lamadesk.cli.conventions import (
    EXIT_FAILED,
    EXIT_INTERRUPTED,
    EXIT_OK,
    RECURSIVE_HELP,
    UsageError,
    input_images,
)

log = logging.getLogger("lamadesk.cli")


def build_parser() -> argparse.ArgumentParser:
    """The whole command line; importing it loads neither torch nor Qt."""
    parser = argparse.ArgumentParser(
        prog="lamadesk-cli",
        description="Remove watermarks and objects from photos with LaMa, without a window.",
        epilog="Exit codes: 0 success, 1 some files failed, 2 usage error, 130 interrupted.",
    )
    parser.add_argument("--version", action="version", version=f"lamadesk {__version__}")
    parser.add_argument("-v", "--verbose", action="store_true", help="log details, tracebacks")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    doctor = commands.add_parser("doctor", help="show which device is used and why")
    doctor.add_argument("--json", action="store_true", help="print one JSON object")
    doctor.add_argument("--device", default="auto", help="device to check (default: auto)")

    models = commands.add_parser("models", help="list, download or import model weights")
    model_commands = models.add_subparsers(dest="models_command", required=True, metavar="ACTION")
    model_commands.add_parser("list", help="show known models and where they are")
    download = model_commands.add_parser("download", help="download a model (resumable)")
    download.add_argument("name")
    download.add_argument("--url", help="download from this mirror URL instead")
    importing = model_commands.add_parser("import", help="install a model file you downloaded")
    importing.add_argument("name")
    importing.add_argument("path", type=Path)
    from lamadesk.cli.models import FORCE_HELP

    importing.add_argument("--force", action="store_true", help=FORCE_HELP)

    from lamadesk.cli.detect import add_seed_arguments
    from lamadesk.cli.text import add_text_arguments

    detect = commands.add_parser(
        "detect", help="find the watermark a batch shares (or --text); write one mask per image"
    )
    detect.add_argument("inputs", nargs="+", type=Path, metavar="IMAGE_OR_FOLDER")
    detect.add_argument("-r", "--recursive", action="store_true", help=RECURSIVE_HELP)
    detect.add_argument("--out", required=True, type=Path, help="folder for <name>.mask.png")
    detect.add_argument(
        "--text", action="store_true", help="find text (captions, date stamps) in each image"
    )
    add_existing_arguments(detect, "replace existing mask files")
    add_seed_arguments(detect)
    add_text_arguments(detect)

    remove = commands.add_parser("remove", help="remove the masked area from images")
    remove.add_argument("inputs", nargs="+", type=Path, metavar="IMAGE_OR_FOLDER")
    remove.add_argument("-r", "--recursive", action="store_true", help=RECURSIVE_HELP)
    masking = remove.add_mutually_exclusive_group(required=True)
    masking.add_argument(
        "--mask",
        type=Path,
        help="one mask for every image: non-black pixels (with transparency: visible ones) go",
    )
    masking.add_argument(
        "--auto-mask",
        action="store_true",
        help="find the watermark the images share and remove it from each",
    )
    masking.add_argument(
        "--text-mask",
        action="store_true",
        help="find the text in each image (captions, date stamps) and remove it",
    )
    add_text_arguments(remove)
    remove.add_argument(
        "--deblend",
        action="store_true",
        help="with --auto-mask: undo a translucent mark's blend instead of inpainting it",
    )
    add_seed_arguments(remove)
    remove.add_argument("--out", required=True, type=Path, help="output folder")
    from lamadesk.core.models.registry import AUTO, inpainter_choices

    remove.add_argument("--model", default=AUTO, choices=inpainter_choices())
    remove.add_argument(
        "--engine",
        default="native",
        choices=["native", "torchscript"],
        help="LaMa implementation: native (fast, default) or torchscript (IOPaint's way)",
    )
    remove.add_argument("--device", default="auto", help="auto, cpu, cuda or cuda:N")
    from lamadesk.cli.compiling import COMPILE_HELP

    remove.add_argument("--compile", action="store_true", help=COMPILE_HELP)
    remove.add_argument("--dilate", type=int, default=0, metavar="PX", help="grow the mask")
    remove.add_argument(
        "--allow-large-mask",
        action="store_true",
        help="accept a mask covering more than 90%% of the image (usually an inverted mask)",
    )
    remove.add_argument("--strategy", default="auto", choices=["auto", "full", "crop", "resize"])
    remove.add_argument("--format", default="same", choices=["same", "png", "jpg", "webp"])
    add_existing_arguments(remove, "allow replacing existing files and originals")
    from lamadesk.cli.bench import add_bench_parser

    add_bench_parser(commands)
    return parser


def add_existing_arguments(parser: argparse.ArgumentParser, overwrite_help: str) -> None:
    """`--overwrite` or `--skip-existing`: what to do with output files that exist.

    Without either an existing file is never replaced: that file fails, and says how to choose.
    """
    choice = parser.add_mutually_exclusive_group()
    choice.add_argument("--overwrite", action="store_true", help=overwrite_help)
    choice.add_argument(
        "--skip-existing",
        action="store_true",
        help="leave existing output files alone and count them as skipped (to finish a run)",
    )


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; every expected failure is one line on stderr and an exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    # Everything a person must know arrives as a notice or an error line; the log is for -v.
    logging.basicConfig(
        level=logging.DEBUG if args.verbose else logging.ERROR,
        format="%(levelname)s %(name)s: %(message)s",
    )
    from lamadesk.core.errors import LamadeskError

    handlers = {
        "doctor": _doctor,
        "models": _models,
        "detect": _detect,
        "remove": _remove,
        "bench": _bench,
    }
    try:
        return handlers[args.command](args)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except UsageError as exc:
        parser.error(str(exc))
    except LamadeskError as exc:
        if args.verbose:
            log.exception("failed")
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_FAILED
    return EXIT_OK


def _doctor(args: argparse.Namespace) -> int:
    from lamadesk.core.diagnostics import diagnose, format_report, report_as_dict
    from lamadesk.core.install_info import install_as_dict, install_info, install_rows

    try:
        report = diagnose(args.device)
    except ValueError as exc:
        raise UsageError(str(exc)) from exc
    installed = install_info()
    if args.json:
        print(json.dumps(install_as_dict(installed) | report_as_dict(report), indent=2))
    else:
        print(format_report(report, install_rows(installed)))
    return EXIT_OK


def _models(args: argparse.Namespace) -> int:
    from lamadesk.cli.models import run_models_command

    return run_models_command(args)


def _bench(args: argparse.Namespace) -> int:
    from lamadesk.cli.bench import run_bench_command

    return run_bench_command(args)


def _detect(args: argparse.Namespace) -> int:
    from lamadesk.cli.detect import run_detect_command

    if not args.text and (args.text_region is not None or args.text_sensitivity != 0.5):
        raise UsageError("--text-region and --text-sensitivity need --text")
    inputs = input_images(args)
    if args.text:
        from lamadesk.cli.text import run_detect_text_command

        return run_detect_text_command(inputs, args)
    return run_detect_command(inputs, args)


def _remove(args: argparse.Namespace) -> int:
    from lamadesk.cli.remove import run_remove_command

    return run_remove_command(args)
