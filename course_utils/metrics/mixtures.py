"""Mode coverage on the 2-D Gaussian mixtures of notebook 08 (ring of 8, 5x5 grid).

Definitions (as in the VEEGAN and PacGAN papers):

- a generated sample is *high quality* if it lies within 3 standard deviations of its
  nearest mode;
- *modes covered* counts the modes that are the nearest mode of at least one high-quality
  sample;
- the *reverse KL to uniform* is ``KL(q || uniform)`` where ``q`` is the share of
  high-quality samples at each mode: 0 when every mode gets the same share, ``log K`` (nats)
  when all sit at one of K modes, ``inf`` when no sample is high quality.

Use 2500 generated samples (:data:`DEFAULT_SAMPLES`), as the papers do.

Example:
    >>> import numpy as np
    >>> modes = np.array([[0.0, 0.0], [2.0, 0.0]])
    >>> coverage = mode_coverage(np.array([[0.01, 0.0], [2.0, 0.02], [1.0, 1.0]]), modes, std=0.05)
    >>> coverage.modes_covered, round(coverage.high_quality_share, 3)
    (2, 0.667)
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

import numpy as np

from course_utils.checks import InputError, as_points

DEFAULT_SAMPLES = 2500
QUALITY_STDS = 3.0
RING_STD = 0.02
GRID_STD = 0.05


@dataclass(frozen=True)
class ModeCoverage:
    """Mode coverage of one set of generated 2-D samples."""

    modes_covered: int
    mode_count: int
    high_quality_share: float
    reverse_kl_to_uniform: float
    samples_per_mode: tuple[int, ...]
    samples: int

    def as_dict(self) -> dict[str, Any]:
        """Return the numbers as a plain dict (for ``quality_check(details=...)``).

        Example:
            >>> ModeCoverage(8, 8, 0.9, 0.01, (1,) * 8, 2500).as_dict()["modes_covered"]
            8
        """
        values = asdict(self)
        values["samples_per_mode"] = list(self.samples_per_mode)
        return values


def mode_coverage(samples: Any, modes: Any, std: float) -> ModeCoverage:
    """Measure how many ``modes`` ``(K, 2)`` generated ``samples`` ``(n, 2)`` cover, and how many
    samples are high quality (within 3 ``std`` of their nearest mode).

    Example:
        >>> modes = np.array([[1.0, 0.0], [-1.0, 0.0]])
        >>> collapsed = np.tile([[1.0, 0.0]], (100, 1))
        >>> result = mode_coverage(collapsed, modes, std=0.02)
        >>> result.modes_covered, round(result.reverse_kl_to_uniform, 4)
        (1, 0.6931)
    """
    points = as_points(samples, "samples")
    centres = as_points(modes, "modes")
    if not (np.isfinite(std) and std > 0):
        raise InputError(f"std must be a positive number; got {std}.")
    distances = np.linalg.norm(points[:, None, :] - centres[None, :, :], axis=-1)
    nearest = np.argmin(distances, axis=1)
    high_quality = distances[np.arange(points.shape[0]), nearest] <= QUALITY_STDS * std
    counts = np.bincount(nearest[high_quality], minlength=centres.shape[0])
    mode_count = centres.shape[0]
    if high_quality.any():
        shares = counts / counts.sum()
        present = shares > 0
        reverse_kl = float(np.sum(shares[present] * np.log(shares[present] * mode_count)))
    else:
        reverse_kl = float("inf")
    return ModeCoverage(
        modes_covered=int(np.count_nonzero(counts)),
        mode_count=int(mode_count),
        high_quality_share=float(np.mean(high_quality)),
        reverse_kl_to_uniform=max(reverse_kl, 0.0),
        samples_per_mode=tuple(int(c) for c in counts),
        samples=int(points.shape[0]),
    )


def ring_coverage(samples: Any, std: float = RING_STD) -> ModeCoverage:
    """Mode coverage on the ring of 8 Gaussians (:func:`course_utils.data.ring_modes`).

    Pass the ``std`` the ring was drawn with (the course's default is 0.02).

    Example:
        >>> from course_utils.data import ring_of_gaussians
        >>> ring_coverage(ring_of_gaussians(2500, seed=0)).modes_covered
        8
    """
    from course_utils.data import ring_modes  # noqa: PLC0415

    return mode_coverage(samples, ring_modes(), std)


def grid_coverage(samples: Any, std: float = GRID_STD) -> ModeCoverage:
    """Mode coverage on the 5x5 grid of Gaussians (:func:`course_utils.data.grid_modes`).

    Example:
        >>> from course_utils.data import grid_of_gaussians
        >>> grid_coverage(grid_of_gaussians(2500, seed=0)).modes_covered
        25
    """
    from course_utils.data import grid_modes  # noqa: PLC0415

    return mode_coverage(samples, grid_modes(), std)
