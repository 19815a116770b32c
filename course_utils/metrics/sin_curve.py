"""How well generated 2-D points follow the sin curve of notebook 01 (x uniform in [-3.5, 3.5]).

*On the curve?* :func:`sin_curve_error`. *Along the whole curve?* :func:`x_coverage`. *The same
cloud?* :func:`histogram_js_divergence`. :func:`sin_curve_report` computes all of them.

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
DEFAULT_SAMPLES = 1000  # notebook 01 draws this many generated points for its check


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


def x_coverage(points: Any) -> XCoverage:
    """Compare the x values of generated points with the uniform distribution on [-3.5, 3.5].

    Returns the Wasserstein-1 distance to it (0 = uniform; stuck at x = 0: 1.75), the
    Kolmogorov-Smirnov statistic (0 to 1), and the share of bins of width 0.5 that hold at
    least a quarter of the points uniform x would put there.

    Example:
        >>> x = np.linspace(-3.5, 3.5, 2001)
        >>> coverage = x_coverage(np.stack([x, np.sin(x)], axis=1))
        >>> coverage.wasserstein < 0.01, coverage.share_covered
        (True, 1.0)
    """
    array = as_points(points, "points", min_count=2)
    x = array[:, 0]
    low, high = X_LOW, X_HIGH
    uniform = stats.uniform(loc=low, scale=high - low)
    # W1 to a continuous uniform: compare with its quantiles at 20,000 evenly spaced levels
    # (exact up to (high - low) / 40,000).
    quantile_levels = (np.arange(20_000) + 0.5) / 20_000
    wasserstein = stats.wasserstein_distance(x, uniform.ppf(quantile_levels))
    ks_statistic = stats.kstest(x, uniform.cdf).statistic
    bins = max(1, int(round((high - low) / COVERAGE_BIN_WIDTH)))
    counts, _ = np.histogram(x, bins=bins, range=(low, high))
    expected = x.shape[0] / bins
    share_covered = float(np.mean(counts >= COVERAGE_MIN_SHARE_OF_EXPECTED * expected))
    return XCoverage(float(wasserstein), float(ks_statistic), share_covered)


def _histogram_with_outside(array: np.ndarray, bins: int, value_range: Any) -> np.ndarray:
    counts, _, _ = np.histogram2d(array[:, 0], array[:, 1], bins=bins, range=value_range)
    outside = array.shape[0] - counts.sum()
    return np.append(counts.ravel(), outside)


def histogram_js_divergence(real: Any, generated: Any) -> float:
    """Return the Jensen-Shannon divergence, in bits, between 2-D histograms of two point sets.

    Both are binned on one 14 x 14 grid over :data:`HISTOGRAM_RANGE`, points outside it in one
    extra cell. 0: identical histograms (two samples of one distribution score a little above
    0), 1: no cell in common.

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
    real_counts = _histogram_with_outside(real_array, HISTOGRAM_BINS, HISTOGRAM_RANGE)
    generated_counts = _histogram_with_outside(generated_array, HISTOGRAM_BINS, HISTOGRAM_RANGE)
    distance = spatial.distance.jensenshannon(real_counts, generated_counts, base=2.0)
    return float(min(1.0, max(0.0, distance**2)))


def sin_curve_report(generated: Any, real: Any | None = None, seed: int = 12345) -> SinCurveReport:
    """Return every sin-curve measure of ``generated`` points ``(n, 2)`` in one report.

    The histogram compares with ``real`` points, by default ``n`` fresh ones drawn with ``seed``.

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
