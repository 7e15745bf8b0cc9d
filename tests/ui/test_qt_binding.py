"""The Qt binding keeps Python's reference counts of None and True straight.

PySide6 6.12.0 on Python 3.10/3.11 returns None from every void call and True from every
`Signal.emit` without taking a reference. Python 3.12+ never frees those objects (they are
immortal), but on 3.11 the counts run down and the app aborts with "Fatal Python error:
none_dealloc" (or bool_dealloc) after a few thousand calls: minutes of brushing, or seconds
of a model download's progress signals.
"""

from __future__ import annotations

import platform
import sys

import PySide6
from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QWidget

CALLS = 200


class _Emitter(QObject):
    fired = Signal(int)


def test_qt_calls_and_emits_keep_the_reference_counts_of_none_and_true(qtbot) -> None:
    widget = QWidget()
    qtbot.addWidget(widget)
    emitter = _Emitter()
    none_before, true_before = sys.getrefcount(None), sys.getrefcount(True)
    for index in range(CALLS):
        widget.update()
        emitter.fired.emit(index)
    lost_none = none_before - sys.getrefcount(None)
    lost_true = true_before - sys.getrefcount(True)
    assert lost_none < CALLS // 2, (
        f"PySide6 {PySide6.__version__} on Python {platform.python_version()} drops a reference "
        f"to None on each void call ({lost_none} in {CALLS}): the app will abort; use "
        "Python 3.12 or newer, or another PySide6"
    )
    assert lost_true < CALLS // 2, (
        f"PySide6 {PySide6.__version__} on Python {platform.python_version()} drops a reference "
        f"to True on each Signal.emit ({lost_true} in {CALLS}): the app will abort"
    )
