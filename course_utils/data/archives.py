"""Safe extraction of zip and tar archives.

Before anything is written, every member is checked: a name that is absolute, has a drive
letter, or climbs out with ``..`` is refused, and so are links (symbolic or hard), devices and
other special files: the whole archive is then rejected with :class:`UnsafeArchiveError`. Files
are written by copying their bytes to paths built here (never with ``extractall``), into a
temporary folder that is renamed into place only when every member is out; on any error it is
deleted. A damaged archive raises :class:`DataFormatError`.

Example:
    >>> import io, zipfile, tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> with zipfile.ZipFile(folder / "a.zip", "w") as archive:
    ...     archive.writestr("inside/hello.txt", "hi")
    >>> extract_archive(folder / "a.zip", folder / "out").joinpath("inside/hello.txt").read_text()
    'hi'
"""

from __future__ import annotations

import os
import shutil
import stat
import tarfile
import zipfile
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path, PurePosixPath
from typing import BinaryIO

from course_utils.data.errors import DataFormatError, UnsafeArchiveError

MAX_TOTAL_BYTES = 8 * 1024**3  # refuse archives that would unpack to more than 8 GiB
_CORRUPT_ERRORS = (zipfile.BadZipFile, tarfile.TarError, EOFError, zlib.error, OSError)


def safe_relative_path(name: str) -> PurePosixPath:
    """Return a member name as a relative path, or raise if it could land outside the folder.

    Backslashes count as separators (archives made on Windows use them).

    Example:
        >>> str(safe_relative_path("a/b/c.ppm"))
        'a/b/c.ppm'
        >>> safe_relative_path("../evil")
        Traceback (most recent call last):
        ...
        course_utils.data.errors.UnsafeArchiveError: Archive member '../evil' would land outside the extraction folder ('..' in its path); the archive was rejected.
    """
    cleaned = name.replace("\\", "/")
    if cleaned.startswith("/") or (len(cleaned) > 1 and cleaned[1] == ":"):
        raise UnsafeArchiveError(
            f"Archive member {name!r} has an absolute path; the archive was rejected."
        )
    parts = [part for part in cleaned.split("/") if part not in ("", ".")]
    if ".." in parts:
        raise UnsafeArchiveError(
            f"Archive member {name!r} would land outside the extraction folder ('..' in its "
            "path); the archive was rejected."
        )
    return PurePosixPath(*parts) if parts else PurePosixPath(".")


@contextmanager
def _corruption_as_format_error(archive: Path) -> Iterator[None]:
    try:
        yield
    except (UnsafeArchiveError, DataFormatError):
        raise
    except _CORRUPT_ERRORS as error:
        raise DataFormatError(
            f"{archive.name} is damaged and cannot be read ({type(error).__name__}: {error})."
        ) from error


def _zip_members(archive: zipfile.ZipFile) -> list[tuple[PurePosixPath, bool, zipfile.ZipInfo]]:
    members = []
    total = 0
    for info in archive.infolist():
        path = safe_relative_path(info.filename)
        mode = info.external_attr >> 16
        if stat.S_ISLNK(mode):
            raise UnsafeArchiveError(
                f"Archive member {info.filename!r} is a symbolic link; links are refused and the "
                "archive was rejected."
            )
        # Only Unix-made zips carry a file type; 0 means a plain file or folder.
        if stat.S_IFMT(mode) and not (stat.S_ISREG(mode) or stat.S_ISDIR(mode)):
            raise UnsafeArchiveError(
                f"Archive member {info.filename!r} is a special file; the archive was rejected."
            )
        total += info.file_size
        members.append((path, info.is_dir(), info))
    _check_total(total)
    return members


def _tar_members(archive: tarfile.TarFile) -> list[tuple[PurePosixPath, bool, tarfile.TarInfo]]:
    members = []
    total = 0
    for member in archive.getmembers():
        path = safe_relative_path(member.name)
        if member.issym() or member.islnk():
            raise UnsafeArchiveError(
                f"Archive member {member.name!r} is a link (to {member.linkname!r}); links are "
                "refused and the archive was rejected."
            )
        if not (member.isfile() or member.isdir()):
            raise UnsafeArchiveError(
                f"Archive member {member.name!r} is a device or other special file; the archive "
                "was rejected."
            )
        total += member.size
        members.append((path, member.isdir(), member))
    _check_total(total)
    return members


def _check_total(total: int) -> None:
    if total > MAX_TOTAL_BYTES:
        raise UnsafeArchiveError(
            f"The archive would unpack to {total / 1024**3:.1f} GiB, more than the "
            f"{MAX_TOTAL_BYTES / 1024**3:.0f} GiB allowed; it was rejected."
        )


def _write_member(stream: BinaryIO, destination: Path, root: Path) -> None:
    resolved = destination.resolve()
    if root not in resolved.parents:
        raise UnsafeArchiveError(f"Archive member would land outside {root}; rejected.")
    resolved.parent.mkdir(parents=True, exist_ok=True)
    with open(resolved, "xb") as target:
        shutil.copyfileobj(stream, target, 1 << 20)


def check_archive(archive: Path) -> None:
    """Read every member name of an archive and raise if any is unsafe or the file is damaged.

    Example:
        >>> import zipfile, tempfile, pathlib
        >>> path = pathlib.Path(tempfile.mkdtemp()) / "ok.zip"
        >>> with zipfile.ZipFile(path, "w") as archive:
        ...     archive.writestr("a.txt", "a")
        >>> check_archive(path)
    """
    with _corruption_as_format_error(archive):
        if zipfile.is_zipfile(archive):
            with zipfile.ZipFile(archive) as opened:
                _zip_members(opened)
        elif tarfile.is_tarfile(archive):
            with tarfile.open(archive) as opened:
                _tar_members(opened)
        else:
            raise DataFormatError(f"{archive.name} is neither a zip nor a tar archive.")


def extract_archive(
    archive: Path,
    target: Path,
    select: Callable[[PurePosixPath], bool] | None = None,
) -> Path:
    """Extract ``archive`` (zip, tar, tar.gz) safely into the folder ``target`` and return it.

    Args:
        archive: the archive file.
        target: the folder to create; it must not exist yet (an existing one is returned as it
            is: it was completed by an earlier call).
        select: optional test on each member's relative path; only files it accepts are
            written (every member is still checked for safety).

    Raises:
        UnsafeArchiveError: a member with an absolute or climbing path, or a link or device.
        DataFormatError: the archive is damaged or not an archive.

    Example:
        >>> import zipfile, tempfile, pathlib
        >>> folder = pathlib.Path(tempfile.mkdtemp())
        >>> with zipfile.ZipFile(folder / "b.zip", "w") as archive:
        ...     archive.writestr("keep/x.txt", "x"); archive.writestr("skip/y.txt", "y")
        >>> out = extract_archive(folder / "b.zip", folder / "b",
        ...                       select=lambda path: path.parts[0] == "keep")
        >>> sorted(str(p.relative_to(out)) for p in out.rglob("*.txt"))
        ['keep/x.txt']
    """
    target = Path(target)
    if target.is_dir():
        return target
    temporary = target.parent / f".{target.name}.extracting-{os.getpid()}"
    shutil.rmtree(temporary, ignore_errors=True)
    temporary.mkdir(parents=True)
    root = temporary.resolve()
    try:
        with _corruption_as_format_error(archive):
            if zipfile.is_zipfile(archive):
                with zipfile.ZipFile(archive) as opened:
                    for path, is_folder, info in _zip_members(opened):
                        if is_folder or (select is not None and not select(path)):
                            continue
                        with opened.open(info) as stream:
                            _write_member(stream, root / path, root)
            elif tarfile.is_tarfile(archive):
                with tarfile.open(archive) as opened:
                    for path, is_folder, member in _tar_members(opened):
                        if is_folder or (select is not None and not select(path)):
                            continue
                        stream = opened.extractfile(member)
                        if stream is None:
                            raise DataFormatError(f"{archive.name}: cannot read {member.name!r}.")
                        with stream:
                            _write_member(stream, root / path, root)
            else:
                raise DataFormatError(
                    f"{archive.name} is neither a zip nor a tar archive (damaged download?)."
                )
        os.replace(temporary, target)
    except BaseException:
        shutil.rmtree(temporary, ignore_errors=True)
        raise
    return target
