import numpy as np
import pytest

from lamadesk.cli import main
from lamadesk.core.backends.lama_native import FastPath, NativeLamaBackend, Precision
from lamadesk.core.backends.lama_torchscript import TorchScriptLama
from lamadesk.core.lama.bench import BASELINE, run_bench, sample_inputs
from lamadesk.core.metrics import psnr


@pytest.mark.parametrize(("height", "width"), [(37, 53), (61, 30)])
def test_native_backend_matches_the_torchscript_file_on_odd_sizes(random_lama_path, height, width):
    image = np.random.default_rng(height).integers(0, 256, (height, width, 3), dtype=np.uint8)
    mask = np.zeros((height, width), dtype=bool)
    mask[height // 4 : height // 2, width // 3 :] = True
    native = NativeLamaBackend(random_lama_path, "cpu").inpaint(image, mask)
    scripted = TorchScriptLama(random_lama_path, "cpu").inpaint(image, mask)
    assert np.abs(native.astype(int) - scripted.astype(int)).max() <= 1


def test_each_device_gets_its_measured_fast_path():
    assert FastPath.for_device("cpu") == FastPath(Precision.FP32, channels_last=True)
    cuda = FastPath.for_device("cuda:1")
    assert cuda.precision is Precision.FP16
    assert cuda.cuda_graphs
    assert not cuda.compiled


def test_bench_times_the_baseline_and_every_cpu_path_and_measures_drift(random_lama_path):
    rows = run_bench(random_lama_path, "cpu", [24], runs=1, on_result=lambda row: None)
    assert rows[0].path == BASELINE
    assert len(rows) == 3
    for row in rows:
        assert row.size == 24
        assert min(row.end_to_end_ms) > 0
        assert row.max_abs_diff <= 1
    assert rows[1].psnr_db > 50


def test_psnr_of_identical_images_is_infinite_and_drops_with_error():
    image, _mask = sample_inputs(16)
    assert psnr(image, image) == float("inf")
    assert psnr(image, image ^ 1) > psnr(image, image ^ 7)


def test_bench_command_says_when_it_runs_random_weights(tmp_path, capsys):
    model = tmp_path / "random.pt"
    assert (
        main(
            [
                "bench",
                "--device",
                "cpu",
                "--sizes",
                "16",
                "--runs",
                "1",
                "--make-test-model",
                str(model),
            ]
        )
        == 0
    )
    out = capsys.readouterr().out
    assert "RANDOM weights" in out
    assert model.exists()
    assert "IOPaint baseline" in out


def test_bench_without_any_model_is_a_usage_error(tmp_path, monkeypatch):
    monkeypatch.setenv("LAMADESK_DATA_DIR", str(tmp_path))
    with pytest.raises(SystemExit) as caught:
        main(["bench", "--device", "cpu", "--sizes", "16"])
    assert caught.value.code == 2
