"""Input checks shared by the quality measures: clear errors for arrays of the wrong kind.

Every measure in :mod:`course_utils.metrics` passes its inputs through these functions first,
so a student who hands over images in [-1, 1], a batch with the wrong shape or a single sample
gets a message that says what was wrong and what to do, not a NumPy traceback.

Example:
    >>> import numpy as np
    >>> as_points(np.zeros((4, 2)), "points").shape
    (4, 2)
"""

from __future__ import annotations

from typing import Any

import numpy as np

# Images may overshoot [0, 1] by float round-off (e.g. a sigmoid output rescaled); beyond
# this they are in another range and the caller must rescale them.
RANGE_TOLERANCE = 1e-3


class MetricInputError(ValueError):
    """An input to a quality measure has the wrong shape, range or size."""


def _as_array(values: Any, name: str, dtype: type = np.float64) -> np.ndarray:
    if hasattr(values, "numpy") and callable(values.numpy):  # a TensorFlow / Keras tensor
        values = values.numpy()
    try:
        array = np.asarray(values, dtype=dtype)
    except (TypeError, ValueError):
        raise MetricInputError(
            f"{name} must be an array of numbers, got {type(values).__name__}."
        ) from None
    return array


def as_points(values: Any, name: str, dims: int = 2, min_count: int = 1) -> np.ndarray:
    """Return ``values`` as a float64 array of shape ``(n, dims)`` after checking it.

    Raises:
        MetricInputError: for the wrong shape, too few points, or NaN/inf values.

    Example:
        >>> as_points([[0.0, 1.0], [2.0, 3.0]], "points").dtype
        dtype('float64')
    """
    array = _as_array(values, name)
    if array.ndim != 2 or array.shape[1] != dims:
        raise MetricInputError(
            f"{name} must have shape (n, {dims}): one row of {dims} numbers per sample; "
            f"got shape {array.shape}."
        )
    if array.shape[0] < min_count:
        raise MetricInputError(
            f"{name} holds {array.shape[0]} samples; this measure needs at least {min_count}."
        )
    if not np.all(np.isfinite(array)):
        raise MetricInputError(
            f"{name} contains NaN or infinite values: the generator diverged. "
            "Restart training (a smaller learning rate often helps)."
        )
    return array


def as_images(values: Any, name: str, min_count: int = 1) -> np.ndarray:
    """Return ``values`` as float32 images ``(n, height, width, channels)`` with values in [0, 1].

    Raises:
        MetricInputError: for a shape that is not NHWC with 1 or 3 channels, too few images,
            NaN/inf, or values outside [0, 1] (e.g. a tanh generator's [-1, 1] output, with
            the fix ``(images + 1) / 2`` in the message).

    Example:
        >>> as_images(np.zeros((2, 32, 32, 1)), "images").shape
        (2, 32, 32, 1)
    """
    array = _as_array(values, name, dtype=np.float32)
    if array.ndim == 3:
        raise MetricInputError(
            f"{name} has shape {array.shape}: images need a channel axis, (n, height, width, "
            f"channels). For grey images add it with {name}[..., None]."
        )
    if array.ndim != 4 or array.shape[-1] not in (1, 3):
        raise MetricInputError(
            f"{name} must have shape (n, height, width, channels) with 1 or 3 channels; "
            f"got shape {array.shape}."
        )
    if array.shape[0] < min_count:
        raise MetricInputError(
            f"{name} holds {array.shape[0]} images; this measure needs at least {min_count}."
        )
    if not np.all(np.isfinite(array)):
        raise MetricInputError(
            f"{name} contains NaN or infinite values: the generator diverged. "
            "Restart training (a smaller learning rate often helps)."
        )
    low, high = float(array.min()), float(array.max())
    if low < -RANGE_TOLERANCE or high > 1.0 + RANGE_TOLERANCE:
        hint = ""
        if low >= -1.0 - RANGE_TOLERANCE and high <= 1.0 + RANGE_TOLERANCE:
            hint = " They look like tanh outputs in [-1, 1]: pass (images + 1) / 2."
        elif high <= 255.0 and low >= 0.0:
            hint = " They look like 0-255 pixels: pass images / 255."
        raise MetricInputError(
            f"{name} must hold pixel values in [0, 1]; got values from {low:.3g} to {high:.3g}."
            + hint
        )
    if low < 0.0 or high > 1.0:
        array = np.clip(array, 0.0, 1.0)
    return array


def same_shape(first: np.ndarray, second: np.ndarray, names: tuple[str, str]) -> None:
    """Raise :class:`MetricInputError` unless two arrays have the same shape.

    Example:
        >>> same_shape(np.zeros((2, 3)), np.ones((2, 3)), ("a", "b"))
    """
    if first.shape != second.shape:
        raise MetricInputError(
            f"{names[0]} and {names[1]} must have the same shape (one output per target); "
            f"got {first.shape} and {second.shape}."
        )


def same_image_size(first: np.ndarray, second: np.ndarray, names: tuple[str, str]) -> None:
    """Raise :class:`MetricInputError` unless two image batches share height, width, channels.

    Example:
        >>> same_image_size(np.zeros((2, 8, 8, 1)), np.ones((5, 8, 8, 1)), ("real", "fake"))
    """
    if first.shape[1:] != second.shape[1:]:
        raise MetricInputError(
            f"{names[0]} and {names[1]} must be images of the same size and channels; got "
            f"{first.shape[1:]} and {second.shape[1:]} (height, width, channels)."
        )
