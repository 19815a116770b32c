"""Handwritten digits that ship offline: scikit-learn's 1797 8x8 digits (values 0-16) scaled to
``[0, 1]`` (1 = ink, like MNIST) and upscaled with a bicubic filter.

Example:
    >>> images, labels = digits(size=16)
    >>> images.shape, labels.shape
    ((1797, 16, 16, 1), (1797,))
"""

from __future__ import annotations

import functools

import numpy as np

from course_utils.checks import make_rng, whole_number
from course_utils.data.resizing import resize_images



@functools.lru_cache(maxsize=4)
def _digits_at(size: int) -> tuple[np.ndarray, np.ndarray]:
    from sklearn.datasets import load_digits  # noqa: PLC0415 - scikit-learn is slow to import

    bunch = load_digits()
    images = (bunch.images.astype(np.float32) / 16.0)[..., None]
    images = resize_images(images, size, method="bicubic")
    images.setflags(write=False)
    labels = bunch.target.astype(np.int64)
    labels.setflags(write=False)
    return images, labels


def digits(size: int = 32, seed: int | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Return all 1797 digits as ``(images, labels)``: ``float32`` ``(1797, size, size, 1)`` and
    ``int64`` 0-9, in scikit-learn's order (``seed=None``) or shuffled reproducibly by ``seed``.

    Example:
        >>> images, labels = digits(size=32, seed=0)
        >>> float(images.min()) >= 0 and float(images.max()) <= 1
        True
    """
    size = whole_number(size, "size", minimum=8)
    images, labels = _digits_at(size)
    if seed is None:
        return images.copy(), labels.copy()
    order = make_rng(seed).permutation(len(labels))
    return images[order], labels[order]
