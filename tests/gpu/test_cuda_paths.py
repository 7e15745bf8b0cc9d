"""The CUDA fast paths, run on a real GPU (`benchmarks/gpu_measurement.sh` on the device).

Skipped where CUDA is not usable, which is every CI machine: the CPU tests prove the maths,
these prove the CUDA-only machinery (graphs, half precision, device-side padding).
"""

import numpy as np
import pytest
import torch

from lamadesk.core.metrics import psnr
from lamadesk.core.models.lama.backend import FastPath, NativeLamaBackend, Precision
from lamadesk.core.models.lama.bench import sample_inputs
from lamadesk.core.models.lama.torchscript import TorchScriptLama
from tools.lama_test_model import make_test_model

pytestmark = pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a CUDA GPU")


@pytest.fixture(scope="module")
def model_path(tmp_path_factory):
    path = tmp_path_factory.mktemp("models") / "random-big-lama.pt"
    make_test_model(path)
    return path


@pytest.fixture(scope="module")
def reference(model_path):
    backend = TorchScriptLama(model_path, "cuda:0")
    image, mask = sample_inputs(200)
    return image, mask, backend.inpaint(image, mask)


def test_default_cuda_path_is_fp16_with_graphs():
    expected = FastPath(Precision.FP16, channels_last=False, cuda_graphs=True)
    assert FastPath.for_device("cuda:0") == expected


@pytest.mark.parametrize("channels_last", [True, False])
def test_fp32_native_on_cuda_matches_torchscript_within_one_level(
    model_path, reference, channels_last
):
    image, mask, expected = reference
    fast_path = FastPath(Precision.FP32, channels_last=channels_last)
    output = NativeLamaBackend(model_path, "cuda:0", fast_path).inpaint(image, mask)
    assert np.abs(output.astype(int) - expected.astype(int)).max() <= 1


@pytest.mark.parametrize("channels_last", [True, False])
def test_graph_replay_gives_the_eager_result_for_repeated_and_new_sizes(
    model_path, reference, channels_last
):
    image, mask, _ = reference
    eager = NativeLamaBackend(model_path, "cuda:0", FastPath(Precision.FP32, channels_last))
    graphed = NativeLamaBackend(
        model_path, "cuda:0", FastPath(Precision.FP32, channels_last, cuda_graphs=True)
    )
    first = graphed.inpaint(image, mask)  # eager: first sight of the size
    second = graphed.inpaint(image, mask)  # captured and replayed
    other_image, other_mask = sample_inputs(96)
    shifted = graphed.inpaint(image[::-1].copy(), mask)  # replay with new contents
    assert np.array_equal(first, second)
    assert np.array_equal(shifted, eager.inpaint(image[::-1].copy(), mask))
    assert np.array_equal(
        graphed.inpaint(other_image, other_mask), eager.inpaint(other_image, other_mask)
    )


def test_fp16_default_stays_above_55_db_in_the_hole(model_path, reference):
    image, mask, expected = reference
    output = NativeLamaBackend(model_path, "cuda:0").inpaint(image, mask)
    assert psnr(output[mask], expected[mask]) >= 55


def test_a_job_that_cannot_fit_in_free_memory_is_refused_before_it_starts(model_path):
    from lamadesk.core.models.base import DeviceOutOfMemoryError

    backend = NativeLamaBackend(model_path, "cuda:0")
    free, _total = torch.cuda.mem_get_info()
    hog = torch.empty(free - 2 * 2**30, dtype=torch.uint8, device="cuda:0")
    image, mask = sample_inputs(2048)
    try:
        with pytest.raises(DeviceOutOfMemoryError, match="GiB free"):
            backend.inpaint(image, mask)
        small_image, small_mask = sample_inputs(256)
        assert backend.inpaint(small_image, small_mask).shape == small_image.shape
    finally:
        del hog
        backend.release_memory()


def test_an_input_too_large_for_one_pass_becomes_the_core_error(model_path):
    from lamadesk.core.models.base import DeviceOutOfMemoryError

    backend = NativeLamaBackend(model_path, "cuda:0", FastPath(Precision.FP32))
    side = 8192
    image = np.zeros((side, side, 3), dtype=np.uint8)
    mask = np.ones((side, side), dtype=bool)
    with pytest.raises(DeviceOutOfMemoryError):
        backend.inpaint(image, mask)
    backend.release_memory()


@pytest.mark.slow
def test_a_size_compiled_in_the_background_is_then_served_compiled(model_path, tmp_path):
    from lamadesk.core.cancel import CancelToken
    from lamadesk.core.models.torch_support.compile_support import (
        compile_unavailable_reason,
        use_compile_cache,
    )
    from lamadesk.core.models.torch_support.compile_warmup import CompileWarmup, WarmupState

    if compile_unavailable_reason("cuda:0") is not None:
        pytest.skip(compile_unavailable_reason("cuda:0"))
    use_compile_cache(tmp_path / "compile-cache")
    backend = NativeLamaBackend(model_path, "cuda:0")
    warmup = CompileWarmup(backend, None)
    image, mask = sample_inputs(96)
    uncompiled = backend.inpaint(image, mask)  # asks for this size to be compiled
    events = []
    token = CancelToken()

    def on_event(event):
        events.append(event)
        if event.state in (WarmupState.READY, WarmupState.FAILED):
            token.cancel()

    warmup.run(on_event, token)
    assert [event.state for event in events] == [WarmupState.COMPILING, WarmupState.READY]
    assert backend.compiled_shapes == {(96, 96)}
    first, second = backend.inpaint(image, mask), backend.inpaint(image, mask)
    assert np.array_equal(first, second)
    assert psnr(first[mask], uncompiled[mask]) >= 55
