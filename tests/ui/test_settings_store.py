"""Typed settings round-trip through an INI file and survive damaged values."""

from __future__ import annotations

from pathlib import Path

import pytest

from lamadesk.core.pipeline import Strategy
from lamadesk.ui.settings.store import (
    MAX_RECENT_FILES,
    AppSettings,
    Language,
    SaveFormat,
    is_mirror_url,
)


def test_values_round_trip_through_the_ini_file(tmp_path: Path) -> None:
    path = tmp_path / "s.ini"
    first = AppSettings.from_file(path)
    first.device = "cuda:1"
    first.model_choice = "opencv"
    first.strategy = Strategy.CROP
    first.dilation = 9
    first.save_format = SaveFormat.WEBP
    first.output_folder = tmp_path / "out"
    first.language = Language.CHINESE_SIMPLIFIED
    first.model_mirror = "  https://mirror.example/big-lama.pt "
    assert first.background_compile is True, "compiling in the background is on by default"
    first.background_compile = False
    for index in range(MAX_RECENT_FILES + 3):
        first.add_recent_file(tmp_path / f"{index}.png")
    first.sync()
    second = AppSettings.from_file(path)
    assert second.device == "cuda:1"
    assert second.model_choice == "opencv"
    assert second.strategy is Strategy.CROP
    assert second.dilation == 9
    assert second.save_format is SaveFormat.WEBP
    assert second.output_folder == tmp_path / "out"
    assert second.language is Language.CHINESE_SIMPLIFIED
    assert second.model_mirror == "https://mirror.example/big-lama.pt"
    assert second.background_compile is False
    recent = second.recent_files
    assert len(recent) == MAX_RECENT_FILES
    assert recent[0] == tmp_path / f"{MAX_RECENT_FILES + 2}.png"


def test_damaged_values_fall_back_to_defaults(tmp_path: Path) -> None:
    path = tmp_path / "s.ini"
    path.write_text("[processing]\nstrategy=sideways\ndilation=-5\n[ui]\nlanguage=xx\n")
    settings = AppSettings.from_file(path)
    assert settings.strategy is Strategy.AUTO
    assert settings.dilation == 0
    assert settings.language is Language.ENGLISH
    assert settings.output_folder is None
    assert settings.model_mirror == ""


def test_recent_files_are_stored_absolute_and_once_per_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / "a.png").write_bytes(b"png")
    monkeypatch.chdir(tmp_path)
    settings = AppSettings.from_file(tmp_path / "s.ini")
    settings.add_recent_file(Path("a.png"))
    settings.add_recent_file(tmp_path / "sub" / ".." / "a.png")
    settings.add_recent_file(tmp_path / "a.png")
    monkeypatch.chdir(tmp_path / "sub")  # a later start from elsewhere finds the same file
    assert settings.recent_files == [(tmp_path / "a.png").resolve()]


def test_relative_and_repeated_entries_of_older_versions_are_dropped(tmp_path: Path) -> None:
    first, second = (tmp_path / "b.png").resolve(), (tmp_path / "c.png").resolve()
    path = tmp_path / "s.ini"
    path.write_text(f"[files]\nrecent=a.png, {first}, {second}, {first}\n")
    assert AppSettings.from_file(path).recent_files == [first, second]


def test_forgetting_recent_files_keeps_the_others_in_order(tmp_path: Path) -> None:
    settings = AppSettings.from_file(tmp_path / "s.ini")
    for name in ("a.png", "b.png", "c.png"):
        settings.add_recent_file(tmp_path / name)
    settings.forget_recent_files([tmp_path / "b.png"])
    assert settings.recent_files == [(tmp_path / n).resolve() for n in ("c.png", "a.png")]


@pytest.mark.parametrize(
    ("text", "valid"),
    [
        ("https://mirror.example/big-lama.pt", True),
        ("http://127.0.0.1:8000/models/big-lama.pt", True),
        (" HTTPS://Mirror.Example/x ", True),
        ("ftp://mirror.example/big-lama.pt", False),
        ("file:///home/me/big-lama.pt", False),
        ("mirror.example/big-lama.pt", False),
        ("https://", False),
        ("http://[::1", False),
        ("", False),
    ],
)
def test_mirror_url_must_be_http_or_https_with_a_host(text: str, valid: bool) -> None:
    assert is_mirror_url(text) is valid
