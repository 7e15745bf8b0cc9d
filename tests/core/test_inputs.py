"""Which images a command works on: files as named, folders' images, subfolders on request."""

import sys
from pathlib import Path

import pytest

from lamadesk.core.image_model import OutputFormat
from lamadesk.core.inputs import find_inputs
from lamadesk.core.output_names import plan_mask_outputs, plan_outputs


def touch(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"")
    return path


@pytest.fixture
def scans(tmp_path):
    """A family archive: loose scans, one folder per year, a NAS's thumbnails, a notes file."""
    root = tmp_path / "scans"
    for name in ("b.jpg", "a.png", "notes.txt", "1998/scan1.jpg", "1999/scan1.jpg"):
        touch(root / name)
    touch(root / "1999" / "Ostern ä" / "scan2.TIF")
    touch(root / "@eaDir" / "b.jpg" / "SYNOPHOTO_THUMB_M.jpg")
    touch(root / ".thumbnails" / "a.png")
    touch(root / "__MACOSX" / "._a.png")
    return root


def test_a_folder_gives_its_own_images_sorted_and_names_the_subfolders_it_did_not_search(scans):
    inputs = find_inputs([scans])
    assert inputs.files == (scans / "a.png", scans / "b.jpg")
    assert inputs.unsearched == (scans / "1998", scans / "1999")
    assert inputs.subfolders == {}


def test_recursive_search_finds_every_subfolders_images_and_remembers_where(scans):
    inputs = find_inputs([scans], recursive=True)
    assert inputs.files == (
        scans / "a.png",
        scans / "b.jpg",
        scans / "1998" / "scan1.jpg",
        scans / "1999" / "scan1.jpg",
        scans / "1999" / "Ostern ä" / "scan2.TIF",
    )
    assert inputs.subfolders[scans / "1999" / "Ostern ä" / "scan2.TIF"] == Path("1999/Ostern ä")
    assert scans / "a.png" not in inputs.subfolders
    assert inputs.unsearched == ()
    assert inputs.shown(scans / "1998" / "scan1.jpg") == "1998/scan1.jpg"
    assert inputs.shown(scans / "a.png") == "a.png"


def test_files_named_directly_are_kept_in_order_even_if_not_images(scans, tmp_path):
    named = [scans / "notes.txt", scans / "b.jpg"]
    assert find_inputs(named, recursive=True).files == tuple(named)


def test_the_output_folder_inside_the_input_folder_is_never_searched(scans):
    touch(scans / "cleaned" / "a.png")
    inputs = find_inputs([scans], recursive=True, skip=scans / "cleaned")
    assert not any("cleaned" in path.parts for path in inputs.files)
    assert scans / "cleaned" not in find_inputs([scans], skip=scans / "cleaned").unsearched


@pytest.mark.skipif(sys.platform == "win32", reason="folder links need privileges on Windows")
def test_a_link_to_a_parent_folder_is_not_followed(scans):
    (scans / "1998" / "loop").symlink_to(scans, target_is_directory=True)
    inputs = find_inputs([scans], recursive=True)
    assert len(inputs.files) == 5


def test_outputs_of_subfolders_keep_their_layout_so_equal_names_stay_apart(scans, tmp_path):
    inputs = find_inputs([scans], recursive=True)
    out = tmp_path / "out"
    planned = plan_outputs(inputs.files, out, OutputFormat.SAME, inputs.subfolders)
    destinations = [p.destination.relative_to(out).as_posix() for p in planned]
    assert destinations == [
        "a.png",
        "b.jpg",
        "1998/scan1.jpg",
        "1999/scan1.jpg",
        "1999/Ostern ä/scan2.TIF",
    ]
    assert not any(p.renamed for p in planned)
    masks = plan_mask_outputs(inputs.files, out, inputs.subfolders)
    assert masks[2].destination == out / "1998" / "scan1.mask.png"


def test_two_names_that_differ_only_in_case_in_one_subfolder_still_get_two_files(tmp_path):
    sources = [touch(tmp_path / "x" / "A.png"), touch(tmp_path / "y" / "a.png")]
    subfolders = {source: Path("same") for source in sources}
    planned = plan_outputs(sources, tmp_path / "out", OutputFormat.PNG, subfolders)
    assert [p.destination.name for p in planned] == ["A.png", "a (2).png"]
    assert planned[1].destination.parent == tmp_path / "out" / "same"


def test_files_lamadesk_wrote_beside_the_photos_are_left_out_of_a_folder_and_named(tmp_path):
    names = ("scan.jpg", "scan.clean.jpg", "scan.clean.png", "scan.mask.png", "scan.mask (2).png")
    for name in (*names, "1999/old.clean.webp", "mask.png", "clean.jpg", "scan.cleaned.jpg"):
        touch(tmp_path / name)
    inputs = find_inputs([tmp_path], recursive=True)
    assert [path.relative_to(tmp_path).as_posix() for path in inputs.files] == [
        "clean.jpg",
        "mask.png",
        "scan.cleaned.jpg",
        "scan.jpg",
    ]
    assert [path.relative_to(tmp_path).as_posix() for path in inputs.own_files] == [
        "scan.clean.jpg",
        "scan.clean.png",
        "scan.mask (2).png",
        "scan.mask.png",
        "1999/old.clean.webp",
    ]


def test_a_file_lamadesk_wrote_is_taken_when_it_is_named_itself(tmp_path):
    saved = touch(tmp_path / "scan.clean.jpg")
    inputs = find_inputs([saved])
    assert inputs.files == (saved,)
    assert inputs.own_files == ()
