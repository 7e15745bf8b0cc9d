"""`lamadesk-cli bench`: IOPaint's way against lamadesk's paths, in one run on one device."""

from __future__ import annotations

import argparse
import platform
from pathlib import Path

from lamadesk.cli.conventions import EXIT_OK, UsageError
from lamadesk.cli.terminal import human_bytes
from lamadesk.core.model_store import ModelStore
from lamadesk.core.models.lama.spec import LAMA

HEADER = (
    f"{'path':<36} {'size':>5} {'e2e med':>9} {'e2e min':>9} {'model med':>9} "
    f"{'peak':>10} {'reserved':>10} {'speedup':>8} {'max|d|':>6} {'PSNR':>7}"
)
COMPILE_MODES = ("default", "max-autotune-no-cudagraphs")


def add_bench_parser(commands: argparse._SubParsersAction) -> None:
    """Register `bench` on the main parser."""
    bench = commands.add_parser("bench", help="time LaMa paths against IOPaint's baseline")
    bench.add_argument("--device", default="auto", help="auto, cpu, cuda or cuda:N")
    bench.add_argument("--sizes", default="512,1024,2048", help="square sizes, comma-separated")
    bench.add_argument("--runs", type=int, default=10, help="timed runs per path and size")
    bench.add_argument(
        "--compile",
        action="store_true",
        help="also time the torch.compile path (about 40 s of compiling per size on a GPU)",
    )
    bench.add_argument(
        "--compile-mode",
        action="append",
        choices=COMPILE_MODES,
        help="time a torch.compile path in this mode (repeatable; implies --compile)",
    )
    bench.add_argument(
        "--model",
        type=Path,
        help="big-lama.pt to use (default: installed; in a source checkout "
        "`python -m tools.make_test_model PATH` writes a random-weight one)",
    )


def run_bench_command(args: argparse.Namespace) -> int:
    """Print one row per path and size as soon as it is measured."""
    try:
        sizes = [int(part) for part in args.sizes.split(",") if part.strip()]
    except ValueError as exc:
        raise UsageError(f"--sizes takes whole numbers separated by commas: {exc}") from exc
    if not sizes or min(sizes) < 8 or args.runs < 1:
        raise UsageError("--sizes must be at least 8 pixels and --runs at least 1")
    model_path, weights = _model(args)

    import torch

    from lamadesk.core.diagnostics import diagnose
    from lamadesk.core.models.lama.backend import CompileMode
    from lamadesk.core.models.lama.bench import BASELINE, PathResult, run_bench
    from lamadesk.core.models.lama.random_weights import is_test_model

    try:
        report = diagnose(args.device)
    except ValueError as exc:
        raise UsageError(str(exc)) from exc
    device = report.selected_device
    if report.reason and device == "cpu" and report.requested != "cpu":
        print(f"note: on the CPU because {report.reason}")
    print(
        f"device: {_device_name(device)} | torch {torch.__version__} "
        f"(CUDA {torch.version.cuda}) | CPU threads {torch.get_num_threads()}"
    )
    random = is_test_model(model_path)
    print(f"weights: {weights} ({model_path})")
    print(
        f"runs per cell: {args.runs}; times in ms; max|d| and PSNR inside the mask, against "
        "the TorchScript model in fp32 on the same device, rounded to uint8; peak = most "
        "memory in use (CUDA max_memory_allocated, weights included; CPU peak RSS), reserved = "
        "most held from the driver (CUDA max_memory_reserved), each path and size measured "
        "alone from an emptied cache; model med = the network alone, timed inside the same "
        "end-to-end runs (CUDA-graph and compiled paths: the model graph on its own)"
    )
    print(HEADER + ("  [random weights]" if random else ""))
    baseline_ms: dict[int, float] = {}

    def show(row: PathResult) -> None:
        if row.path == BASELINE:
            baseline_ms[row.size] = row.median_ms
        speedup = baseline_ms[row.size] / row.median_ms
        peak = human_bytes(row.peak_bytes) if row.peak_bytes is not None else "n/a"
        reserved = "n/a"
        if row.peak_reserved_bytes is not None:
            reserved = human_bytes(row.peak_reserved_bytes)
        print(
            f"{row.path:<36} {row.size:>5} {row.median_ms:>9.1f} {row.min_ms:>9.1f} "
            f"{row.model_median_ms:>9.1f} {peak:>10} {reserved:>10} {speedup:>7.2f}x "
            f"{row.max_abs_diff:>6} {row.psnr_db:>7.1f}",
            flush=True,
        )

    modes = [CompileMode(mode) for mode in dict.fromkeys(args.compile_mode or [])]
    if args.compile and CompileMode.DEFAULT not in modes:
        modes.insert(0, CompileMode.DEFAULT)
    run_bench(model_path, device, sizes, args.runs, show, compile_modes=modes)
    return EXIT_OK


def _model(args: argparse.Namespace) -> tuple[Path, str]:
    from lamadesk.core.models.lama.random_weights import is_test_model

    if args.model is not None:
        path, weights = args.model, "weights from the given file"
    else:
        status = ModelStore().status(LAMA.name)
        if not status.installed:
            raise UsageError(
                "the LaMa model is not installed: download or import it, or write random "
                "weights of the same architecture with `python -m tools.make_test_model PATH` "
                "and pass --model PATH"
            )
        path, weights = status.path, "installed big-lama weights"
    if is_test_model(path):
        weights = "RANDOM weights of the real big-lama architecture (speed only)"
    return path, weights


def _device_name(device: str) -> str:
    import torch

    if device.startswith("cuda"):
        return f"{torch.cuda.get_device_name(device)} ({device})"
    return f"CPU {platform.processor() or platform.machine()}"
