"""The device verdict in the UI's language: headline, reason and fix of each CUDA state.

Core's `diagnostics` states the facts (`CudaState` plus `CudaProblem.params`) and words them
in English for the CLI and logs; here every state has its own translatable sentences, with the
facts (versions, commands, addresses) filled in after translation.
"""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtCore import QCoreApplication

from lamadesk.core.diagnostics import CudaProblem, CudaState, DeviceReport

translate = QCoreApplication.translate


class _Facts(dict[str, str]):
    """Params with "?" for a missing fact, so wording never fails on a hand-made problem."""

    def __missing__(self, key: str) -> str:
        return "?"


def _fill(template: str, params: Mapping[str, str]) -> str:
    return template.format_map(_Facts(params))


def device_status(report: DeviceReport) -> str:
    """The headline: the device in use and, when it is the CPU, why and what to do."""
    if report.cuda_used:
        gpu = next(g for g in report.facts.gpus if f"cuda:{g.index}" == report.selected_device)
        return translate("DeviceTexts", "Using CUDA on {gpu} ({device})").format(
            gpu=gpu.name, device=report.selected_device
        )
    if report.selected_device == "mps":
        return translate("DeviceTexts", "Using the Apple GPU (mps)")
    fix = None
    if report.requested == "cpu":
        reason = translate("DeviceTexts", "the CPU was requested")
    elif report.requested == "mps":
        reason = translate(
            "DeviceTexts", "mps was requested but the Apple GPU (MPS) is not available"
        )
    elif report.problem is None:
        reason = translate("DeviceTexts", "no GPU is usable")
    else:
        reason, fix = problem_texts(report.problem)
    line = translate("DeviceTexts", "Using CPU because {reason}.").format(reason=reason)
    return line if fix is None else line + translate("DeviceTexts", " Fix: {fix}.").format(fix=fix)


def problem_texts(problem: CudaProblem) -> tuple[str, str | None]:
    """The translated reason and fix (None: nothing to do) of one CUDA problem."""
    words = _WORDING[problem.state]
    return words(problem.params)


def _install(p: Mapping[str, str]) -> str:
    if "install_download" in p:
        return _fill(
            translate(
                "DeviceTexts", "use the lamadesk download built for {tag} ({install_download})"
            ),
            p,
        )
    return _fill(
        translate("DeviceTexts", "install the PyTorch build for {tag}: {install_command}"), p
    )


def _torch_broken(p: Mapping[str, str]) -> tuple[str, str | None]:
    reason = _fill(translate("DeviceTexts", "PyTorch cannot be loaded ({error})"), p)
    if "vc_redist_url" in p:
        fix = translate(
            "DeviceTexts",
            "install the Microsoft Visual C++ Redistributable (x64) from {vc_redist_url} and "
            "restart lamadesk; if the error stays, reinstall PyTorch: {command} (or reinstall "
            "lamadesk)",
        )
    else:
        fix = translate("DeviceTexts", "reinstall PyTorch: {command} (or reinstall lamadesk)")
    return reason, _fill(fix, p)


def _macos(p: Mapping[str, str]) -> tuple[str, str | None]:
    fix = (
        translate("DeviceTexts", "choose the device 'mps' to try the Apple GPU")
        if "mps" in p
        else None
    )
    return translate("DeviceTexts", "CUDA does not exist on macOS"), fix


def _cpu_only_build(p: Mapping[str, str]) -> tuple[str, str | None]:
    return _fill(
        translate("DeviceTexts", "this PyTorch ({torch_version}) is a CPU-only build"), p
    ), _install(p)


def _no_nvidia_gpu(p: Mapping[str, str]) -> tuple[str, str | None]:
    fix = translate("DeviceTexts", "runs on the CPU; nothing to fix")
    if "cpu_torch_command" in p:
        fix = _fill(
            translate(
                "DeviceTexts",
                "runs on the CPU; nothing to fix (optional: the CPU-only PyTorch saves about "
                "4 GB: {cpu_torch_command})",
            ),
            p,
        )
    return translate("DeviceTexts", "there is no NVIDIA GPU in this computer"), fix


def _no_driver(p: Mapping[str, str]) -> tuple[str, str | None]:
    if "driver_error" in p:
        reason = _fill(
            translate(
                "DeviceTexts", "the NVIDIA driver is installed but not working ({driver_error})"
            ),
            p,
        )
        if "minimum" in p:
            fix = translate(
                "DeviceTexts",
                "reinstall the NVIDIA driver ({minimum} or newer for CUDA {cuda_version}) "
                "from {url} and restart",
            )
        else:
            fix = translate("DeviceTexts", "reinstall the NVIDIA driver from {url} and restart")
        return reason, _fill(fix, p)
    if "gpu_present" in p:
        reason = translate(
            "DeviceTexts", "this computer has an NVIDIA GPU, but its driver is not installed"
        )
    else:
        reason = translate(
            "DeviceTexts",
            "no NVIDIA driver was found (no NVIDIA GPU, or its driver is not installed)",
        )
    if "minimum" in p:
        fix = translate(
            "DeviceTexts",
            "install the NVIDIA driver ({minimum} or newer for CUDA {cuda_version}) from {url} "
            "and restart",
        )
    else:
        fix = translate("DeviceTexts", "install the NVIDIA driver from {url} and restart")
    return reason, _fill(fix, p)


def _driver_too_old(p: Mapping[str, str]) -> tuple[str, str | None]:
    facts = dict(p)
    facts["driver_version"] = p.get("driver_version") or translate(
        "DeviceTexts", "(version unknown)"
    )
    if "minimum" in p:
        reason = translate(
            "DeviceTexts",
            "the NVIDIA driver {driver_version} is too old for this PyTorch, built with CUDA "
            "{cuda_version}, which needs driver {minimum} or newer",
        )
    else:
        reason = translate(
            "DeviceTexts",
            "the NVIDIA driver {driver_version} is too old for this PyTorch, built with CUDA "
            "{cuda_version}",
        )
    fix = _fill(translate("DeviceTexts", "update the NVIDIA driver from {url}"), p)
    if "tag" in p:
        fix = translate("DeviceTexts", "{update}, or {install}").format(
            update=fix, install=_install(p)
        )
        if "older_only" in p:
            fix += translate("DeviceTexts", " (older PyTorch releases only)")
    return _fill(reason, facts), fix


def _devices_hidden(p: Mapping[str, str]) -> tuple[str, str | None]:
    count = p.get("driver_gpu_count", "0")
    if count == "0":
        reason = translate("DeviceTexts", "CUDA_VISIBLE_DEVICES='{value}' hides every GPU")
    elif count == "1":
        reason = translate(
            "DeviceTexts", "CUDA_VISIBLE_DEVICES='{value}' hides every GPU (the driver sees 1 GPU)"
        )
    else:
        reason = translate(
            "DeviceTexts",
            "CUDA_VISIBLE_DEVICES='{value}' hides every GPU (the driver sees {driver_gpu_count} "
            "GPUs)",
        )
    fix = translate(
        "DeviceTexts",
        "unset CUDA_VISIBLE_DEVICES (or set it to a GPU index such as 0) and restart lamadesk",
    )
    return _fill(reason, p), fix


def _arch_unsupported(p: Mapping[str, str]) -> tuple[str, str | None]:
    reason = translate(
        "DeviceTexts",
        "the GPU {gpu} (compute capability {capability}) is not supported by this PyTorch "
        "build, which has kernels for {arch_list}",
    )
    advice = p.get("advice")
    if advice == "cpu":
        fix = translate(
            "DeviceTexts",
            "keep using the CPU: current PyTorch CUDA builds need compute capability 5.0+",
        )
    elif advice == "cu126":
        fix = translate(
            "DeviceTexts",
            "CUDA 12.6 is the last with kernels for Maxwell, Pascal and Volta GPUs: {install}",
        ).format(install=_install(p))
    else:
        fix = _install(p)
    return _fill(reason, p), fix


def _init_failed(p: Mapping[str, str]) -> tuple[str, str | None]:
    fix = translate(
        "DeviceTexts",
        "restart the computer (a driver update may be waiting for it); if that does not help, "
        "reinstall the NVIDIA driver and PyTorch, and attach the diagnostics when asking",
    )
    return _fill(translate("DeviceTexts", "CUDA initialisation failed: {error}"), p), fix


def _usable(_p: Mapping[str, str]) -> tuple[str, str | None]:
    return translate("DeviceTexts", "no GPU is usable"), None


_WORDING = {
    CudaState.USABLE: _usable,
    CudaState.TORCH_BROKEN: _torch_broken,
    CudaState.MACOS: _macos,
    CudaState.CPU_ONLY_BUILD: _cpu_only_build,
    CudaState.NO_NVIDIA_GPU: _no_nvidia_gpu,
    CudaState.NO_DRIVER: _no_driver,
    CudaState.DRIVER_TOO_OLD: _driver_too_old,
    CudaState.DEVICES_HIDDEN: _devices_hidden,
    CudaState.ARCH_UNSUPPORTED: _arch_unsupported,
    CudaState.INIT_FAILED: _init_failed,
}
