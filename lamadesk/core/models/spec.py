"""How a downloadable weights file is described: where to fetch it, how to recognise it.

Specs are plain data so the store can be built with other specs (tests use tiny files
served from 127.0.0.1) without patching globals. Each model folder defines its own spec
(``lama/spec.py``); the registry (``registry.py``) says which models have one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum

_MD5_RE = re.compile(r"[0-9a-f]{32}")


class ModelContent(Enum):
    """What a model file must hold beyond its md5; checked before it is installed, forced or not."""

    ANY = "any"
    """No content check: specs for tests that serve arbitrary bytes."""
    BIG_LAMA = "big-lama"
    """An intact TorchScript zip holding exactly big-lama's tensors (keys, shapes, dtypes)."""

    @property
    def magic(self) -> bytes:
        """The bytes such a file starts with (a zip's first local file header), or none."""
        return b"PK\x03\x04" if self is ModelContent.BIG_LAMA else b""


@dataclass(frozen=True)
class ModelSpec:
    """One downloadable model file.

    Attributes:
        name: Short id used by the CLI and settings, e.g. ``lama``.
        filename: File name inside the models folder; a bare name, never a path.
        url: Default download URL.
        md5: Published md5 of the file, lower-case hex. md5 because that is what upstream
            publishes; it guards against corruption and wrong files, not against attackers.
        size_bytes: Exact file size; a cheap check that catches half-copied files without
            hashing 200 MB on every start.
        description: One English line for lists.
        url_env: Environment variable that, when set and non-empty, replaces `url`.
        content: What the file must hold; ``--force`` skips the md5, never this check.
    """

    name: str
    filename: str
    url: str
    md5: str
    size_bytes: int
    description: str
    url_env: str | None = None
    content: ModelContent = ModelContent.ANY

    def __post_init__(self) -> None:
        if not _MD5_RE.fullmatch(self.md5):
            raise ValueError(f"md5 of {self.name!r} must be 32 lower-case hex digits")
        if not self.filename or "/" in self.filename or "\\" in self.filename:
            raise ValueError(f"filename of {self.name!r} must be a bare file name")
        if self.filename.startswith(".") or self.filename.endswith((".part", ".json")):
            raise ValueError(f"filename of {self.name!r} clashes with the store's own files")
        if self.size_bytes <= 0:
            raise ValueError(f"size of {self.name!r} must be positive")
