"""Decide the compute device from probe facts, and say why CUDA is not used and how to fix it.

IOPaint users are left with `torch.cuda.is_available() is False`; lamadesk names the state
instead (CPU-only PyTorch, no driver, old driver, unsupported GPU, hidden GPUs, ...) together
with the fix. `diagnose()` is pure given `ProbeFacts`, so every state is testable without a GPU.
A device that cannot work never stops the program: it falls back to the CPU with a warning.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from enum import Enum

from lamadesk.core.device_probe import GpuInfo, ProbeFacts, probe, visible_device_count

logger = logging.getLogger(__name__)

MIN_DRIVER_FOR_CUDA: dict[int, tuple[str, str]] = {
    11: ("450.80.02", "452.39"),
    12: ("525.60.13", "528.33"),
    13: ("580.65.06", "580.88"),
}
"""Oldest NVIDIA driver (Linux, Windows) for a PyTorch built with CUDA <major>.x.

Since CUDA 11, any minor release of a major runs on the driver minimum of that major ("minor
version compatibility"), so the key is the major alone. 11.x and 12.x: NVIDIA's CUDA Toolkit
release notes, "Minimum Required Driver Version for CUDA Minor Version Compatibility". 13.x:
NVIDIA states ">= 580" (docs.nvidia.com/deploy/cuda-compatibility); we give the R580 drivers
that shipped with CUDA 13.0 GA, the first production ones. WSL reports the Windows driver's
version, which is higher than its Linux twin, so comparing it to the Linux column is lenient.
"""

DRIVER_DOWNLOAD_URL = "https://www.nvidia.com/Download/index.aspx"
VC_REDIST_URL = "https://aka.ms/vs/17/release/vc_redist.x64.exe"
VALID_DEVICE_FORMS = ("auto", "cpu", "cuda", "cuda:N", "mps")
_WHEEL_CUDA = {"cu130": "13.0", "cu126": "12.6", "cu118": "11.8"}
"""PyTorch wheel indexes that fixes name, newest first, and the CUDA each is built with."""
TORCH_REINSTALL = "python -m pip install --force-reinstall torch"
CPU_TORCH_COMMAND = f"{TORCH_REINSTALL} --index-url https://download.pytorch.org/whl/cpu"


class DeviceKind(Enum):
    """What the person asked for."""

    AUTO = "auto"
    CPU = "cpu"
    CUDA = "cuda"
    MPS = "mps"


class CudaState(Enum):
    """Why CUDA can or cannot be used, independent of what was requested."""

    USABLE = "usable"
    TORCH_BROKEN = "torch_broken"
    MACOS = "macos"
    CPU_ONLY_BUILD = "cpu_only_build"
    NO_NVIDIA_GPU = "no_nvidia_gpu"
    NO_DRIVER = "no_driver"
    DRIVER_TOO_OLD = "driver_too_old"
    DEVICES_HIDDEN = "devices_hidden"
    ARCH_UNSUPPORTED = "arch_unsupported"
    INIT_FAILED = "init_failed"


@dataclass(frozen=True)
class DeviceRequest:
    """A parsed device string; `index` is set only for "cuda:N"."""

    kind: DeviceKind
    index: int | None = None

    def __str__(self) -> str:
        return self.kind.value if self.index is None else f"cuda:{self.index}"


@dataclass(frozen=True)
class CudaProblem:
    """Why CUDA cannot be used, as facts a UI can word in any language, and in English.

    Attributes:
        state: What is wrong.
        reason: English clause for logs, the CLI and bug reports.
        fix: English fix, None when there is nothing to do.
        params: The facts the wording fills in, all strings. Per state: TORCH_BROKEN: error,
            command, vc_redist_url (Windows); MACOS: mps (set when MPS works);
            CPU_ONLY_BUILD: torch_version + install facts; NO_NVIDIA_GPU: cpu_torch_command
            (a CUDA build that could shrink); NO_DRIVER: url, driver_error (driver broken),
            gpu_present (GPU seen), minimum and cuda_version (known minimum);
            DRIVER_TOO_OLD: driver_version, cuda_version, url, minimum, older_only (cu118
            suggested) + install facts of an older build; DEVICES_HIDDEN: value,
            driver_gpu_count; ARCH_UNSUPPORTED: gpu, capability, arch_list, advice ("cpu",
            "cu126", "cu130") + install facts; INIT_FAILED: error. Install facts: tag and
            either install_command (pip) or install_download (bundled app).
    """

    state: CudaState
    reason: str
    fix: str | None
    params: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class DeviceReport:
    """The verdict: which device to use, and why CUDA is not used if it is not.

    Attributes:
        facts: The raw probe facts the verdict was drawn from.
        requested: The request in canonical form ("auto", "cuda:1", ...).
        selected_device: A torch device string: "cpu", "cuda:0", "mps".
        cuda_used: Whether `selected_device` is a CUDA device.
        reason: Why the selected device is not CUDA (lowercase clause); None when CUDA is used.
        fix: What the person can do about `reason`; None when there is nothing to do.
        warnings: Fallbacks and side problems, already logged with `logging.warning`.
        cuda_state: The state of CUDA itself, whatever was requested.
        cuda_reason: Why CUDA is unusable (None when usable), even when "cpu" was requested.
        cuda_fix: The fix for `cuda_reason`.
        problem: The facts behind `cuda_reason` and `cuda_fix`, for wording them in the UI.
    """

    facts: ProbeFacts
    requested: str
    selected_device: str
    cuda_used: bool
    reason: str | None
    fix: str | None
    warnings: tuple[str, ...]
    cuda_state: CudaState
    cuda_reason: str | None
    cuda_fix: str | None
    problem: CudaProblem | None = None


def parse_device(text: str) -> DeviceRequest:
    """Parse "auto", "cpu", "cuda", "cuda:N" or "mps" (any case, surrounding spaces ignored).

    Raises:
        ValueError: For anything else; the message lists the valid forms for a usage error.
    """
    value = text.strip().lower()
    if value in {kind.value for kind in DeviceKind}:
        return DeviceRequest(DeviceKind(value))
    match = re.fullmatch(r"cuda:(\d+)", value)
    if match is None:
        raise ValueError(f"invalid device {text!r}; valid forms: {', '.join(VALID_DEVICE_FORMS)}")
    return DeviceRequest(DeviceKind.CUDA, int(match[1]))


def diagnose(requested: str = "auto", facts: ProbeFacts | None = None) -> DeviceReport:
    """Pick the device for `requested` and explain the choice; never fails for device reasons.

    "auto" picks the first usable CUDA GPU, else the CPU; it does not pick MPS, which must be
    asked for. "cuda" or "cuda:N" that cannot work falls back to the CPU with a warning. A
    "cuda:N" whose GPU is missing or unsupported falls back to the first usable GPU, warning
    with the valid range, because the person clearly wants a GPU.

    Args:
        requested: A device string, see `parse_device`.
        facts: Probe facts; `probe()` runs when None.

    Raises:
        ValueError: `requested` is not a valid device string (checked before probing).
    """
    request = parse_device(requested)
    facts = probe() if facts is None else facts
    problems = _cuda_problems(facts)
    usable = [] if problems else [g for g in facts.gpus if _gpu_supported(facts, g)]
    main = problems[0] if problems else None
    notes = [f"also: {p.reason}" for p in problems[1:]]
    notes += [
        f"cuda:{g.index} ({g.name}, compute capability {g.capability_text}) is not supported "
        "by this PyTorch build"
        for g in facts.gpus
        if usable and g not in usable and g.index != request.index
    ]
    selected = "cpu"
    reason, fix = (None, None) if main is None else (main.reason, main.fix)
    if request.kind is DeviceKind.CPU:
        reason, fix = "the CPU was requested", None
    elif request.kind is DeviceKind.MPS:
        if facts.torch_error is None and facts.mps_available:
            selected, reason, fix = "mps", "the Apple GPU (mps) was requested", None
        else:
            reason, fix = "mps was requested but the Apple GPU (MPS) is not available", None
            notes.append(f"{reason}; using the CPU")
    elif usable:
        chosen = next((g for g in usable if g.index == request.index), usable[0])
        selected, reason, fix = f"cuda:{chosen.index}", None, None
        if request.index is not None and chosen.index != request.index:
            notes.append(_wrong_index_note(facts, request.index, chosen))
    elif request.kind is DeviceKind.CUDA:
        notes.append(f"{request} was requested but CUDA cannot be used: {reason}; using the CPU")
    for note in notes:
        logger.warning("%s", note)
    if reason is not None and not selected.startswith("cuda"):
        logger.info("Using %s because %s", selected, reason)
    return DeviceReport(
        facts=facts,
        requested=str(request),
        selected_device=selected,
        cuda_used=selected.startswith("cuda"),
        reason=reason,
        fix=fix,
        warnings=tuple(notes),
        cuda_state=CudaState.USABLE if main is None else main.state,
        cuda_reason=None if main is None else main.reason,
        cuda_fix=None if main is None else main.fix,
        problem=main,
    )


def _wrong_index_note(facts: ProbeFacts, index: int, chosen: GpuInfo) -> str:
    count = len(facts.gpus)
    if index >= count:
        valid = "cuda:0" if count == 1 else f"cuda:0 to cuda:{count - 1}"
        return f"cuda:{index} does not exist (valid: {valid}); using cuda:{chosen.index}"
    gpu = facts.gpus[index]
    return (
        f"cuda:{index} ({gpu.name}) is not supported by this PyTorch build; "
        f"using cuda:{chosen.index}"
    )


def _cuda_problems(f: ProbeFacts) -> list[CudaProblem]:
    """Every reason CUDA cannot be used, most basic first; empty when a GPU is usable."""
    if f.torch_error is not None:
        return [_torch_broken(f)]
    if f.platform_system == "Darwin":
        fix = "choose the device 'mps' to try the Apple GPU" if f.mps_available else None
        params = {"mps": "mps"} if f.mps_available else {}
        return [CudaProblem(CudaState.MACOS, "CUDA does not exist on macOS", fix, params)]
    if f.nvidia_gpu_present is False and f.driver_library_found is not True and not f.gpus:
        return [_no_nvidia_gpu(f)]
    if f.torch_cuda_version is None and f.torch_hip_version is None:
        reason = (
            f"this PyTorch ({f.torch_version}) is a CPU-only build (torch.version.cuda is None)"
        )
        tag = _suggested_tag(f)
        params = {"torch_version": f.torch_version or "?", **_install_params(f, tag)}
        return [CudaProblem(CudaState.CPU_ONLY_BUILD, reason, _install_torch(f, tag), params)]
    if f.cuda_available and any(_gpu_supported(f, g) for g in f.gpus):
        return []
    problems = [p for p in (_driver_problem(f), _hidden_problem(f)) if p is not None]
    if f.cuda_available and f.gpus:
        problems.append(_arch_problem(f, f.gpus[0]))
    if not problems:
        error = f.cuda_error or (
            "no CUDA device could be read"
            if f.cuda_available
            else "torch.cuda.is_available() returned False"
        )
        fix = (
            "restart the computer (a driver update may be waiting for it); if that does not "
            "help, reinstall the NVIDIA driver and PyTorch, and attach this report when asking"
        )
        reason = f"CUDA initialisation failed: {error}"
        problems.append(CudaProblem(CudaState.INIT_FAILED, reason, fix, {"error": error}))
    return problems


def _no_nvidia_gpu(f: ProbeFacts) -> CudaProblem:
    """No NVIDIA GPU at all: the CPU is the right device, a CUDA PyTorch only costs disk space."""
    fix = "runs on the CPU; nothing to fix"
    if f.torch_cuda_version is None or f.frozen_app:
        return CudaProblem(CudaState.NO_NVIDIA_GPU, "there is no NVIDIA GPU in this computer", fix)
    fix += f" (optional: the CPU-only PyTorch saves about 4 GB: {CPU_TORCH_COMMAND})"
    params = {"cpu_torch_command": CPU_TORCH_COMMAND}
    reason = "there is no NVIDIA GPU in this computer"
    return CudaProblem(CudaState.NO_NVIDIA_GPU, reason, fix, params)


def _torch_broken(f: ProbeFacts) -> CudaProblem:
    error = f.torch_error or ""
    params = {"error": error, "command": TORCH_REINSTALL}
    fix = f"reinstall PyTorch: {TORCH_REINSTALL} (or reinstall lamadesk)"
    if f.platform_system == "Windows" or re.search(r"winerror|\.dll|c10", error, re.IGNORECASE):
        params["vc_redist_url"] = VC_REDIST_URL
        fix = (
            f"install the Microsoft Visual C++ Redistributable (x64) from {VC_REDIST_URL} and "
            f"restart lamadesk; if the error stays, {fix}"
        )
    return CudaProblem(CudaState.TORCH_BROKEN, f"PyTorch cannot be loaded ({error})", fix, params)


def _driver_problem(f: ProbeFacts) -> CudaProblem | None:
    error = (f.cuda_error or "").lower()
    minimum = min_driver_for(f.torch_cuda_version, f.platform_system)
    needs = f" ({minimum} or newer for CUDA {f.torch_cuda_version})" if minimum else ""
    params = {"url": DRIVER_DOWNLOAD_URL}
    if minimum:
        params.update(minimum=minimum, cuda_version=f.torch_cuda_version or "")
    no_driver = "no nvidia driver" in error or (
        f.driver_version is None and not f.driver_gpus and f.driver_library_found is False
    )
    if no_driver:
        broken = f.driver_error is not None
        if broken:
            params["driver_error"] = f.driver_error or ""
            reason = f"the NVIDIA driver is installed but not working ({f.driver_error})"
        elif f.nvidia_gpu_present:
            params["gpu_present"] = "yes"
            reason = "this computer has an NVIDIA GPU, but its driver is not installed"
        else:
            reason = "no NVIDIA driver was found (no NVIDIA GPU, or its driver is not installed)"
        action = "reinstall" if broken else "install"
        fix = f"{action} the NVIDIA driver{needs} from {DRIVER_DOWNLOAD_URL} and restart"
        return CudaProblem(CudaState.NO_DRIVER, reason, fix, params)
    driver, needed = _version_tuple(f.driver_version), _version_tuple(minimum)
    too_old = "too old" in error or "driver version is insufficient" in error
    if not too_old and not (driver and needed and driver < needed):
        return None
    reason = (
        f"the NVIDIA driver {f.driver_version or '(version unknown)'} is too old for this "
        f"PyTorch, built with CUDA {f.torch_cuda_version}"
        + (f", which needs driver {minimum} or newer" if minimum else "")
    )
    params.update(driver_version=f.driver_version or "", cuda_version=f.torch_cuda_version or "")
    fix = f"update the NVIDIA driver from {DRIVER_DOWNLOAD_URL}"
    older = _suggested_tag(f)
    if _driver_supports(f, older) and older != _tag(f):
        params.update(_install_params(f, older))
        fix += f", or {_install_torch(f, older)}"
        if older == "cu118":
            params["older_only"] = "yes"
            fix += " (older PyTorch releases only)"
    return CudaProblem(CudaState.DRIVER_TOO_OLD, reason, fix, params)


def _hidden_problem(f: ProbeFacts) -> CudaProblem | None:
    driver_count = len(f.driver_gpus) or None
    if f.gpus or visible_device_count(f.cuda_visible_devices, driver_count) != 0:
        return None
    count = len(f.driver_gpus)
    seen = f" (the driver sees {count} GPU{'s' if count > 1 else ''})" if count else ""
    reason = f"CUDA_VISIBLE_DEVICES={f.cuda_visible_devices!r} hides every GPU{seen}"
    fix = "unset CUDA_VISIBLE_DEVICES (or set it to a GPU index such as 0) and restart lamadesk"
    params = {"value": f.cuda_visible_devices or "", "driver_gpu_count": str(count)}
    return CudaProblem(CudaState.DEVICES_HIDDEN, reason, fix, params)


def _arch_problem(f: ProbeFacts, gpu: GpuInfo) -> CudaProblem:
    cap = gpu.capability or (0, 0)
    reason = (
        f"the GPU {gpu.name} (compute capability {gpu.capability_text}) is not supported by "
        f"this PyTorch build, which has kernels for {' '.join(f.arch_list)}"
    )
    built = [_arch_number(a) for a in f.arch_list if _arch_number(a)]
    params = {
        "gpu": gpu.name,
        "capability": gpu.capability_text or "?",
        "arch_list": " ".join(f.arch_list),
    }
    if cap < (5, 0):
        params["advice"] = "cpu"
        fix = "keep using the CPU: current PyTorch CUDA builds need compute capability 5.0+"
    elif built and all(b > cap for b in built):
        params.update(advice="cu126", **_install_params(f, "cu126"))
        fix = (
            "CUDA 12.6 is the last with kernels for Maxwell, Pascal and Volta GPUs: "
            f"{_install_torch(f, 'cu126')}"
        )
    else:
        params.update(advice="cu130", **_install_params(f, "cu130"))
        fix = _install_torch(f, "cu130")
    return CudaProblem(CudaState.ARCH_UNSUPPORTED, reason, fix, params)


def _suggested_tag(f: ProbeFacts) -> str:
    """The PyTorch wheel index ("cu126", ...) most likely to work with these GPUs and driver."""
    caps = [g.capability for g in (f.gpus or f.driver_gpus) if g.capability]
    if caps and min(caps) < (7, 5):
        return "cu126"  # CUDA 13 dropped Maxwell, Pascal and Volta
    if f.driver_version is None:
        return "cu130" if caps and max(caps) >= (10, 0) else "cu126"
    return next((tag for tag in _WHEEL_CUDA if _driver_supports(f, tag)), "cu118")


def _driver_supports(f: ProbeFacts, tag: str) -> bool:
    driver = _version_tuple(f.driver_version)
    minimum = _version_tuple(min_driver_for(_WHEEL_CUDA[tag], f.platform_system))
    return driver is not None and minimum is not None and driver >= minimum


def _install_params(f: ProbeFacts, tag: str) -> dict[str, str]:
    """How to get a PyTorch built for CUDA `tag`: a pip command, or the matching download.

    People running the bundled executable have no pip; their PyTorch comes with the download.
    """
    if f.frozen_app:
        return {"tag": tag, "install_download": f"lamadesk-VERSION-windows-{tag}"}
    url = f"https://download.pytorch.org/whl/{tag}"
    return {"tag": tag, "install_command": f"{TORCH_REINSTALL} --index-url {url}"}


def _install_torch(f: ProbeFacts, tag: str) -> str:
    """`_install_params` in English."""
    params = _install_params(f, tag)
    if "install_download" in params:
        return f"use the lamadesk download built for {tag} ({params['install_download']})"
    return f"install the PyTorch build for {tag}: {params['install_command']}"


def _tag(f: ProbeFacts) -> str:
    return "cu" + (f.torch_cuda_version or "").replace(".", "")


def min_driver_for(cuda_version: str | None, platform_system: str) -> str | None:
    """The oldest driver for PyTorch's CUDA version ("12.6") on a platform, if known."""
    major = (cuda_version or "").partition(".")[0]
    versions = MIN_DRIVER_FOR_CUDA.get(int(major)) if major.isdigit() else None
    if versions is None:
        return None
    return versions[1] if platform_system == "Windows" else versions[0]


def _version_tuple(version: str | None) -> tuple[int, ...] | None:
    numbers = re.findall(r"\d+", version or "")
    return tuple(int(n) for n in numbers) if numbers else None


def _arch_number(arch: str) -> tuple[int, int] | None:
    """Map "sm_86" to (8, 6) and "compute_120a" to (12, 0); None for anything else."""
    match = re.fullmatch(r"(?:sm|compute)_(\d+)[af]?", arch)
    return None if match is None else divmod(int(match[1]), 10)


def arch_supports(capability: tuple[int, int], arch_list: tuple[str, ...]) -> bool:
    """Whether a build with `arch_list` has code that runs on a GPU of `capability`.

    A cubin "sm_XY" runs on GPUs of the same major X with minor >= Y (NVIDIA's binary
    compatibility), except arch-specific "sm_XYa", which runs on X.Y only. A PTX "compute_XY"
    is compiled by the driver for any GPU of capability >= X.Y. An empty or non-NVIDIA list
    (ROCm "gfx...") gives no evidence either way, so it counts as supported.
    """
    entries = [(arch, _arch_number(arch)) for arch in arch_list]
    entries = [(arch, number) for arch, number in entries if number is not None]
    return not entries or any(
        number == capability
        if arch.endswith("a")
        else number <= capability
        if arch.startswith("compute_")
        else number[0] == capability[0] and number[1] <= capability[1]
        for arch, number in entries
    )


def _gpu_supported(f: ProbeFacts, gpu: GpuInfo) -> bool:
    return gpu.capability is None or arch_supports(gpu.capability, f.arch_list)


def status_line(report: DeviceReport) -> str:
    """The one-line headline: the status bar text and the first line of `format_report`."""
    if report.cuda_used:
        gpu = next(g for g in report.facts.gpus if f"cuda:{g.index}" == report.selected_device)
        return f"Using CUDA on {gpu.name} ({report.selected_device})"
    if report.selected_device == "mps":
        return "Using the Apple GPU (mps)"
    line = f"Using CPU because {_sentence(report.reason or 'no GPU is usable')}"
    return f"{line} Fix: {_sentence(report.fix)}" if report.fix else line


def _sentence(text: str) -> str:
    return text if text.endswith((".", "!", "?")) else f"{text}."


def format_report(report: DeviceReport, preamble: Sequence[tuple[str, str]] = ()) -> str:
    """A readable multi-line report: what `lamadesk-cli doctor` prints and the UI copies.

    Args:
        report: The verdict and its facts.
        preamble: Rows (label, value) shown first, aligned with the rest: what is installed.
    """
    f = report.facts
    build = f.torch_cuda_version or (
        f"ROCm {f.torch_hip_version}" if f.torch_hip_version else "none"
    )
    driver = f"{f.driver_version} ({f.driver_source})" if f.driver_version else "not found"
    mac = f.platform_system == "Darwin"
    rows = [
        *preamble,
        ("Requested device", report.requested),
        ("Selected device", report.selected_device),
        *(("Warning", warning) for warning in report.warnings),
        ("CUDA state", report.cuda_state.value),
        *(
            [("CUDA problem", report.cuda_reason), ("CUDA fix", report.cuda_fix or "-")]
            if report.cuda_reason and report.cuda_reason != report.reason
            else []
        ),
        ("Platform", f"{f.platform_system or 'unknown'} (Python {f.python_version or '?'})"),
        ("PyTorch", f.torch_version or f"not loadable: {f.torch_error}"),
        ("PyTorch CUDA", build),
        ("cuDNN", f.cudnn_version_text or "-"),
        ("CUDA available", "yes" if f.cuda_available else f"no ({f.cuda_error or '-'})"),
        ("Kernels built for", " ".join(f.arch_list) or "-"),
        ("NVIDIA driver", driver + (f" ({f.driver_error})" if f.driver_error else "")),
        ("NVIDIA GPU present", {True: "yes", False: "no"}.get(f.nvidia_gpu_present, "unknown")),
        (
            "CUDA_VISIBLE_DEVICES",
            "(unset)" if f.cuda_visible_devices is None else repr(f.cuda_visible_devices),
        ),
        *([("Apple GPU (MPS)", "available" if f.mps_available else "not available")] * mac),
        ("CUDA devices", str(len(f.gpus))),
        *((f"  cuda:{g.index}", _describe_gpu(g)) for g in f.gpus),
        *((f"  driver GPU {g.index}", _describe_gpu(g)) for g in f.driver_gpus if not f.gpus),
    ]
    width = max(len(key) for key, _ in rows) + 1
    lines = [f"{key + ':':<{width}} {value}" for key, value in rows]
    return "\n".join([status_line(report), "", *lines])


def _describe_gpu(gpu: GpuInfo) -> str:
    parts = [gpu.name, f"compute {gpu.capability_text or '?'}"]
    if gpu.total_memory_bytes is not None:
        parts.append(f"{gpu.total_memory_bytes / 2**30:.1f} GiB total")
    if gpu.free_memory_bytes is not None:
        parts.append(f"{gpu.free_memory_bytes / 2**30:.1f} GiB free")
    return ", ".join(parts)


def _gpu_dict(gpu: GpuInfo) -> dict[str, object]:
    return {**asdict(gpu), "capability": gpu.capability_text}


def report_as_dict(report: DeviceReport) -> dict[str, object]:
    """The report as JSON-ready plain data: the verdict, then every raw probe fact."""
    data: dict[str, object] = {
        "status": status_line(report),
        "requested_device": report.requested,
        **{key: getattr(report, key) for key in ("selected_device", "cuda_used", "reason", "fix")},
        "warnings": list(report.warnings),
        "cuda_state": report.cuda_state.value,
        "cuda_reason": report.cuda_reason,
        "cuda_fix": report.cuda_fix,
        "platform": report.facts.platform_system,
        "device_count": len(report.facts.gpus),
        "devices": [_gpu_dict(g) for g in report.facts.gpus],
    }
    facts = asdict(report.facts)
    facts.update(
        cudnn_version=report.facts.cudnn_version_text,
        arch_list=list(report.facts.arch_list),
        driver_gpus=[_gpu_dict(g) for g in report.facts.driver_gpus],
    )
    del facts["platform_system"], facts["gpus"]
    return data | facts
