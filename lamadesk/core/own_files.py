"""The names lamadesk gives what it writes beside photos, so a later search leaves them out.

The app's Save writes ``<stem>.clean<ext>`` beside the original, and `lamadesk-cli detect`
writes ``<stem>.mask.png`` (``<stem>.mask (2).png`` when two photos share a stem) into its
output folder, which may be the photos' own. Searching that folder again must not take them
for photos: a cleaned copy would be cleaned again, and a mask is no photo.
"""

from __future__ import annotations

import re
from pathlib import Path

from lamadesk.core.image_io import IMAGE_EXTENSIONS

_NUMBERED = r"(?: \(\d+\))?"
"""The `` (2)`` that output_names adds when a name is taken."""
_CLEAN = re.compile(rf".+\.clean{_NUMBERED}")
_MASK = re.compile(rf".+\.mask{_NUMBERED}")


def clean_name(original: Path, suffix: str) -> str:
    """``<stem>.clean<suffix>``: the name Save proposes for a cleaned photo."""
    return f"{original.stem}.clean{suffix}"


def mask_name(source: Path) -> str:
    """``<stem>.mask.png``: the file `lamadesk-cli detect` writes for a photo."""
    return f"{source.stem}.mask.png"


def written_by_lamadesk(path: Path) -> bool:
    """Whether `path` is named as a cleaned copy or a mask that lamadesk wrote."""
    suffix = path.suffix.lower()
    if suffix == ".png" and _MASK.fullmatch(path.stem):
        return True
    return suffix in IMAGE_EXTENSIONS and _CLEAN.fullmatch(path.stem) is not None
