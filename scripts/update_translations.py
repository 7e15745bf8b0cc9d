"""Refresh the translation catalogs: lupdate the .ts, fill zh_CN texts, lrelease the .qm.

Usage: ``python scripts/update_translations.py`` (rewrite) or ``--check`` (CI: exit 1 when
the committed .ts/.qm are stale or a visible string has no Chinese text).
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))
from zh_cn_strings import ZH_CN  # noqa: E402

TS = ROOT / "resources" / "translations" / "lamadesk_zh_CN.ts"
BIN = Path(sys.executable).parent


def _tool(name: str) -> str:
    found = shutil.which(name, path=str(BIN)) or shutil.which(name)
    if found is None:
        raise SystemExit(f"{name} not found (it comes with PySide6)")
    return found


def build(ts: Path, qm: Path) -> list[str]:
    """Write `ts` and `qm`; return the sources that still lack a translation."""
    sources = sorted(str(p) for p in (ROOT / "lamadesk" / "ui").rglob("*.py"))
    subprocess.run(
        [_tool("pyside6-lupdate"), *sources, "-ts", str(ts), "-no-obsolete", "-locations", "none"],
        check=True,
        capture_output=True,
    )
    tree = ET.parse(ts)
    tree.getroot().set("language", "zh_CN")
    missing = []
    for context in tree.getroot().iter("context"):
        name = context.findtext("name")
        for message in context.iter("message"):
            source = message.findtext("source")
            translation = message.find("translation")
            text = ZH_CN.get((name, source))
            if text is None:
                missing.append(f"{name}: {source!r}")
                continue
            translation.text = text
            translation.attrib.pop("type", None)
    ET.indent(tree)
    tree.write(ts, encoding="utf-8", xml_declaration=True)
    subprocess.run(
        [_tool("pyside6-lrelease"), str(ts), "-qm", str(qm)], check=True, capture_output=True
    )
    return missing


def main() -> int:
    """Rewrite or check the catalogs; returns the exit code."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--check", action="store_true", help="fail if the catalogs are stale")
    args = parser.parse_args()
    qm = TS.with_suffix(".qm")
    if not args.check:
        missing = build(TS, qm)
        for entry in missing:
            print(f"untranslated: {entry}")
        return 1 if missing else 0
    with tempfile.TemporaryDirectory() as folder:
        ts, fresh_qm = Path(folder) / TS.name, Path(folder) / qm.name
        shutil.copy(TS, ts)
        missing = build(ts, fresh_qm)
        stale = ts.read_bytes() != TS.read_bytes() or fresh_qm.read_bytes() != qm.read_bytes()
    if stale:
        print("translation catalogs are stale: run python scripts/update_translations.py")
    for entry in missing:
        print(f"untranslated: {entry}")
    return 1 if stale or missing else 0


if __name__ == "__main__":
    raise SystemExit(main())
