"""Vectorised HSV -> RGB for arrays of colours (the renderers pick colours by hue).

Example:
    >>> import numpy as np
    >>> hsv_to_rgb(np.array([0.0]), np.array([1.0]), np.array([1.0])).tolist()
    [[1.0, 0.0, 0.0]]
"""

from __future__ import annotations

import numpy as np


def hsv_to_rgb(hue: np.ndarray, saturation: np.ndarray, value: np.ndarray) -> np.ndarray:
    """Convert arrays of hue, saturation, value (each in ``[0, 1]``) to RGB, shape ``(..., 3)``.

    Example:
        >>> import numpy as np
        >>> hsv_to_rgb(np.array([1 / 3]), np.array([1.0]), np.array([0.5])).round(3).tolist()
        [[0.0, 0.5, 0.0]]
    """
    hue = np.mod(np.asarray(hue, dtype=np.float64), 1.0) * 6.0
    saturation = np.asarray(saturation, dtype=np.float64)
    value = np.asarray(value, dtype=np.float64)
    sector = np.floor(hue).astype(int) % 6
    fraction = hue - np.floor(hue)
    p = value * (1.0 - saturation)
    q = value * (1.0 - saturation * fraction)
    t = value * (1.0 - saturation * (1.0 - fraction))
    choices_r = [value, q, p, p, t, value]
    choices_g = [t, value, value, q, p, p]
    choices_b = [p, p, t, value, value, q]
    red = np.choose(sector, choices_r)
    green = np.choose(sector, choices_g)
    blue = np.choose(sector, choices_b)
    return np.stack([red, green, blue], axis=-1)
