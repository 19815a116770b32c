"""Images of thin vertical lines for the first DCGAN (notebook 05), as in the hands-on lecture:
white (1) lines one pixel wide and full height, at random columns that never touch, on black (0).

Example:
    >>> vertical_lines(3, seed=0).shape
    (3, 32, 32, 1)
"""

from __future__ import annotations

import numpy as np

from course_utils.checks import make_rng, whole_number

BACKGROUND_VALUE: float = 0.0
LINE_VALUE: float = 1.0


def vertical_lines(
    n: int,
    size: int = 32,
    seed: int | None = None,
    min_lines: int = 2,
    max_lines: int = 5,
) -> np.ndarray:
    """Return ``n`` images ``(n, size, size, 1)`` of ``min_lines``..``max_lines`` vertical lines.

    Example:
        >>> images = vertical_lines(10, seed=1)
        >>> columns_lit = (images[..., 0] == 1).all(axis=1).sum(axis=1)
        >>> bool(np.all((columns_lit >= 2) & (columns_lit <= 5)))
        True
    """
    n = whole_number(n, "n")
    size = whole_number(size, "size", minimum=4)
    if not (1 <= min_lines <= max_lines <= (size + 1) // 2):
        raise ValueError(
            f"Need 1 <= min_lines <= max_lines <= (size + 1) // 2 (lines never touch); got "
            f"min_lines={min_lines}, "
            f"max_lines={max_lines}, size={size}."
        )
    rng = make_rng(seed)
    counts = rng.integers(min_lines, max_lines + 1, size=n)
    lit_columns = np.zeros((n, size), dtype=bool)
    for count in np.unique(counts):
        images_with_count = np.flatnonzero(counts == count)
        # k distinct sorted positions among size - k + 1, shifted by 0..k-1: lines never touch.
        keys = rng.random((len(images_with_count), size - count + 1))
        positions = np.sort(np.argsort(keys, axis=1)[:, :count], axis=1) + np.arange(count)
        lit_columns[images_with_count[:, None], positions] = True
    images = np.full((n, size, size, 1), BACKGROUND_VALUE, dtype=np.float32)
    images[np.broadcast_to(lit_columns[:, None, :, None], images.shape)] = LINE_VALUE
    return images
