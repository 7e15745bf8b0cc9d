import hashlib
import random

import pytest

from lamadesk.core.cancel import CancelToken
from lamadesk.core.download import (
    USER_AGENT,
    ProgressMeter,
    TransferProgress,
    download_file,
    partial_path,
    resumable_bytes,
)
from lamadesk.core.errors import (
    DownloadError,
    JobCancelled,
    ModelChecksumError,
    NetworkUnavailableError,
    NotEnoughSpaceError,
)
from tests.core.http_server import FileServer, closed_port_url

BODY = random.Random(7).randbytes(20_000)
BODY_MD5 = hashlib.md5(BODY).hexdigest()
CHUNK = 1024


@pytest.fixture
def server():
    with FileServer(BODY) as running:
        yield running


def fetch(url, destination, **kwargs):
    options = {
        "model": "tiny",
        "expected_md5": BODY_MD5,
        "expected_size": len(BODY),
        "chunk_size": CHUNK,
        "timeout": 5.0,
    }
    options.update(kwargs)
    download_file(url, destination, **options)


def interrupted(server, destination, keep: bytes) -> None:
    """Leave a ``.part`` holding `keep` as a dropped download from `server` does (validator too)."""
    server.drop_after = 1
    with pytest.raises(DownloadError):
        fetch(server.url(), destination)
    server.drop_after = None
    partial_path(destination).write_bytes(keep)
    server.requests.clear()


def test_full_download_reports_monotonic_progress_ending_at_total(server, tmp_path):
    destination = tmp_path / "model.bin"
    seen: list[TransferProgress] = []

    fetch(server.url(), destination, on_progress=seen.append)

    assert destination.read_bytes() == BODY
    assert not partial_path(destination).exists()
    done = [p.done_bytes for p in seen]
    assert done == sorted(done)
    assert len(seen) > len(BODY) // CHUNK  # one report per chunk at least
    assert seen[-1].done_bytes == seen[-1].total_bytes == len(BODY)
    assert seen[-1].fraction == 1.0
    assert server.requests[0].range_header is None
    assert server.requests[0].user_agent == USER_AGENT


def test_resume_sends_range_and_receives_only_the_remaining_bytes(server, tmp_path):
    destination = tmp_path / "model.bin"
    interrupted(server, destination, BODY[:7000])
    seen: list[TransferProgress] = []

    fetch(server.url(), destination, on_progress=seen.append)

    assert destination.read_bytes() == BODY
    (request,) = server.requests
    assert request.range_header == "bytes=7000-"
    assert request.status == 206
    assert request.body_bytes == len(BODY) - 7000
    assert seen[0].done_bytes == 7000


def test_server_ignoring_range_restarts_from_zero_and_verifies(server, tmp_path):
    destination = tmp_path / "model.bin"
    interrupted(server, destination, BODY[:7000])
    server.honour_range = False
    seen: list[TransferProgress] = []

    fetch(server.url(), destination, on_progress=seen.append)

    assert destination.read_bytes() == BODY
    assert server.requests[0].status == 200
    assert seen[-1].done_bytes == len(BODY)


def test_dropped_connection_keeps_part_and_next_call_resumes(server, tmp_path):
    destination = tmp_path / "model.bin"
    server.drop_after = 5000

    with pytest.raises(DownloadError, match="5,000 of 20,000 bytes") as caught:
        fetch(server.url(), destination)

    assert caught.value.url == server.url()
    assert partial_path(destination).read_bytes() == BODY[:5000]
    assert not destination.exists()

    server.drop_after = None
    fetch(server.url(), destination)

    assert destination.read_bytes() == BODY
    assert server.requests[1].range_header == "bytes=5000-"
    assert server.requests[1].body_bytes == len(BODY) - 5000


def test_wrong_checksum_names_both_hashes_and_keeps_the_installed_file(server, tmp_path):
    destination = tmp_path / "model.bin"
    destination.write_bytes(b"the model the user already had")
    wrong = "0" * 32

    with pytest.raises(ModelChecksumError) as caught:
        fetch(server.url(), destination, expected_md5=wrong)

    assert caught.value.expected == wrong
    assert caught.value.actual == BODY_MD5
    assert wrong in str(caught.value)
    assert BODY_MD5 in str(caught.value)
    assert destination.read_bytes() == b"the model the user already had"
    assert not partial_path(destination).exists()  # a resume would only repeat the bad bytes


def test_http_404_raises_download_error_naming_url_and_status(server, tmp_path):
    server.status = 404

    with pytest.raises(DownloadError, match="404") as caught:
        fetch(server.url(), tmp_path / "model.bin")

    assert server.url() in str(caught.value)
    assert not isinstance(caught.value, NetworkUnavailableError)


def test_connection_refused_raises_network_unavailable_naming_import_command(tmp_path):
    url = closed_port_url()

    with pytest.raises(NetworkUnavailableError) as caught:
        fetch(url, tmp_path / "model.bin")

    assert url in str(caught.value)
    assert "lamadesk-cli models import tiny FILE" in str(caught.value)


def test_cancel_mid_download_raises_job_cancelled_and_keeps_part(server, tmp_path):
    server.chunk_delay = 0.01
    destination = tmp_path / "model.bin"
    token = CancelToken()

    def cancel_after_some_bytes(progress):
        if progress.done_bytes >= 3000:
            token.cancel()

    with pytest.raises(JobCancelled):
        fetch(server.url(), destination, on_progress=cancel_after_some_bytes, token=token)

    kept = partial_path(destination).read_bytes()
    assert 3000 <= len(kept) < len(BODY)
    assert kept == BODY[: len(kept)]
    assert not destination.exists()


def test_stalled_server_times_out_with_download_error_and_keeps_part(server, tmp_path):
    server.chunk_delay = 5.0
    destination = tmp_path / "model.bin"

    with pytest.raises(DownloadError, match="resume"):
        fetch(server.url(), destination, timeout=0.3)

    assert partial_path(destination).read_bytes() == BODY[:1024]


def test_complete_part_of_unknown_size_is_finished_after_416(server, tmp_path):
    destination = tmp_path / "model.bin"
    interrupted(server, destination, BODY)

    fetch(server.url(), destination, expected_size=None)

    assert destination.read_bytes() == BODY
    assert server.requests[0].status == 416


def test_part_longer_than_the_file_is_discarded_after_416(server, tmp_path):
    destination = tmp_path / "model.bin"
    interrupted(server, destination, BODY + b"junk")

    fetch(server.url(), destination, expected_size=None)

    assert destination.read_bytes() == BODY
    assert [r.status for r in server.requests] == [416, 200]


def test_complete_part_of_known_size_is_checked_without_any_request(server, tmp_path):
    destination = tmp_path / "model.bin"
    partial_path(destination).write_bytes(BODY)

    fetch(server.url(), destination)

    assert destination.read_bytes() == BODY
    assert server.requests == []


def test_not_enough_disk_space_raises_before_any_request(server, tmp_path):
    with pytest.raises(NotEnoughSpaceError, match="not enough free space"):
        fetch(server.url(), tmp_path / "model.bin", expected_size=10**18)

    assert server.requests == []


def test_server_offering_another_size_raises_download_error(server, tmp_path):
    destination = tmp_path / "model.bin"

    with pytest.raises(DownloadError, match="offers 20,000 bytes but 30,000"):
        fetch(server.url(), destination, expected_size=30_000)

    assert not destination.exists()


def test_non_http_url_is_refused(tmp_path):
    source = tmp_path / "elsewhere.bin"
    source.write_bytes(BODY)

    with pytest.raises(DownloadError, match="only http"):
        fetch(source.as_uri(), tmp_path / "model.bin")


def test_speed_is_smoothed_and_eta_follows_it():
    now = [0.0]
    seen: list[TransferProgress] = []
    meter = ProgressMeter(10_000, seen.append, clock=lambda: now[0])

    now[0] = 1.0
    meter.advance(1000)  # 1000 B/s
    now[0] = 2.0
    meter.advance(3000)  # 3000 B/s: the smoothed speed moves only part of the way

    assert seen[0].bytes_per_second == pytest.approx(1000)
    assert 1000 < seen[1].bytes_per_second < 3000
    assert seen[1].eta_seconds == pytest.approx(6000 / seen[1].bytes_per_second)
    assert TransferProgress(5, None, 10.0).eta_seconds is None


def test_html_page_without_length_is_refused_and_nothing_is_kept(server, tmp_path):
    server.body = b"<!DOCTYPE html><html><body>Sign in to continue</body></html>" * 6
    server.content_type = "text/html; charset=utf-8"
    server.send_length = False
    destination = tmp_path / "model.bin"

    with pytest.raises(DownloadError, match=r"web page \(text/html\), not the model file"):
        fetch(server.url(), destination)

    assert sorted(tmp_path.iterdir()) == []
    server.body = BODY
    server.content_type = "application/octet-stream"
    fetch(server.url(), destination)
    assert server.requests[-1].range_header is None
    assert destination.read_bytes() == BODY


def test_body_that_cannot_start_a_zip_archive_is_refused_and_nothing_is_kept(server, tmp_path):
    destination = tmp_path / "model.bin"

    with pytest.raises(DownloadError, match=r"not a model file \(which starts with b'PK"):
        fetch(server.url(), destination, magic=b"PK\x03\x04")

    assert sorted(tmp_path.iterdir()) == []


def test_body_starting_like_a_zip_archive_is_downloaded(server, tmp_path):
    server.body = b"PK\x03\x04" + BODY
    destination = tmp_path / "model.bin"

    fetch(
        server.url(),
        destination,
        magic=b"PK\x03\x04",
        expected_md5=hashlib.md5(server.body).hexdigest(),
        expected_size=len(server.body),
    )

    assert destination.read_bytes() == server.body


def test_resume_sends_the_servers_etag_in_if_range(server, tmp_path):
    destination = tmp_path / "model.bin"
    server.drop_after = 5000
    with pytest.raises(DownloadError):
        fetch(server.url(), destination)
    server.drop_after = None

    fetch(server.url(), destination)

    resumed = server.requests[-1]
    assert (resumed.range_header, resumed.if_range) == ("bytes=5000-", server.etag)
    assert resumed.status == 206
    assert resumed.body_bytes == len(BODY) - 5000
    assert destination.read_bytes() == BODY
    assert sorted(tmp_path.iterdir()) == [destination]


def test_resume_uses_last_modified_when_there_is_no_etag(server, tmp_path):
    server.send_etag = False
    server.last_modified = "Tue, 01 Dec 2026 10:00:00 GMT"
    destination = tmp_path / "model.bin"
    interrupted(server, destination, BODY[:5000])

    fetch(server.url(), destination)

    (resumed,) = server.requests
    assert (resumed.if_range, resumed.status) == ("Tue, 01 Dec 2026 10:00:00 GMT", 206)
    assert destination.read_bytes() == BODY


def test_file_changed_on_the_server_is_downloaded_again_not_joined(server, tmp_path):
    destination = tmp_path / "model.bin"
    server.drop_after = 5000
    with pytest.raises(DownloadError):
        fetch(server.url(), destination)
    old_etag = server.etag
    server.drop_after = None
    server.body = new_body = random.Random(8).randbytes(len(BODY))

    fetch(server.url(), destination, expected_md5=hashlib.md5(new_body).hexdigest())

    resumed = server.requests[-1]
    assert (resumed.range_header, resumed.if_range) == ("bytes=5000-", old_etag)
    assert resumed.status == 200
    assert destination.read_bytes() == new_body


def test_part_without_a_validator_is_started_over(server, tmp_path):
    server.send_etag = False
    destination = tmp_path / "model.bin"
    server.drop_after = 5000
    with pytest.raises(DownloadError):
        fetch(server.url(), destination)
    server.drop_after = None
    assert resumable_bytes(destination, len(BODY)) == 0

    fetch(server.url(), destination)

    restarted = server.requests[-1]
    assert (restarted.range_header, restarted.status) == (None, 200)
    assert destination.read_bytes() == BODY
