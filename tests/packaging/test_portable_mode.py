"""Portable mode: a `portable` file beside the frozen executable keeps the data beside it."""

import importlib.util
import sys
import zipfile
from pathlib import Path

import pytest

from lamadesk.core import paths


@pytest.fixture
def frozen_exe(tmp_path, monkeypatch):
    folder = tmp_path / "lamadesk"
    folder.mkdir()
    exe = folder / "lamadesk.exe"
    exe.write_bytes(b"")
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "executable", str(exe))
    monkeypatch.delenv(paths.DATA_DIR_ENV, raising=False)
    return exe


def test_frozen_app_with_a_portable_marker_keeps_its_data_beside_the_executable(frozen_exe):
    (frozen_exe.parent / "portable").write_text("")
    assert paths.portable_dir() == frozen_exe.parent.resolve()
    assert paths.data_dir() == frozen_exe.parent.resolve() / "data"
    assert paths.models_dir() == frozen_exe.parent.resolve() / "data" / "models"
    assert paths.logs_dir() == frozen_exe.parent.resolve() / "data" / "logs"


def test_frozen_app_without_a_marker_uses_the_user_data_folder(frozen_exe):
    assert paths.portable_dir() is None
    assert frozen_exe.parent not in paths.data_dir().parents
    assert paths.settings_file() is None, "settings stay in the platform's usual place"


def test_portable_settings_live_in_the_data_folder_beside_the_executable(frozen_exe):
    (frozen_exe.parent / "portable").write_text("")
    assert paths.settings_file() == frozen_exe.parent.resolve() / "data" / "settings.ini"


def test_settings_follow_the_data_dir_variable(frozen_exe, tmp_path, monkeypatch):
    (frozen_exe.parent / "portable").write_text("")
    monkeypatch.setenv(paths.DATA_DIR_ENV, str(tmp_path / "elsewhere"))
    assert paths.settings_file() == tmp_path / "elsewhere" / "settings.ini"


def test_a_folder_named_portable_is_not_the_marker(frozen_exe):
    (frozen_exe.parent / "portable").mkdir()
    assert paths.portable_dir() is None


def test_data_dir_variable_wins_over_the_portable_marker(frozen_exe, tmp_path, monkeypatch):
    (frozen_exe.parent / "portable").write_text("")
    monkeypatch.setenv(paths.DATA_DIR_ENV, str(tmp_path / "elsewhere"))
    assert paths.data_dir() == tmp_path / "elsewhere"


def test_a_python_install_is_never_portable(tmp_path, monkeypatch):
    monkeypatch.delattr(sys, "frozen", raising=False)
    monkeypatch.setattr(sys, "executable", str(tmp_path / "python"))
    (tmp_path / "portable").write_text("")
    monkeypatch.delenv(paths.DATA_DIR_ENV, raising=False)
    assert paths.portable_dir() is None
    assert tmp_path not in paths.data_dir().parents


def load_packaging_script(name):
    path = Path(__file__).resolve().parents[2] / "packaging" / f"{name}.py"
    spec = importlib.util.spec_from_file_location(f"packaging_{name}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_portable_zip_holds_the_bundle_and_the_marker(tmp_path):
    script = load_packaging_script("make_portable_zip")
    make_portable_zip, MARKER_NAME = script.make_portable_zip, script.MARKER_NAME  # noqa: N806
    bundle = tmp_path / "dist" / "lamadesk"
    (bundle / "_internal" / "torch").mkdir(parents=True)
    (bundle / "lamadesk.exe").write_bytes(b"MZ")
    (bundle / "_internal" / "torch" / "c10.dll").write_bytes(b"x" * 100)
    made = make_portable_zip(bundle, tmp_path / "out" / "lamadesk-portable.zip", top="lamadesk-1")
    names = set(zipfile.ZipFile(made).namelist())
    assert names == {
        "lamadesk-1/lamadesk.exe",
        "lamadesk-1/_internal/torch/c10.dll",
        f"lamadesk-1/{MARKER_NAME}",
    }
    assert MARKER_NAME == paths.PORTABLE_MARKER
    assert not (bundle / MARKER_NAME).exists()
