"""The models lamadesk knows: where to fetch them and how to recognise the right file.

The registry is plain data so the store can be built with other specs (tests use tiny files
served from 127.0.0.1) without patching globals.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum

MODEL_URL_ENV = "LAMADESK_MODEL_URL"
"""Environment variable that replaces the whole download URL of the ``lama`` model (mirrors)."""

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


LAMA = ModelSpec(
    name="lama",
    filename="big-lama.pt",
    url="https://github.com/Sanster/models/releases/download/add_big_lama/big-lama.pt",
    md5="e3aa4aaa15225a33ec84f9f4bc47e500",
    size_bytes=205_669_692,
    description="Big LaMa inpainting model (TorchScript, 196 MiB)",
    url_env=MODEL_URL_ENV,
    content=ModelContent.BIG_LAMA,
)

KNOWN_MODELS: tuple[ModelSpec, ...] = (LAMA,)
"""Every model the app can download, in display order."""
