"""Models come from one registry: a model registered there is offered and opened everywhere."""

from __future__ import annotations

import argparse

import numpy as np
import pytest

from lamadesk.cli import build_parser, main
from lamadesk.core.engine import OpenedBackend, OpenRequest
from lamadesk.core.model_store import ModelStore
from lamadesk.core.models.registry import (
    AUTO,
    ModelInfo,
    ModelKind,
    inpainter_choices,
    models,
    open_model,
    open_text_detector,
    register,
    registered,
)
from lamadesk.core.models.torch_support.compile_support import (
    CompileBlocker,
    backend_compile_blocker,
)
from tests.core.fake_backends import CompilablePaintBackend, PaintBackend


def open_paint(request: OpenRequest) -> OpenedBackend:
    return OpenedBackend(PaintBackend((1, 2, 3), request.device), None, ("painted",))


DUMMY = ModelInfo("dummy", "Dummy", ModelKind.INPAINTS, open_paint)


def remove_model_choices() -> list[str]:
    commands = next(
        action
        for action in build_parser()._actions
        if isinstance(action, argparse._SubParsersAction)
    )
    remove = commands.choices["remove"]
    return list(next(action for action in remove._actions if action.dest == "model").choices)


def test_cli_offers_the_built_in_models():
    assert remove_model_choices() == ["auto", "lama", "opencv"]


def test_a_registered_model_is_offered_by_the_cli_and_opened_by_name(tmp_path):
    with registered(DUMMY):
        assert remove_model_choices() == ["auto", "lama", "opencv", "dummy"]
        opened = open_model("dummy", ModelStore(tmp_path), "cpu")
    assert opened.notes == ("painted",)
    image = np.zeros((4, 4, 3), dtype=np.uint8)
    filled = opened.backend.inpaint(image, np.ones((4, 4), dtype=bool))
    assert filled[0, 0].tolist() == [1, 2, 3]
    assert "dummy" not in inpainter_choices()


def test_cli_remove_runs_with_a_registered_model(tmp_path, capsys):
    from PIL import Image

    Image.fromarray(np.full((8, 8, 3), 200, dtype=np.uint8)).save(tmp_path / "in.png")
    mask = np.zeros((8, 8), dtype=np.uint8)
    mask[2:5, 2:5] = 255
    Image.fromarray(mask).save(tmp_path / "mask.png")
    args = ["remove", str(tmp_path / "in.png"), "--mask", str(tmp_path / "mask.png")]
    with registered(DUMMY):
        assert main([*args, "--out", str(tmp_path / "out"), "--model", "dummy"]) == 0
    err = capsys.readouterr().err
    assert "notice: painted" in err
    assert "using paint" in err
    result = np.asarray(Image.open(tmp_path / "out" / "in.png"))
    assert result[3, 3].tolist() == [1, 2, 3]
    assert result[0, 0].tolist() == [200, 200, 200]


def test_a_text_detector_is_not_offered_or_opened_for_removals(tmp_path):
    detector = ModelInfo("detector", "Detector", ModelKind.DETECTS_TEXT, open_paint)
    with registered(detector):
        assert "detector" not in inpainter_choices()
        assert "detector" not in remove_model_choices()
        with pytest.raises(ValueError, match="does not inpaint"):
            open_model("detector", ModelStore(tmp_path), "cpu")


def test_the_shipped_text_detector_is_registered_and_opened_through_the_registry(tmp_path):
    (detector,) = models(ModelKind.DETECTS_TEXT)
    assert detector.weights is None, "its weights ship inside a wheel: nothing to download"
    opened = open_text_detector(ModelStore(tmp_path))
    found = opened.detect(np.zeros((64, 96, 3), np.uint8))
    assert not found.regions
    assert found.mask.shape == (64, 96)


def test_open_text_detector_refuses_an_inpainter(tmp_path):
    with pytest.raises(ValueError, match="does not detect text"):
        open_text_detector(ModelStore(tmp_path), "opencv")


def test_auto_is_a_reserved_name_and_names_are_registered_once():
    with pytest.raises(ValueError, match="identifier"):
        ModelInfo(AUTO, "Auto", ModelKind.INPAINTS, open_paint)
    with registered(DUMMY), pytest.raises(ValueError, match="registered already"):
        register(DUMMY)


def test_auto_without_lama_falls_back_to_opencv_with_the_download_hint(tmp_path):
    opened = open_model(AUTO, ModelStore(tmp_path), "cpu")
    assert opened.backend.name == "opencv"
    assert opened.notes == (
        "the LaMa model is not installed, so the simpler OpenCV method is used; "
        "get LaMa with 'lamadesk-cli models download lama'",
    )


def test_compile_support_is_told_by_the_compilable_protocol():
    assert backend_compile_blocker(PaintBackend()) is CompileBlocker.NOT_NATIVE
    assert backend_compile_blocker(CompilablePaintBackend("cpu")) is not CompileBlocker.NOT_NATIVE
