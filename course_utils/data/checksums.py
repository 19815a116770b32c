"""File hashes: computing sha256, the record of hashes seen on first download, and a
mirror's ``SHA256SUMS`` manifest.

Example:
    >>> parse_sha256sums("%s  mnist.npz" % ("a" * 64))
    {'mnist.npz': 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa'}
"""

from __future__ import annotations

import datetime
import hashlib
import json
import re
from pathlib import Path

from course_utils.files import atomic_output
from course_utils.config import data_dir
from course_utils.data.errors import DataFormatError

RECORD_FILE_NAME = "recorded_sha256.json"
MANIFEST_NAME = "SHA256SUMS"
_HASH_LINE = re.compile(r"^([0-9a-fA-F]{64}) [ *]?(.+)$")


def sha256_of(path: Path, chunk_size: int = 1 << 20) -> str:
    """Return the hex sha256 of a file, read in chunks.

    Example:
        >>> import tempfile, pathlib
        >>> path = pathlib.Path(tempfile.mkdtemp()) / "x"; _ = path.write_bytes(b"")
        >>> sha256_of(path)[:12]
        'e3b0c44298fc'
    """
    digest = hashlib.sha256()
    with open(path, "rb") as stream:
        for block in iter(lambda: stream.read(chunk_size), b""):
            digest.update(block)
    return digest.hexdigest()


def parse_sha256sums(text: str) -> dict[str, str]:
    """Parse the output of ``sha256sum FILES`` (``<hash>  <name>`` per line) into a dict.

    Blank lines and lines starting with ``#`` are skipped; any other line that does not fit
    raises :class:`DataFormatError`.

    Example:
        >>> parse_sha256sums("# comment\\n")
        {}
    """
    hashes: dict[str, str] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        match = _HASH_LINE.match(line)
        if match is None:
            raise DataFormatError(
                f"Line {number} of the mirror's {MANIFEST_NAME} is not '<sha256>  <file name>': "
                f"{line[:80]!r}. Write the manifest with `sha256sum * > {MANIFEST_NAME}`."
            )
        hashes[match.group(2).strip()] = match.group(1).lower()
    return hashes


def _record_path() -> Path:
    return data_dir() / RECORD_FILE_NAME


def recorded_hashes() -> dict[str, dict[str, object]]:
    """Return the hashes recorded on first download, keyed by the URL they came from.

    Example:
        >>> isinstance(recorded_hashes(), dict)
        True
    """
    path = _record_path()
    if not path.is_file():
        return {}
    try:
        records = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise DataFormatError(
            f"{path} is not readable JSON ({error}). It lists hashes recorded on first "
            "download; delete it to start a fresh record."
        ) from error
    return records if isinstance(records, dict) else {}


def _write_records(records: dict[str, dict[str, object]]) -> None:
    with atomic_output(_record_path()) as temporary:
        temporary.write_text(json.dumps(records, indent=2, sort_keys=True), encoding="utf-8")


def recorded_hash(url: str) -> str | None:
    """Return the sha256 recorded for ``url`` on its first download, or ``None``.

    Example:
        >>> recorded_hash("https://example.invalid/never-downloaded.zip") is None
        True
    """
    record = recorded_hashes().get(url)
    return str(record["sha256"]) if record and "sha256" in record else None


def record_hash(url: str, sha256: str, size: int) -> None:
    """Remember the sha256 and size of the first download from ``url``.

    Example:
        >>> record_hash("https://example.invalid/x.zip", "0" * 64, 1)  # doctest: +SKIP
    """
    records = recorded_hashes()
    records[url] = {
        "sha256": sha256,
        "size": size,
        "recorded": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
    }
    _write_records(records)


def forget_hash(sha256: str) -> None:
    """Drop every record holding ``sha256`` (used when the file it came from proves corrupt).

    Example:
        >>> forget_hash("0" * 64)
    """
    records = recorded_hashes()
    kept = {url: record for url, record in records.items() if record.get("sha256") != sha256}
    if len(kept) != len(records):
        _write_records(kept)
