"""Divergences between 1-D distributions, and the Gaussian that minimises each (notebook 03).

The f-divergences follow the f-GAN paper (Nowozin, Cseke and Tomioka, 2016, Table 1):
``D_f(P || Q) = integral of q(x) f(p(x) / q(x)) dx`` with P the data distribution (here a
Gaussian mixture) and Q the model (a Gaussian). The generator functions ``f(u)`` are

================  ==========================================  =============================
name              f(u)                                        the integral in p and q
================  ==========================================  =============================
``kl``            u log u                                     KL(P || Q)
``reverse_kl``    -log u                                      KL(Q || P)
``js``            -(u + 1) log((1 + u) / 2) + u log u         2 x the usual Jensen-Shannon
``jeffrey``       (u - 1) log u                               KL(P || Q) + KL(Q || P)
``pearson``       (u - 1)^2                                   integral of (p - q)^2 / q
================  ==========================================  =============================

The paper's JS has no factor 1/2, so its values are twice the usual Jensen-Shannon
divergence (at most ``2 log 2``); the deck's table uses the paper's convention and so does
this module. ``wasserstein`` is the earth mover's distance, ``integral |F_P - F_Q| dx``.

All integrals are computed on a fixed fine grid (Simpson's rule, :func:`scipy.integrate.simpson`)
from log densities, so results are deterministic and tails do not underflow; a test checks
them against adaptive quadrature (:func:`scipy.integrate.quad`).

Example:
    >>> from scipy import stats
    >>> round(divergence(stats.norm(0, 1), stats.norm(1, 1), "kl"), 4)
    0.5
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

import numpy as np
from scipy import integrate, optimize, special, stats

F_DIVERGENCES = ("kl", "reverse_kl", "js", "jeffrey", "pearson")
DIVERGENCES = F_DIVERGENCES + ("wasserstein",)

# The integration grid: wide enough for every distribution in the course (means within a few
# units of 0, standard deviations from about 0.1 to 5) and fine enough for 4-digit accuracy.
GRID_LOWER = -30.0
GRID_UPPER = 30.0
GRID_POINTS = 30_001

# The deck's "Synthetic 1D Univariate" table (GAN-theory lecture, after the f-GAN paper, Table 3).
# Exact rows: the divergence at the optimum and the optimal (mu*, sigma*). Learned rows: the
# variational estimate F(omega^, theta^) and the (mu^, sigma^) found by f-GAN training.
FGAN_PAPER_TABLE: dict[str, dict[str, float]] = {
    "kl": {"divergence": 0.2831, "mu": 1.0100, "sigma": 1.8308,
           "learned_divergence": 0.2801, "learned_mu": 1.0335, "learned_sigma": 1.8236},
    "reverse_kl": {"divergence": 0.2480, "mu": 1.5782, "sigma": 1.6319,
                   "learned_divergence": 0.2415, "learned_mu": 1.5624, "learned_sigma": 1.6403},
    "js": {"divergence": 0.1280, "mu": 1.3070, "sigma": 1.7542,
           "learned_divergence": 0.1226, "learned_mu": 1.2854, "learned_sigma": 1.7659},
    "jeffrey": {"divergence": 0.5705, "mu": 1.3218, "sigma": 1.7034,
                "learned_divergence": 0.5151, "learned_mu": 1.2295, "learned_sigma": 1.8087},
    "pearson": {"divergence": 0.6457, "mu": 0.5737, "sigma": 1.9274,
                "learned_divergence": 0.6379, "learned_mu": 0.6157, "learned_sigma": 1.9031},
}


class Density1D(Protocol):
    """What the divergences need from a 1-D distribution: ``pdf`` and ``cdf`` on arrays.

    ``logpdf`` (scipy.stats) or ``log_pdf`` (the course's mixtures) is used when present.
    """

    def pdf(self, x: np.ndarray) -> np.ndarray: ...  # noqa: D102

    def cdf(self, x: np.ndarray) -> np.ndarray: ...  # noqa: D102


@dataclass(frozen=True)
class GaussianFit:
    """The Gaussian N(mu, sigma^2) that minimises one divergence to a target distribution."""

    name: str
    mu: float
    sigma: float
    divergence: float


def _grid(lower: float, upper: float, points: int) -> np.ndarray:
    if not (np.isfinite(lower) and np.isfinite(upper) and lower < upper):
        raise ValueError(f"The integration range must be finite with lower < upper; got [{lower}, {upper}].")
    if points < 101 or points % 2 == 0:
        raise ValueError(f"points must be an odd number >= 101 (Simpson's rule); got {points}.")
    return np.linspace(lower, upper, points)


def _log_density(distribution: Any, x: np.ndarray, name: str) -> np.ndarray:
    if hasattr(distribution, "logpdf"):  # scipy.stats distributions
        values = np.asarray(distribution.logpdf(x), dtype=np.float64)
    elif hasattr(distribution, "log_pdf"):  # course_utils.data.GaussianMixture1D
        values = np.asarray(distribution.log_pdf(x), dtype=np.float64)
    elif hasattr(distribution, "pdf"):
        with np.errstate(divide="ignore"):
            values = np.log(np.asarray(distribution.pdf(x), dtype=np.float64))
    else:
        raise ValueError(
            f"{name} must be a 1-D distribution with a pdf method (e.g. scipy.stats.norm(0, 1) "
            f"or a course_utils.data.GaussianMixture1D); got {type(distribution).__name__}."
        )
    if values.shape != x.shape:
        raise ValueError(f"{name}.pdf must return one density per point; got shape {values.shape}.")
    return values


def _positive_part(weights: np.ndarray, values: np.ndarray) -> np.ndarray:
    """weights * values, with 0 wherever the weight is 0 (so 0 * inf counts as 0)."""
    with np.errstate(invalid="ignore", over="ignore"):
        product = weights * values
    return np.where(weights > 0, product, 0.0)


def _f_integrand(name: str, log_p: np.ndarray, log_q: np.ndarray) -> np.ndarray:
    p, q = np.exp(log_p), np.exp(log_q)
    with np.errstate(invalid="ignore", over="ignore"):
        log_ratio = log_p - log_q  # log u, with u = p / q
    if name == "kl":  # q * u log u = p log(p/q)
        return _positive_part(p, log_ratio)
    if name == "reverse_kl":  # q * (-log u) = q log(q/p)
        return _positive_part(q, -log_ratio)
    if name == "jeffrey":  # q (u - 1) log u = (p - q) log(p/q)
        return _positive_part(p, log_ratio) + _positive_part(q, -log_ratio)
    if name == "pearson":  # q (u - 1)^2 = p^2 / q - 2p + q
        with np.errstate(over="ignore"):
            p_squared_over_q = np.exp(2.0 * log_p - log_q)
        return np.where(p > 0, p_squared_over_q, 0.0) - 2.0 * p + q
    if name == "js":  # p log(2p / (p + q)) + q log(2q / (p + q)), no factor 1/2
        log_mean = np.logaddexp(log_p, log_q) - np.log(2.0)
        return _positive_part(p, log_p - log_mean) + _positive_part(q, log_q - log_mean)
    raise ValueError(f"Unknown f-divergence {name!r}; choose one of {', '.join(F_DIVERGENCES)}.")


def _check_name(name: str) -> str:
    if name not in DIVERGENCES:
        raise ValueError(f"Unknown divergence {name!r}; choose one of {', '.join(DIVERGENCES)}.")
    return name


def _on_grid(name: str, x: np.ndarray, p: Any, q: Any, cache: dict[str, np.ndarray] | None = None) -> float:
    """The divergence ``name`` from p to q on the grid ``x``; ``cache`` may hold p's values."""
    cache = {} if cache is None else cache
    if name == "wasserstein":
        if "cdf" not in cache:
            cache["cdf"] = np.asarray(p.cdf(x), dtype=np.float64)
        gap = np.abs(cache["cdf"] - np.asarray(q.cdf(x), dtype=np.float64))
        return float(integrate.simpson(gap, x=x))
    if "log_pdf" not in cache:
        cache["log_pdf"] = _log_density(p, x, "p")
    integrand = _f_integrand(name, cache["log_pdf"], _log_density(q, x, "q"))
    if np.any(np.isinf(integrand)):
        return float("inf")
    # Round-off can leave -1e-17 where the true value is 0; a divergence is never negative.
    return max(float(integrate.simpson(integrand, x=x)), 0.0)


def divergence(
    p: Density1D,
    q: Density1D,
    name: str,
    *,
    lower: float = GRID_LOWER,
    upper: float = GRID_UPPER,
    points: int = GRID_POINTS,
) -> float:
    """Return the divergence ``name`` from P to Q, by numerical integration on a fine grid.

    Args:
        p: the data distribution P (anything with ``pdf`` and ``cdf``; ``logpdf`` if it has one).
        q: the model distribution Q.
        name: ``"kl"``, ``"reverse_kl"``, ``"js"`` (f-GAN convention, no 1/2), ``"jeffrey"``,
            ``"pearson"`` or ``"wasserstein"``.
        lower, upper, points: the integration grid; it must hold (almost) all mass of P and Q.

    Returns:
        The divergence, ``inf`` when Q has no density where P has (for KL and Pearson).

    Example:
        >>> from scipy import stats
        >>> round(divergence(stats.norm(0, 1), stats.norm(0, 1), "js"), 6)
        0.0
        >>> round(divergence(stats.norm(0, 1), stats.norm(3, 1), "wasserstein"), 4)
        3.0
    """
    _check_name(name)
    return _on_grid(name, _grid(lower, upper, points), p, q)


def mean_and_std(distribution: Density1D, *, lower: float = GRID_LOWER, upper: float = GRID_UPPER,
                 points: int = GRID_POINTS) -> tuple[float, float]:
    """Return the mean and standard deviation of a 1-D distribution, by integration.

    Example:
        >>> from scipy import stats
        >>> [round(v, 6) for v in mean_and_std(stats.norm(1.5, 2.0))]
        [1.5, 2.0]
    """
    x = _grid(lower, upper, points)
    density = np.exp(_log_density(distribution, x, "distribution"))
    mass = integrate.simpson(density, x=x)
    mean = integrate.simpson(x * density, x=x) / mass
    variance = integrate.simpson((x - mean) ** 2 * density, x=x) / mass
    return float(mean), float(np.sqrt(variance))


def divergence_to_gaussian(p: Density1D, mu: float, sigma: float, name: str) -> float:
    """Return the divergence ``name`` from P to the Gaussian N(mu, sigma^2).

    Example:
        >>> from scipy import stats
        >>> round(divergence_to_gaussian(stats.norm(0, 1), 0.0, 1.0, "kl"), 6)
        0.0
    """
    if not (np.isfinite(mu) and np.isfinite(sigma) and sigma > 0):
        raise ValueError(f"The Gaussian needs a finite mu and sigma > 0; got mu={mu}, sigma={sigma}.")
    return divergence(p, stats.norm(loc=mu, scale=sigma), name)


class _Gaussian:
    """N(mu, sigma^2) with the two methods the grid needs, without scipy.stats' per-call overhead."""

    def __init__(self, mu: float, sigma: float) -> None:
        self.mu, self.sigma = mu, sigma

    def logpdf(self, x: np.ndarray) -> np.ndarray:
        z = (x - self.mu) / self.sigma
        return -0.5 * z * z - np.log(self.sigma) - 0.5 * np.log(2.0 * np.pi)

    def cdf(self, x: np.ndarray) -> np.ndarray:
        return special.ndtr((x - self.mu) / self.sigma)


def best_gaussian(p: Density1D, name: str) -> GaussianFit:
    """Return the Gaussian N(mu*, sigma*^2) that minimises the divergence ``name`` from P.

    Minimises over (mu, log sigma) with :func:`scipy.optimize.minimize` (Nelder-Mead, tight
    tolerances), starting from the Gaussian with P's mean and standard deviation.

    Example:
        >>> from scipy import stats
        >>> fit = best_gaussian(stats.norm(2.0, 0.5), "reverse_kl")
        >>> round(fit.mu, 3), round(fit.sigma, 3)
        (2.0, 0.5)
    """
    _check_name(name)
    mean, std = mean_and_std(p)
    x = _grid(GRID_LOWER, GRID_UPPER, GRID_POINTS)
    cache: dict[str, np.ndarray] = {}

    def objective(parameters: np.ndarray) -> float:
        return _on_grid(name, x, p, _Gaussian(float(parameters[0]), float(np.exp(parameters[1]))), cache)

    result = optimize.minimize(
        objective,
        x0=np.array([mean, np.log(std)]),
        method="Nelder-Mead",
        options={"xatol": 1e-7, "fatol": 1e-12, "maxiter": 4000},
    )
    if not result.success:
        raise RuntimeError(f"Fitting a Gaussian under {name} did not converge: {result.message}")
    mu, log_sigma = (float(v) for v in result.x)
    return GaussianFit(name=name, mu=mu, sigma=float(np.exp(log_sigma)), divergence=float(result.fun))


def best_gaussians(p: Density1D, names: tuple[str, ...] = DIVERGENCES) -> dict[str, GaussianFit]:
    """Return :func:`best_gaussian` for each divergence in ``names`` (all six by default).

    With the course's f-GAN mixture this reproduces the exact rows of the deck's table
    (:data:`FGAN_PAPER_TABLE`) to about 3e-4.

    Example:
        >>> from scipy import stats
        >>> fits = best_gaussians(stats.norm(0, 1), ("kl", "js"))
        >>> sorted(fits)
        ['js', 'kl']
    """
    return {name: best_gaussian(p, name) for name in names}
