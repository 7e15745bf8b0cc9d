"""Running the detection network: OpenVINO when it imports, OpenCV's DNN module otherwise.

Both give the same probability map in 32-bit floats (max difference 3.5e-5, measured).
OpenVINO also computes in bfloat16 on CPUs that do so natively (AVX-512 BF16, AMX), which
halves the network's time with the same benchmark results (docs/text-detection.md); OpenCV
needs no extra library. Both are imported only when a detector is opened.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Literal

import cv2
import numpy as np

from lamadesk.core.errors import ModelError, ModelLoadError

log = logging.getLogger(__name__)

STRIDE = 32
"""The network's input sides must be multiples of this."""

RunNetwork = Callable[[np.ndarray], np.ndarray]
"""NCHW float32 input in, [1, 1, H, W] text probability out."""

Precision = Literal["bf16", "f32"]
"""What the network computes in: bfloat16 where the CPU has it natively, else 32-bit floats."""


class TextDetectorRunError(ModelError):
    """The detection network failed on a picture (e.g. out of memory); `engine` ran it."""

    def __init__(self, engine: str, reason: str) -> None:
        super().__init__(f"the text detector ({engine}) failed: {reason}")
        self.engine = engine
        self.reason = reason


@dataclass(frozen=True)
class OpenedNetwork:
    """A loaded network, ready to run, and which engine runs it.

    Attributes:
        run: Input tensor to probability map.
        engine: "openvino" or "opencv-dnn".
        precision: What it computes in.
        fallback_reason: Why OpenVINO was not used (None when it is).
    """

    run: RunNetwork
    engine: str
    precision: Precision = "f32"
    fallback_reason: str | None = None


def open_network(path: Path, threads: int, precision: Precision | None = None) -> OpenedNetwork:
    """Load the ONNX file with OpenVINO on the CPU, else with OpenCV.

    Args:
        path: The ONNX file.
        threads: CPU threads the network may use.
        precision: None: bfloat16 where the CPU computes it natively, else 32-bit floats.
            OpenCV computes in 32-bit whatever is asked.

    Raises:
        ModelLoadError: Neither engine can load the file.
    """
    try:
        openvino = import_openvino()
    except ImportError as exc:  # a broken install, or a DLL that Windows cannot load
        log.warning("openvino cannot be imported (%s); using OpenCV DNN", exc)
        return _open_opencv(path, threads, f"openvino cannot be imported: {exc}")
    try:
        core = openvino.Core()
        precision = precision or native_precision(core)
        config = {
            "INFERENCE_NUM_THREADS": threads,
            "PERFORMANCE_HINT": "LATENCY",
            "INFERENCE_PRECISION_HINT": precision,
            # By default OpenVINO keeps the kernels of every input shape it ran: 300 shapes
            # (a folder of scans of many sizes) grew it from 0.46 to 0.9 GB, and on. Without
            # that cache it stayed at 0.42 GB, and one size runs as fast (measured).
            "CPU_RUNTIME_CACHE_CAPACITY": 0,
        }
        request = core.compile_model(str(path), "CPU", config).create_infer_request()
    except Exception as exc:  # noqa: BLE001 - OpenVINO raises plain RuntimeErrors
        log.warning("openvino cannot load %s (%s); using OpenCV DNN", path, exc)
        return _open_opencv(path, threads, f"openvino cannot load the model: {exc}")

    def run(tensor: np.ndarray) -> np.ndarray:
        try:
            return request.infer(tensor, share_inputs=True)[0]
        except Exception as exc:
            raise TextDetectorRunError("openvino", str(exc)) from exc

    return OpenedNetwork(run, "openvino", precision)


def native_precision(core: object) -> Precision:
    """bfloat16 where OpenVINO's `core` says the CPU computes it natively, else 32-bit."""
    capabilities = core.get_property("CPU", "OPTIMIZATION_CAPABILITIES")
    return "bf16" if "BF16" in capabilities else "f32"


@dataclass(frozen=True)
class EngineFacts:
    """What a detector opened now would run on, for a bug report; nothing is compiled.

    Attributes:
        engine: "openvino" or "opencv-dnn".
        version: That library's version.
        precision: What the network would compute in.
        fallback_reason: Why OpenVINO would not run it (None when it would).
    """

    engine: str
    version: str
    precision: Precision
    fallback_reason: str | None = None


def engine_facts() -> EngineFacts:
    """Which engine would run the text detector here, and why OpenCV where it is OpenCV."""
    try:
        openvino = import_openvino()
        version = openvino.get_version().split("-")[0]  # 2026.4.1-22982-e213a147257-releases…
        return EngineFacts("openvino", version, native_precision(openvino.Core()))
    except ImportError as exc:
        reason = f"openvino cannot be imported: {exc}"
    except Exception as exc:  # noqa: BLE001 - OpenVINO raises plain RuntimeErrors
        reason = f"openvino cannot use the CPU: {exc}"
    return EngineFacts("opencv-dnn", cv2.__version__, "f32", reason)


def import_openvino() -> ModuleType:
    """OpenVINO's runtime without its model converter, imported only when a detector opens.

    `import openvino` also imports the converter, which sends a usage event to Google
    Analytics and writes a client id under the home folder unless the person opted out of
    OpenVINO's telemetry. lamadesk runs offline and converts nothing, so the converter is
    marked unimportable for this process; `openvino` skips it when it cannot be imported.

    Raises:
        ImportError: OpenVINO is not installed or its libraries cannot be loaded.
    """
    sys.modules.setdefault("openvino.tools.ovc", None)
    import openvino  # heavy: only when a detector is opened

    return openvino


def _open_opencv(path: Path, threads: int, reason: str) -> OpenedNetwork:
    try:
        net = cv2.dnn.readNetFromONNX(str(path))
    except cv2.error as exc:
        raise ModelLoadError(f"cannot load the text detector {path}: {exc}") from exc
    cv2.setNumThreads(threads)

    def run(tensor: np.ndarray) -> np.ndarray:
        try:
            net.setInput(tensor)
            return net.forward()
        except cv2.error as exc:
            raise TextDetectorRunError("opencv-dnn", str(exc)) from exc

    return OpenedNetwork(run, "opencv-dnn", "f32", reason)


def shrunk(rgb: np.ndarray, long_side: int) -> np.ndarray:
    """The picture shrunk so its long side is at most `long_side`, sides multiples of `STRIDE`.

    Only shrinks (upscaling small photos adds nothing the network can use); the aspect ratio
    changes by at most a few percent.
    """
    height, width = rgb.shape[:2]
    scale = min(1.0, long_side / max(height, width))
    size_h = max(STRIDE, round(height * scale / STRIDE) * STRIDE)
    size_w = max(STRIDE, round(width * scale / STRIDE) * STRIDE)
    if (size_h, size_w) == (height, width):
        return rgb
    interpolation = cv2.INTER_AREA if scale < 1 else cv2.INTER_LINEAR
    return cv2.resize(rgb, (size_w, size_h), interpolation=interpolation)


def network_input(rgb: np.ndarray) -> np.ndarray:
    """The picture (sides multiples of `STRIDE`) as the network wants it: BGR, [-1, 1], NCHW."""
    return cv2.dnn.blobFromImage(rgb, 2 / 255, mean=(127.5, 127.5, 127.5), swapRB=True)


TILE = 1056
"""Largest side the network sees at once. On a whole 2048-px picture with plain areas it
misses 16-24 px text that it finds in a 1024-px part of the same picture (measured): its
attention blocks average over the whole input. Two tiles of 1056 span 2048 with `OVERLAP`."""
OVERLAP = 64
"""Tiles overlap at least this much, so a line cut by one tile's edge is whole in its
neighbour (taller lines are found by the detector's coarse look)."""


def run_tiled(run: RunNetwork, tensor: np.ndarray) -> np.ndarray:
    """The (h, w) probability map of an NCHW input, computed in overlapping tiles, maxed."""
    height, width = tensor.shape[2:]
    if max(height, width) <= TILE:
        return run(tensor)[0, 0]
    probability = np.zeros((height, width), np.float32)
    rows, columns = _spans(height), _spans(width)
    for top, tile_h in rows:
        for left, tile_w in columns:
            part = tensor[:, :, top : top + tile_h, left : left + tile_w]
            found = run(np.ascontiguousarray(part))[0, 0]
            view = probability[top : top + tile_h, left : left + tile_w]
            np.maximum(view, found, out=view)
    return probability


def _spans(length: int) -> list[tuple[int, int]]:
    """(start, size) of the tiles along one side: as few and as small as `OVERLAP` allows.

    The network's time grows with the pixels it sees, so each side's tiles are only as long
    as covering it needs (a 1536-px side takes two of 800, not two of `TILE`).
    """
    if length <= TILE:
        return [(0, length)]
    count = -(-(length - OVERLAP) // (TILE - OVERLAP))
    size = min(TILE, -(-(length + (count - 1) * OVERLAP) // (count * STRIDE)) * STRIDE)
    step = (length - size) / (count - 1)
    return [(round(index * step / STRIDE) * STRIDE, size) for index in range(count)]
