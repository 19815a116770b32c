"""Downloaded archives (zip, tar, tar.gz): checked, extracted with ``keras.utils.get_file``, and
deleted when unusable.

``get_file(..., extract=True)`` (Keras 3.15) skips members whose path leaves the folder with
only a warning, keeps links that stay inside it, and only warns when the file is no archive; a
failed extraction may stay half-written. So every member is checked first and one unsafe member
(absolute path, drive letter, ``..``, a link, a device) rejects the whole archive; ``get_file``
then extracts into ``NAME_extracted``, renamed to its final name only when complete.

Example:
    >>> from course_utils.data.sources import REMOTE_FILES
    >>> archive, folder = fetch_and_extract("facades", REMOTE_FILES["facades"])  # doctest: +SKIP
    >>> sorted(path.name for path in (folder / "facades").iterdir())  # doctest: +SKIP
    ['test', 'train', 'val']
"""

from __future__ import annotations

import re
import shutil
import stat
import tarfile
import zipfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from course_utils.config import data_dir
from course_utils.data.checksums import forget_hash, sha256_of
from course_utils.data.download import fetch_file
from course_utils.data.errors import DataFormatError, UnsafeArchiveError
from course_utils.data.sources import RemoteFile

MAX_TOTAL_BYTES = 8 * 1024**3  # refuse archives that would unpack to more than 8 GiB
_DAMAGED = (zipfile.BadZipFile, tarfile.TarError, EOFError, zlib.error, OSError)


def check_member_name(name: str) -> None:
    """Raise :class:`UnsafeArchiveError` if a member name could land outside the folder.

    Example:
        >>> check_member_name("a/b.ppm")
        >>> check_member_name("a/../../evil")
        Traceback (most recent call last):
        ...
        course_utils.data.errors.UnsafeArchiveError: Archive member 'a/../../evil' would land outside the extraction folder ('..' in its path); the archive was rejected.
    """
    cleaned = name.replace("\\", "/")  # archives made on Windows
    if cleaned.startswith("/") or re.match(r"[A-Za-z]:", cleaned):
        raise UnsafeArchiveError(f"Archive member {name!r} has an absolute path; the archive was rejected.")
    if ".." in cleaned.split("/"):
        raise UnsafeArchiveError(
            f"Archive member {name!r} would land outside the extraction folder ('..' in its "
            "path); the archive was rejected."
        )


def _members(archive: Path) -> list[tuple[str, int, str | None]]:
    """(name, size, what is wrong with its type or None) for every member."""
    if zipfile.is_zipfile(archive):
        with zipfile.ZipFile(archive) as opened:
            kinds = {stat.S_IFLNK: "a symbolic link", 0: None, stat.S_IFREG: None, stat.S_IFDIR: None}
            return [(info.filename, info.file_size,
                     kinds.get(stat.S_IFMT(info.external_attr >> 16), "a special file"))
                    for info in opened.infolist()]
    if tarfile.is_tarfile(archive):
        with tarfile.open(archive) as opened:
            return [(member.name, member.size,
                     "a symbolic link" if member.issym() else "a hard link" if member.islnk()
                     else None if member.isfile() or member.isdir()
                     else "a device or other special file") for member in opened.getmembers()]
    raise DataFormatError(f"{archive.name} is neither a zip nor a tar archive (damaged download?).")


def check_archive(archive: Path) -> None:
    """Raise if the archive is damaged (:class:`DataFormatError`), holds an unsafe member or
    would unpack to more than ``MAX_TOTAL_BYTES`` (:class:`UnsafeArchiveError`)."""
    try:
        members = _members(archive)
    except _DAMAGED as error:
        raise DataFormatError(f"{archive.name} is damaged and cannot be read ({error}).") from error
    for name, _, problem in members:
        check_member_name(name)
        if problem:
            raise UnsafeArchiveError(f"Archive member {name!r} is {problem}; the archive was rejected.")
    total = sum(size for _, size, _ in members)
    if total > MAX_TOTAL_BYTES:
        raise UnsafeArchiveError(
            f"{archive.name} would unpack to {total / 1024**3:.1f} GiB, more than the "
            f"{MAX_TOTAL_BYTES / 1024**3:.0f} GiB allowed; it was rejected."
        )


def extract(archive: Path, target: Path) -> Path:
    """Check ``archive``, then extract it into the folder ``target`` (reused if it exists).

    Raises:
        UnsafeArchiveError, DataFormatError: see :func:`check_archive`; nothing is left behind.
    """
    from keras.utils import get_file  # noqa: PLC0415 - keeps `import course_utils.data` light

    if target.is_dir():
        return target
    check_archive(archive)
    working = archive.parent / f"{archive.name.split('.')[0]}_extracted"  # get_file's choice
    shutil.rmtree(working, ignore_errors=True)  # left by an extraction that was killed
    try:
        get_file(fname=archive.name, origin=archive.as_uri(), extract=True,
                 cache_dir=str(archive.parent), cache_subdir=str(archive.parent))
        target.parent.mkdir(parents=True, exist_ok=True)
        working.rename(target)
    except _DAMAGED as error:
        raise DataFormatError(f"{archive.name} is damaged and cannot be extracted ({error}).") from error
    finally:
        shutil.rmtree(working, ignore_errors=True)
    return target


@contextmanager
def discard_if_unusable(*paths: Path) -> Iterator[None]:
    """On a damaged or unsafe archive, delete ``paths`` (archives with their recorded hashes,
    extracted folders), then re-raise with what to do."""
    try:
        yield
    except (DataFormatError, UnsafeArchiveError) as error:
        files = [path for path in paths if path.is_file()]
        for path in files:
            forget_hash(sha256_of(path))
            path.unlink()
        for path in paths:
            shutil.rmtree(path, ignore_errors=True)
        raise type(error)(
            f"{error} Deleted {', '.join(path.name for path in files) or 'nothing'} from the "
            "cache; run again to download afresh. If the problem persists, the source (or your "
            "mirror) serves a bad file."
        ) from error


def fetch_and_extract(name: str, remote: RemoteFile,
                      folder_name: str = "extracted") -> tuple[Path, Path]:
    """Fetch ``remote`` into ``data_dir(name)`` and extract it there once: (archive, folder)."""
    folder = data_dir(name)
    extracted = folder / folder_name
    if extracted.is_dir():
        return folder / remote.filename, extracted
    archive = fetch_file(remote, folder)
    with discard_if_unusable(archive, extracted):
        extract(archive, extracted)
    return archive, extracted
