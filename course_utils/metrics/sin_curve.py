"""How well generated 2-D points follow the sin curve of notebook 01.

The real data are points ``[x, sin x]`` with x uniform in [-3.5, 3.5]. Three questions:

- *On the curve?* :func:`sin_curve_error`: the mean of ``|y - sin x|`` over generated points.
- *Along the whole curve?* :func:`x_coverage`: how far the generated x values are from
  uniform on [-3.5, 3.5], as the 1-D Wasserstein distance, the Kolmogorov-Smirnov statistic,
  and the share of the range's bins that hold a fair number of points.
- *The same cloud of points?* :func:`histogram_js_divergence`: the Jensen-Shannon divergence
  between 2-D histograms of real and generated points (in bits: 0 = the same histogram,
  1 = no overlap).

:func:`sin_curve_report` computes all of them in one call.

Example:
    >>> import numpy as np
    >>> x = np.linspace(-3.5, 3.5, 1000)
    >>> round(sin_curve_error(np.stack([x, np.sin(x)], axis=1)), 6)
    0.0
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

import numpy as np
from scipy import spatial, stats

from course_utils.checks import InputError, as_points

X_LOW = -3.5
X_HIGH = 3.5
COVERAGE_BIN_WIDTH = 0.5
# A bin counts as covered when it holds at least this share of the points uniform x would put there.
COVERAGE_MIN_SHARE_OF_EXPECTED = 0.25
HISTOGRAM_BINS = 14
# The histogram grid for the JS divergence: x over the real range, y over [-1.5, 1.5]
# (sin x plus a margin). Points outside fall into one extra "outside" cell.
HISTOGRAM_RANGE = ((X_LOW, X_HIGH), (-1.5, 1.5))
# Notebook 01 draws this many generated points for its check.
DEFAULT_SAMPLES = 1000


@dataclass(frozen=True)
class XCoverage:
    """How evenly generated x values cover [low, high]."""

    wasserstein: float
    ks_statistic: float
    share_covered: float


@dataclass(frozen=True)
class SinCurveReport:
    """All sin-curve measures of one set of generated points."""

    mean_abs_error: float
    x_wasserstein: float
    x_ks_statistic: float
    x_share_covered: float
    histogram_js_bits: float
    samples: int

    def as_dict(self) -> dict[str, Any]:
        """Return the report as a plain dict (for ``quality_check(details=...)``).

        Example:
            >>> SinCurveReport(0.1, 0.2, 0.1, 1.0, 0.05, 1000).as_dict()["samples"]
            1000
        """
        return asdict(self)


def sin_curve_error(points: Any) -> float:
    """Return the mean of ``|y - sin x|`` over points ``[x, y]`` of shape ``(n, 2)``.

    Example:
        >>> round(sin_curve_error([[0.0, 0.5], [np.pi / 2, 1.0]]), 6)
        0.25
    """
    array = as_points(points, "points")
    return float(np.mean(np.abs(array[:, 1] - np.sin(array[:, 0]))))


def _check_range(low: float, high: float) -> None:
    if not (np.isfinite(low) and np.isfinite(high) and low < high):
        raise InputError(f"The x range must be finite with low < high; got [{low}, {high}].")


def x_coverage(
    points: Any,
    low: float = X_LOW,
    high: float = X_HIGH,
    bin_width: float = COVERAGE_BIN_WIDTH,
) -> XCoverage:
    """Compare the x values of generated points with the uniform distribution on [low, high].

    Returns:
        ``wasserstein``: the 1-D Wasserstein-1 distance to U[low, high] (0 = uniform; a
        generator stuck at the middle of [-3.5, 3.5] scores 1.75).
        ``ks_statistic``: the Kolmogorov-Smirnov statistic (largest gap between the CDFs, 0 to 1).
        ``share_covered``: the share of bins of width ``bin_width`` in [low, high] that hold at
        least a quarter of the points uniform x would put there.

    Example:
        >>> x = np.linspace(-3.5, 3.5, 2001)
        >>> coverage = x_coverage(np.stack([x, np.sin(x)], axis=1))
        >>> coverage.wasserstein < 0.01, coverage.share_covered
        (True, 1.0)
    """
    _check_range(low, high)
    array = as_points(points, "points", min_count=2)
    x = array[:, 0]
    uniform = stats.uniform(loc=low, scale=high - low)
    # W1 to a continuous uniform: compare with its quantiles at 20,000 evenly spaced levels
    # (exact up to (high - low) / 40,000).
    quantile_levels = (np.arange(20_000) + 0.5) / 20_000
    wasserstein = stats.wasserstein_distance(x, uniform.ppf(quantile_levels))
    ks_statistic = stats.kstest(x, uniform.cdf).statistic
    bins = max(1, int(round((high - low) / bin_width)))
    counts, _ = np.histogram(x, bins=bins, range=(low, high))
    expected = x.shape[0] / bins
    share_covered = float(np.mean(counts >= COVERAGE_MIN_SHARE_OF_EXPECTED * expected))
    return XCoverage(float(wasserstein), float(ks_statistic), share_covered)


def _histogram_with_outside(array: np.ndarray, bins: int, value_range: Any) -> np.ndarray:
    counts, _, _ = np.histogram2d(array[:, 0], array[:, 1], bins=bins, range=value_range)
    outside = array.shape[0] - counts.sum()
    return np.append(counts.ravel(), outside)


def histogram_js_divergence(
    real: Any,
    generated: Any,
    bins: int = HISTOGRAM_BINS,
    value_range: tuple[tuple[float, float], tuple[float, float]] = HISTOGRAM_RANGE,
) -> float:
    """Return the Jensen-Shannon divergence, in bits, between 2-D histograms of two point sets.

    Both sets are binned on the same ``bins x bins`` grid over ``value_range``; points
    outside the grid share one extra cell, so a generator that throws points far away is not
    let off. 0 means identical histograms, 1 means no cell in common. Two finite samples of
    the same distribution score a little above 0 (sampling noise): compare at a fixed size.

    Example:
        >>> rng = np.random.default_rng(0)
        >>> a = rng.uniform(-1, 1, size=(500, 2))
        >>> histogram_js_divergence(a, a)
        0.0
        >>> histogram_js_divergence(a, a + 100.0)
        1.0
    """
    real_array = as_points(real, "real")
    generated_array = as_points(generated, "generated")
    if bins < 1:
        raise InputError(f"bins must be at least 1; got {bins}.")
    for low, high in value_range:
        _check_range(low, high)
    real_counts = _histogram_with_outside(real_array, bins, value_range)
    generated_counts = _histogram_with_outside(generated_array, bins, value_range)
    distance = spatial.distance.jensenshannon(real_counts, generated_counts, base=2.0)
    return float(min(1.0, max(0.0, distance**2)))


def sin_curve_report(generated: Any, real: Any | None = None, seed: int = 12345) -> SinCurveReport:
    """Return every sin-curve measure of ``generated`` points in one report.

    Args:
        generated: generated points ``[x, y]``, shape ``(n, 2)``.
        real: real points for the histogram comparison; by default ``n`` fresh points from
            :func:`course_utils.data.sin_curve` with ``seed`` (a seed the notebook does not train on).

    Example:
        >>> from course_utils.data import sin_curve
        >>> report = sin_curve_report(sin_curve(1000, seed=1))
        >>> report.mean_abs_error < 1e-6
        True
    """
    generated_array = as_points(generated, "generated", min_count=2)
    if real is None:
        from course_utils.data import sin_curve  # noqa: PLC0415 (the data module is optional here)

        real = sin_curve(generated_array.shape[0], seed=seed)
    coverage = x_coverage(generated_array)
    return SinCurveReport(
        mean_abs_error=sin_curve_error(generated_array),
        x_wasserstein=coverage.wasserstein,
        x_ks_statistic=coverage.ks_statistic,
        x_share_covered=coverage.share_covered,
        histogram_js_bits=histogram_js_divergence(real, generated_array),
        samples=int(generated_array.shape[0]),
    )
