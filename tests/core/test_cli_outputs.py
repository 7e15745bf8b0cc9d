"""`lamadesk-cli remove` never loses a result: distinct names, no replacing, resumable runs."""

import os
import re
import signal
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from lamadesk.cli import main

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def data_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("LAMADESK_DATA_DIR", str(tmp_path / "data"))


def noise(path, seed, size=(40, 60)):
    rng = np.random.default_rng(seed)
    Image.fromarray(rng.integers(0, 256, size=(*size, 3), dtype=np.uint8)).save(path)
    return path


def mask(path, rows, cols, size=(40, 60)):
    pixels = np.zeros(size, np.uint8)
    pixels[rows, cols] = 255
    Image.fromarray(pixels).save(path)
    return path


@pytest.fixture
def mask_file(tmp_path):
    return mask(tmp_path / "mask.png", slice(10, 20), slice(10, 30))


def pixels(path):
    return np.asarray(Image.open(path).convert("RGB"))


def unmasked_equal(result, source, mask_path):
    keep = np.asarray(Image.open(mask_path)) == 0
    return np.array_equal(pixels(result)[keep], pixels(source)[keep])


def remove(*args, mask_file):
    return main(["remove", *map(str, args), "--mask", str(mask_file), "--model", "opencv"])


def test_one_name_in_two_folders_gives_two_files(tmp_path, mask_file, capsys):
    sources = []
    for seed, folder in enumerate(("dupA", "dupB")):
        (tmp_path / folder).mkdir()
        sources.append(noise(tmp_path / folder / "x.png", seed))
    out = tmp_path / "out"

    code = remove(*sources, "--out", out, "--overwrite", mask_file=mask_file)

    err = capsys.readouterr().err
    assert code == 0
    assert sorted(p.name for p in out.iterdir()) == ["x (2).png", "x.png"]
    assert unmasked_equal(out / "x.png", sources[0], mask_file)
    assert unmasked_equal(out / "x (2).png", sources[1], mask_file)
    assert "x (2).png" in err
    assert "2 done, 0 failed" in err


def test_a_jpg_and_a_png_of_one_name_written_as_png_give_two_files(tmp_path, mask_file, capsys):
    folder = tmp_path / "in"
    folder.mkdir()
    jpg = folder / "a.jpg"
    Image.open(noise(tmp_path / "src.png", 1)).save(jpg, quality=95)
    png = noise(folder / "a.png", 2)
    out = tmp_path / "out"

    code = remove(folder, "--out", out, "--format", "png", "--overwrite", mask_file=mask_file)

    assert code == 0
    assert sorted(p.name for p in out.iterdir()) == ["a (2).png", "a.png"]
    assert unmasked_equal(out / "a.png", jpg, mask_file)
    assert unmasked_equal(out / "a (2).png", png, mask_file)


@pytest.fixture
def photos(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    for seed, name in enumerate(("a.png", "b.png")):
        noise(folder / name, seed)
    return folder


def test_an_existing_output_fails_and_names_both_ways_out(photos, mask_file, tmp_path, capsys):
    out = tmp_path / "out"
    out.mkdir()
    (out / "a.png").write_bytes(b"earlier result")

    code = remove(photos, "--out", out, mask_file=mask_file)

    err = capsys.readouterr().err
    assert code == 1
    assert (out / "a.png").read_bytes() == b"earlier result"
    (line,) = [line for line in err.splitlines() if line.startswith("[1/2] a.png")]
    assert "FAILED" in line
    assert "exists" in line
    assert "--overwrite" in line
    assert "--skip-existing" in line
    assert "1 done, 1 failed" in err


def test_skip_existing_keeps_finished_files_and_exits_0(photos, mask_file, tmp_path, capsys):
    out = tmp_path / "out"
    out.mkdir()
    (out / "a.png").write_bytes(b"earlier result")

    code = remove(photos, "--out", out, "--skip-existing", mask_file=mask_file)

    err = capsys.readouterr().err
    assert code == 0
    assert (out / "a.png").read_bytes() == b"earlier result"
    assert unmasked_equal(out / "b.png", photos / "b.png", mask_file)
    assert "[1/2] a.png: skipped" in err
    assert "1 done, 0 failed, 1 skipped" in err


def test_skip_existing_and_overwrite_cannot_be_combined(photos, mask_file, tmp_path, capsys):
    with pytest.raises(SystemExit) as caught:
        remove(
            photos, "--out", tmp_path / "o", "--overwrite", "--skip-existing", mask_file=mask_file
        )
    assert caught.value.code == 2
    assert "not allowed with" in capsys.readouterr().err


def cli_command(args, data_dir):
    """`lamadesk-cli ARGS` as a child process of this tree, and its environment."""
    env = {**os.environ, "PYTHONPATH": str(REPO), "LAMADESK_DATA_DIR": str(data_dir)}
    return [sys.executable, "-m", "lamadesk.cli", *map(str, args)], env


def cli(args, data_dir):
    command, env = cli_command(args, data_dir)
    return subprocess.Popen(
        command, cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )


def many_photos(folder, count, size):
    folder.mkdir()
    return [noise(folder / f"p{index:02d}.png", index, size) for index in range(count)]


@pytest.mark.skipif(os.name != "posix", reason="SIGINT to a child process")
def test_ctrl_c_prints_what_was_done_and_a_rerun_skips_it(tmp_path):
    size = (240, 320)
    many_photos(tmp_path / "in", 60, size)
    big_mask = mask(tmp_path / "mask.png", slice(40, 200), slice(40, 280), size)
    out = tmp_path / "out"
    args = ["remove", tmp_path / "in", "--mask", big_mask, "--model", "opencv", "--out", out]

    run = cli(args, tmp_path / "data")
    seen = []
    for line in run.stderr:
        seen.append(line)
        if " -> " in line:
            run.send_signal(signal.SIGINT)
            break
    _, rest = run.communicate(timeout=60)
    err = "".join(seen) + rest

    assert run.returncode == 130, err
    summary = re.search(r"interrupted: (\d+) done, 0 failed, 0 skipped, (\d+) not started", err)
    assert summary, err
    done, not_started = int(summary[1]), int(summary[2])
    written = sorted(p.name for p in out.iterdir())
    assert len(written) == done == err.count(" -> ")
    current = re.search(r"(p\d\d\.png) was not written", err)
    assert done + not_started + (1 if current else 0) == 60
    if current:
        assert current[1] not in written

    # The finished files, the unfinished one and one not started, again: only 2 are left to do.
    again = sorted((tmp_path / "in").iterdir())[: done + 2]
    command, env = cli_command(["remove", *again, *args[2:], "--skip-existing"], tmp_path / "data")
    rerun = subprocess.run(
        command, cwd=REPO, env=env, capture_output=True, text=True, timeout=120, check=False
    )
    assert rerun.returncode == 0, rerun.stderr
    assert f"2 done, 0 failed, {done} skipped" in rerun.stderr
    assert len(list(out.iterdir())) == done + 2


def test_two_runs_into_one_folder_lose_nothing(tmp_path):
    sources = many_photos(tmp_path / "in", 30, (40, 60))
    masks = [
        mask(tmp_path / "left.png", slice(5, 35), slice(2, 20)),
        mask(tmp_path / "right.png", slice(5, 35), slice(40, 58)),
    ]
    out = tmp_path / "out"
    runs = [
        cli(["remove", tmp_path / "in", "--mask", m, "--model", "opencv", "--out", out], tmp_path)
        for m in masks
    ]
    errs = [run.communicate(timeout=120)[1] for run in runs]

    assert sorted(p.name for p in out.iterdir()) == sorted(s.name for s in sources)
    for source in sources:
        winners = [
            index
            for index, err in enumerate(errs)
            if f"{source.name} -> {out / source.name}" in err
        ]
        assert len(winners) == 1, errs
        (winner,) = winners
        loser_lines = [
            line
            for line in errs[1 - winner].splitlines()
            if line.startswith("[") and f"] {source.name}" in line
        ]
        assert len(loser_lines) == 1
        assert "exists" in loser_lines[0]
        assert unmasked_equal(out / source.name, source, masks[winner])
        assert not unmasked_equal(out / source.name, source, masks[1 - winner])


@pytest.fixture
def archive(tmp_path):
    """Scans sorted into year folders; two years have a scan of the same name."""
    root = tmp_path / "scans"
    for seed, name in enumerate(("1998/scan1.png", "1999/scan1.png", "1999/easter/scan2.png")):
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        noise(root / name, seed)
    return root


def test_a_folder_of_year_folders_says_they_were_not_searched_and_how_to(
    archive, mask_file, tmp_path, capsys
):
    with pytest.raises(SystemExit) as usage_error:
        remove(archive, "--out", tmp_path / "out", mask_file=mask_file)
    assert usage_error.value.code == 2
    err = capsys.readouterr().err
    assert "2 subfolder(s) not searched (1998, 1999); add --recursive" in err
    assert "no images found" in err


def test_recursive_remove_keeps_the_folder_layout_and_a_rerun_inside_skips_its_results(
    archive, mask_file, capsys
):
    out = archive / "cleaned"  # inside the input folder: must never become input
    assert remove(archive, "-r", "--out", out, mask_file=mask_file) == 0
    err = capsys.readouterr().err
    assert f"[3/3] 1999/easter/scan2.png -> {out / '1999' / 'easter' / 'scan2.png'}" in err
    for name in ("1998/scan1.png", "1999/scan1.png", "1999/easter/scan2.png"):
        assert unmasked_equal(out / name, archive / name, mask_file)
    assert not np.array_equal(pixels(out / "1998/scan1.png"), pixels(out / "1999/scan1.png"))

    assert remove(archive, "--recursive", "--skip-existing", "--out", out, mask_file=mask_file) == 0
    err = capsys.readouterr().err
    assert "0 done, 0 failed, 3 skipped" in err
    assert not (out / "cleaned").exists()


def test_a_rerun_on_a_folder_leaves_out_what_lamadesk_saved_and_detected_there_and_says_so(
    tmp_path, mask_file, capsys
):
    photos = tmp_path / "photos"
    photos.mkdir()
    noise(photos / "beach.png", 0)
    noise(photos / "beach.clean.png", 1)  # the app's Save, beside the original
    mask(photos / "beach.mask.png", slice(0, 5), slice(0, 5))  # detect --out photos/
    out = tmp_path / "out"
    assert remove(photos, "--out", out, mask_file=mask_file) == 0
    err = capsys.readouterr().err
    assert "note: left out 2 file(s) lamadesk wrote itself (beach.clean.png, beach.mask.png)" in err
    assert sorted(path.name for path in out.iterdir()) == ["beach.png"]
