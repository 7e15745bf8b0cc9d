"""Saving never replaces a file it did not decide to replace, and leaves nothing behind."""

from __future__ import annotations

import errno
import logging
import os
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

from lamadesk.core.errors import OutputExistsError
from lamadesk.core.image_io import read_image, write_image
from lamadesk.core.image_write import write_mask
from lamadesk.core.paths import atomic_write
from tests.core import image_samples as samples

REPO = Path(__file__).resolve().parents[2]

# Both writers pass every check, then meet before publishing: the race of two runs, made certain.
RACING_WRITER = """
import sys, time
from pathlib import Path
import lamadesk.core.image_write as image_write
from lamadesk.core.errors import OutputExistsError
from lamadesk.core.image_io import read_image

source, destination, mine, theirs = map(Path, sys.argv[1:5])
real_atomic_write = image_write.atomic_write

def meet_then_write(path, **options):
    mine.touch()
    deadline = time.monotonic() + 30
    while not theirs.exists() and time.monotonic() < deadline:
        time.sleep(0.002)
    return real_atomic_write(path, **options)

image_write.atomic_write = meet_then_write
try:
    image_write.write_image(read_image(source), destination)
except OutputExistsError:
    print("exists")
else:
    print("done")
"""


def run_python(code: str, *args: object) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", code, *map(str, args)],
        cwd=REPO,
        env={**os.environ, "PYTHONPATH": str(REPO)},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_two_processes_writing_one_name_never_replace_each_other(tmp_path: Path) -> None:
    rng = np.random.default_rng(12)
    sources = [
        samples.save(tmp_path / f"{name}.png", rng.integers(0, 256, (8, 10, 3), np.uint8))
        for name in ("a", "b")
    ]
    destination = tmp_path / "out" / "x.png"
    destination.parent.mkdir()
    marks = [tmp_path / "a.ready", tmp_path / "b.ready"]
    writers = [
        run_python(RACING_WRITER, sources[0], destination, marks[0], marks[1]),
        run_python(RACING_WRITER, sources[1], destination, marks[1], marks[0]),
    ]
    results = [writer.communicate(timeout=60) for writer in writers]

    said = [out.strip() for out, _ in results]
    assert sorted(said) == ["done", "exists"], results
    winner = sources[said.index("done")]
    np.testing.assert_array_equal(read_image(destination).rgb, read_image(winner).rgb)
    assert sorted(p.name for p in destination.parent.iterdir()) == ["x.png"]


def save_new(destination: Path, during: Callable[[], object] = lambda: None) -> None:
    """Save without replacing; `during` runs after writing, before publishing."""
    with atomic_write(destination, replace=False) as handle:
        handle.write(b"our result")
        during()


def test_a_file_that_appears_while_saving_is_kept_and_reported(tmp_path: Path) -> None:
    image = read_image(samples.save(tmp_path / "in.png", samples.asymmetric_rgb()))
    destination = tmp_path / "out.png"

    with pytest.raises(FileExistsError):
        save_new(destination, during=lambda: destination.write_bytes(b"someone else's file"))

    assert destination.read_bytes() == b"someone else's file"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.png", "out.png"]
    with pytest.raises(OutputExistsError):
        write_image(image, destination)


def test_a_mask_is_never_written_over_a_file_that_appeared_meanwhile(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import lamadesk.core.image_write as image_write

    destination = tmp_path / "a.mask.png"
    real_atomic_write = image_write.atomic_write

    def appear_then_write(path: Path, **options: bool) -> object:
        path.write_bytes(b"written by another run")
        return real_atomic_write(path, **options)

    monkeypatch.setattr(image_write, "atomic_write", appear_then_write)

    with pytest.raises(OutputExistsError):
        write_mask(np.ones((4, 6), bool), destination)
    assert destination.read_bytes() == b"written by another run"


@pytest.mark.skipif(os.name != "posix", reason="hard links are how POSIX publishes")
def test_without_hard_links_publishing_is_still_exclusive(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_hard_links(self: Path, target: Path) -> None:
        raise OSError(errno.EPERM, "Operation not permitted")  # what vfat says

    monkeypatch.setattr(Path, "hardlink_to", no_hard_links)
    image = read_image(samples.save(tmp_path / "in.png", samples.asymmetric_rgb()))

    written = write_image(image, tmp_path / "out.png")
    with pytest.raises(FileExistsError):
        save_new(written)

    np.testing.assert_array_equal(read_image(written).rgb, image.rgb)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.png", "out.png"]


def test_replace_true_still_replaces_for_the_model_store(tmp_path: Path) -> None:
    destination = tmp_path / "manifest.json"
    destination.write_bytes(b"old")

    with atomic_write(destination) as handle:
        handle.write(b"new")

    assert destination.read_bytes() == b"new"
    assert [p.name for p in tmp_path.iterdir()] == ["manifest.json"]


def name_max(folder: Path) -> int:
    return os.pathconf(folder, "PC_NAME_MAX") if hasattr(os, "pathconf") else 255


@pytest.mark.parametrize(
    "stem", ["a" * 251, "水印去除测试" * 13 + "图片"], ids=["ascii", "chinese-80-characters"]
)
def test_names_up_to_the_limit_can_be_written(tmp_path: Path, stem: str) -> None:
    destination = tmp_path / f"{stem}.png"
    if len(destination.name.encode()) > name_max(tmp_path):
        pytest.skip("this file system allows shorter names")
    image = read_image(samples.save(tmp_path / "in.png", samples.asymmetric_rgb()))

    written = write_image(image, destination)

    np.testing.assert_array_equal(read_image(written).rgb, image.rgb)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["in.png", destination.name])


def leftover(folder: Path, name: str, age_s: float) -> Path:
    path = folder / name
    path.write_bytes(b"half a picture")
    then = time.time() - age_s
    os.utime(path, (then, then))
    return path


def test_stale_temp_files_are_removed_and_logged_fresh_ones_kept(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    stale = leftover(tmp_path, ".lamadesk-0123456789abcdef.tmp", age_s=86400)
    fresh = leftover(tmp_path, ".lamadesk-fedcba9876543210.tmp", age_s=0)
    not_ours = leftover(tmp_path, ".photo.jpg.0123abcd.tmp", age_s=86400)
    image = read_image(samples.save(tmp_path / "in.png", samples.asymmetric_rgb()))

    with caplog.at_level(logging.INFO, logger="lamadesk.core.paths"):
        write_image(image, tmp_path / "out.png")

    assert not stale.exists()
    assert fresh.exists()
    assert not_ours.exists()
    assert str(stale) in caplog.text


@pytest.mark.skipif(os.name != "posix", reason="flock: Windows cannot delete an open file")
def test_an_old_temp_file_still_being_written_is_kept(tmp_path: Path) -> None:
    import fcntl

    busy = leftover(tmp_path, ".lamadesk-00000000000000aa.tmp", age_s=86400)
    with busy.open("ab") as handle:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
        image = read_image(samples.save(tmp_path / "in.png", samples.asymmetric_rgb()))
        write_image(image, tmp_path / "out.png")
        assert busy.exists()


KILLED_WRITER = """
import sys, time
from pathlib import Path
from lamadesk.core.paths import atomic_write

with atomic_write(Path(sys.argv[1])) as handle:
    handle.write(b"the first half of a picture")
    handle.flush()
    print("writing", flush=True)
    time.sleep(60)
"""

NEXT_WRITER = """
import logging, sys
from pathlib import Path
from lamadesk.core.paths import atomic_write

logging.basicConfig(level=logging.INFO, format="%(message)s")
with atomic_write(Path(sys.argv[1])) as handle:
    handle.write(b"a whole picture")
"""


@pytest.mark.skipif(os.name != "posix", reason="SIGKILL")
def test_a_temp_file_left_by_a_killed_save_is_removed_by_the_next_run(tmp_path: Path) -> None:
    writer = run_python(KILLED_WRITER, tmp_path / "a.png")
    assert writer.stdout.readline().strip() == "writing"
    writer.kill()
    writer.communicate(timeout=30)
    (left,) = tmp_path.iterdir()
    assert left.name.startswith(".lamadesk-")

    _, log = run_python(NEXT_WRITER, tmp_path / "b.png").communicate(timeout=60)

    assert [p.name for p in tmp_path.iterdir()] == ["b.png"]
    assert str(left) in log
