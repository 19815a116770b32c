"""Tests of archive checks and extraction (through keras.utils.get_file): member names, links,
devices, size limit, damaged archives, and that a failed or killed extraction leaves no folder
that a later run could take for a complete one."""

from __future__ import annotations

import io
import tarfile
import zipfile
from pathlib import Path

import pytest

from course_utils.data import archives
from course_utils.data.archives import check_archive, check_member_name, extract
from course_utils.data.errors import DataFormatError, UnsafeArchiveError


@pytest.mark.parametrize("name", ["a/b.txt", "./a//b.txt", "a\\b.txt", "a/", "a/..b/c.txt"])
def test_safe_names_pass(name):
    check_member_name(name)


@pytest.mark.parametrize(
    "name", ["../a", "a/../../b", "/etc/passwd", "\\windows\\x", "C:/x", "c:\\x", "a/..\\..\\b"]
)
def test_names_that_could_escape_are_refused(name):
    with pytest.raises(UnsafeArchiveError):
        check_member_name(name)


def make_zip(path: Path, members: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return path


def make_tar(path: Path, members: dict[str, bytes]) -> Path:
    with tarfile.open(path, "w:gz") as archive:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    return path


@pytest.mark.parametrize("make", [make_zip, make_tar])
def test_extraction_writes_the_files_once(tmp_path, make):
    archive = make(tmp_path / "a.bin", {"top/keep/1.txt": b"one", "top/other/2.txt": b"two"})
    out = extract(archive, tmp_path / "out")
    assert (out / "top/keep/1.txt").read_bytes() == b"one"
    assert (out / "top/other/2.txt").read_bytes() == b"two"
    (out / "top/keep/1.txt").unlink()
    assert extract(archive, tmp_path / "out") == out  # done once, then reused
    assert not (out / "top/keep/1.txt").exists()
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


def test_an_unsafe_member_rejects_the_whole_archive_before_writing(tmp_path):
    archive = make_zip(tmp_path / "bad.zip", {"fine.txt": b"ok", "../escaped.txt": b"bad"})
    with pytest.raises(UnsafeArchiveError, match="outside"):
        extract(archive, tmp_path / "work" / "out")
    assert not (tmp_path / "escaped.txt").exists()
    assert sorted(path.name for path in tmp_path.iterdir()) == ["bad.zip"]  # nothing written
    with pytest.raises(UnsafeArchiveError):
        check_archive(archive)


def test_links_inside_the_folder_are_refused_too(tmp_path):
    # get_file would keep this link (it stays inside the folder); the course refuses all links.
    path = tmp_path / "link.tar"
    with tarfile.open(path, "w") as archive:
        link = tarfile.TarInfo("a/link")
        link.type, link.linkname = tarfile.SYMTYPE, "b.txt"
        archive.addfile(link)
    with pytest.raises(UnsafeArchiveError, match="symbolic link"):
        extract(path, tmp_path / "out")
    assert not (tmp_path / "out").exists()


def test_devices_in_a_tar_are_refused(tmp_path):
    path = tmp_path / "device.tar"
    with tarfile.open(path, "w") as archive:
        device = tarfile.TarInfo("dev/null")
        device.type = tarfile.CHRTYPE
        archive.addfile(device)
    with pytest.raises(UnsafeArchiveError, match="special"):
        extract(path, tmp_path / "out")


def test_archives_that_would_unpack_too_large_are_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(archives, "MAX_TOTAL_BYTES", 10)
    archive = make_tar(tmp_path / "big.tar.gz", {"a.txt": b"x" * 11})
    with pytest.raises(UnsafeArchiveError, match="GiB"):
        extract(archive, tmp_path / "out")


@pytest.mark.parametrize("content", [b"", b"not an archive at all", b"PK\x03\x04broken"])
def test_damaged_archives_are_format_errors(tmp_path, content):
    path = tmp_path / "damaged.zip"
    path.write_bytes(content)
    with pytest.raises(DataFormatError):
        extract(path, tmp_path / "out")
    assert sorted(path.name for path in tmp_path.iterdir()) == ["damaged.zip"]


def test_a_member_with_a_bad_checksum_is_a_format_error(tmp_path):
    archive = make_zip(tmp_path / "crc.zip", {"data.txt": b"hello world" * 100})
    data = bytearray(archive.read_bytes())
    position = data.find(b"hello")  # stored uncompressed by default: flip a byte of it
    data[position] ^= 0xFF
    archive.write_bytes(bytes(data))
    with pytest.raises(DataFormatError, match="damaged"):
        extract(archive, tmp_path / "out")
    assert sorted(path.name for path in tmp_path.iterdir()) == ["crc.zip"]
