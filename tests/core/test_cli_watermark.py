import numpy as np
import pytest
from PIL import Image

from lamadesk.cli import main
from lamadesk.core.masks import dilate
from lamadesk.core.metrics import iou, psnr
from tests.core.watermark_batches import COVERAGE, make_batch


@pytest.fixture(autouse=True)
def data_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("LAMADESK_DATA_DIR", str(tmp_path / "data"))


@pytest.fixture(scope="module")
def batch():
    return make_batch(9, seed=11, opacity=0.5)


@pytest.fixture
def photos(tmp_path, batch):
    folder = tmp_path / "in"
    folder.mkdir()
    for index, picture in enumerate(batch.stamped):
        Image.fromarray(picture).save(folder / f"photo_{index}.png")
    (folder / "zz_broken.jpg").write_bytes(b"\xff\xd8\xff truncated")
    return folder


def test_detect_writes_one_mask_per_image_and_skips_the_broken_one(photos, batch, tmp_path, capsys):
    out = tmp_path / "masks"
    code = main(["detect", str(photos), "--out", str(out)])
    err = capsys.readouterr().err
    assert code == 1, "the broken file counts as a failure"
    assert "zz_broken.jpg: FAILED" in err
    assert "mark found in 9 of 10 images" in err
    assert "photo_0.png: confidence 0." in err
    for index, truth in enumerate(batch.true_masks()):
        written = np.asarray(Image.open(out / f"photo_{index}.mask.png")) > 0
        assert iou(written, truth) >= 0.85


def test_detect_never_replaces_an_existing_mask_file(photos, tmp_path, capsys):
    out = tmp_path / "masks"
    out.mkdir()
    (out / "photo_0.mask.png").write_bytes(b"mine")
    main(["detect", str(photos), "--out", str(out)])
    assert (out / "photo_0.mask.png").read_bytes() == b"mine"
    assert "photo_0.png: FAILED" in capsys.readouterr().err


def test_remove_auto_mask_deblend_recovers_the_photos(photos, batch, tmp_path, capsys):
    out = tmp_path / "clean"
    code = main(["remove", str(photos), "--auto-mask", "--deblend", "--out", str(out)])
    err = capsys.readouterr().err
    assert code == 1
    assert "9 done, 1 failed" in err
    assert "mark colour (2" in err
    for index, truth in enumerate(batch.true_masks()):
        result = np.asarray(Image.open(out / f"photo_{index}.png"))
        assert psnr(result[truth], batch.clean[index][truth]) >= 35
        far = ~dilate(truth, 4)
        np.testing.assert_array_equal(result[far], batch.stamped[index][far])


def test_a_seed_box_finds_the_mark_in_a_small_batch(photos, batch, tmp_path, capsys):
    top, left = batch.offsets[0]
    box = f"{left},{top},{COVERAGE.shape[1]},{COVERAGE.shape[0]}"
    inputs = [str(photos / f"photo_{index}.png") for index in range(4)]
    code = main(
        [
            "detect",
            *inputs,
            "--out",
            str(tmp_path / "m"),
            "--seed-box",
            box,
            "--seed-image",
            inputs[0],
        ]
    )
    assert code == 0
    assert "draw a box" not in capsys.readouterr().err
    written = np.asarray(Image.open(tmp_path / "m" / "photo_2.mask.png")) > 0
    assert iou(written, batch.true_masks()[2]) >= 0.8


@pytest.mark.parametrize(
    "extra",
    [
        ["--mask", "m.png", "--auto-mask"],
        ["--mask", "m.png", "--deblend"],
        ["--auto-mask", "--seed-box", "1,2,3"],
        ["--auto-mask", "--seed-box", "0,0,10,10", "--seed-image", "elsewhere.png"],
        ["--auto-mask", "--seed-image", "photo_0.png"],
    ],
)
def test_inconsistent_watermark_options_are_usage_errors(photos, tmp_path, extra, capsys):
    with pytest.raises(SystemExit) as stopped:
        main(["remove", str(photos), "--out", str(tmp_path / "o"), *extra])
    assert stopped.value.code == 2


def test_pictures_sharing_no_mark_fail_with_a_hint(tmp_path, batch, capsys):
    folder = tmp_path / "plain"
    folder.mkdir()
    for index, picture in enumerate(batch.clean):
        Image.fromarray(picture).save(folder / f"p{index}.png")
    assert main(["detect", str(folder), "--out", str(tmp_path / "m")]) == 1
    assert "draw a box around it" in capsys.readouterr().err


def test_detect_gives_two_images_of_one_stem_two_mask_files(photos, tmp_path, capsys):
    Image.open(photos / "photo_1.png").save(photos / "photo_1.jpg", quality=95)
    out = tmp_path / "masks"
    (out).mkdir()
    (out / "photo_0.mask.png").write_bytes(b"mine")

    code = main(["detect", str(photos), "--out", str(out), "--skip-existing"])

    err = capsys.readouterr().err
    assert code == 1, "the broken file still counts as a failure"
    assert (out / "photo_0.mask.png").read_bytes() == b"mine"
    assert "photo_0.png: skipped" in err
    first = np.asarray(Image.open(out / "photo_1.mask.png")) > 0
    second = np.asarray(Image.open(out / "photo_1.mask (2).png")) > 0
    assert iou(first, second) >= 0.9
    assert "photo_1.mask (2).png" in err


def test_an_existing_mask_file_names_both_ways_out(photos, tmp_path, capsys):
    out = tmp_path / "masks"
    out.mkdir()
    (out / "photo_0.mask.png").write_bytes(b"mine")

    main(["detect", str(photos), "--out", str(out)])

    (line,) = [line for line in capsys.readouterr().err.splitlines() if "photo_0.png:" in line]
    assert "exists" in line
    assert "--overwrite" in line
    assert "--skip-existing" in line
