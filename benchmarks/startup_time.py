"""Time from process start to the main window's first paint (a benchmark, not a test).

Usage: ``python benchmarks/startup_time.py [--runs N]``. Each run starts a fresh Python that
imports lamadesk, builds the app exactly as ``lamadesk`` does and prints the moment the window
first paints; the parent reports wall time from spawning the process. Runs offscreen unless
QT_QPA_PLATFORM is set (e.g. under Xvfb: ``QT_QPA_PLATFORM=xcb xvfb-run python ...``).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

CHILD = r"""
import sys, time
from lamadesk.app import create_app
from PySide6.QtCore import QEvent, QObject, QTimer

app, shell = create_app(["lamadesk"])

class FirstPaint(QObject):
    def eventFilter(self, watched, event):
        if event.type() == QEvent.Type.Paint:
            print(f"FIRST_PAINT {time.time():.6f}", flush=True)
            if "torch" in sys.modules:
                print("TORCH_LOADED_BEFORE_PAINT", flush=True)
            QTimer.singleShot(0, app.quit)  # aboutToQuit cancels and joins the engine job
            app.removeEventFilter(self)
        return False

spy = FirstPaint()
app.installEventFilter(spy)
shell.start()
app.exec()
"""


def one_run() -> tuple[float, str]:
    """Seconds from spawning a fresh app process to its first paint, and its output."""
    env = dict(os.environ)
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    with tempfile.TemporaryDirectory() as data:
        env["LAMADESK_DATA_DIR"] = data
        env["XDG_CONFIG_HOME"] = data
        started = time.time()
        result = subprocess.run(
            [sys.executable, "-c", CHILD],
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
            check=True,
        )
    stamp = next(line for line in result.stdout.splitlines() if line.startswith("FIRST_PAINT"))
    return float(stamp.split()[1]) - started, result.stdout


def main() -> int:
    """Run the benchmark and print each run and the median."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    times = []
    for run in range(args.runs):
        seconds, output = one_run()
        times.append(seconds)
        torch_note = (
            " (torch was imported before the first paint!)" if "TORCH_LOADED" in output else ""
        )
        print(f"run {run + 1}: {seconds:.3f} s to first paint{torch_note}")
    platform = os.environ.get("QT_QPA_PLATFORM", "offscreen")
    print(f"median {statistics.median(times):.3f} s, best {min(times):.3f} s ({platform})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
