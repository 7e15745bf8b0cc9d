"""Measuring lamadesk's LaMa paths against IOPaint's way of running big-lama.pt.

Everything runs in one process on one device so the ratios compare like with like. The
baseline is IOPaint's code path reproduced step by step: `torch.jit.load`, fp32, numpy
symmetric padding to a multiple of 8, uint8 → float → tensor → uint8 on the CPU.

The network's own time is taken inside the very end-to-end runs (a `ModelClock` around the
network call), so it is a part of each run and can never exceed it. Timing the network in
separate runs on other inputs once printed a model time above the end-to-end time.
"""

from __future__ import annotations

import gc
import statistics
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

import numpy as np
import torch

from lamadesk.core.metrics import psnr
from lamadesk.core.models.lama.backend import (
    CompileMode,
    FastPath,
    NativeLamaBackend,
    Precision,
)
from lamadesk.core.models.lama.tensors import to_model_inputs, to_uint8_image
from lamadesk.core.models.lama.torchscript import load_torchscript
from lamadesk.core.models.torch_support.memory_peak import PeakMemory

Inpaint = Callable[[np.ndarray, np.ndarray], np.ndarray]
Network = Callable[[torch.Tensor, torch.Tensor], torch.Tensor]
_R = TypeVar("_R")

BASELINE = "IOPaint baseline (TorchScript fp32)"


@dataclass(frozen=True)
class PathResult:
    """Timings (ms), peak memory and drift of one path at one size."""

    path: str
    size: int
    end_to_end_ms: tuple[float, ...]
    model_ms: tuple[float, ...]
    peak_bytes: int | None
    """Most memory in use (CUDA: `max_memory_allocated`; CPU: peak RSS), weights included."""
    peak_reserved_bytes: int | None
    """CUDA only: most memory held from the driver (`max_memory_reserved`), caches included."""
    max_abs_diff: int
    psnr_db: float

    @property
    def median_ms(self) -> float:
        return statistics.median(self.end_to_end_ms)

    @property
    def min_ms(self) -> float:
        return min(self.end_to_end_ms)

    @property
    def model_median_ms(self) -> float:
        return statistics.median(self.model_ms)


class ModelClock:
    """Adds up the time of the network calls made inside one end-to-end run.

    The device is synchronised before and after each call, so the time is the network's own.
    Only eager paths can be clocked: a CUDA graph or a compiled step runs the network fused
    with the conversions, and synchronising inside a capture or a compiled graph is not
    allowed; `measure` then times the model step on its own.
    """

    def __init__(self, device: torch.device) -> None:
        self._device = device
        self._started = 0.0
        self.spent_ms = 0.0
        self.calls = 0

    def reset(self) -> None:
        self.spent_ms, self.calls = 0.0, 0

    def start(self, *_hook_args: object) -> None:
        _synchronize(self._device)
        self._started = time.perf_counter()

    def stop(self, *_hook_args: object) -> None:
        _synchronize(self._device)
        self.spent_ms += (time.perf_counter() - self._started) * 1000
        self.calls += 1

    def wrap(self, call: Callable[..., _R]) -> Callable[..., _R]:
        """`call`, timed."""

        def timed(*args: object) -> _R:
            self.start()
            try:
                return call(*args)
            finally:
                self.stop()

        return timed

    def attach(self, module: torch.nn.Module) -> Callable[[], None]:
        """Time every call of `module` through forward hooks; returns the detach function."""
        handles = [
            module.register_forward_pre_hook(self.start),
            module.register_forward_hook(self.stop),
        ]

        def detach() -> None:
            for handle in handles:
                handle.remove()

        return detach


def sample_inputs(size: int) -> tuple[np.ndarray, np.ndarray]:
    """A smooth synthetic photo with texture and a watermark-like mask (text bars + a blob)."""
    rng = np.random.default_rng(size)
    y, x = np.mgrid[0:size, 0:size].astype(np.float32) / size
    base = np.stack([0.5 + 0.4 * np.sin(6 * x + 2 * y), 0.4 + 0.3 * y, 0.6 - 0.3 * x], axis=2)
    noisy = base + rng.normal(0, 0.03, size=base.shape)
    image = (np.clip(noisy, 0, 1) * 255).astype(np.uint8)
    mask = np.zeros((size, size), dtype=bool)
    for row in range(size // 3, size // 2, max(4, size // 32)):
        mask[row : row + max(2, size // 64), size // 5 : 4 * size // 5] = True
    mask[size * 2 // 3 : size * 5 // 6, size // 3 : size // 2] = True
    return image, mask


def iopaint_baseline(module: Network, device: torch.device) -> Inpaint:
    """IOPaint's LaMa forward: numpy padding and normalisation, fp32, CPU-side conversions."""

    def run(image: np.ndarray, mask: np.ndarray) -> np.ndarray:
        height, width = mask.shape
        pad = ((0, -height % 8), (0, -width % 8))
        padded_image = np.pad(image, (*pad, (0, 0)), mode="symmetric")
        padded_mask = np.pad(mask.astype(np.uint8) * 255, pad, mode="symmetric")
        image_f = np.transpose(padded_image, (2, 0, 1)).astype("float32") / 255
        mask_f = (padded_mask[np.newaxis].astype("float32") / 255 > 0).astype("float32")
        with torch.no_grad():
            image_t = torch.from_numpy(image_f).unsqueeze(0).to(device)
            mask_t = torch.from_numpy(mask_f).unsqueeze(0).to(device)
            output = module(image_t, mask_t)
            result = output[0].permute(1, 2, 0).detach().cpu().numpy()
        return np.clip(result * 255, 0, 255).astype("uint8")[:height, :width]

    return run


def fp32_reference(
    module: torch.jit.ScriptModule, device: torch.device, image: np.ndarray, mask: np.ndarray
) -> np.ndarray:
    """The TorchScript model's fp32 output, rounded to uint8: what every path should match."""
    with torch.no_grad():
        image_t, mask_t = to_model_inputs(image, mask, device)
        return to_uint8_image(module(image_t, mask_t), *mask.shape)


def lamadesk_paths(device: str, compile_modes: Sequence[CompileMode] = ()) -> dict[str, FastPath]:
    """The native paths worth timing on `device`, named as the bench prints them."""
    if torch.device(device).type != "cuda":
        return {
            "native fp32 channels-last (default)": FastPath(Precision.FP32),
            "native fp32 contiguous": FastPath(Precision.FP32, channels_last=False),
        }
    paths = {
        "native fp32": FastPath(Precision.FP32, channels_last=False),
        "native fp32 + graph": FastPath(Precision.FP32, channels_last=False, cuda_graphs=True),
        "native fp16 + graph (default)": FastPath.for_device(device),
        "native fp16 channels-last + graph": FastPath(Precision.FP16, cuda_graphs=True),
        "native bf16 + graph": FastPath(Precision.BF16, channels_last=False, cuda_graphs=True),
    }
    for mode in compile_modes:
        suffix = "" if mode is CompileMode.DEFAULT else " autotuned"
        paths[f"native fp16 compiled{suffix} + graph"] = FastPath(
            Precision.FP16, channels_last=False, cuda_graphs=True, compiled=True, compile_mode=mode
        )
    return paths


def measure(
    name: str,
    size: int,
    run: Inpaint,
    model_step: Callable[[torch.Tensor, torch.Tensor], object],
    reference: np.ndarray,
    runs: int,
    device: torch.device,
    clock: ModelClock | None = None,
) -> PathResult:
    """Time `run` end to end, and the network inside those same runs, after warm-up calls.

    The network's time is what `clock` saw during each end-to-end run. Where it saw nothing
    (no clock, or a fused CUDA graph or compiled step), `model_step` is timed on its own on
    ready device tensors instead, right after the end-to-end runs.

    Peak memory covers the end-to-end calls only (first call, graph capture, timed replays)
    and starts from what is resident before them, the path's weights included; every path,
    the baseline too, is measured the same way with nothing else resident. Drift (max abs
    difference, PSNR) is measured inside the mask, the only place a path's output may differ
    from the input.
    """
    image, mask = sample_inputs(size)
    padded = size + -size % 8
    peak = PeakMemory(device)
    output = run(image, mask)
    run(image, mask)
    end_to_end, inside = [], []
    for _ in range(runs):
        if clock is not None:
            clock.reset()
        end_to_end.append(_timed(lambda: run(image, mask), device))
        if clock is not None and clock.calls:
            inside.append(clock.spent_ms)
    peak_bytes, peak_reserved = peak.read(), peak.read_reserved()
    model_only = inside
    if len(inside) != runs:
        image_t = torch.rand(1, 3, padded, padded, device=device)
        mask_t = (torch.rand(1, 1, padded, padded, device=device) > 0.7).float()
        model_step(image_t, mask_t)
        model_step(image_t, mask_t)
        model_only = [_timed(lambda: model_step(image_t, mask_t), device) for _ in range(runs)]
    diff = np.abs(output.astype(np.int16) - reference.astype(np.int16))[mask]
    return PathResult(
        path=name,
        size=size,
        end_to_end_ms=tuple(end_to_end),
        model_ms=tuple(model_only),
        peak_bytes=peak_bytes,
        peak_reserved_bytes=peak_reserved,
        max_abs_diff=int(diff.max()),
        psnr_db=psnr(output[mask], reference[mask]),
    )


def _timed(call: Callable[[], object], device: torch.device) -> float:
    _synchronize(device)
    started = time.perf_counter()
    call()
    _synchronize(device)
    return (time.perf_counter() - started) * 1000


def _synchronize(device: torch.device) -> None:
    if device.type == "cuda":
        torch.cuda.synchronize(device)


def run_bench(
    model_path: Path,
    device: str,
    sizes: Sequence[int],
    runs: int,
    on_result: Callable[[PathResult], None],
    compile_modes: Sequence[CompileMode] = (),
) -> list[PathResult]:
    """Time the baseline, then every lamadesk path, at every size; `on_result` sees each row.

    One model is resident at a time, so each path's peak memory is its own.
    """
    torch_device = torch.device(device)
    inputs = {size: sample_inputs(size) for size in sizes}
    references, results = _run_baseline(model_path, torch_device, inputs, runs, on_result)
    _free(torch_device)
    for name, fast_path in lamadesk_paths(device, compile_modes).items():
        backend = NativeLamaBackend(model_path, device, fast_path)
        clock = ModelClock(torch_device)
        fused = fast_path.cuda_graphs or fast_path.compiled
        detach = (lambda: None) if fused else clock.attach(backend.network)
        for size in sizes:
            # Each size from a clean slate, like the baseline: graphs of other sizes dropped.
            backend.release_memory()
            _free(torch_device)
            row = measure(
                name,
                size,
                backend.inpaint,
                backend.run_model,
                references[size],
                runs,
                torch_device,
                clock,
            )
            on_result(row)
            results.append(row)
        detach()
        del backend
        _free(torch_device)
    return results


def _free(device: torch.device) -> None:
    """Drop the previous path's model and cached blocks before the next one is measured."""
    gc.collect()
    if device.type == "cuda":
        torch.cuda.empty_cache()


def _run_baseline(
    model_path: Path,
    device: torch.device,
    inputs: dict[int, tuple[np.ndarray, np.ndarray]],
    runs: int,
    on_result: Callable[[PathResult], None],
) -> tuple[dict[int, np.ndarray], list[PathResult]]:
    """The baseline's rows and its outputs, which every other path is compared with."""
    module = load_torchscript(model_path, device)
    clock = ModelClock(device)
    baseline = iopaint_baseline(clock.wrap(module), device)
    # The reference is the same fp32 model on the same device, rounded to uint8 where IOPaint
    # truncates: every path is charged only for its own arithmetic. (Not the CPU: LaMa's
    # inverse FFTs get spectra that are not exactly Hermitian, whose result cuFFT and the
    # CPU's FFT legitimately differ on; what a person compares with is their own GPU.)
    references = {
        size: fp32_reference(module, device, image, mask) for size, (image, mask) in inputs.items()
    }

    def model_step(image_t: torch.Tensor, mask_t: torch.Tensor) -> object:
        with torch.no_grad():
            return module(image_t, mask_t)

    rows = []
    for size in inputs:
        _free(device)
        row = measure(BASELINE, size, baseline, model_step, references[size], runs, device, clock)
        on_result(row)
        rows.append(row)
    return references, rows
