"""The Windows build files that cannot run here are at least linted and kept consistent."""

import re
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

from lamadesk.core.diagnostics import min_driver_for

ROOT = Path(__file__).resolve().parents[2]
WORKFLOW = ROOT / ".github" / "workflows" / "windows-build.yml"
BUILD_PS1 = ROOT / "packaging" / "build_windows.ps1"
INSTALLER = ROOT / "packaging" / "lamadesk.iss"
# Oldest majors that run on Node 24 (Node 20 actions are deprecated on GitHub's runners).
NODE24_MAJORS = {"actions/checkout": 6, "actions/setup-python": 6, "actions/upload-artifact": 6}


def script(name):
    """A console script installed beside this Python (the test extra's linters)."""
    found = shutil.which(name, path=sysconfig.get_path("scripts")) or shutil.which(name)
    if found is None:
        pytest.fail(f"{name} is missing: install the test extra (pip install -e '.[test]')")
    return found


def test_windows_workflow_matches_the_github_workflow_schema():
    schema = ["--builtin-schema", "vendor.github-workflows"]
    result = subprocess.run(
        [sys.executable, "-m", "check_jsonschema", *schema, str(WORKFLOW)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_windows_workflow_has_no_zizmor_findings_offline():
    result = subprocess.run(
        [script("zizmor"), "--offline", "--no-progress", str(WORKFLOW)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_every_action_is_pinned_by_commit_to_a_node24_release():
    uses = re.findall(r"uses:\s*(\S+)@(\S+)\s*#\s*v(\d+)[.\d]*", WORKFLOW.read_text())
    assert {name for name, _, _ in uses} == set(NODE24_MAJORS)
    for name, ref, major in uses:
        assert re.fullmatch(r"[0-9a-f]{40}", ref), f"{name} is not pinned by commit"
        assert int(major) >= NODE24_MAJORS[name], f"{name}@v{major} runs on Node 20"


def test_workflow_and_build_script_offer_the_same_cuda_flavours():
    (choices,) = re.findall(r"ValidateSet\(([^)]*)\)", BUILD_PS1.read_text())
    script_flavours = set(re.findall(r'"(cu\d+)"', choices))
    workflow = WORKFLOW.read_text()
    (options,) = re.findall(r"options:\s*\[([^\]]*)\]", workflow)
    assert {o.strip() for o in options.split(",")} == {"all"} | script_flavours
    (matrix_all,) = re.findall(r"\|\| '(\[[^']*\])'", workflow)
    assert set(re.findall(r'"(cu\d+)"', matrix_all)) == script_flavours


@pytest.mark.parametrize(("flavour", "cuda"), [("cu126", "12.6"), ("cu130", "13.0")])
def test_stated_driver_minimums_are_the_diagnostics_ones(flavour, cuda):
    minimum = min_driver_for(cuda, "Windows")
    for text in (BUILD_PS1.read_text(), WORKFLOW.read_text(), (ROOT / "README.md").read_text()):
        assert re.search(rf"{flavour}\b[^\n]*\n?[^\n]*{re.escape(minimum)}", text), flavour


def test_installer_is_per_user_with_optional_desktop_icon_and_spans_disks():
    text = INSTALLER.read_text()
    for line in (
        "PrivilegesRequired=lowest",
        "DefaultDirName={autopf}\\lamadesk",
        "DiskSpanning=yes",
        'Name: "{autoprograms}\\lamadesk"',
    ):
        assert line in text
    assert re.search(r'Name: "desktopicon";.*Flags: unchecked', text)
    assert re.search(r'Excludes: "\\portable', text)


def test_build_linux_script_is_valid_bash():
    result = subprocess.run(
        ["bash", "-n", str(ROOT / "packaging" / "build_linux.sh")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr


def test_build_outputs_are_ignored_by_git():
    if shutil.which("git") is None or not (ROOT / ".git").exists():
        pytest.skip("not a git checkout")
    paths = ["build/frozen/dist/lamadesk/lamadesk", "build/windows-cu126/venv/x", "dist/x"]
    result = subprocess.run(
        ["git", "-C", str(ROOT), "check-ignore", *paths],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.stdout.split() == paths
