"""The installed package must contain every subpackage and the app's resources."""

import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_every_python_package_folder_is_listed_in_pyproject():
    listed = set(
        tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"]
    )
    found = {
        ".".join(init.parent.relative_to(ROOT).parts)
        for init in (ROOT / "lamadesk").rglob("__init__.py")
    }
    shipped_resources = {
        "lamadesk.resources",
        "lamadesk.resources.icons",
        "lamadesk.resources.translations",
    }
    assert found | shipped_resources == listed


def test_the_wheel_ships_translations_and_icons_inside_the_package(tmp_path):
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(tmp_path),
            str(ROOT),
        ],
        check=True,
        capture_output=True,
    )
    (wheel,) = tmp_path.glob("lamadesk-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "lamadesk/resources/translations/lamadesk_zh_CN.qm" in names
    assert "lamadesk/resources/icons/lamadesk.svg" in names
    assert "lamadesk/core/models/lama/native.py" in names
    assert not any(name.startswith("lamadesk/resources/screenshots") for name in names)
