"""Where the text detector's weights come from: a file inside the installed `rapidocr` wheel.

The PP-OCRv6 small detection network (Apache-2.0, © Baidu PaddleOCR, converted to ONNX by
RapidOCR) ships inside the `rapidocr` wheel on PyPI. lamadesk only reads that one file: it never
imports rapidocr's code (its OCR pipeline, downloads and configuration are not used), so the
frozen app carries the 9.9 MB file and its licences, not the package.
"""

from __future__ import annotations

import hashlib
import importlib.util
import sys
from dataclasses import dataclass
from pathlib import Path

from lamadesk.core.errors import ModelError

PACKAGE = "rapidocr"
"""The PyPI distribution (and import name) whose wheel carries the weights."""


@dataclass(frozen=True)
class DetectorWeights:
    """One known weights file: where it sits inside `PACKAGE` and what it must hash to."""

    name: str
    relative_path: str
    size: int
    sha256: str


PP_OCR_V6_DET_SMALL = DetectorWeights(
    name="PP-OCRv6_det_small",
    relative_path="models/PP-OCRv6_det_small.onnx",
    size=9_929_594,
    sha256="090f04abcd9d9a7498bc4ebf677e4cb9bdce1fe4197ddb7e529f1ef44e1ff94f",
)


class TextDetectorWeightsError(ModelError):
    """The detector's weights file is missing or not the expected file.

    Attributes:
        path: Where the file was looked for (None when `rapidocr` is not installed at all).
        reason: "missing" or "altered".
    """

    def __init__(self, path: Path | None, reason: str, detail: str) -> None:
        super().__init__(
            f"text detector weights {reason} ({detail}); reinstall lamadesk, or run "
            f"`pip install --force-reinstall {PACKAGE}==3.10.0`"
        )
        self.path = path
        self.reason = reason


def locate_weights(weights: DetectorWeights = PP_OCR_V6_DET_SMALL) -> Path:
    """The installed weights file, its size and checksum verified; nothing is downloaded.

    In a frozen build the file sits under the bundle folder (`sys._MEIPASS/rapidocr/...`);
    otherwise it is found through the import system without running rapidocr's code.

    Raises:
        TextDetectorWeightsError: The file is missing, or its size or sha256 differ.
    """
    path = _package_folder()
    if path is None:
        raise TextDetectorWeightsError(None, "missing", f"the {PACKAGE} package is not installed")
    path = path / weights.relative_path
    if not path.is_file():
        raise TextDetectorWeightsError(path, "missing", f"{path} does not exist")
    size = path.stat().st_size
    if size != weights.size:
        raise TextDetectorWeightsError(
            path, "altered", f"{path} has {size} bytes, expected {weights.size}"
        )
    digest = _sha256(path)
    if digest != weights.sha256:
        raise TextDetectorWeightsError(
            path, "altered", f"{path} has sha256 {digest}, expected {weights.sha256}"
        )
    return path


def _package_folder() -> Path | None:
    bundle = getattr(sys, "_MEIPASS", None)
    if getattr(sys, "frozen", False) and bundle is not None:
        return Path(bundle) / PACKAGE
    spec = importlib.util.find_spec(PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations)))


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()
