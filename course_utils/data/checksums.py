"""File hashes: sha256 of a file, a mirror's ``SHA256SUMS``, and the hashes recorded on a
first download where none is published (``recorded_sha256.json`` in the data folder, keyed by
the URL the file came from, so later downloads from that URL must match).

Example:
    >>> parse_sha256sums("%s  mnist.npz" % ("a" * 64))["mnist.npz"][:4]
    'aaaa'
    >>> recorded_hash("https://example.invalid/never-downloaded.zip") is None
    True
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

from course_utils.config import data_dir
from course_utils.data.errors import DataFormatError
from course_utils.files import atomic_output

MANIFEST_NAME = "SHA256SUMS"
RECORD_FILE_NAME = "recorded_sha256.json"
_HASH_LINE = re.compile(r"^([0-9a-fA-F]{64}) [ *]?(.+)$")


def sha256_of(path: Path) -> str:
    """The hex sha256 of a file (``keras.utils.get_file`` checks hashes, but does not return them)."""
    digest = hashlib.sha256()
    with open(path, "rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def parse_sha256sums(text: str) -> dict[str, str]:
    """``sha256sum`` output (``<hash>  <name>`` per line, ``#`` comments) as {name: hash}."""
    hashes: dict[str, str] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.strip()
        if line and not line.startswith("#"):
            match = _HASH_LINE.match(line)
            if match is None:
                raise DataFormatError(
                    f"Line {number} of the mirror's {MANIFEST_NAME} is not '<sha256>  <file name>': "
                    f"{line[:80]!r}. Write it with `sha256sum * > {MANIFEST_NAME}`."
                )
            hashes[match.group(2).strip()] = match.group(1).lower()
    return hashes


def _records() -> dict[str, dict[str, object]]:
    path = data_dir() / RECORD_FILE_NAME
    try:
        records = json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}
    except (OSError, ValueError) as error:
        raise DataFormatError(f"{path} is not readable JSON ({error}). It lists the hashes of "
                              "first downloads; delete it to start a fresh record.") from error
    return records if isinstance(records, dict) else {}


def _write(records: dict[str, dict[str, object]]) -> None:
    with atomic_output(data_dir() / RECORD_FILE_NAME) as temporary:
        temporary.write_text(json.dumps(records, indent=2, sort_keys=True), encoding="utf-8")


def recorded_hash(url: str) -> str | None:
    """The sha256 recorded on the first download from ``url``, or ``None``."""
    record = _records().get(url) or {}
    return str(record["sha256"]) if "sha256" in record else None


def record_hash(url: str, sha256: str, size: int) -> None:
    """Remember the sha256 and size of the first download from ``url``."""
    _write({**_records(), url: {"sha256": sha256, "size": size}})


def forget_hash(sha256: str) -> None:
    """Drop every record of ``sha256`` (its file proved unusable), so it is not trusted again."""
    records = _records()
    kept = {url: record for url, record in records.items() if record.get("sha256") != sha256}
    if len(kept) != len(records):
        _write(kept)
