"""What every `lamadesk-cli` command shares: exit codes, usage errors, existing outputs.

A module of its own so that the commands import it rather than the package that imports
them (``lamadesk.cli`` ↔ its commands was an import circle).
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

if TYPE_CHECKING:
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
