"""Argument checks shared by the generators: counts, image sizes and seeds.

Example:
    >>> check_count(5)
    5
    >>> int(make_rng(0).integers(10)) == int(make_rng(0).integers(10))
    True
"""

from __future__ import annotations

import numpy as np


def check_count(n: int, name: str = "n") -> int:
    """Return ``n`` as an ``int`` after checking it is a positive whole number.

    Example:
        >>> check_count(3)
        3
    """
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 1:
        raise ValueError(f"{name} must be a positive whole number of samples, got {n!r}.")
    return int(n)


def check_size(size: int, minimum: int = 8, name: str = "size") -> int:
    """Return ``size`` as an ``int`` after checking it is a whole number of pixels >= ``minimum``.

    Example:
        >>> check_size(32)
        32
    """
    if isinstance(size, bool) or not isinstance(size, (int, np.integer)) or size < minimum:
        raise ValueError(
            f"{name} must be a whole number of pixels, at least {minimum}, got {size!r}."
        )
    return int(size)


def make_rng(seed: int | None) -> np.random.Generator:
    """Return a NumPy generator: reproducible for an integer seed, fresh for ``None``.

    Example:
        >>> float(make_rng(1).random()) == float(make_rng(1).random())
        True
    """
    if seed is not None and (isinstance(seed, bool) or not isinstance(seed, (int, np.integer))):
        raise ValueError(f"seed must be a whole number or None, got {seed!r}.")
    if seed is not None and seed < 0:
        raise ValueError(f"seed must not be negative, got {seed!r}.")
    return np.random.default_rng(None if seed is None else int(seed))


def balanced_labels(n: int, number_of_classes: int, rng: np.random.Generator) -> np.ndarray:
    """Return ``n`` labels in ``range(number_of_classes)``, as equal in count as ``n`` allows,
    in random order.

    Example:
        >>> sorted(np.bincount(balanced_labels(10, 2, make_rng(0))).tolist())
        [5, 5]
    """
    labels = np.arange(n, dtype=np.int64) % number_of_classes
    rng.shuffle(labels)
    return labels
