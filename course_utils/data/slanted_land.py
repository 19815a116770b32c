"""Slanted Land: 2x2 greyscale "faces" and "noise" from the PixelCNN/VAE/GAN lecture's quiz.

Everyone leans back 45 degrees, so a face has its two diagonal pixels dark (uniform in
``[0.5, 1]``; **1 is dark, 0 is white**, as in the lecture) and the two others light (in
``[0, 0.5]``); noise is uniform in ``[0, 1]``, redrawn wherever it has a face's pattern.

Example:
    >>> slanted_land_faces(2, seed=0).shape
    (2, 2, 2)
"""

from __future__ import annotations

import numpy as np

from course_utils.checks import make_rng, whole_number

FACE_DARK_RANGE: tuple[float, float] = (0.5, 1.0)
FACE_LIGHT_RANGE: tuple[float, float] = (0.0, 0.5)


def is_face_pattern(images: np.ndarray) -> np.ndarray:
    """Return, for each 2x2 image, whether both diagonal pixels are darker than both others.

    Example:
        >>> is_face_pattern(np.array([[[1.0, 0.0], [0.0, 1.0]], [[0.0, 1.0], [1.0, 0.0]]]))
        array([ True, False])
    """
    images = np.asarray(images)
    if images.ndim != 3 or images.shape[1:] != (2, 2):
        raise ValueError(f"Expected an array of 2x2 images, shape (n, 2, 2); got {images.shape}.")
    diagonal = np.minimum(images[:, 0, 0], images[:, 1, 1])
    off_diagonal = np.maximum(images[:, 0, 1], images[:, 1, 0])
    return diagonal > off_diagonal


def slanted_land_faces(n: int, seed: int | None = None) -> np.ndarray:
    """Return ``n`` Slanted Land faces, ``float32`` of shape ``(n, 2, 2)`` in ``[0, 1]`` (1 = dark).

    Example:
        >>> faces = slanted_land_faces(100, seed=0)
        >>> bool(np.all(faces[:, 0, 0] >= 0.5) and np.all(faces[:, 0, 1] <= 0.5))
        True
    """
    n = whole_number(n, "n")
    rng = make_rng(seed)
    faces = np.empty((n, 2, 2), dtype=np.float64)
    dark = rng.uniform(*FACE_DARK_RANGE, size=(n, 2))
    light = rng.uniform(*FACE_LIGHT_RANGE, size=(n, 2))
    faces[:, 0, 0], faces[:, 1, 1] = dark[:, 0], dark[:, 1]
    faces[:, 0, 1], faces[:, 1, 0] = light[:, 0], light[:, 1]
    return faces.astype(np.float32)


def slanted_land_noise(n: int, seed: int | None = None) -> np.ndarray:
    """Return ``n`` non-faces: random shades, ``float32`` of shape ``(n, 2, 2)`` in ``[0, 1]``.

    Example:
        >>> noise = slanted_land_noise(100, seed=0)
        >>> bool(is_face_pattern(noise).any())
        False
    """
    n = whole_number(n, "n")
    rng = make_rng(seed)
    noise = rng.uniform(0.0, 1.0, size=(n, 2, 2))
    redraw = is_face_pattern(noise)
    while redraw.any():
        noise[redraw] = rng.uniform(0.0, 1.0, size=(int(redraw.sum()), 2, 2))
        redraw = is_face_pattern(noise)
    return noise.astype(np.float32)
