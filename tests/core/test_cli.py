import json
import os
import sys

import cv2
import numpy as np
import pytest
from PIL import Image

from lamadesk.cli import main
from tests.core import image_samples as samples
from tests.core.http_server import FileServer
from tests.tiny_models import FillConstant, install_unvetted, save_scripted


@pytest.fixture(autouse=True)
def data_dir(tmp_path, monkeypatch):
    folder = tmp_path / "data"
    monkeypatch.setenv("LAMADESK_DATA_DIR", str(folder))
    monkeypatch.delenv("LAMADESK_MODEL_URL", raising=False)
    return folder


def write_png(path, array):
    Image.fromarray(array).save(path)
    return path


@pytest.fixture
def photos(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    rng = np.random.default_rng(3)
    for name in ("a.png", "b.png"):
        write_png(folder / name, rng.integers(0, 256, size=(40, 60, 3), dtype=np.uint8))
    (folder / "notes.txt").write_text("not an image")
    return folder


@pytest.fixture
def mask_file(tmp_path):
    mask = np.zeros((40, 60), dtype=np.uint8)
    mask[10:20, 10:30] = 255
    return write_png(tmp_path / "mask.png", mask)


def masked_region():
    region = np.zeros((40, 60), dtype=bool)
    region[10:20, 10:30] = True
    return region


def test_remove_writes_every_image_of_a_folder_and_keeps_unmasked_pixels(
    photos, mask_file, tmp_path, capsys
):
    out = tmp_path / "out"
    code = main(
        ["remove", str(photos), "--mask", str(mask_file), "--out", str(out), "--model", "opencv"]
    )
    assert code == 0
    assert sorted(p.name for p in out.iterdir()) == ["a.png", "b.png"]
    for name in ("a.png", "b.png"):
        before = np.asarray(Image.open(photos / name))
        after = np.asarray(Image.open(out / name))
        assert np.array_equal(after[~masked_region()], before[~masked_region()])
        assert not np.array_equal(after[masked_region()], before[masked_region()])
    assert "2 done, 0 failed" in capsys.readouterr().err


def test_one_bad_file_fails_alone_with_exit_code_one(photos, mask_file, tmp_path, capsys):
    broken = photos / "broken.png"
    broken.write_bytes((photos / "a.png").read_bytes()[:100])
    out = tmp_path / "out"
    code = main(
        [
            "remove",
            str(photos / "a.png"),
            str(broken),
            "--mask",
            str(mask_file),
            "--out",
            str(out),
            "--model",
            "opencv",
        ]
    )
    err = capsys.readouterr().err
    assert code == 1
    assert (out / "a.png").exists()
    assert not (out / "broken.png").exists()
    assert "1 done, 1 failed" in err
    assert "broken.png" in err
    assert "Traceback" not in err


def test_a_mask_of_another_size_is_scaled_with_a_notice(photos, tmp_path, capsys):
    small_mask = np.zeros((20, 30), dtype=np.uint8)
    small_mask[5:10, 5:15] = 255
    mask_path = write_png(tmp_path / "small.png", small_mask)
    code = main(
        [
            "remove",
            str(photos / "a.png"),
            "--mask",
            str(mask_path),
            "--out",
            str(tmp_path / "out"),
            "--model",
            "opencv",
        ]
    )
    assert code == 0
    assert "scaled" in capsys.readouterr().err


def test_white_strokes_on_hidden_white_transparency_repaint_only_the_strokes(
    photos, tmp_path, capsys
):
    rgba = np.full((40, 60, 4), 255, dtype=np.uint8)
    rgba[..., 3] = 0
    rgba[masked_region(), 3] = 255
    mask_path = write_png(tmp_path / "strokes.png", rgba)
    out = tmp_path / "out"
    args = ["remove", str(photos / "a.png"), "--mask", str(mask_path), "--out", str(out)]
    assert main([*args, "--model", "opencv"]) == 0
    before = np.asarray(Image.open(photos / "a.png"))
    after = np.asarray(Image.open(out / "a.png"))
    assert np.array_equal(after[~masked_region()], before[~masked_region()])
    assert not np.array_equal(after[masked_region()], before[masked_region()])


def test_a_mask_covering_most_of_the_image_needs_allow_large_mask(photos, tmp_path, capsys):
    mask = np.full((40, 60), 255, dtype=np.uint8)
    mask[:3, :] = 0  # 92.5 % covered: an inverted mask looks like this
    mask_path = write_png(tmp_path / "inverted.png", mask)
    out = tmp_path / "out"
    args = ["remove", str(photos / "a.png"), "--mask", str(mask_path), "--out", str(out)]
    args += ["--model", "opencv"]
    with pytest.raises(SystemExit) as refused:
        main(args)
    assert refused.value.code == 2
    err = capsys.readouterr().err
    assert "92%" in err
    assert "--allow-large-mask" in err
    assert not out.exists()
    assert main([*args, "--allow-large-mask"]) == 0
    before = np.asarray(Image.open(photos / "a.png"))
    after = np.asarray(Image.open(out / "a.png"))
    assert np.array_equal(after[:3], before[:3])
    assert not np.array_equal(after[3:], before[3:])


def test_a_full_mask_fails_each_file_with_the_reason_instead_of_copying_it(
    photos, tmp_path, capsys
):
    mask_path = write_png(tmp_path / "full.png", np.full((40, 60), 255, dtype=np.uint8))
    out = tmp_path / "out"
    args = ["remove", str(photos), "--mask", str(mask_path), "--out", str(out)]
    assert main([*args, "--model", "opencv", "--allow-large-mask"]) == 1
    err = capsys.readouterr().err
    assert "0 done, 2 failed" in err
    assert err.count("the mask covers the whole image: nothing is left to fill it from") >= 2
    assert not list(out.glob("*.png"))


def remove_one(source, mask_file, out, *extra):
    return main(
        [
            "remove",
            str(source),
            "--mask",
            str(mask_file),
            "--out",
            str(out),
            "--model",
            "opencv",
            *extra,
        ]
    )


def note_lines(err):
    return [line.strip().removeprefix("note: ") for line in err.splitlines() if "note:" in line]


def test_transparent_png_saved_as_jpeg_says_it_was_put_on_white(mask_file, tmp_path, capsys):
    rgba = np.zeros((40, 60, 4), dtype=np.uint8)
    rgba[:, 30:, 3] = 255  # left half fully transparent
    source = write_png(tmp_path / "logo.png", rgba)

    assert remove_one(source, mask_file, tmp_path / "out", "--format", "jpg") == 0

    assert note_lines(capsys.readouterr().err) == [
        "JPEG has no transparency: transparent areas are put on white"
    ]
    with Image.open(tmp_path / "out" / "logo.jpg") as written:
        assert np.asarray(written)[25:, :25].min() >= 250


def test_16bit_png_saved_as_jpeg_says_it_keeps_8_bits_only(mask_file, tmp_path, capsys):
    source = tmp_path / "scan.png"
    cv2.imwrite(str(source), np.full((40, 60, 3), 40000, np.uint16))

    assert remove_one(source, mask_file, tmp_path / "out", "--format", "jpg") == 0

    assert note_lines(capsys.readouterr().err) == [
        "16-bit image: edited pixels are computed at 8 bits",
        "JPEG holds 8 bits per channel: the 16-bit image is written at 8 bits",
    ]


def test_cmyk_jpeg_stays_cmyk_with_its_profile_and_says_how(tmp_path, capsys):
    source = samples.cmyk_photo_jpeg(tmp_path / "print.jpg")
    region = np.zeros((96, 128), dtype=bool)
    region[30:60, 40:90] = True
    mask_file = write_png(tmp_path / "mask.png", region.astype(np.uint8) * 255)

    assert remove_one(source, mask_file, tmp_path / "out") == 0

    assert note_lines(capsys.readouterr().err) == [
        "CMYK shown and edited as sRGB through its ICC profile",
        "edited pixels converted to CMYK through its ICC profile",
    ]
    out = tmp_path / "out" / "print.jpg"
    with Image.open(out) as written:
        assert written.mode == "CMYK"
        assert written.info["icc_profile"] == samples.cmyk_icc()
    before, after = samples.colour_managed_view(source), samples.colour_managed_view(out)
    assert np.abs(after.astype(int) - before)[~region].mean() < 0.5


def test_a_profile_that_cannot_describe_the_output_is_dropped_with_a_note(
    mask_file, tmp_path, capsys
):
    source = tmp_path / "print.jpg"
    Image.new("CMYK", (60, 40), (10, 20, 30, 40)).save(source, icc_profile=samples.fake_cmyk_icc())

    assert remove_one(source, mask_file, tmp_path / "out") == 0

    assert note_lines(capsys.readouterr().err) == [
        "CMYK converted to RGB without colour management: its ICC profile cannot be read",
        "CMYK ICC profile dropped: it does not describe the output colours",
    ]
    with Image.open(tmp_path / "out" / "print.jpg") as written:
        assert "icc_profile" not in written.info


def test_writing_over_the_original_needs_overwrite(photos, mask_file, capsys):
    original = (photos / "a.png").read_bytes()
    args = [
        "remove",
        str(photos / "a.png"),
        "--mask",
        str(mask_file),
        "--out",
        str(photos),
        "--model",
        "opencv",
    ]
    assert main(args) == 1
    assert (photos / "a.png").read_bytes() == original
    assert main([*args, "--overwrite"]) == 0
    assert (photos / "a.png").read_bytes() != original


def test_explicit_lama_without_the_model_says_how_to_get_it(photos, mask_file, tmp_path, capsys):
    code = main(
        [
            "remove",
            str(photos / "a.png"),
            "--mask",
            str(mask_file),
            "--out",
            str(tmp_path / "out"),
            "--model",
            "lama",
        ]
    )
    err = capsys.readouterr().err
    assert code == 1
    assert "lamadesk-cli models download lama" in err


def test_auto_model_without_lama_uses_opencv_and_says_so(photos, mask_file, tmp_path, capsys):
    code = main(
        ["remove", str(photos / "a.png"), "--mask", str(mask_file), "--out", str(tmp_path / "out")]
    )
    err = capsys.readouterr().err
    assert code == 0
    assert "not installed" in err
    assert "using opencv on cpu" in err


def test_imported_lama_model_runs_through_remove(photos, mask_file, tmp_path, capsys):
    model = save_scripted(FillConstant(), tmp_path / "tiny.pt")
    assert main(["models", "import", "lama", str(model), "--force"]) == 1
    assert "not a big-lama file: 989 missing keys" in capsys.readouterr().err
    install_unvetted(tmp_path / "data" / "models", model)
    assert main(["models", "list"]) == 0
    assert "installed (unverified)" in capsys.readouterr().out
    out = tmp_path / "out"
    code = main(
        [
            "remove",
            str(photos / "a.png"),
            "--mask",
            str(mask_file),
            "--out",
            str(out),
            "--model",
            "lama",
            "--device",
            "cpu",
        ]
    )
    assert code == 0
    after = np.asarray(Image.open(out / "a.png"))
    assert (after[masked_region()] == [51, 102, 153]).all()
    assert "running it with TorchScript instead" in capsys.readouterr().err


def test_native_and_torchscript_engines_agree_on_a_real_architecture_model(
    photos, mask_file, tmp_path, capsys, random_lama_path
):
    assert main(["models", "import", "lama", str(random_lama_path), "--force"]) == 0
    outputs = {}
    for engine in ("native", "torchscript"):
        out = tmp_path / engine
        args = ["remove", str(photos / "a.png"), "--mask", str(mask_file), "--out", str(out)]
        assert main([*args, "--device", "cpu", "--engine", engine]) == 0
        outputs[engine] = np.asarray(Image.open(out / "a.png")).astype(int)
    assert "TorchScript instead" not in capsys.readouterr().err
    assert np.abs(outputs["native"] - outputs["torchscript"]).max() <= 1


def test_compile_on_the_cpu_says_why_not_and_still_removes(
    photos, mask_file, tmp_path, capsys, random_lama_path
):
    assert main(["models", "import", "lama", str(random_lama_path), "--force"]) == 0
    out = tmp_path / "out"
    args = ["remove", str(photos / "a.png"), "--mask", str(mask_file), "--out", str(out)]
    assert main([*args, "--device", "cpu", "--compile"]) == 0
    err = capsys.readouterr().err
    assert "notice: not compiling: compiling only pays off on a CUDA GPU" in err
    assert "using lama on cpu" in err
    assert "1 done, 0 failed" in err
    before = np.asarray(Image.open(photos / "a.png"))
    after = np.asarray(Image.open(out / "a.png"))
    assert not np.array_equal(after[masked_region()], before[masked_region()])
    assert np.array_equal(after[~masked_region()], before[~masked_region()])


def test_compile_with_opencv_names_the_engine_and_is_no_error(photos, mask_file, tmp_path, capsys):
    out = tmp_path / "out"
    args = ["remove", str(photos / "a.png"), "--mask", str(mask_file), "--out", str(out)]
    assert main([*args, "--model", "opencv", "--compile"]) == 0
    err = capsys.readouterr().err
    assert "notice: not compiling: only lamadesk's native LaMa engine can be compiled" in err
    assert (out / "a.png").is_file()


def test_compile_on_a_gpu_compiles_each_new_size_once_before_using_it(
    photos, mask_file, tmp_path, capsys, monkeypatch
):
    from lamadesk.cli import compiling, remove
    from lamadesk.core.engine import OpenedBackend
    from tests.core.fake_backends import CompilablePaintBackend

    backend = CompilablePaintBackend("cuda:0")
    backend.release.set()
    monkeypatch.setattr(remove, "open_model", lambda *args: OpenedBackend(backend, None, ()))
    monkeypatch.setattr(compiling, "backend_compile_blocker", lambda backend: None)
    out = tmp_path / "out"
    args = ["remove", str(photos), "--mask", str(mask_file), "--out", str(out), "--compile"]
    assert main(args) == 0
    err = capsys.readouterr().err
    height, width = backend.calls[0]
    assert backend.calls == [(height, width)] * 2
    assert backend.compiled == [(height, width)]
    assert err.count(f"notice: compiling the model for {width}×{height}") == 1
    assert f"notice: compiled for {width}×{height} in 2.0 s" in err
    assert "2 done, 0 failed" in err


def test_compile_is_off_by_default_and_its_help_says_why(capsys):
    from lamadesk.cli import build_parser

    remove = build_parser().parse_args(["remove", "x.png", "--mask", "m.png", "--out", "o"])
    assert remove.compile is False
    with pytest.raises(SystemExit):
        main(["remove", "--help"])
    help_text = " ".join(capsys.readouterr().out.split())
    assert "--compile" in help_text
    assert "off by default because a short batch spends longer compiling than it saves" in (
        help_text
    )


def test_download_with_a_wrong_checksum_names_both_hashes(tmp_path, monkeypatch, capsys):
    with FileServer(b"x" * 1000) as server:
        monkeypatch.setenv("LAMADESK_MODEL_URL", server.url("/big-lama.pt"))
        code = main(["models", "download", "lama"])
    err = capsys.readouterr().err
    assert code == 1
    assert "are expected" in err
    assert "/big-lama.pt" in err


@pytest.mark.parametrize(
    "args",
    [
        ["remove", "x.png", "--mask", "m.png", "--out", "o", "--dilate", "-1"],
        ["remove", "x.png", "--mask", "missing-mask.png", "--out", "o"],
        ["remove", "x.png", "--out", "o"],
        ["doctor", "--device", "gpu"],
    ],
)
def test_usage_errors_exit_with_code_two(args, tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(SystemExit) as caught:
        main(args)
    assert caught.value.code == 2


def test_doctor_json_has_the_documented_keys_and_exits_zero(capsys):
    assert main(["doctor", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    for key in (
        "torch_version",
        "torch_cuda_version",
        "cuda_available",
        "driver_version",
        "devices",
        "selected_device",
        "reason",
        "fix",
    ):
        assert key in report
    assert report["selected_device"] == "cpu"
    assert report["reason"]


def test_doctor_prints_a_readable_report(capsys):
    assert main(["doctor"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Using CPU because")


def test_doctor_says_what_runs_the_text_detector_and_why_opencv_when_it_does(capsys, monkeypatch):
    assert main(["doctor"]) == 0
    [line] = [line for line in capsys.readouterr().out.splitlines() if "Text detector" in line]
    assert line.startswith("Text detector:        OpenVINO 20")
    assert line.endswith((" on the CPU, in bfloat16", " on the CPU, in 32-bit floats"))
    monkeypatch.setitem(sys.modules, "openvino", None)
    assert main(["doctor", "--json"]) == 0
    facts = json.loads(capsys.readouterr().out)["text_detector"]
    assert facts["engine"] == "opencv-dnn"
    assert facts["precision"] == "f32"
    assert facts["fallback_reason"].startswith("openvino cannot be imported")


def test_models_import_checksum_refusal_names_force_and_what_it_still_checks(
    tmp_path, capsys, random_lama_path
):
    assert main(["models", "import", "lama", str(random_lama_path)]) == 1

    err = capsys.readouterr().err
    assert err.startswith(f"error: checksum mismatch for {random_lama_path}")
    assert "import it again with --force (it only skips the md5" in err
    assert "big-lama TorchScript archive with all 989 tensors" in err
    assert len(err.splitlines()) == 1


def test_damaged_installed_model_is_an_error_naming_the_file_not_a_torchscript_run(
    photos, mask_file, tmp_path, capsys, random_lama_path
):
    assert main(["models", "import", "lama", str(random_lama_path), "--force"]) == 0
    installed = tmp_path / "data" / "models" / "big-lama.pt"
    recorded = installed.stat()
    data = bytearray(installed.read_bytes())
    data[len(data) // 2 : len(data) // 2 + 4096] = bytes(range(256)) * 16
    installed.write_bytes(bytes(data))
    # Damage on disk keeps size and time, so the manifest still vouches for the file.
    os.utime(installed, ns=(recorded.st_atime_ns, recorded.st_mtime_ns))
    capsys.readouterr()
    out = tmp_path / "out"
    args = ["remove", str(photos / "a.png"), "--mask", str(mask_file), "--out", str(out)]

    assert main([*args, "--model", "lama", "--device", "cpu"]) == 1

    err = capsys.readouterr().err
    assert f"error: model file {installed} is damaged or not a model file" in err
    assert "(damaged zip archive: Bad CRC-32" in err
    assert "Bad CRC-32" in err
    assert "'lamadesk-cli models download lama'" in err
    assert "TorchScript" not in err.replace("not a TorchScript", "")
    assert not out.exists() or not any(out.iterdir())


def test_doctor_names_lamadesk_version_the_model_and_the_data_folder(
    capsys, data_dir, random_lama_path
):
    from lamadesk import __version__

    assert main(["doctor"]) == 0
    out = capsys.readouterr().out
    assert f"lamadesk:             {__version__}" in out
    assert "LaMa model:           not installed" in out
    assert f"Data folder:          {data_dir}" in out
    assert main(["models", "import", "lama", str(random_lama_path), "--force"]) == 0
    capsys.readouterr()
    assert main(["doctor"]) == 0
    out = capsys.readouterr().out
    installed = data_dir / "models" / "big-lama.pt"
    size = random_lama_path.stat().st_size
    assert f"LaMa model:           unverified, {size / 2**20:.1f} MiB, {installed}" in out
    assert main(["doctor", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["lamadesk_version"] == __version__
    assert report["data_dir"] == str(data_dir)
    assert report["model"] == {
        "name": "lama",
        "installed": True,
        "state": "unverified",
        "size_bytes": size,
        "path": str(installed),
    }
