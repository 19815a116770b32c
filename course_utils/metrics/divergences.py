"""Divergences between 1-D distributions by numerical integration (notebook 03).

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

The paper's JS has no factor 1/2: its values are twice the usual Jensen-Shannon divergence
(at most ``2 log 2``), as in the deck's table. ``wasserstein`` is ``integral |F_P - F_Q| dx``.
Integrals use Simpson's rule on a fixed fine grid, from log densities (tails do not underflow).
Notebook 03 finds the Gaussian that minimises each divergence itself (that is its lesson).

Example:
    >>> from scipy import stats
    >>> round(divergence(stats.norm(0, 1), stats.norm(1, 1), "kl"), 4)
    0.5
"""

from __future__ import annotations

from typing import Any

import numpy as np
from scipy import integrate

F_DIVERGENCES = ("kl", "reverse_kl", "js", "jeffrey", "pearson")
DIVERGENCES = F_DIVERGENCES + ("wasserstein",)

# The default grid: wide enough for means within a few units of 0 and standard deviations from
# about 0.1 to 5, fine enough for 4-digit accuracy.
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


def divergence(
    p: Any, q: Any, name: str, *, lower: float = GRID_LOWER, upper: float = GRID_UPPER, points: int = GRID_POINTS,
) -> float:
    """Return the divergence ``name`` (the module's table) from P to Q by Simpson's rule.

    ``p`` and ``q`` need ``pdf`` and ``cdf`` (``logpdf`` or ``log_pdf`` is used when present);
    the grid ``lower, upper, points`` must hold (almost) all their mass. ``inf`` when Q has no
    density where P has (KL, Pearson).

    Example:
        >>> from scipy import stats
        >>> round(divergence(stats.norm(0, 1), stats.norm(0, 1), "js"), 6)
        0.0
        >>> round(divergence(stats.norm(0, 1), stats.norm(3, 1), "wasserstein"), 4)
        3.0
    """
    if name not in DIVERGENCES:
        raise ValueError(f"Unknown divergence {name!r}; choose one of {', '.join(DIVERGENCES)}.")
    x = _grid(lower, upper, points)
    if name == "wasserstein":
        gap = np.abs(np.asarray(p.cdf(x), dtype=np.float64) - np.asarray(q.cdf(x), dtype=np.float64))
        return float(integrate.simpson(gap, x=x))
    integrand = _f_integrand(name, _log_density(p, x, "p"), _log_density(q, x, "q"))
    if np.any(np.isinf(integrand)):
        return float("inf")
    # Round-off can leave -1e-17 where the true value is 0; a divergence is never negative.
    return max(float(integrate.simpson(integrand, x=x)), 0.0)
