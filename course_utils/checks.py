"""Input checks for the whole package: one clear message for each kind of wrong argument.

Every function a notebook calls passes its arguments through these checks first, so a student
who hands over images in [-1, 1], a batch with the wrong shape, a count of ``2.5`` or a seed of
``-1`` reads what was wrong and what to do, not a NumPy traceback. All of them raise
:class:`InputError`, a ``ValueError``.

Example:
    >>> import numpy as np
    >>> as_points(np.zeros((4, 2)), "points").shape
    (4, 2)
    >>> whole_number(3, "n")
    3
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

# Images may overshoot [0, 1] by float round-off (e.g. a sigmoid output rescaled); beyond
# this they are in another range and the caller must rescale them.
RANGE_TOLERANCE = 1e-3
_DIVERGED = "contains NaN or infinite values: the generator diverged. Restart training (a smaller learning rate often helps)."


class InputError(ValueError):
    """An argument has the wrong type, shape, range or size."""


def whole_number(value: Any, name: str, minimum: int = 1) -> int:
    """Return ``value`` as an ``int`` after checking it is a whole number ``>= minimum``.

    Example:
        >>> whole_number(32, "size", minimum=8)
        32
    """
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < minimum:
        wanted = "a positive whole number" if minimum == 1 else f"a whole number, at least {minimum}"
        raise InputError(f"{name} must be {wanted}; got {value!r}.")
    return int(value)


def make_rng(seed: int | None) -> np.random.Generator:
    """Return a NumPy generator: reproducible for a whole-number seed, fresh for ``None``.

    Example:
        >>> float(make_rng(1).random()) == float(make_rng(1).random())
        True
    """
    if seed is not None:
        seed = whole_number(seed, "seed", minimum=0)
    return np.random.default_rng(seed)


def value_range(limits: Sequence[float]) -> tuple[float, float]:
    """Return a pixel range such as ``(0, 1)`` or ``(-1, 1)`` as two floats ``low < high``.

    Example:
        >>> value_range((-1, 1))
        (-1.0, 1.0)
    """
    try:
        low, high = (float(value) for value in limits)
    except (TypeError, ValueError):
        raise InputError(
            f"value_range must be two numbers (low, high), e.g. (0, 1) or (-1, 1); got {limits!r}."
        ) from None
    if not (np.isfinite(low) and np.isfinite(high) and low < high):
        raise InputError(f"value_range must have low < high, got {limits!r}.")
    return low, high


def as_number(value: Any, name: str) -> float:
    """Return one number (a float, NumPy scalar or scalar tensor) as a Python float.

    Example:
        >>> as_number(np.float32(0.5), "d_loss")
        0.5
    """
    try:
        return float(np.asarray(value).reshape(()))
    except (TypeError, ValueError):
        raise InputError(
            f"{name}={value!r} must be one number (a float or a scalar tensor), e.g. float({name})."
        ) from None


def _as_array(values: Any, name: str, dtype: type = np.float64) -> np.ndarray:
    if hasattr(values, "numpy") and callable(values.numpy):  # a TensorFlow / Keras tensor
        values = values.numpy()
    try:
        return np.asarray(values, dtype=dtype)
    except (TypeError, ValueError):
        raise InputError(f"{name} must be an array of numbers, got {type(values).__name__}.") from None


def _enough_and_finite(array: np.ndarray, name: str, min_count: int, unit: str) -> np.ndarray:
    if array.shape[0] < min_count:
        raise InputError(f"{name} holds {array.shape[0]} {unit}; this needs at least {min_count}.")
    if not np.all(np.isfinite(array)):
        raise InputError(f"{name} {_DIVERGED}")
    return array


def as_points(values: Any, name: str, dims: int = 2, min_count: int = 1) -> np.ndarray:
    """Return ``values`` as a float64 array of shape ``(n, dims)`` after checking it.

    Raises:
        InputError: for the wrong shape, too few points, or NaN/inf values.

    Example:
        >>> as_points([[0.0, 1.0], [2.0, 3.0]], "points").dtype
        dtype('float64')
    """
    array = _as_array(values, name)
    if array.ndim != 2 or array.shape[1] != dims:
        raise InputError(
            f"{name} must have shape (n, {dims}): one row of {dims} numbers per sample; "
            f"got shape {array.shape}."
        )
    return _enough_and_finite(array, name, min_count, "samples")


def as_images(values: Any, name: str, min_count: int = 1) -> np.ndarray:
    """Return ``values`` as float32 images ``(n, height, width, channels)`` with values in [0, 1].

    Raises:
        InputError: for a shape that is not NHWC with 1 or 3 channels, too few images,
            NaN/inf, or values outside [0, 1] (e.g. a tanh generator's [-1, 1] output, with
            the fix ``(images + 1) / 2`` in the message).

    Example:
        >>> as_images(np.zeros((2, 32, 32, 1)), "images").shape
        (2, 32, 32, 1)
    """
    array = _as_array(values, name, dtype=np.float32)
    if array.ndim == 3:
        raise InputError(
            f"{name} has shape {array.shape}: images need a channel axis, (n, height, width, "
            f"channels). For grey images add it with {name}[..., None]."
        )
    if array.ndim != 4 or array.shape[-1] not in (1, 3):
        raise InputError(
            f"{name} must have shape (n, height, width, channels) with 1 or 3 channels; "
            f"got shape {array.shape}."
        )
    _enough_and_finite(array, name, min_count, "images")
    low, high = float(array.min()), float(array.max())
    if low < -RANGE_TOLERANCE or high > 1.0 + RANGE_TOLERANCE:
        hint = ""
        if low >= -1.0 - RANGE_TOLERANCE and high <= 1.0 + RANGE_TOLERANCE:
            hint = " They look like tanh outputs in [-1, 1]: pass (images + 1) / 2."
        elif high <= 255.0 and low >= 0.0:
            hint = " They look like 0-255 pixels: pass images / 255."
        raise InputError(
            f"{name} must hold pixel values in [0, 1]; got values from {low:.3g} to {high:.3g}." + hint
        )
    return np.clip(array, 0.0, 1.0) if low < 0.0 or high > 1.0 else array


def same_shape(first: np.ndarray, second: np.ndarray, names: tuple[str, str]) -> None:
    """Raise :class:`InputError` unless two arrays have the same shape.

    Example:
        >>> same_shape(np.zeros((2, 3)), np.ones((2, 3)), ("a", "b"))
    """
    if first.shape != second.shape:
        raise InputError(
            f"{names[0]} and {names[1]} must have the same shape (one output per target); "
            f"got {first.shape} and {second.shape}."
        )


def same_image_size(first: np.ndarray, second: np.ndarray, names: tuple[str, str]) -> None:
    """Raise :class:`InputError` unless two image batches share height, width, channels.

    Example:
        >>> same_image_size(np.zeros((2, 8, 8, 1)), np.ones((5, 8, 8, 1)), ("real", "fake"))
    """
    if first.shape[1:] != second.shape[1:]:
        raise InputError(
            f"{names[0]} and {names[1]} must be images of the same size and channels; got "
            f"{first.shape[1:]} and {second.shape[1:]} (height, width, channels)."
        )
