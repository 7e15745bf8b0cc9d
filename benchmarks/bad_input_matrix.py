"""Run lamadesk-cli against a messy world and print one line per case: PASS, FAIL or SKIP.

The cases are what a photographer's folders and a flaky network throw at the tool: broken and
odd files, clashing names, two runs at once, a full disk, an interrupted run, junk model
weights, bad downloads. Each case builds its inputs in a scratch folder, runs the real
command line in a subprocess (or, for the network, the real download code against a server on
127.0.0.1), and checks what a person would check: exit code, which files exist, their pixels.

Usage: ``python benchmarks/bad_input_matrix.py [--only SUBSTRING]``; exit 0 when nothing
failed. The last committed run is ``benchmarks/results/bad-input-matrix.txt``.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import http.server
import io
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image, ImageCms

ROOT = Path(__file__).resolve().parent.parent
TIMEOUT_S = 300


@dataclass(frozen=True)
class Verdict:
    passed: bool
    detail: str


@dataclass(frozen=True)
class Run:
    code: int
    out: str
    err: str


class Scratch:
    """One case's folder, data folder and command runner."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.data = folder / "data"
        self.env = {**os.environ, "LAMADESK_DATA_DIR": str(self.data), "PYTHONUTF8": "1"}
        self.env.pop("LAMADESK_MODEL_URL", None)
        self.env["PYTHONPATH"] = os.pathsep.join(
            part for part in (str(ROOT), os.environ.get("PYTHONPATH", "")) if part
        )

    def path(self, *parts: str) -> Path:
        target = self.folder.joinpath(*parts)
        target.parent.mkdir(parents=True, exist_ok=True)
        return target

    def command(self, *args: object) -> list[str]:
        return [sys.executable, "-m", "lamadesk.cli", *map(str, args)]

    def cli(self, *args: object, **env: str) -> Run:
        done = subprocess.run(
            self.command(*args),
            capture_output=True,
            text=True,
            encoding="utf-8",
            env={**self.env, **env},
            timeout=TIMEOUT_S,
            check=False,
        )
        return Run(done.returncode, done.stdout, done.stderr)

    def start(self, *args: object) -> subprocess.Popen[str]:
        return subprocess.Popen(
            self.command(*args),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            encoding="utf-8",
            env=self.env,
        )


# -- inputs -------------------------------------------------------------------------------


def photo(height: int = 120, width: int = 160, seed: int = 0) -> np.ndarray:
    """Smooth gradients plus mild noise: JPEG keeps it close, every pixel is distinct enough."""
    y, x = np.mgrid[0:height, 0:width]
    base = np.dstack([x * 255 // (width - 1), y * 255 // (height - 1), (x + y) * 127 // width])
    noise = np.random.default_rng(seed).integers(-6, 7, size=base.shape)
    return np.clip(base + noise, 0, 255).astype(np.uint8)


def save(path: Path, picture: np.ndarray | Image.Image, **options: object) -> Path:
    image = Image.fromarray(picture) if isinstance(picture, np.ndarray) else picture
    image.save(path, **options)
    return path


def box_mask(height: int = 120, width: int = 160) -> np.ndarray:
    mask = np.zeros((height, width), bool)
    mask[40:70, 50:110] = True
    return mask


def mask_file(scratch: Scratch, mask: np.ndarray | None = None, name: str = "mask.png") -> Path:
    mask = box_mask() if mask is None else mask
    return save(scratch.path(name), mask.astype(np.uint8) * 255)


def pixels(path: Path) -> np.ndarray:
    with Image.open(path) as image:
        return np.asarray(image.convert("RGB"))


def untouched_equal(before: np.ndarray, after: np.ndarray, mask: np.ndarray, tol: float) -> bool:
    keep = ~grow(mask, 6)
    diff = np.abs(before.astype(int) - after.astype(int))[keep]
    return before.shape == after.shape and float(diff.mean()) <= tol


def grow(mask: np.ndarray, px: int) -> np.ndarray:
    grown = mask.copy()
    for _ in range(px):
        grown[1:] |= grown[:-1].copy()
        grown[:-1] |= grown[1:].copy()
        grown[:, 1:] |= grown[:, :-1].copy()
        grown[:, :-1] |= grown[:, 1:].copy()
    return grown


def changed_inside(before: np.ndarray, after: np.ndarray, mask: np.ndarray) -> bool:
    return before.shape == after.shape and not np.array_equal(before[mask], after[mask])


def files(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


def remove(scratch: Scratch, *inputs: object, out: Path, mask: Path, extra: tuple = ()) -> Run:
    return scratch.cli("remove", *inputs, "--mask", mask, "--out", out, "--model", "opencv", *extra)


def ok_and_clean(scratch: Scratch, source: Path, out_name: str, tol: float = 0.0) -> Verdict:
    out = scratch.folder / "out"
    run = remove(scratch, source, out=out, mask=mask_file(scratch))
    target = out / out_name
    if run.code != 0 or not target.exists():
        return Verdict(False, f"exit {run.code}, outputs {files(out)}: {last_line(run)}")
    before, after = pixels(source), pixels(target)
    if not untouched_equal(before, after, box_mask(), tol):
        return Verdict(False, "pixels outside the mask changed")
    if not changed_inside(before, after, box_mask()):
        return Verdict(False, "the masked area was not changed")
    return Verdict(True, f"written, untouched pixels kept; {notes(run) or 'no notes'}")


def fails_alone(scratch: Scratch, bad: Path, expected_words: tuple[str, ...]) -> Verdict:
    """A bad file next to a good one: the good one is written, the bad one named, exit 1."""
    good = save(scratch.path("in", "good.png"), photo())
    out = scratch.folder / "out"
    run = remove(scratch, good, bad, out=out, mask=mask_file(scratch))
    said = run.err.lower()
    if run.code != 1 or files(out) != ["good.png"]:
        return Verdict(False, f"exit {run.code}, outputs {files(out)}")
    if bad.name not in run.err or not all(word in said for word in expected_words):
        return Verdict(False, f"message lacks {expected_words}: {last_line(run)}")
    return Verdict(True, f"exit 1, good file written; {failed_line(run)}")


def last_line(run: Run) -> str:
    lines = [line for line in (run.err + run.out).splitlines() if line.strip()]
    return lines[-1].strip() if lines else "(no output)"


def failed_line(run: Run) -> str:
    for line in run.err.splitlines():
        if "FAILED" in line or line.startswith("error"):
            return line.strip()
    return last_line(run)


def notes(run: Run) -> str:
    return "; ".join(
        line.strip().removeprefix("note: ")
        for line in run.err.splitlines()
        if line.strip().startswith("note:")
    )


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# -- the cases ----------------------------------------------------------------------------

CASES: list[tuple[str, Callable[[Scratch], Verdict]]] = []


def case(name: str) -> Callable[[Callable[[Scratch], Verdict]], Callable[[Scratch], Verdict]]:
    def register(function: Callable[[Scratch], Verdict]) -> Callable[[Scratch], Verdict]:
        CASES.append((name, function))
        return function

    return register


@case("zero-byte file")
def _zero_byte(s: Scratch) -> Verdict:
    bad = s.path("in", "empty.jpg")
    bad.write_bytes(b"")
    return fails_alone(s, bad, ("empty",))


@case("truncated JPEG")
def _truncated_jpeg(s: Scratch) -> Verdict:
    bad = save(s.path("in", "cut.jpg"), photo(), quality=90)
    bad.write_bytes(bad.read_bytes()[: bad.stat().st_size // 2])
    return fails_alone(s, bad, ("truncated",))


@case("truncated PNG")
def _truncated_png(s: Scratch) -> Verdict:
    bad = save(s.path("in", "cut.png"), photo())
    bad.write_bytes(bad.read_bytes()[: bad.stat().st_size // 2])
    return fails_alone(s, bad, ("truncated",))


@case("random bytes named .jpg")
def _random_jpg(s: Scratch) -> Verdict:
    bad = s.path("in", "noise.jpg")
    bad.write_bytes(np.random.default_rng(1).bytes(5000))
    return fails_alone(s, bad, ("cannot read",))


@case("text file named .png")
def _text_png(s: Scratch) -> Verdict:
    bad = s.path("in", "notes.png")
    bad.write_text("this is not an image\n" * 20)
    return fails_alone(s, bad, ("cannot read",))


@case("decompression bomb (PNG claiming 100000x100000)")
def _bomb(s: Scratch) -> Verdict:
    import struct
    import zlib

    bad = save(s.path("in", "bomb.png"), photo(8, 8))
    data = bytearray(bad.read_bytes())
    data[16:24] = struct.pack(">II", 100_000, 100_000)
    data[29:33] = struct.pack(">I", zlib.crc32(bytes(data[12:29])))
    bad.write_bytes(bytes(data))
    return fails_alone(s, bad, ("too large",))


@case("16-bit RGB PNG keeps 16 bits outside the mask")
def _sixteen_bit(s: Scratch) -> Verdict:
    rng = np.random.default_rng(2)
    deep = (rng.integers(0, 65535, size=(120, 160, 3))).astype(np.uint16)
    source = s.path("in", "deep.png")
    _write_png16(source, deep)
    out = s.folder / "out"
    run = remove(s, source, out=out, mask=mask_file(s))
    target = out / "deep.png"
    if run.code != 0 or not target.exists():
        return Verdict(False, f"exit {run.code}: {last_line(run)}")
    import cv2

    written = cv2.imread(str(target), cv2.IMREAD_UNCHANGED)
    if written is None or written.dtype != np.uint16:
        return Verdict(False, "output is not 16-bit")
    keep = ~grow(box_mask(), 6)
    same = np.array_equal(written[..., ::-1][keep], deep[keep])
    return Verdict(same, "16-bit output, untouched pixels exact" if same else "pixels changed")


def _write_png16(path: Path, deep: np.ndarray) -> None:
    import cv2

    cv2.imwrite(str(path), deep[..., ::-1])


@case("16-bit grayscale PNG")
def _gray16(s: Scratch) -> Verdict:
    deep = (np.arange(120 * 160).reshape(120, 160) * 3).astype(np.uint16)
    source = save(s.path("in", "gray16.png"), Image.fromarray(deep))
    out = s.folder / "out"
    run = remove(s, source, out=out, mask=mask_file(s))
    target = out / "gray16.png"
    if run.code != 0 or not target.exists():
        return Verdict(False, f"exit {run.code}: {last_line(run)}")
    with Image.open(target) as written:
        mode, values = written.mode, np.asarray(written)
    keep = ~grow(box_mask(), 6)
    same = mode.startswith("I") and np.array_equal(values[keep], deep[keep])
    return Verdict(same, f"mode {mode}, untouched exact" if same else f"mode {mode}, changed")


@case("8-bit grayscale JPEG")
def _gray8(s: Scratch) -> Verdict:
    gray = photo()[..., 0]
    source = save(s.path("in", "gray.jpg"), gray, quality=95)
    verdict = ok_and_clean(s, source, "gray.jpg", tol=1.5)
    with Image.open(s.folder / "out" / "gray.jpg") as written:
        mode = written.mode
    return Verdict(verdict.passed and mode == "L", f"mode {mode}; {verdict.detail}")


@case("palette PNG with a transparent index")
def _palette(s: Scratch) -> Verdict:
    image = Image.fromarray(photo()).quantize(64)
    image.info["transparency"] = 0
    source = save(s.path("in", "pal.png"), image, transparency=0)
    return ok_and_clean(s, source, "pal.png", tol=0.0)


@case("RGBA PNG keeps alpha outside the mask")
def _rgba(s: Scratch) -> Verdict:
    alpha = np.full((120, 160), 255, np.uint8)
    alpha[:, :30] = 0
    source = save(s.path("in", "rgba.png"), np.dstack([photo(), alpha]))
    out = s.folder / "out"
    run = remove(s, source, out=out, mask=mask_file(s))
    if run.code != 0:
        return Verdict(False, last_line(run))
    with Image.open(out / "rgba.png") as written:
        kept = written.mode == "RGBA" and np.array_equal(np.asarray(written)[..., 3], alpha)
    return Verdict(kept, "alpha kept" if kept else "alpha lost")


@case("grey + alpha (LA) PNG")
def _la(s: Scratch) -> Verdict:
    image = Image.fromarray(np.dstack([photo()[..., 1], np.full((120, 160), 200, np.uint8)]), "LA")
    source = save(s.path("in", "la.png"), image)
    out = s.folder / "out"
    run = remove(s, source, out=out, mask=mask_file(s))
    if run.code != 0:
        return Verdict(False, last_line(run))
    with Image.open(out / "la.png") as written:
        mode = written.mode
    return Verdict(mode == "LA", f"written as {mode}")


@case("EXIF orientation 6 (phone photo)")
def _exif_rotation(s: Scratch) -> Verdict:
    upright = photo(160, 120)
    stored = np.rot90(upright, 1)  # what a sideways-held camera writes before rotation 6
    exif = Image.Exif()
    exif[0x0112] = 6
    source = save(s.path("in", "phone.jpg"), stored, quality=95, exif=exif.tobytes())
    mask = np.zeros((160, 120), bool)
    mask[20:50, 30:90] = True
    out = s.folder / "out"
    run = remove(s, source, out=out, mask=mask_file(s, mask))
    if run.code != 0:
        return Verdict(False, last_line(run))
    with Image.open(out / "phone.jpg") as written:
        size, orientation = written.size, written.getexif().get(0x0112, 1)
        after = np.asarray(written.convert("RGB"))
    with Image.open(source) as original:
        from PIL import ImageOps

        before = np.asarray(ImageOps.exif_transpose(original).convert("RGB"))
    right = size == (120, 160) and orientation == 1 and changed_inside(before, after, mask)
    return Verdict(right, f"upright {size}, orientation {orientation}, mask where drawn")


@case("CMYK JPEG without a profile")
def _cmyk_plain(s: Scratch) -> Verdict:
    source = save(s.path("in", "cmyk.jpg"), Image.fromarray(photo()).convert("CMYK"), quality=95)
    out = s.folder / "out"
    run = remove(s, source, out=out, mask=mask_file(s))
    return Verdict(run.code == 0 and bool(notes(run)), f"exit {run.code}; {notes(run)}")


@case("CMYK JPEG with an ICC profile: colours kept")
def _cmyk_icc(s: Scratch) -> Verdict:
    profile = _cmyk_profile()
    if profile is None:
        return Verdict(False, "no CMYK profile found in tests/")
    rgb = Image.fromarray(photo())
    to_cmyk = ImageCms.buildTransform(
        ImageCms.createProfile("sRGB"), ImageCms.ImageCmsProfile(io.BytesIO(profile)), "RGB", "CMYK"
    )
    cmyk = ImageCms.applyTransform(rgb, to_cmyk)
    source = save(s.path("in", "print.jpg"), cmyk, quality=95, icc_profile=profile)
    out = s.folder / "out"
    run = remove(s, source, out=out, mask=mask_file(s))
    if run.code != 0:
        return Verdict(False, last_line(run))
    before, after = _as_srgb(source), _as_srgb(out / "print.jpg")
    keep = ~grow(box_mask(), 6)
    mean = float(np.abs(before.astype(int) - after.astype(int))[keep].mean())
    return Verdict(
        mean < 0.5, f"mean difference {mean:.2f} levels viewed colour-managed; {notes(run)}"
    )


def _cmyk_profile() -> bytes | None:
    for candidate in sorted((ROOT / "tests").rglob("*.ic[cm]")):
        with contextlib.suppress(OSError, ImageCms.PyCMSError):
            profile = ImageCms.ImageCmsProfile(str(candidate))
            if profile.profile.xcolor_space.strip() == "CMYK":
                return candidate.read_bytes()
    return None


def _as_srgb(path: Path) -> np.ndarray:
    with Image.open(path) as image:
        image.load()
        icc = image.info.get("icc_profile")
        if icc:
            source = ImageCms.ImageCmsProfile(io.BytesIO(icc))
            return np.asarray(
                ImageCms.profileToProfile(
                    image, source, ImageCms.createProfile("sRGB"), outputMode="RGB"
                )
            )
        return np.asarray(image.convert("RGB"))


@case("non-ASCII folder and file names")
def _non_ascii(s: Scratch) -> Verdict:
    source = save(s.path("照片 Été", "海边 café.png"), photo())
    out = s.folder / "输出"
    run = remove(s, source, out=out, mask=mask_file(s, name="蒙版.png"))
    return Verdict(
        run.code == 0 and files(out) == ["海边 café.png"], f"exit {run.code}, {files(out)}"
    )


@case("animated GIF")
def _gif(s: Scratch) -> Verdict:
    frames = [Image.fromarray(photo(seed=i)) for i in range(3)]
    source = s.path("in", "anim.gif")
    frames[0].save(source, save_all=True, append_images=frames[1:], duration=100)
    return _converted(s, source)


@case("32-bit float TIFF")
def _float_tiff(s: Scratch) -> Verdict:
    values = photo()[..., 0].astype(np.float32) / 255
    return _converted(s, save(s.path("in", "float.tif"), Image.fromarray(values, mode="F")))


@case("1-bit PNG")
def _one_bit(s: Scratch) -> Verdict:
    return _converted(s, save(s.path("in", "bits.png"), Image.fromarray(photo()[..., 0] > 128)))


def _converted(s: Scratch, source: Path) -> Verdict:
    """An odd mode is written, and what was converted on the way is said in a note."""
    out = s.folder / "out"
    run = remove(s, source, out=out, mask=mask_file(s))
    right = run.code == 0 and bool(files(out)) and bool(notes(run))
    return Verdict(right, f"exit {run.code}, {files(out)}; {notes(run)}")


@case("empty mask copies the image unchanged, with a warning")
def _empty_mask(s: Scratch) -> Verdict:
    source = save(s.path("in", "a.png"), photo())
    out = s.folder / "out"
    run = remove(s, source, out=out, mask=mask_file(s, np.zeros((120, 160), bool)))
    same = (out / "a.png").exists() and np.array_equal(pixels(out / "a.png"), photo())
    return Verdict(
        run.code == 0 and same and "empty" in run.err,
        last_line(run) if not same else "copied unchanged, warned",
    )


@case("mask of another size is scaled, with a note")
def _mask_scaled(s: Scratch) -> Verdict:
    source = save(s.path("in", "a.png"), photo())
    big = np.kron(box_mask(), np.ones((2, 2), bool))
    run = remove(s, source, out=s.folder / "out", mask=mask_file(s, big))
    return Verdict(run.code == 0 and "scaled" in notes(run), notes(run) or last_line(run))


@case("folder with non-images and a subfolder")
def _messy_folder(s: Scratch) -> Verdict:
    save(s.path("in", "a.png"), photo())
    s.path("in", "readme.txt").write_text("hello")
    save(s.path("in", "sub", "b.png"), photo())
    out = s.folder / "out"
    run = remove(s, s.folder / "in", out=out, mask=mask_file(s))
    return Verdict(run.code == 0 and files(out) == ["a.png"], f"exit {run.code}, {files(out)}")


@case("full disk: clear error, no partial file")
def _full_disk(s: Scratch) -> Verdict:
    mount = s.folder / "tiny"
    mount.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(mount)],
        capture_output=True,
        check=False,
    )
    if mounted.returncode != 0:
        return Verdict(True, "SKIP: cannot mount a small tmpfs here")
    try:
        big = np.random.default_rng(4).integers(0, 256, size=(400, 400, 3), dtype=np.uint8)
        source = save(s.path("in", "big.png"), big)
        run = remove(s, source, out=mount, mask=mask_file(s, np.zeros((400, 400), bool)))
        left = [p.name for p in mount.iterdir()]
        right = run.code == 1 and not left and "full" in run.err
        return Verdict(right, f"exit {run.code}, left behind {left}; {failed_line(run)}")
    finally:
        subprocess.run(["umount", str(mount)], check=False)


@case("read-only output folder")
def _read_only(s: Scratch) -> Verdict:
    """A folder nobody may write to: a read-only mount as root (root ignores mode bits)."""
    out = s.path("out", "x").parent
    source = save(s.path("in", "a.png"), photo())
    if os.geteuid() != 0:
        out.chmod(0o555)
        try:
            run = remove(s, source, out=out, mask=mask_file(s))
        finally:
            out.chmod(0o755)
        return Verdict(run.code == 1 and "permission" in run.err, failed_line(run))
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "ro,size=64k", "tmpfs", str(out)],
        capture_output=True,
        check=False,
    )
    if mounted.returncode != 0:
        return Verdict(True, "SKIP: cannot mount a read-only tmpfs here")
    try:
        run = remove(s, source, out=out, mask=mask_file(s))
        said = run.err.lower()
        right = run.code == 1 and not files(out) and "a.png" in run.err and "read-only" in said
        return Verdict(right, failed_line(run))
    finally:
        subprocess.run(["umount", str(out)], check=False)


@case("output folder is the input folder: original kept")
def _into_source_folder(s: Scratch) -> Verdict:
    source = save(s.path("in", "a.png"), photo())
    before = sha(source)
    run = remove(s, source, out=source.parent, mask=mask_file(s))
    return Verdict(
        run.code == 1 and sha(source) == before, f"original unchanged; {failed_line(run)}"
    )


@case("--overwrite replaces an original in place, whole")
def _overwrite_original(s: Scratch) -> Verdict:
    source = save(s.path("in", "a.png"), photo())
    run = remove(s, source, out=source.parent, mask=mask_file(s), extra=("--overwrite",))
    after = pixels(source)
    right = run.code == 0 and changed_inside(photo(), after, box_mask())
    return Verdict(
        right, f"exit {run.code}, stray files {[n for n in files(source.parent) if n != 'a.png']}"
    )


@case("two runs into one folder at once")
def _concurrent(s: Scratch) -> Verdict:
    # Big PNGs make encoding slow, which widens the gap between "is the name free?" and
    # publishing the file: the gap two runs in lockstep fall into.
    names = [f"img{i:02d}.png" for i in range(8)]
    noise = np.random.default_rng(9)
    for name in names:
        save(s.path("in", name), noise.integers(0, 256, size=(900, 1200, 3), dtype=np.uint8))
    out = s.folder / "out"
    masks = (mask_file(s, name="m1.png"), mask_file(s, grow(box_mask(), 3), name="m2.png"))
    runs = [
        s.start("remove", s.folder / "in", "--mask", m, "--out", out, "--model", "opencv")
        for m in masks
    ]
    results = [proc.communicate(timeout=TIMEOUT_S) for proc in runs]
    claimed = [
        {name for name in names if f"{name} -> " in err or f"/{name} (" in err}
        for _, err in results
    ]
    overlap = claimed[0] & claimed[1]
    right = files(out) == names and not overlap and len(claimed[0] | claimed[1]) == len(names)
    return Verdict(
        right,
        f"{len(files(out))} files; run 1 wrote {len(claimed[0])}, run 2 wrote {len(claimed[1])}, "
        f"both said done for {len(overlap)}",
    )


@case("one batch: same name from two folders, --overwrite")
def _dup_names(s: Scratch) -> Verdict:
    a = save(s.path("dupA", "x.png"), photo(seed=1))
    b = save(s.path("dupB", "x.png"), photo(seed=2))
    out = s.folder / "out"
    run = remove(s, a, b, out=out, mask=mask_file(s), extra=("--overwrite",))
    return Verdict(run.code == 0 and len(files(out)) == 2, f"{files(out)}; {notes(run)}")


@case("one batch: a.jpg and a.png with --format png")
def _dup_suffix(s: Scratch) -> Verdict:
    save(s.path("in", "a.jpg"), photo(seed=1), quality=95)
    save(s.path("in", "a.png"), photo(seed=2))
    out = s.folder / "out"
    run = remove(s, s.folder / "in", out=out, mask=mask_file(s), extra=("--format", "png"))
    return Verdict(run.code == 0 and len(files(out)) == 2, f"{files(out)}; {notes(run)}")


@case("file name of 250 bytes")
def _long_name(s: Scratch) -> Verdict:
    return _kept_name(s, "p" * 246 + ".png")


@case("Chinese file name of 83 characters (249 bytes)")
def _long_chinese(s: Scratch) -> Verdict:
    return _kept_name(s, "海" * 81 + ".png")


def _kept_name(s: Scratch, name: str) -> Verdict:
    """A name near the file system's 255-byte limit is written under the same name."""
    source = save(s.path("in", name), photo())
    out = s.folder / "out"
    run = remove(s, source, out=out, mask=mask_file(s))
    return Verdict(run.code == 0 and files(out) == [name], f"exit {run.code}; {last_line(run)}")


@case("a killed save's leftover temp file is cleared by the next run")
def _killed(s: Scratch) -> Verdict:
    out = s.path("out", "x").parent
    source = save(s.path("in", "a.png"), photo())
    # What a killed writer leaves: a temp file of ours, from before this run.
    probe = remove(s, source, out=s.folder / "probe", mask=mask_file(s))
    prefix = _temp_prefix()
    if prefix is None or probe.code != 0:
        return Verdict(False, "cannot tell lamadesk's temp-file prefix")
    stale = out / f"{prefix}deadbeef.tmp"
    stale.write_bytes(b"half a picture")
    past = time.time() - 3600
    os.utime(stale, (past, past))
    run = remove(s, source, out=out, mask=mask_file(s))
    return Verdict(run.code == 0 and files(out) == ["a.png"], f"left in folder: {files(out)}")


def _temp_prefix() -> str | None:
    sys.path.insert(0, str(ROOT))
    from lamadesk.core import paths

    return getattr(paths, "TEMP_PREFIX", None)


@case("full mask with OpenCV is not 'done' unchanged")
def _full_mask(s: Scratch) -> Verdict:
    source = save(s.path("in", "a.png"), photo())
    out = s.folder / "out"
    full = np.ones((120, 160), bool)
    run = remove(s, source, out=out, mask=mask_file(s, full), extra=("--allow-large-mask",))
    unchanged = (out / "a.png").exists() and np.array_equal(pixels(out / "a.png"), photo())
    right = run.code != 0 and not unchanged and "unrecognized" not in run.err
    return Verdict(right, f"exit {run.code}; {failed_line(run)}")


@case("mask over 90 % is refused without --allow-large-mask")
def _large_mask(s: Scratch) -> Verdict:
    source = save(s.path("in", "a.png"), photo())
    mask = np.ones((120, 160), bool)
    mask[:5, :5] = False
    out = s.folder / "out"
    run = remove(s, source, out=out, mask=mask_file(s, mask))
    return Verdict(
        run.code == 2 and not files(out) and "--allow-large-mask" in run.err, last_line(run)
    )


@case("RGBA mask: white strokes on transparent white")
def _rgba_white(s: Scratch) -> Verdict:
    return _alpha_mask(s, stroke=255)


@case("RGBA mask: black strokes on transparent black")
def _rgba_black(s: Scratch) -> Verdict:
    return _alpha_mask(s, stroke=0)


def _alpha_mask(s: Scratch, stroke: int) -> Verdict:
    alpha = box_mask().astype(np.uint8) * 255
    colour = np.full((120, 160, 3), stroke, np.uint8)
    mask = save(s.path("mask.png"), np.dstack([colour, alpha]))
    source = save(s.path("in", "a.png"), photo())
    out = s.folder / "out"
    run = remove(s, source, out=out, mask=mask, extra=("--allow-large-mask",))
    if run.code != 0:
        return Verdict(False, last_line(run))
    after = pixels(out / "a.png")
    right = untouched_equal(photo(), after, box_mask(), 0) and changed_inside(
        photo(), after, box_mask()
    )
    return Verdict(right, "only the strokes removed" if right else "wrong area removed")


@case("--format jpg on RGBA says alpha was flattened")
def _rgba_to_jpg(s: Scratch) -> Verdict:
    alpha = np.full((120, 160), 255, np.uint8)
    alpha[:, :20] = 0
    source = save(s.path("in", "a.png"), np.dstack([photo(), alpha]))
    run = remove(s, source, out=s.folder / "out", mask=mask_file(s), extra=("--format", "jpg"))
    said = notes(run).lower()
    return Verdict(
        run.code == 0 and ("transparen" in said or "alpha" in said), notes(run) or last_line(run)
    )


@case("16-bit written as JPEG says it is 8-bit")
def _deep_to_jpg(s: Scratch) -> Verdict:
    source = s.path("in", "deep.png")
    _write_png16(
        source, (np.random.default_rng(5).integers(0, 65535, (120, 160, 3))).astype(np.uint16)
    )
    run = remove(s, source, out=s.folder / "out", mask=mask_file(s), extra=("--format", "jpg"))
    said = notes(run)
    right = run.code == 0 and "8 bits" in said and "keep 16 bits" not in said
    return Verdict(right, said or last_line(run))


@case("rerun after Ctrl-C with --skip-existing")
def _rerun(s: Scratch) -> Verdict:
    for i in range(6):
        save(s.path("in", f"p{i}.png"), photo(300, 400, seed=i))
    out = s.folder / "out"
    mask = mask_file(s, np.kron(box_mask(), np.ones((3, 3), bool))[:300, :400])
    proc = s.start("remove", s.folder / "in", "--mask", mask, "--out", out, "--model", "opencv")
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and len(files(out)) < 2:
        time.sleep(0.01)
    proc.send_signal(signal.SIGINT)
    _, first_err = proc.communicate(timeout=TIMEOUT_S)
    finished = files(out)
    rerun = remove(s, s.folder / "in", out=out, mask=mask, extra=("--skip-existing",))
    right = (
        proc.returncode == 130
        and "not started" in first_err
        and rerun.code == 0
        and len(files(out)) == 6
        and "skipped" in rerun.err
    )
    return Verdict(
        right,
        f"first run exit {proc.returncode} after {len(finished)} files; "
        f"rerun exit {rerun.code}: {last_line(rerun)}",
    )


# -- model weights ------------------------------------------------------------------------


def _install_random_lama(s: Scratch) -> Path:
    """A random-weight model of big-lama's real architecture, installed with --force."""
    weights = s.folder / "random-big-lama.pt"
    if not weights.exists():
        subprocess.run(
            [sys.executable, "-m", "tools.make_test_model", str(weights)],
            env=s.env,
            cwd=ROOT,
            check=True,
            capture_output=True,
        )
    run = s.cli("models", "import", "lama", weights, "--force")
    if run.code != 0:
        raise RuntimeError(f"cannot install a random-weight big-lama: {last_line(run)}")
    return s.data / "models" / "big-lama.pt"


def _lama_remove(s: Scratch) -> Run:
    source = save(s.path("in", "a.png"), photo(64, 64))
    mask = np.zeros((64, 64), bool)
    mask[20:40, 20:40] = True
    return s.cli(
        "remove", source, "--mask", mask_file(s, mask), "--out", s.folder / "out", "--model", "lama"
    )


@case("installed LaMa with 4 KB of random bytes inside")
def _damaged_weights(s: Scratch) -> Verdict:
    installed = _install_random_lama(s)
    recorded = installed.stat()
    data = bytearray(installed.read_bytes())
    middle = len(data) // 2
    data[middle : middle + 4096] = np.random.default_rng(6).bytes(4096)
    installed.write_bytes(bytes(data))
    # Bit rot keeps size and time: the store's own record still vouches for the file.
    os.utime(installed, ns=(recorded.st_atime_ns, recorded.st_mtime_ns))
    run = _lama_remove(s)
    said = run.err.lower()
    right = (
        run.code != 0
        and "big-lama.pt" in run.err
        and "damaged" in said
        and ("download" in said or "import" in said)
        and "torchscript instead" not in said
    )
    return Verdict(right, f"exit {run.code}; {last_line(run)}")


@case("import --force of a one-conv TorchScript is refused")
def _wrong_arch(s: Scratch) -> Verdict:
    import torch

    wrong = s.folder / "wrong_arch.pt"
    with contextlib.redirect_stderr(io.StringIO()):
        torch.jit.save(torch.jit.script(torch.nn.Conv2d(4, 3, 1)), str(wrong))
    run = s.cli("models", "import", "lama", wrong, "--force")
    installed = s.data / "models" / "big-lama.pt"
    return Verdict(run.code != 0 and not installed.exists(), last_line(run))


@case("import --force of random bytes keeps the working model")
def _junk_import(s: Scratch) -> Verdict:
    installed = _install_random_lama(s)
    before = sha(installed)
    junk = s.folder / "random.bin"
    junk.write_bytes(np.random.default_rng(7).bytes(300_000))
    run = s.cli("models", "import", "lama", junk, "--force")
    return Verdict(run.code != 0 and sha(installed) == before, f"exit {run.code}; {last_line(run)}")


@case("corrupt manifest.json: a good model is not called incomplete")
def _corrupt_manifest(s: Scratch) -> Verdict:
    _install_random_lama(s)
    (s.data / "models" / "manifest.json").write_text("{ not json")
    listing = s.cli("models", "list")
    run = _lama_remove(s)
    right = "incomplete" not in (listing.out + run.err) and run.code == 0
    return Verdict(right, f"list: {listing.out.strip()}; remove exit {run.code}")


# -- downloads ----------------------------------------------------------------------------


@contextlib.contextmanager
def serving(answer: Callable[[http.server.BaseHTTPRequestHandler], None]) -> Iterator[str]:
    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                answer(self)

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/big-lama.pt"
    finally:
        server.shutdown()
        server.server_close()


def _download(s: Scratch, url: str) -> Run:
    return s.cli("models", "download", "lama", "--url", url)


@case("download: HTML page without Content-Length keeps nothing")
def _html(s: Scratch) -> Verdict:
    def answer(handler: http.server.BaseHTTPRequestHandler) -> None:
        handler.send_response(200)
        handler.send_header("Content-Type", "text/html; charset=utf-8")
        handler.end_headers()
        handler.wfile.write(b"<html><body>Please log in</body></html>" * 10)

    with serving(answer) as url:
        run = _download(s, url)
    left = files(s.data / "models")
    return Verdict(
        run.code == 1 and not any(n.endswith(".part") for n in left),
        f"left {left}; {last_line(run)}",
    )


@case("download: HTTP 404")
def _not_found(s: Scratch) -> Verdict:
    with serving(lambda handler: handler.send_error(404)) as url:
        run = _download(s, url)
    return Verdict(run.code == 1 and "404" in run.err, last_line(run))


@case("download: connection refused names the import command")
def _refused(s: Scratch) -> Verdict:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    run = _download(s, f"http://127.0.0.1:{port}/big-lama.pt")
    return Verdict(run.code == 1 and "models import" in run.err, last_line(run))


@case("download: dropped connection keeps the .part for resuming")
def _dropped(s: Scratch) -> Verdict:
    sys.path.insert(0, str(ROOT))
    from lamadesk.core.models.lama.spec import LAMA

    head = _zip_body(100_000)

    def answer(handler: http.server.BaseHTTPRequestHandler) -> None:
        handler.send_response(200)
        handler.send_header("Content-Type", "application/octet-stream")
        handler.send_header("Content-Length", str(LAMA.size_bytes))
        handler.send_header("ETag", '"v1"')
        handler.end_headers()
        handler.wfile.write(head)

    with serving(answer) as url:
        run = s.cli("models", "download", "lama", "--url", url)
    part = s.data / "models" / "big-lama.pt.part"
    size = part.stat().st_size if part.exists() else 0
    return Verdict(run.code == 1 and size > 0, f"kept {size} bytes; {last_line(run)}")


def _zip_body(size: int) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
        archive.writestr("archive/data.pkl", np.random.default_rng(8).bytes(size))
    return buffer.getvalue()


@case("download: a server that hangs times out")
def _hung(s: Scratch) -> Verdict:
    sys.path.insert(0, str(ROOT))
    from lamadesk.core.download import download_file
    from lamadesk.core.errors import LamadeskError

    release = threading.Event()

    def answer(handler: http.server.BaseHTTPRequestHandler) -> None:
        release.wait(10)

    started = time.monotonic()
    with serving(answer) as url:
        try:
            download_file(
                url, s.path("big-lama.pt"), model="lama", expected_md5="0" * 32, timeout=1.0
            )
        except LamadeskError as exc:
            message = str(exc)
        else:
            message = ""
        finally:
            release.set()
    seconds = time.monotonic() - started
    return Verdict(bool(message) and seconds < 5, f"{seconds:.1f} s: {message}")


# -- runner -------------------------------------------------------------------------------


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", default="", help="run the cases whose name contains this")
    args = parser.parse_args()
    chosen = [(name, run) for name, run in CASES if args.only.lower() in name.lower()]
    failed = skipped = 0
    started = time.monotonic()
    for name, run in chosen:
        folder = Path(tempfile.mkdtemp(prefix="lamadesk-matrix-"))
        try:
            verdict = run(Scratch(folder))
        except Exception as exc:  # noqa: BLE001 - a crashing case is a failed case
            verdict = Verdict(False, f"{type(exc).__name__}: {exc}")
        finally:
            shutil.rmtree(folder, ignore_errors=True)
        word = (
            "SKIP" if verdict.detail.startswith("SKIP") else ("PASS" if verdict.passed else "FAIL")
        )
        failed += not verdict.passed
        skipped += word == "SKIP"
        print(f"{word}  {name}: {verdict.detail}", flush=True)
    passed = len(chosen) - failed - skipped
    seconds = time.monotonic() - started
    print(f"{passed} passed, {failed} failed, {skipped} skipped ({seconds:.0f} s)")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
