"""Camera effects for rendered images: blur, lighting, colour cast, sensor noise and gamma.

Each function works on a channels-first batch ``(n, 3, h, w)`` of ``float32`` images in
``[0, 1]`` (per-image settings then broadcast over contiguous rows, which is fast), with one
random setting per image drawn from the generator it is given.

Example:
    >>> import numpy as np
    >>> images = np.full((2, 3, 8, 8), 0.5, np.float32)
    >>> photograph(images, np.random.default_rng(0)).shape
    (2, 3, 8, 8)
"""

from __future__ import annotations

import functools

import numpy as np

from course_utils.data.scenery import tile_crops

_NOISE_SEED = 20240602


def blur_matrices(sigma: np.ndarray, size: int) -> np.ndarray:
    """Return one ``(size, size)`` Gaussian blur matrix per standard deviation (pixels).

    Row ``i`` holds the weights of the pixels that blur into pixel ``i``; rows are renormalised
    at the image border (the border is not darkened). A standard deviation of 0 gives the
    identity.

    Example:
        >>> import numpy as np
        >>> blur_matrices(np.array([0.0, 1.0]), 5).sum(axis=2).round(6).tolist()
        [[1.0, 1.0, 1.0, 1.0, 1.0], [1.0, 1.0, 1.0, 1.0, 1.0]]
    """
    sigma = np.maximum(np.asarray(sigma, dtype=np.float32), np.float32(1e-3))
    offsets = np.arange(size, dtype=np.float32)
    distance = offsets[None, :, None] - offsets[None, None, :]
    weights = np.exp(-0.5 * (distance / sigma[:, None, None]) ** 2)
    return weights / weights.sum(axis=2, keepdims=True)


def gaussian_blur(images: np.ndarray, sigma_x: np.ndarray, sigma_y: np.ndarray) -> np.ndarray:
    """Blur each channels-first image with its own standard deviation (pixels) across and down.

    Different ``sigma_x`` and ``sigma_y`` give a directional (motion-like) blur. The blur is
    separable: ``down @ image @ across.T`` per image and channel.

    Example:
        >>> import numpy as np
        >>> image = np.zeros((1, 3, 9, 9), np.float32); image[0, :, 4, 4] = 1
        >>> blurred = gaussian_blur(image, np.array([1.0]), np.array([1.0]))
        >>> round(float(blurred.sum()), 1), float(blurred[0, 0, 4, 4]) < 1
        (3.0, True)
    """
    down = blur_matrices(sigma_y, images.shape[2])[:, None]  # (n, 1, h, h)
    across_transposed = np.ascontiguousarray(
        blur_matrices(sigma_x, images.shape[3]).transpose(0, 2, 1)
    )[:, None]  # (n, 1, w, w)
    return down @ images @ across_transposed


def random_blur(images: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Blur as out-of-focus and small-in-the-frame photos are: mild for most, some directional.

    Example:
        >>> import numpy as np
        >>> random_blur(np.zeros((3, 3, 8, 8), np.float32), np.random.default_rng(0)).shape
        (3, 3, 8, 8)
    """
    n = len(images)
    base = rng.uniform(0.25, 0.85, size=n)
    motion = np.where(rng.random(n) < 0.25, rng.uniform(0.3, 1.0, size=n), 0.0)
    horizontal = rng.random(n) < 0.6
    sigma_x = np.sqrt(base**2 + np.where(horizontal, motion, 0.0) ** 2)
    sigma_y = np.sqrt(base**2 + np.where(horizontal, 0.0, motion) ** 2)
    return gaussian_blur(images, sigma_x, sigma_y)


def _per_image(values: np.ndarray) -> np.ndarray:
    return values.astype(np.float32).reshape(len(values), -1, 1, 1)


def random_lighting(images: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Uneven light, saturation, contrast, exposure and colour cast, per image (in place).

    Exposure is skewed dark, as in road-side photos taken at dusk or in shade. Values may leave
    ``[0, 1]``; :func:`photograph` clips at the end.

    Example:
        >>> import numpy as np
        >>> out = random_lighting(np.full((4, 3, 8, 8), 0.5, np.float32), np.random.default_rng(0))
        >>> out.shape
        (4, 3, 8, 8)
    """
    n, _, height, width = images.shape
    # saturation about each pixel's grey, then contrast about the image's mean
    saturation = _per_image(rng.uniform(0.55, 1.2, size=n))
    grey = images.mean(axis=1, keepdims=True)
    images -= grey
    images *= saturation
    images += grey
    contrast = _per_image(rng.uniform(0.65, 1.2, size=n))
    mean = images.mean(axis=(1, 2, 3), keepdims=True)
    images -= mean
    images *= contrast
    images += mean
    # exposure with a colour cast (white balance), and light falling off across the image
    exposure = np.exp(rng.uniform(np.log(0.3), np.log(1.3), size=(n, 1)))
    cast = np.exp(rng.normal(0.0, 0.06, size=(n, 3)))
    images *= _per_image(exposure * cast)
    angle = rng.uniform(0, 2 * np.pi, size=n).astype(np.float32)
    strength = rng.uniform(0.0, 0.45, size=n).astype(np.float32)
    ys = (np.arange(height, dtype=np.float32) + 0.5) / height - 0.5
    xs = (np.arange(width, dtype=np.float32) + 0.5) / width - 0.5
    ramp = (np.cos(angle)[:, None, None] * xs[None, None, :]
            + np.sin(angle)[:, None, None] * ys[None, :, None])
    images *= (1.0 + strength[:, None, None] * ramp)[:, None]
    return images


def sensor_noise(images: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Add Gaussian noise (mostly brightness, some colour) of a random strength per image.

    The noise is cropped from a cached tile of white noise (fast), at a random place per image.

    Example:
        >>> import numpy as np
        >>> sensor_noise(np.zeros((2, 3, 4, 4), np.float32), np.random.default_rng(0)).dtype
        dtype('float32')
    """
    n, _, size, _ = images.shape
    noise = tile_crops(_white_noise_tile(size), n, size, rng)  # (n, 4, size, size)
    strength = _per_image(rng.uniform(0.003, 0.03, size=n))
    mixed = noise[:, 1:] * np.float32(0.45)
    mixed += np.float32(0.8) * noise[:, :1]
    mixed *= strength
    images += mixed
    return images


@functools.lru_cache(maxsize=8)
def _white_noise_tile(size: int) -> np.ndarray:
    """A fixed tile of white Gaussian noise (1 brightness + 3 colour channels), 4 images wide."""
    tile = np.random.default_rng(_NOISE_SEED).standard_normal((4, 4 * size, 4 * size), np.float32)
    tile.setflags(write=False)
    return tile


def random_gamma(images: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Clip to ``[0, 1]`` and apply a random gamma per image (in place).

    Example:
        >>> import numpy as np
        >>> out = random_gamma(np.full((2, 3, 4, 4), 2.0, np.float32), np.random.default_rng(0))
        >>> float(out.max())
        1.0
    """
    gamma = _per_image(np.exp(rng.uniform(np.log(0.75), np.log(1.35), size=len(images))))
    np.clip(images, 0.0, 1.0, out=images)
    return np.power(images, gamma, out=images)


def photograph(images: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Apply blur, lighting, noise and gamma in the order a camera would; clip to ``[0, 1]``.

    Example:
        >>> import numpy as np
        >>> out = photograph(np.random.default_rng(0).random((2, 3, 8, 8), np.float32),
        ...                  np.random.default_rng(1))
        >>> bool(out.min() >= 0 and out.max() <= 1)
        True
    """
    images = random_blur(images, rng)
    images = random_lighting(images, rng)
    images = sensor_noise(images, rng)
    return random_gamma(images, rng)
