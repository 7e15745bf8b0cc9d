"""The settings dialog offers the registry's inpainters: a new model needs no UI change."""

from __future__ import annotations

import pytest

from lamadesk.core.engine import OpenedBackend, OpenRequest
from lamadesk.core.models.registry import ModelInfo, ModelKind, registered
from lamadesk.ui.settings.settings_dialog import SettingsDialog
from lamadesk.ui.shell import build_context
from tests.core.fake_backends import PaintBackend
from tests.ui.helpers import CPU_ONLY, report_for


def open_paint(request: OpenRequest) -> OpenedBackend:
    return OpenedBackend(PaintBackend(device=request.device), None, ())


@pytest.fixture
def context(qapp, settings, data_dir):
    built = build_context(settings, diagnose_device=lambda device: report_for(CPU_ONLY, device))
    yield built
    built.shutdown()


def combo_items(dialog: SettingsDialog) -> list[tuple[str, str]]:
    combo = dialog.model_tab.choice
    return [(combo.itemData(index), combo.itemText(index)) for index in range(combo.count())]


def test_settings_combo_offers_automatic_and_each_inpainter(qtbot, context, settings):
    dialog = SettingsDialog(settings, context.engine, context.models, context.compiler)
    qtbot.addWidget(dialog)
    assert combo_items(dialog) == [
        ("auto", "Automatic (LaMa when installed)"),
        ("lama", "LaMa"),
        ("opencv", "OpenCV (no model needed)"),
    ]


def test_a_registered_model_is_offered_chosen_and_remembered(qtbot, context, settings):
    dummy = ModelInfo("dummy", "Dummy inpainter", ModelKind.INPAINTS, open_paint)
    detector = ModelInfo("finder", "Text finder", ModelKind.DETECTS_TEXT, open_paint)
    with registered(dummy), registered(detector):
        dialog = SettingsDialog(settings, context.engine, context.models, context.compiler)
        qtbot.addWidget(dialog)
        items = combo_items(dialog)
        assert items[-1] == ("dummy", "Dummy inpainter")
        assert "finder" not in [name for name, _text in items]
        combo = dialog.model_tab.choice
        combo.setCurrentIndex(combo.findData("dummy"))
        combo.activated.emit(combo.currentIndex())
        assert settings.model_choice == "dummy"
    assert settings.model_choice == "auto"  # no longer registered: read back as Automatic
