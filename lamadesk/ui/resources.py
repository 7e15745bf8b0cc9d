"""The one place that finds files shipped with lamadesk: translations and icons.

Resources are looked up beside the installed package first (``lamadesk/resources``, where a
wheel or a frozen app puts them), then in a PyInstaller bundle (``sys._MEIPASS``), and last in
the source checkout's top-level ``resources/`` folder, resolved from this file and never from
the working directory, so ``python -m lamadesk`` works from any folder during development.
"""

from __future__ import annotations

import logging
import sys
from functools import cache
from pathlib import Path

log = logging.getLogger(__name__)

_PACKAGE_DIR = Path(__file__).resolve().parent.parent
"""The ``lamadesk`` package folder."""


def _candidates() -> list[Path]:
    candidates = [_PACKAGE_DIR / "resources"]
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        candidates.append(Path(bundle) / "lamadesk" / "resources")
    candidates.append(_PACKAGE_DIR.parent / "resources")
    return candidates


@cache
def resources_dir() -> Path:
    """The folder holding ``translations/`` and ``icons/``.

    Raises:
        FileNotFoundError: No candidate folder exists (a broken install); the message lists
            where it looked.
    """
    for candidate in _candidates():
        if (candidate / "translations").is_dir():
            log.debug("resources found in %s", candidate)
            return candidate
    looked = ", ".join(str(path) for path in _candidates())
    raise FileNotFoundError(f"lamadesk resources not found; looked in {looked}")


def translations_dir() -> Path:
    """Where ``lamadesk_<locale>.qm`` catalogs live."""
    return resources_dir() / "translations"


def icon_path(name: str) -> Path:
    """The path of icon `name` (a file name such as ``lamadesk.svg``) under ``icons/``."""
    return resources_dir() / "icons" / name
