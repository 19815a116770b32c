"""Grey -> colour pairs for pix2pix colourisation, cut from scikit-learn's two sample photos
(which ship offline): random square crops, a quarter to two thirds of the photo's height, randomly
mirrored; the grey image is the luma (ITU-R BT.601).

Example:
    >>> grey, colour = colorization_pairs(2, size=32, seed=0)
    >>> grey.shape, colour.shape
    ((2, 32, 32, 1), (2, 32, 32, 3))
"""

from __future__ import annotations

import functools

import numpy as np
from PIL import Image

from course_utils.checks import make_rng, whole_number

LUMA_WEIGHTS = np.array([0.299, 0.587, 0.114], dtype=np.float32)
CROP_SHARE_RANGE: tuple[float, float] = (0.25, 0.67)


@functools.lru_cache(maxsize=1)
def _sample_photos() -> tuple[Image.Image, ...]:
    from sklearn.datasets import load_sample_images  # noqa: PLC0415 - slow to import

    return tuple(Image.fromarray(photo) for photo in load_sample_images().images)


def to_grey(colour: np.ndarray) -> np.ndarray:
    """Return the luma of ``(..., 3)`` RGB images as ``(..., 1)`` ``float32``.

    Example:
        >>> to_grey(np.ones((1, 2, 2, 3), np.float32)).shape
        (1, 2, 2, 1)
    """
    colour = np.asarray(colour, dtype=np.float32)
    return (colour @ LUMA_WEIGHTS)[..., None].astype(np.float32)


def colorization_pairs(
    n: int, size: int = 64, seed: int | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """Return ``(grey, colour)`` pairs of random crops of the sample photos: ``float32``
    ``(n, size, size, 1)`` and ``(n, size, size, 3)`` in ``[0, 1]``.

    Example:
        >>> grey, colour = colorization_pairs(3, size=16, seed=1)
        >>> bool(np.allclose(grey, to_grey(colour), atol=1e-6))
        True
    """
    n, size = whole_number(n, "n"), whole_number(size, "size", minimum=8)
    rng = make_rng(seed)
    photos = _sample_photos()
    colour = np.empty((n, size, size, 3), dtype=np.float32)
    for index in range(n):
        photo = photos[rng.integers(len(photos))]
        width, height = photo.size
        side = int(round(rng.uniform(*CROP_SHARE_RANGE) * height))
        left = int(rng.integers(0, width - side + 1))
        top = int(rng.integers(0, height - side + 1))
        crop = photo.resize(
            (size, size), Image.Resampling.BILINEAR, box=(left, top, left + side, top + side),
            reducing_gap=2.0,
        )
        pixels = np.asarray(crop, dtype=np.float32) / 255.0
        colour[index] = pixels[:, ::-1] if rng.random() < 0.5 else pixels
    return to_grey(colour), colour
