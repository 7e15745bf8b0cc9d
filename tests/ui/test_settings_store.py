"""Typed settings round-trip through an INI file and survive damaged values."""

from __future__ import annotations

from pathlib import Path

from lamadesk.core.engine import ModelChoice
from lamadesk.core.pipeline import Strategy
from lamadesk.ui.settings import MAX_RECENT_FILES, AppSettings, Language, SaveFormat


def test_values_round_trip_through_the_ini_file(tmp_path: Path) -> None:
    path = tmp_path / "s.ini"
    first = AppSettings.from_file(path)
    first.device = "cuda:1"
    first.model_choice = ModelChoice.OPENCV
    first.strategy = Strategy.CROP
    first.dilation = 9
    first.save_format = SaveFormat.WEBP
    first.output_folder = tmp_path / "out"
    first.language = Language.CHINESE_SIMPLIFIED
    for index in range(MAX_RECENT_FILES + 3):
        first.add_recent_file(tmp_path / f"{index}.png")
    first.sync()
    second = AppSettings.from_file(path)
    assert second.device == "cuda:1"
    assert second.model_choice is ModelChoice.OPENCV
    assert second.strategy is Strategy.CROP
    assert second.dilation == 9
    assert second.save_format is SaveFormat.WEBP
    assert second.output_folder == tmp_path / "out"
    assert second.language is Language.CHINESE_SIMPLIFIED
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
