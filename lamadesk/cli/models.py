"""`lamadesk-cli models`: list, download (resumable, with progress) and import weights."""

from __future__ import annotations

import argparse
import sys

from lamadesk.cli.conventions import EXIT_FAILED, EXIT_OK
from lamadesk.cli.terminal import ProgressLine, bar, human_bytes
from lamadesk.core.download import TransferCallback, TransferProgress
from lamadesk.core.errors import ModelChecksumError
from lamadesk.core.model_store import ModelStatus, ModelStore
from lamadesk.core.models.spec import ModelContent

FORCE_HELP = (
    "accept a file whose md5 is not the published one; the file must still be an intact "
    "TorchScript archive holding exactly big-lama's 989 tensors (names, shapes, dtypes)"
)


def run_models_command(args: argparse.Namespace) -> int:
    """Dispatch `models list|download|import`; errors propagate as LamadeskError."""
    if args.models_command == "list":
        for status in ModelStore().list():
            print(_describe(status))
        return EXIT_OK
    if args.models_command == "download":
        store = ModelStore(url_overrides={args.name: args.url} if args.url else None)
        line = ProgressLine()
        print(f"downloading {args.name} from {store.download_url(args.name)}")
        path = store.download(args.name, on_progress=_show_transfer(line, "downloading"))
        line.finish(f"installed {args.name} at {path}")
        return EXIT_OK
    store = ModelStore()
    line = ProgressLine()
    try:
        path = store.import_file(
            args.name, args.path, force=args.force, on_progress=_show_transfer(line, "importing")
        )
    except ModelChecksumError as exc:
        print(f"error: {exc}; {_force_hint(store, args.name)}", file=sys.stderr)
        return EXIT_FAILED
    state = store.status(args.name).state
    line.finish(f"imported {args.name} at {path} ({state.value if state else 'unknown'})")
    return EXIT_OK


def _force_hint(store: ModelStore, name: str) -> str:
    """What ``--force`` would do for `name`, and what it would still check."""
    hint = "if you trust this file, import it again with --force"
    if store.spec(name).content is ModelContent.BIG_LAMA:
        hint += (
            " (it only skips the md5: the file was checked and is an intact big-lama "
            "TorchScript archive with all 989 tensors)"
        )
    return hint


def _show_transfer(line: ProgressLine, verb: str) -> TransferCallback:
    def show(progress: TransferProgress) -> None:
        fraction = progress.fraction
        total = human_bytes(progress.total_bytes) if progress.total_bytes else "?"
        speed = f"{human_bytes(progress.bytes_per_second)}/s"
        shown = bar(fraction) if fraction is not None else ""
        line.update(f"{verb} {shown} {human_bytes(progress.done_bytes)} / {total}  {speed}")

    return show


def _describe(status: ModelStatus) -> str:
    if not status.installed:
        resume = (
            f", {human_bytes(status.partial_bytes)} downloaded so far"
            if status.partial_bytes
            else ""
        )
        return f"{status.name}\tnot installed\t{status.path}{resume}"
    state = status.state.value if status.state else "unchecked"
    size = human_bytes(status.size_bytes or 0)
    return f"{status.name}\tinstalled ({state})\t{status.path}\t{size}"
