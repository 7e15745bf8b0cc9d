"""Every output name of a batch is decided before any work, and no two are the same."""

import struct
from pathlib import Path

import numpy as np
import pytest

from lamadesk.core.image_io import OutputFormat, read_image, write_image
from lamadesk.core.notes import Note, NoteKind
from lamadesk.core.output_names import plan_outputs
from tests.core import image_samples as samples
from tests.core.image_samples import animated_gif, asymmetric_rgb, save


def test_same_name_in_two_folders_gets_a_numbered_second_name(tmp_path):
    sources = []
    for folder in ("dupA", "dupB", "dupC"):
        (tmp_path / folder).mkdir()
        sources.append(save(tmp_path / folder / "x.png", asymmetric_rgb()))
    out = tmp_path / "out"

    plan = plan_outputs(sources, out, OutputFormat.SAME)

    assert [p.destination for p in plan] == [out / "x.png", out / "x (2).png", out / "x (3).png"]
    assert [p.renamed for p in plan] == [False, True, True]
    assert plan[0].note is None
    assert plan[1].note == Note(NoteKind.OUTPUT_RENAMED, {"name": "x (2).png"})


def test_two_sources_that_become_one_png_get_distinct_names(tmp_path):
    jpg = save(tmp_path / "a.jpg", asymmetric_rgb())
    png = save(tmp_path / "a.png", asymmetric_rgb())
    out = tmp_path / "out"

    plan = plan_outputs([jpg, png], out, OutputFormat.PNG)

    assert [p.destination for p in plan] == [out / "a.png", out / "a (2).png"]


def test_names_differing_only_in_case_are_one_name(tmp_path):
    (tmp_path / "one").mkdir()
    (tmp_path / "two").mkdir()
    upper = save(tmp_path / "one" / "X.PNG", asymmetric_rgb())
    lower = save(tmp_path / "two" / "x.png", asymmetric_rgb())

    plan = plan_outputs([upper, lower], tmp_path / "out", OutputFormat.SAME)

    assert [p.destination.name for p in plan] == ["X.PNG", "x (2).png"]


def test_a_numbered_name_never_takes_another_sources_own_name(tmp_path):
    for folder in ("dupA", "dupB"):
        (tmp_path / folder).mkdir()
    first = save(tmp_path / "dupA" / "x.png", asymmetric_rgb())
    second = save(tmp_path / "dupB" / "x.png", asymmetric_rgb())
    numbered = save(tmp_path / "x (2).png", asymmetric_rgb())

    plan = plan_outputs([first, second, numbered], tmp_path / "out", OutputFormat.SAME)

    assert [p.destination.name for p in plan] == ["x.png", "x (3).png", "x (2).png"]


def test_existing_outputs_are_flagged_and_do_not_change_the_names(tmp_path):
    source = save(tmp_path / "a.png", asymmetric_rgb())
    out = tmp_path / "out"
    out.mkdir()
    (out / "a.png").write_bytes(b"earlier result")

    (planned,) = plan_outputs([source], out, OutputFormat.SAME)

    assert planned.destination == out / "a.png"
    assert planned.exists
    assert not planned.renamed


def test_writing_into_the_source_folder_flags_the_original_as_existing(tmp_path):
    source = save(tmp_path / "a.png", asymmetric_rgb())

    (planned,) = plan_outputs([source], tmp_path, OutputFormat.SAME)

    assert planned.destination == source
    assert planned.exists


def transparent_bmp(folder: Path) -> Path:
    """A 32-bit BMP with an alpha mask (BITMAPV4HEADER), which Pillow reads as RGBA."""
    width, height = 6, 4
    rgba = np.dstack([samples.asymmetric_rgb(height, width), np.full((height, width), 100)])
    pixels = rgba.astype(np.uint8)[::-1][..., [2, 1, 0, 3]].tobytes()  # bottom-up BGRA
    info = struct.pack("<IiiHHIIiiII", 108, width, height, 1, 32, 3, len(pixels), 0, 0, 0, 0)
    masks = struct.pack("<IIII", 0x00FF0000, 0x0000FF00, 0x000000FF, 0xFF000000)
    header = info + masks + b"BGRs" + bytes(48)
    file_header = b"BM" + struct.pack(
        "<IHHI", 14 + len(header) + len(pixels), 0, 0, 14 + len(header)
    )
    path = folder / "clear.bmp"
    path.write_bytes(file_header + header + pixels)
    return path


@pytest.mark.parametrize(
    ("make", "expected"),
    [
        (lambda folder: animated_gif(folder / "anim.gif"), "anim.png"),
        (transparent_bmp, "clear.png"),
        (lambda folder: save(folder / "plain.bmp", asymmetric_rgb()), "plain.bmp"),
        (lambda folder: save(folder / "photo.jpeg", asymmetric_rgb(), format="JPEG"), "photo.jpeg"),
        (lambda folder: save(folder / "really.jpg", asymmetric_rgb(), format="PNG"), "really.png"),
        (lambda folder: save(folder / "scan.tif", asymmetric_rgb()), "scan.tif"),
    ],
    ids=["gif", "transparent-bmp", "bmp", "jpeg", "png-named-jpg", "tiff"],
)
def test_planned_name_is_the_file_the_writer_writes(tmp_path, make, expected):
    folder = tmp_path / "in"
    folder.mkdir()
    source = make(folder)
    out = tmp_path / "out"
    out.mkdir()

    (planned,) = plan_outputs([source], out, OutputFormat.SAME)
    written = write_image(read_image(source), planned.destination)

    assert planned.destination.name == expected
    assert written == planned.destination


def test_a_numbered_name_stays_within_255_bytes(tmp_path):
    stem = "xy" + "水印" * 41 + "a"  # 249 bytes: " (2)" needs a cut, inside a character
    sources = []
    for folder in ("dupA", "dupB"):
        (tmp_path / folder).mkdir()
        sources.append(save(tmp_path / folder / f"{stem}.png", asymmetric_rgb()))

    plan = plan_outputs(sources, tmp_path / "out", OutputFormat.SAME)

    second = plan[1].destination.name
    assert second.endswith(" (2).png")
    assert len(second.encode()) <= 255
    assert stem.startswith(second.removesuffix(" (2).png"))
