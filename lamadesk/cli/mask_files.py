"""Writing one mask file per image, for both kinds of `detect`: same rules, same lines."""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from lamadesk.cli.conventions import EXISTS_HINT
from lamadesk.core.errors import LamadeskError, OutputExistsError
from lamadesk.core.image_write import write_mask
from lamadesk.core.notes import english
from lamadesk.core.output_names import ExistingOutputs, PlannedOutput


@dataclass
class MaskTally:
    """How many images had no mask written: failed (exit 1) or kept as they were."""

    problems: int = 0
    skipped: int = 0

    def skipped_text(self) -> str:
        return f" ({self.skipped} masks existed and were kept)" if self.skipped else ""


def write_planned_mask(
    mask: np.ndarray,
    planned: PlannedOutput,
    existing: ExistingOutputs,
    prefix: str,
    tally: MaskTally,
    found: str = "",
) -> Path | None:
    """Write `mask` to its planned name by the no-replace rule; None when it was not written.

    A file that exists is kept (and counted as skipped) with SKIP, a failure otherwise; either
    way the image's line is printed here. `found` says what was found, for the skip line.
    """
    try:
        return write_mask(
            mask, planned.destination, overwrite=existing is ExistingOutputs.OVERWRITE
        )
    except OutputExistsError:
        if existing is ExistingOutputs.SKIP:
            what = f"{found}; " if found else ""
            print(f"{prefix}: {what}skipped, {planned.destination} exists", file=sys.stderr)
            tally.skipped += 1
            return None
        print(f"{prefix}: FAILED: {planned.destination} exists; {EXISTS_HINT}", file=sys.stderr)
    except LamadeskError as exc:
        print(f"{prefix}: FAILED: {exc}", file=sys.stderr)
    tally.problems += 1
    return None


def print_written(prefix: str, found: str, written: Path, planned: PlannedOutput) -> None:
    """The line of an image whose mask was written, with the renamed-output note if any."""
    note = f"\n    note: {english(planned.note)}" if planned.note else ""
    print(f"{prefix}: {found} -> {written}{note}", file=sys.stderr)
