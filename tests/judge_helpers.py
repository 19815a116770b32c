"""Real images of a judge's data set for the judge tests (pytest puts this folder on ``sys.path``)."""

from __future__ import annotations

import numpy as np

from course_utils.data import digits
from course_utils.metrics.judge_data import _make_data, spec_for

REFERENCE_SEED = 7003  # a seed no judge trains or is tested on


def reference_images(name: str, n: int, seed: int = REFERENCE_SEED) -> tuple[np.ndarray, np.ndarray]:
    """``n`` real images of the judge ``name``'s data set and their labels, drawn with ``seed``
    (for ``digits``, the first ``n`` of the 1797 in the order ``seed`` gives)."""
    if spec_for(name).name == "digits":
        images, labels = digits(size=32, seed=seed)
        return images[:n], labels[:n]
    return _make_data(name, n, seed)
