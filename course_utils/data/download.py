"""Fetch one remote file into a data set's folder with ``keras.utils.get_file``, then check it.

``get_file`` downloads (http, https or a mirror's ``file://`` URL, with a progress bar), checks
the sha256 when one is known, and deletes its file when the transfer fails. What it does not do
is done here: the file is fetched under a temporary name (``NAME.partial``, always fetched afresh)
and renamed only after its size and sha256 match, so a killed download never leaves a file
that a later run takes for a good one; a file that fails a check is deleted; a transfer cut off
midway is tried again; failures become :class:`DownloadError` with what to do.

Example:
    >>> from course_utils.config import data_dir
    >>> from course_utils.data.sources import REMOTE_FILES
    >>> fetch_file(REMOTE_FILES["mnist"], data_dir("mnist"))  # doctest: +SKIP
    PosixPath('.../mnist/mnist.npz')
"""

from __future__ import annotations

import http.client
import os
import socket
import urllib.error
from pathlib import Path

from course_utils.data.checksums import MANIFEST_NAME, record_hash, sha256_of
from course_utils.data.errors import DataIntegrityError, DownloadError
from course_utils.data.mirror import MIRROR_VARIABLE, Source, resolve_source
from course_utils.data.sources import RemoteFile

ATTEMPTS = 3
STALL_SECONDS = 30  # a connection silent this long counts as cut off (get_file has no timeout)
PARTIAL_SUFFIX = ".partial"


def _failure(error: BaseException) -> tuple[str, bool]:
    """Why a transfer failed, and whether another attempt may help (it was cut off midway)."""
    cause = error.__context__ if type(error) is Exception and error.__context__ else error
    if isinstance(cause, urllib.error.HTTPError):
        return f"HTTP {cause.code} {cause.reason}", False
    if isinstance(cause, urllib.error.ContentTooShortError):
        return "the transfer stopped before the end", True
    if isinstance(cause, urllib.error.URLError):
        return str(cause.reason), False
    return f"{type(cause).__name__}: {cause}", isinstance(cause, (OSError, http.client.HTTPException))


def _message(source: Source, name: str, reason: str, cut_off: bool) -> str:
    if cut_off:
        return (f"Could not download {source.origin} in {ATTEMPTS} attempts: {reason}. "
                "Try again later.")
    if source.origin.startswith("file:"):
        return (f"Could not copy {name} from the mirror folder ({reason}). Copy it there, or "
                f"unset {MIRROR_VARIABLE} to use the canonical source.")
    if reason.startswith("HTTP "):
        return f"Could not download {source.origin}: {reason}. Check the URL or try again later."
    return (f"Could not download {source.origin} ({reason}). Are you online? Connect and run "
            f"again; instructors with a local copy can set {MIRROR_VARIABLE}.")


def _check_size(path: Path, source: Source, name: str) -> None:
    size = path.stat().st_size
    if source.size is not None and size != source.size:
        raise DataIntegrityError(
            f"{name} from {source.origin} has {size:,} bytes, not the expected {source.size:,}: "
            "the download is truncated or it is a different file. It was deleted; run again to "
            "download it afresh."
            + (f" (A mirror can list its own files' hashes in {MANIFEST_NAME}.)"
               if source.from_mirror else "")
        )


def _get(source: Source, partial: Path, name: str) -> None:
    """Download ``source`` to ``partial`` with ``get_file``, checking size and sha256."""
    from keras.utils import get_file  # noqa: PLC0415 - keeps `import course_utils.data` light

    for attempt in range(1, ATTEMPTS + 1):
        previous_timeout = socket.getdefaulttimeout()
        socket.setdefaulttimeout(STALL_SECONDS)
        try:
            get_file(fname=partial.name, origin=source.origin, file_hash=source.sha256,
                     hash_algorithm="sha256", cache_dir=str(partial.parent),
                     cache_subdir=str(partial.parent), force_download=True)
            break
        except Exception as error:  # noqa: BLE001 - get_file raises a bare Exception
            if partial.is_file():  # only the hash check leaves the file in place
                _check_size(partial, source, name)
                raise DataIntegrityError(
                    f"{name} from {source.origin} does not have the expected sha256 "
                    f"{source.sha256}: the file is corrupt or has changed. It was deleted; run "
                    "again to download it afresh, and if this persists, report it."
                ) from error
            reason, cut_off = _failure(error)
            if not cut_off or attempt == ATTEMPTS:
                raise DownloadError(_message(source, name, reason, cut_off)) from error
        finally:
            socket.setdefaulttimeout(previous_timeout)
    _check_size(partial, source, name)


def fetch_file(remote: RemoteFile, folder: Path) -> Path:
    """Return ``folder / remote.filename``, downloading and checking it first if it is missing.

    A file already there was checked when it arrived and is used as it is.

    Raises:
        DownloadError: no network, a refused request, or a mirror without the file.
        DataIntegrityError: wrong size or sha256 (nothing is kept).

    Example:
        >>> from course_utils.data.sources import RemoteFile
        >>> fetch_file(RemoteFile("https://example.org/x.zip", 1, None), folder)  # doctest: +SKIP
    """
    folder.mkdir(parents=True, exist_ok=True)
    final = folder / remote.filename
    if final.is_file():
        return final
    source = resolve_source(remote)
    partial = folder / (remote.filename + PARTIAL_SUFFIX)
    try:
        _get(source, partial, remote.filename)
        if source.sha256 is None:
            record_hash(source.origin, sha256_of(partial), partial.stat().st_size)
        os.replace(partial, final)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return final
