"""Finding text in a picture: the detector, its settings, and what it found."""

from __future__ import annotations

import enum
import logging
import time
from dataclasses import dataclass, field

import cv2
import numpy as np

from lamadesk.core.cancel import CancelToken, ProgressCallback, ignore_progress
from lamadesk.core.masks import Box
from lamadesk.core.models.ppocr.boxes import text_boxes
from lamadesk.core.models.ppocr.network import (
    OpenedNetwork,
    Precision,
    network_input,
    open_network,
    run_tiled,
    shrunk,
)
from lamadesk.core.models.ppocr.strokes import find_strokes
from lamadesk.core.models.ppocr.weights import PP_OCR_V6_DET_SMALL, locate_weights

log = logging.getLogger(__name__)

DETECTOR_LONG_SIDE = 2048
"""Long side the network sees. 16-px text on a 12 MP photo is missed at 1280 and 1600 px."""
COARSE_LONG_SIDE = 960
"""A second, coarse look for big pictures: in 1024-px tiles the network can miss thin
lettering taller than about 30 of its pixels, which it finds at 960 (measured)."""
DEFAULT_THREADS = 2


class SearchArea(enum.Enum):
    """Where to look, as a share of the picture; the UI and the CLI offer the same choices."""

    WHOLE = "whole"
    BOTTOM_BAND = "bottom"
    """The lowest quarter, full width: captions, credits."""
    BOTTOM_RIGHT = "bottom-right"
    """The lower right quarter: where cameras print the date."""
    BOTTOM_LEFT = "bottom-left"
    TOP_BAND = "top"

    def box(self, height: int, width: int) -> Box:
        """The area in pixels for a picture of this size."""
        half_h, half_w, quarter = height // 2, width // 2, height * 3 // 4
        return {
            SearchArea.WHOLE: Box(0, 0, height, width),
            SearchArea.BOTTOM_BAND: Box(quarter, 0, height, width),
            SearchArea.BOTTOM_RIGHT: Box(half_h, half_w, height, width),
            SearchArea.BOTTOM_LEFT: Box(half_h, 0, height, half_w),
            SearchArea.TOP_BAND: Box(0, 0, height // 4, width),
        }[self]


@dataclass(frozen=True)
class TextSettings:
    """How to search.

    Attributes:
        sensitivity: 0..1; higher finds fainter text and flags more non-text. 0.5 is tuned on
            the benchmark (docs/text-detection.md).
        region: Look only inside this box (pixels of the displayed picture), or this share of
            each picture (a batch of several sizes); None = everywhere.
    """

    sensitivity: float = 0.5
    region: Box | SearchArea | None = None

    def __post_init__(self) -> None:
        if not 0.0 <= self.sensitivity <= 1.0:
            raise ValueError(f"sensitivity must be within 0..1, not {self.sensitivity}")


DEFAULT_SETTINGS = TextSettings()


@dataclass(frozen=True, eq=False)
class TextRegion:
    """One text line found, with its own pixels, so a person can keep or drop it.

    Attributes:
        corners: (4, 2) float32 x, y corners of the (possibly rotated) line, image pixels.
        score: The network's mean confidence inside the line, 0..1.
        box: Where `pixels` sits in the image.
        pixels: (box.height, box.width) bool: the text's strokes, outline and shadow, grown 2 px.
        whole_box: The strokes could not be told from the background; `pixels` is the line's box.
    """

    corners: np.ndarray = field(repr=False)
    score: float
    box: Box
    pixels: np.ndarray = field(repr=False)
    whole_box: bool


@dataclass(frozen=True, eq=False)
class TextDetection:
    """Everything found in one picture.

    Attributes:
        regions: The text lines, best score first.
        mask: (H, W) bool, the union of every region's pixels (white = text).
        seconds: Time the detection took.
        engine: What ran the network: "openvino" or "opencv-dnn".
    """

    regions: tuple[TextRegion, ...]
    mask: np.ndarray = field(repr=False)
    seconds: float
    engine: str

    def mask_of(self, kept: tuple[TextRegion, ...]) -> np.ndarray:
        """The mask of only the regions a person kept (a subset of `regions`)."""
        return union_mask(kept, *self.mask.shape)


def union_mask(regions: tuple[TextRegion, ...], height: int, width: int) -> np.ndarray:
    """(height, width) bool: every region's pixels."""
    mask = np.zeros((height, width), bool)
    for region in regions:
        mask[region.box.slices()] |= region.pixels
    return mask


class TextDetector:
    """The loaded network; open once, then detect in as many pictures as needed.

    Not thread-safe: give each worker thread its own detector or run one job at a time.
    """

    def __init__(self, network: OpenedNetwork) -> None:
        self._network = network

    @classmethod
    def open(
        cls, threads: int = DEFAULT_THREADS, precision: Precision | None = None
    ) -> TextDetector:
        """Load the shipped weights (checksum verified) into OpenVINO, or OpenCV DNN.

        `precision` None computes in bfloat16 where the CPU does so natively (see network.py).

        Raises:
            TextDetectorWeightsError: The weights file is missing or altered.
            ModelLoadError: No engine can load it.
        """
        network = open_network(locate_weights(PP_OCR_V6_DET_SMALL), threads, precision)
        log.info("text detector on %s (%s)", network.engine, network.precision)
        return cls(network)

    @property
    def engine(self) -> str:
        """Which engine runs the network: "openvino" or "opencv-dnn"."""
        return self._network.engine

    @property
    def precision(self) -> Precision:
        """What the network computes in: "bf16" or "f32"."""
        return self._network.precision

    @property
    def fallback_reason(self) -> str | None:
        """Why OpenCV DNN runs the network instead of OpenVINO; None when it does not."""
        return self._network.fallback_reason

    def detect(
        self,
        rgb: np.ndarray,
        settings: TextSettings = DEFAULT_SETTINGS,
        *,
        token: CancelToken | None = None,
        on_progress: ProgressCallback = ignore_progress,
    ) -> TextDetection:
        """Find the text in an (H, W, 3) uint8 RGB picture (as `read_image` gives it).

        The network sees the picture (or `settings.region`) shrunk to `DETECTOR_LONG_SIDE`, so
        memory stays bounded for any picture size; the strokes are found at full resolution
        inside each line only.

        Raises:
            JobCancelled: `token` was cancelled.
            TextDetectorRunError: The network failed on this picture.
            ValueError: `rgb` is not (H, W, 3) uint8.
        """
        if rgb.dtype != np.uint8 or rgb.ndim != 3 or rgb.shape[2] != 3:
            raise ValueError(f"expected (H, W, 3) uint8 RGB, got {rgb.shape} {rgb.dtype}")
        started = time.perf_counter()
        height, width = rgb.shape[:2]
        area = _search_box(settings.region, height, width)
        on_progress(0, "finding text")
        regions: list[TextRegion] = []
        if area.height >= 1 and area.width >= 1:
            regions = self._regions(rgb, area, settings.sensitivity, token, on_progress)
        regions.sort(key=lambda region: -region.score)
        on_progress(100, "text found" if regions else "no text found")
        return TextDetection(
            tuple(regions),
            union_mask(tuple(regions), height, width),
            time.perf_counter() - started,
            self._network.engine,
        )

    def _probability(self, picture: np.ndarray) -> np.ndarray:
        """The network's text map at `DETECTOR_LONG_SIDE`, merged with a coarse look if big."""
        seen = shrunk(picture, DETECTOR_LONG_SIDE)
        fine = run_tiled(self._network.run, network_input(seen))
        if max(picture.shape[:2]) < 1.5 * COARSE_LONG_SIDE:
            return fine
        coarse = self._network.run(network_input(shrunk(seen, COARSE_LONG_SIDE)))[0, 0]
        size = (fine.shape[1], fine.shape[0])
        return np.maximum(fine, cv2.resize(coarse, size, interpolation=cv2.INTER_LINEAR))

    def _regions(
        self,
        rgb: np.ndarray,
        area: Box,
        sensitivity: float,
        token: CancelToken | None,
        on_progress: ProgressCallback,
    ) -> list[TextRegion]:
        picture = rgb[area.slices()]
        probability = self._probability(picture)
        if token is not None:
            token.raise_if_cancelled()
        on_progress(60, "tracing the letters")
        offset = np.array([area.left, area.top], np.float32)
        regions = []
        boxes = text_boxes(probability, area.height, area.width, sensitivity, min(rgb.shape[:2]))
        for scored in boxes:
            strokes = find_strokes(picture, scored.corners, sensitivity)
            if strokes is None:
                continue
            box = strokes.box
            placed = Box(
                box.top + area.top,
                box.left + area.left,
                box.bottom + area.top,
                box.right + area.left,
            )
            regions.append(
                TextRegion(
                    scored.corners + offset, scored.score, placed, strokes.pixels, strokes.whole_box
                )
            )
        if token is not None:
            token.raise_if_cancelled()
        return regions


def _search_box(region: Box | SearchArea | None, height: int, width: int) -> Box:
    """The region clipped to the picture."""
    if region is None:
        return Box(0, 0, height, width)
    if isinstance(region, SearchArea):
        return region.box(height, width)
    return Box(
        max(0, region.top),
        max(0, region.left),
        min(height, region.bottom),
        min(width, region.right),
    )
