"""What surrounds a rendered road sign: the street scene behind it and the camera that takes it.

:func:`street_backgrounds` paints sky, foliage, walls or night scenes (a two-colour gradient,
smooth shading, a finer texture, flat blocks on walls) and :func:`add_poles` the grey pole a sign
is mounted on; :func:`photograph` then applies blur, uneven light, colour cast, sensor noise and
gamma, one random setting per image. Everything works on channels-first batches
``(n, 3, size, size)`` of ``float32`` in ``[0, 1]``, so per-image settings broadcast over whole
contiguous rows (much faster in NumPy than over a trailing axis of 3).

Example:
    >>> import numpy as np
    >>> rng = np.random.default_rng(0)
    >>> photograph(street_backgrounds(2, 16, rng), rng).shape
    (2, 3, 16, 16)
"""

from __future__ import annotations

import functools

import numpy as np

SCENE_KINDS: tuple[str, ...] = ("sky", "foliage", "wall", "night")
SCENE_PROBABILITIES = np.array([0.25, 0.32, 0.28, 0.15])
# (low-frequency amplitude, fine-texture amplitude) per kind of scene.
_TEXTURE_AMPLITUDES = np.array([[0.04, 0.015], [0.10, 0.20], [0.06, 0.05], [0.05, 0.03]])
_TILE_FACTOR = 4  # cached texture tiles are this many images wide
_NOISE_SEED = 20240602


def _hsv_to_rgb(hue: np.ndarray, saturation: np.ndarray, value: np.ndarray) -> np.ndarray:
    """Convert arrays of hue, saturation, value (each in ``[0, 1]``) to RGB, shape ``(..., 3)``."""
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


@functools.lru_cache(maxsize=32)
def _interpolation_matrix(source: int, target: int) -> np.ndarray:
    """Return the ``(target, source)`` matrix that resizes a signal linearly (pixel centres)."""
    positions = np.clip((np.arange(target) + 0.5) * source / target - 0.5, 0, source - 1)
    below = np.floor(positions).astype(int)
    above = np.minimum(below + 1, source - 1)
    weight_above = positions - below
    matrix = np.zeros((target, source), dtype=np.float32)
    matrix[np.arange(target), below] += 1.0 - weight_above
    matrix[np.arange(target), above] += weight_above
    return matrix


def _smooth_noise(n: int, channels: int, size: int, cells: int,
                 rng: np.random.Generator) -> np.ndarray:
    """Return ``(n, channels, size, size)`` noise with about ``cells`` blobs across, std <= 1."""
    grid = rng.standard_normal((n, channels, cells, cells), dtype=np.float32)
    matrix = _interpolation_matrix(cells, size)
    return matrix @ grid @ matrix.T


@functools.lru_cache(maxsize=8)
def _texture_tile(size: int, cells_per_image: float, seed: int) -> np.ndarray:
    """A large fixed tile of noise (1 brightness + 3 colour channels) to crop images from."""
    side = _TILE_FACTOR * size
    cells = max(2, round(_TILE_FACTOR * cells_per_image))
    tile = _smooth_noise(1, 4, side, cells, np.random.default_rng(seed))[0]
    tile /= tile.std()
    tile.setflags(write=False)
    return tile


def _tile_crops(tile: np.ndarray, n: int, size: int, rng: np.random.Generator) -> np.ndarray:
    """Return ``n`` crops ``(n, channels, size, size)`` at random places of a cached tile."""
    starts = rng.integers(0, tile.shape[1] - size + 1, size=(n, 2))
    crops = np.empty((n, tile.shape[0], size, size), dtype=np.float32)
    for index, (top, left) in enumerate(starts):
        crops[index] = tile[:, top:top + size, left:left + size]
    return crops


def _fine_texture(n: int, size: int, rng: np.random.Generator) -> np.ndarray:
    """Return ``(n, 4, size, size)`` fine texture (brightness + colour) of std about 1."""
    return _tile_crops(_texture_tile(size, max(4, size // 3), 20240601), n, size, rng)


def _scene_colours(kinds: np.ndarray, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Two colours per image (the ends of its gradient), by kind of scene: (n, 3) each."""
    n = len(kinds)
    ends = []
    for end in range(2):
        u = rng.random((3, n))
        hue = np.select(
            [kinds == 0, kinds == 1], [0.53 + 0.1 * u[0], 0.12 + 0.24 * u[0]], default=u[0]
        )
        saturation = np.select(
            [kinds == 0, kinds == 1, kinds == 2],
            [(0.15 + 0.45 * u[1]) * (1.0 - 0.7 * end), 0.25 + 0.5 * u[1], 0.2 * u[1]],
            default=0.3 * u[1],
        )
        value = np.select(
            [kinds == 0, kinds == 1, kinds == 2],
            [0.62 + 0.33 * u[2], 0.15 + 0.45 * u[2], 0.3 + 0.5 * u[2]],
            default=0.04 + 0.2 * u[2],
        )
        ends.append(_hsv_to_rgb(hue, saturation, value).astype(np.float32))
    return ends[0], ends[1]


def _blocks(n: int, size: int, rng: np.random.Generator, count: int = 3) -> np.ndarray:
    """Multiplicative shading of up to ``count`` random flat rectangles: (n, 1, size, size)."""
    shade = np.ones((n, 1, size, size), dtype=np.float32)
    coordinates = np.arange(size)
    for _ in range(count):
        x0, x1 = np.sort(rng.integers(-size // 4, size + size // 4, size=(2, n)), axis=0)
        y0, y1 = np.sort(rng.integers(-size // 4, size + size // 4, size=(2, n)), axis=0)
        inside_x = (coordinates[None, :] >= x0[:, None]) & (coordinates[None, :] < x1[:, None])
        inside_y = (coordinates[None, :] >= y0[:, None]) & (coordinates[None, :] < y1[:, None])
        factor = rng.uniform(0.65, 1.35, size=n).astype(np.float32)
        shade[:, 0] *= np.where(inside_y[:, :, None] & inside_x[:, None, :],
                                factor[:, None, None], np.float32(1.0))
    return shade


def add_poles(images: np.ndarray, centres: np.ndarray, widths: np.ndarray,
              rng: np.random.Generator, probability: float = 0.45) -> np.ndarray:
    """Paint a grey pole from each sign's centre to the bottom, on about ``probability`` of them.

    ``images`` are channels-first; ``centres`` are (x, y) pixels and ``widths`` the pole widths
    in pixels, one per image.

    Example:
        >>> import numpy as np
        >>> out = add_poles(np.zeros((1, 3, 8, 8), np.float32), np.array([[4.0, 4.0]]),
        ...                 np.array([2.0]), np.random.default_rng(0), probability=1.0)
        >>> float(out[0, 0, 7, 4]) > 0
        True
    """
    n, size = images.shape[0], images.shape[2]
    has_pole = rng.random(n) < probability
    grey = rng.uniform(0.3, 0.7, size=n).astype(np.float32)
    poles = np.flatnonzero(has_pole)
    if len(poles) == 0:
        return images
    coordinates = np.arange(size, dtype=np.float32) + 0.5
    half_width = (widths[poles].astype(np.float32) / 2)[:, None]
    across = (coordinates[None, :] - centres[poles, 0, None].astype(np.float32)) / half_width
    coverage_x = np.clip((1.0 - np.abs(across)) * half_width + 0.5, 0.0, 1.0)  # (p, size)
    below = coordinates[None, :] >= centres[poles, 1, None]  # (p, size)
    coverage = np.where(below[:, :, None], coverage_x[:, None, :], np.float32(0.0))[:, None]
    lit = 0.75 + 0.35 * np.sqrt(np.clip(1.0 - across**2, 0.0, 1.0))  # a lit cylinder
    pole = (grey[poles, None] * lit)[:, None, None, :]
    images[poles] += coverage * (pole - images[poles])
    return images


def street_backgrounds(n: int, size: int, rng: np.random.Generator) -> np.ndarray:
    """Return ``n`` varied street-scene backgrounds, ``float32`` ``(n, 3, size, size)``.

    Example:
        >>> import numpy as np
        >>> backgrounds = street_backgrounds(4, 32, np.random.default_rng(1))
        >>> backgrounds.dtype, bool(backgrounds.min() >= 0 and backgrounds.max() <= 1)
        (dtype('float32'), True)
    """
    kinds = rng.choice(len(SCENE_KINDS), size=n, p=SCENE_PROBABILITIES)
    first, second = _scene_colours(kinds, rng)
    angle = np.where(kinds == 0, np.pi / 2, rng.uniform(0, 2 * np.pi, size=n)).astype(np.float32)
    coordinates = (np.arange(size, dtype=np.float32) + 0.5) / size - 0.5
    ramp = (np.cos(angle)[:, None, None] * coordinates[None, None, :]
            + np.sin(angle)[:, None, None] * coordinates[None, :, None]) + np.float32(0.5)
    ramp = np.clip(ramp, 0.0, 1.0)[:, None]  # (n, 1, size, size)
    images = first[:, :, None, None] + ramp * (second - first)[:, :, None, None]
    amplitudes = _TEXTURE_AMPLITUDES[kinds].astype(np.float32)
    low = _smooth_noise(n, 1, size, 3, rng)
    images *= 1.0 + (2.0 * amplitudes[:, 0, None, None, None]) * low
    texture = _fine_texture(n, size, rng)
    fine = texture[:, 1:] * np.float32(0.35)
    fine += texture[:, :1]
    fine *= amplitudes[:, 1, None, None, None]
    images += fine * (images + np.float32(0.4))
    walls = np.flatnonzero((kinds == 2) | (rng.random(n) < 0.15))
    images[walls] *= _blocks(len(walls), size, rng)
    return np.clip(images, 0.0, 1.0, out=images)


def _blur_matrices(sigma: np.ndarray, size: int) -> np.ndarray:
    """Return one ``(size, size)`` Gaussian blur matrix per standard deviation (pixels)."""
    sigma = np.maximum(np.asarray(sigma, dtype=np.float32), np.float32(1e-3))
    offsets = np.arange(size, dtype=np.float32)
    distance = offsets[None, :, None] - offsets[None, None, :]
    weights = np.exp(-0.5 * (distance / sigma[:, None, None]) ** 2)
    return weights / weights.sum(axis=2, keepdims=True)


def _gaussian_blur(images: np.ndarray, sigma_x: np.ndarray, sigma_y: np.ndarray) -> np.ndarray:
    """Blur each channels-first image with its own standard deviation (pixels) across and down."""
    down = _blur_matrices(sigma_y, images.shape[2])[:, None]  # (n, 1, h, h)
    across_transposed = np.ascontiguousarray(
        _blur_matrices(sigma_x, images.shape[3]).transpose(0, 2, 1)
    )[:, None]  # (n, 1, w, w)
    return down @ images @ across_transposed


def _random_blur(images: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Blur as out-of-focus and small-in-the-frame photos are: mild for most, some directional."""
    n = len(images)
    base = rng.uniform(0.25, 0.85, size=n)
    motion = np.where(rng.random(n) < 0.25, rng.uniform(0.3, 1.0, size=n), 0.0)
    horizontal = rng.random(n) < 0.6
    sigma_x = np.sqrt(base**2 + np.where(horizontal, motion, 0.0) ** 2)
    sigma_y = np.sqrt(base**2 + np.where(horizontal, 0.0, motion) ** 2)
    return _gaussian_blur(images, sigma_x, sigma_y)


def _per_image(values: np.ndarray) -> np.ndarray:
    return values.astype(np.float32).reshape(len(values), -1, 1, 1)


def _random_lighting(images: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Uneven light, saturation, contrast, exposure and colour cast, per image (in place)."""
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


def _sensor_noise(images: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Add Gaussian noise (mostly brightness, some colour) of a random strength per image."""
    n, _, size, _ = images.shape
    noise = _tile_crops(_white_noise_tile(size), n, size, rng)  # (n, 4, size, size)
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


def _random_gamma(images: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Clip to ``[0, 1]`` and apply a random gamma per image (in place)."""
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
    images = _random_blur(images, rng)
    images = _random_lighting(images, rng)
    images = _sensor_noise(images, rng)
    return _random_gamma(images, rng)
