"""A one-line progress display that degrades to plain lines when stderr is not a terminal."""

from __future__ import annotations

import sys
from typing import TextIO


class ProgressLine:
    """Rewrites one line in place on a terminal; prints only finished lines when piped."""

    def __init__(self, stream: TextIO | None = None) -> None:
        self._stream = stream or sys.stderr
        self._live = self._stream.isatty()
        self._width = 0

    def update(self, text: str) -> None:
        if not self._live:
            return
        padded = text.ljust(self._width)
        self._width = len(text)
        self._stream.write("\r" + padded)
        self._stream.flush()

    def finish(self, text: str) -> None:
        """Replace the live line with a permanent one."""
        if self._live:
            self._stream.write("\r" + " " * self._width + "\r")
            self._width = 0
        self._stream.write(text + "\n")
        self._stream.flush()


def bar(fraction: float, width: int = 24) -> str:
    """A text progress bar such as ``[#########...............]``."""
    filled = round(max(0.0, min(1.0, fraction)) * width)
    return "[" + "#" * filled + "." * (width - filled) + "]"


def human_bytes(count: float) -> str:
    """Bytes in the largest unit that keeps the number readable (1024-based)."""
    units = ("B", "KiB", "MiB", "GiB", "TiB")
    unit = 0
    while abs(count) >= 1024 and unit < len(units) - 1:
        count /= 1024
        unit += 1
    return f"{count:.0f} B" if unit == 0 else f"{count:.1f} {units[unit]}"
