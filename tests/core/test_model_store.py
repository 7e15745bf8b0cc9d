import hashlib
import os
import random

import pytest
import torch

from lamadesk.core.cancel import CancelToken
from lamadesk.core.errors import (
    DownloadError,
    JobCancelled,
    ModelArchiveError,
    ModelChecksumError,
    ModelImportError,
    ModelNotInstalledError,
    ModelSizeError,
    NetworkUnavailableError,
    NotBigLamaError,
    UnknownModelError,
)
from lamadesk.core.model_store import MANIFEST_NAME, ModelStore, VerifiedState
from lamadesk.core.models.lama.spec import LAMA, MODEL_URL_ENV
from lamadesk.core.models.spec import ModelSpec
from tests.core.http_server import FileServer, closed_port_url
from tests.tiny_models import save_scripted

BODY = random.Random(11).randbytes(12_000)
BODY_MD5 = hashlib.md5(BODY).hexdigest()
OTHER = random.Random(12).randbytes(12_000)
OTHER_MD5 = hashlib.md5(OTHER).hexdigest()


@pytest.fixture
def server():
    with FileServer(BODY) as running:
        yield running


@pytest.fixture(autouse=True)
def _no_mirror_from_the_environment(monkeypatch):
    monkeypatch.delenv(MODEL_URL_ENV, raising=False)


def tiny_spec(url, url_env=None):
    return ModelSpec(
        name="tiny",
        filename="tiny.bin",
        url=url,
        md5=BODY_MD5,
        size_bytes=len(BODY),
        description="tiny test model",
        url_env=url_env,
    )


def make_store(tmp_path, url, **kwargs):
    return ModelStore(tmp_path / "models", specs=(tiny_spec(url),), **kwargs)


def test_default_store_lives_in_the_models_folder_of_the_data_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("LAMADESK_DATA_DIR", str(tmp_path))

    store = ModelStore()

    assert store.path("lama") == tmp_path / "models" / "big-lama.pt"
    assert not (tmp_path / "models").exists()  # building a store writes nothing


def test_lama_spec_is_the_published_big_lama():
    assert (
        LAMA.url == "https://github.com/Sanster/models/releases/download/add_big_lama/big-lama.pt"
    )
    assert LAMA.md5 == "e3aa4aaa15225a33ec84f9f4bc47e500"
    assert LAMA.size_bytes == 205_669_692


def test_model_url_env_replaces_the_lama_url(tmp_path, monkeypatch):
    monkeypatch.setenv(MODEL_URL_ENV, "https://mirror.example/big-lama.pt")

    assert ModelStore(tmp_path).download_url("lama") == "https://mirror.example/big-lama.pt"


def test_url_setting_wins_over_the_env_and_blank_setting_is_ignored(tmp_path, monkeypatch):
    monkeypatch.setenv(MODEL_URL_ENV, "https://env.example/big-lama.pt")

    chosen = ModelStore(tmp_path, url_overrides={"lama": "https://setting.example/l.pt"})
    blank = ModelStore(tmp_path, url_overrides={"lama": "  "})

    assert chosen.download_url("lama") == "https://setting.example/l.pt"
    assert blank.download_url("lama") == "https://env.example/big-lama.pt"


def test_unknown_model_name_raises_unknown_model_error(tmp_path):
    with pytest.raises(UnknownModelError, match="lama"):
        ModelStore(tmp_path).status("big")
    with pytest.raises(UnknownModelError):
        ModelStore(tmp_path, url_overrides={"big": "https://x.example/m"})


def test_download_installs_a_verified_model_and_records_its_source(server, tmp_path):
    store = make_store(tmp_path, server.url())

    path = store.download("tiny")

    assert path.read_bytes() == BODY
    (status,) = store.list()
    assert status.installed
    assert status.state is VerifiedState.VERIFIED
    assert status.source == server.url()
    assert status.md5 == BODY_MD5
    assert status.size_bytes == len(BODY)
    assert (tmp_path / "models" / MANIFEST_NAME).is_file()
    assert ModelStore(tmp_path / "models", specs=(tiny_spec("x"),)).status("tiny").state is (
        VerifiedState.VERIFIED
    )


def test_download_of_a_verified_model_makes_no_request(server, tmp_path):
    store = make_store(tmp_path, server.url())
    store.download("tiny")

    store.download("tiny")

    assert len(server.requests) == 1


def test_download_follows_the_env_mirror(server, tmp_path, monkeypatch):
    monkeypatch.setenv(MODEL_URL_ENV, server.url("/mirror.bin"))
    spec = tiny_spec(closed_port_url(), url_env=MODEL_URL_ENV)
    store = ModelStore(tmp_path, specs=(spec,))

    store.download("tiny")

    assert server.requests[0].path == "/mirror.bin"
    assert store.status("tiny").source == server.url("/mirror.bin")


def test_unreachable_server_points_at_the_import_command(tmp_path):
    store = make_store(tmp_path, closed_port_url())

    with pytest.raises(NetworkUnavailableError, match="lamadesk-cli models import tiny FILE"):
        store.download("tiny")


def test_bad_download_keeps_the_installed_model(server, tmp_path):
    store = make_store(tmp_path, server.url())
    installed = store.path("tiny")
    installed.parent.mkdir()
    installed.write_bytes(b"hand-copied model")
    server.body = OTHER

    with pytest.raises(ModelChecksumError) as caught:
        store.download("tiny")

    assert (caught.value.expected, caught.value.actual) == (BODY_MD5, OTHER_MD5)
    assert installed.read_bytes() == b"hand-copied model"
    assert store.status("tiny").state is VerifiedState.UNCHECKED


def test_unfinished_download_shows_as_partial_bytes(server, tmp_path):
    store = make_store(tmp_path, server.url())
    server.drop_after = 4000

    with pytest.raises(DownloadError, match="resume"):
        store.download("tiny")

    status = store.status("tiny")
    assert not status.installed
    assert status.partial_bytes == 4000


def test_import_with_the_published_md5_is_verified(tmp_path):
    store = make_store(tmp_path, closed_port_url())
    source = tmp_path / "downloaded.bin"
    source.write_bytes(BODY)
    seen = []

    path = store.import_file("tiny", source, on_progress=seen.append)

    assert path.read_bytes() == BODY
    assert source.read_bytes() == BODY
    status = store.status("tiny")
    assert status.state is VerifiedState.VERIFIED
    assert status.source == str(source.resolve())
    assert seen[-1].done_bytes == len(BODY)
    assert {p.name for p in path.parent.iterdir()} == {MANIFEST_NAME, "tiny.bin"}


def test_import_with_an_unknown_md5_is_refused_and_installs_nothing(tmp_path):
    store = make_store(tmp_path, closed_port_url())
    source = tmp_path / "other.bin"
    source.write_bytes(OTHER)

    with pytest.raises(ModelChecksumError, match=OTHER_MD5):
        store.import_file("tiny", source)

    assert not store.status("tiny").installed
    assert list((tmp_path / "models").iterdir()) == []


def test_forced_import_of_an_unknown_md5_is_listed_unverified(tmp_path):
    store = make_store(tmp_path, closed_port_url())
    source = tmp_path / "finetuned.bin"
    source.write_bytes(OTHER[:5000])

    store.import_file("tiny", source, force=True)

    (status,) = store.list()
    assert status.installed
    assert status.state is VerifiedState.UNVERIFIED
    assert status.md5 == hashlib.md5(OTHER[:5000]).hexdigest()
    assert store.require("tiny") == status.path  # its size is the person's choice
    assert store.verify("tiny").state is VerifiedState.UNVERIFIED


def test_importing_the_installed_file_itself_keeps_it(tmp_path):
    store = make_store(tmp_path, closed_port_url())
    installed = store.path("tiny")
    installed.parent.mkdir()
    installed.write_bytes(BODY)

    store.import_file("tiny", installed)

    assert installed.read_bytes() == BODY
    assert store.status("tiny").state is VerifiedState.VERIFIED


def test_refused_import_of_the_installed_file_itself_leaves_it_in_place(tmp_path):
    store = make_store(tmp_path, closed_port_url())
    installed = store.path("tiny")
    installed.parent.mkdir()
    installed.write_bytes(OTHER)

    with pytest.raises(ModelChecksumError):
        store.import_file("tiny", installed)

    assert installed.read_bytes() == OTHER


def test_import_of_a_missing_file_raises_model_import_error(tmp_path):
    store = make_store(tmp_path, closed_port_url())

    with pytest.raises(ModelImportError, match=r"nowhere\.bin"):
        store.import_file("tiny", tmp_path / "nowhere.bin")


def test_cancelled_import_installs_nothing(tmp_path):
    store = make_store(tmp_path, closed_port_url())
    source = tmp_path / "downloaded.bin"
    source.write_bytes(BODY)
    token = CancelToken()
    token.cancel()

    with pytest.raises(JobCancelled):
        store.import_file("tiny", source, token=token)

    assert list((tmp_path / "models").iterdir()) == []


def test_require_of_a_missing_model_raises_model_not_installed(tmp_path):
    store = make_store(tmp_path, closed_port_url())

    with pytest.raises(ModelNotInstalledError, match="models import tiny FILE"):
        store.require("tiny")


def test_require_of_a_truncated_model_raises_model_size_error(tmp_path):
    store = make_store(tmp_path, closed_port_url())
    installed = store.path("tiny")
    installed.parent.mkdir()
    installed.write_bytes(BODY[:3000])

    with pytest.raises(ModelSizeError, match="3,000 bytes, expected 12,000"):
        store.require("tiny")


def test_hand_copied_model_is_unchecked_until_verified(tmp_path):
    store = make_store(tmp_path, closed_port_url())
    installed = store.path("tiny")
    installed.parent.mkdir()
    installed.write_bytes(BODY)

    before = store.status("tiny")
    assert store.require("tiny") == installed
    after = store.verify("tiny")

    assert (before.installed, before.state, before.md5) == (True, VerifiedState.UNCHECKED, None)
    assert (after.state, after.md5) == (VerifiedState.VERIFIED, BODY_MD5)


def test_verify_of_a_wrong_file_raises_and_keeps_the_file(tmp_path):
    store = make_store(tmp_path, closed_port_url())
    installed = store.path("tiny")
    installed.parent.mkdir()
    installed.write_bytes(OTHER)

    with pytest.raises(ModelChecksumError):
        store.verify("tiny")

    assert installed.read_bytes() == OTHER
    assert store.status("tiny").state is VerifiedState.UNCHECKED


def test_model_changed_after_verification_is_unchecked_again(tmp_path):
    store = make_store(tmp_path, closed_port_url())
    source = tmp_path / "downloaded.bin"
    source.write_bytes(BODY)
    path = store.import_file("tiny", source)

    path.write_bytes(OTHER)
    os.utime(path, ns=(1, 1))

    assert store.status("tiny").state is VerifiedState.UNCHECKED


def test_corrupt_manifest_leaves_a_forced_model_usable_as_unverified_with_a_warning(
    tmp_path, caplog
):
    store = make_store(tmp_path, closed_port_url())
    source = tmp_path / "mine.bin"
    source.write_bytes(OTHER[:9000])
    path = store.import_file("tiny", source, force=True)
    manifest = tmp_path / "models" / MANIFEST_NAME
    manifest.write_text('{"version": 1, "models": {"tiny": {"state": "unver', encoding="utf-8")

    status = store.status("tiny")
    assert (status.state, status.md5) == (VerifiedState.UNVERIFIED, None)
    assert store.require("tiny") == path
    assert "model manifest" in caplog.text
    assert "is corrupt" in caplog.text
    assert "count as unverified" in caplog.text

    store.import_file("tiny", source, force=True)
    assert '"unverified"' in manifest.read_text(encoding="utf-8")
    assert (
        make_store(tmp_path, closed_port_url()).status("tiny").md5
        == hashlib.md5(OTHER[:9000]).hexdigest()
    )


def test_corrupt_manifest_entry_counts_its_model_as_unverified(tmp_path):
    store = make_store(tmp_path, closed_port_url())
    installed = store.path("tiny")
    installed.parent.mkdir()
    installed.write_bytes(BODY)
    (tmp_path / "models" / MANIFEST_NAME).write_text(
        '{"version": 1, "models": {"tiny": {"state": "verified"}}}', encoding="utf-8"
    )

    assert store.status("tiny").state is VerifiedState.UNVERIFIED


def damaged_copy(source, destination):
    """`source` with 4 KiB of random bytes written over its middle, at the same size."""
    data = bytearray(source.read_bytes())
    middle = len(data) // 2
    data[middle : middle + 4096] = random.Random(3).randbytes(4096)
    destination.write_bytes(bytes(data))
    return destination


@pytest.fixture
def lama_store(tmp_path, random_lama_path):
    """The real registry with a random-weight big-lama installed (forced: its md5 differs)."""
    store = ModelStore(tmp_path / "models")
    store.import_file("lama", random_lama_path, force=True)
    return store


def test_forced_import_of_random_big_lama_weights_is_installed_unverified(lama_store):
    status = lama_store.status("lama")

    assert status.state is VerifiedState.UNVERIFIED
    assert lama_store.require("lama") == status.path


def test_forced_import_of_another_torchscript_model_is_refused_and_keeps_the_model(
    lama_store, tmp_path, random_lama_path
):
    wrong = save_scripted(torch.nn.Conv2d(4, 3, 3), tmp_path / "wrong_arch.pt")

    with pytest.raises(NotBigLamaError, match="not a big-lama file: 989 missing keys") as caught:
        lama_store.import_file("lama", wrong, force=True)

    assert caught.value.path == wrong
    assert len(caught.value.missing) == 989
    assert sorted(caught.value.unexpected) == ["bias", "weight"]
    assert lama_store.path("lama").read_bytes() == random_lama_path.read_bytes()
    assert lama_store.status("lama").state is VerifiedState.UNVERIFIED


def test_forced_import_of_random_bytes_is_refused_and_keeps_the_model(
    lama_store, tmp_path, random_lama_path
):
    junk = tmp_path / "random.bin"
    junk.write_bytes(random.Random(5).randbytes(50_000))

    with pytest.raises(ModelArchiveError, match="not a valid zip archive") as caught:
        lama_store.import_file("lama", junk, force=True)

    assert caught.value.path == junk
    assert "lamadesk-cli models download lama" in str(caught.value)
    assert lama_store.path("lama").read_bytes() == random_lama_path.read_bytes()
    assert sorted(p.name for p in lama_store.root.iterdir()) == ["big-lama.pt", MANIFEST_NAME]


def test_forced_import_of_a_damaged_archive_names_the_bad_member(tmp_path, random_lama_path):
    store = ModelStore(tmp_path / "models")
    damaged = damaged_copy(random_lama_path, tmp_path / "damaged.pt")

    with pytest.raises(
        ModelArchiveError, match=r"damaged or not a model file \(bad CRC in member \S+/data/"
    ):
        store.import_file("lama", damaged, force=True)

    assert not store.status("lama").installed
