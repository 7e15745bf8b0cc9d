"""Which image files a command was given: files as named, and the images inside folders."""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from lamadesk.core.image_io import IMAGE_EXTENSIONS
from lamadesk.core.own_files import written_by_lamadesk

NEVER_SEARCHED = frozenset({"@eaDir", "__MACOSX"})
"""Folders of other programs' copies: a Synology NAS's thumbnails, a macOS zip's resource
forks. Their "images" are not the person's photos (hidden folders are skipped as well)."""


@dataclass(frozen=True)
class Inputs:
    """The images to work on, and where each one's result goes below the output folder.

    Attributes:
        files: In the order given; each folder's images sorted, its own before its
            subfolders'.
        subfolders: For an image found in a subfolder of a given folder, that subfolder
            relative to the given folder; results go to the same subfolder of the output
            folder, so ``1998/scan1.jpg`` and ``1999/scan1.jpg`` stay apart. Files named
            directly and images directly inside a given folder are absent.
        unsearched: Subfolders of given folders that were not looked into (not recursive).
        own_files: Images in the folders searched that lamadesk wrote itself (cleaned copies
            saved beside their originals, masks), left out of `files`.
    """

    files: tuple[Path, ...]
    subfolders: Mapping[Path, Path] = field(default_factory=dict)
    unsearched: tuple[Path, ...] = ()
    own_files: tuple[Path, ...] = ()

    def shown(self, source: Path) -> str:
        """The name to show for `source`: with its subfolder when it was found in one."""
        return shown_name(source, self.subfolders.get(source))


def shown_name(source: Path, subfolder: Path | None) -> str:
    """``1998/scan1.jpg`` for a file found in a subfolder, else only the file's name."""
    return source.name if subfolder is None else (subfolder / source.name).as_posix()


def find_inputs(
    paths: Sequence[Path], *, recursive: bool = False, skip: Path | None = None
) -> Inputs:
    """Files as given; folders replaced by the images inside them (and their subfolders').

    `skip` (the output folder) is never searched, so a rerun into a folder inside the input
    folder never takes its own results for photos, and files lamadesk wrote beside the photos
    (`own_files.written_by_lamadesk`) are left out of folders; named on their own, they are
    taken. Hidden folders and `NEVER_SEARCHED` are left out, and links to folders are not
    followed (a link to a parent never ends).
    """
    files: list[Path] = []
    subfolders: dict[Path, Path] = {}
    unsearched: list[Path] = []
    own: list[Path] = []
    skipped = skip.resolve() if skip is not None else None
    for path in paths:
        if not path.is_dir():
            files.append(path)
            continue
        for current, folders, names in os.walk(path):
            here = Path(current)
            folders[:] = sorted(name for name in folders if _searchable(here / name, skipped))
            if not recursive:
                unsearched += (here / name for name in folders)
                folders.clear()
            inside = here.relative_to(path)
            for name in sorted(names):
                image = here / name
                if image.suffix.lower() not in IMAGE_EXTENSIONS or not image.is_file():
                    continue
                if written_by_lamadesk(image):
                    own.append(image)
                else:
                    files.append(image)
                    if inside != Path():
                        subfolders[image] = inside
    return Inputs(tuple(files), subfolders, tuple(unsearched), tuple(own))


def _searchable(folder: Path, skipped: Path | None) -> bool:
    if folder.name.startswith(".") or folder.name in NEVER_SEARCHED or folder.is_symlink():
        return False
    return skipped is None or folder.resolve() != skipped
