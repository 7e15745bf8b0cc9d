"""What every `lamadesk-cli` command shares: exit codes, usage errors, existing outputs.

A module of its own so that the commands import it rather than the package that imports
them (``lamadesk.cli`` ↔ its commands was an import circle).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from lamadesk.core.inputs import Inputs
    from lamadesk.core.output_names import ExistingOutputs

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_USAGE = 2
EXIT_INTERRUPTED = 130


class UsageError(Exception):
    """Arguments that parse but make no sense together; exits with code 2."""


def existing_outputs(args: argparse.Namespace) -> ExistingOutputs:
    """The core's choice for `--overwrite` / `--skip-existing` / neither."""
    from lamadesk.core.output_names import ExistingOutputs

    if args.overwrite:
        return ExistingOutputs.OVERWRITE
    return ExistingOutputs.SKIP if args.skip_existing else ExistingOutputs.FAIL


EXISTS_HINT = "use --overwrite to replace it or --skip-existing to keep it"
"""Said after every failure because an output exists."""


RECURSIVE_HELP = (
    "also search the folders' subfolders; results keep their layout in the output folder"
)
_NAMED = 3
"""How many subfolders or files a note names."""


def input_images(args: argparse.Namespace) -> Inputs:
    """The images `args.inputs` name; says what in their folders was left out.

    The output folder is never searched, so a rerun never takes its own results for photos;
    nor are files lamadesk wrote beside the photos (cleaned copies, masks).

    Raises:
        UsageError: No image was found.
    """
    from lamadesk.core.inputs import find_inputs

    inputs = find_inputs(args.inputs, recursive=args.recursive, skip=args.out)
    if inputs.unsearched:
        print(
            f"note: {len(inputs.unsearched)} subfolder(s) not searched "
            f"({_some_names(inputs.unsearched)}); add --recursive to search them too",
            file=sys.stderr,
        )
    if inputs.own_files:
        print(
            f"note: left out {len(inputs.own_files)} file(s) lamadesk wrote itself "
            f"({_some_names(inputs.own_files)}); name a file to include it",
            file=sys.stderr,
        )
    if not inputs.files:
        raise UsageError("no images found in the given inputs")
    return inputs


def _some_names(paths: tuple[Path, ...]) -> str:
    """The first few names, and "..." when there are more."""
    more = ", ..." if len(paths) > _NAMED else ""
    return ", ".join(path.name for path in paths[:_NAMED]) + more
