"""The LaMa backend running lamadesk's own big-lama implementation (the default engine).

Weights come straight out of big-lama.pt without TorchScript. Speed-ups are chosen per
device (`FastPath`): half-precision convolutions with the Fourier units kept in float32,
channels-last memory, and on CUDA a graph replay of the whole step once a size repeats.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from enum import Enum
from pathlib import Path

import numpy as np
import torch

from lamadesk.core.backends.base import InpaintBackend
from lamadesk.core.backends.cuda_graph import GraphCache
from lamadesk.core.backends.torch_tensors import (
    check_free_memory,
    out_of_memory_as_error,
    padding_for,
    to_model_inputs,
    to_uint8_image,
)
from lamadesk.core.lama.native import NativeLama
from lamadesk.core.lama.weights import load_archive_state_dict

log = logging.getLogger(__name__)


class Precision(Enum):
    """Number format of the convolutions (the Fourier units always run in float32)."""

    FP32 = "fp32"
    FP16 = "fp16"
    """About 62 dB PSNR against fp32: the GPU default."""
    BF16 = "bf16"
    """Wider range but only ~46 dB: visible at 2048² on smooth areas, so never a default."""

    @property
    def dtype(self) -> torch.dtype | None:
        return {Precision.FP16: torch.float16, Precision.BF16: torch.bfloat16}.get(self)

    @property
    def bytes_per_pixel(self) -> int:
        """Peak device memory per padded input pixel, measured on an H100 (with margin)."""
        return 1200 if self is Precision.FP32 else 750


@dataclass(frozen=True)
class FastPath:
    """How the native model runs; `for_device` picks what pays off where."""

    precision: Precision = Precision.FP32
    channels_last: bool = True
    cuda_graphs: bool = False
    compiled: bool = False
    """torch.compile with static shapes: fastest, but ~40 s of compiling per new size."""

    @classmethod
    def for_device(cls, device: str) -> FastPath:
        """fp16 contiguous + CUDA graphs on NVIDIA GPUs; fp32 channels-last on the CPU.

        Measured on an H100 (README): contiguous beats channels-last there, as cuDNN's layout
        conversions cost less than PyTorch's reflection padding and FFTs in channels-last;
        oneDNN on the CPU prefers channels-last. bf16 on the CPU is only faster with native
        bf16 instructions (AVX-512 BF16, AMX) and drifts to ~51 dB, so the CPU keeps fp32.
        """
        if torch.device(device).type == "cuda":
            return cls(Precision.FP16, channels_last=False, cuda_graphs=True)
        return cls(Precision.FP32, channels_last=True, cuda_graphs=False)


def load_native_model(model_path: Path) -> NativeLama:
    """Read big-lama weights (checked key by key) and fold them into the native model."""
    return NativeLama.from_state_dict(load_archive_state_dict(model_path))


class NativeLamaBackend:
    """big-lama through `NativeLama`, with the device's fast path."""

    name = "lama"

    def __init__(self, model_path: Path, device: str, fast_path: FastPath | None = None) -> None:
        self._path = model_path
        self._device = torch.device(device)
        self.device = str(self._device)
        self.fast_path = fast_path or FastPath.for_device(device)
        memory_format = torch.channels_last if self.fast_path.channels_last else None
        model = load_native_model(model_path)
        dtype = self.fast_path.precision.dtype or torch.float32
        self._model = model.to(self._device, dtype=dtype, memory_format=memory_format)
        step = self._forward
        if self.fast_path.compiled:
            step = torch.compile(self._forward, dynamic=False, fullgraph=True)
        self._step = step
        self._graphs = GraphCache(step) if self.fast_path.cuda_graphs else None

    def inpaint(self, image: np.ndarray, mask: np.ndarray) -> np.ndarray:
        height, width = mask.shape
        pad_bottom, pad_right = padding_for(height, width)
        padded_pixels = (height + pad_bottom) * (width + pad_right)
        check_free_memory(self._device, padded_pixels * self.fast_path.precision.bytes_per_pixel)
        with torch.inference_mode(), out_of_memory_as_error(self._device):
            image_t, mask_t = to_model_inputs(image, mask, self._device)
            return to_uint8_image(self.run_model(image_t, mask_t), height, width)

    def run_model(self, image: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        """The model step alone on padded device tensors (what the benchmark times)."""
        with torch.inference_mode():
            if self._graphs is not None:
                return self._graphs.run(image, mask)
            return self._step(image, mask)

    def _forward(self, image: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        if self.fast_path.channels_last:
            image = image.contiguous(memory_format=torch.channels_last)
            mask = mask.contiguous(memory_format=torch.channels_last)
        return self._model(image, mask)

    def release_memory(self) -> None:
        if self._graphs is not None:
            self._graphs.clear()
        if self._device.type == "cuda":
            torch.cuda.empty_cache()

    def on_cpu(self) -> InpaintBackend:
        if self._device.type == "cpu":
            return self
        return NativeLamaBackend(self._path, "cpu")
