"""``COURSE_DATA_MIRROR``: where each file is fetched from, and what it must match.

The variable replaces the canonical host for every file: a base URL (``http://host/path``) or a
local folder (a path or ``file://`` URL) holding files with the canonical names. A file must
match, from the canonical URL, its published size and sha256 (or the hash recorded on its first
download from that URL); from a mirror, the sha256 listed for it in the mirror's ``SHA256SUMS``
when there is one that lists it, otherwise the canonical values (or the hash recorded for that
mirror URL). A manifest is only read for files taken from that mirror.

Example:
    >>> from course_utils.data.sources import REMOTE_FILES
    >>> source = resolve_source(REMOTE_FILES["mnist"])  # doctest: +SKIP
    >>> source.origin, source.size  # doctest: +SKIP
    ('https://storage.googleapis.com/tensorflow/tf-keras-datasets/mnist.npz', 11490434)
"""

from __future__ import annotations

import http.client
import os
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from course_utils.data.checksums import MANIFEST_NAME, parse_sha256sums, recorded_hash
from course_utils.data.errors import DownloadError
from course_utils.data.sources import RemoteFile

MIRROR_VARIABLE = "COURSE_DATA_MIRROR"


@dataclass(frozen=True)
class Source:
    """Where one file is fetched from (an http(s) or file URL) and what it must match."""

    origin: str
    size: int | None
    sha256: str | None
    from_mirror: bool


def mirror_base() -> str | None:
    """The mirror as a base URL (a folder becomes ``file://...``), or ``None`` when unset.

    Raises:
        DownloadError: the setting is neither an http(s) URL nor an existing folder.
    """
    value = os.environ.get(MIRROR_VARIABLE, "").strip()
    if not value:
        return None
    parsed = urllib.parse.urlparse(value)
    if parsed.scheme in ("http", "https"):
        return value.rstrip("/")
    folder = Path(urllib.request.url2pathname(parsed.path)) if parsed.scheme == "file" \
        else Path(value).expanduser()
    if not folder.is_dir():
        raise DownloadError(
            f"{MIRROR_VARIABLE}={value!r} is neither an http(s) URL nor an existing folder. Point "
            "it at a base URL (http://host/path) or a folder holding the data files, or unset it "
            "to use the canonical sources."
        )
    return folder.resolve().as_uri()


def _manifest(base: str) -> dict[str, str]:
    """The mirror's ``SHA256SUMS`` as {file name: sha256}; empty when it has none."""
    url = f"{base}/{MANIFEST_NAME}"
    try:
        with urllib.request.urlopen(url, timeout=15) as response:
            return parse_sha256sums(response.read(1 << 20).decode("utf-8"))
    except urllib.error.HTTPError as error:
        if error.code == 404:
            return {}
        raise DownloadError(f"Could not read {url} (HTTP {error.code} {error.reason}).") from error
    except urllib.error.URLError as error:
        if base.startswith("file:") and isinstance(error.reason, FileNotFoundError):
            return {}
        reason = error.reason
    except (OSError, http.client.HTTPException) as error:
        reason = error
    raise DownloadError(
        f"Could not reach the mirror {base} ({reason}). Check the network and {MIRROR_VARIABLE}, "
        "or unset it to use the canonical sources."
    )


def resolve_source(remote: RemoteFile) -> Source:
    """Where ``remote`` comes from (the mirror or its canonical URL) and what it must match."""
    base = mirror_base()
    if base is None:
        return Source(remote.url, remote.size, remote.sha256 or recorded_hash(remote.url), False)
    origin = f"{base}/{urllib.parse.quote(remote.filename)}"
    listed = _manifest(base).get(remote.filename)
    if listed is not None:
        return Source(origin, None, listed, True)
    return Source(origin, remote.size, remote.sha256 or recorded_hash(origin), True)
