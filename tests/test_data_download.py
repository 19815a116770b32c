"""Tests of downloading (through keras.utils.get_file) from a server started here on 127.0.0.1:
a cut-off transfer tried again, giving up cleanly, a killed download's leftover never taken for
the file, size and hash checks, recording the hash of the first download, HTTP errors, no
network, and where expected sizes and hashes come from (COURSE_DATA_MIRROR, SHA256SUMS)."""

from __future__ import annotations

import hashlib
import http.server
import json
import socket
import threading
import time
from pathlib import Path

import pytest

from course_utils.data import download
from course_utils.data.download import ATTEMPTS, fetch_file
from course_utils.data.errors import DataIntegrityError, DownloadError
from course_utils.data.mirror import mirror_base, resolve_source
from course_utils.data.sources import REMOTE_FILES, RemoteFile

PAYLOAD = bytes(range(256)) * 400  # 102,400 bytes


class FileServer:
    """Serves ``files`` ({path: bytes}); can cut transfers short."""

    def __init__(self) -> None:
        self.files: dict[str, bytes] = {}
        self.requests: list[dict[str, str | None]] = []
        self.cut_first_responses = 0  # how many responses stop halfway
        self.always_cut = False
        self.stall_first_responses = 0  # how many responses go silent halfway (connection kept open)
        server = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def log_message(self, *args) -> None:  # keep test output quiet
                pass

            def do_GET(self) -> None:  # noqa: N802 - the http.server API
                server.requests.append({"path": self.path, "range": self.headers.get("Range")})
                data = server.files.get(self.path)
                if data is None:
                    self.send_error(404, "Not Found")
                    return
                self.send_response(200)
                body = data
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                if server.stall_first_responses > 0:
                    server.stall_first_responses -= 1
                    self.wfile.write(body[: len(body) // 2])
                    self.wfile.flush()
                    time.sleep(3)  # silent, not closed: only a timeout ends the wait
                    return
                if server.always_cut or server.cut_first_responses > 0:
                    server.cut_first_responses -= 1
                    self.wfile.write(body[: len(body) // 2])
                    self.wfile.flush()
                    self.close_connection = True
                    return
                self.wfile.write(body)

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base_url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05},
                                       daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def server():
    running = FileServer()
    yield running
    running.close()


@pytest.fixture
def data_home(tmp_path, monkeypatch) -> Path:
    home = tmp_path / "data"
    monkeypatch.setenv("COURSE_DATA_DIR", str(home))
    monkeypatch.delenv("COURSE_DATA_MIRROR", raising=False)
    return home


def remote_for(server: FileServer, name: str, data: bytes, pinned: bool = True) -> RemoteFile:
    server.files[f"/{name}"] = data
    if pinned:
        return RemoteFile(f"{server.base_url}/{name}", len(data), hashlib.sha256(data).hexdigest())
    return RemoteFile(f"{server.base_url}/{name}", None, None)


def partial_files(folder: Path) -> list[Path]:
    return list(folder.rglob("*.partial"))


def test_a_cut_off_download_is_tried_again_from_the_start(server, data_home, tmp_path):
    remote = remote_for(server, "archive.zip", PAYLOAD)
    server.cut_first_responses = 1
    path = fetch_file(remote, tmp_path / "store")
    assert path.read_bytes() == PAYLOAD
    assert [request["range"] for request in server.requests] == [None, None]
    assert partial_files(tmp_path) == []


def test_a_stalled_download_times_out_and_is_tried_again(server, data_home, tmp_path, monkeypatch):
    monkeypatch.setattr(download, "STALL_SECONDS", 0.5)
    remote = remote_for(server, "archive.zip", PAYLOAD)
    server.stall_first_responses = 1
    import keras.utils  # noqa: F401, PLC0415 - the first import of Keras takes seconds: not part of the timing
    started = time.perf_counter()
    assert fetch_file(remote, tmp_path / "store").read_bytes() == PAYLOAD
    assert len(server.requests) == 2 and time.perf_counter() - started < 3
    assert partial_files(tmp_path) == [] and socket.getdefaulttimeout() is None


def test_a_download_that_keeps_breaking_gives_up_and_leaves_nothing(server, data_home, tmp_path):
    remote = remote_for(server, "archive.zip", PAYLOAD)
    server.always_cut = True
    with pytest.raises(DownloadError, match=f"in {ATTEMPTS} attempts"):
        fetch_file(remote, tmp_path / "store")
    assert len(server.requests) == ATTEMPTS
    assert list((tmp_path / "store").iterdir()) == []


def test_a_killed_download_is_never_taken_for_the_file(server, data_home, tmp_path):
    remote = remote_for(server, "facades.tar.gz", PAYLOAD, pinned=False)  # nothing to check against
    store = tmp_path / "store"
    store.mkdir()
    (store / "facades.tar.gz.partial").write_bytes(PAYLOAD[:1000])  # a run killed mid-transfer
    assert fetch_file(remote, store).read_bytes() == PAYLOAD
    assert len(server.requests) == 1 and partial_files(store) == []


def test_no_network_is_a_download_error_that_says_what_to_do(data_home, tmp_path):
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    remote = RemoteFile(f"http://127.0.0.1:{port}/mnist.npz", 10, None)
    with pytest.raises(DownloadError, match="Are you online.*COURSE_DATA_MIRROR"):
        fetch_file(remote, tmp_path / "store")
    assert list((tmp_path / "store").iterdir()) == []


def test_a_file_shorter_than_its_pinned_size_fails_the_size_check(server, data_home, tmp_path):
    remote = RemoteFile(f"{server.base_url}/archive.zip", len(PAYLOAD) + 10, None)
    server.files["/archive.zip"] = PAYLOAD  # the server says it is complete; it is not
    with pytest.raises(DataIntegrityError, match="bytes"):
        fetch_file(remote, tmp_path / "store")
    assert list((tmp_path / "store").iterdir()) == []


def test_the_first_download_records_the_hash_and_later_ones_must_match(server, data_home,
                                                                       tmp_path):
    remote = remote_for(server, "facades.tar.gz", PAYLOAD, pinned=False)
    store = tmp_path / "store"
    first = fetch_file(remote, store)
    records = json.loads((data_home / "recorded_sha256.json").read_text())
    assert records[remote.url]["sha256"] == hashlib.sha256(PAYLOAD).hexdigest()
    assert records[remote.url]["size"] == len(PAYLOAD)
    first.unlink()
    fetch_file(remote, store)  # the same file again: accepted
    (store / "facades.tar.gz").unlink()
    server.files["/facades.tar.gz"] = PAYLOAD[::-1]  # the file on the server changed
    with pytest.raises(DataIntegrityError, match="sha256"):
        fetch_file(remote, store)
    assert list(store.iterdir()) == []


def test_an_http_error_is_a_download_error(server, data_home, tmp_path):
    remote = RemoteFile(f"{server.base_url}/missing.zip", None, None)
    with pytest.raises(DownloadError, match="404"):
        fetch_file(remote, tmp_path / "store")
    assert list((tmp_path / "store").iterdir()) == []


def test_a_cached_file_is_used_without_the_network(data_home, tmp_path):
    store = tmp_path / "store"
    store.mkdir()
    (store / "mnist.npz").write_bytes(b"already here")
    assert fetch_file(REMOTE_FILES["mnist"], store).read_bytes() == b"already here"


def test_an_http_mirror_with_a_manifest_is_checked_against_the_manifest(server, data_home,
                                                                        tmp_path, monkeypatch):
    server.files["/mirror/mnist.npz"] = PAYLOAD
    digest = hashlib.sha256(PAYLOAD).hexdigest()
    server.files["/mirror/SHA256SUMS"] = f"{digest}  mnist.npz\n".encode()
    monkeypatch.setenv("COURSE_DATA_MIRROR", f"{server.base_url}/mirror/")
    path = fetch_file(REMOTE_FILES["mnist"], tmp_path / "store")
    assert path.read_bytes() == PAYLOAD
    assert [request["path"] for request in server.requests] == ["/mirror/SHA256SUMS",
                                                                "/mirror/mnist.npz"]


def test_an_http_mirror_without_a_manifest_needs_the_canonical_file(server, data_home, tmp_path,
                                                                    monkeypatch):
    server.files["/mirror/mnist.npz"] = PAYLOAD
    monkeypatch.setenv("COURSE_DATA_MIRROR", f"{server.base_url}/mirror")
    with pytest.raises(DataIntegrityError, match="11,490,434"):
        fetch_file(REMOTE_FILES["mnist"], tmp_path / "store")
    assert list((tmp_path / "store").iterdir()) == []


def test_a_manifest_never_changes_what_canonical_downloads_must_match(tmp_path, monkeypatch,
                                                                     data_home):
    folder = tmp_path / "mirror"
    folder.mkdir()
    (folder / "SHA256SUMS").write_text(f"{'1' * 64}  mnist.npz\n{'2' * 64}  facades.tar.gz\n")
    monkeypatch.setenv("COURSE_DATA_MIRROR", str(folder))
    from_mirror = resolve_source(REMOTE_FILES["mnist"])
    assert from_mirror.from_mirror and from_mirror.sha256 == "1" * 64 and from_mirror.size is None
    assert from_mirror.origin == (folder.resolve() / "mnist.npz").as_uri()
    unlisted = resolve_source(REMOTE_FILES["horse2zebra"])  # not in the manifest: canonical pins
    assert unlisted.sha256 == REMOTE_FILES["horse2zebra"].sha256
    assert unlisted.size == REMOTE_FILES["horse2zebra"].size
    monkeypatch.delenv("COURSE_DATA_MIRROR")
    canonical = resolve_source(REMOTE_FILES["mnist"])
    assert not canonical.from_mirror
    assert canonical.origin == REMOTE_FILES["mnist"].url
    assert canonical.sha256 == REMOTE_FILES["mnist"].sha256
    assert canonical.size == 11_490_434


def test_the_mirror_setting_accepts_urls_folders_and_file_urls(tmp_path, monkeypatch):
    monkeypatch.setenv("COURSE_DATA_MIRROR", "https://example.org/course/")
    assert mirror_base() == "https://example.org/course"
    monkeypatch.setenv("COURSE_DATA_MIRROR", tmp_path.as_uri())
    assert mirror_base() == tmp_path.resolve().as_uri()
    monkeypatch.setenv("COURSE_DATA_MIRROR", str(tmp_path))
    assert mirror_base() == tmp_path.resolve().as_uri()
    monkeypatch.setenv("COURSE_DATA_MIRROR", str(tmp_path / "missing"))
    with pytest.raises(DownloadError, match="neither"):
        mirror_base()
    monkeypatch.setenv("COURSE_DATA_MIRROR", "  ")
    assert mirror_base() is None


def test_a_folder_mirror_without_the_file_says_so(tmp_path, monkeypatch, data_home):
    folder = tmp_path / "mirror"
    folder.mkdir()
    monkeypatch.setenv("COURSE_DATA_MIRROR", str(folder))
    with pytest.raises(DownloadError, match="mirror folder.*unset COURSE_DATA_MIRROR"):
        fetch_file(REMOTE_FILES["mnist"], tmp_path / "store")
    assert list((tmp_path / "store").iterdir()) == []


def test_a_folder_mirror_file_is_copied_and_checked(tmp_path, monkeypatch, data_home):
    folder = tmp_path / "mirror"
    folder.mkdir()
    (folder / "mnist.npz").write_bytes(PAYLOAD)
    (folder / "SHA256SUMS").write_text(f"{hashlib.sha256(PAYLOAD).hexdigest()}  mnist.npz\n")
    monkeypatch.setenv("COURSE_DATA_MIRROR", folder.as_uri())
    assert fetch_file(REMOTE_FILES["mnist"], tmp_path / "store").read_bytes() == PAYLOAD
    assert (folder / "mnist.npz").is_file()  # the mirror keeps its copy


def test_a_bad_manifest_line_is_a_clear_error(tmp_path, monkeypatch, data_home):
    folder = tmp_path / "mirror"
    folder.mkdir()
    (folder / "SHA256SUMS").write_text("not a hash line\n")
    monkeypatch.setenv("COURSE_DATA_MIRROR", str(folder))
    with pytest.raises(ValueError, match="sha256sum"):
        resolve_source(REMOTE_FILES["mnist"])
