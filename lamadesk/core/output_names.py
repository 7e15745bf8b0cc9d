"""Every output name of a batch, decided before any work starts.

Two inputs with one name (``dupA/x.png``, ``dupB/x.png``), or two that become one name
(``a.jpg`` and ``a.png`` written as PNG), would otherwise write the same file twice and lose
one result. `plan_outputs` gives each source its own destination and says which already exist,
so the CLI and the app can apply the person's `ExistingOutputs` choice, or ask, before any
pixel is computed.
"""

from __future__ import annotations

import enum
import os
import warnings
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType

from PIL import Image

from lamadesk.core import image_formats as fmts
from lamadesk.core.image_model import OutputFormat
from lamadesk.core.image_write import fit_suffix, output_format
from lamadesk.core.notes import Note, NoteKind
from lamadesk.core.own_files import mask_name

_FORMAT_SUFFIXES = {
    OutputFormat.PNG: ".png",
    OutputFormat.JPEG: ".jpg",
    OutputFormat.WEBP: ".webp",
}


_NONE: Mapping[Path, Path] = MappingProxyType({})
"""No source in a subfolder."""

_NAME_MAX = 255
"""Bytes in a file name on common file systems (ext4, APFS, NTFS counts 255 UTF-16 units)."""


class ExistingOutputs(enum.Enum):
    """What to do when a planned output file already exists."""

    FAIL = "fail"
    """Leave the file alone and report that file as failed (the default: nothing is lost)."""
    OVERWRITE = "overwrite"
    """Replace it (originals included, when the output folder holds them)."""
    SKIP = "skip"
    """Leave the file alone and count the source as skipped, e.g. to finish an interrupted run."""


@dataclass(frozen=True)
class PlannedOutput:
    """Where one source's result goes.

    Attributes:
        source: The input file, as given.
        destination: The file the result is written to; distinct from every other
            destination of the plan, also when compared case-insensitively.
        exists: Something (a file, a folder or a link) was at `destination` when planned.
        renamed: `destination` is not the source's natural name (``x (2).png`` instead of
            ``x.png``) because an earlier source of the batch has that name.
    """

    source: Path
    destination: Path
    exists: bool
    renamed: bool

    @property
    def note(self) -> Note | None:
        """Says the name was changed (`NoteKind.OUTPUT_RENAMED`), else None."""
        if not self.renamed:
            return None
        return Note(NoteKind.OUTPUT_RENAMED, {"name": self.destination.name})


def plan_outputs(
    sources: Sequence[Path],
    out_dir: Path,
    fmt: OutputFormat,
    subfolders: Mapping[Path, Path] = _NONE,
) -> tuple[PlannedOutput, ...]:
    """Decide every source's output file in `out_dir`, in the order of `sources`.

    A source listed in `subfolders` goes to that subfolder of `out_dir` (a folder searched
    recursively keeps its layout); names are then distinct within each folder.

    The natural name is the source's file name with the suffix of the format `write_image`
    will write: `fmt`'s, or for SAME the one the writer picks from the file's header (GIF,
    ICO and transparent BMP become ``.png``; a PNG named ``.jpg`` too). The first source with a
    natural name keeps it; a later one gets ``stem (2).ext`` (or 3, ...), never taking a name
    another source has naturally. The result depends only on the names, not on which files
    exist, so rerunning an interrupted batch plans the same names.

    Reads at most each source's header; a source that cannot be opened is planned from its
    suffix (reading it will fail later with a proper error).
    """
    natural = [
        out_dir / subfolders.get(source, Path()) / _natural_name(source, fmt) for source in sources
    ]
    return _distinct(sources, natural)


def plan_mask_outputs(
    sources: Sequence[Path], out_dir: Path, subfolders: Mapping[Path, Path] = _NONE
) -> tuple[PlannedOutput, ...]:
    """Like `plan_outputs`, for the ``<stem>.mask.png`` files `lamadesk-cli detect` writes.

    ``a.jpg`` and ``a.png`` both make ``a.mask.png``; the second gets ``a.mask (2).png``.
    """
    natural = [out_dir / subfolders.get(source, Path()) / mask_name(source) for source in sources]
    return _distinct(sources, natural)


def _distinct(sources: Sequence[Path], natural: Sequence[Path]) -> tuple[PlannedOutput, ...]:
    """First come keeps its natural name; later ones get the lowest free number."""
    taken = {_key(path) for path in natural}
    used: set[str] = set()
    planned = []
    for source, path in zip(sources, natural, strict=True):
        destination = path
        if _key(path) in used:
            destination = _free_name(path, lambda key: key in taken or key in used)
        used.add(_key(destination))
        planned.append(
            PlannedOutput(
                source=source,
                destination=destination,
                exists=os.path.lexists(destination),
                renamed=destination != path,
            )
        )
    return tuple(planned)


def _natural_name(source: Path, fmt: OutputFormat) -> str:
    suffix = _FORMAT_SUFFIXES.get(fmt)
    if suffix is not None:
        return source.with_suffix(suffix).name
    source_format, has_alpha = _header(source)
    return fit_suffix(Path(source.name), output_format(source_format, has_alpha, fmt)).name


def _header(source: Path) -> tuple[str, bool]:
    """The source's format and transparency as its header says; from the suffix if unreadable."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(source) as image:
                return image.format or "unknown", fmts.has_alpha(image)
    except (OSError, SyntaxError, ValueError, EOFError, Image.DecompressionBombError):
        return Image.registered_extensions().get(source.suffix.lower(), "unknown"), False


def _free_name(path: Path, is_taken: Callable[[str], bool]) -> Path:
    """``stem (N).ext`` with the lowest free N; the stem is shortened to fit `_NAME_MAX`."""
    number = 2
    while is_taken(_key(candidate := path.with_name(_numbered(path, number)))):
        number += 1
    return candidate


def _numbered(path: Path, number: int) -> str:
    tail = f" ({number}){path.suffix}"
    room = _NAME_MAX - len(tail.encode())
    stem = path.stem.encode()[:room].decode(errors="ignore")  # never half a character
    return stem + tail


def _key(path: Path) -> str:
    """Paths compared as Windows and macOS folders do: case-insensitively."""
    return path.as_posix().casefold()
