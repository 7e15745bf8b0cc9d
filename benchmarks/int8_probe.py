"""Would an 8-bit copy of the text detector's network be worth shipping? (issue 15)

    pip install -e ".[bench]" "onnx>=1.17"
    python -m benchmarks.int8_probe [--out FILE.txt] [--save-int8 FILE.onnx]
    python -m benchmarks.int8_probe --int8 FILE.onnx     # a copy made elsewhere; no onnx needed
    python -m benchmarks.int8_probe --quality            # + the copy's rows of text_quality.py

The network is 80-90 % of a 12 MP detection's time, so ONNX Runtime's static int8
quantisation is the obvious way to speed it up. This probe makes that copy in a temporary
folder and compares it with the original on what decides whether it may replace it:

- fidelity: how far its probability map is from the original's, on held-out tiles;
- time: whole 12 MP detections, the two networks interleaved so load hits both alike;
- false alarms on the benchmark's text-free photos upscaled to 12 MP, and recall of 12 MP
  date stamps (the rows of benchmarks/text_quality.py most sensitive to the map).

Quantisation: opset 11 converted to 13 (per-channel DequantizeLinear needs it), QDQ format,
8-bit activations, per-channel 7-bit weights (`reduce_range`: 8-bit weights saturate on
x86 CPUs without VNNI, so results would differ on many desktop CPUs), MinMax ranges averaged
over tiles cut as the detector cuts them, from pictures and fonts the benchmark does not use.
"""

from __future__ import annotations

import argparse
import itertools
import shutil
import statistics
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import onnxruntime
import skimage.data
from PIL import Image, ImageDraw, ImageFont

from benchmarks.text_quality import (
    FREE_PHOTOS,
    STYLES,
    TEXT_PHOTOS,
    TWELVE_MP,
    photo,
    processor,
    quality,
    render,
    report,
)
from lamadesk.core.models.ppocr import TextDetector
from lamadesk.core.models.ppocr.detector import COARSE_LONG_SIDE, DETECTOR_LONG_SIDE
from lamadesk.core.models.ppocr.network import OpenedNetwork, network_input, run_tiled, shrunk
from lamadesk.core.models.ppocr.weights import PP_OCR_V6_DET_SMALL, locate_weights

CALIBRATION_PHOTOS = ("clock", "coins", "page", "text", "cell", "colorwheel", "logo")
"""scikit-image pictures that benchmarks/text_quality.py does not use."""
CALIBRATION_FONTS = (
    Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"),
    Path("/usr/share/fonts/truetype/dejavu/DejaVuSerif-Bold.ttf"),
    Path("/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf"),
    Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"),
)
CALIBRATION_LINES = ("2019-07-04 18:32", "© Family archive", "www.example.org", "家庭相册 一九九八")
TIMED_PHOTOS = ("chelsea", "stereo_motorcycle", "camera")
THREADS = 2


def tiles(seed: int) -> Iterator[np.ndarray]:
    """Network inputs as the detector makes them, from pictures with text drawn on them."""
    rng = np.random.default_rng(seed)
    pictures = [_rgb(getattr(skimage.data, name)()) for name in CALIBRATION_PHOTOS]
    pictures += [_colour_waves(rng, 1500, 2000) for _ in range(4)]
    fonts = [path for path in CALIBRATION_FONTS if path.exists()]
    for index, picture in enumerate(pictures):
        size = (2048, 1536) if index % 2 == 0 else (1536, 2048)
        big = np.asarray(Image.fromarray(picture).resize(size, Image.Resampling.BICUBIC))
        grainy = Image.fromarray(
            np.clip(big + rng.normal(0, 4, big.shape), 0, 255).astype(np.uint8)
        )
        _draw_lines(grainy, rng, fonts, index)
        seen = shrunk(np.asarray(grainy), DETECTOR_LONG_SIDE)
        cut: list[np.ndarray] = []
        run_tiled(lambda tile, kept=cut: _keep(tile, kept), network_input(seen))
        yield from cut
        yield network_input(shrunk(seen, COARSE_LONG_SIDE))


def _keep(tile: np.ndarray, kept: list[np.ndarray]) -> np.ndarray:
    kept.append(tile.copy())
    return np.zeros((1, 1, *tile.shape[2:]), np.float32)


def _rgb(picture: np.ndarray) -> np.ndarray:
    picture = picture.astype(np.uint8) * 255 if picture.dtype == bool else picture
    return np.stack([picture] * 3, -1) if picture.ndim == 2 else picture[..., :3]


def _colour_waves(rng: np.random.Generator, height: int, width: int) -> np.ndarray:
    """Smooth colour fields with grain: colours the grey scikit-image pictures lack."""
    y, x = np.mgrid[0:height, 0:width].astype(np.float32)
    channels = [
        np.sin(x / rng.uniform(80, 400) + rng.uniform(0, 6)) * np.cos(y / rng.uniform(80, 400))
        for _ in range(3)
    ]
    waves = (np.stack(channels, -1) * 0.5 + 0.5) * 255 + rng.normal(0, 12, (height, width, 3))
    return np.clip(waves, 0, 255).astype(np.uint8)


def _draw_lines(
    picture: Image.Image, rng: np.random.Generator, fonts: list[Path], index: int
) -> None:
    draw = ImageDraw.Draw(picture)
    width, height = picture.size
    for line in range(6):
        size = int(rng.choice([14, 20, 32, 60, 100]))
        font = (
            ImageFont.truetype(str(fonts[(index + line) % len(fonts)]), size)
            if fonts
            else ImageFont.load_default(size)
        )
        draw.text(
            (int(rng.uniform(0, width * 0.6)), int(rng.uniform(0, height * 0.9))),
            CALIBRATION_LINES[(index + line) % len(CALIBRATION_LINES)],
            fill=tuple(int(value) for value in rng.integers(0, 256, 3)),
            font=font,
            stroke_width=int(rng.choice([0, 0, 2])),
            stroke_fill=(0, 0, 0),
        )


def quantise(source: Path, folder: Path) -> Path:
    """The 8-bit copy of the network at `source`, written into `folder`."""
    # Imported here: a machine given a copy made elsewhere need not have onnx.
    import onnx
    from onnx import version_converter
    from onnxruntime.quantization import (
        CalibrationDataReader,
        CalibrationMethod,
        QuantFormat,
        QuantType,
        quantize_static,
    )
    from onnxruntime.quantization.shape_inference import quant_pre_process

    class Calibration(CalibrationDataReader):
        def __init__(self, input_name: str) -> None:
            self._input_name = input_name
            self._tiles = tiles(seed=7)

        def get_next(self) -> dict[str, np.ndarray] | None:
            tile = next(self._tiles, None)
            return None if tile is None else {self._input_name: tile}

    converted, prepared = folder / "opset13.onnx", folder / "prepared.onnx"
    target = folder / "int8.onnx"
    model = version_converter.convert_version(onnx.load(str(source)), 13)
    onnx.save(model, str(converted))
    # The network's symbolic shapes cannot be inferred; ONNX's own inference suffices.
    quant_pre_process(str(converted), str(prepared), skip_symbolic_shape=True)
    quantize_static(
        str(prepared),
        str(target),
        Calibration(model.graph.input[0].name),
        quant_format=QuantFormat.QDQ,
        per_channel=True,
        reduce_range=True,
        activation_type=QuantType.QUInt8,
        weight_type=QuantType.QInt8,
        calibrate_method=CalibrationMethod.MinMax,
        extra_options={"CalibMovingAverage": True},
    )
    return target


def session(path: Path) -> onnxruntime.InferenceSession:
    """A CPU session set up as lamadesk's own (network.open_network)."""
    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = THREADS
    options.inter_op_num_threads = 1
    options.add_session_config_entry("session.intra_op.allow_spinning", "0")
    return onnxruntime.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])


def detector(network: onnxruntime.InferenceSession) -> TextDetector:
    name = network.get_inputs()[0].name

    def run(tensor: np.ndarray) -> np.ndarray:
        return network.run(None, {name: tensor})[0]

    return TextDetector(OpenedNetwork(run, "onnxruntime"))


def fidelity(original: onnxruntime.InferenceSession, int8: onnxruntime.InferenceSession) -> str:
    """Mean |Δp| and agreement of the text pixels (p > 0.3) on 20 held-out tiles."""
    name = original.get_inputs()[0].name
    differences, both, either = [], 0, 0
    for tile in itertools.islice(tiles(seed=99), 0, 60, 3):
        reference = original.run(None, {name: tile})[0]
        quantised = int8.run(None, {name: tile})[0]
        differences.append(np.abs(quantised - reference).ravel())
        both += int(((reference > 0.3) & (quantised > 0.3)).sum())
        either += int(((reference > 0.3) | (quantised > 0.3)).sum())
    difference = np.concatenate(differences)
    return (
        f"mean |Δp| {difference.mean():.4f}, "
        f"99.9th percentile {np.quantile(difference, 0.999):.2f};"
        f" text pixels (p > 0.3) shared: {both / either:.3f} of either map's"
    )


def timing(detectors: dict[str, TextDetector]) -> list[str]:
    """Whole 12 MP detections with a 16- and a 48-px date stamp, interleaved, 3 each per photo."""
    wall: dict[str, list[float]] = {label: [] for label in detectors}
    cpu: dict[str, list[float]] = {label: [] for label in detectors}
    recalls: dict[str, list[float]] = {label: [] for label in detectors}
    for name in TIMED_PHOTOS:
        rgb, labels, _ = render(photo(name, *TWELVE_MP), STYLES[3], 1.0, sizes=(16, 48))
        for label, each in detectors.items():
            mask = each.detect(rgb).mask  # also the warm-up: recall is not timed
            recalls[label] += [float(mask[labels == index].mean()) for index in (1, 2)]
        for _ in range(3):
            for label, each in detectors.items():
                started = time.process_time()
                found = each.detect(rgb)
                wall[label].append(found.seconds)
                cpu[label].append(time.process_time() - started)
    rows = ["| network | 12 MP s (median, min-max) | CPU s (median) | date stamp recall (min) |"]
    rows.append("|---|---|---|---|")
    for label in detectors:
        rows.append(
            f"| {label} | {statistics.median(wall[label]):.2f} ({min(wall[label]):.2f}-"
            f"{max(wall[label]):.2f}) | {statistics.median(cpu[label]):.2f} "
            f"| {min(recalls[label]):.2f} |"
        )
    return rows


def false_alarms(detectors: dict[str, TextDetector]) -> list[str]:
    """Share of each text-free photo, upscaled to 12 MP, flagged by each network."""
    rows = ["| text-free photo, 12 MP | " + " | ".join(detectors) + " |"]
    rows.append("|---|" + "---|" * len(detectors))
    for name in FREE_PHOTOS:
        big = photo(name, *TWELVE_MP)
        shares = [f"{each.detect(big).mask.mean():.2%}" for each in detectors.values()]
        rows.append(f"| {name} | " + " | ".join(shares) + " |")
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path)
    parser.add_argument("--int8", type=Path, help="compare this 8-bit copy instead of making one")
    parser.add_argument("--save-int8", type=Path, help="keep the copy made here")
    parser.add_argument(
        "--quality", action="store_true", help="also text_quality.py's text rows for the copy"
    )
    args = parser.parse_args()
    source = locate_weights(PP_OCR_V6_DET_SMALL)
    lines = [
        f"# int8 probe of the text detector ({time.strftime('%Y-%m-%d %H:%M')})",
        f"onnxruntime {onnxruntime.__version__}, {THREADS} threads, {processor()}",
        "",
    ]
    with tempfile.TemporaryDirectory() as scratch:
        quantised = args.int8 or quantise(source, Path(scratch))
        if args.save_int8:
            shutil.copyfile(quantised, args.save_int8)
        sessions = {"original": session(source), "int8": session(quantised)}
        sizes = source.stat().st_size, quantised.stat().st_size
        lines.append(f"size: original {sizes[0]:,} B, int8 {sizes[1]:,} B")
        lines.append("fidelity: " + fidelity(sessions["original"], sessions["int8"]))
        detectors = {label: detector(network) for label, network in sessions.items()}
        lines += ["", *timing(detectors), "", *false_alarms(detectors), ""]
        if args.quality:
            quality(detectors["int8"], TEXT_PHOTOS, lines)
    report(lines, args.out)


if __name__ == "__main__":
    main()
