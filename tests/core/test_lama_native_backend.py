import shutil
import time

import numpy as np
import pytest
import torch

from lamadesk.cli import main
from lamadesk.core.metrics import psnr
from lamadesk.core.models.lama.backend import FastPath, NativeLamaBackend, Precision
from lamadesk.core.models.lama.bench import BASELINE, ModelClock, measure, run_bench, sample_inputs
from lamadesk.core.models.lama.random_weights import is_test_model
from lamadesk.core.models.lama.torchscript import TorchScriptLama
from tools import make_test_model as make_test_script


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


def test_make_test_model_script_writes_a_model_that_says_it_is_random(
    random_lama_path, tmp_path, capsys, monkeypatch
):
    # Building the 51M random weights takes a minute here; the session's model stands in.
    monkeypatch.setattr(
        make_test_script, "make_test_model", lambda path: shutil.copy(random_lama_path, path)
    )
    model = tmp_path / "random.pt"
    monkeypatch.setattr("sys.argv", ["make_test_model", str(model)])
    make_test_script.main()
    out = capsys.readouterr().out
    assert "random weights" in out.lower()
    assert "speed tests only" in out
    assert is_test_model(model)
    assert not is_test_model(tmp_path / "missing.pt")


def test_bench_of_a_test_model_says_random_weights_in_every_header(random_lama_path, capsys):
    assert is_test_model(random_lama_path)
    args = ["bench", "--device", "cpu", "--sizes", "16", "--runs", "1"]
    assert main([*args, "--model", str(random_lama_path)]) == 0
    lines = capsys.readouterr().out.splitlines()
    weights = next(line for line in lines if line.startswith("weights:"))
    assert "RANDOM weights" in weights
    header = next(line for line in lines if line.startswith("path"))
    assert "random weights" in header
    assert any(line.startswith("IOPaint baseline") for line in lines)


def test_cli_makes_no_test_models_the_product_does_not_ship_the_maker(tmp_path):
    with pytest.raises(SystemExit) as caught:
        main(["models", "make-test", str(tmp_path / "m.pt")])
    assert caught.value.code == 2
    assert not (tmp_path / "m.pt").exists()


def test_bench_no_longer_makes_test_models(tmp_path):
    with pytest.raises(SystemExit) as caught:
        main(["bench", "--device", "cpu", "--make-test-model", str(tmp_path / "m.pt")])
    assert caught.value.code == 2
    assert not (tmp_path / "m.pt").exists()


def test_model_time_is_part_of_end_to_end_time_on_every_row_and_run(random_lama_path):
    rows = run_bench(random_lama_path, "cpu", [24], runs=3, on_result=lambda row: None)
    assert len(rows) == 3
    for row in rows:
        assert row.model_median_ms <= row.median_ms, row.path
        for model_ms, end_to_end_ms in zip(row.model_ms, row.end_to_end_ms, strict=True):
            assert 0 < model_ms <= end_to_end_ms, row.path


def test_model_time_is_timed_inside_the_end_to_end_run_not_in_separate_runs():
    device = torch.device("cpu")
    clock = ModelClock(device)
    image, _mask = sample_inputs(16)

    def network(image_t, mask_t):
        time.sleep(0.01)
        return image_t

    timed_network = clock.wrap(network)

    def run(image, mask):
        time.sleep(0.005)  # conversions around the network
        timed_network(torch.zeros(1), torch.zeros(1))
        return image

    def slow_separate_step(image_t, mask_t):
        time.sleep(0.05)  # what a separate model-only run may cost on a busy machine

    row = measure("fake", 16, run, slow_separate_step, image, 2, device, clock)
    for model_ms, end_to_end_ms in zip(row.model_ms, row.end_to_end_ms, strict=True):
        assert 10 <= model_ms < end_to_end_ms


def test_bench_without_any_model_is_a_usage_error(tmp_path, monkeypatch):
    monkeypatch.setenv("LAMADESK_DATA_DIR", str(tmp_path))
    with pytest.raises(SystemExit) as caught:
        main(["bench", "--device", "cpu", "--sizes", "16"])
    assert caught.value.code == 2
