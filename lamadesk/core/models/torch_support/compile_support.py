"""Whether torch.compile can run here, and where its caches live on disk.

Compiling the native model (Inductor + Triton) needs a CUDA GPU, the Triton package and a C
compiler with Python headers (Triton builds a small launcher module). The bundled app has no
compiler and no Python sources for Inductor to work from, so it never compiles. Each check
answers with a reason a person can read instead of failing later inside PyTorch.

Compiled artefacts (Inductor's FX graph and autotuning caches, Triton's kernels) are kept in
lamadesk's data folder, so a size compiled once is ready within seconds at the next start.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import sys
import sysconfig
from enum import Enum
from pathlib import Path

from lamadesk.core.models.torch_support.compile_warmup import Compilable
from lamadesk.core.paths import data_dir

CACHE_ENV = ("TORCHINDUCTOR_CACHE_DIR", "TRITON_CACHE_DIR")
"""Variables PyTorch and Triton read for their cache folders (a person's own setting wins)."""


def compile_cache_dir() -> Path:
    """``<data dir>/compile-cache``: Inductor's caches, and Triton's in ``triton/`` below."""
    return data_dir() / "compile-cache"


def use_compile_cache(folder: Path | None = None) -> Path:
    """Point Inductor and Triton at ``folder`` (default `compile_cache_dir`) before compiling.

    Called when a compile is about to start, never at import: PyTorch and Triton read these
    variables when they first need a cache. Variables the person already set are kept.

    Returns:
        The Inductor cache folder in effect.
    """
    folder = folder or compile_cache_dir()
    inductor, triton = CACHE_ENV
    os.environ.setdefault(inductor, str(folder))
    os.environ.setdefault(triton, str(Path(os.environ[inductor]) / "triton"))
    Path(os.environ[inductor]).mkdir(parents=True, exist_ok=True)
    return Path(os.environ[inductor])


class CompileBlocker(Enum):
    """Why the model is not compiled here; the value is the English reason (log, CLI).

    The app words each member itself, in the person's language.
    """

    NOT_NATIVE = "only lamadesk's native LaMa engine can be compiled (not OpenCV or TorchScript)"
    NOT_CUDA = "compiling only pays off on a CUDA GPU; the CPU runs the model uncompiled"
    BUNDLED = "the bundled app has no compiler for torch.compile; install lamadesk with pip"
    NO_TRITON = "the Triton package is not installed (torch.compile needs it on NVIDIA GPUs)"
    NO_C_COMPILER = "no C compiler found (Triton needs one: set CC or install gcc or clang)"
    NO_PYTHON_HEADERS = "the Python development headers are missing (Triton needs Python.h)"


def compile_blocker(device: str) -> CompileBlocker | None:
    """What keeps torch.compile from being used for `device` here, or None when it can be.

    Cheap: looks for the pieces without importing Triton or compiling anything.
    """
    if not device.startswith("cuda"):
        return CompileBlocker.NOT_CUDA
    if getattr(sys, "frozen", False):
        return CompileBlocker.BUNDLED
    if importlib.util.find_spec("triton") is None:
        return CompileBlocker.NO_TRITON
    # triton-windows brings its own small C compiler; elsewhere Triton uses the system's.
    if sys.platform != "win32" and _c_compiler() is None:
        return CompileBlocker.NO_C_COMPILER
    include = sysconfig.get_paths().get("include")
    if not include or not (Path(include) / "Python.h").is_file():
        return CompileBlocker.NO_PYTHON_HEADERS
    return None


def compile_unavailable_reason(device: str) -> str | None:
    """Why torch.compile cannot be used for `device` here (English), or None when it can."""
    blocker = compile_blocker(device)
    return None if blocker is None else blocker.value


def backend_compile_blocker(backend: object) -> CompileBlocker | None:
    """What keeps `backend` from being compiled in the background, or None when nothing does.

    Only a :class:`~lamadesk.core.models.torch_support.compile_warmup.Compilable` backend
    (`NativeLamaBackend`) can be; then its device and this machine decide (`compile_blocker`).
    """
    if not isinstance(backend, Compilable):
        return CompileBlocker.NOT_NATIVE
    return compile_blocker(str(getattr(backend, "device", "cpu")))


def _c_compiler() -> str | None:
    candidates = [os.environ.get("CC", ""), "cc", "gcc", "clang"]
    for name in candidates:
        if name and shutil.which(name):
            return name
    return None
