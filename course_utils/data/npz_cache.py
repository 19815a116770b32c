"""Arrays converted from a real data set, cached as one ``.npz`` per split and size.

The file also holds ``cache_version``. A cache that cannot be read, lacks an array, or carries
another version (written by another version of the course, or cut off while being written) is
deleted and rebuilt. Writing goes through a temporary file and an atomic rename.

Example:
    >>> import tempfile, pathlib, numpy as np
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "a.npz"
    >>> cached_arrays(path, ("x",), lambda: {"x": np.arange(3)})["x"].tolist()
    [0, 1, 2]
"""

from __future__ import annotations

import zipfile
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

from course_utils.files import atomic_output

CACHE_VERSION = 2  # bump when a loader converts differently
VERSION_KEY = "cache_version"


def read_cache(path: Path, keys: Sequence[str]) -> dict[str, np.ndarray] | None:
    """The arrays ``keys`` cached in ``path``, or ``None`` (and the file deleted) if unusable.

    Example:
        >>> import pathlib
        >>> read_cache(pathlib.Path("/nonexistent/c.npz"), ("x",)) is None
        True
    """
    if not path.is_file():
        return None
    try:
        with np.load(path, allow_pickle=False) as stored:
            if VERSION_KEY in stored.files and int(stored[VERSION_KEY]) == CACHE_VERSION \
                    and set(keys) <= set(stored.files):
                return {key: stored[key] for key in keys}
    except (OSError, ValueError, TypeError, EOFError, zipfile.BadZipFile):
        pass
    path.unlink(missing_ok=True)
    return None


def cached_arrays(path: Path, keys: Sequence[str],
                  build: Callable[[], dict[str, np.ndarray]]) -> dict[str, np.ndarray]:
    """Return the arrays cached in ``path``, building and caching them first if needed.

    Example:
        >>> import tempfile, pathlib, numpy as np
        >>> path = pathlib.Path(tempfile.mkdtemp()) / "d.npz"
        >>> _ = cached_arrays(path, ("z",), lambda: {"z": np.ones(1)}); path.is_file()
        True
    """
    arrays = read_cache(path, keys)
    if arrays is None:
        arrays = build()
        with atomic_output(path) as temporary:
            np.savez(temporary, **arrays, **{VERSION_KEY: np.array(CACHE_VERSION)})
    return arrays
