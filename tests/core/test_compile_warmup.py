"""Background compiling: the logic, without a GPU (a fake backend stands in for CUDA)."""

from __future__ import annotations

import sys
import threading

import pytest

from lamadesk.core.cancel import CancelToken
from lamadesk.core.models.torch_support.compile_support import (
    CompileBlocker,
    backend_compile_blocker,
    compile_cache_dir,
    compile_unavailable_reason,
    use_compile_cache,
)
from lamadesk.core.models.torch_support.compile_warmup import (
    CompileWarmup,
    WarmupEvent,
    WarmupState,
)


class FakeCompilable:
    """Records compile requests; `fail` makes compiling raise like a broken compiler."""

    def __init__(self, fail: bool = False) -> None:
        self.shape_listener = None
        self.compiled: list[tuple[int, int]] = []
        self.served_compiled: set[tuple[int, int]] = set()
        self._fail = fail

    def compile_shape(self, height: int, width: int) -> float:
        if self._fail:
            raise RuntimeError("triton: no C compiler\nmore detail")
        self.compiled.append((height, width))
        self.served_compiled.add((height, width))
        return 1.5

    def inpaint(self, height: int, width: int) -> str:
        if self.shape_listener is not None:
            self.shape_listener(height, width)
        return "compiled" if (height, width) in self.served_compiled else "eager"


def drain(warmup: CompileWarmup, stop_after: int) -> list[WarmupEvent]:
    """Run the warm-up loop until `stop_after` finished sizes (or at once if unavailable)."""
    events: list[WarmupEvent] = []
    token = CancelToken()

    def on_event(event: WarmupEvent) -> None:
        events.append(event)
        finished = [e for e in events if e.state in (WarmupState.READY, WarmupState.FAILED)]
        if len(finished) >= stop_after:
            token.cancel()

    warmup.run(on_event, token)
    return events


def test_a_size_is_served_eagerly_until_its_compile_is_ready_then_compiled():
    backend = FakeCompilable()
    warmup = CompileWarmup(backend, None)
    assert backend.inpaint(512, 768) == "eager"
    events = drain(warmup, stop_after=1)
    assert [(e.state, e.shape) for e in events] == [
        (WarmupState.COMPILING, (512, 768)),
        (WarmupState.READY, (512, 768)),
    ]
    assert events[-1].seconds == 1.5
    assert backend.inpaint(512, 768) == "compiled"


def test_repeated_sizes_compile_once_and_the_cap_stops_new_ones():
    backend = FakeCompilable()
    warmup = CompileWarmup(backend, None, max_shapes=2)
    for shape in [(64, 64), (64, 64), (128, 64), (256, 256), (64, 64)]:
        backend.inpaint(*shape)
    drain(warmup, stop_after=2)
    assert backend.compiled == [(64, 64), (128, 64)]


def test_unavailable_compiling_reports_its_reason_once_and_never_compiles():
    backend = FakeCompilable()
    warmup = CompileWarmup(backend, "no C compiler found")
    backend.inpaint(64, 64)
    events = drain(warmup, stop_after=1)
    assert events == [WarmupEvent(WarmupState.UNAVAILABLE, detail="no C compiler found")]
    assert backend.shape_listener is None
    assert not warmup.available
    assert backend.compiled == []


def test_a_failing_compile_is_an_event_and_the_size_stays_eager():
    backend = FakeCompilable(fail=True)
    warmup = CompileWarmup(backend, None)
    backend.inpaint(64, 64)
    events = drain(warmup, stop_after=1)
    assert events[-1] == WarmupEvent(WarmupState.FAILED, (64, 64), detail="triton: no C compiler")
    assert backend.inpaint(64, 64) == "eager"


def test_cancelling_an_idle_warmup_returns_promptly_from_another_thread():
    warmup = CompileWarmup(FakeCompilable(), None)
    token = CancelToken()
    runner = threading.Thread(target=warmup.run, args=(lambda event: None, token))
    runner.start()
    token.cancel()
    runner.join(timeout=5 * CompileWarmup.POLL_SECONDS + 1)
    assert not runner.is_alive()


def test_inline_compiling_serves_a_new_size_compiled_from_its_first_call():
    backend = FakeCompilable()
    warmup = CompileWarmup(backend, None)
    events: list[WarmupEvent] = []
    warmup.compile_inline(events.append)
    assert backend.inpaint(64, 96) == "compiled"
    assert backend.inpaint(64, 96) == "compiled"
    assert backend.compiled == [(64, 96)]
    assert [(e.state, e.shape) for e in events] == [
        (WarmupState.COMPILING, (64, 96)),
        (WarmupState.READY, (64, 96)),
    ]
    warmup.detach()
    assert backend.shape_listener is None


def test_inline_compiling_unavailable_reports_the_reason_and_leaves_the_backend_alone():
    backend = FakeCompilable()
    warmup = CompileWarmup(backend, "no C compiler found")
    events: list[WarmupEvent] = []
    warmup.compile_inline(events.append)
    assert backend.inpaint(64, 64) == "eager"
    assert events == [WarmupEvent(WarmupState.UNAVAILABLE, detail="no C compiler found")]
    assert backend.compiled == []


def test_only_a_backend_that_can_compile_sizes_is_offered_a_warmup():
    class Plain:
        name, device = "opencv", "cpu"

    assert backend_compile_blocker(Plain()) is CompileBlocker.NOT_NATIVE
    on_cpu = FakeCompilable()
    on_cpu.device = "cpu"
    assert backend_compile_blocker(on_cpu) is CompileBlocker.NOT_CUDA
    assert compile_unavailable_reason("cpu") == CompileBlocker.NOT_CUDA.value


def test_detach_stops_the_backend_reporting_sizes():
    backend = FakeCompilable()
    warmup = CompileWarmup(backend, None)
    warmup.detach()
    assert backend.shape_listener is None


def test_the_cpu_is_never_compiled_for_and_says_why():
    reason = compile_unavailable_reason("cpu")
    assert reason is not None
    assert "CUDA" in reason


def test_the_bundled_app_skips_compiling_with_a_reason(monkeypatch):
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    reason = compile_unavailable_reason("cuda:0")
    assert reason is not None
    assert "bundled app" in reason


def test_missing_triton_or_compiler_are_reasons_not_errors(monkeypatch):
    import importlib.util

    from lamadesk.core.models.torch_support import compile_support

    monkeypatch.setattr(importlib.util, "find_spec", lambda name: None)
    assert "Triton" in compile_unavailable_reason("cuda:0")
    monkeypatch.setattr(importlib.util, "find_spec", lambda name: object())
    monkeypatch.setattr(compile_support, "_c_compiler", lambda: None)
    monkeypatch.setattr(sys, "platform", "linux")
    assert "C compiler" in compile_unavailable_reason("cuda:0")


def test_compile_caches_live_in_the_data_folder_unless_the_person_set_them(tmp_path, monkeypatch):
    monkeypatch.setenv("LAMADESK_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("TORCHINDUCTOR_CACHE_DIR", raising=False)
    monkeypatch.delenv("TRITON_CACHE_DIR", raising=False)
    assert compile_cache_dir() == tmp_path / "compile-cache"
    assert use_compile_cache() == tmp_path / "compile-cache"
    assert (tmp_path / "compile-cache").is_dir()
    import os

    assert os.environ["TRITON_CACHE_DIR"] == str(tmp_path / "compile-cache" / "triton")
    monkeypatch.setenv("TORCHINDUCTOR_CACHE_DIR", str(tmp_path / "mine"))
    assert use_compile_cache() == tmp_path / "mine"


@pytest.mark.parametrize("device", ["cuda:0", "cuda"])
def test_cuda_devices_may_compile_when_the_tools_are_there(device, monkeypatch):
    import importlib.util

    from lamadesk.core.models.torch_support import compile_support

    monkeypatch.setattr(importlib.util, "find_spec", lambda name: object())
    monkeypatch.setattr(compile_support, "_c_compiler", lambda: "cc")
    monkeypatch.setattr(sys, "frozen", False, raising=False)
    headers = compile_support.sysconfig.get_paths()["include"]
    if not (compile_support.Path(headers) / "Python.h").is_file():
        pytest.skip("this Python has no development headers")
    assert compile_unavailable_reason(device) is None
