"""Which models are installed, and getting them there by download or by import.

Model files sit directly in the store's folder under their registry file name. A small
``manifest.json`` beside them remembers, per model, whether lamadesk checked the file's md5,
the md5 it found and where the file came from, so starting the app never re-hashes 200 MB.
An entry only counts while the file keeps the size and modification time it had when it was
recorded; a file copied in by hand (or changed since) is reported as ``UNCHECKED``.
"""

from __future__ import annotations

import functools
import hashlib
import json
import logging
import os
import stat
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from enum import Enum
from pathlib import Path

from lamadesk.core.cancel import CancelToken
from lamadesk.core.download import (
    DEFAULT_CHUNK_SIZE,
    DEFAULT_TIMEOUT,
    ProgressMeter,
    TransferCallback,
    check_free_space,
    download_file,
    hash_file,
    partial_path,
    resumable_bytes,
)
from lamadesk.core.errors import (
    ModelChecksumError,
    ModelImportError,
    ModelLoadError,
    ModelNotInstalledError,
    ModelSizeError,
    UnknownModelError,
)
from lamadesk.core.models.registry import downloadable_weights
from lamadesk.core.models.spec import ModelContent, ModelSpec
from lamadesk.core.paths import atomic_write, models_dir

logger = logging.getLogger(__name__)

MANIFEST_NAME = "manifest.json"
_MANIFEST_VERSION = 1


class VerifiedState(Enum):
    """How far lamadesk vouches for an installed model file."""

    VERIFIED = "verified"
    """Its md5 matched the published one."""
    UNVERIFIED = "unverified"
    """Imported with ``force``: its md5 differs, used because the person asked to."""
    UNCHECKED = "unchecked"
    """Present but never hashed by lamadesk (copied by hand, or changed since); see `verify`."""


@dataclass(frozen=True)
class ModelStatus:
    """What the store knows about one model, without hashing anything.

    Attributes:
        name: Registry name.
        description: One English line.
        installed: Whether the model file exists.
        path: Where the model file is or will be.
        size_bytes: Size of the installed file, None when not installed.
        state: Verification state, None when not installed.
        source: Download URL or imported file path, None when unknown.
        md5: md5 recorded when lamadesk last hashed the file, None when never hashed.
        partial_bytes: Bytes of an unfinished download a new download will resume from.
    """

    name: str
    description: str
    installed: bool
    path: Path
    size_bytes: int | None
    state: VerifiedState | None
    source: str | None
    md5: str | None
    partial_bytes: int


@dataclass(frozen=True)
class _Record:
    state: VerifiedState
    md5: str
    source: str | None
    size: int
    mtime_ns: int


_LOST = _Record(VerifiedState.UNVERIFIED, "", None, -1, -1)
"""Stands for the entry of a corrupt manifest: the file is the person's, but unvouched for."""


class ModelStore:
    """Install state, download and import of the models in one folder.

    URL precedence for a model, first non-empty wins: `url_overrides` (the explicit choice
    made in the UI settings or on the command line), then the spec's environment variable
    (``LAMADESK_MODEL_URL`` for ``lama``), then the registry URL. The explicit setting wins
    because it is what the person sees in the settings dialog; the environment variable is
    for headless and scripted use where no setting is passed.
    """

    def __init__(
        self,
        root: Path | None = None,
        url_overrides: Mapping[str, str] | None = None,
        specs: tuple[ModelSpec, ...] | None = None,
        *,
        timeout: float = DEFAULT_TIMEOUT,
    ) -> None:
        """Create a store; nothing is read or written until a method needs it.

        Args:
            root: Models folder; defaults to `paths.models_dir()`.
            url_overrides: Mirror URLs by model name; empty values mean "use the default".
            specs: Models the store knows (tests pass tiny ones); by default the weights of
                every registered model.
            timeout: Seconds a download waits to connect or for the next bytes.

        Raises:
            UnknownModelError: `url_overrides` names a model not in `specs`.
            ValueError: Two specs share a name or a file name.
        """
        specs = downloadable_weights() if specs is None else specs
        self._specs = {spec.name: spec for spec in specs}
        if len(self._specs) != len(specs) or len({s.filename for s in specs}) != len(specs):
            raise ValueError("model specs must have unique names and file names")
        self._root = root if root is not None else models_dir()
        self._overrides: dict[str, str] = {}
        for name, url in (url_overrides or {}).items():
            self.spec(name)
            if url.strip():
                self._overrides[name] = url.strip()
        self._timeout = timeout
        self._warned_corrupt = False

    @property
    def root(self) -> Path:
        return self._root

    def spec(self, name: str) -> ModelSpec:
        """The registry entry of `name`; raises `UnknownModelError` for other names."""
        try:
            return self._specs[name]
        except KeyError:
            raise UnknownModelError(name, tuple(self._specs)) from None

    def path(self, name: str) -> Path:
        return self._root / self.spec(name).filename

    def download_url(self, name: str) -> str:
        """The URL `download` uses for `name`, following the precedence in the class doc."""
        spec = self.spec(name)
        if name in self._overrides:
            return self._overrides[name]
        from_env = os.environ.get(spec.url_env, "").strip() if spec.url_env else ""
        return from_env or spec.url

    def status(self, name: str) -> ModelStatus:
        spec = self.spec(name)
        path = self.path(name)
        partial = resumable_bytes(path, spec.size_bytes)
        size = _file_size(path)
        if size is None:
            return ModelStatus(name, spec.description, False, path, None, None, None, None, partial)
        record = self._valid_record(spec, path)
        if record is None:
            return ModelStatus(
                name,
                spec.description,
                True,
                path,
                size,
                VerifiedState.UNCHECKED,
                None,
                None,
                partial,
            )
        return ModelStatus(
            name,
            spec.description,
            True,
            path,
            size,
            record.state,
            record.source,
            record.md5 or None,
            partial,
        )

    def list(self) -> tuple[ModelStatus, ...]:
        """Status of every known model, in registry order."""
        return tuple(self.status(name) for name in self._specs)

    def require(self, name: str) -> Path:
        """The path of an installed model that is safe to load.

        Only sizes are compared (hashing on every start would cost seconds); a force-imported
        file is exempt because its size is the person's choice.

        Raises:
            ModelNotInstalledError: The file is missing.
            ModelSizeError: The file has the wrong size, e.g. an interrupted manual copy.
        """
        spec = self.spec(name)
        status = self.status(name)
        if not status.installed or status.size_bytes is None:
            raise ModelNotInstalledError(name, status.path)
        if status.state is not VerifiedState.UNVERIFIED and status.size_bytes != spec.size_bytes:
            raise ModelSizeError(status.path, spec.size_bytes, status.size_bytes)
        if status.state is VerifiedState.UNCHECKED:
            logger.info("model %s at %s has not been checksummed yet", name, status.path)
        return status.path

    def verify(
        self,
        name: str,
        *,
        on_progress: TransferCallback | None = None,
        token: CancelToken | None = None,
    ) -> ModelStatus:
        """Hash the installed file and record the result.

        Raises:
            ModelNotInstalledError: The file is missing.
            ModelChecksumError: The md5 is not the published one (the file is left in place,
                it is the person's; a force-imported file with its recorded md5 passes).
            JobCancelled: `token` was cancelled.
        """
        spec = self.spec(name)
        path = self.path(name)
        if _file_size(path) is None:
            raise ModelNotInstalledError(name, path)
        record = self._valid_record(spec, path)
        actual = hash_file(path, on_progress=on_progress, token=token)
        source = record.source if record else None
        if actual == spec.md5:
            self._record(name, VerifiedState.VERIFIED, actual, source)
        elif record is None or record.state is not VerifiedState.UNVERIFIED or record.md5 != actual:
            self._forget(name)
            raise ModelChecksumError(path, spec.md5, actual)
        return self.status(name)

    def download(
        self,
        name: str,
        *,
        on_progress: TransferCallback | None = None,
        token: CancelToken | None = None,
    ) -> Path:
        """Download `name` unless a verified copy is installed; resume an unfinished one.

        The installed file, if any, is replaced only by a complete file with the right md5.

        Raises:
            The errors of `download.download_file`: `JobCancelled`, `NetworkUnavailableError`,
            `DownloadError`, `ModelChecksumError`, `NotEnoughSpaceError`, and the
            `ModelLoadError` of `check_content` for a file of the right md5 but wrong content.
        """
        spec = self.spec(name)
        path = self.path(name)
        if self.status(name).state is VerifiedState.VERIFIED:
            logger.info("model %s is already installed and verified at %s", name, path)
            return path
        url = self.download_url(name)
        download_file(
            url,
            path,
            model=name,
            expected_md5=spec.md5,
            expected_size=spec.size_bytes,
            magic=spec.content.magic,
            check=functools.partial(check_content, spec),
            on_progress=on_progress,
            token=token,
            timeout=self._timeout,
        )
        self._record(name, VerifiedState.VERIFIED, spec.md5, url)
        return path

    def import_file(
        self,
        name: str,
        source: Path,
        *,
        force: bool = False,
        on_progress: TransferCallback | None = None,
        token: CancelToken | None = None,
    ) -> Path:
        """Install a model file the person obtained elsewhere (offline machines, mirrors).

        The file is copied and hashed in one pass into a temporary file in the store, then
        moved into place, so the installed model is replaced only by a complete copy.

        Args:
            name: Registry name.
            source: The file to import; it is never changed. It may be the installed file
                itself, which is then only hashed and recorded.
            force: Accept a file whose md5 is not the published one; it is marked
                ``UNVERIFIED``. The content check of `spec` is never skipped.
            on_progress: Called per chunk while copying or hashing.
            token: Checked between chunks.

        Raises:
            ModelImportError: `source` is missing, not a file, or cannot be read or copied.
            ModelLoadError: `source` does not hold what the spec's `ModelContent` demands
                (`ModelArchiveError`, `NotBigLamaError`); nothing was installed.
            ModelChecksumError: Wrong md5 and not `force`; nothing was installed.
            NotEnoughSpaceError: The store's disk cannot hold the copy.
            JobCancelled: `token` was cancelled; nothing was installed.
        """
        spec = self.spec(name)
        path = self.path(name)
        source = source.expanduser()
        try:
            source_stat = source.stat()
        except OSError as exc:
            raise ModelImportError(source, exc.strerror or str(exc)) from exc
        if not stat.S_ISREG(source_stat.st_mode):
            raise ModelImportError(source, "not a regular file")
        # Before the md5: no checksum verdict, forced or not, can make a wrong file right.
        check_content(spec, source)
        self._root.mkdir(parents=True, exist_ok=True)
        if path.exists() and source.samefile(path):
            actual = hash_file(path, on_progress=on_progress, token=token)
            state = _judge(spec, path, actual, force=force)
        else:
            check_free_space(self._root, source_stat.st_size)
            actual, state = self._copy_in(
                spec, source, source_stat.st_size, force, on_progress, token
            )
        self._record(name, state, actual, str(source.resolve()))
        if state is VerifiedState.VERIFIED:
            partial_path(path).unlink(missing_ok=True)
        return path

    def _copy_in(
        self,
        spec: ModelSpec,
        source: Path,
        size: int,
        force: bool,
        on_progress: TransferCallback | None,
        token: CancelToken | None,
    ) -> tuple[str, VerifiedState]:
        digest = hashlib.md5(usedforsecurity=False)
        meter = ProgressMeter(size, on_progress)
        try:
            with source.open("rb") as reader, atomic_write(self._root / spec.filename) as writer:
                while chunk := reader.read(DEFAULT_CHUNK_SIZE):
                    if token is not None:
                        token.raise_if_cancelled()
                    writer.write(chunk)
                    digest.update(chunk)
                    meter.advance(len(chunk))
                # Raising inside the block makes atomic_write discard the copy.
                state = _judge(spec, source, digest.hexdigest(), force=force)
        except OSError as exc:
            raise ModelImportError(source, f"copy failed: {exc}") from exc
        return digest.hexdigest(), state

    def _valid_record(self, spec: ModelSpec, path: Path) -> _Record | None:
        """The manifest entry of `spec`, if it still describes the file on disk."""
        record = self._read_manifest().get(spec.name)
        if record is None or record is _LOST:
            return record
        try:
            file_stat = path.stat()
        except FileNotFoundError:
            return None
        if (record.size, record.mtime_ns) != (file_stat.st_size, file_stat.st_mtime_ns):
            return None
        if record.state is VerifiedState.VERIFIED and record.md5 != spec.md5:
            return None
        return record

    def _read_manifest(self) -> dict[str, _Record]:
        """Entries by model name; a corrupt manifest or entry reads as `_LOST` entries.

        Lost entries make installed models ``UNVERIFIED`` rather than ``UNCHECKED``: the
        person may have force-imported a file of another size, which must not look like an
        incomplete copy. The next write (download, import, verify) rebuilds the manifest.
        """
        manifest = self._root / MANIFEST_NAME
        try:
            raw = json.loads(manifest.read_text(encoding="utf-8"))
            entries = raw["models"]
            if not isinstance(entries, dict):
                raise TypeError("'models' is not an object")
        except FileNotFoundError:
            return {}
        except (OSError, ValueError, KeyError, TypeError) as exc:
            self._warn_corrupt(manifest, exc)
            return dict.fromkeys(self._specs, _LOST)
        records: dict[str, _Record] = {}
        for name, entry in entries.items():
            try:
                records[name] = _Record(
                    state=VerifiedState(entry["state"]),
                    md5=str(entry["md5"]),
                    source=None if entry["source"] is None else str(entry["source"]),
                    size=int(entry["size"]),
                    mtime_ns=int(entry["mtime_ns"]),
                )
            except (KeyError, TypeError, ValueError) as exc:
                self._warn_corrupt(manifest, f"entry {name!r}: {exc!r}")
                records[name] = _LOST
        return records

    def _warn_corrupt(self, manifest: Path, problem: object) -> None:
        if self._warned_corrupt:
            return
        self._warned_corrupt = True
        logger.warning(
            "model manifest %s is corrupt (%s); ignoring it: installed models count as "
            "unverified until they are downloaded, imported or verified again, which "
            "rebuilds it",
            manifest,
            problem,
        )

    def _record(self, name: str, state: VerifiedState, md5: str, source: str | None) -> None:
        file_stat = self.path(name).stat()
        records = {key: value for key, value in self._read_manifest().items() if value is not _LOST}
        records[name] = _Record(state, md5, source, file_stat.st_size, file_stat.st_mtime_ns)
        self._write_manifest(records)

    def _forget(self, name: str) -> None:
        records = self._read_manifest()
        if records.pop(name, None) is not None:
            self._write_manifest(
                {key: value for key, value in records.items() if value is not _LOST}
            )

    def _write_manifest(self, records: dict[str, _Record]) -> None:
        payload = {
            "version": _MANIFEST_VERSION,
            "models": {
                name: {**asdict(record), "state": record.state.value}
                for name, record in sorted(records.items())
            },
        }
        with atomic_write(self._root / MANIFEST_NAME) as handle:
            handle.write(json.dumps(payload, indent=2).encode("utf-8"))


def check_content(spec: ModelSpec, path: Path) -> None:
    """Refuse a file that does not hold what `spec.content` demands; md5 plays no part.

    Raises:
        ModelArchiveError: Not an intact zip (not a zip, truncated, a bad CRC).
        NotBigLamaError: A readable archive with other tensors than big-lama's.
        ModelLoadError: Another reason it cannot be read as the model, or PyTorch is broken.
    """
    if spec.content is ModelContent.ANY:
        return
    try:
        from lamadesk.core.models.lama.weights import check_big_lama_file  # loads torch
    except (ImportError, OSError) as exc:
        raise ModelLoadError(path, f"PyTorch cannot be loaded to check the file: {exc}") from exc
    check_big_lama_file(path)


def _judge(spec: ModelSpec, path: Path, actual: str, *, force: bool) -> VerifiedState:
    if actual == spec.md5:
        return VerifiedState.VERIFIED
    if force:
        logger.warning(
            "using %s for %s despite md5 %s (expected %s)", path, spec.name, actual, spec.md5
        )
        return VerifiedState.UNVERIFIED
    raise ModelChecksumError(path, spec.md5, actual)


def _file_size(path: Path) -> int | None:
    """Size of a regular file, None when missing or not a regular file."""
    try:
        file_stat = path.stat()
    except FileNotFoundError:
        return None
    return file_stat.st_size if stat.S_ISREG(file_stat.st_mode) else None
