"""`lamadesk --self-test` and the message when Qt itself cannot be loaded (from source)."""

import os
import subprocess
import sys
from pathlib import Path

from lamadesk import __version__, app
from lamadesk.core.diagnostics import VC_REDIST_URL

ROOT = Path(__file__).resolve().parents[2]


def run_app(tmp_path, *args, code=None, display=True):
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "LAMADESK_DATA_DIR": str(tmp_path / "data"),
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
        "PYTHONPATH": str(ROOT),
    }
    if not display:  # as on a server or over ssh: Qt aborts if it must open a window
        for name in ("QT_QPA_PLATFORM", "DISPLAY", "WAYLAND_DISPLAY"):
            env.pop(name, None)
    command = ["-c", code] if code else ["-m", "lamadesk"]
    return subprocess.run(
        [sys.executable, *command, *args],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_self_test_shows_the_window_then_exits_0_and_logs_the_first_paint(tmp_path):
    result = run_app(tmp_path, "--self-test")
    assert result.returncode == 0, result.stderr
    assert "self-test: first paint at" in result.stderr
    assert "self-test: passed" in result.stderr
    assert "self-test: passed" in (tmp_path / "data" / "logs" / "lamadesk.log").read_text()


def test_settings_are_written_into_the_data_folder_it_was_given(tmp_path):
    result = run_app(tmp_path, "--self-test")
    assert result.returncode == 0, result.stderr
    settings = tmp_path / "data" / "settings.ini"
    assert settings.is_file()
    assert "brush_size=" in settings.read_text()
    assert not (tmp_path / "config").exists(), "nothing goes to the platform's settings folder"


def test_help_prints_the_usage_and_exits_0_without_a_display(tmp_path):
    result = run_app(tmp_path, "--help", display=False)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("usage: lamadesk ")
    assert "--version" in result.stdout
    assert "--self-test" in result.stdout
    assert "IMAGE" in result.stdout
    assert not (tmp_path / "data").exists(), "asking for help writes no log or settings"


def test_version_prints_the_version_and_exits_0_without_a_display(tmp_path):
    result = run_app(tmp_path, "--version", display=False)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"lamadesk {__version__}"


def test_an_unknown_option_is_a_usage_error_not_an_image(tmp_path):
    result = run_app(tmp_path, "--frobnicate", display=False)
    assert result.returncode == 2
    assert "unrecognized arguments: --frobnicate" in result.stderr
    assert result.stdout == ""


def test_arguments_after_the_options_are_the_images_to_open(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    options = app.parse_arguments(["a.png", "--", "-odd.jpg"])
    # Absolute at once: the recent list and the last folder must not depend on today's folder.
    assert options.images == [tmp_path / "a.png", tmp_path / "-odd.jpg"]
    assert not options.self_test
    assert app.parse_arguments(["--self-test"]).self_test


def test_cli_version_matches_the_app_and_exits_0(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "lamadesk.cli", "--version"],
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"lamadesk {__version__}"


def test_self_test_does_not_load_torch(tmp_path):
    code = (
        "import sys; from lamadesk.app import main; code = main(['lamadesk', '--self-test']); "
        "sys.exit(code or ('torch' in sys.modules and 3))"
    )
    result = run_app(tmp_path, code=code)
    assert result.returncode == 0, result.stderr


def test_a_qt_that_cannot_load_gives_one_message_and_exit_code_1(tmp_path):
    code = (
        "import sys; sys.modules['PySide6'] = None; from lamadesk.app import main; "
        "sys.exit(main(['lamadesk']))"
    )
    result = run_app(tmp_path, code=code)
    assert result.returncode == app.EXIT_STARTUP_FAILED
    assert "user interface library (Qt) failed to load" in result.stderr
    assert "reinstall lamadesk" in result.stderr
    assert "Traceback" not in result.stderr.split("lamadesk cannot start")[-1]


def test_on_windows_the_message_names_the_visual_cpp_runtime_as_the_diagnostics_do(
    monkeypatch, tmp_path
):
    monkeypatch.setattr(sys, "platform", "win32")
    error = ImportError(
        "DLL load failed while importing QtCore: The specified module could not be found."
    )
    text = app.startup_failure_text(error, tmp_path / "lamadesk.log")
    assert VC_REDIST_URL in text
    assert "Microsoft Visual C++ Redistributable (x64)" in text
    assert "DLL load failed while importing QtCore" in text
    assert str(tmp_path / "lamadesk.log") in text


def test_missing_std_streams_of_a_windowed_exe_are_replaced(monkeypatch):
    monkeypatch.setattr(sys, "stdout", None)
    monkeypatch.setattr(sys, "stderr", None)
    app._ensure_std_streams()
    try:
        assert sys.stdout.write("into the void\n") > 0
        assert sys.stderr.write("also fine\n") > 0
    finally:
        sys.stdout.close()
        sys.stderr.close()
