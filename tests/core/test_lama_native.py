"""Reference architecture, TorchScript-free weight loading and the native big-lama model."""

from __future__ import annotations

import copy
import pickle
import warnings
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import torch
import torch.nn.functional as F  # noqa: N812 - the conventional name
from torch import nn

from lamadesk.core.errors import ModelLoadError
from lamadesk.core.models.lama.architecture import SIZE_MULTIPLE, ReferenceLama
from lamadesk.core.models.lama.native import NativeLama
from lamadesk.core.models.lama.weights import (
    check_state_dict,
    expected_spec,
    load_archive_state_dict,
    load_weights_cache,
    save_weights_cache,
)

KEYS_TSV = Path(__file__).resolve().parents[3] / "shared" / "models" / "big-lama.keys.tsv"
"""Keys, shapes and dtypes of the real big-lama.pt (shared/ lies beside the clone)."""

TOLERANCE = 1e-4
"""Max abs difference allowed between native and TorchScript outputs in [0, 1]."""

TRACE_SIZE = 2 * SIZE_MULTIPLE


@contextmanager
def torch_jit_allowed() -> Iterator[None]:
    """Silence only torch.jit's deprecation: the tests use it on purpose, as the baseline."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=r"`torch\.jit\.\w+` is deprecated")
        yield


def save_traced(model: nn.Module, path: Path) -> Path:
    image = torch.rand(1, 3, TRACE_SIZE, TRACE_SIZE)
    mask = torch.zeros(1, 1, TRACE_SIZE, TRACE_SIZE)
    with torch_jit_allowed(), torch.no_grad():
        torch.jit.save(torch.jit.trace(model.eval(), (image, mask), check_trace=False), str(path))
    return path


def pad_to_multiple(tensor: torch.Tensor) -> torch.Tensor:
    """Reflect-pad bottom and right to multiples of 8, as the inference caller does."""
    height, width = tensor.shape[-2:]
    pad_h = -height % SIZE_MULTIPLE
    pad_w = -width % SIZE_MULTIPLE
    return F.pad(tensor, (0, pad_w, 0, pad_h), mode="reflect")


def make_inputs(height: int, width: int, seed: int) -> tuple[torch.Tensor, torch.Tensor]:
    generator = torch.Generator().manual_seed(seed)
    image = torch.rand(1, 3, height, width, generator=generator)
    mask = torch.zeros(1, 1, height, width)
    mask[..., height // 4 : height // 2, width // 3 :] = 1
    mask[torch.rand(mask.shape, generator=generator) < 0.1] = 1
    return pad_to_multiple(image), pad_to_multiple(mask)


@pytest.fixture(scope="module")
def model_path(random_lama_path: Path) -> Path:
    return random_lama_path


@pytest.fixture(scope="module")
def scripted(model_path: Path) -> torch.jit.ScriptModule:
    with torch_jit_allowed():
        return torch.jit.load(str(model_path)).eval()


@pytest.fixture(scope="module")
def state_dict(model_path: Path) -> dict[str, torch.Tensor]:
    return load_archive_state_dict(model_path)


@pytest.fixture(scope="module")
def native(state_dict: dict[str, torch.Tensor]) -> NativeLama:
    return NativeLama.from_state_dict(state_dict)


def read_keys_tsv() -> dict[str, tuple[str, str]]:
    rows = (line.split("\t") for line in KEYS_TSV.read_text().splitlines() if line)
    return {name: (shape, dtype) for name, shape, dtype in rows}


def describe(spec: dict[str, tuple[tuple[int, ...], torch.dtype]]) -> dict[str, tuple[str, str]]:
    return {
        name: (str(shape), str(dtype).removeprefix("torch."))
        for name, (shape, dtype) in spec.items()
    }


@pytest.mark.skipif(not KEYS_TSV.is_file(), reason=f"{KEYS_TSV} absent (shared/ not beside repo)")
def test_reference_state_dict_equals_published_big_lama_keys() -> None:
    with torch.device("meta"):
        reference = ReferenceLama().state_dict()
    published = read_keys_tsv()

    assert len(published) == 989
    assert describe({k: (tuple(v.shape), v.dtype) for k, v in reference.items()}) == published
    assert list(reference) == list(published)
    assert describe({k: (s.shape, s.dtype) for k, s in expected_spec().items()}) == published


def test_archive_loader_returns_the_traced_files_tensors(
    scripted: torch.jit.ScriptModule, state_dict: dict[str, torch.Tensor]
) -> None:
    expected = scripted.state_dict()

    assert list(state_dict) == list(expected)
    for name, tensor in expected.items():
        assert state_dict[name].dtype == tensor.dtype, name
        assert torch.equal(state_dict[name], tensor), name


def test_archive_loader_does_not_use_torch_jit_or_torch_load(
    model_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def forbidden(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("the archive loader must not call torch.jit.load or torch.load")

    monkeypatch.setattr(torch.jit, "load", forbidden)
    monkeypatch.setattr(torch, "load", forbidden)

    assert len(load_archive_state_dict(model_path)) == 989


def test_archive_loader_rejects_a_file_with_a_missing_and_an_unexpected_key(
    tmp_path: Path,
) -> None:
    model = ReferenceLama()
    norm = model.model.generator.model[1].bn_l
    del norm.bias
    norm.register_parameter("bias", None)
    model.model.generator.register_buffer("extra", torch.zeros(3))
    path = save_traced(model, tmp_path / "keys.pt")

    with pytest.raises(ModelLoadError) as info:
        load_archive_state_dict(path)
    assert info.value.reason == (
        "not a big-lama file: 1 missing keys (first: model.generator.model.1.bn_l.bias), "
        "1 unexpected keys (first: model.generator.extra)"
    )


def test_check_state_dict_rejects_a_missing_key(state_dict: dict[str, torch.Tensor]) -> None:
    partial = dict(state_dict)
    del partial["model.generator.model.34.bias"]

    with pytest.raises(ModelLoadError) as info:
        check_state_dict(partial, Path("x.pt"))
    assert info.value.reason == (
        "not a big-lama file: 1 missing keys (first: model.generator.model.34.bias)"
    )


def test_check_state_dict_rejects_an_unexpected_key(state_dict: dict[str, torch.Tensor]) -> None:
    extended = {**state_dict, "model.discriminator.weight": torch.zeros(1)}

    with pytest.raises(ModelLoadError) as info:
        check_state_dict(extended, Path("x.pt"))
    assert info.value.reason == (
        "not a big-lama file: 1 unexpected keys (first: model.discriminator.weight)"
    )


def test_check_state_dict_rejects_a_wrong_dtype(state_dict: dict[str, torch.Tensor]) -> None:
    name = "model.generator.model.34.bias"
    changed = {**state_dict, name: state_dict[name].half()}

    with pytest.raises(
        ModelLoadError, match=r"34\.bias is torch\.float16, big-lama has torch\.float32"
    ):
        check_state_dict(changed, Path("x.pt"))


def test_archive_loader_rejects_a_wrong_shape(tmp_path: Path) -> None:
    model = ReferenceLama()
    layers = model.model.generator.model
    layers[33] = nn.ReflectionPad2d(2)
    layers[34] = nn.Conv2d(64, 3, kernel_size=5)
    path = save_traced(model, tmp_path / "shape.pt")

    with pytest.raises(
        ModelLoadError,
        match=r"model\.34\.weight has shape \(3, 64, 5, 5\), big-lama has \(3, 64, 7, 7\)",
    ):
        load_archive_state_dict(path)


def test_archive_loader_rejects_a_file_that_is_not_a_zip(tmp_path: Path) -> None:
    path = tmp_path / "big-lama.pt"
    path.write_bytes(b"<html>404 Not Found</html>")

    with pytest.raises(ModelLoadError, match="not a valid zip archive") as info:
        load_archive_state_dict(path)
    assert info.value.path == path


def test_archive_loader_rejects_a_plain_torch_save_file(
    tmp_path: Path, state_dict: dict[str, torch.Tensor]
) -> None:
    path = tmp_path / "weights.pt"
    torch.save(state_dict, path)

    with pytest.raises(ModelLoadError, match=r"plain torch\.save file is not a big-lama\.pt"):
        load_archive_state_dict(path)


def test_archive_loader_rejects_a_legacy_torch_save_pickle(tmp_path: Path) -> None:
    path = tmp_path / "legacy.pt"
    torch.save({"a": torch.zeros(2)}, path, _use_new_zipfile_serialization=False)

    with pytest.raises(ModelLoadError, match="not a valid zip archive"):
        load_archive_state_dict(path)


class _RunsCode:
    def __reduce__(self) -> tuple[object, tuple[str]]:
        return (print, ("pickle ran code",))


def test_archive_loader_refuses_pickle_globals_outside_the_allow_list(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "evil.pt"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("evil/data.pkl", pickle.dumps(_RunsCode(), protocol=2))

    with pytest.raises(
        ModelLoadError, match=r"refusing to load pickle global (__builtin__|builtins)\.print"
    ):
        load_archive_state_dict(path)
    assert "pickle ran code" not in capsys.readouterr().out


def test_weights_cache_round_trips(tmp_path: Path, state_dict: dict[str, torch.Tensor]) -> None:
    path = tmp_path / "big-lama.weights"
    save_weights_cache(state_dict, path)

    loaded = load_weights_cache(path)

    assert list(loaded) == list(state_dict)
    assert all(torch.equal(loaded[name], tensor) for name, tensor in state_dict.items())
    assert list(tmp_path.iterdir()) == [path]


def test_weights_cache_rejects_a_torchscript_archive(model_path: Path) -> None:
    with pytest.raises(ModelLoadError, match="a TorchScript archive, not a weights cache"):
        load_weights_cache(model_path)


def test_weights_cache_rejects_other_weights(tmp_path: Path) -> None:
    path = tmp_path / "other.weights"
    torch.save({"model.generator.model.1.ffc.convl2l.weight": torch.zeros(1)}, path)

    with pytest.raises(ModelLoadError, match="not a big-lama file: 988 missing keys"):
        load_weights_cache(path)


def test_test_model_output_varies_and_is_not_saturated(scripted: torch.jit.ScriptModule) -> None:
    image, mask = make_inputs(45, 60, seed=1)
    with torch.no_grad():
        filled = scripted(image, mask)

    inside = filled.masked_select(mask.bool().expand_as(filled))
    assert inside.std() > 0.1
    assert ((inside > 0.02) & (inside < 0.98)).float().mean() > 0.9
    assert torch.equal(filled * (1 - mask), image * (1 - mask))


@pytest.mark.parametrize(("height", "width"), [(37, 53), (64, 96)])
def test_native_matches_torchscript_in_float32(
    scripted: torch.jit.ScriptModule, native: NativeLama, height: int, width: int
) -> None:
    image, mask = make_inputs(height, width, seed=height)

    with torch.no_grad():
        expected = scripted(image, mask)
        actual = native(image, mask)

    assert actual.shape == expected.shape
    assert actual.dtype == torch.float32
    assert (actual - expected).abs().max().item() < TOLERANCE


def test_native_matches_torchscript_in_channels_last(
    scripted: torch.jit.ScriptModule, native: NativeLama
) -> None:
    channels_last = copy.deepcopy(native).to(memory_format=torch.channels_last)
    image, mask = make_inputs(37, 53, seed=2)

    with torch.inference_mode():
        expected = scripted(image, mask)
        actual = channels_last(
            image.contiguous(memory_format=torch.channels_last),
            mask.contiguous(memory_format=torch.channels_last),
        )

    assert (actual - expected).abs().max().item() < TOLERANCE


def test_native_matches_torchscript_for_a_batch(
    scripted: torch.jit.ScriptModule, native: NativeLama
) -> None:
    first, first_mask = make_inputs(21, 35, seed=3)
    second, second_mask = make_inputs(21, 35, seed=4)
    image, mask = torch.cat((first, second)), torch.cat((first_mask, second_mask))

    with torch.no_grad():
        expected = scripted(image, mask)
        actual = native(image, mask)

    assert (actual - expected).abs().max().item() < TOLERANCE


def test_native_runs_the_fft_in_float32_under_autocast(
    native: NativeLama, monkeypatch: pytest.MonkeyPatch
) -> None:
    image, mask = make_inputs(13, 22, seed=5)
    with torch.no_grad():
        full = native(image, mask)
    seen: list[torch.dtype] = []
    rfftn, irfftn = torch.fft.rfftn, torch.fft.irfftn

    def spy_rfftn(x: torch.Tensor, *args: object, **kwargs: object) -> torch.Tensor:
        seen.append(x.dtype)
        return rfftn(x, *args, **kwargs)

    def spy_irfftn(x: torch.Tensor, *args: object, **kwargs: object) -> torch.Tensor:
        seen.append(x.dtype)
        return irfftn(x, *args, **kwargs)

    monkeypatch.setattr(torch.fft, "rfftn", spy_rfftn)
    monkeypatch.setattr(torch.fft, "irfftn", spy_irfftn)
    with torch.no_grad(), torch.autocast("cpu", dtype=torch.bfloat16):
        low = native(image, mask)

    assert set(seen) == {torch.float32, torch.complex64}
    assert len(seen) == 2 * 2 * 18
    assert torch.isfinite(low).all()
    assert (low.float() - full).abs().mean().item() < 0.05
