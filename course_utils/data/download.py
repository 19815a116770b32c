"""Fetching the real data sets' files with ``keras.utils.get_file`` (download, sha256 check,
extraction), plus what the course needs on top:

- pinned sizes and sha256 (:data:`REMOTE_FILES`); where no hash is published, the first
  download's hash is recorded (``recorded_sha256.json`` in the data folder) and must match later;
- ``COURSE_DATA_MIRROR``: a base URL or a folder of byte-identical copies, used instead;
- one clear :class:`DownloadError` (no network, HTTP error, cut-off transfer, missing from the
  mirror) or :class:`DataIntegrityError` (wrong size or sha256), never a bare traceback;
- no half-written file taken for data (wrong size: fetched again; failed check: deleted;
  archives extracted into a temporary folder renamed into place when complete), and an archive
  with a member that would land outside its folder refused as a whole and deleted.

Example:
    >>> REMOTE_FILES["mnist"].filename
    'mnist.npz'
    >>> archive, folder = fetch_and_extract("facades", REMOTE_FILES["facades"])  # doctest: +SKIP
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import socket
import tarfile
import urllib.error
import warnings
import zipfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from course_utils.config import data_dir
from course_utils.files import atomic_output

MIRROR_VARIABLE = "COURSE_DATA_MIRROR"
RECORD_FILE_NAME = "recorded_sha256.json"
STALL_SECONDS = 30  # a connection silent this long counts as cut off (get_file has no timeout)
_DAMAGED = (zipfile.BadZipFile, tarfile.TarError, EOFError, zlib.error, OSError)


class DataSetError(ValueError):
    """Base class for every data-set problem in ``course_utils.data``."""


class UnknownDataSetError(DataSetError):
    """A data-set name that the course does not know."""


class DownloadError(DataSetError):
    """A file could not be fetched: no network, a refused connection, or an HTTP error."""


class DataIntegrityError(DataSetError):
    """A downloaded file has the wrong size or sha256 (truncated, corrupted or changed)."""


class UnsafeArchiveError(DataSetError):
    """An archive holds a member that would land outside its folder."""


class DataFormatError(DataSetError):
    """A file is not in the expected format (damaged archive, missing folder or column)."""


@dataclass(frozen=True)
class RemoteFile:
    """One downloadable file: canonical URL, size in bytes and sha256 (``None`` if unpublished).

    Example:
        >>> RemoteFile("https://example.org/a/b.zip", 10, None).filename
        'b.zip'
    """

    url: str
    size: int
    sha256: str | None

    @property
    def filename(self) -> str:
        """The last part of the URL: the file's name in the cache and on a mirror."""
        return self.url.rsplit("/", 1)[-1]


_GTSRB = "https://sid.erda.dk/public/archives/daaeac0d7ce1152aea9b61d9f1e19370/"
_PIX2PIX = "http://efrosgans.eecs.berkeley.edu/pix2pix/datasets/"
# Sizes are the servers' Content-Length; hashes the published ones (keras.datasets.mnist's for MNIST).
REMOTE_FILES: dict[str, RemoteFile] = {
    "gtsrb_train": RemoteFile(_GTSRB + "GTSRB_Final_Training_Images.zip", 276_294_756, None),
    "gtsrb_test_images": RemoteFile(
        _GTSRB + "GTSRB_Final_Test_Images.zip", 88_978_620,
        "48ba6fab7e877eb64eaf8de99035b0aaecfbc279bee23e35deca4ac1d0a837fa"),
    "gtsrb_test_labels": RemoteFile(
        _GTSRB + "GTSRB_Final_Test_GT.zip", 99_620,
        "f94e5a7614d75845c74c04ddb26b8796b9e483f43541dd95dd5b726504e16d6d"),
    "facades": RemoteFile(_PIX2PIX + "facades.tar.gz", 30_168_306, None),
    "maps": RemoteFile(_PIX2PIX + "maps.tar.gz", 250_242_400, None),
    "horse2zebra": RemoteFile(
        "https://efrosgans.eecs.berkeley.edu/cyclegan/datasets/horse2zebra.zip", 116_867_962,
        "a74d9d392eecca9966b51287a76ca126af473d9de4f3e8fc0e9cda08fa1730a1"),
    "mnist": RemoteFile(
        "https://storage.googleapis.com/tensorflow/tf-keras-datasets/mnist.npz", 11_490_434,
        "731c5ac602752760c8e48fbffcf8c3b850d9dc2a2aedcf2cc48468fc17b673d1"),
}


def source_url(remote: RemoteFile) -> str:
    """Where ``remote`` is fetched from: its canonical URL, or its name on the mirror.

    Example:
        >>> import os
        >>> os.environ[MIRROR_VARIABLE] = "http://classroom/data/"
        >>> source_url(REMOTE_FILES["mnist"])
        'http://classroom/data/mnist.npz'
        >>> del os.environ[MIRROR_VARIABLE]
    """
    mirror = os.environ.get(MIRROR_VARIABLE, "").strip()
    if not mirror:
        return remote.url
    if "://" in mirror:
        return f"{mirror.rstrip('/')}/{remote.filename}"
    folder = Path(mirror).expanduser()
    if not folder.is_dir():
        raise DownloadError(
            f"{MIRROR_VARIABLE}={mirror!r} is neither a URL nor an existing folder. Point it at a "
            "base URL (http://host/path) or a folder holding the data files, or unset it to use "
            "the canonical sources.")
    return (folder.resolve() / remote.filename).as_uri()


def _sha256_of(path: Path) -> str:
    """The hex sha256 of a file (``get_file`` checks hashes but does not return them)."""
    digest = hashlib.sha256()
    with open(path, "rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _records() -> dict[str, dict[str, object]]:
    """{URL: {"sha256": ..., "size": ...}} of the first downloads where no hash is published."""
    path = data_dir() / RECORD_FILE_NAME
    try:
        return dict(json.loads(path.read_text(encoding="utf-8"))) if path.is_file() else {}
    except (OSError, ValueError, TypeError) as error:
        raise DataFormatError(f"{path} is not readable JSON ({error}). It lists the hashes of "
                              "first downloads; delete it to start a fresh record.") from error


def _write_records(records: dict[str, dict[str, object]]) -> None:
    with atomic_output(data_dir() / RECORD_FILE_NAME) as temporary:
        temporary.write_text(json.dumps(records, indent=2, sort_keys=True), encoding="utf-8")


def _download_error(origin: str, error: BaseException) -> DownloadError:
    """``get_file``'s failure (a bare ``Exception`` wrapping urllib's) as what to do."""
    cause = error.__context__ if type(error) is Exception and error.__context__ else error
    if isinstance(cause, urllib.error.HTTPError):
        return DownloadError(f"Could not download {origin}: the server answered HTTP {cause.code} "
                             f"{cause.reason}. Check the URL ({MIRROR_VARIABLE}?) or try again later.")
    if isinstance(cause, (urllib.error.ContentTooShortError, TimeoutError, ConnectionError)):
        return DownloadError(f"The download of {origin} stopped before the end ({cause}). "
                             "Nothing was kept; run the cell again.")
    if origin.startswith("file:"):
        return DownloadError(f"The mirror folder has no {origin.rsplit('/', 1)[-1]} ({cause}). Copy "
                             f"it there, or unset {MIRROR_VARIABLE} to use the canonical source.")
    return DownloadError(f"no network: could not download {origin} ({getattr(cause, 'reason', cause)})."
                         " Connect to the internet and run again, or set "
                         f"{MIRROR_VARIABLE} to a folder or server holding the file.")


def fetch_file(remote: RemoteFile, folder: Path) -> Path:
    """Return ``folder / remote.filename``, downloading it first unless a good copy is there.

    Raises:
        DownloadError: no network, an HTTP error, a cut-off transfer, a mirror without the file.
        DataIntegrityError: wrong size or sha256 (the file is deleted).

    Example:
        >>> fetch_file(REMOTE_FILES["mnist"], data_dir("mnist"))  # doctest: +SKIP
        PosixPath('.../mnist/mnist.npz')
    """
    from keras.utils import get_file  # noqa: PLC0415 - keeps `import course_utils.data` light

    folder.mkdir(parents=True, exist_ok=True)
    path, origin = folder / remote.filename, source_url(remote)
    if path.is_file() and path.stat().st_size != remote.size:
        path.unlink()  # cut off by a run that was killed
    expected = remote.sha256 or _records().get(origin, {}).get("sha256")
    previous_timeout = socket.getdefaulttimeout()
    socket.setdefaulttimeout(STALL_SECONDS)
    hash_failed = False
    try:  # an absolute cache_subdir: get_file would fall back to /tmp/.keras for a new folder
        get_file(fname=path.name, origin=origin, file_hash=expected, hash_algorithm="sha256",
                 cache_dir=str(folder), cache_subdir=str(folder))
    except ValueError:  # get_file's hash check, which keeps the file
        hash_failed = True
    except Exception as error:  # noqa: BLE001 - get_file raises a bare Exception
        raise _download_error(origin, error) from error
    finally:
        socket.setdefaulttimeout(previous_timeout)
    size = path.stat().st_size
    if size != remote.size or hash_failed:
        path.unlink()
        problem = f"it has {size:,} bytes, not {remote.size:,}" if size != remote.size \
            else f"its sha256 is not {expected}"
        raise DataIntegrityError(
            f"{path.name} from {origin} is not the expected file: {problem}. The download was cut "
            "off, or the file is corrupt or has changed. It was deleted; run again to download it "
            "afresh, and if this persists, report it.")
    if expected is None:
        _write_records({**_records(), origin: {"sha256": _sha256_of(path), "size": size}})
    return path


def extract(archive: Path, target: Path) -> Path:
    """Extract ``archive`` (zip or tar) into the folder ``target`` with ``get_file``.

    Raises:
        UnsafeArchiveError: a member would land outside the folder (nothing is kept).
        DataFormatError: the file is no archive or is damaged (nothing is kept).

    Example:
        >>> extract(data_dir("facades") / "facades.tar.gz", data_dir("facades") / "x")  # doctest: +SKIP
    """
    from keras.utils import get_file  # noqa: PLC0415

    working = archive.parent / f"{archive.name.split('.')[0]}_extracted"  # get_file's choice
    shutil.rmtree(working, ignore_errors=True)  # left by an extraction that was killed
    try:
        with warnings.catch_warnings():  # get_file only warns on these: make them errors
            warnings.filterwarnings("error", "(Skipping invalid path|Could not extract)")
            get_file(fname=archive.name, origin=archive.as_uri(), extract=True,
                     cache_dir=str(archive.parent), cache_subdir=str(archive.parent))
        working.rename(target)
    except UserWarning as warning:
        if "Skipping" not in str(warning):
            raise DataFormatError(f"{archive.name} is neither a zip nor a tar archive (damaged "
                                  "download?).") from warning
        raise UnsafeArchiveError(f"{archive.name} holds a member that would land outside the "
                                 f"extraction folder ({warning}); the archive was rejected.") from warning
    except tarfile.FilterError as error:  # links and devices that tarfile's "data" filter refuses
        raise UnsafeArchiveError(f"{archive.name}: {error}; the archive was rejected.") from error
    except _DAMAGED as error:
        raise DataFormatError(f"{archive.name} is damaged and cannot be extracted ({error}).") from error
    finally:
        shutil.rmtree(working, ignore_errors=True)
    return target


@contextmanager
def discard_if_unusable(*paths: Path) -> Iterator[None]:
    """On a damaged or unsafe archive, delete ``paths`` (files with their recorded hashes,
    extracted folders), then re-raise with what to do.

    Example:
        >>> with discard_if_unusable(data_dir("mnist") / "mnist.npz"):  # doctest: +SKIP
        ...     raise DataFormatError("mnist.npz lacks x_train.")
    """
    try:
        yield
    except (DataFormatError, UnsafeArchiveError) as error:
        files = [path for path in paths if path.is_file()]
        hashes = {_sha256_of(path) for path in files}
        records = _records()
        kept = {url: record for url, record in records.items() if record.get("sha256") not in hashes}
        if len(kept) != len(records):
            _write_records(kept)
        for path in paths:
            path.unlink() if path.is_file() else shutil.rmtree(path, ignore_errors=True)
        raise type(error)(
            f"{error} Deleted {', '.join(path.name for path in files) or 'nothing'} from the "
            "cache; run again to download afresh. If the problem persists, the source (or your "
            "mirror) serves a bad file.") from error


def fetch_and_extract(name: str, remote: RemoteFile, folder_name: str = "extracted") -> tuple[Path, Path]:
    """Fetch ``remote`` into ``data_dir(name)`` and extract it there once: (archive, folder).

    Example:
        >>> fetch_and_extract("horse2zebra", REMOTE_FILES["horse2zebra"])[1].name  # doctest: +SKIP
        'extracted'
    """
    folder = data_dir(name)
    extracted = folder / folder_name
    if extracted.is_dir():
        return folder / remote.filename, extracted
    archive = fetch_file(remote, folder)
    with discard_if_unusable(archive, extracted):
        extract(archive, extracted)
    return archive, extracted
