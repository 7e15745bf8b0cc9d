import numpy as np
import pytest
from PIL import Image

from lamadesk.cli import main
from lamadesk.core.image_io import read_mask_image
from tests.core.text_images import photo_like, recall, with_text


@pytest.fixture
def photos(tmp_path):
    """A folder with a date-stamped photo (non-ASCII name) and a photo without text."""
    folder = tmp_path / "photos"
    folder.mkdir()
    plain = photo_like(480, 640, seed=7)
    dated, truth = with_text(photo_like(480, 640), "1998 12 25", (420, 420), 28)
    Image.fromarray(dated).save(folder / "fête 1998.png")
    Image.fromarray(plain).save(folder / "plain.png")
    return folder, dated, truth, plain


def test_detect_text_writes_a_stroke_mask_per_image_and_a_line_each(photos, tmp_path, capsys):
    folder, _, truth, _ = photos
    out = tmp_path / "masks"
    assert main(["detect", "--text", str(folder), "--out", str(out)]) == 0
    err = capsys.readouterr().err
    assert "[1/2] fête 1998.png: 1 text regions" in err
    assert "[2/2] plain.png: 0 text regions" in err
    assert recall(read_mask_image(out / "fête 1998.mask.png"), truth) >= 0.9
    assert not read_mask_image(out / "plain.mask.png").any()


def test_detect_text_never_replaces_an_existing_mask(photos, tmp_path, capsys):
    folder = photos[0]
    out = tmp_path / "masks"
    out.mkdir()
    (out / "plain.mask.png").write_bytes(b"mine")
    assert main(["detect", "--text", str(folder), "--out", str(out)]) == 1
    assert (out / "plain.mask.png").read_bytes() == b"mine"
    assert "exists; use --overwrite" in capsys.readouterr().err


def test_remove_text_mask_changes_only_pixels_near_the_text(photos, tmp_path, capsys):
    folder, dated, truth, plain = photos
    out = tmp_path / "out"
    code = main(["remove", str(folder), "--text-mask", "--model", "opencv", "--out", str(out)])
    assert code == 0
    cleaned = np.array(Image.open(out / "fête 1998.png"))
    changed = np.abs(cleaned.astype(np.int16) - dated).max(axis=2) > 0
    near = np.zeros_like(truth)
    near[380:480, 380:640] = True
    assert changed[truth].mean() > 0.9
    assert not changed[~near].any()
    assert np.array_equal(np.array(Image.open(out / "plain.png")), plain)
    assert "no text found" in capsys.readouterr().err


def test_a_text_region_limits_what_remove_text_mask_touches(photos, tmp_path):
    folder, dated, _, _ = photos
    out = tmp_path / "out"
    args = ["remove", str(folder), "--text-mask", "--text-region", "0,0,640,200"]
    assert main([*args, "--model", "opencv", "--out", str(out)]) == 0
    assert np.array_equal(np.array(Image.open(out / "fête 1998.png")), dated)


@pytest.mark.parametrize(
    "extra",
    [
        ["remove", "--text-mask", "--mask", "m.png"],
        ["remove", "--text-mask", "--text-sensitivity", "2"],
        ["remove", "--text-mask", "--text-region", "1,2,3"],
        ["remove", "--mask", "m.png", "--text-region", "bottom"],
        ["detect", "--text-sensitivity", "0.7"],
        ["detect", "--text", "--seed-box", "1,1,5,5"],
    ],
)
def test_inconsistent_text_options_are_usage_errors(photos, tmp_path, extra, capsys):
    command, *options = extra
    with pytest.raises(SystemExit) as exited:
        main([command, str(photos[0]), "--out", str(tmp_path / "o"), *options])
    assert exited.value.code == 2


def test_detect_text_recursive_writes_each_mask_in_its_images_subfolder(photos, tmp_path, capsys):
    folder, _, truth, _ = photos
    (folder / "1998").mkdir()
    (folder / "fête 1998.png").rename(folder / "1998" / "fête 1998.png")
    out = tmp_path / "masks"
    assert main(["detect", "--text", str(folder), "--recursive", "--out", str(out)]) == 0
    err = capsys.readouterr().err
    assert "[2/2] 1998/fête 1998.png: 1 text regions" in err
    assert recall(read_mask_image(out / "1998" / "fête 1998.mask.png"), truth) >= 0.9
    assert (out / "plain.mask.png").exists()
