"""Quality measures: a number that says whether each GAN of the course learned.

Importing this package is cheap (NumPy and SciPy only); the judge classifiers import Keras
when they are first used. One module per job:

================================  ===========================================================
module                            measures
================================  ===========================================================
:mod:`.sin_curve`                 notebook 01: mean ``|y - sin x|``, x coverage, histogram JS
:mod:`.slanted_land`              notebook 02: share of 2x2 images a discriminator calls faces
:mod:`.divergences`               notebook 03: KL, reverse KL, JS, Jeffrey, Pearson, W1 and
                                  the deck's f-GAN table
:mod:`.mixtures`                  notebook 08: modes covered, high-quality share, reverse KL
:mod:`.lines`                     notebook 05: rule-based vertical-lines detector
:mod:`.judges`                    small classifiers trained on the course's data (cached)
:mod:`.image_distances`           FID and KID on a judge's features
:mod:`.conditional`               notebook 09: accuracy per asked-for class
:mod:`.translation`               notebooks 11-12: L1, colour-mask IoU, cycle L1, judged class
:mod:`.thresholds`                the calibrated thresholds the notebooks check against
:mod:`.checks`                    input checks and :class:`InputError`
================================  ===========================================================

Example:
    >>> from course_utils.metrics import sin_curve_error
    >>> sin_curve_error([[0.0, 0.0]])
    0.0
"""

from __future__ import annotations

from course_utils.checks import InputError
from course_utils.metrics.divergences import divergence
from course_utils.metrics.lines import is_vertical_lines, vertical_lines_report, vertical_lines_share
from course_utils.metrics.mixtures import grid_coverage, mode_coverage, ring_coverage
from course_utils.metrics.sin_curve import (
    histogram_js_divergence,
    sin_curve_error,
    sin_curve_report,
    x_coverage,
)
from course_utils.metrics.slanted_land import face_share, hand_discriminator
from course_utils.metrics.thresholds import THRESHOLDS, Threshold
from course_utils.metrics.translation import colour_mask, cycle_l1, mask_iou, paired_l1

__all__ = [
    "THRESHOLDS",
    "InputError",
    "Threshold",
    "colour_mask",
    "cycle_l1",
    "divergence",
    "face_share",
    "grid_coverage",
    "hand_discriminator",
    "histogram_js_divergence",
    "is_vertical_lines",
    "mask_iou",
    "mode_coverage",
    "paired_l1",
    "ring_coverage",
    "sin_curve_error",
    "sin_curve_report",
    "vertical_lines_report",
    "vertical_lines_share",
    "x_coverage",
]
