"""Quality measures: a number that says whether each GAN of the course learned.

Importing this package is cheap (NumPy and SciPy only); the judge classifiers import Keras
when first used. One module per job: :mod:`.sin_curve` (01), :mod:`.slanted_land` (02),
:mod:`.divergences` (03), :mod:`.lines` (05), :mod:`.mixtures` (08), :mod:`.conditional` (09),
:mod:`.translation` (11-12); :mod:`.judges` (small classifiers trained on the course's data),
:mod:`.image_distances` (FID, KID, precision and recall on a judge's features) and
:mod:`.thresholds` (the calibrated bars the notebooks check against).

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
from course_utils.metrics.sin_curve import histogram_js_divergence, sin_curve_error, sin_curve_report, x_coverage
from course_utils.metrics.slanted_land import face_share, hand_discriminator
from course_utils.metrics.thresholds import THRESHOLDS, Threshold
from course_utils.metrics.translation import colour_mask, cycle_l1, mask_iou, paired_l1

__all__ = [
    "THRESHOLDS", "InputError", "Threshold", "colour_mask", "cycle_l1", "divergence", "face_share", "grid_coverage",
    "hand_discriminator", "histogram_js_divergence", "is_vertical_lines", "mask_iou", "mode_coverage", "paired_l1",
    "ring_coverage", "sin_curve_error", "sin_curve_report", "vertical_lines_report", "vertical_lines_share",
    "x_coverage",
]
