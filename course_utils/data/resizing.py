"""Resize a batch of images with Pillow's anti-aliased filters (one image at a time).

Example:
    >>> import numpy as np
    >>> resize_images(np.zeros((2, 8, 8, 1), np.float32), 16).shape
    (2, 16, 16, 1)
"""

from __future__ import annotations

import numpy as np
from PIL import Image

RESAMPLING = {
    "bicubic": Image.Resampling.BICUBIC,
    "bilinear": Image.Resampling.BILINEAR,
    "lanczos": Image.Resampling.LANCZOS,
    "box": Image.Resampling.BOX,
}


def resize_images(images: np.ndarray, size: int, method: str = "bicubic") -> np.ndarray:
    """Resize ``(n, h, w, c)`` float images to ``(n, size, size, c)`` ``float32`` (Pillow's float
    mode, clipped to ``[0, 1]``: cubic filters overshoot slightly at sharp edges).

    Example:
        >>> import numpy as np
        >>> out = resize_images(np.ones((1, 4, 6, 3), np.float32), 5)
        >>> out.shape, float(out.min())
        ((1, 5, 5, 3), 1.0)
    """
    images = np.asarray(images, dtype=np.float32)
    if images.ndim != 4:
        raise ValueError(
            f"Expected images of shape (n, height, width, channels); got {images.shape}."
        )
    if method not in RESAMPLING:
        raise ValueError(f"Unknown resize method {method!r}; use one of {sorted(RESAMPLING)}.")
    n, height, width, channels = images.shape
    if (height, width) == (size, size):
        return images.copy()
    resample = RESAMPLING[method]
    result = np.empty((n, size, size, channels), dtype=np.float32)
    for index in range(n):
        for channel in range(channels):
            plane = Image.fromarray(images[index, :, :, channel], mode="F")
            result[index, :, :, channel] = np.asarray(plane.resize((size, size), resample))
    return np.clip(result, 0.0, 1.0, out=result)


def resize_uint8_image(image: np.ndarray | Image.Image, size: int) -> np.ndarray:
    """Resize one RGB/greyscale 8-bit image to ``size x size`` (Lanczos), as ``uint8``.

    Example:
        >>> import numpy as np
        >>> resize_uint8_image(np.zeros((10, 20, 3), np.uint8), 4).shape
        (4, 4, 3)
    """
    picture = image if isinstance(image, Image.Image) else Image.fromarray(np.asarray(image))
    return np.asarray(picture.resize((size, size), Image.Resampling.LANCZOS))
