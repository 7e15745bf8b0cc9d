"""The toolbar at the window's first size: the main action is never hidden in its overflow."""

from __future__ import annotations

import pytest

from lamadesk.ui.main_window import MainWindow
from tests.ui.helpers import make_context


@pytest.fixture
def window(qtbot, qapp, settings, tmp_path):
    context = make_context(qapp, settings, tmp_path / "models")
    win = MainWindow(context)  # no saved geometry: the size a newcomer gets
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    yield win
    context.shutdown()


def test_remove_and_the_mask_tools_fit_the_first_window_size(window) -> None:
    bar = window.actions_.toolbar
    acts = window.actions_
    for action in (acts.remove, acts.cancel, acts.brush, acts.eraser, acts.find_text):
        button = bar.widgetForAction(action)
        assert button is not None
        assert button.isVisible(), f"{action.text()!r} is hidden in the toolbar's overflow"
        assert button.geometry().right() <= bar.width()
