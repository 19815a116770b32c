"""One-dimensional Gaussian mixtures with their exact density, for the theory notebook (03).

``FGAN_MIXTURE`` is the target of the f-GAN experiment in the GAN-theory lecture:
``0.33 N(-1, 0.255^2) + 0.67 N(2, 1.415^2)``.

Example:
    >>> mixture = GaussianMixture1D(weights=[0.5, 0.5], means=[-1, 1], stds=[0.5, 0.5])
    >>> round(float(mixture.cdf(0.0)), 6)
    0.5
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from course_utils.checks import make_rng, whole_number


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
