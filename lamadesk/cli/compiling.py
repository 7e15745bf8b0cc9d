"""`lamadesk-cli remove --compile`: compile each new image size before its first image.

Off by default: compiling takes about 45 s per size on a cold cache (seconds once cached in
the data folder), which only pays off over a long batch of same-sized images. Where compiling
cannot work (CPU, OpenCV or TorchScript, the bundled app, no Triton or C compiler) the reason
is printed as a notice and the batch runs uncompiled, never as an error.
"""

from __future__ import annotations

import sys
from typing import cast

from lamadesk.cli.terminal import ProgressLine
from lamadesk.core.models.base import InpaintBackend
from lamadesk.core.models.torch_support.compile_support import (
    backend_compile_blocker,
    use_compile_cache,
)
from lamadesk.core.models.torch_support.compile_warmup import (
    Compilable,
    CompileWarmup,
    WarmupEvent,
    WarmupState,
)

COMPILE_HELP = (
    "compile the model for each new image size before using it (native LaMa on an NVIDIA "
    "GPU): about 45 s per size the first time, seconds once cached, then each image is "
    "faster; off by default because a short batch spends longer compiling than it saves"
)


def compile_sizes_as_they_come(backend: InpaintBackend, line: ProgressLine) -> None:
    """Make `backend` compile each new size inline, printing a notice for each step.

    Args:
        backend: The opened backend; anything but native LaMa on CUDA gets the reason.
        line: The batch's progress line; notices replace its live text.
    """
    blocker = backend_compile_blocker(backend)
    if blocker is not None:
        print(f"notice: not compiling: {blocker.value}", file=sys.stderr)
        return
    use_compile_cache()
    warmup = CompileWarmup(cast(Compilable, backend), None)

    def on_event(event: WarmupEvent) -> None:
        line.finish(f"notice: {_describe(event)}")

    warmup.compile_inline(on_event)


def _describe(event: WarmupEvent) -> str:
    size = "" if event.shape is None else f"{event.shape[1]}×{event.shape[0]}"
    if event.state is WarmupState.COMPILING:
        return f"compiling the model for {size} (about 45 s the first time, seconds if cached) ..."
    if event.state is WarmupState.READY:
        return f"compiled for {size} in {event.seconds or 0.0:.1f} s"
    if event.state is WarmupState.FAILED:
        return f"compiling for {size} failed ({event.detail}); it runs uncompiled"
    return f"not compiling: {event.detail}"
