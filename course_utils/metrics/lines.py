"""A rule-based detector of "images of vertical lines" (notebook 05's quality check).

The real images are exactly defined, so the test can be written down and read by a student,
needs no training and cannot be fooled by texture a small CNN ignores. A grey image
(``(height, width, 1)``, values in [0, 1]) shows vertical lines when:

1. **every row looks the same**: the mean absolute difference between each pixel and its
   column's mean is at most ``MAX_ROW_DEVIATION`` (0.1);
2. **bright lines on a dark background**: a column whose mean is at least ``BRIGHT`` (0.5)
   is a line; every other column is dark (mean at most ``DARK``, 0.25), except the columns
   right beside a line, which may be grey (soft edges). Grey lines (blurred away, sigma 1.5
   and more) and grey backgrounds fail here;
3. **there are a few lines**: between 1 and ``width // 4`` bright columns (not a blank image,
   not a white one).

Example:
    >>> import numpy as np
    >>> image = np.zeros((1, 32, 32, 1)); image[0, :, [3, 17], 0] = 1.0
    >>> is_vertical_lines(image).tolist(), is_vertical_lines(image.transpose(0, 2, 1, 3)).tolist()
    ([True], [False])
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

import numpy as np

from course_utils.checks import InputError, as_images

MAX_ROW_DEVIATION = 0.1
DARK = 0.25
BRIGHT = 0.5


@dataclass(frozen=True)
class VerticalLinesReport:
    """The detector's verdict on a batch of images."""

    share_vertical_lines: float
    distinct_pattern_share: float
    mean_lines: float
    samples: int

    def as_dict(self) -> dict[str, Any]:
        """Return the numbers as a plain dict (for ``quality_check(details=...)``).

        Example:
            >>> VerticalLinesReport(0.9, 0.8, 3.5, 100).as_dict()["samples"]
            100
        """
        return asdict(self)


def _grey_images(images: Any) -> np.ndarray:
    array = as_images(images, "images")
    if array.shape[-1] != 1:
        raise InputError(
            f"The vertical-lines detector reads grey images (1 channel); got {array.shape[-1]} "
            "channels. Pass images of shape (n, height, width, 1)."
        )
    return array[..., 0].astype(np.float64)


def _bright_columns(grey: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Return (is_lines per image, bright-column mask per image)."""
    columns = grey.mean(axis=1)  # (n, width): each column's mean brightness
    row_deviation = np.abs(grey - columns[:, None, :]).mean(axis=(1, 2))
    is_bright = columns >= BRIGHT
    # A line may have soft edges: the columns right beside a bright column may be grey.
    beside_bright = is_bright.copy()
    beside_bright[:, 1:] |= is_bright[:, :-1]
    beside_bright[:, :-1] |= is_bright[:, 1:]
    background_is_dark = np.where(beside_bright, True, columns <= DARK).all(axis=1)
    line_count = is_bright.sum(axis=1)
    width = grey.shape[2]
    is_lines = (
        (row_deviation <= MAX_ROW_DEVIATION)
        & background_is_dark
        & (line_count >= 1)
        & (line_count <= max(1, width // 4))
    )
    return is_lines, is_bright


def is_vertical_lines(images: Any) -> np.ndarray:
    """Return, for each grey image ``(n, height, width, 1)`` in [0, 1], whether it shows vertical lines.

    Example:
        >>> from course_utils.data import vertical_lines
        >>> bool(is_vertical_lines(vertical_lines(100, seed=0)).all())
        True
    """
    is_lines, _ = _bright_columns(_grey_images(images))
    return is_lines


def vertical_lines_share(images: Any) -> float:
    """Return the share of images that show vertical lines (see :func:`is_vertical_lines`).

    Example:
        >>> import numpy as np
        >>> vertical_lines_share(np.random.default_rng(0).uniform(size=(50, 32, 32, 1)))
        0.0
    """
    return float(np.mean(is_vertical_lines(images)))


def vertical_lines_report(images: Any) -> VerticalLinesReport:
    """Return the share of vertical-line images, and how varied the detected ones are.

    ``distinct_pattern_share``: distinct sets of lit columns per detected image (1.0 = all
    different, near 0 = a collapsed generator); ``mean_lines``: bright columns per detected image.

    Example:
        >>> from course_utils.data import vertical_lines
        >>> report = vertical_lines_report(vertical_lines(200, seed=3))
        >>> report.share_vertical_lines, report.distinct_pattern_share > 0.9
        (1.0, True)
    """
    grey = _grey_images(images)
    is_lines, is_bright = _bright_columns(grey)
    detected = is_bright[is_lines]
    if detected.shape[0]:
        patterns = {row.tobytes() for row in np.packbits(detected, axis=1)}
        distinct_share = len(patterns) / detected.shape[0]
        mean_lines = float(detected.sum(axis=1).mean())
    else:
        distinct_share, mean_lines = 0.0, 0.0
    return VerticalLinesReport(
        share_vertical_lines=float(np.mean(is_lines)),
        distinct_pattern_share=float(distinct_share),
        mean_lines=mean_lines,
        samples=int(grey.shape[0]),
    )
