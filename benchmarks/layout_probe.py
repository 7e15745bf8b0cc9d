"""Model-only A/B of the native layouts on one CUDA GPU, a kernel profile, memory, buckets.

Run by `benchmarks/gpu_probe.sh` on the device machine (random weights of the real
architecture). Writes its tables to stdout and the profile to `--out`.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

import numpy as np
import torch
from torch.profiler import ProfilerActivity, profile

from lamadesk.core.metrics import psnr
from lamadesk.core.models.lama.backend import NativeLamaBackend, load_native_model
from lamadesk.core.models.lama.bench import sample_inputs
from lamadesk.core.models.lama.padded import PaddedLama
from tools.lama_test_model import make_test_model


def graph_median_ms(
    step: torch.nn.Module, image: torch.Tensor, mask: torch.Tensor, runs: int = 20
) -> tuple[float, torch.Tensor]:
    """Median replay time of `step` captured as one CUDA graph (after two eager runs)."""
    with torch.inference_mode():
        step(image, mask)
        out = step(image, mask)
        torch.cuda.synchronize()
        graph = torch.cuda.CUDAGraph()
        with torch.cuda.graph(graph):
            static = step(image, mask)
        times = []
        for _ in range(runs):
            start, end = torch.cuda.Event(enable_timing=True), torch.cuda.Event(enable_timing=True)
            start.record()
            graph.replay()
            end.record()
            end.synchronize()
            times.append(start.elapsed_time(end))
    del graph, static
    return statistics.median(times), out


def layouts(model_path: Path, sizes: list[int]) -> None:
    native = load_native_model(model_path)
    variants = {
        "NativeLama fp32 contiguous (before)": lambda: load_native_model(model_path).to("cuda"),
        "PaddedLama fp32 (now)": lambda: PaddedLama.from_native(native).to("cuda"),
        "NativeLama fp16 contiguous (before)": lambda: load_native_model(model_path).to(
            "cuda", torch.float16
        ),
        "PaddedLama fp16 (now)": lambda: PaddedLama.from_native(native).to("cuda", torch.float16),
    }
    header = "max|d| vs fp32 before"
    print(f"{'model-only, one CUDA graph':<40} {'size':>5} {'median ms':>10} {header:>22}")
    for size in sizes:
        image = torch.rand(1, 3, size, size, device="cuda")
        mask = (torch.rand(1, 1, size, size, device="cuda") > 0.7).float()
        reference = None
        for name, build in variants.items():
            model = build()
            ms, out = graph_median_ms(model, image, mask)
            if reference is None and "fp32" in name:
                reference = out
            diff = "" if reference is None else f"{(out - reference).abs().max().item():.2e}"
            print(f"{name:<40} {size:>5} {ms:>10.2f} {diff:>22}", flush=True)
            del model
            torch.cuda.empty_cache()


def kernel_profile(model_path: Path, size: int, out: Path) -> None:
    model = PaddedLama.from_native(load_native_model(model_path)).to("cuda", torch.float16)
    image = torch.rand(1, 3, size, size, device="cuda")
    mask = (torch.rand(1, 1, size, size, device="cuda") > 0.7).float()
    with torch.inference_mode():
        for _ in range(3):
            model(image, mask)
        torch.cuda.synchronize()
        with profile(activities=[ProfilerActivity.CUDA]) as prof:
            model(image, mask)
            torch.cuda.synchronize()
    table = prof.key_averages().table(sort_by="cuda_time_total", row_limit=30)
    (out / f"profile-padded-fp16-{size}.txt").write_text(table)
    print(table[:6000])


def memory(model_path: Path, size: int) -> None:
    """Where the default path's VRAM goes at one size, in a fresh state."""
    torch.cuda.empty_cache()
    base = torch.cuda.memory_allocated()
    backend = NativeLamaBackend(model_path, "cuda:0")
    weights = torch.cuda.memory_allocated() - base
    image, mask = sample_inputs(size)
    torch.cuda.reset_peak_memory_stats()
    backend.inpaint(image, mask)
    eager_peak = torch.cuda.max_memory_allocated() - base
    eager_reserved = torch.cuda.max_memory_reserved()
    torch.cuda.reset_peak_memory_stats()
    backend.inpaint(image, mask)
    capture_peak = torch.cuda.max_memory_allocated() - base
    torch.cuda.reset_peak_memory_stats()
    backend.inpaint(image, mask)
    replay_peak = torch.cuda.max_memory_allocated() - base
    gib = 2**30
    print(
        f"memory {size}²: weights {weights / gib:.3f} GiB, eager peak {eager_peak / gib:.3f}, "
        f"capture peak {capture_peak / gib:.3f}, replay peak {replay_peak / gib:.3f}, "
        f"reserved after eager {eager_reserved / gib:.3f}, reserved now "
        f"{torch.cuda.memory_reserved() / gib:.3f}"
    )
    del backend
    torch.cuda.empty_cache()


def _pageable(image: np.ndarray, mask: np.ndarray, on_device: tuple) -> np.ndarray:
    device_image, device_mask = on_device
    device_image.copy_(torch.from_numpy(image))
    device_mask.copy_(torch.from_numpy(mask))
    return device_image.cpu().numpy()


def _pinned(image: np.ndarray, mask: np.ndarray, on_device: tuple) -> np.ndarray:
    device_image, device_mask = on_device
    host_image = torch.empty(image.shape, dtype=torch.uint8, pin_memory=True)
    host_mask = torch.empty(mask.shape, dtype=torch.bool, pin_memory=True)
    host_image.numpy()[...] = image
    host_mask.numpy()[...] = mask
    device_image.copy_(host_image, non_blocking=True)
    device_mask.copy_(host_mask, non_blocking=True)
    back = torch.empty(image.shape, dtype=torch.uint8, pin_memory=True)
    back.copy_(device_image)
    return back.numpy().copy()


def transfers(sizes: list[int]) -> None:
    """Host<->device copies of an 8-bit image and mask: pageable against pinned staging."""
    for size in sizes:
        image, mask = sample_inputs(size)
        on_device = (
            torch.empty((size, size, 3), dtype=torch.uint8, device="cuda"),
            torch.empty((size, size), dtype=torch.bool, device="cuda"),
        )
        for name, call in (("pageable", _pageable), ("pinned", _pinned)):
            times = []
            for _ in range(12):
                torch.cuda.synchronize()
                started = time.perf_counter()
                call(image, mask, on_device)
                times.append((time.perf_counter() - started) * 1000)
            print(f"transfers {size}² {name}: {statistics.median(times[2:]):.2f} ms", flush=True)


def e2e_breakdown(model_path: Path, size: int) -> None:
    """Default path at one size: whole `inpaint` against its graph replay alone."""
    backend = NativeLamaBackend(model_path, "cuda:0")
    image, mask = sample_inputs(size)
    for _ in range(3):
        backend.inpaint(image, mask)
    graphs = backend._graphs  # a probe: the replay alone
    captured = graphs._graphs[(size, size, 3)]
    times: dict[str, list[float]] = {"inpaint": [], "replay": []}
    for _ in range(10):
        torch.cuda.synchronize()
        started = time.perf_counter()
        backend.inpaint(image, mask)
        times["inpaint"].append((time.perf_counter() - started) * 1000)
        torch.cuda.synchronize()
        started = time.perf_counter()
        captured.graph.replay()
        torch.cuda.synchronize()
        times["replay"].append((time.perf_counter() - started) * 1000)
    print(
        f"e2e {size}²: inpaint {statistics.median(times['inpaint']):.2f} ms, graph replay "
        f"{statistics.median(times['replay']):.2f} ms",
        flush=True,
    )


def buckets(model_path: Path, cases: list[tuple[int, int]]) -> None:
    """PSNR in the mask of an image run at its own size vs padded up to a bucket size."""
    backend = NativeLamaBackend(model_path, "cuda:0")
    for size, bucket in cases:
        image, mask = sample_inputs(size)
        direct = backend.inpaint(image, mask)
        pad = ((0, bucket - size), (0, bucket - size))
        padded_image = np.pad(image, (*pad, (0, 0)), mode="symmetric")
        padded_mask = np.pad(mask, pad, mode="constant")
        bucketed = backend.inpaint(padded_image, padded_mask)[:size, :size]
        diff = np.abs(direct.astype(int) - bucketed.astype(int))[mask]
        print(
            f"bucket {size}->{bucket}: PSNR in mask {psnr(direct[mask], bucketed[mask]):.1f} dB, "
            f"max|d| {diff.max()}",
            flush=True,
        )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    print(torch.cuda.get_device_name(), torch.__version__, torch.version.cuda)
    with tempfile.TemporaryDirectory() as folder:
        model_path = Path(folder) / "random-big-lama.pt"
        make_test_model(model_path)
        layouts(model_path, [1024, 2048])
        for size in (1024, 2048):
            memory(model_path, size)
            e2e_breakdown(model_path, size)
        transfers([1024, 2048])
        kernel_profile(model_path, 1024, args.out)


if __name__ == "__main__":
    main()
