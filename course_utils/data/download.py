"""Fetch a remote file into the data folder: from its canonical URL or from a mirror, with a
progress bar, resuming a cut-off transfer, and checking size and sha256 before the file is
kept.

The mirror setting, ``COURSE_DATA_MIRROR``, replaces the canonical host: it is either a base
URL (``http://host/path``) or a local folder (a path or ``file://`` URL) holding files with
the same names. What a file must match:

- **from the canonical URL**: its published size and sha256 (:mod:`course_utils.data.sources`);
  where no hash is published, the hash recorded on the first download from that URL;
- **from a mirror**: the sha256 listed for it in the mirror's ``SHA256SUMS`` (the output of
  ``sha256sum``, next to the files) when the mirror has one that lists the file; otherwise the
  canonical size and sha256 (a mirror holding the same files needs no manifest), or the
  recorded hash for that mirror URL. A manifest is only ever read for files that come from
  that mirror, so it cannot change what canonical downloads are checked against.

The transfer goes to ``NAME.partial`` beside the final file; it is renamed only after every
check passes and deleted on any error, so the cache never holds a half or unchecked file.

Example:
    >>> from course_utils.config import data_dir
    >>> from course_utils.data.sources import REMOTE_FILES
    >>> path = fetch_file(REMOTE_FILES["mnist"], data_dir("mnist"))  # doctest: +SKIP
"""

from __future__ import annotations

import http.client
import os
import shutil
import socket
import ssl
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from course_utils.data.checksums import (
    MANIFEST_NAME,
    parse_sha256sums,
    record_hash,
    recorded_hash,
    sha256_of,
)
from course_utils.data.errors import DataIntegrityError, DownloadError
from course_utils.data.sources import RemoteFile

MIRROR_VARIABLE = "COURSE_DATA_MIRROR"
USER_AGENT = "keras-gan-course-data/1.0 (+https://github.com/keras-gan-course)"
TIMEOUT_SECONDS = 30.0
ATTEMPTS = 5
CHUNK_BYTES = 1 << 20
PARTIAL_SUFFIX = ".partial"

# Failures of the network or the far end while connecting or streaming (not local disk errors).
_NETWORK_ERRORS = (
    urllib.error.URLError,
    http.client.HTTPException,
    ConnectionError,
    TimeoutError,
    socket.timeout,
    ssl.SSLError,
)


@dataclass(frozen=True)
class Mirror:
    """A mirror: either ``base_url`` (http/https) or ``folder`` (local) is set.

    Example:
        >>> Mirror(base_url="http://127.0.0.1:8000/data", folder=None).describe()
        'http://127.0.0.1:8000/data'
    """

    base_url: str | None
    folder: Path | None

    def describe(self) -> str:
        """The mirror as the user gave it, for messages."""
        return self.base_url if self.base_url is not None else str(self.folder)


@dataclass(frozen=True)
class Source:
    """Where one file will be fetched from, and what it must match."""

    location: str  # a URL, or a local path for a folder mirror
    is_local: bool
    from_mirror: bool
    expected_size: int | None
    expected_sha256: str | None
    record_key: str  # URL (or file URI) under which a first-download hash is recorded


def mirror_setting() -> Mirror | None:
    """Return the mirror from ``COURSE_DATA_MIRROR``, or ``None`` when it is not set.

    Raises:
        DownloadError: when the setting is neither an http(s) URL nor an existing folder.

    Example:
        >>> mirror_setting() is None or isinstance(mirror_setting(), Mirror)
        True
    """
    value = os.environ.get(MIRROR_VARIABLE, "").strip()
    if not value:
        return None
    parsed = urllib.parse.urlparse(value)
    if parsed.scheme in ("http", "https"):
        return Mirror(base_url=value.rstrip("/"), folder=None)
    if parsed.scheme == "file":
        folder = Path(urllib.request.url2pathname(parsed.path))
    else:
        folder = Path(value).expanduser()
    if not folder.is_dir():
        raise DownloadError(
            f"{MIRROR_VARIABLE}={value!r} is neither an http(s) URL nor an existing folder. "
            f"Point it at a base URL (http://host/path) or a folder holding the data files, "
            f"or unset it to use the canonical sources."
        )
    return Mirror(base_url=None, folder=folder.resolve())


def _open(url: str, offset: int = 0, timeout: float = TIMEOUT_SECONDS) -> http.client.HTTPResponse:
    headers = {"User-Agent": USER_AGENT}
    if offset:
        headers["Range"] = f"bytes={offset}-"
    return urllib.request.urlopen(urllib.request.Request(url, headers=headers), timeout=timeout)


def _network_reason(error: BaseException) -> str:
    if isinstance(error, urllib.error.HTTPError):
        return f"HTTP {error.code} {error.reason}"
    if isinstance(error, urllib.error.URLError):
        return str(error.reason)
    return f"{type(error).__name__}: {error}"


def _mirror_manifest(mirror: Mirror) -> dict[str, str]:
    """The mirror's SHA256SUMS as {file name: sha256}; empty when it has none."""
    if mirror.folder is not None:
        path = mirror.folder / MANIFEST_NAME
        return parse_sha256sums(path.read_text(encoding="utf-8")) if path.is_file() else {}
    url = f"{mirror.base_url}/{MANIFEST_NAME}"
    try:
        with _open(url, timeout=15.0) as response:
            return parse_sha256sums(response.read(1 << 20).decode("utf-8"))
    except urllib.error.HTTPError as error:
        if error.code == 404:
            return {}
        raise DownloadError(
            f"Could not read the mirror's {MANIFEST_NAME} at {url} ({_network_reason(error)})."
        ) from error
    except _NETWORK_ERRORS as error:
        raise DownloadError(
            f"Could not reach the mirror {mirror.base_url} ({_network_reason(error)}). Check the "
            f"network and {MIRROR_VARIABLE}, or unset it to use the canonical sources."
        ) from error


def resolve_source(remote: RemoteFile) -> Source:
    """Decide where ``remote`` is fetched from (mirror or canonical) and what it must match.

    Example:
        >>> from course_utils.data.sources import REMOTE_FILES
        >>> source = resolve_source(REMOTE_FILES["mnist"])  # doctest: +SKIP
        >>> source.expected_size  # doctest: +SKIP
        11490434
    """
    mirror = mirror_setting()
    if mirror is None:
        return Source(
            location=remote.url,
            is_local=False,
            from_mirror=False,
            expected_size=remote.size,
            expected_sha256=remote.sha256 or recorded_hash(remote.url),
            record_key=remote.url,
        )
    if mirror.folder is not None:
        path = mirror.folder / remote.filename
        location, record_key, is_local = str(path), path.as_uri(), True
    else:
        location = f"{mirror.base_url}/{urllib.parse.quote(remote.filename)}"
        record_key, is_local = location, False
    listed = _mirror_manifest(mirror).get(remote.filename)
    if listed is not None:
        return Source(location, is_local, True, None, listed, record_key)
    return Source(
        location=location,
        is_local=is_local,
        from_mirror=True,
        expected_size=remote.size,
        expected_sha256=remote.sha256 or recorded_hash(record_key),
        record_key=record_key,
    )


def _progress_bar(total: int | None, initial: int, name: str):  # noqa: ANN202 - tqdm type
    from tqdm.auto import tqdm  # noqa: PLC0415 - only needed while downloading

    return tqdm(total=total, initial=initial, unit="B", unit_scale=True, unit_divisor=1024,
                desc=name, leave=True, mininterval=0.5)


def _copy_local(path: Path, partial: Path, name: str) -> None:
    if not path.is_file():
        raise DownloadError(
            f"The mirror folder {path.parent} has no file {path.name}. Copy it there, or unset "
            f"{MIRROR_VARIABLE} to download from the canonical source."
        )
    with open(path, "rb") as source, open(partial, "wb") as target, \
            _progress_bar(path.stat().st_size, 0, name) as bar:
        for block in iter(lambda: source.read(CHUNK_BYTES), b""):
            target.write(block)
            bar.update(len(block))


def _download_http(url: str, partial: Path, name: str, expected_size: int | None) -> None:
    """Stream ``url`` into ``partial``, resuming with HTTP Range after a cut-off transfer."""
    received_any = False
    last_error: BaseException | None = None
    for _attempt in range(ATTEMPTS):
        have = partial.stat().st_size if partial.exists() else 0
        try:
            response = _open(url, offset=have)
        except urllib.error.HTTPError as error:
            if error.code == 416 and have and have == expected_size:
                return  # the range starts at the end: we already hold the whole file
            raise DownloadError(f"Could not download {url}: {_network_reason(error)}.") from error
        except _NETWORK_ERRORS as error:
            if not received_any:
                raise DownloadError(
                    f"Could not download {url} ({_network_reason(error)}). Are you online? "
                    f"Instructors with a local copy can set {MIRROR_VARIABLE}."
                ) from error
            last_error = error
            continue
        with response:
            resumed = have > 0 and response.status == 206
            if not resumed:
                have = 0  # the server sent the whole file (it ignored or was not asked a range)
            length = response.headers.get("Content-Length")
            total = have + int(length) if length is not None and length.isdigit() else expected_size
            try:
                with open(partial, "ab" if resumed else "wb") as target, \
                        _progress_bar(total, have, name) as bar:
                    while True:
                        block = response.read(CHUNK_BYTES)
                        if not block:
                            break
                        target.write(block)
                        received_any = True
                        bar.update(len(block))
            except _NETWORK_ERRORS as error:  # cut off mid-stream: resume from what we have
                last_error = error
                continue
        size = partial.stat().st_size
        if total is None or size >= total:
            return
        last_error = DownloadError(f"the transfer stopped at {size:,} of {total:,} bytes")
    raise DownloadError(
        f"Could not download {url} in {ATTEMPTS} attempts: "
        f"{_network_reason(last_error) if last_error else 'unknown error'}. Try again later."
    )


def _verify(partial: Path, source: Source, name: str) -> str:
    size = partial.stat().st_size
    if source.expected_size is not None and size != source.expected_size:
        raise DataIntegrityError(
            f"{name} from {source.location} has {size:,} bytes, not the expected "
            f"{source.expected_size:,}: the download is truncated or it is a different file. "
            "It was deleted; run again to download it afresh."
            + (f" (A mirror can list its own files' hashes in {MANIFEST_NAME}.)"
               if source.from_mirror else "")
        )
    digest = sha256_of(partial)
    if source.expected_sha256 is not None and digest != source.expected_sha256.lower():
        raise DataIntegrityError(
            f"{name} from {source.location} has sha256 {digest}, not the expected "
            f"{source.expected_sha256}: the file is corrupt or has changed. It was deleted; run "
            "again to download it afresh, and if this persists, report it."
        )
    return digest


def fetch_file(remote: RemoteFile, folder: Path) -> Path:
    """Return the path of ``remote`` inside ``folder``, downloading and checking it if needed.

    A file already in ``folder`` was checked when it arrived and is used as it is.

    Raises:
        DownloadError: no network, the server or mirror refused, or the mirror lacks the file.
        DataIntegrityError: wrong size or sha256 (the bad file is deleted).

    Example:
        >>> from course_utils.config import data_dir
        >>> from course_utils.data.sources import REMOTE_FILES
        >>> fetch_file(REMOTE_FILES["mnist"], data_dir("mnist"))  # doctest: +SKIP
        PosixPath('.../mnist/mnist.npz')
    """
    folder.mkdir(parents=True, exist_ok=True)
    final = folder / remote.filename
    if final.is_file():
        return final
    source = resolve_source(remote)
    partial = folder / (remote.filename + PARTIAL_SUFFIX)
    try:
        if source.is_local:
            partial.unlink(missing_ok=True)
            _copy_local(Path(source.location), partial, remote.filename)
        else:
            _download_http(source.location, partial, remote.filename, source.expected_size)
        digest = _verify(partial, source, remote.filename)
        if source.expected_sha256 is None:
            record_hash(source.record_key, digest, partial.stat().st_size)
        os.replace(partial, final)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return final


def remove_tree(path: Path) -> None:
    """Delete a folder (or file) if it exists; used to drop bad extractions and caches.

    Example:
        >>> import tempfile, pathlib
        >>> folder = pathlib.Path(tempfile.mkdtemp()); remove_tree(folder); folder.exists()
        False
    """
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        path.unlink(missing_ok=True)
