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


def as_slanted_land_images(images: Any, name: str = "images") -> np.ndarray:
    """Return 2x2 images as an ``(n, 4)`` float64 array, checking their shape and range.

    Accepts shapes ``(n, 2, 2)``, ``(n, 2, 2, 1)`` and ``(n, 4)``.

    Example:
        >>> as_slanted_land_images(np.zeros((3, 2, 2))).shape
        (3, 4)
    """
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


def hand_discriminator(images: Any, bias: float = HAND_BIAS) -> np.ndarray:
    """Return the lecture's hand discriminator's face probability for each 2x2 image.

    ``sigmoid(+1 * top_left - 1 * top_right - 1 * bottom_left + 1 * bottom_right + bias)``.

    Example:
        >>> hand_discriminator(np.array([[[1.0, 0.0], [0.0, 1.0]]])).round(3)
        array([0.881])
    """
    flat = as_slanted_land_images(images)
    return 1.0 / (1.0 + np.exp(-(flat @ HAND_WEIGHTS + bias)))


def _call_discriminator(discriminator: Any, flat: np.ndarray) -> np.ndarray:
    input_shape = getattr(discriminator, "input_shape", None)
    batch = flat
    if isinstance(input_shape, tuple) and len(input_shape) >= 2 and tuple(input_shape[1:]) != (4,):
        batch = flat.reshape((flat.shape[0],) + tuple(input_shape[1:]))
    if hasattr(discriminator, "predict") and hasattr(discriminator, "layers"):  # a Keras model
        output = discriminator.predict(batch.astype(np.float32), verbose=0)
    elif callable(discriminator):
        output = discriminator(batch)
    else:
        raise InputError(
            "discriminator must be a Keras model or a function from an (n, 4) array of pixels "
            f"to n face probabilities; got {type(discriminator).__name__}."
        )
    if hasattr(output, "numpy") and callable(output.numpy):
        output = output.numpy()
    return np.asarray(output, dtype=np.float64)


def face_share(
    images: Any,
    discriminator: Callable[[np.ndarray], Any] | Any | None = None,
    *,
    outputs: str = "probabilities",
    threshold: float = 0.5,
) -> float:
    """Return the share of 2x2 ``images`` that ``discriminator`` calls faces.

    Args:
        images: generated 2x2 images, shape ``(n, 2, 2)``, ``(n, 2, 2, 1)`` or ``(n, 4)``.
        discriminator: a Keras model or a function taking an ``(n, 4)`` array (pixels
            top-left, top-right, bottom-left, bottom-right) and returning ``n`` outputs;
            ``None`` uses :func:`hand_discriminator`. A Keras model whose input is ``(2, 2)``
            or ``(2, 2, 1)`` gets the images in that shape.
        outputs: ``"probabilities"`` (in [0, 1], "face" above ``threshold``) or ``"logits"``
            (the value before the sigmoid, "face" above 0).
        threshold: the probability above which an image counts as a face.

    Example:
        >>> images = np.array([[[1.0, 0.0], [0.0, 1.0]], [[0.0, 1.0], [1.0, 0.0]]])
        >>> face_share(images), face_share(images, lambda x: np.ones(len(x)))
        (0.5, 1.0)
    """
    flat = as_slanted_land_images(images)
    if outputs not in ("probabilities", "logits"):
        raise InputError(f"outputs must be 'probabilities' or 'logits'; got {outputs!r}.")
    if discriminator is None:
        scores = hand_discriminator(flat)
    else:
        scores = _call_discriminator(discriminator, flat)
    if scores.size != flat.shape[0]:
        raise InputError(
            f"The discriminator returned {scores.size} values for {flat.shape[0]} images; it "
            "must return one face probability per image."
        )
    scores = scores.reshape(-1)
    if outputs == "logits":
        return float(np.mean(scores > 0.0))
    if scores.min() < -1e-6 or scores.max() > 1 + 1e-6:
        raise InputError(
            f"The discriminator returned values from {scores.min():.3g} to {scores.max():.3g}, "
            "not probabilities. If it ends without a sigmoid, pass outputs='logits'."
        )
    return float(np.mean(scores > threshold))
