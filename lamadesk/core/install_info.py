"""What is installed where: lamadesk's version, the LaMa model, data folder, text engine.

A bug report needs these next to the device verdict: `lamadesk-cli doctor` and the UI's
Copy diagnostics print them as the first rows of `diagnostics.format_report`. Reading them
never hashes the model (the store's manifest says whether it was verified).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from lamadesk import __version__
from lamadesk.core.model_store import ModelStatus, ModelStore
from lamadesk.core.models.ppocr.network import EngineFacts, engine_facts
from lamadesk.core.models.registry import preferred_model
from lamadesk.core.paths import data_dir


@dataclass(frozen=True)
class InstallInfo:
    """lamadesk's version, the LaMa model's state, the data folder and the text engine."""

    version: str
    model: ModelStatus
    data_dir: Path
    text_engine: EngineFacts


def install_info(store: ModelStore | None = None) -> InstallInfo:
    """Read the facts; `store` defaults to the one in the data folder."""
    store = store or ModelStore()
    model = store.status(preferred_model().name)
    return InstallInfo(__version__, model, data_dir(), engine_facts())


def install_rows(info: InstallInfo, settings_file: str | None = None) -> list[tuple[str, str]]:
    """Report rows (label, value); the settings file is known to the UI only."""
    model = info.model
    if model.installed:
        state = model.state.value if model.state else "unchecked"
        size = f"{(model.size_bytes or 0) / 2**20:.1f} MiB"
        described = f"{state}, {size}, {model.path}"
    else:
        described = f"not installed (expected at {model.path})"
    rows = [
        ("lamadesk", info.version),
        ("LaMa model", described),
        ("Data folder", str(info.data_dir)),
        ("Text detector", _text_engine(info.text_engine)),
    ]
    if settings_file is not None:
        rows.append(("Settings file", settings_file))
    return rows


def _text_engine(facts: EngineFacts) -> str:
    if facts.fallback_reason is None:
        words = "bfloat16" if facts.precision == "bf16" else "32-bit floats"
        return f"OpenVINO {facts.version} on the CPU, in {words}"
    return f"OpenCV {facts.version} DNN on the CPU ({facts.fallback_reason})"


def install_as_dict(info: InstallInfo) -> dict[str, object]:
    """JSON-ready plain data for `doctor --json`."""
    model = info.model
    return {
        "lamadesk_version": info.version,
        "model": {
            "name": model.name,
            "installed": model.installed,
            "state": model.state.value if model.state else None,
            "size_bytes": model.size_bytes,
            "path": str(model.path),
        },
        "data_dir": str(info.data_dir),
        "text_detector": {
            "engine": info.text_engine.engine,
            "version": info.text_engine.version,
            "precision": info.text_engine.precision,
            "fallback_reason": info.text_engine.fallback_reason,
        },
    }
