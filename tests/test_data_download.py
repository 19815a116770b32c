"""Tests of fetching and extracting with keras.utils.get_file, offline: a server started here on
127.0.0.1 and local folders. A cut-off or stalled transfer, a killed download's leftover never
taken for the file, size and hash checks (and get_file's own re-check of a cached file), the hash
recorded on a first download, HTTP errors, no network, COURSE_DATA_MIRROR, and archives: extracted
once, a killed extraction never taken for a complete one, members that would land outside the
folder refused with the whole archive, damaged archives."""

from __future__ import annotations

import hashlib
import http.server
import io
import json
import socket
import tarfile
import threading
import time
import zipfile
from pathlib import Path

import pytest

from course_utils.data import download
from course_utils.data.download import (
    REMOTE_FILES,
    DataFormatError,
    DataIntegrityError,
    DownloadError,
    RemoteFile,
    UnsafeArchiveError,
    extract,
    fetch_file,
    source_url,
)

PAYLOAD = bytes(range(256)) * 400  # 102,400 bytes


class FileServer:
    """Serves ``files`` ({path: bytes}); can cut transfers short."""

    def __init__(self) -> None:
        self.files: dict[str, bytes] = {}
        self.requests: list[dict[str, str | None]] = []
        self.cut_first_responses = 0  # how many responses stop halfway
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
                if server.cut_first_responses > 0:
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
    return RemoteFile(f"{server.base_url}/{name}", len(data),
                      hashlib.sha256(data).hexdigest() if pinned else None)


def unused_port() -> int:
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_a_cut_off_download_is_a_clear_error_and_leaves_nothing(server, data_home, tmp_path):
    remote = remote_for(server, "archive.zip", PAYLOAD)
    server.cut_first_responses = 1
    with pytest.raises(DownloadError, match="stopped before the end.*run the cell again"):
        fetch_file(remote, tmp_path / "store")
    assert list((tmp_path / "store").iterdir()) == []
    assert fetch_file(remote, tmp_path / "store").read_bytes() == PAYLOAD  # the next run


def test_a_stalled_download_times_out(server, data_home, tmp_path, monkeypatch):
    monkeypatch.setattr(download, "STALL_SECONDS", 0.5)
    remote = remote_for(server, "archive.zip", PAYLOAD)
    server.stall_first_responses = 1
    import keras.utils  # noqa: F401, PLC0415 - the first import of Keras takes seconds: not part of the timing
    started = time.perf_counter()
    with pytest.raises(DownloadError, match="stopped before the end"):
        fetch_file(remote, tmp_path / "store")
    assert time.perf_counter() - started < 3
    assert list((tmp_path / "store").iterdir()) == [] and socket.getdefaulttimeout() is None


@pytest.mark.parametrize("pinned", [True, False], ids=["with-hash", "size-only"])
def test_a_killed_download_is_never_taken_for_the_file(server, data_home, tmp_path, pinned):
    remote = remote_for(server, "facades.tar.gz", PAYLOAD, pinned=pinned)
    store = tmp_path / "store"
    store.mkdir()
    (store / "facades.tar.gz").write_bytes(PAYLOAD[:1000])  # a run killed mid-transfer
    assert fetch_file(remote, store).read_bytes() == PAYLOAD
    assert len(server.requests) == 1


def test_a_cached_file_with_the_right_size_but_another_hash_is_fetched_again(server, data_home, tmp_path):
    remote = remote_for(server, "mnist.npz", PAYLOAD)
    store = tmp_path / "store"
    store.mkdir()
    (store / "mnist.npz").write_bytes(PAYLOAD[::-1])
    assert fetch_file(remote, store).read_bytes() == PAYLOAD and len(server.requests) == 1


def test_no_network_is_a_download_error_that_says_what_to_do(data_home, tmp_path):
    remote = RemoteFile(f"http://127.0.0.1:{unused_port()}/mnist.npz", 10, None)
    with pytest.raises(DownloadError, match="^no network: .*Connect .*COURSE_DATA_MIRROR"):
        fetch_file(remote, tmp_path / "store")
    assert list((tmp_path / "store").iterdir()) == []


def test_a_file_shorter_than_its_pinned_size_fails_the_size_check(server, data_home, tmp_path):
    remote = RemoteFile(f"{server.base_url}/archive.zip", len(PAYLOAD) + 10, None)
    server.files["/archive.zip"] = PAYLOAD  # the server says it is complete; it is not
    with pytest.raises(DataIntegrityError, match="102,400 bytes, not 102,410.*deleted"):
        fetch_file(remote, tmp_path / "store")
    assert list((tmp_path / "store").iterdir()) == []


def test_a_wrong_hash_is_a_clear_error_and_nothing_is_kept(server, data_home, tmp_path):
    remote = RemoteFile(f"{server.base_url}/mnist.npz", len(PAYLOAD), "0" * 64)
    server.files["/mnist.npz"] = PAYLOAD
    with pytest.raises(DataIntegrityError, match="sha256 is not 0000.*corrupt.*deleted"):
        fetch_file(remote, tmp_path / "store")
    assert list((tmp_path / "store").iterdir()) == []


def test_the_first_download_records_the_hash_and_later_ones_must_match(server, data_home, tmp_path):
    remote = remote_for(server, "facades.tar.gz", PAYLOAD, pinned=False)
    store = tmp_path / "store"
    first = fetch_file(remote, store)
    records = json.loads((data_home / "recorded_sha256.json").read_text())
    assert records == {remote.url: {"sha256": hashlib.sha256(PAYLOAD).hexdigest(), "size": len(PAYLOAD)}}
    first.unlink()
    fetch_file(remote, store)  # the same file again: accepted
    (store / "facades.tar.gz").unlink()
    server.files["/facades.tar.gz"] = PAYLOAD[::-1]  # the file on the server changed
    with pytest.raises(DataIntegrityError, match="sha256"):
        fetch_file(remote, store)
    assert list(store.iterdir()) == []


def test_an_http_error_is_a_download_error(server, data_home, tmp_path):
    remote = RemoteFile(f"{server.base_url}/missing.zip", 1, None)
    with pytest.raises(DownloadError, match="HTTP 404"):
        fetch_file(remote, tmp_path / "store")
    assert list((tmp_path / "store").iterdir()) == []


def test_a_cached_file_is_used_without_the_network(data_home, tmp_path):
    store = tmp_path / "store"
    store.mkdir()
    (store / "mnist.npz").write_bytes(b"already here")
    remote = RemoteFile(f"http://127.0.0.1:{unused_port()}/mnist.npz", 12,
                        hashlib.sha256(b"already here").hexdigest())
    assert fetch_file(remote, store).read_bytes() == b"already here"


def test_a_mirror_is_used_instead_and_checked_against_the_canonical_pins(server, data_home,
                                                                         tmp_path, monkeypatch):
    server.files["/mirror/mnist.npz"] = PAYLOAD
    monkeypatch.setenv("COURSE_DATA_MIRROR", f"{server.base_url}/mirror/")
    with pytest.raises(DataIntegrityError, match="not 11,490,434"):
        fetch_file(REMOTE_FILES["mnist"], tmp_path / "store")
    assert [request["path"] for request in server.requests] == ["/mirror/mnist.npz"]
    assert list((tmp_path / "store").iterdir()) == []
    monkeypatch.setitem(REMOTE_FILES, "mnist", remote_for(server, "elsewhere/mnist.npz", PAYLOAD))
    assert fetch_file(REMOTE_FILES["mnist"], tmp_path / "store").read_bytes() == PAYLOAD


def test_the_mirror_setting_accepts_urls_folders_and_file_urls(tmp_path, monkeypatch):
    mnist = REMOTE_FILES["mnist"]
    monkeypatch.setenv("COURSE_DATA_MIRROR", "https://example.org/course/")
    assert source_url(mnist) == "https://example.org/course/mnist.npz"
    monkeypatch.setenv("COURSE_DATA_MIRROR", tmp_path.as_uri())
    assert source_url(mnist) == (tmp_path / "mnist.npz").as_uri()
    monkeypatch.setenv("COURSE_DATA_MIRROR", str(tmp_path))
    assert source_url(mnist) == (tmp_path.resolve() / "mnist.npz").as_uri()
    monkeypatch.setenv("COURSE_DATA_MIRROR", str(tmp_path / "missing"))
    with pytest.raises(DownloadError, match="neither"):
        source_url(mnist)
    monkeypatch.setenv("COURSE_DATA_MIRROR", "  ")
    assert source_url(mnist) == mnist.url


def test_a_folder_mirror_without_the_file_says_so(tmp_path, monkeypatch, data_home):
    folder = tmp_path / "mirror"
    folder.mkdir()
    monkeypatch.setenv("COURSE_DATA_MIRROR", str(folder))
    with pytest.raises(DownloadError, match="mirror folder has no mnist.npz.*unset COURSE_DATA_MIRROR"):
        fetch_file(REMOTE_FILES["mnist"], tmp_path / "store")
    assert list((tmp_path / "store").iterdir()) == []


def test_a_folder_mirror_file_is_copied_and_checked(tmp_path, monkeypatch, data_home):
    folder = tmp_path / "mirror"
    folder.mkdir()
    (folder / "mnist.npz").write_bytes(PAYLOAD)
    monkeypatch.setitem(REMOTE_FILES, "mnist", RemoteFile(REMOTE_FILES["mnist"].url, len(PAYLOAD),
                                                          hashlib.sha256(PAYLOAD).hexdigest()))
    monkeypatch.setenv("COURSE_DATA_MIRROR", folder.as_uri())
    assert fetch_file(REMOTE_FILES["mnist"], tmp_path / "store").read_bytes() == PAYLOAD
    assert (folder / "mnist.npz").is_file()  # the mirror keeps its copy


# ----------------------------------------------------------------------------- archives


def make_zip(path: Path, members: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return path


def make_tar(path: Path, members: dict[str, bytes], *specials: tarfile.TarInfo) -> Path:
    with tarfile.open(path, "w:gz") as archive:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
        for member in specials:
            archive.addfile(member)
    return path


def special(name: str, kind: bytes, target: str = "") -> tarfile.TarInfo:
    member = tarfile.TarInfo(name)
    member.type, member.linkname = kind, target
    return member


@pytest.mark.parametrize("make", [make_zip, make_tar])
def test_extraction_writes_the_files_into_the_target(tmp_path, make):
    archive = make(tmp_path / "a.bin", {"top/keep/1.txt": b"one", "top/other/2.txt": b"two"})
    out = extract(archive, tmp_path / "out")
    assert (out / "top/keep/1.txt").read_bytes() == b"one"
    assert (out / "top/other/2.txt").read_bytes() == b"two"
    assert sorted(path.name for path in tmp_path.iterdir()) == ["a.bin", "out"]


def test_a_killed_extraction_is_not_taken_for_a_complete_one(tmp_path):
    archive = make_tar(tmp_path / "facades.tar.gz", {"facades/1.jpg": b"1", "facades/2.jpg": b"2"})
    half = tmp_path / "facades_extracted" / "facades"  # where get_file extracts, half written
    half.mkdir(parents=True)
    (half / "1.jpg").write_bytes(b"stale")
    (half / "junk.jpg").write_bytes(b"junk")
    out = extract(archive, tmp_path / "extracted")
    assert sorted(path.name for path in (out / "facades").iterdir()) == ["1.jpg", "2.jpg"]
    assert (out / "facades/1.jpg").read_bytes() == b"1"
    assert sorted(path.name for path in tmp_path.iterdir()) == ["extracted", "facades.tar.gz"]


@pytest.mark.parametrize(
    "make",
    [lambda path: make_zip(path, {"fine.txt": b"ok", "../escaped.txt": b"bad"}),
     lambda path: make_tar(path, {"fine.txt": b"ok", "a/../../escaped.txt": b"bad"}),
     lambda path: make_tar(path, {"fine.txt": b"ok", "/tmp/escaped-absolute.txt": b"bad"}),
     lambda path: make_tar(path, {"fine.txt": b"ok"}, special("a/link", tarfile.SYMTYPE, "/etc/passwd")),
     lambda path: make_tar(path, {"fine.txt": b"ok"}, special("a/hard", tarfile.LNKTYPE, "../../x"))],
    ids=["zip-dot-dot", "tar-dot-dot", "tar-absolute", "symlink-outside", "hardlink-outside"],
)
def test_a_member_that_would_land_outside_rejects_the_whole_archive(tmp_path, make):
    archive = make(tmp_path / "bad.bin")
    with pytest.raises(UnsafeArchiveError, match="outside the extraction folder.*rejected"):
        extract(archive, tmp_path / "out")
    assert sorted(path.name for path in tmp_path.iterdir()) == ["bad.bin"]  # nothing kept
    assert not Path("/tmp/escaped-absolute.txt").exists()


def test_devices_in_a_tar_are_refused(tmp_path):
    archive = make_tar(tmp_path / "device.tar", {}, special("dev/null", tarfile.CHRTYPE))
    with pytest.raises(UnsafeArchiveError, match="special file"):
        extract(archive, tmp_path / "out")
    assert sorted(path.name for path in tmp_path.iterdir()) == ["device.tar"]


@pytest.mark.parametrize("content", [b"", b"not an archive at all", b"PK\x03\x04broken"])
def test_damaged_archives_are_format_errors(tmp_path, content):
    path = tmp_path / "damaged.zip"
    path.write_bytes(content)
    with pytest.raises(DataFormatError, match="neither a zip nor a tar"):
        extract(path, tmp_path / "out")
    assert sorted(path.name for path in tmp_path.iterdir()) == ["damaged.zip"]


def test_a_member_with_a_bad_checksum_is_a_format_error(tmp_path):
    archive = make_zip(tmp_path / "crc.zip", {"data.txt": b"hello world" * 100})
    data = bytearray(archive.read_bytes())
    data[data.find(b"hello")] ^= 0xFF  # stored uncompressed by default: flip a byte of it
    archive.write_bytes(bytes(data))
    with pytest.raises(DataFormatError, match="damaged"):
        extract(archive, tmp_path / "out")
    assert sorted(path.name for path in tmp_path.iterdir()) == ["crc.zip"]
