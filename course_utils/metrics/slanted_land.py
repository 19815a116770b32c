"""Slanted Land (notebook 02): the share of generated 2x2 images a discriminator calls faces.

Pixels are in [0, 1], 0 white and 1 black, read in the order top-left, top-right,
bottom-left, bottom-right. Faces are dark on the diagonal (the faces are slanted by 45
degrees), so the lecture's hand-made discriminator weighs the pixels ``+1 -1 -1 +1``, adds a
bias and squashes with a sigmoid: above 0.5 means "face".

Example:
    >>> import numpy as np
    >>> face = np.array([[[1.0, 0.0], [0.0, 1.0]]])
    >>> noise = np.array([[[0.75, 1.0], [1.0, 0.25]]])
    >>> face_share(np.concatenate([face, noise]))
    0.5
"""

from __future__ import annotations

from typing import Any, Callable

import numpy as np

from course_utils.checks import InputError

HAND_WEIGHTS = np.array([1.0, -1.0, -1.0, 1.0])
# The lecture's hand discriminator takes "face" when the weighted sum is positive, i.e. a
# bias of 0 and a sigmoid threshold of 0.5 (deck "PixelRNN/CNN/VAE/GAN", Discriminator slides).
HAND_BIAS = 0.0


def _as_slanted_land_images(images: Any, name: str = "images") -> np.ndarray:
    """2x2 images of shape ``(n, 2, 2)``, ``(n, 2, 2, 1)`` or ``(n, 4)`` as a checked ``(n, 4)`` array."""
    if hasattr(images, "numpy") and callable(images.numpy):
        images = images.numpy()
    array = np.asarray(images, dtype=np.float64)
    if array.ndim >= 2 and array.shape[1:] in ((2, 2), (2, 2, 1), (4,)) and array.shape[0] >= 1:
        flat = array.reshape(array.shape[0], 4)
    else:
        raise InputError(
            f"{name} must be a batch of 2x2 images, shape (n, 2, 2), (n, 2, 2, 1) or (n, 4); "
            f"got shape {array.shape}."
        )
    if not np.all(np.isfinite(flat)):
        raise InputError(f"{name} contains NaN or infinite values.")
    if flat.min() < -1e-3 or flat.max() > 1 + 1e-3:
        raise InputError(
            f"{name} must hold pixel values in [0, 1] (0 white, 1 black); got values from "
            f"{flat.min():.3g} to {flat.max():.3g}. A sigmoid output layer keeps them there."
        )
    return np.clip(flat, 0.0, 1.0)


def hand_discriminator(images: Any) -> np.ndarray:
    """Return the lecture's hand discriminator's face probability for each 2x2 image.

    ``sigmoid(+1 * top_left - 1 * top_right - 1 * bottom_left + 1 * bottom_right + HAND_BIAS)``.

    Example:
        >>> hand_discriminator(np.array([[[1.0, 0.0], [0.0, 1.0]]])).round(3)
        array([0.881])
    """
    flat = _as_slanted_land_images(images)
    return 1.0 / (1.0 + np.exp(-(flat @ HAND_WEIGHTS + HAND_BIAS)))


def face_share(images: Any, discriminator: Callable[[np.ndarray], Any] | None = None) -> float:
    """Return the share of 2x2 ``images`` that ``discriminator`` calls faces (probability above 0.5).

    ``discriminator`` takes an ``(n, 4)`` array of pixels (top-left, top-right, bottom-left,
    bottom-right) and returns ``n`` face probabilities (a function or a Keras model with 4
    inputs); ``None`` uses :func:`hand_discriminator`.

    Example:
        >>> images = np.array([[[1.0, 0.0], [0.0, 1.0]], [[0.0, 1.0], [1.0, 0.0]]])
        >>> face_share(images), face_share(images, lambda x: np.ones(len(x)))
        (0.5, 1.0)
    """
    flat = _as_slanted_land_images(images)
    if discriminator is not None and not callable(discriminator):
        raise InputError("discriminator must be a function (or Keras model) from an (n, 4) array of pixels "
                         f"to n face probabilities; got {type(discriminator).__name__}.")
    scores = hand_discriminator(flat) if discriminator is None else discriminator(flat)
    if hasattr(scores, "numpy") and callable(scores.numpy):
        scores = scores.numpy()
    scores = np.asarray(scores, dtype=np.float64).reshape(-1)
    if scores.size != flat.shape[0]:
        raise InputError(
            f"The discriminator returned {scores.size} values for {flat.shape[0]} images; it "
            "must return one face probability per image."
        )
    if scores.min() < -1e-6 or scores.max() > 1 + 1e-6:
        raise InputError(
            f"The discriminator returned values from {scores.min():.3g} to {scores.max():.3g}, "
            "not probabilities: end it with a sigmoid."
        )
    return float(np.mean(scores > 0.5))
