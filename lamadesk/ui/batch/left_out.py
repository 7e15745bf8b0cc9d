"""The batch panel's line about files left out of folders because lamadesk wrote them."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication

_NAMED = 3
"""How many left-out files the sentence names."""


def left_out_words(own_files: tuple[Path, ...]) -> str:
    """Which cleaned copies and masks found in the added folders stayed out, and how to add one."""
    names = ", ".join(path.name for path in own_files[:_NAMED])
    if len(own_files) > _NAMED:
        names += ", …"
    return QCoreApplication.translate(
        "left_out",
        "Left out {count} file(s) that lamadesk wrote itself ({names}); add such a file by "
        "itself to clean it again.",
    ).format(count=len(own_files), names=names)
