"""The errors the data package raises, so callers can tell a bad request from a bad download.

All are ``ValueError`` subclasses with messages that say what went wrong and what to do.

Example:
    >>> issubclass(DataIntegrityError, DataSetError) and issubclass(DataSetError, ValueError)
    True
"""

from __future__ import annotations


class DataSetError(ValueError):
    """Base class for every data-set problem in ``course_utils.data``."""


class UnknownDataSetError(DataSetError):
    """A data-set name that the course does not know."""


class DownloadError(DataSetError):
    """A file could not be fetched: no network, a refused connection, or an HTTP error."""


class DataIntegrityError(DataSetError):
    """A downloaded file has the wrong size or sha256 (truncated, corrupted or changed)."""


class UnsafeArchiveError(DataSetError):
    """An archive holds a member that would land outside its folder, or a link."""


class DataFormatError(DataSetError):
    """A file is not in the expected format (corrupt archive, missing folder or column)."""
