"""Background-compile timing: one size compiled by `compile_shape`, then served compiled.

Run twice against the same cache folder (cold, then warm) by `benchmarks/gpu_probe.sh`.
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

import torch

from lamadesk.core.metrics import psnr
from lamadesk.core.models.lama.backend import CompileMode, NativeLamaBackend
from lamadesk.core.models.lama.bench import sample_inputs
from lamadesk.core.models.torch_support.compile_support import use_compile_cache


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--model", type=Path, required=True)
    parser.add_argument("--cache", type=Path, required=True)
    parser.add_argument("--size", type=int, default=1024)
    parser.add_argument("--label", default="")
    parser.add_argument("--mode", default="default", choices=[m.value for m in CompileMode])
    args = parser.parse_args()
    print("cache:", use_compile_cache(args.cache))
    backend = NativeLamaBackend(args.model, "cuda:0")
    image, mask = sample_inputs(args.size)
    eager = backend.inpaint(image, mask)
    seconds = backend.compile_shape(args.size, args.size, CompileMode(args.mode))
    compiled = backend.inpaint(image, mask)
    backend.inpaint(image, mask)
    times = []
    for _ in range(10):
        torch.cuda.synchronize()
        started = time.perf_counter()
        backend.inpaint(image, mask)
        times.append((time.perf_counter() - started) * 1000)
    print(
        f"{args.label} {args.mode} compile_shape({args.size}) {seconds:.1f} s; compiled e2e median "
        f"{statistics.median(times):.1f} ms; PSNR compiled vs uncompiled in mask "
        f"{psnr(compiled[mask], eager[mask]):.1f} dB",
        flush=True,
    )


if __name__ == "__main__":
    main()
