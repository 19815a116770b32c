"""Converted arrays cached as ``.npz`` files, written atomically.

Example:
    >>> import tempfile, pathlib, numpy as np
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "a.npz"
    >>> cached_arrays(path, lambda: {"x": np.arange(3)})["x"].tolist()
    [0, 1, 2]
"""

from __future__ import annotations

import os
import tempfile
import zipfile
from collections.abc import Callable
from pathlib import Path

import numpy as np


def save_arrays(path: Path, arrays: dict[str, np.ndarray]) -> None:
    """Write ``arrays`` to ``path`` (``.npz``) through a temporary file and an atomic rename.

    Example:
        >>> import tempfile, pathlib, numpy as np
        >>> save_arrays(pathlib.Path(tempfile.mkdtemp()) / "b.npz", {"y": np.zeros(2)})
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.stem}-", suffix=".npz")
    try:
        with os.fdopen(handle, "wb") as stream:
            np.savez(stream, **arrays)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def load_arrays(path: Path) -> dict[str, np.ndarray] | None:
    """Return the arrays in ``path``, or ``None`` if it is missing or unreadable (then deleted).

    Example:
        >>> import pathlib
        >>> load_arrays(pathlib.Path("/nonexistent/c.npz")) is None
        True
    """
    if not path.is_file():
        return None
    try:
        with np.load(path, allow_pickle=False) as stored:
            return {name: stored[name] for name in stored.files}
    except (OSError, ValueError, EOFError, zipfile.BadZipFile):
        path.unlink(missing_ok=True)
        return None


def cached_arrays(path: Path, build: Callable[[], dict[str, np.ndarray]]) -> dict[str, np.ndarray]:
    """Return the arrays cached in ``path``, building and caching them first if needed.

    Example:
        >>> import tempfile, pathlib, numpy as np
        >>> path = pathlib.Path(tempfile.mkdtemp()) / "d.npz"
        >>> _ = cached_arrays(path, lambda: {"z": np.ones(1)}); path.is_file()
        True
    """
    arrays = load_arrays(path)
    if arrays is None:
        arrays = build()
        save_arrays(path, arrays)
    return arrays
