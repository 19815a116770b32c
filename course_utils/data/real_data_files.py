"""Shared steps of the real-data loaders: fetch an archive, extract it safely, and clean up
(archive, extraction and recorded hash) when the archive proves unusable.

Example:
    >>> from course_utils.data.sources import REMOTE_FILES
    >>> archive, folder = fetch_and_extract("facades", REMOTE_FILES["facades"])  # doctest: +SKIP
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path, PurePosixPath

from course_utils.config import data_dir
from course_utils.data.archives import extract_archive
from course_utils.data.checksums import forget_hash, sha256_of
from course_utils.data.download import fetch_file, remove_tree
from course_utils.data.errors import DataFormatError, UnsafeArchiveError
from course_utils.data.sources import RemoteFile


def dataset_folder(name: str) -> Path:
    """Return the folder in the data directory that holds one data set's files.

    Example:
        >>> dataset_folder("mnist").name
        'mnist'
    """
    return data_dir(name)


@contextmanager
def discard_if_unusable(archive: Path, *also_remove: Path) -> Iterator[None]:
    """On a damaged or unsafe archive, delete it (and the given paths and its recorded hash),
    then re-raise with a note on what to do.

    Example:
        >>> import pathlib
        >>> with discard_if_unusable(pathlib.Path("/nonexistent/a.zip")):
        ...     pass
    """
    try:
        yield
    except (DataFormatError, UnsafeArchiveError) as error:
        if archive.is_file():
            forget_hash(sha256_of(archive))
        remove_tree(archive)
        for path in also_remove:
            remove_tree(path)
        raise type(error)(
            f"{error} The file {archive.name} was deleted from the cache; run again to download "
            "it afresh. If the problem persists, the source (or your mirror) serves a bad file."
        ) from error


def fetch_and_extract(
    name: str,
    remote: RemoteFile,
    folder_name: str = "extracted",
    select: Callable[[PurePosixPath], bool] | None = None,
) -> tuple[Path, Path]:
    """Fetch ``remote`` into the data set's folder and extract it safely (once).

    Returns:
        ``(archive, extracted folder)``.

    Example:
        >>> from course_utils.data.sources import REMOTE_FILES
        >>> fetch_and_extract("facades", REMOTE_FILES["facades"])  # doctest: +SKIP
    """
    folder = dataset_folder(name)
    extracted = folder / folder_name
    if extracted.is_dir():
        return folder / remote.filename, extracted
    archive = fetch_file(remote, folder)
    with discard_if_unusable(archive, extracted):
        extract_archive(archive, extracted, select=select)
    return archive, extracted
