"""Resumable, checksummed download of one file over HTTP(S), with the standard library only.

urllib already follows redirects (GitHub release assets redirect to a CDN), honours proxy
environment variables and verifies TLS, so no HTTP dependency is needed. Bytes arrive in
``<file>.part`` beside the destination, which survives failures and cancellation so the next
call resumes with ``Range: bytes=N-``; only a file whose size and md5 match is moved into place
with `os.replace`, so the destination is never half-written.

A body is refused before anything is kept when it is an HTML page (a login or error page of a
mirror) or does not start with the bytes the caller expects. A resume sends ``If-Range`` with the
server's ETag or Last-Modified, kept in ``<file>.part.json``; a ``.part`` without one is started
over, so bytes of another version of the file are never joined to the new ones.
"""

from __future__ import annotations

import hashlib
import http.client
import json
import logging
import os
import re
import shutil
import ssl
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, Protocol

from lamadesk import __version__
from lamadesk.core.cancel import CancelToken
from lamadesk.core.errors import (
    DownloadError,
    ModelChecksumError,
    NetworkUnavailableError,
    NotEnoughSpaceError,
)
from lamadesk.core.paths import atomic_write

logger = logging.getLogger(__name__)

DEFAULT_CHUNK_SIZE = 256 * 1024
DEFAULT_TIMEOUT = 30.0
"""Seconds to wait for a connection or for the next bytes; a stalled server fails, not hangs."""
USER_AGENT = f"lamadesk/{__version__} Python-urllib"

_SPEED_HALF_LIFE = 3.0
_MIN_SAMPLE_SECONDS = 0.1
_CONTENT_RANGE_RE = re.compile(r"bytes\s+(\d+)-(\d+)/(\d+|\*)")
_UNSATISFIED_RANGE_RE = re.compile(r"bytes\s+\*/(\d+)")


@dataclass(frozen=True)
class TransferProgress:
    """Where a download, copy or hash stands.

    Attributes:
        done_bytes: Bytes handled so far, including bytes of a resumed ``.part``.
        total_bytes: Expected total, or None when neither the caller nor the server knows it.
        bytes_per_second: Speed smoothed over a few seconds (0.0 until measured), so a
            progress bar's estimate does not jump with every chunk.
    """

    done_bytes: int
    total_bytes: int | None
    bytes_per_second: float

    @property
    def fraction(self) -> float | None:
        """Share done in ``[0, 1]``, or None when the total is unknown."""
        if not self.total_bytes:
            return None
        return min(1.0, self.done_bytes / self.total_bytes)

    @property
    def eta_seconds(self) -> float | None:
        """Estimated seconds left, or None when total or speed is unknown."""
        if self.total_bytes is None or self.bytes_per_second <= 0:
            return None
        return max(0, self.total_bytes - self.done_bytes) / self.bytes_per_second


TransferCallback = Callable[[TransferProgress], None]


class _Digest(Protocol):
    def update(self, data: bytes, /) -> None: ...


class ProgressMeter:
    """Counts bytes and reports `TransferProgress` with an exponentially smoothed speed."""

    def __init__(
        self,
        total: int | None,
        on_progress: TransferCallback | None,
        done: int = 0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.total = total
        self.done = done
        self._on_progress = on_progress
        self._clock = clock
        self._speed = 0.0
        self._pending = 0
        self._last = clock()

    def restart(self) -> None:
        """Count from zero again (the server ignored a resume request)."""
        self.done = 0
        self._pending = 0
        self._emit()

    def advance(self, count: int) -> None:
        self.done += count
        self._pending += count
        now = self._clock()
        elapsed = now - self._last
        # Tiny intervals give wild instantaneous rates; fold them into the next sample.
        if elapsed >= _MIN_SAMPLE_SECONDS:
            rate = self._pending / elapsed
            if self._speed == 0.0:
                self._speed = rate
            else:
                weight = 1.0 - 0.5 ** (elapsed / _SPEED_HALF_LIFE)
                self._speed += weight * (rate - self._speed)
            self._pending = 0
            self._last = now
        self._emit()

    def report(self) -> None:
        """Send the current state without counting bytes, and start timing from now.

        Called once the transfer starts, so time spent before (connecting, hashing a kept
        ``.part``) does not drag the first speed sample down.
        """
        self._pending = 0
        self._last = self._clock()
        self._emit()

    def _emit(self) -> None:
        if self._on_progress is not None:
            self._on_progress(TransferProgress(self.done, self.total, self._speed))


def partial_path(destination: Path) -> Path:
    """Where the bytes of an unfinished download of `destination` are kept."""
    return destination.with_name(destination.name + ".part")


def resumable_bytes(destination: Path, expected_size: int | None = None) -> int:
    """Bytes of the ``.part`` of `destination` that the next download keeps (0 = starts over)."""
    return _resumable(partial_path(destination), expected_size)


def _validator_path(part: Path) -> Path:
    return part.with_name(part.name + ".json")


def _read_validator(part: Path) -> str | None:
    """The ``If-Range`` value saved for `part`, None when there is none or it is unreadable."""
    try:
        value = json.loads(_validator_path(part).read_text(encoding="utf-8"))["if_range"]
    except FileNotFoundError:
        return None
    except (OSError, ValueError, KeyError, TypeError) as exc:
        logger.warning("ignoring unreadable %s: %s", _validator_path(part), exc)
        return None
    return value if isinstance(value, str) and value else None


def _resumable(part: Path, expected_size: int | None) -> int:
    try:
        size = part.stat().st_size
    except FileNotFoundError:
        return 0
    if expected_size is not None and size > expected_size:
        return 0
    if expected_size is not None and size == expected_size:
        return size  # complete: the md5 alone decides, no request is made
    return size if _read_validator(part) is not None else 0


def check_free_space(folder: Path, needed: int) -> None:
    """Raise `NotEnoughSpaceError` unless `folder`'s disk has `needed` bytes free.

    Checked up front because running out of space 190 MB into a download wastes the
    person's time and bandwidth.
    """
    available = shutil.disk_usage(folder).free
    if available < needed:
        raise NotEnoughSpaceError(folder, needed, available)


def hash_file(
    path: Path,
    *,
    on_progress: TransferCallback | None = None,
    token: CancelToken | None = None,
    chunk_size: int = DEFAULT_CHUNK_SIZE,
) -> str:
    """Md5 of `path` as lower-case hex, read in chunks, cancellable between chunks."""
    digest = hashlib.md5(usedforsecurity=False)
    meter = ProgressMeter(path.stat().st_size, on_progress)
    with path.open("rb") as handle:
        _feed(handle, digest, meter, token, chunk_size)
    return digest.hexdigest()


def download_file(
    url: str,
    destination: Path,
    *,
    model: str,
    expected_md5: str,
    expected_size: int | None = None,
    magic: bytes = b"",
    check: Callable[[Path], None] | None = None,
    on_progress: TransferCallback | None = None,
    token: CancelToken | None = None,
    timeout: float = DEFAULT_TIMEOUT,
    chunk_size: int = DEFAULT_CHUNK_SIZE,
) -> None:
    """Download `url` to `destination`, resuming ``<destination>.part`` if the server allows.

    Args:
        url: An http:// or https:// URL.
        destination: Final path; replaced only once size and md5 match.
        model: Model name, used to point at ``lamadesk-cli models import`` when offline.
        expected_md5: md5 the complete file must have (hex).
        expected_size: Exact size in bytes if known; enables the free-space and size checks.
        magic: Bytes the file must start with; another body is refused before it is kept.
        check: Called with the complete ``.part`` once its md5 matched, before it replaces
            `destination`; what it raises is passed on and the ``.part`` is removed.
        on_progress: Called after every chunk from this thread.
        token: Checked between chunks.
        timeout: Seconds for connecting and for each read.
        chunk_size: Most bytes read at once.

    Raises:
        JobCancelled: `token` was cancelled; the ``.part`` is kept for resuming.
        NetworkUnavailableError: The server cannot be reached at all (refused, DNS, routing).
        DownloadError: HTTP error status, dropped connection or timeout (``.part`` kept), a
            server offering a file of the wrong size, an HTML page or a body not starting with
            `magic` (nothing kept).
        ModelChecksumError: The complete file has another md5; the bad ``.part`` is removed
            and `destination` is untouched.
        NotEnoughSpaceError: The disk cannot hold the remaining bytes.
    """
    if urllib.parse.urlsplit(url).scheme not in {"http", "https"}:
        raise DownloadError(url, "only http:// and https:// URLs are supported")
    destination.parent.mkdir(parents=True, exist_ok=True)
    transfer = _Transfer(
        url,
        partial_path(destination),
        model,
        expected_size,
        magic,
        on_progress,
        token,
        timeout,
        chunk_size,
    )
    transfer.run()
    actual = transfer.digest.hexdigest()
    if actual != expected_md5.lower():
        transfer.discard()
        raise ModelChecksumError(transfer.part, expected_md5.lower(), actual)
    if check is not None:
        try:
            check(transfer.part)
        except BaseException:
            transfer.discard()
            raise
    _validator_path(transfer.part).unlink(missing_ok=True)
    transfer.part.replace(destination)
    _fsync_folder(destination.parent)
    logger.info("downloaded %s to %s", url, destination)


class _RangeNotSatisfiableError(Exception):
    """HTTP 416: the ``.part`` is already as long as (or longer than) the file."""

    def __init__(self, total: int | None) -> None:
        super().__init__(total)
        self.total = total


class _Transfer:
    """The state of one `download_file` call: the ``.part``, its md5 so far, the meter."""

    def __init__(
        self,
        url: str,
        part: Path,
        model: str,
        expected_size: int | None,
        magic: bytes,
        on_progress: TransferCallback | None,
        token: CancelToken | None,
        timeout: float,
        chunk_size: int,
    ) -> None:
        self.url, self.part, self.model = url, part, model
        self.expected_size, self.magic = expected_size, magic
        self.token, self.timeout, self.chunk_size = token, timeout, chunk_size
        self.digest = hashlib.md5(usedforsecurity=False)
        self.offset = self._usable_partial()
        self.meter = ProgressMeter(expected_size, on_progress, done=self.offset)

    def run(self) -> None:
        if self.expected_size is not None:
            check_free_space(self.part.parent, self.expected_size - self.offset)
        if self.offset:
            # The md5 covers the whole file, so the kept bytes are hashed before resuming.
            with self.part.open("rb") as handle:
                _feed(handle, self.digest, ProgressMeter(None, None), self.token, self.chunk_size)
        if self.expected_size is not None and self.offset == self.expected_size:
            return
        try:
            response = self._open(self.offset)
        except _RangeNotSatisfiableError as exc:
            if exc.total == self.offset:
                return
            logger.warning("discarding %s: longer than the file on the server", self.part)
            self._restart()
            response = self._open(0)
        with response:
            self._receive(response)
        self._check_complete_size()

    def _usable_partial(self) -> int:
        try:
            size = self.part.stat().st_size
        except FileNotFoundError:
            return 0
        usable = _resumable(self.part, self.expected_size)
        if usable:
            logger.info("resuming %s at byte %d", self.part, usable)
        elif size:
            logger.warning(
                "discarding %s: longer than the expected file, or no ETag or Last-Modified "
                "to resume it safely",
                self.part,
            )
            self.discard()
        return usable

    def discard(self) -> None:
        """Remove the ``.part`` and its validator."""
        self.part.unlink(missing_ok=True)
        _validator_path(self.part).unlink(missing_ok=True)

    def _restart(self) -> None:
        self.offset = 0
        self.digest = hashlib.md5(usedforsecurity=False)
        self.discard()
        self.meter.restart()

    def _open(self, offset: int) -> http.client.HTTPResponse:
        headers = {"User-Agent": USER_AGENT, "Accept-Encoding": "identity"}
        validator = _read_validator(self.part) if offset else None
        if validator is not None:
            # A server whose file changed since answers 200 with the new file, not a 206.
            headers["Range"] = f"bytes={offset}-"
            headers["If-Range"] = validator
        request = urllib.request.Request(self.url, headers=headers)
        try:
            return urllib.request.urlopen(request, timeout=self.timeout)
        except urllib.error.HTTPError as exc:
            exc.close()  # it holds the socket
            if exc.code == 416 and offset:
                match = _UNSATISFIED_RANGE_RE.fullmatch(exc.headers.get("Content-Range", ""))
                raise _RangeNotSatisfiableError(int(match[1]) if match else None) from None
            raise DownloadError(
                self.url, f"the server answered HTTP {exc.code} {exc.reason}"
            ) from None
        except urllib.error.URLError as exc:
            reason = exc.reason
            if isinstance(reason, OSError) and not isinstance(reason, ssl.SSLError):
                raise NetworkUnavailableError(
                    self.url, f"cannot reach the server ({reason})", self.model
                ) from exc
            raise DownloadError(self.url, str(reason)) from exc
        except (OSError, http.client.HTTPException) as exc:
            raise DownloadError(self.url, f"no valid answer from the server ({exc!r})") from exc

    def _receive(self, response: http.client.HTTPResponse) -> None:
        start, total = self._extent(response)
        if self.expected_size is not None and total is not None and total != self.expected_size:
            raise DownloadError(
                self.url,
                f"the server offers {total:,} bytes but {self.expected_size:,} are expected; "
                "is the URL or mirror right?",
            )
        if start != self.offset:
            logger.info("%s ignored the resume request; starting again from zero", self.url)
            self._restart()
        self.meter.total = total if total is not None else self.expected_size
        self.meter.report()
        head = b""
        if start == 0:
            head = self._check_new_body(response)
        with self.part.open("ab" if self.offset else "wb") as out:
            self._write(out, head)
            while chunk := self._read(response):
                self._write(out, chunk)
            out.flush()
            os.fsync(out.fileno())
        if total is not None and self.meter.done < total:
            raise DownloadError(
                self.url,
                f"the connection closed after {self.meter.done:,} of {total:,} bytes; "
                "run the download again to resume",
            )

    def _check_new_body(self, response: http.client.HTTPResponse) -> bytes:
        """Refuse an HTML page or a body not starting with `magic`; save the validator.

        Returns:
            The first bytes of the body, already read.
        """
        media_type = response.headers.get_content_type()
        if media_type == "text/html":
            raise DownloadError(
                self.url,
                "the server sent a web page (text/html), not the model file; "
                "is the URL or mirror right?",
            )
        head = b""
        while len(head) < len(self.magic) and (chunk := self._read(response)):
            head += chunk
        if not head.startswith(self.magic):
            raise DownloadError(
                self.url,
                f"the server sent a file starting with {head[:8]!r}, not a model file "
                f"(which starts with {self.magic!r}); is the URL or mirror right?",
            )
        validator = _strong_etag(response) or response.headers.get("Last-Modified")
        if validator:
            with atomic_write(_validator_path(self.part)) as handle:
                handle.write(json.dumps({"if_range": validator}).encode("utf-8"))
        else:
            _validator_path(self.part).unlink(missing_ok=True)
        return head

    def _extent(self, response: http.client.HTTPResponse) -> tuple[int, int | None]:
        """First byte offset of the body and the full file size, from the headers."""
        length_header = response.headers.get("Content-Length")
        length = int(length_header) if length_header and length_header.isdigit() else None
        if response.status != 206:
            return 0, length
        content_range = response.headers.get("Content-Range", "")
        match = _CONTENT_RANGE_RE.fullmatch(content_range.strip())
        if match is None or int(match[1]) != self.offset:
            raise DownloadError(self.url, f"unexpected partial answer ({content_range!r})")
        if match[3] != "*":
            return self.offset, int(match[3])
        return self.offset, None if length is None else self.offset + length

    def _read(self, response: http.client.HTTPResponse) -> bytes:
        """The next bytes that arrived (b"" at the end), cancellable between reads."""
        if self.token is not None:
            self.token.raise_if_cancelled()
        try:
            # read1 returns what has arrived, so cancel and timeouts act per socket read.
            return response.read1(self.chunk_size)
        except (OSError, http.client.HTTPException) as exc:
            raise DownloadError(
                self.url,
                f"the connection failed after {self.meter.done:,} bytes ({exc!r}); "
                "run the download again to resume",
            ) from exc

    def _write(self, out: BinaryIO, chunk: bytes) -> None:
        if not chunk:
            return
        if self.expected_size is not None and self.meter.done + len(chunk) > self.expected_size:
            out.close()
            self.discard()
            raise DownloadError(
                self.url,
                f"the server sent more than the expected {self.expected_size:,} bytes; "
                "is the URL or mirror right?",
            )
        try:
            out.write(chunk)
        except OSError as exc:
            raise DownloadError(self.url, f"cannot write {self.part}: {exc}") from exc
        self.digest.update(chunk)
        self.meter.advance(len(chunk))

    def _check_complete_size(self) -> None:
        size = self.part.stat().st_size
        if self.expected_size is not None and size < self.expected_size:
            raise DownloadError(
                self.url,
                f"received {size:,} of {self.expected_size:,} bytes; "
                "run the download again to resume",
            )


def _strong_etag(response: http.client.HTTPResponse) -> str | None:
    """The ETag if it may validate a range (RFC 9110: weak ones may not), else None."""
    etag = response.headers.get("ETag")
    return etag if etag and not etag.startswith("W/") else None


def _feed(
    handle: BinaryIO,
    digest: _Digest,
    meter: ProgressMeter,
    token: CancelToken | None,
    chunk_size: int,
) -> None:
    while chunk := handle.read(chunk_size):
        if token is not None:
            token.raise_if_cancelled()
        digest.update(chunk)
        meter.advance(len(chunk))


def _fsync_folder(folder: Path) -> None:
    """Make a rename durable on POSIX; Windows cannot open folders, and needs no such step."""
    if os.name != "posix":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
