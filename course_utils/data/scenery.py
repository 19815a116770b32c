"""Street-scene backgrounds for the road-sign renderer: sky, foliage, walls, night, and poles.

Everything is vectorised over a batch and works channels-first, ``(n, 3, size, size)``, so that
per-image colours broadcast over whole contiguous rows (much faster in NumPy than broadcasting
over a trailing axis of 3). A background is a two-colour gradient, plus smooth low-frequency
shading, plus a finer texture (strong for foliage), plus, for walls, a few flat blocks; some
images also get the grey pole the sign is mounted on.

Example:
    >>> import numpy as np
    >>> street_backgrounds(2, 16, np.random.default_rng(0)).shape
    (2, 3, 16, 16)
"""

from __future__ import annotations

import functools

import numpy as np

from course_utils.data.colour_space import hsv_to_rgb

SCENE_KINDS: tuple[str, ...] = ("sky", "foliage", "wall", "night")
SCENE_PROBABILITIES = np.array([0.25, 0.32, 0.28, 0.15])
# (low-frequency amplitude, fine-texture amplitude) per kind of scene.
_TEXTURE_AMPLITUDES = np.array([[0.04, 0.015], [0.10, 0.20], [0.06, 0.05], [0.05, 0.03]])
_TILE_FACTOR = 4  # cached texture tiles are this many images wide


@functools.lru_cache(maxsize=32)
def interpolation_matrix(source: int, target: int) -> np.ndarray:
    """Return the ``(target, source)`` matrix that resizes a signal linearly (pixel centres).

    ``M @ signal`` resizes along one axis; ``M @ grid @ M.T`` resizes an image.

    Example:
        >>> interpolation_matrix(2, 4).sum(axis=1).tolist()
        [1.0, 1.0, 1.0, 1.0]
    """
    positions = np.clip((np.arange(target) + 0.5) * source / target - 0.5, 0, source - 1)
    below = np.floor(positions).astype(int)
    above = np.minimum(below + 1, source - 1)
    weight_above = positions - below
    matrix = np.zeros((target, source), dtype=np.float32)
    matrix[np.arange(target), below] += 1.0 - weight_above
    matrix[np.arange(target), above] += weight_above
    return matrix


def smooth_noise(n: int, channels: int, size: int, cells: int,
                 rng: np.random.Generator) -> np.ndarray:
    """Return ``(n, channels, size, size)`` noise with about ``cells`` blobs across, std <= 1.

    Example:
        >>> smooth_noise(1, 1, 8, 2, np.random.default_rng(0)).shape
        (1, 1, 8, 8)
    """
    grid = rng.standard_normal((n, channels, cells, cells), dtype=np.float32)
    matrix = interpolation_matrix(cells, size)
    return matrix @ grid @ matrix.T


@functools.lru_cache(maxsize=8)
def _texture_tile(size: int, cells_per_image: float, seed: int) -> np.ndarray:
    """A large fixed tile of noise (1 brightness + 3 colour channels) to crop images from."""
    side = _TILE_FACTOR * size
    cells = max(2, round(_TILE_FACTOR * cells_per_image))
    tile = smooth_noise(1, 4, side, cells, np.random.default_rng(seed))[0]
    tile /= tile.std()
    tile.setflags(write=False)
    return tile


def tile_crops(tile: np.ndarray, n: int, size: int, rng: np.random.Generator) -> np.ndarray:
    """Return ``n`` crops ``(n, channels, size, size)`` at random places of a cached tile.

    Cropping one cached tile is much faster than making new noise for every image, and a tile
    4 images wide offers ``(3 size + 1)^2`` different crops, so no two images look alike.

    Example:
        >>> import numpy as np
        >>> tile_crops(np.zeros((4, 64, 64), np.float32), 2, 8, np.random.default_rng(0)).shape
        (2, 4, 8, 8)
    """
    starts = rng.integers(0, tile.shape[1] - size + 1, size=(n, 2))
    crops = np.empty((n, tile.shape[0], size, size), dtype=np.float32)
    for index, (top, left) in enumerate(starts):
        crops[index] = tile[:, top:top + size, left:left + size]
    return crops


def fine_texture(n: int, size: int, rng: np.random.Generator) -> np.ndarray:
    """Return ``(n, 4, size, size)`` fine texture (brightness + colour) of std about 1.

    Example:
        >>> import numpy as np
        >>> fine_texture(2, 8, np.random.default_rng(0)).shape
        (2, 4, 8, 8)
    """
    return tile_crops(_texture_tile(size, max(4, size // 3), 20240601), n, size, rng)


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
        ends.append(hsv_to_rgb(hue, saturation, value).astype(np.float32))
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
    low = smooth_noise(n, 1, size, 3, rng)
    images *= 1.0 + (2.0 * amplitudes[:, 0, None, None, None]) * low
    texture = fine_texture(n, size, rng)
    fine = texture[:, 1:] * np.float32(0.35)
    fine += texture[:, :1]
    fine *= amplitudes[:, 1, None, None, None]
    images += fine * (images + np.float32(0.4))
    walls = np.flatnonzero((kinds == 2) | (rng.random(n) < 0.15))
    images[walls] *= _blocks(len(walls), size, rng)
    return np.clip(images, 0.0, 1.0, out=images)
