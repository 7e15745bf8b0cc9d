"""Device choice and CUDA diagnostics, driven by hand-made probe facts (no GPU needed)."""

import json
import logging
import subprocess
import sys
from dataclasses import replace

import pytest

from lamadesk.core import device_probe
from lamadesk.core.device_probe import GpuInfo, ProbeFacts, visible_device_count
from lamadesk.core.diagnostics import (
    CudaState,
    DeviceKind,
    DeviceRequest,
    arch_supports,
    diagnose,
    format_report,
    min_driver_for,
    parse_device,
    report_as_dict,
    status_line,
)

GIB = 2**30
RTX_3060 = GpuInfo(0, "NVIDIA GeForce RTX 3060", (8, 6), 12 * GIB, 11 * GIB)
GTX_1060 = GpuInfo(0, "NVIDIA GeForce GTX 1060 6GB", (6, 1), 6 * GIB, 5 * GIB)
CU130_ARCHS = ("sm_75", "sm_80", "sm_86", "sm_90", "sm_100", "sm_120")

# A healthy Linux box: CUDA 13.0 build, R580 driver, one RTX 3060.
WORKING = ProbeFacts(
    platform_system="Linux",
    python_version="3.11.7",
    torch_version="2.14.1+cu130",
    torch_cuda_version="13.0",
    cudnn_version=92400,
    cuda_available=True,
    arch_list=CU130_ARCHS,
    gpus=(RTX_3060,),
    driver_version="580.82.07",
    driver_source="nvidia-smi",
    driver_gpus=(RTX_3060,),
    driver_library_found=True,
)
# What the CUDA build sees when CUDA cannot start: no torch GPUs, is_available() False.
BROKEN_CUDA = replace(WORKING, cuda_available=False, gpus=())


def test_working_gpu_is_used_with_no_reason_or_fix():
    report = diagnose("auto", WORKING)
    assert report.selected_device == "cuda:0"
    assert report.cuda_used is True
    assert report.cuda_state is CudaState.USABLE
    assert (report.reason, report.fix, report.warnings) == (None, None, ())
    assert status_line(report) == "Using CUDA on NVIDIA GeForce RTX 3060 (cuda:0)"


def test_cpu_only_build_names_reason_and_fix():
    facts = replace(
        BROKEN_CUDA, torch_version="2.14.1+cpu", torch_cuda_version=None, cudnn_version=None
    )
    report = diagnose("auto", facts)
    assert report.selected_device == "cpu"
    assert report.cuda_state is CudaState.CPU_ONLY_BUILD
    assert report.reason == (
        "this PyTorch (2.14.1+cpu) is a CPU-only build (torch.version.cuda is None)"
    )
    # Driver 580 and an Ampere GPU: the CUDA 13.0 wheels are the right ones.
    assert report.fix == (
        "install the PyTorch build for cu130: python -m pip install --force-reinstall torch "
        "--index-url https://download.pytorch.org/whl/cu130"
    )
    assert report.warnings == ()
    assert status_line(report) == f"Using CPU because {report.reason}. Fix: {report.fix}."


def test_cpu_only_build_on_a_pascal_gpu_suggests_the_cuda_12_6_wheels():
    facts = replace(
        BROKEN_CUDA, torch_cuda_version=None, driver_version="560.35.03", driver_gpus=(GTX_1060,)
    )
    report = diagnose("auto", facts)
    assert "https://download.pytorch.org/whl/cu126" in (report.fix or "")


def test_missing_driver_names_reason_and_linux_minimum_for_the_build():
    facts = replace(
        BROKEN_CUDA,
        driver_version=None,
        driver_source=None,
        driver_gpus=(),
        driver_library_found=False,
        cuda_error="RuntimeError: Found no NVIDIA driver on your system.",
    )
    report = diagnose("auto", facts)
    assert report.selected_device == "cpu"
    assert report.cuda_state is CudaState.NO_DRIVER
    assert report.reason == (
        "no NVIDIA driver was found (no NVIDIA GPU, or its driver is not installed)"
    )
    assert report.fix == (
        "install the NVIDIA driver (580.65.06 or newer for CUDA 13.0) from "
        "https://www.nvidia.com/Download/index.aspx and restart"
    )


def test_missing_driver_on_windows_quotes_the_windows_minimum():
    facts = replace(
        BROKEN_CUDA,
        platform_system="Windows",
        torch_cuda_version="12.6",
        driver_version=None,
        driver_gpus=(),
        driver_library_found=False,
    )
    report = diagnose("auto", facts)
    assert report.cuda_state is CudaState.NO_DRIVER
    assert "(528.33 or newer for CUDA 12.6)" in (report.fix or "")


def test_driver_that_nvidia_smi_cannot_reach_is_reported_as_not_working():
    facts = replace(
        BROKEN_CUDA,
        driver_version=None,
        driver_gpus=(),
        driver_error="nvidia-smi: NVIDIA-SMI has failed because it couldn't communicate "
        "with the NVIDIA driver.",
        cuda_error="RuntimeError: Found no NVIDIA driver on your system.",
    )
    report = diagnose("auto", facts)
    assert report.cuda_state is CudaState.NO_DRIVER
    assert report.reason.startswith("the NVIDIA driver is installed but not working (nvidia-smi")
    assert (report.fix or "").startswith("reinstall the NVIDIA driver (580.65.06 or newer")


def test_driver_too_old_for_cuda_13_gives_minimum_and_an_older_build_it_supports():
    facts = replace(BROKEN_CUDA, driver_version="550.54.14")
    report = diagnose("auto", facts)
    assert report.selected_device == "cpu"
    assert report.cuda_state is CudaState.DRIVER_TOO_OLD
    assert report.reason == (
        "the NVIDIA driver 550.54.14 is too old for this PyTorch, built with CUDA 13.0, "
        "which needs driver 580.65.06 or newer"
    )
    assert report.fix == (
        "update the NVIDIA driver from https://www.nvidia.com/Download/index.aspx, or install "
        "the PyTorch build for cu126: python -m pip install --force-reinstall torch "
        "--index-url https://download.pytorch.org/whl/cu126"
    )


def test_driver_too_old_for_cuda_12_on_windows_is_offered_the_cuda_11_8_build():
    facts = replace(
        BROKEN_CUDA, platform_system="Windows", torch_cuda_version="12.6", driver_version="472.12"
    )
    report = diagnose("auto", facts)
    assert report.cuda_state is CudaState.DRIVER_TOO_OLD
    assert "needs driver 528.33 or newer" in (report.reason or "")
    assert (report.fix or "").endswith(
        "https://download.pytorch.org/whl/cu118 (older PyTorch releases only)"
    )


def test_driver_too_old_for_every_build_offers_only_the_update():
    facts = replace(BROKEN_CUDA, torch_cuda_version="12.6", driver_version="440.33")
    report = diagnose("auto", facts)
    assert report.cuda_state is CudaState.DRIVER_TOO_OLD
    assert report.fix == "update the NVIDIA driver from https://www.nvidia.com/Download/index.aspx"


def test_torch_saying_the_driver_is_too_old_counts_even_without_a_driver_version():
    facts = replace(
        BROKEN_CUDA,
        driver_version=None,
        driver_gpus=(),
        driver_library_found=True,
        cuda_error="RuntimeError: The NVIDIA driver on your system is too old (found version "
        "12020).",
    )
    report = diagnose("auto", facts)
    assert report.cuda_state is CudaState.DRIVER_TOO_OLD
    assert report.reason.startswith("the NVIDIA driver (version unknown) is too old")


def test_driver_minimums_follow_nvidia_minor_version_compatibility():
    assert min_driver_for("11.8", "Linux") == "450.80.02"
    assert min_driver_for("11.8", "Windows") == "452.39"
    assert min_driver_for("12.6", "Linux") == "525.60.13"
    assert min_driver_for("12.8", "Windows") == "528.33"
    assert min_driver_for("13.0", "Linux") == "580.65.06"
    assert min_driver_for("13.0", "Windows") == "580.88"
    assert min_driver_for("10.2", "Linux") is None
    assert min_driver_for(None, "Linux") is None


def test_pascal_gpu_on_a_turing_plus_build_names_capability_and_the_cu126_fix():
    facts = replace(WORKING, gpus=(GTX_1060,), driver_gpus=(GTX_1060,))
    report = diagnose("auto", facts)
    assert report.selected_device == "cpu"
    assert report.cuda_state is CudaState.ARCH_UNSUPPORTED
    assert report.reason == (
        "the GPU NVIDIA GeForce GTX 1060 6GB (compute capability 6.1) is not supported by this "
        "PyTorch build, which has kernels for sm_75 sm_80 sm_86 sm_90 sm_100 sm_120"
    )
    assert "https://download.pytorch.org/whl/cu126" in (report.fix or "")
    assert "Maxwell, Pascal and Volta" in (report.fix or "")


def test_blackwell_gpu_on_an_older_build_is_sent_to_a_newer_cuda():
    rtx_5090 = GpuInfo(0, "NVIDIA GeForce RTX 5090", (12, 0), 32 * GIB, 31 * GIB)
    cu126_archs = ("sm_50", "sm_60", "sm_70", "sm_75", "sm_80", "sm_86", "sm_90")
    facts = replace(WORKING, torch_cuda_version="12.6", arch_list=cu126_archs, gpus=(rtx_5090,))
    report = diagnose("auto", facts)
    assert report.cuda_state is CudaState.ARCH_UNSUPPORTED
    assert report.fix == (
        "install the PyTorch build for cu130: python -m pip install --force-reinstall "
        "torch --index-url https://download.pytorch.org/whl/cu130"
    )


def test_the_bundled_app_names_the_download_to_take_instead_of_pip():
    rtx_5090 = GpuInfo(0, "NVIDIA GeForce RTX 5090", (12, 0), 32 * GIB, 31 * GIB)
    cu126_archs = ("sm_50", "sm_60", "sm_70", "sm_75", "sm_80", "sm_86", "sm_90")
    facts = replace(
        WORKING,
        torch_cuda_version="12.6",
        arch_list=cu126_archs,
        gpus=(rtx_5090,),
        frozen_app=True,
    )
    report = diagnose("auto", facts)
    assert (
        report.fix == "use the lamadesk download built for cu130 (lamadesk-VERSION-windows-cu130)"
    )
    assert "pip" not in report.fix


def test_ptx_entry_lets_a_newer_gpu_run_but_not_an_older_one():
    assert arch_supports((8, 9), ("sm_75", "compute_80"))
    assert arch_supports((12, 0), ("sm_90", "compute_90"))
    assert not arch_supports((7, 0), ("sm_75", "compute_80"))
    assert not arch_supports((6, 1), ("sm_75", "compute_75"))


def test_cubins_run_on_later_minors_of_the_same_major_only():
    assert arch_supports((8, 6), ("sm_86",))
    assert arch_supports((8, 9), ("sm_80", "sm_86"))  # Ada runs Ampere cubins
    assert not arch_supports((8, 0), ("sm_86",))
    assert not arch_supports((9, 0), ("sm_80", "sm_86"))
    assert arch_supports((9, 0), ("sm_90a",))
    assert not arch_supports((10, 0), ("sm_90a",))
    # No NVIDIA entries (unknown, or ROCm gfx targets) is no evidence against the GPU.
    assert arch_supports((6, 1), ())
    assert arch_supports((6, 1), ("gfx90a", "gfx1100"))


@pytest.mark.parametrize("value", ["", "-1", "4", "0,0", "NoDevFiles"])
def test_cuda_visible_devices_hiding_every_gpu_names_the_variable(value):
    facts = replace(BROKEN_CUDA, cuda_visible_devices=value, driver_gpus=(RTX_3060, GTX_1060))
    report = diagnose("auto", facts)
    assert report.selected_device == "cpu"
    assert report.cuda_state is CudaState.DEVICES_HIDDEN
    assert (
        report.reason == f"CUDA_VISIBLE_DEVICES={value!r} hides every GPU (the driver sees 2 GPUs)"
    )
    assert report.fix == (
        "unset CUDA_VISIBLE_DEVICES (or set it to a GPU index such as 0) and restart lamadesk"
    )


def test_cuda_visible_devices_is_parsed_like_cuda_does():
    assert visible_device_count(None, 2) is None
    assert visible_device_count("", 2) == 0
    assert visible_device_count("-1", 2) == 0
    assert visible_device_count("1", 2) == 1
    assert visible_device_count("0,1", 2) == 2
    assert visible_device_count("1,5,0", 2) == 1  # stops at the first ordinal that is not there
    assert visible_device_count("0,0", 2) == 0  # a repeated ordinal hides everything
    assert visible_device_count("7", None) == 1  # without a driver count it cannot be judged
    assert visible_device_count("GPU-8f1c5e2a", 1) == 1


def test_macos_reason_points_to_mps_which_auto_does_not_pick():
    facts = ProbeFacts(platform_system="Darwin", torch_version="2.14.1", mps_available=True)
    report = diagnose("auto", facts)
    assert report.selected_device == "cpu"
    assert report.cuda_state is CudaState.MACOS
    assert report.reason == "CUDA does not exist on macOS"
    assert report.fix == "choose the device 'mps' to try the Apple GPU"
    on_mps = diagnose("mps", facts)
    assert on_mps.selected_device == "mps"
    assert status_line(on_mps) == "Using the Apple GPU (mps)"
    assert f"{'Apple GPU (MPS):':<{len('CUDA_VISIBLE_DEVICES:')}} available" in (
        format_report(on_mps).splitlines()
    )


def test_mps_requested_where_there_is_none_falls_back_to_cpu_with_a_warning():
    report = diagnose("mps", WORKING)
    assert report.selected_device == "cpu"
    assert report.warnings == (
        "mps was requested but the Apple GPU (MPS) is not available; using the CPU",
    )


def test_torch_missing_dll_on_windows_points_to_the_vc_redistributable():
    error = (
        "OSError: [WinError 126] The specified module could not be found. Error loading "
        r'"C:\lamadesk\torch\lib\c10.dll" or one of its dependencies.'
    )
    facts = ProbeFacts(platform_system="Windows", torch_error=error)
    report = diagnose("auto", facts)
    assert report.selected_device == "cpu"
    assert report.cuda_state is CudaState.TORCH_BROKEN
    assert report.reason == f"PyTorch cannot be loaded ({error})"
    assert report.fix == (
        "install the Microsoft Visual C++ Redistributable (x64) from "
        "https://aka.ms/vs/17/release/vc_redist.x64.exe and restart lamadesk; if the error "
        "stays, reinstall PyTorch: python -m pip install --force-reinstall torch "
        "(or reinstall lamadesk)"
    )


def test_torch_import_error_on_linux_asks_for_a_reinstall():
    facts = ProbeFacts(platform_system="Linux", torch_error="ImportError: No module named 'torch'")
    report = diagnose("cuda", facts)
    assert report.selected_device == "cpu"
    assert report.fix == (
        "reinstall PyTorch: python -m pip install --force-reinstall torch (or reinstall lamadesk)"
    )


def test_unexplained_cuda_failure_quotes_the_error():
    facts = replace(BROKEN_CUDA, cuda_error="RuntimeError: CUDA unknown error")
    report = diagnose("auto", facts)
    assert report.cuda_state is CudaState.INIT_FAILED
    assert report.reason == "CUDA initialisation failed: RuntimeError: CUDA unknown error"
    assert (report.fix or "").startswith("restart the computer")


def test_explicit_cuda_that_cannot_work_falls_back_to_cpu_and_logs_a_warning(caplog):
    facts = replace(BROKEN_CUDA, driver_version="550.54.14")
    with caplog.at_level(logging.WARNING, logger="lamadesk.core.diagnostics"):
        report = diagnose("cuda", facts)
    assert report.selected_device == "cpu"
    assert report.cuda_used is False
    assert report.warnings == (
        f"cuda was requested but CUDA cannot be used: {report.reason}; using the CPU",
    )
    assert [r.getMessage() for r in caplog.records] == list(report.warnings)


def test_explicit_cpu_is_honoured_and_still_reports_the_cuda_state():
    report = diagnose("cpu", WORKING)
    assert report.selected_device == "cpu"
    assert report.reason == "the CPU was requested"
    assert report.fix is None
    assert report.cuda_state is CudaState.USABLE
    assert status_line(report) == "Using CPU because the CPU was requested."


def test_cuda_index_selects_that_gpu():
    second = GpuInfo(1, "NVIDIA RTX A4000", (8, 6), 16 * GIB, 15 * GIB)
    report = diagnose("cuda:1", replace(WORKING, gpus=(RTX_3060, second)))
    assert report.selected_device == "cuda:1"
    assert status_line(report) == "Using CUDA on NVIDIA RTX A4000 (cuda:1)"


def test_cuda_index_out_of_range_falls_back_to_cuda_0_naming_the_range():
    report = diagnose("cuda:3", WORKING)
    assert report.selected_device == "cuda:0"
    assert report.cuda_used is True
    assert report.warnings == ("cuda:3 does not exist (valid: cuda:0); using cuda:0",)


def test_cuda_index_of_an_unsupported_gpu_falls_back_to_a_supported_one():
    pascal = replace(GTX_1060, index=1)
    report = diagnose("cuda:1", replace(WORKING, gpus=(RTX_3060, pascal)))
    assert report.selected_device == "cuda:0"
    assert (
        "cuda:1 (NVIDIA GeForce GTX 1060 6GB) is not supported by this PyTorch build; using cuda:0"
    ) in report.warnings


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("auto", DeviceRequest(DeviceKind.AUTO)),
        (" CPU ", DeviceRequest(DeviceKind.CPU)),
        ("cuda", DeviceRequest(DeviceKind.CUDA)),
        ("cuda:0", DeviceRequest(DeviceKind.CUDA, 0)),
        ("CUDA:12", DeviceRequest(DeviceKind.CUDA, 12)),
        ("mps", DeviceRequest(DeviceKind.MPS)),
    ],
)
def test_device_strings_parse_to_kind_and_index(text, expected):
    assert parse_device(text) == expected


@pytest.mark.parametrize("text", ["gpu", "cuda:", "cuda:-1", "cuda:x", "cuda0", "", "cpu:0"])
def test_invalid_device_strings_raise_value_error_listing_valid_forms(text):
    with pytest.raises(ValueError, match=r"valid forms: auto, cpu, cuda, cuda:N, mps"):
        diagnose(text, WORKING)


def test_report_dict_is_json_serialisable_with_the_documented_keys():
    report = diagnose("auto", WORKING)
    data = json.loads(json.dumps(report_as_dict(report)))
    assert data["torch_version"] == "2.14.1+cu130"
    assert data["torch_cuda_version"] == "13.0"
    assert data["cudnn_version"] == "9.24.0"
    assert data["cuda_available"] is True
    assert data["driver_version"] == "580.82.07"
    assert data["device_count"] == 1
    assert data["devices"] == [
        {
            "index": 0,
            "name": "NVIDIA GeForce RTX 3060",
            "capability": "8.6",
            "total_memory_bytes": 12 * GIB,
            "free_memory_bytes": 11 * GIB,
        }
    ]
    assert data["selected_device"] == "cuda:0"
    assert data["requested_device"] == "auto"
    assert (data["reason"], data["fix"], data["warnings"]) == (None, None, [])
    assert data["platform"] == "Linux"
    assert data["cuda_state"] == "usable"


def test_text_report_has_headline_and_aligned_lines_with_vram_in_gib():
    lines = format_report(diagnose("auto", WORKING)).splitlines()
    assert lines[:2] == ["Using CUDA on NVIDIA GeForce RTX 3060 (cuda:0)", ""]
    width = len("CUDA_VISIBLE_DEVICES:")  # the longest key sets the value column
    assert all(line[width] == " " and line[width + 1] != " " for line in lines[2:])
    assert f"{'cuDNN:':<{width}} 9.24.0" in lines
    assert f"{'NVIDIA driver:':<{width}} 580.82.07 (nvidia-smi)" in lines
    assert f"{'CUDA_VISIBLE_DEVICES:':<{width}} (unset)" in lines
    assert (
        f"{'  cuda:0:':<{width}} NVIDIA GeForce RTX 3060, compute 8.6, 12.0 GiB total, "
        "11.0 GiB free"
    ) in lines


def test_text_report_of_a_cpu_fallback_shows_reason_fix_and_the_error():
    facts = replace(BROKEN_CUDA, driver_version="550.54.14", cuda_error="RuntimeError: too old")
    report = diagnose("cuda", facts)
    lines = format_report(report).splitlines()
    width = len("CUDA_VISIBLE_DEVICES:")
    assert lines[0] == status_line(report)
    assert lines[0].startswith("Using CPU because the NVIDIA driver 550.54.14 is too old")
    assert f"{'Warning:':<{width}} {report.warnings[0]}" in lines
    assert f"{'CUDA state:':<{width}} driver_too_old" in lines
    assert f"{'CUDA available:':<{width}} no (RuntimeError: too old)" in lines
    assert f"{'CUDA devices:':<{width}} 0" in lines
    # With no torch GPUs, the GPUs the driver sees are listed instead.
    assert any(line.startswith("  driver GPU 0:") for line in lines)


def test_cudnn_versions_of_both_packings_are_readable():
    assert ProbeFacts(cudnn_version=92400).cudnn_version_text == "9.24.0"
    assert ProbeFacts(cudnn_version=90100).cudnn_version_text == "9.1.0"
    assert ProbeFacts(cudnn_version=8907).cudnn_version_text == "8.9.7"
    assert ProbeFacts().cudnn_version_text is None


def test_nvidia_smi_output_is_parsed_into_bytes_and_capability():
    output = (
        "580.159.04, NVIDIA H100 80GB HBM3, 81559, 81079, 9.0\n"  # seen on a real H100
        "580.159.04, NVIDIA RTX A4000, 16376, [N/A], [N/A]\n"
    )
    version, gpus = device_probe.parse_nvidia_smi(output)
    assert version == "580.159.04"
    assert gpus == (
        GpuInfo(0, "NVIDIA H100 80GB HBM3", (9, 0), 81559 * 2**20, 81079 * 2**20),
        GpuInfo(1, "NVIDIA RTX A4000", None, 16376 * 2**20, None),
    )
    # Drivers before 510 have no compute_cap field.
    assert device_probe.parse_nvidia_smi("470.256.02, Tesla K80, 11441, 11438\n")[1] == (
        GpuInfo(0, "Tesla K80", None, 11441 * 2**20, 11438 * 2**20),
    )


def test_proc_driver_version_is_read_for_proprietary_and_open_modules():
    proprietary = "NVRM version: NVIDIA UNIX x86_64 Kernel Module  550.54.14  Thu Feb 22 2024\n"
    open_module = "NVRM version: NVIDIA UNIX Open Kernel Module for x86_64  580.82.07  Release\n"
    assert device_probe.parse_proc_driver_version(proprietary) == "550.54.14"
    assert device_probe.parse_proc_driver_version(open_module) == "580.82.07"
    assert device_probe.parse_proc_driver_version("garbage") is None


def test_real_probe_on_this_machine_gives_a_coherent_report():
    import torch

    report = diagnose()
    facts = report.facts
    assert facts.torch_error is None
    assert facts.torch_version == torch.__version__
    assert facts.torch_cuda_version == torch.version.cuda
    assert facts.platform_system in {"Linux", "Windows", "Darwin"}
    assert report.cuda_used == report.selected_device.startswith("cuda:")
    if report.cuda_used:
        assert facts.cuda_available
        assert facts.gpus
        assert (report.reason, report.fix) == (None, None)
    else:
        assert report.selected_device == "cpu"
        assert report.cuda_state is not CudaState.USABLE
        assert report.reason
        assert report.fix
        assert status_line(report) == f"Using CPU because {report.reason}. Fix: {report.fix}."
    assert len(facts.gpus) == report_as_dict(report)["device_count"]
    json.dumps(report_as_dict(report))
    assert format_report(report).splitlines()[0] == status_line(report)


def test_probe_reports_a_torch_that_cannot_be_imported_instead_of_raising(monkeypatch):
    monkeypatch.setitem(sys.modules, "torch", None)  # makes `import torch` raise ImportError
    facts = device_probe.probe()
    assert facts.torch_error == "ModuleNotFoundError: import of torch halted; None in sys.modules"
    assert (facts.torch_version, facts.cuda_available, facts.gpus) == (None, False, ())
    assert diagnose("auto", facts).cuda_state is CudaState.TORCH_BROKEN


def test_importing_the_probe_does_not_import_torch():
    code = "import sys, lamadesk.core.device_probe; print('torch' in sys.modules)"
    completed = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert completed.stdout.strip() == "False"


NO_DRIVER_FACTS = replace(
    BROKEN_CUDA,
    driver_version=None,
    driver_source=None,
    driver_gpus=(),
    driver_library_found=False,
    cuda_error="RuntimeError: Found no NVIDIA driver on your system.",
)


def test_no_nvidia_gpu_in_the_computer_says_nothing_to_fix_with_the_cpu_torch_tip():
    report = diagnose("auto", replace(NO_DRIVER_FACTS, nvidia_gpu_present=False))
    assert report.selected_device == "cpu"
    assert report.cuda_state is CudaState.NO_NVIDIA_GPU
    assert report.reason == "there is no NVIDIA GPU in this computer"
    assert report.fix == (
        "runs on the CPU; nothing to fix (optional: the CPU-only PyTorch saves about 4 GB: "
        "python -m pip install --force-reinstall torch "
        "--index-url https://download.pytorch.org/whl/cpu)"
    )
    assert "driver" not in report.fix
    assert report.problem is not None
    assert report.problem.params["cpu_torch_command"].endswith("/whl/cpu")


def test_cpu_only_build_without_an_nvidia_gpu_needs_no_fix_and_no_tip():
    facts = replace(
        NO_DRIVER_FACTS, torch_cuda_version=None, cuda_error=None, nvidia_gpu_present=False
    )
    report = diagnose("auto", facts)
    assert report.cuda_state is CudaState.NO_NVIDIA_GPU
    assert report.fix == "runs on the CPU; nothing to fix"


def test_nvidia_gpu_present_without_a_driver_asks_to_install_the_driver():
    report = diagnose("auto", replace(NO_DRIVER_FACTS, nvidia_gpu_present=True))
    assert report.cuda_state is CudaState.NO_DRIVER
    assert report.reason == "this computer has an NVIDIA GPU, but its driver is not installed"
    assert (report.fix or "").startswith("install the NVIDIA driver (580.65.06 or newer")


def test_unknown_gpu_presence_keeps_the_hedged_no_driver_reason():
    report = diagnose("auto", replace(NO_DRIVER_FACTS, nvidia_gpu_present=None))
    assert report.cuda_state is CudaState.NO_DRIVER
    assert report.reason == (
        "no NVIDIA driver was found (no NVIDIA GPU, or its driver is not installed)"
    )


def _pci_device(root, slot, vendor, device_class):
    folder = root / "bus" / "pci" / "devices" / slot
    folder.mkdir(parents=True)
    (folder / "vendor").write_text(f"{vendor}\n")
    (folder / "class").write_text(f"{device_class}\n")


def test_sysfs_finds_an_nvidia_display_controller_but_not_an_nvidia_bridge(tmp_path):
    _pci_device(tmp_path, "0000:00:00.0", "0x8086", "0x060000")
    _pci_device(tmp_path, "0000:00:02.0", "0x8086", "0x030000")
    assert device_probe.nvidia_gpu_in_sysfs(tmp_path) is False
    _pci_device(tmp_path, "0000:00:03.0", "0x10de", "0x0c0330")  # NVIDIA USB controller
    assert device_probe.nvidia_gpu_in_sysfs(tmp_path) is False
    _pci_device(tmp_path, "0000:01:00.0", "0x10de", "0x030200")  # 3D controller (datacentre)
    assert device_probe.nvidia_gpu_in_sysfs(tmp_path) is True


def test_sysfs_without_pci_devices_cannot_tell(tmp_path):
    assert device_probe.nvidia_gpu_in_sysfs(tmp_path) is None


def test_loaded_nvidia_kernel_module_lists_its_gpus_in_proc(tmp_path):
    assert device_probe.nvidia_gpus_in_proc(tmp_path) is False
    (tmp_path / "gpus" / "0000:01:00.0").mkdir(parents=True)
    assert device_probe.nvidia_gpus_in_proc(tmp_path) is True


def test_windows_video_controller_names_tell_whether_an_nvidia_gpu_is_there():
    assert device_probe.nvidia_in_video_controllers("Intel(R) UHD Graphics 620\r\n") is False
    names = "Intel(R) UHD Graphics 620\r\nNVIDIA GeForce RTX 3060 Laptop GPU\r\n"
    assert device_probe.nvidia_in_video_controllers(names) is True
    assert device_probe.nvidia_in_video_controllers("") is None


def test_gpu_presence_is_not_asked_of_windows_when_the_driver_answers(monkeypatch):
    def fail(*args, **kwargs):
        raise AssertionError("WMI must not be queried when the driver is there")

    monkeypatch.setattr(device_probe.subprocess, "run", fail)
    driver = device_probe._DriverFacts("580.88", "nvidia-smi", (RTX_3060,))
    assert device_probe._nvidia_gpu_present("Windows", driver, True) is True


def test_linux_gpu_presence_comes_from_proc_then_sysfs_and_wsl_cannot_tell(tmp_path, monkeypatch):
    sysfs, proc, dxg = tmp_path / "sys", tmp_path / "proc-nvidia", tmp_path / "dxg"
    _pci_device(sysfs, "0000:00:02.0", "0x8086", "0x030000")
    monkeypatch.setattr(device_probe, "_SYSFS", sysfs)
    monkeypatch.setattr(device_probe, "_PROC_NVIDIA", proc)
    monkeypatch.setattr(device_probe, "_WSL_GPU", dxg)
    no_driver = device_probe._DriverFacts()
    assert device_probe._nvidia_gpu_present("Linux", no_driver, False) is False
    dxg.touch()  # WSL 2: the GPU is the Windows host's, not on this PCI bus
    assert device_probe._nvidia_gpu_present("Linux", no_driver, False) is None
    (proc / "gpus" / "0000:01:00.0").mkdir(parents=True)
    assert device_probe._nvidia_gpu_present("Linux", no_driver, False) is True
    assert device_probe._nvidia_gpu_present("Darwin", no_driver, None) is False
