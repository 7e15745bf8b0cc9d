"""The LaMa backend running lamadesk's own big-lama implementation (the default engine).

Weights come straight out of big-lama.pt without TorchScript. Speed-ups are chosen per
device (`FastPath`): half-precision convolutions with the Fourier units kept in float32, the
memory layout that suits the device, and on CUDA a graph replay of the whole step (8-bit image
in, 8-bit image out) once a size repeats. torch.compile is either part of the fast path
(`lamadesk-cli bench`) or done per size in the background (`compile_shape`, driven by
:mod:`lamadesk.core.models.torch_support.compile_warmup`) while the uncompiled step keeps serving.
"""

from __future__ import annotations

import functools
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum
from pathlib import Path

import numpy as np
import torch
from torch import nn

from lamadesk.core.models.base import InpaintBackend
from lamadesk.core.models.lama.native import NativeLama
from lamadesk.core.models.lama.padded import PaddedLama
from lamadesk.core.models.lama.tensors import (
    check_free_memory,
    host_tensors,
    out_of_memory_as_error,
    padding_for,
    prepare_inputs,
    to_uint8_tensor,
)
from lamadesk.core.models.lama.weights import load_archive_state_dict
from lamadesk.core.models.torch_support.cuda_graph import GraphCache, StepFunction

log = logging.getLogger(__name__)

ShapeListener = Callable[[int, int], None]
"""Told the (height, width) of every image the backend is asked to fill."""


class Precision(Enum):
    """Number format of the convolutions (the Fourier units always run in float32)."""

    FP32 = "fp32"
    FP16 = "fp16"
    """About 60 dB PSNR against fp32: the GPU default."""
    BF16 = "bf16"
    """Wider range but only ~51 dB: visible at 2048² on smooth areas, so never a default."""

    @property
    def dtype(self) -> torch.dtype | None:
        return {Precision.FP16: torch.float16, Precision.BF16: torch.bfloat16}.get(self)

    @property
    def bytes_per_pixel(self) -> int:
        """Peak device memory per padded input pixel, measured on an H100 (with margin)."""
        return 1200 if self is Precision.FP32 else 750


class CompileMode(Enum):
    """torch.compile modes worth having (CUDA graphs are always lamadesk's own)."""

    DEFAULT = "default"
    MAX_AUTOTUNE = "max-autotune-no-cudagraphs"
    """Benchmarks kernel choices while compiling: minutes per size instead of seconds."""


@dataclass(frozen=True)
class FastPath:
    """How the native model runs; `for_device` picks what pays off where."""

    precision: Precision = Precision.FP32
    channels_last: bool = True
    cuda_graphs: bool = False
    compiled: bool = False
    """torch.compile with static shapes: fastest, but compiles (blocking) at each new size."""
    compile_mode: CompileMode = CompileMode.DEFAULT

    @classmethod
    def for_device(cls, device: str) -> FastPath:
        """fp16 contiguous + CUDA graphs on NVIDIA GPUs; fp32 channels-last on the CPU.

        Measured on an H100 (README): contiguous memory with pre-padded joined buffers
        (`PaddedLama`) beats channels-last there; oneDNN on the CPU prefers channels-last.
        bf16 on the CPU is only faster with native bf16 instructions (AVX-512 BF16, AMX) and
        drifts to ~51 dB, so the CPU keeps fp32.
        """
        if torch.device(device).type == "cuda":
            return cls(Precision.FP16, channels_last=False, cuda_graphs=True)
        return cls(Precision.FP32, channels_last=True, cuda_graphs=False)


def load_native_model(model_path: Path) -> NativeLama:
    """Read big-lama weights (checked key by key) and fold them into the native model."""
    return NativeLama.from_state_dict(load_archive_state_dict(model_path))


def compile_step(step: StepFunction, mode: CompileMode) -> StepFunction:
    """`step` through torch.compile with static shapes (dynamic shapes ran 2x slower)."""
    return torch.compile(step, mode=mode.value, dynamic=False, fullgraph=True)


def _model_step(
    model: nn.Module, channels_last: bool, image: torch.Tensor, mask: torch.Tensor
) -> torch.Tensor:
    """Padded float inputs → the composited float output (IOPaint's model contract)."""
    if channels_last:
        image = image.contiguous(memory_format=torch.channels_last)
        mask = mask.contiguous(memory_format=torch.channels_last)
    return model(image, mask)


def _image_step(
    model: nn.Module, channels_last: bool, image: torch.Tensor, mask: torch.Tensor
) -> torch.Tensor:
    """uint8 `(H, W, 3)` and bool `(H, W)` on the device → the filled uint8 `(H, W, 3)`."""
    height, width = mask.shape
    image_f, mask_f = prepare_inputs(image, mask)
    output = _model_step(model, channels_last, image_f, mask_f)
    return to_uint8_tensor(output, height, width)


class NativeLamaBackend:
    """big-lama through `NativeLama` (channels-last) or `PaddedLama`, with the device's path."""

    name = "lama"

    def __init__(self, model_path: Path, device: str, fast_path: FastPath | None = None) -> None:
        self._path = model_path
        self._device = torch.device(device)
        self.device = str(self._device)
        self.fast_path = fast_path or FastPath.for_device(device)
        self.shape_listener: ShapeListener | None = None
        dtype = self.fast_path.precision.dtype or torch.float32
        model: nn.Module = load_native_model(model_path)
        if self.fast_path.channels_last:
            model = model.to(self._device, dtype=dtype, memory_format=torch.channels_last)
        else:
            model = PaddedLama.from_native(model).to(self._device, dtype=dtype)
        self.network = model
        """The network module; the benchmark times its calls inside end-to-end runs."""
        # Partials, not bound methods: the graph caches must not keep `self` alive in a cycle
        # (a dropped backend then frees its VRAM at once, not at the next garbage collection).
        self._image_fn = functools.partial(_image_step, model, self.fast_path.channels_last)
        self._model_fn = functools.partial(_model_step, model, self.fast_path.channels_last)
        image_step, model_step = self._image_fn, self._model_fn
        if self.fast_path.compiled:
            image_step = compile_step(image_step, self.fast_path.compile_mode)
            model_step = compile_step(model_step, self.fast_path.compile_mode)
        self._image_step, self._model_step = image_step, model_step
        graphs, compiled = self.fast_path.cuda_graphs, self.fast_path.compiled
        self._graphs = GraphCache(image_step, self._device, side_warm_up=compiled)
        self._model_graphs = GraphCache(model_step, self._device, side_warm_up=compiled)
        if not graphs:
            self._graphs = self._model_graphs = None
        self._lock = threading.Lock()
        self._compiled_ready: set[tuple[int, int]] = set()
        self._compiled_step: StepFunction | None = None
        self._compiled_graphs: GraphCache | None = None

    def inpaint(self, image: np.ndarray, mask: np.ndarray) -> np.ndarray:
        height, width = mask.shape
        if self.shape_listener is not None:
            self.shape_listener(height, width)
        pad_bottom, pad_right = padding_for(height, width)
        padded_pixels = (height + pad_bottom) * (width + pad_right)
        check_free_memory(self._device, padded_pixels * self.fast_path.precision.bytes_per_pixel)
        with torch.inference_mode(), out_of_memory_as_error(self._device):
            image_t, mask_t = host_tensors(image, mask)
            runner = self._runner_for((height, width))
            if runner is None:
                output = self._image_step(image_t.to(self._device), mask_t.to(self._device))
            else:
                output = runner.run(image_t, mask_t)
            return output.cpu().numpy()

    def run_model(self, image: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        """The model step alone on padded device tensors (what the benchmark times)."""
        with torch.inference_mode():
            if self._model_graphs is not None:
                return self._model_graphs.run(image, mask)
            return self._model_step(image, mask)

    def _runner_for(self, shape: tuple[int, int]) -> GraphCache | None:
        with self._lock:
            if shape in self._compiled_ready:
                return self._compiled_graphs
        return self._graphs

    @property
    def compiled_shapes(self) -> frozenset[tuple[int, int]]:
        """Image sizes served by a step compiled in the background."""
        with self._lock:
            return frozenset(self._compiled_ready)

    def compile_shape(
        self, height: int, width: int, mode: CompileMode = CompileMode.DEFAULT
    ) -> float:
        """Compile the whole step for `height` x `width` images; blocking, for a side thread.

        Until it returns, that size keeps running uncompiled; afterwards it is served by the
        compiled step (captured as a CUDA graph at its first use). Only CUDA backends compile.

        Args:
            height: Image height in pixels (before padding to a multiple of 8).
            width: Image width in pixels.
            mode: How hard to compile; the first call's mode holds for later sizes.

        Returns:
            Seconds it took (much less when the on-disk compile cache already holds it).
        """
        if self._device.type != "cuda":
            raise RuntimeError(f"compiling is only done for CUDA backends, not {self.device}")
        started = time.perf_counter()
        if self._compiled_step is None:
            self._compiled_step = compile_step(self._image_fn, mode)
            self._compiled_graphs = GraphCache(self._compiled_step, self._device, side_warm_up=True)
        image = torch.zeros((height, width, 3), dtype=torch.uint8, device=self._device)
        mask = torch.zeros((height, width), dtype=torch.bool, device=self._device)
        with torch.inference_mode():
            self._compiled_step(image, mask)
        torch.cuda.synchronize(self._device)
        assert self._compiled_graphs is not None
        self._compiled_graphs.mark_seen((height, width, 3))
        with self._lock:
            self._compiled_ready.add((height, width))
        return time.perf_counter() - started

    def release_memory(self) -> None:
        for graphs in (self._graphs, self._model_graphs, self._compiled_graphs):
            if graphs is not None:
                graphs.clear()
        if self._device.type == "cuda":
            torch.cuda.empty_cache()

    def on_cpu(self) -> InpaintBackend:
        if self._device.type == "cpu":
            return self
        return NativeLamaBackend(self._path, "cpu")
