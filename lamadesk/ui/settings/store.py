"""Typed access to the app's preferences and window state, stored with QSettings.

Every key, its default and its type live here; widgets never call `QSettings.value`
themselves. Tests pass an INI file in a temporary folder (`AppSettings.from_file`).
"""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import TypeVar
from urllib.parse import urlsplit

from PySide6.QtCore import QByteArray, QSettings

from lamadesk.core.models.registry import AUTO, inpainter_choices
from lamadesk.core.paths import settings_file
from lamadesk.core.pipeline import Strategy

_E = TypeVar("_E", bound=Enum)

MAX_RECENT_FILES = 10
MIN_BRUSH, MAX_BRUSH, DEFAULT_BRUSH = 2, 500, 40


class Language(Enum):
    """UI languages with a catalog; the value is the catalog's locale suffix."""

    ENGLISH = "en"
    CHINESE_SIMPLIFIED = "zh_CN"


class SaveFormat(Enum):
    """Output format choice; `image_format.to_output_format` maps it to the core's enum."""

    SAME = "same"
    PNG = "png"
    JPEG = "jpg"
    WEBP = "webp"


class AppSettings:
    """Preferences (device, model, processing, output, language) and window state."""

    def __init__(self, store: QSettings) -> None:
        self._store = store

    @classmethod
    def from_file(cls, path: Path) -> AppSettings:
        """Settings kept in an INI file (tests, a moved data folder)."""
        return cls(QSettings(str(path), QSettings.Format.IniFormat))

    @classmethod
    def for_user(cls) -> AppSettings:
        """The person's settings: in the data folder when it was moved, else the usual place."""
        moved = settings_file()
        if moved is not None:
            return cls.from_file(moved)
        return cls(
            QSettings(QSettings.Format.IniFormat, QSettings.Scope.UserScope, "lamadesk", "lamadesk")
        )

    def sync(self) -> None:
        self._store.sync()

    @property
    def file_name(self) -> str:
        return self._store.fileName()

    # -- device and model ------------------------------------------------------------
    @property
    def device(self) -> str:
        """``auto``, ``cpu`` or ``cuda:N``."""
        return str(self._store.value("engine/device", "auto", type=str)) or "auto"

    @device.setter
    def device(self, value: str) -> None:
        self._store.setValue("engine/device", value)

    @property
    def model_choice(self) -> str:
        """A registered inpainter's name or AUTO; AUTO for unknown or damaged values."""
        raw = str(self._store.value("engine/model", AUTO, type=str))
        return raw if raw in inpainter_choices() else AUTO

    @model_choice.setter
    def model_choice(self, value: str) -> None:
        self._store.setValue("engine/model", value)

    @property
    def model_mirror(self) -> str:
        """Mirror URL the LaMa download uses instead of the default; "" means the default.

        It wins over ``LAMADESK_MODEL_URL`` (see `ModelStore`). The settings dialog only
        stores addresses that pass `is_mirror_url`.
        """
        return str(self._store.value("engine/model_mirror", "", type=str)).strip()

    @model_mirror.setter
    def model_mirror(self, value: str) -> None:
        self._store.setValue("engine/model_mirror", value.strip())

    @property
    def model_offer_dismissed(self) -> bool:
        """The person chose "continue with OpenCV" on the first-start model offer."""
        return bool(self._store.value("engine/model_offer_dismissed", False, type=bool))

    @model_offer_dismissed.setter
    def model_offer_dismissed(self, value: bool) -> None:
        self._store.setValue("engine/model_offer_dismissed", value)

    @property
    def background_compile(self) -> bool:
        """Compile the model in the background where that works (native LaMa on CUDA)."""
        return bool(self._store.value("engine/background_compile", True, type=bool))

    @background_compile.setter
    def background_compile(self, value: bool) -> None:
        self._store.setValue("engine/background_compile", value)

    # -- processing ------------------------------------------------------------------
    @property
    def strategy(self) -> Strategy:
        return _enum(Strategy, self._store.value("processing/strategy", "auto", type=str))

    @strategy.setter
    def strategy(self, value: Strategy) -> None:
        self._store.setValue("processing/strategy", value.value)

    @property
    def dilation(self) -> int:
        """Pixels the mask grows by before removal."""
        return max(0, int(self._store.value("processing/dilation", 4, type=int)))

    @dilation.setter
    def dilation(self, value: int) -> None:
        self._store.setValue("processing/dilation", max(0, value))

    @property
    def brush_size(self) -> int:
        size = int(self._store.value("canvas/brush_size", DEFAULT_BRUSH, type=int))
        return min(MAX_BRUSH, max(MIN_BRUSH, size))

    @brush_size.setter
    def brush_size(self, value: int) -> None:
        self._store.setValue("canvas/brush_size", value)

    # -- output ----------------------------------------------------------------------
    @property
    def save_format(self) -> SaveFormat:
        return _enum(SaveFormat, self._store.value("output/format", "same", type=str))

    @save_format.setter
    def save_format(self, value: SaveFormat) -> None:
        self._store.setValue("output/format", value.value)

    @property
    def output_folder(self) -> Path | None:
        """Where Save writes; None means beside the original."""
        text = str(self._store.value("output/folder", "", type=str))
        return Path(text) if text else None

    @output_folder.setter
    def output_folder(self, value: Path | None) -> None:
        self._store.setValue("output/folder", "" if value is None else str(value))

    @property
    def batch_folder(self) -> Path | None:
        text = str(self._store.value("output/batch_folder", "", type=str))
        return Path(text) if text else None

    @batch_folder.setter
    def batch_folder(self, value: Path | None) -> None:
        self._store.setValue("output/batch_folder", "" if value is None else str(value))

    # -- language and files ----------------------------------------------------------
    @property
    def language(self) -> Language:
        return _enum(Language, self._store.value("ui/language", "en", type=str))

    @language.setter
    def language(self, value: Language) -> None:
        self._store.setValue("ui/language", value.value)

    @property
    def recent_files(self) -> list[Path]:
        """Absolute paths, newest first, each file once.

        Relative entries (stored by older versions) are dropped: the folder they were
        relative to is unknown.
        """
        raw = self._store.value("files/recent", [], type=list) or []
        paths = [Path(str(item)) for item in raw if item]
        return list(dict.fromkeys(path for path in paths if path.is_absolute()))

    def add_recent_file(self, path: Path) -> None:
        """Move `path` to the top of the recent list, keeping at most `MAX_RECENT_FILES`.

        It is stored resolved, so a file opened from the command line (relative to the
        folder of that moment) or through a link is found again, and is listed once.
        """
        path = path.resolve()
        paths = [path, *(p for p in self.recent_files if p != path)]
        self._write_recent_files(paths)

    def forget_recent_files(self, paths: list[Path]) -> None:
        """Remove `paths` (as `recent_files` gives them) from the list."""
        self._write_recent_files([p for p in self.recent_files if p not in paths])

    def _write_recent_files(self, paths: list[Path]) -> None:
        self._store.setValue("files/recent", [str(p) for p in paths[:MAX_RECENT_FILES]])

    def clear_recent_files(self) -> None:
        self._store.remove("files/recent")

    @property
    def last_folder(self) -> Path | None:
        text = str(self._store.value("files/last_folder", "", type=str))
        return Path(text) if text else None

    @last_folder.setter
    def last_folder(self, value: Path) -> None:
        self._store.setValue("files/last_folder", str(value))

    # -- window state ----------------------------------------------------------------
    @property
    def window_geometry(self) -> QByteArray:
        return self._store.value("window/geometry", QByteArray(), type=QByteArray)

    @window_geometry.setter
    def window_geometry(self, value: QByteArray) -> None:
        self._store.setValue("window/geometry", value)

    @property
    def window_state(self) -> QByteArray:
        return self._store.value("window/state", QByteArray(), type=QByteArray)

    @window_state.setter
    def window_state(self, value: QByteArray) -> None:
        self._store.setValue("window/state", value)


def is_mirror_url(text: str) -> bool:
    """Whether `text` is an http or https address with a host (what a mirror setting needs)."""
    try:
        parts = urlsplit(text.strip())
    except ValueError:
        return False
    return parts.scheme in ("http", "https") and bool(parts.hostname)


def _enum(kind: type[_E], raw: object) -> _E:
    """The member whose value is `raw`, or the first member for unknown or damaged values."""
    try:
        return kind(str(raw))
    except ValueError:
        return next(iter(kind))
