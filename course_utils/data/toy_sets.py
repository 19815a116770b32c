"""The small synthetic data sets of the first notebooks, each generated from a seed.

- :func:`sin_curve` (01): points ``[x, sin x]``, x uniform in ``[-3.5, 3.5]``;
- Slanted Land (02), from the PixelCNN/VAE/GAN lecture's quiz: 2x2 greyscale images where
  everyone leans back 45 degrees, so a face has its two diagonal pixels dark (uniform in
  ``[0.5, 1]``; **1 is dark, 0 is white**, as in the lecture) and the two others light (in
  ``[0, 0.5]``); noise is uniform in ``[0, 1]``, redrawn wherever it has a face's pattern;
- :data:`FGAN_MIXTURE` (03), the target of the GAN-theory lecture's f-GAN experiment,
  ``0.33 N(-1, 0.255^2) + 0.67 N(2, 1.415^2)``, a :class:`GaussianMixture1D` with its exact
  density and CDF;
- :func:`vertical_lines` (05), as in the hands-on lecture: white (1) lines one pixel wide and
  full height, at random columns that never touch, on black (0);
- the ring and grid of Gaussians (08), the standard mode-collapse tests (each sample picks a
  mode uniformly at random).

Point clouds are ``float32`` ``(n, 2)``.

Example:
    >>> sin_curve(4, seed=0).shape, slanted_land_faces(2, seed=0).shape, vertical_lines(3, seed=0).shape
    ((4, 2), (2, 2, 2), (3, 32, 32, 1))
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from course_utils.checks import make_rng, whole_number

SIN_X_RANGE: tuple[float, float] = (-3.5, 3.5)
RING_RADIUS: float = 1.0
RING_MODES: int = 8
GRID_VALUES: tuple[float, ...] = (-4.0, -2.0, 0.0, 2.0, 4.0)
FACE_DARK_RANGE: tuple[float, float] = (0.5, 1.0)
FACE_LIGHT_RANGE: tuple[float, float] = (0.0, 0.5)
BACKGROUND_VALUE: float = 0.0
LINE_VALUE: float = 1.0


def sin_curve(n: int, seed: int | None = None) -> np.ndarray:
    """Return ``n`` points ``[x, sin x]`` with ``x`` uniform in ``[-3.5, 3.5]``.

    Example:
        >>> points = sin_curve(1000, seed=1)
        >>> bool(np.allclose(points[:, 1], np.sin(points[:, 0]), atol=1e-6))
        True
    """
    n = whole_number(n, "n")
    x = make_rng(seed).uniform(SIN_X_RANGE[0], SIN_X_RANGE[1], size=n)
    return np.stack([x, np.sin(x)], axis=1).astype(np.float32)


def ring_modes() -> np.ndarray:
    """Return the 8 centres of the ring, evenly spaced on the unit circle (first at angle 0).

    Example:
        >>> ring_modes().shape
        (8, 2)
    """
    angles = np.linspace(0.0, 2.0 * np.pi, RING_MODES, endpoint=False)
    return (RING_RADIUS * np.stack([np.cos(angles), np.sin(angles)], axis=1)).astype(np.float32)


def grid_modes() -> np.ndarray:
    """Return the 25 centres of the grid, at ``{-4, -2, 0, 2, 4}^2`` (row by row).

    Example:
        >>> grid_modes()[:2].tolist()
        [[-4.0, -4.0], [-4.0, -2.0]]
    """
    xs, ys = np.meshgrid(GRID_VALUES, GRID_VALUES, indexing="ij")
    return np.stack([xs.ravel(), ys.ravel()], axis=1).astype(np.float32)


def _sample_mixture(modes: np.ndarray, n: int, std: float, seed: int | None) -> np.ndarray:
    n = whole_number(n, "n")
    if not np.isfinite(std) or std <= 0:
        raise ValueError(f"std must be a positive number, got {std!r}.")
    rng = make_rng(seed)
    chosen = rng.integers(0, len(modes), size=n)
    noise = rng.normal(0.0, std, size=(n, 2))
    return (modes[chosen] + noise).astype(np.float32)


def ring_of_gaussians(n: int, std: float = 0.02, seed: int | None = None) -> np.ndarray:
    """Return ``n`` samples from 8 equal Gaussians (std ``std``) on the unit circle.

    Example:
        >>> samples = ring_of_gaussians(500, seed=0)
        >>> bool(np.all(np.abs(np.linalg.norm(samples, axis=1) - 1) < 0.2))
        True
    """
    return _sample_mixture(ring_modes(), n, float(std), seed)


def grid_of_gaussians(n: int, std: float = 0.05, seed: int | None = None) -> np.ndarray:
    """Return ``n`` samples from 25 equal Gaussians (std ``std``) at ``{-4,-2,0,2,4}^2``.

    Example:
        >>> grid_of_gaussians(3, seed=0).dtype
        dtype('float32')
    """
    return _sample_mixture(grid_modes(), n, float(std), seed)


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


def vertical_lines(
    n: int,
    size: int = 32,
    seed: int | None = None,
    min_lines: int = 2,
    max_lines: int = 5,
) -> np.ndarray:
    """Return ``n`` images ``(n, size, size, 1)`` of ``min_lines``..``max_lines`` vertical lines.

    Example:
        >>> images = vertical_lines(10, seed=1)
        >>> columns_lit = (images[..., 0] == 1).all(axis=1).sum(axis=1)
        >>> bool(np.all((columns_lit >= 2) & (columns_lit <= 5)))
        True
    """
    n = whole_number(n, "n")
    size = whole_number(size, "size", minimum=4)
    if not (1 <= min_lines <= max_lines <= (size + 1) // 2):
        raise ValueError(
            f"Need 1 <= min_lines <= max_lines <= (size + 1) // 2 (lines never touch); got "
            f"min_lines={min_lines}, "
            f"max_lines={max_lines}, size={size}."
        )
    rng = make_rng(seed)
    counts = rng.integers(min_lines, max_lines + 1, size=n)
    lit_columns = np.zeros((n, size), dtype=bool)
    for count in np.unique(counts):
        images_with_count = np.flatnonzero(counts == count)
        # k distinct sorted positions among size - k + 1, shifted by 0..k-1: lines never touch.
        keys = rng.random((len(images_with_count), size - count + 1))
        positions = np.sort(np.argsort(keys, axis=1)[:, :count], axis=1) + np.arange(count)
        lit_columns[images_with_count[:, None], positions] = True
    images = np.full((n, size, size, 1), BACKGROUND_VALUE, dtype=np.float32)
    images[np.broadcast_to(lit_columns[:, None, :, None], images.shape)] = LINE_VALUE
    return images


class GaussianMixture1D:
    """A mixture of 1-D Gaussians: ``sum_k weights[k] * N(means[k], stds[k]^2)`` (weights normalised).

    Example:
        >>> mixture = GaussianMixture1D(weights=[1, 3], means=[0, 5], stds=[1, 2])
        >>> mixture.weights.tolist()
        [0.25, 0.75]
        >>> mixture.sample(5, seed=0).shape
        (5,)
    """

    def __init__(
        self, weights: Sequence[float], means: Sequence[float], stds: Sequence[float]
    ) -> None:
        weights_array = np.asarray(weights, dtype=np.float64).ravel()
        means_array = np.asarray(means, dtype=np.float64).ravel()
        stds_array = np.asarray(stds, dtype=np.float64).ravel()
        if not (len(weights_array) == len(means_array) == len(stds_array) >= 1):
            raise ValueError(
                "weights, means and stds must be lists of the same, non-zero length; got "
                f"{len(weights_array)}, {len(means_array)} and {len(stds_array)} values."
            )
        if not np.all(np.isfinite(weights_array)) or np.any(weights_array < 0):
            raise ValueError(f"weights must be non-negative numbers, got {weights!r}.")
        if weights_array.sum() <= 0:
            raise ValueError("At least one weight must be positive.")
        if not np.all(np.isfinite(means_array)):
            raise ValueError(f"means must be finite numbers, got {means!r}.")
        if not np.all(np.isfinite(stds_array)) or np.any(stds_array <= 0):
            raise ValueError(f"stds must be positive numbers, got {stds!r}.")
        self.weights = weights_array / weights_array.sum()
        self.means = means_array
        self.stds = stds_array

    def __repr__(self) -> str:
        parts = " + ".join(
            f"{w:.3g} N({m:.4g}, {s:.4g}^2)"
            for w, m, s in zip(self.weights, self.means, self.stds, strict=True)
        )
        return f"GaussianMixture1D({parts})"

    def sample(self, n: int, seed: int | None = None) -> np.ndarray:
        """Return ``n`` samples, ``float32`` of shape ``(n,)`` (``samples[:, None]`` for a Keras model).

        Example:
            >>> FGAN_MIXTURE.sample(3, seed=1).dtype
            dtype('float32')
        """
        n = whole_number(n, "n")
        rng = make_rng(seed)
        component = rng.choice(len(self.weights), size=n, p=self.weights)
        values = rng.normal(self.means[component], self.stds[component])
        return values.astype(np.float32)

    def pdf(self, x: np.ndarray | float) -> np.ndarray:
        """Return the exact density at ``x`` (any shape; ``float64``).

        Example:
            >>> grid = np.linspace(-10, 15, 25001)
            >>> round(float(FGAN_MIXTURE.pdf(grid).sum() * (grid[1] - grid[0])), 4)
            1.0
        """
        x = np.asarray(x, dtype=np.float64)[..., None]
        z = (x - self.means) / self.stds
        densities = np.exp(-0.5 * z**2) / (self.stds * np.sqrt(2.0 * np.pi))
        return np.sum(self.weights * densities, axis=-1)

    def log_pdf(self, x: np.ndarray | float) -> np.ndarray:
        """Return the log density at ``x``, computed stably far in the tails.

        Example:
            >>> bool(np.isfinite(FGAN_MIXTURE.log_pdf(100.0)))
            True
        """
        x = np.asarray(x, dtype=np.float64)[..., None]
        z = (x - self.means) / self.stds
        log_terms = np.log(self.weights) - 0.5 * z**2 - np.log(self.stds * np.sqrt(2.0 * np.pi))
        largest = np.max(log_terms, axis=-1, keepdims=True)
        return (largest + np.log(np.sum(np.exp(log_terms - largest), axis=-1, keepdims=True)))[
            ..., 0
        ]

    def cdf(self, x: np.ndarray | float) -> np.ndarray:
        """Return the exact cumulative distribution function at ``x`` (``float64``).

        Example:
            >>> round(float(FGAN_MIXTURE.cdf(-50.0)), 6), round(float(FGAN_MIXTURE.cdf(50.0)), 6)
            (0.0, 1.0)
        """
        from scipy.special import ndtr  # noqa: PLC0415 - scipy.special is slow to import

        x = np.asarray(x, dtype=np.float64)[..., None]
        return np.sum(self.weights * ndtr((x - self.means) / self.stds), axis=-1)

    def mean(self) -> float:
        """Return the mixture's mean.

        Example:
            >>> round(FGAN_MIXTURE.mean(), 2)
            1.01
        """
        return float(np.sum(self.weights * self.means))

    def std(self) -> float:
        """Return the mixture's standard deviation.

        Example:
            >>> FGAN_MIXTURE.std() > 1
            True
        """
        second_moment = np.sum(self.weights * (self.stds**2 + self.means**2))
        return float(np.sqrt(second_moment - self.mean() ** 2))


FGAN_MIXTURE = GaussianMixture1D(weights=(0.33, 0.67), means=(-1.0, 2.0), stds=(0.255, 1.415))
