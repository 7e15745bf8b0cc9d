"""Compiling while the model serves, as the app and the CLI do it, on a real GPU.

Skipped without CUDA or where compiling cannot work (the reason is the skip message).
"""

import threading

import numpy as np
import pytest
import torch
from PIL import Image

from lamadesk.core.cancel import CancelToken
from lamadesk.core.metrics import psnr
from lamadesk.core.models.lama.backend import NativeLamaBackend
from lamadesk.core.models.lama.bench import sample_inputs
from lamadesk.core.models.torch_support.compile_support import (
    compile_unavailable_reason,
    use_compile_cache,
)
from lamadesk.core.models.torch_support.compile_warmup import (
    CompileWarmup,
    WarmupEvent,
    WarmupState,
)
from tools.lama_test_model import make_test_model

pytestmark = [
    pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a CUDA GPU"),
    pytest.mark.slow,
]


@pytest.fixture(scope="module")
def model_path(tmp_path_factory):
    reason = compile_unavailable_reason("cuda:0")
    if reason is not None:
        pytest.skip(reason)
    use_compile_cache(tmp_path_factory.mktemp("compile-cache"))
    path = tmp_path_factory.mktemp("models") / "random-big-lama.pt"
    make_test_model(path)
    return path


def test_removals_keep_serving_another_size_while_one_compiles_on_a_thread(model_path):
    backend = NativeLamaBackend(model_path, "cuda:0")
    warmup = CompileWarmup(backend, None)
    big_image, big_mask = sample_inputs(128)
    uncompiled_big = backend.inpaint(big_image, big_mask)  # asks for 128×128 to be compiled
    events: list[WarmupEvent] = []
    token = CancelToken()

    def on_event(event: WarmupEvent) -> None:
        events.append(event)
        if event.state in (WarmupState.READY, WarmupState.FAILED):
            token.cancel()

    compiler = threading.Thread(target=warmup.run, args=(on_event, token))
    compiler.start()
    image, mask = sample_inputs(96)
    warmup.detach()  # keep 96×96 uncompiled: it must be served eagerly, then from a graph
    first = backend.inpaint(image, mask)
    served = 1
    while compiler.is_alive() and served < 500:
        assert np.array_equal(backend.inpaint(image, mask), first)  # eager, capture, replays
        served += 1
    compiler.join(timeout=300)
    assert not compiler.is_alive()
    assert [event.state for event in events] == [WarmupState.COMPILING, WarmupState.READY]
    assert served >= 3, "the compile ended before the uncompiled path was tested beside it"
    assert backend.compiled_shapes == {(128, 128)}
    compiled_big = backend.inpaint(big_image, big_mask)
    assert psnr(compiled_big[big_mask], uncompiled_big[big_mask]) >= 55
    assert np.array_equal(backend.inpaint(image, mask), first)


def test_cli_remove_compile_compiles_the_size_and_removes(
    model_path, tmp_path, monkeypatch, capsys
):
    from lamadesk.cli import main

    monkeypatch.setenv("LAMADESK_DATA_DIR", str(tmp_path / "data"))
    assert main(["models", "import", "lama", str(model_path), "--force"]) == 0
    image, mask = sample_inputs(128)
    Image.fromarray(image).save(tmp_path / "photo.png")
    Image.fromarray(mask.astype(np.uint8) * 255).save(tmp_path / "mask.png")
    out = tmp_path / "out"
    args = ["remove", str(tmp_path / "photo.png"), "--mask", str(tmp_path / "mask.png")]
    code = main([*args, "--out", str(out), "--device", "cuda", "--compile", "--strategy", "full"])
    err = capsys.readouterr().err
    assert code == 0, err
    assert "notice: compiling the model for 128×128" in err
    assert "notice: compiled for 128×128 in" in err
    after = np.asarray(Image.open(out / "photo.png"))
    assert np.array_equal(after[~mask], image[~mask])
    assert not np.array_equal(after[mask], image[mask])
