"""Point clouds in the plane, ``float32`` ``(n, 2)``: the sin curve (notebook 01), and the ring
and grid of Gaussians, the standard mode-collapse tests (notebook 08; each sample picks a mode
uniformly at random).

Example:
    >>> sin_curve(4, seed=0).shape
    (4, 2)
"""

from __future__ import annotations

import numpy as np

from course_utils.checks import make_rng, whole_number

SIN_X_RANGE: tuple[float, float] = (-3.5, 3.5)
RING_RADIUS: float = 1.0
RING_MODES: int = 8
GRID_VALUES: tuple[float, ...] = (-4.0, -2.0, 0.0, 2.0, 4.0)


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
