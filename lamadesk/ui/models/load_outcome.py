"""The result of the engine's load job.

A module of its own, so that what words it (`engine_texts`) and what produces it
(`engine_controller`) need not import each other.
"""

from __future__ import annotations

from dataclasses import dataclass

from lamadesk.core.engine import OpenedBackend


@dataclass(frozen=True)
class LoadOutcome:
    """The result of a load job."""

    opened: OpenedBackend
