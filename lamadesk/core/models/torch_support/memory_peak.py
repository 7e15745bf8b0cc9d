"""Peak memory of a stretch of work: VRAM on CUDA, resident memory on Linux CPUs."""

from __future__ import annotations

from pathlib import Path

import torch

_STATUS = Path("/proc/self/status")
_CLEAR_REFS = Path("/proc/self/clear_refs")


class PeakMemory:
    """Starts a fresh peak when created; `read()` gives the peak since, in bytes.

    On the CPU the figure is the whole process's peak resident set (Linux's VmHWM, reset by
    writing 5 to clear_refs), so compare it only between paths run in one process.
    """

    def __init__(self, device: torch.device) -> None:
        self._device = device
        self.reset()

    def reset(self) -> None:
        if self._device.type == "cuda":
            torch.cuda.synchronize(self._device)
            torch.cuda.reset_peak_memory_stats(self._device)
        elif _CLEAR_REFS.exists():
            _CLEAR_REFS.write_text("5")

    def read_reserved(self) -> int | None:
        """CUDA only: peak bytes held from the driver since `reset` (PyTorch's cache included)."""
        if self._device.type == "cuda":
            return torch.cuda.max_memory_reserved(self._device)
        return None

    def read(self) -> int | None:
        """Peak bytes since `reset`, or None where the platform cannot tell."""
        if self._device.type == "cuda":
            return torch.cuda.max_memory_allocated(self._device)
        if not _STATUS.exists():
            return None
        for line in _STATUS.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
        return None
