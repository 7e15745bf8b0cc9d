"""The core must run headless and start fast: no Qt ever, no torch until it is needed."""

import pkgutil
import subprocess
import sys

import lamadesk.core

CORE_MODULES = sorted(
    info.name for info in pkgutil.walk_packages(lamadesk.core.__path__, prefix="lamadesk.core.")
)


def loaded_after(code: str) -> set[str]:
    probe = f"{code}\nimport sys\nprint(' '.join(sorted(sys.modules)))"
    completed = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    )
    return set(completed.stdout.split())


def test_importing_every_core_module_never_loads_qt():
    imports = "\n".join(f"import {name}" for name in CORE_MODULES)
    loaded = loaded_after(imports)
    assert not {name for name in loaded if name.startswith(("PySide6", "shiboken6"))}


def test_importing_the_package_and_the_cli_does_not_load_torch():
    loaded = loaded_after(
        "import lamadesk, lamadesk.cli, lamadesk.core.engine, lamadesk.core.batch, "
        "lamadesk.core.diagnostics, lamadesk.core.model_store"
    )
    assert "torch" not in loaded


def test_cli_help_runs_without_loading_torch():
    completed = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "lamadesk.cli", "--help"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert "remove" in completed.stdout
    assert "doctor" in completed.stdout
    imported = {line.split("|")[-1].strip() for line in completed.stderr.splitlines()}
    assert "torch" not in imported
