"""The LaMa backend running the TorchScript file big-lama.pt, as IOPaint does.

Kept as a fallback for the native model and as the reference the benchmark compares with.
"""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np
import torch

from lamadesk.core.errors import ModelLoadError
from lamadesk.core.models.base import InpaintBackend
from lamadesk.core.models.lama.tensors import (
    out_of_memory_as_error,
    to_model_inputs,
    to_uint8_image,
)
from lamadesk.core.models.lama.weights import check_archive_intact


def load_torchscript(path: Path, device: torch.device) -> torch.jit.ScriptModule:
    """Load a TorchScript archive; PyTorch ≥ 2.14 deprecates this, hence the fallback role.

    Raises:
        ModelArchiveError: A member fails its CRC (``torch.jit.load`` would run it anyway).
        ModelLoadError: TorchScript cannot load the file.
    """
    check_archive_intact(path)
    try:
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", message=r".*torch\.jit\.load.*is deprecated")
            module = torch.jit.load(str(path), map_location=device)
    except (RuntimeError, ValueError, OSError) as exc:
        raise ModelLoadError(path, str(exc).splitlines()[0]) from exc
    module.eval()
    return module


class TorchScriptLama:
    """Runs a TorchScript model with IOPaint's contract: (image, mask) in [0, 1] → image."""

    name = "lama"

    def __init__(self, model_path: Path, device: str) -> None:
        self._path = model_path
        self._device = torch.device(device)
        self.device = str(self._device)
        self._module = load_torchscript(model_path, self._device)

    def inpaint(self, image: np.ndarray, mask: np.ndarray) -> np.ndarray:
        height, width = mask.shape
        with torch.inference_mode(), out_of_memory_as_error(self._device):
            image_t, mask_t = to_model_inputs(image, mask, self._device)
            output = self._module(image_t, mask_t)
            return to_uint8_image(output, height, width)

    def release_memory(self) -> None:
        if self._device.type == "cuda":
            torch.cuda.empty_cache()

    def on_cpu(self) -> InpaintBackend:
        return self if self._device.type == "cpu" else TorchScriptLama(self._path, "cpu")
