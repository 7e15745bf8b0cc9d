"""Reads big-lama weights from the published TorchScript file without TorchScript.

``big-lama.pt`` is a TorchScript archive, and ``torch.jit`` is deprecated (PyTorch 2.14) and
slated for removal. The archive is a zip: ``<root>/data.pkl`` pickles the module tree as
``__torch__.*`` objects whose attribute dicts hold the tensors, and ``<root>/data/<key>`` holds
each tensor storage as raw little-endian bytes. :func:`load_archive_state_dict` unpickles that
tree with an allow-list (module records, the tensor rebuild function, storage dtype markers) so a
hostile file cannot run code, and returns the flat ``state_dict`` (``model.generator.model...``).

Every loader checks the result against :func:`expected_spec`, derived from the reference
architecture, so a wrong file fails here with a clear :class:`ModelLoadError` instead of later
with a shape error deep inside a convolution.

A plain ``torch.save`` cache (:func:`save_weights_cache`, :func:`load_weights_cache`) is offered
for callers that want to skip the archive walk; it is loaded with ``weights_only=True``.
"""

from __future__ import annotations

import collections
import functools
import io
import logging
import pickle
import re
import sys
import zipfile
import zlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Any, BinaryIO

import torch
from torch import Tensor

from lamadesk.core.errors import ModelArchiveError, ModelLoadError, NotBigLamaError
from lamadesk.core.models.lama.architecture import ReferenceLama
from lamadesk.core.paths import atomic_write

logger = logging.getLogger(__name__)

_STORAGE_DTYPES: dict[str, torch.dtype] = {
    "FloatStorage": torch.float32,
    "DoubleStorage": torch.float64,
    "HalfStorage": torch.float16,
    "BFloat16Storage": torch.bfloat16,
    "LongStorage": torch.int64,
    "IntStorage": torch.int32,
    "ShortStorage": torch.int16,
    "CharStorage": torch.int8,
    "ByteStorage": torch.uint8,
    "BoolStorage": torch.bool,
}
"""Storage classes named in archive pickles, and the dtype of their raw bytes."""

_DATA_PKL = re.compile(r"[^/]+/data\.pkl")
_DAMAGE_ERRORS = (zipfile.BadZipFile, zlib.error)
"""What zipfile raises for a member whose bytes are damaged (CRC, compressed stream)."""


@dataclass(frozen=True)
class TensorSpec:
    """Shape and dtype one checkpoint entry must have."""

    shape: tuple[int, ...]
    dtype: torch.dtype


@functools.cache
def expected_spec() -> Mapping[str, TensorSpec]:
    """Every ``state_dict`` entry of ``big-lama.pt``, in file order, with shape and dtype.

    Derived from :class:`ReferenceLama` on the meta device (no memory, ~0.1 s) rather than from a
    data file, so the accepted keys can never drift from the architecture that uses them.
    """
    with torch.device("meta"):
        reference = ReferenceLama()
    return MappingProxyType(
        {
            name: TensorSpec(tuple(tensor.shape), tensor.dtype)
            for name, tensor in reference.state_dict().items()
        }
    )


def check_state_dict(state_dict: Mapping[str, Tensor], path: Path) -> None:
    """Accept exactly the big-lama key set with the expected shapes and dtypes.

    Args:
        state_dict: Flat ``{dotted_name: tensor}`` as found in the file.
        path: The file it came from, for the error.

    Raises:
        NotBigLamaError: Keys missing or unexpected, or a tensor of the wrong shape or dtype.
    """
    spec = expected_spec()
    missing = tuple(name for name in spec if name not in state_dict)
    unexpected = tuple(sorted(name for name in state_dict if name not in spec))
    if missing or unexpected:
        raise NotBigLamaError(path, missing, unexpected)
    for name, want in spec.items():
        tensor = state_dict[name]
        if not isinstance(tensor, Tensor):
            mismatch = f"{name} is a {type(tensor).__name__}, not a tensor"
        elif tuple(tensor.shape) != want.shape:
            mismatch = f"{name} has shape {tuple(tensor.shape)}, big-lama has {want.shape}"
        elif tensor.dtype != want.dtype:
            mismatch = f"{name} is {tensor.dtype}, big-lama has {want.dtype}"
        else:
            continue
        raise NotBigLamaError(path, (), (), mismatch)


def check_big_lama_file(path: Path) -> None:
    """Accept only an intact TorchScript archive holding exactly big-lama's weights.

    Run before a file is installed as ``lama``: every member's CRC is checked (also those only
    TorchScript reads), then the weights are read and checked as the native engine reads them.

    Raises:
        ModelArchiveError: Not a zip, truncated, or a member that fails its CRC.
        NotBigLamaError: A readable archive with other tensors than big-lama's.
        ModelLoadError: Unreadable, or a zip that is not a TorchScript archive.
    """
    check_archive_intact(path)
    load_archive_state_dict(path)


def check_archive_intact(path: Path) -> None:
    """Read every member of the zip at `path` and compare it with its CRC.

    TorchScript does not check CRCs, so without this it runs whatever bytes a disk error or
    an interrupted copy left behind.

    Raises:
        ModelArchiveError: Not a zip, truncated, or a member that fails its CRC.
        ModelLoadError: The file cannot be read.
    """
    try:
        with _open_zip(path) as archive:
            bad_member = archive.testzip()
    except _DAMAGE_ERRORS as exc:
        raise ModelArchiveError(path, f"damaged zip archive: {exc}") from exc
    except OSError as exc:
        raise ModelLoadError(path, f"cannot read the file: {exc}") from exc
    if bad_member is not None:
        raise ModelArchiveError(path, f"bad CRC in member {bad_member}")


def load_archive_state_dict(path: Path) -> dict[str, Tensor]:
    """Read the weights of a big-lama TorchScript archive without ``torch.jit``.

    Args:
        path: A ``big-lama.pt`` file (or one made by ``make_test_model``).

    Returns:
        ``{dotted_name: tensor}`` on the CPU, keys and order as the archive's ``state_dict()``.

    Raises:
        ModelArchiveError: Not a zip, truncated, or a member it reads fails its CRC.
        NotBigLamaError: Not exactly the big-lama weights.
        ModelLoadError: Unreadable, not a TorchScript archive (a plain ``torch.save`` file
            included), or a forbidden pickle global.
    """
    try:
        with _open_zip(path) as archive:
            state_dict = _read_archive(archive, path)
    except _DAMAGE_ERRORS as exc:
        raise ModelArchiveError(path, f"damaged zip archive: {exc}") from exc
    except (pickle.UnpicklingError, EOFError) as exc:
        raise ModelLoadError(path, f"broken or unsupported archive pickle: {exc}") from exc
    except OSError as exc:
        raise ModelLoadError(path, f"cannot read the file: {exc}") from exc
    check_state_dict(state_dict, path)
    logger.debug("read %d tensors from TorchScript archive %s", len(state_dict), path)
    return state_dict


def save_weights_cache(state_dict: Mapping[str, Tensor], path: Path) -> None:
    """Write ``state_dict`` as a plain ``torch.save`` file, atomically (temp file, rename).

    Args:
        state_dict: Weights as returned by :func:`load_archive_state_dict`.
        path: Destination.
    """
    with atomic_write(path) as handle:
        torch.save(dict(state_dict), handle)


def load_weights_cache(path: Path) -> dict[str, Tensor]:
    """Load a file written by :func:`save_weights_cache` (``weights_only``: no code runs).

    Raises:
        ModelLoadError: Unreadable, not a ``torch.save`` dict of tensors, or not big-lama.
    """
    if _is_torchscript_archive(path):
        # torch.load would hand such a file to torch.jit.load (and refuse it with weights_only).
        raise ModelLoadError(path, "a TorchScript archive, not a weights cache")
    try:
        loaded = torch.load(path, map_location="cpu", weights_only=True)
    except (pickle.UnpicklingError, RuntimeError, EOFError, OSError) as exc:
        raise ModelLoadError(path, f"not a readable weights cache: {exc}") from exc
    if not isinstance(loaded, dict):
        raise ModelLoadError(path, f"weights cache holds a {type(loaded).__name__}, not a dict")
    check_state_dict(loaded, path)
    return loaded


def _open_zip(path: Path) -> zipfile.ZipFile:
    try:
        return zipfile.ZipFile(path)
    except zipfile.BadZipFile as exc:
        raise ModelArchiveError(
            path, "not a valid zip archive, so not a TorchScript file (truncated download?)"
        ) from exc


def _is_torchscript_archive(path: Path) -> bool:
    try:
        with zipfile.ZipFile(path) as archive:
            names = archive.namelist()
    except (zipfile.BadZipFile, OSError):
        return False
    return any(name.endswith("/constants.pkl") or "/code/" in name for name in names)


class _ModuleRecord:
    """Stand-in for a pickled ``__torch__`` module: only its attribute dict is kept."""

    qualified_name = "__torch__"

    def __init__(self) -> None:
        self.state: dict[str, Any] = {}

    def __setstate__(self, state: object) -> None:
        if not isinstance(state, dict):
            raise pickle.UnpicklingError(
                f"{self.qualified_name} has a custom state ({type(state).__name__})"
            )
        self.state = state


@functools.cache
def _record_class(qualified_name: str) -> type[_ModuleRecord]:
    return type("ModuleRecord", (_ModuleRecord,), {"qualified_name": qualified_name})


@dataclass(frozen=True)
class _StorageKind:
    dtype: torch.dtype


def _identity(value: object, *_ignored: object) -> object:
    return value


class _ArchiveUnpickler(pickle.Unpickler):
    """Allow-list unpickler for ``data.pkl``: module records and plain tensors, nothing else."""

    def __init__(
        self, file: BinaryIO, read_storage: Callable[[str, torch.dtype, int], Tensor]
    ) -> None:
        super().__init__(file)
        self._read_storage = read_storage
        self._storages: dict[str, Tensor] = {}

    def find_class(self, module: str, name: str) -> Any:  # noqa: ANN401 - pickle's contract
        if module == "__torch__" or module.startswith("__torch__."):
            return _record_class(f"{module}.{name}")
        if module == "torch" and name in _STORAGE_DTYPES:
            return _StorageKind(_STORAGE_DTYPES[name])
        allowed: dict[tuple[str, str], Callable[..., object]] = {
            ("torch._utils", "_rebuild_tensor_v2"): _rebuild_tensor,
            ("torch._utils", "_rebuild_parameter"): _identity,
            ("collections", "OrderedDict"): collections.OrderedDict,
            ("torch.jit._pickle", "restore_type_tag"): _identity,
            ("torch.jit._pickle", "build_intlist"): _identity,
            ("torch.jit._pickle", "build_doublelist"): _identity,
            ("torch.jit._pickle", "build_boollist"): _identity,
            ("torch.jit._pickle", "build_tensorlist"): _identity,
        }
        if (module, name) not in allowed:
            raise pickle.UnpicklingError(f"refusing to load pickle global {module}.{name}")
        return allowed[module, name]

    def persistent_load(self, pid: object) -> Tensor:
        if not (isinstance(pid, tuple) and len(pid) == 5 and pid[0] == "storage"):
            raise pickle.UnpicklingError(f"unsupported persistent id {pid!r:.80}")
        _, kind, key, _location, numel = pid
        if not isinstance(kind, _StorageKind) or not isinstance(numel, int):
            raise pickle.UnpicklingError(f"unsupported storage reference {pid!r:.80}")
        if key not in self._storages:
            self._storages[key] = self._read_storage(str(key), kind.dtype, numel)
        return self._storages[key]


def _rebuild_tensor(
    storage: Tensor,
    offset: int,
    size: tuple[int, ...],
    stride: tuple[int, ...],
    _requires_grad: bool,
    _hooks: object,
    _metadata: object = None,
) -> Tensor:
    if not isinstance(storage, Tensor):
        raise pickle.UnpicklingError("a tensor without storage")
    if any(s == 0 for s in size):
        return storage.new_empty(size)
    last = offset + sum((s - 1) * st for s, st in zip(size, stride, strict=True))
    if offset < 0 or any(st < 0 for st in stride) or last >= storage.numel():
        raise pickle.UnpicklingError(f"tensor of size {tuple(size)} overruns its storage")
    return storage.as_strided(size, stride, offset)


def _read_archive(archive: zipfile.ZipFile, path: Path) -> dict[str, Tensor]:
    pickles = [name for name in archive.namelist() if _DATA_PKL.fullmatch(name)]
    if len(pickles) != 1:
        raise ModelLoadError(
            path, f"zip archive with {len(pickles)} '<root>/data.pkl' entries: not TorchScript"
        )
    root = pickles[0].removesuffix("data.pkl")
    byteorder_entry = root + "byteorder"
    if byteorder_entry in archive.namelist():
        byteorder = archive.read(byteorder_entry).decode("ascii", "replace").strip()
        if byteorder != sys.byteorder:
            raise ModelLoadError(path, f"tensors stored {byteorder}-endian, this machine differs")

    def read_storage(key: str, dtype: torch.dtype, numel: int) -> Tensor:
        try:
            raw = bytearray(archive.read(f"{root}data/{key}"))
        except KeyError as exc:
            raise pickle.UnpicklingError(f"storage {key} is missing from the archive") from exc
        if len(raw) < numel * dtype.itemsize:
            raise pickle.UnpicklingError(f"storage {key} is truncated")
        if numel == 0:
            return torch.empty(0, dtype=dtype)
        return torch.frombuffer(raw, dtype=dtype, count=numel)

    # Read whole, so its CRC is checked before any byte of it is trusted.
    pickled = io.BytesIO(archive.read(pickles[0]))
    top = _ArchiveUnpickler(pickled, read_storage).load()
    if not isinstance(top, _ModuleRecord):
        raise ModelLoadError(
            path,
            f"the archive pickles a {type(top).__name__}, not a TorchScript module: a plain "
            "torch.save file is not a big-lama.pt",
        )
    state_dict: dict[str, Tensor] = {}
    _collect_tensors(top, "", state_dict)
    return state_dict


def _collect_tensors(record: _ModuleRecord, prefix: str, out: dict[str, Tensor]) -> None:
    for name, value in record.state.items():
        if isinstance(value, Tensor):
            out[prefix + name] = value
        elif isinstance(value, _ModuleRecord):
            _collect_tensors(value, f"{prefix}{name}.", out)
