"""Tests of safe archive extraction: member names, links, selection, size limit, damaged
archives, and that a failed extraction leaves no folder behind."""

from __future__ import annotations

import io
import tarfile
import zipfile
from pathlib import Path

import pytest

from course_utils.data import archives
from course_utils.data.archives import check_archive, extract_archive, safe_relative_path
from course_utils.data.errors import DataFormatError, UnsafeArchiveError


@pytest.mark.parametrize(
    ("name", "expected"),
    [("a/b.txt", "a/b.txt"), ("./a//b.txt", "a/b.txt"), ("a\\b.txt", "a/b.txt"), ("a/", "a")],
)
def test_safe_names_become_relative_paths(name, expected):
    assert str(safe_relative_path(name)) == expected


@pytest.mark.parametrize(
    "name", ["../a", "a/../../b", "/etc/passwd", "\\windows\\x", "C:/x", "c:\\x", "a/..\\..\\b"]
)
def test_names_that_could_escape_are_refused(name):
    with pytest.raises(UnsafeArchiveError):
        safe_relative_path(name)


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
def test_extraction_writes_the_files_and_honours_the_selection(tmp_path, make):
    archive = make(tmp_path / "a.bin", {"top/keep/1.txt": b"one", "top/skip/2.txt": b"two"})
    out = extract_archive(archive, tmp_path / "out",
                          select=lambda path: "keep" in path.parts)
    assert (out / "top/keep/1.txt").read_bytes() == b"one"
    assert not (out / "top/skip").exists()
    assert extract_archive(archive, tmp_path / "out") == out  # done once, then reused
    assert sorted(path.name for path in tmp_path.iterdir()) == ["a.bin", "out"]


def test_an_unsafe_member_rejects_the_whole_archive_before_writing(tmp_path):
    archive = make_zip(tmp_path / "bad.zip", {"fine.txt": b"ok", "../escaped.txt": b"bad"})
    with pytest.raises(UnsafeArchiveError, match="outside"):
        extract_archive(archive, tmp_path / "work" / "out")
    assert not (tmp_path / "work" / "out").exists()
    assert not (tmp_path / "escaped.txt").exists() and not (tmp_path / "work" / "escaped.txt").exists()
    assert list((tmp_path / "work").iterdir()) == []  # no half-extracted temporary folder
    with pytest.raises(UnsafeArchiveError):
        check_archive(archive)


def test_devices_in_a_tar_are_refused(tmp_path):
    path = tmp_path / "device.tar"
    with tarfile.open(path, "w") as archive:
        device = tarfile.TarInfo("dev/null")
        device.type = tarfile.CHRTYPE
        archive.addfile(device)
    with pytest.raises(UnsafeArchiveError, match="special"):
        extract_archive(path, tmp_path / "out")


def test_archives_that_would_unpack_too_large_are_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(archives, "MAX_TOTAL_BYTES", 10)
    archive = make_tar(tmp_path / "big.tar.gz", {"a.txt": b"x" * 11})
    with pytest.raises(UnsafeArchiveError, match="GiB"):
        extract_archive(archive, tmp_path / "out")


@pytest.mark.parametrize("content", [b"", b"not an archive at all", b"PK\x03\x04broken"])
def test_damaged_archives_are_format_errors(tmp_path, content):
    path = tmp_path / "damaged.zip"
    path.write_bytes(content)
    with pytest.raises(DataFormatError):
        extract_archive(path, tmp_path / "out")
    assert not (tmp_path / "out").exists()


def test_a_member_with_a_bad_checksum_is_a_format_error(tmp_path):
    archive = make_zip(tmp_path / "crc.zip", {"data.txt": b"hello world" * 100})
    data = bytearray(archive.read_bytes())
    position = data.find(b"hello")  # stored uncompressed by default: flip a byte of it
    data[position] ^= 0xFF
    archive.write_bytes(bytes(data))
    with pytest.raises(DataFormatError, match="damaged"):
        extract_archive(archive, tmp_path / "out")
    assert sorted(path.name for path in tmp_path.iterdir()) == ["crc.zip"]
