"""Gather raw facts about PyTorch, CUDA and the NVIDIA driver, without judging them.

`probe()` only collects; `lamadesk.core.diagnostics` decides what the facts mean. Keeping the two
apart lets tests feed hand-made `ProbeFacts` for every broken setup without a GPU, and lets a
bug report carry the raw facts next to the verdict.

The probe never raises: every source (torch, NVML, nvidia-smi, /proc) is guarded on its own, so
a broken torch or a hung driver tool still yields a report that says why lamadesk uses the CPU.
Torch is imported inside `probe()` only, so importing this module stays cheap.
"""

from __future__ import annotations

import ctypes
import logging
import os
import platform
import re
import shutil
import subprocess
import sys
import warnings
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from types import ModuleType
from typing import TypeVar

logger = logging.getLogger(__name__)

_T = TypeVar("_T")

NVIDIA_SMI_TIMEOUT_S = 3.0
"""nvidia-smi can hang on a wedged driver; the probe runs at startup and must stay quick."""
WMI_TIMEOUT_S = 5.0
"""PowerShell starts slowly; asked only when no driver answered, never on a normal start."""
NVIDIA_PCI_VENDOR = "0x10de"

_SMI_FIELDS = "driver_version,name,memory.total,memory.free,compute_cap"
_MIB = 1024 * 1024
_PROC_DRIVER_VERSION = Path("/proc/driver/nvidia/version")
_PROC_NVIDIA = Path("/proc/driver/nvidia")
_SYSFS = Path("/sys")
_WSL_GPU = Path("/dev/dxg")
"""WSL 2 hands the Windows GPU through this device; it never appears on the guest's PCI bus."""
_WMI_COMMANDS = (
    [
        "powershell",
        "-NoProfile",
        "-Command",
        "Get-CimInstance Win32_VideoController | Select-Object -ExpandProperty Name",
    ],
    ["wmic", "path", "Win32_VideoController", "get", "Name"],
)
_WINDOWS_SMI = Path(r"C:\Program Files\NVIDIA Corporation\NVSMI\nvidia-smi.exe")


@dataclass(frozen=True)
class GpuInfo:
    """One NVIDIA GPU, as torch or the driver (NVML / nvidia-smi) sees it.

    Attributes:
        index: Device ordinal in the source that listed it (torch ordinals honour
            CUDA_VISIBLE_DEVICES; driver ordinals do not).
        name: Marketing name, e.g. "NVIDIA GeForce RTX 3060".
        capability: Compute capability (major, minor), or None when the source cannot tell.
        total_memory_bytes: Total VRAM, or None when unknown.
        free_memory_bytes: Free VRAM at probe time, or None when unknown.
    """

    index: int
    name: str
    capability: tuple[int, int] | None = None
    total_memory_bytes: int | None = None
    free_memory_bytes: int | None = None

    @property
    def capability_text(self) -> str | None:
        """The capability as NVIDIA writes it ("8.6"), or None."""
        return None if self.capability is None else f"{self.capability[0]}.{self.capability[1]}"


@dataclass(frozen=True)
class ProbeFacts:
    """Everything the probe found; no field is a verdict.

    Defaults describe "nothing found", so tests only spell out the facts that matter to them.

    Attributes:
        platform_system: `platform.system()`: "Linux", "Windows", "Darwin".
        python_version: The running Python, for bug reports.
        torch_error: Why `import torch` failed ("OSError: [WinError 126] ..."), else None.
        torch_version: `torch.__version__`, e.g. "2.14.1+cu130".
        torch_cuda_version: `torch.version.cuda` ("13.0"); None for CPU-only and ROCm builds.
        torch_hip_version: `torch.version.hip` for ROCm builds, whose GPUs torch calls "cuda".
        cudnn_version: `torch.backends.cudnn.version()`, e.g. 92400 for 9.24.0.
        cuda_available: What `torch.cuda.is_available()` returned (False if it raised).
        cuda_error: The text of CUDA's failure (from `torch.cuda.init()` or a warning).
        arch_list: `torch.cuda.get_arch_list()`: "sm_86", "compute_90" PTX entries, ...
        gpus: GPUs torch can see.
        driver_version: NVIDIA driver version string from NVML, nvidia-smi or /proc.
        driver_source: Where `driver_version` came from.
        driver_gpus: GPUs the driver lists, even when torch sees none.
        driver_error: What a driver tool said when it failed (nvidia-smi's message).
        driver_library_found: Whether libcuda / nvcuda.dll loads; None where not checked.
        cuda_visible_devices: The CUDA_VISIBLE_DEVICES value, None when unset.
        mps_available: `torch.backends.mps.is_available()` (Apple GPUs).
        nvidia_gpu_present: Read from cheap OS sources (/proc, sysfs, WMI) that need no driver,
            so "no NVIDIA GPU" can be told apart from "GPU without driver".
    """

    platform_system: str = ""
    python_version: str = ""
    torch_error: str | None = None
    torch_version: str | None = None
    torch_cuda_version: str | None = None
    torch_hip_version: str | None = None
    cudnn_version: int | None = None
    cuda_available: bool = False
    cuda_error: str | None = None
    arch_list: tuple[str, ...] = ()
    gpus: tuple[GpuInfo, ...] = ()
    driver_version: str | None = None
    driver_source: str | None = None
    driver_gpus: tuple[GpuInfo, ...] = ()
    driver_error: str | None = None
    driver_library_found: bool | None = None
    cuda_visible_devices: str | None = None
    mps_available: bool = False
    nvidia_gpu_present: bool | None = None
    """Whether the computer has an NVIDIA GPU at all (PCI vendor 0x10de), None when unknown."""
    frozen_app: bool = False
    """Running from the bundled executable: fixes name lamadesk downloads, not pip."""

    @property
    def cudnn_version_text(self) -> str | None:
        """92400 -> "9.24.0" (cuDNN 9 packs major*10000), 8907 -> "8.9.7" (cuDNN 8: *1000)."""
        if self.cudnn_version is None:
            return None
        major, rest = divmod(self.cudnn_version, 10000 if self.cudnn_version >= 90000 else 1000)
        return f"{major}.{rest // 100}.{rest % 100}"


@dataclass(frozen=True)
class _DriverFacts:
    version: str | None = None
    source: str | None = None
    gpus: tuple[GpuInfo, ...] = ()
    error: str | None = None


def probe() -> ProbeFacts:
    """Collect the facts about torch, CUDA and the driver; never raises.

    Initialises CUDA only when torch is a CUDA (or ROCm) build, because that is the only way to
    learn whether it works; a CPU-only build is never asked. Reading free VRAM creates a CUDA
    context on each visible GPU, which the app is about to need anyway.
    """
    system = platform.system()
    driver = _probe_driver(system)
    library_found = _driver_library_found(system)
    return replace(
        _probe_torch(),
        platform_system=system,
        python_version=platform.python_version(),
        driver_version=driver.version,
        driver_source=driver.source,
        driver_gpus=driver.gpus,
        driver_error=driver.error,
        driver_library_found=library_found,
        nvidia_gpu_present=_safely(
            lambda: _nvidia_gpu_present(system, driver, library_found), None
        ),
        cuda_visible_devices=os.environ.get("CUDA_VISIBLE_DEVICES"),
        frozen_app=bool(getattr(sys, "frozen", False)),
    )


def _describe(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}".strip()


def _safely(read: Callable[[], _T], default: _T) -> _T:
    """Return `read()`, or `default` if it raises: one broken fact must not hide the rest."""
    try:
        return read()
    except Exception as exc:  # noqa: BLE001 - the probe must never raise
        logger.debug("device probe: %s", _describe(exc))
        return default


def _probe_torch() -> ProbeFacts:
    try:
        import torch  # lazy on purpose: a broken torch must not break importing lamadesk
    except Exception as exc:  # noqa: BLE001 - ImportError, OSError (missing DLL), RuntimeError
        return ProbeFacts(torch_error=_describe(exc))
    cuda_version = _safely(lambda: torch.version.cuda, None)
    hip_version = _safely(lambda: torch.version.hip, None)
    # Torch reports some CUDA trouble as warnings; record them instead of letting them escape.
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        cuda = _probe_torch_cuda(torch) if (cuda_version or hip_version) else ProbeFacts()
        mps = _safely(lambda: bool(torch.backends.mps.is_available()), False)
    cuda_error = cuda.cuda_error
    if cuda_error is None and caught and (cuda_version or hip_version) and not cuda.cuda_available:
        cuda_error = "; ".join(str(w.message).strip() for w in caught)
    return replace(
        cuda,
        torch_version=_safely(lambda: str(torch.__version__), None),
        torch_cuda_version=cuda_version,
        torch_hip_version=hip_version,
        cuda_error=cuda_error,
        mps_available=mps,
    )


def _probe_torch_cuda(torch: ModuleType) -> ProbeFacts:
    error = None
    try:
        available = bool(torch.cuda.is_available())
    except Exception as exc:  # noqa: BLE001 - is_available() should not raise, but has
        available, error = False, _describe(exc)
    if not available and error is None:
        # is_available() only says False; init() raises with CUDA's own explanation.
        try:
            torch.cuda.init()
        except Exception as exc:  # noqa: BLE001 - this exception is the fact we want
            error = _describe(exc)
    count = _safely(torch.cuda.device_count, 0) if available else 0
    return ProbeFacts(
        cudnn_version=_safely(torch.backends.cudnn.version, None),
        cuda_available=available,
        cuda_error=error,
        arch_list=tuple(_safely(torch.cuda.get_arch_list, [])),
        gpus=tuple(_torch_gpu(torch, index) for index in range(count)),
    )


def _torch_gpu(torch: ModuleType, index: int) -> GpuInfo:
    props = _safely(lambda: torch.cuda.get_device_properties(index), None)
    free_total = _safely(lambda: torch.cuda.mem_get_info(index), None)
    if props is None:
        name = _safely(lambda: str(torch.cuda.get_device_name(index)), f"CUDA device {index}")
        return GpuInfo(index, name)
    return GpuInfo(
        index=index,
        name=str(props.name),
        capability=(int(props.major), int(props.minor)),
        total_memory_bytes=int(props.total_memory),
        free_memory_bytes=None if free_total is None else int(free_total[0]),
    )


def _probe_driver(system: str) -> _DriverFacts:
    """Ask NVML (if nvidia-ml-py is installed), then nvidia-smi, then /proc, in that order."""
    nvml = _safely(_probe_nvml, None)
    if nvml is not None:
        return nvml
    smi = _safely(lambda: _probe_nvidia_smi(system), _DriverFacts())
    if smi.version is None and system == "Linux":
        proc = _safely(lambda: parse_proc_driver_version(_PROC_DRIVER_VERSION.read_text()), None)
        if proc is not None:
            return _DriverFacts(proc, str(_PROC_DRIVER_VERSION), smi.gpus, smi.error)
    return smi


def _probe_nvml() -> _DriverFacts | None:
    try:
        import pynvml  # optional: nvidia-ml-py is not a dependency
    except ImportError:
        return None
    pynvml.nvmlInit()
    try:
        version = _text(pynvml.nvmlSystemGetDriverVersion())
        gpus = []
        for index in range(pynvml.nvmlDeviceGetCount()):
            handle = pynvml.nvmlDeviceGetHandleByIndex(index)
            memory = _safely(lambda h=handle: pynvml.nvmlDeviceGetMemoryInfo(h), None)
            cap = _safely(lambda h=handle: pynvml.nvmlDeviceGetCudaComputeCapability(h), None)
            gpus.append(
                GpuInfo(
                    index=index,
                    name=_text(pynvml.nvmlDeviceGetName(handle)),
                    capability=None if cap is None else (int(cap[0]), int(cap[1])),
                    total_memory_bytes=None if memory is None else int(memory.total),
                    free_memory_bytes=None if memory is None else int(memory.free),
                )
            )
    finally:
        pynvml.nvmlShutdown()
    return _DriverFacts(version, "NVML", tuple(gpus))


def _text(value: str | bytes) -> str:
    """Old nvidia-ml-py releases return bytes, newer ones str."""
    return value.decode() if isinstance(value, bytes) else value


def _probe_nvidia_smi(system: str) -> _DriverFacts:
    executable = shutil.which("nvidia-smi")
    if executable is None and system == "Windows" and _WINDOWS_SMI.is_file():
        executable = str(_WINDOWS_SMI)
    if executable is None:
        return _DriverFacts()
    # Drivers older than 510 reject the compute_cap field; ask again without it.
    error = "nvidia-smi failed"
    for fields in (_SMI_FIELDS, _SMI_FIELDS.removesuffix(",compute_cap")):
        try:
            result = subprocess.run(
                [executable, f"--query-gpu={fields}", "--format=csv,noheader,nounits"],
                capture_output=True,
                text=True,
                timeout=NVIDIA_SMI_TIMEOUT_S,
                check=False,
                # A GUI process on Windows would otherwise flash a console window.
                creationflags=getattr(subprocess, "CREATE_NO_WINDOW", 0),
            )
        except subprocess.TimeoutExpired:
            return _DriverFacts(error=f"nvidia-smi gave no answer in {NVIDIA_SMI_TIMEOUT_S:g} s")
        if result.returncode == 0:
            version, gpus = parse_nvidia_smi(result.stdout)
            return _DriverFacts(version, "nvidia-smi", gpus)
        lines = (result.stdout + result.stderr).strip().splitlines()
        error = f"nvidia-smi: {lines[0] if lines else f'exit status {result.returncode}'}"
    return _DriverFacts(error=error)


def parse_nvidia_smi(output: str) -> tuple[str | None, tuple[GpuInfo, ...]]:
    """Parse `nvidia-smi --query-gpu=... --format=csv,noheader,nounits` output.

    Args:
        output: One line per GPU: driver version, name, total MiB, free MiB and, from driver
            510 on, the compute capability ("8.6").

    Returns:
        The driver version (None if no line parsed) and the GPUs, in nvidia-smi's order.
    """
    version, gpus = None, []
    for line in output.splitlines():
        fields = [field.strip() for field in line.split(",")]
        if len(fields) < 4:
            continue
        has_cap = len(fields) >= 5 and re.fullmatch(r"\d+\.\d+|\[.*\]", fields[-1]) is not None
        numbers = fields[-3:] if has_cap else [*fields[-2:], ""]
        name = ", ".join(fields[1 : len(fields) - 3 if has_cap else len(fields) - 2])
        version = fields[0]
        cap = re.fullmatch(r"(\d+)\.(\d+)", numbers[2])
        gpus.append(
            GpuInfo(
                index=len(gpus),
                name=name,
                capability=(int(cap[1]), int(cap[2])) if cap else None,
                total_memory_bytes=int(numbers[0]) * _MIB if numbers[0].isdigit() else None,
                free_memory_bytes=int(numbers[1]) * _MIB if numbers[1].isdigit() else None,
            )
        )
    return version, tuple(gpus)


def parse_proc_driver_version(text: str) -> str | None:
    """Read the version from /proc/driver/nvidia/version ("... Kernel Module  550.54.14 ...")."""
    match = re.search(r"Kernel Module(?: for \S+)?\s+(\d+\.\d+(?:\.\d+)?)", text)
    return match[1] if match else None


def _driver_library_found(system: str) -> bool | None:
    """Whether the CUDA driver library loads: the plainest sign that a driver is installed."""
    names = {"Linux": "libcuda.so.1", "Windows": "nvcuda.dll"}
    if system not in names:
        return None
    try:
        ctypes.CDLL(names[system])
    except OSError:
        return False
    return True


def _nvidia_gpu_present(
    system: str, driver: _DriverFacts, library_found: bool | None
) -> bool | None:
    """Whether an NVIDIA GPU is plugged in, asking the OS only when the driver did not answer."""
    if driver.gpus or driver.version is not None:
        return True
    if system == "Darwin":
        return False  # Apple has shipped no NVIDIA GPU since 2016, and no driver for newer macOS
    if system == "Linux":
        if nvidia_gpus_in_proc(_PROC_NVIDIA):
            return True
        return None if _WSL_GPU.exists() else nvidia_gpu_in_sysfs(_SYSFS)
    if system == "Windows" and library_found is not True:
        return _nvidia_gpu_in_wmi()
    return None


def nvidia_gpus_in_proc(proc_nvidia: Path) -> bool:
    """Whether the loaded NVIDIA kernel module lists a GPU (``/proc/driver/nvidia/gpus/*``)."""
    gpus = proc_nvidia / "gpus"
    return gpus.is_dir() and any(gpus.iterdir())


def nvidia_gpu_in_sysfs(sys_root: Path) -> bool | None:
    """Whether sysfs lists an NVIDIA display controller (PCI class 0x03xxxx); None if no PCI.

    NVIDIA also makes USB and audio controllers that sit on its GPUs' boards; only the display
    class (VGA, 3D controller) counts. Needs no driver, unlike nvidia-smi.
    """
    devices = sys_root / "bus" / "pci" / "devices"
    found = False
    for device in sorted(devices.glob("*")) if devices.is_dir() else ():
        found = True
        vendor = _safely(lambda d=device: (d / "vendor").read_text().strip().lower(), "")
        device_class = _safely(lambda d=device: (d / "class").read_text().strip().lower(), "")
        if vendor == NVIDIA_PCI_VENDOR and device_class.startswith("0x03"):
            return True
    return False if found else None


def _nvidia_gpu_in_wmi() -> bool | None:
    for command in _WMI_COMMANDS:
        try:
            result = subprocess.run(
                command,
                capture_output=True,
                text=True,
                timeout=WMI_TIMEOUT_S,
                check=False,
                creationflags=getattr(subprocess, "CREATE_NO_WINDOW", 0),
            )
        except (OSError, subprocess.TimeoutExpired) as exc:
            logger.debug("device probe: %s", _describe(exc))
            continue
        if result.returncode == 0:
            found = nvidia_in_video_controllers(result.stdout.replace("Name", ""))
            if found is not None:
                return found
    return None


def nvidia_in_video_controllers(names: str) -> bool | None:
    """Whether WMI's Win32_VideoController names (one a line) include an NVIDIA one."""
    lines = [line.strip() for line in names.splitlines() if line.strip()]
    if not lines:
        return None
    return any("nvidia" in line.lower() for line in lines)


def visible_device_count(value: str | None, driver_count: int | None) -> int | None:
    """How many GPUs CUDA_VISIBLE_DEVICES lets through, parsed the way CUDA does; None if unset.

    Entries are read up to the first that is not a valid ordinal (empty, "-1", beyond
    `driver_count` when known); a repeated ordinal hides everything. "GPU-"/"MIG-" UUIDs cannot
    be checked without NVML, so they count as visible.
    """
    if value is None:
        return None
    seen: set[int] = set()
    count = 0
    for entry in (e.strip() for e in value.split(",")):
        if entry.startswith(("GPU-", "MIG-")):
            count += 1
            continue
        match = re.match(r"[+-]?\d+", entry)
        index = int(match[0]) if match else -1
        if index < 0 or (driver_count is not None and index >= driver_count):
            break
        if index in seen:
            return 0
        seen.add(index)
        count += 1
    return count
