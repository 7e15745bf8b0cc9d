"""Zip a built bundle as the portable download: the folder plus a ``portable`` marker file.

The marker makes the frozen app keep its models, log and settings in a ``data`` folder beside
the executable (see lamadesk.core.paths), which is what people unpacking a zip onto a USB stick
expect. The bundle itself is not touched, so the installer built from it stays non-portable.
Zip64 is used as needed: a CUDA bundle is over 4 GB unpacked.

Usage: ``python packaging/make_portable_zip.py BUNDLE_DIR OUT.zip [--top FOLDER_NAME]``
"""

from __future__ import annotations

import argparse
import zipfile
from pathlib import Path

MARKER_NAME = "portable"  # lamadesk.core.paths.PORTABLE_MARKER; this script runs without lamadesk
MARKER_TEXT = (
    "This file makes lamadesk portable: its models, log and settings are kept in the 'data'\n"
    "folder beside it instead of the user's profile. Delete it to use the profile instead.\n"
)


def make_portable_zip(bundle: Path, destination: Path, top: str | None = None) -> Path:
    """Write `destination` with `bundle`'s files under `top`/ and the portable marker.

    Raises:
        FileNotFoundError: `bundle` is not a folder.
    """
    if not bundle.is_dir():
        raise FileNotFoundError(f"no bundle folder at {bundle}")
    top = top or bundle.name
    destination.parent.mkdir(parents=True, exist_ok=True)
    partial = destination.with_name(destination.name + ".part")
    with zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as archive:
        for path in sorted(bundle.rglob("*")):
            if path.is_file():
                archive.write(path, f"{top}/{path.relative_to(bundle).as_posix()}")
        archive.writestr(f"{top}/{MARKER_NAME}", MARKER_TEXT)
    partial.replace(destination)
    return destination


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("bundle", type=Path)
    parser.add_argument("destination", type=Path)
    parser.add_argument("--top", help="folder name inside the zip (default: the bundle's)")
    args = parser.parse_args()
    path = make_portable_zip(args.bundle, args.destination, args.top)
    print(f"{path} ({path.stat().st_size / 2**20:,.0f} MiB)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
