"""Helper package for the Keras course on generative adversarial networks.

Notebooks import the plumbing from here (configuration, data, pictures, metrics, checks) so
that the cells in a notebook are about the lesson. Importing the package is cheap: it does not
import TensorFlow; modules that need it import it when they are used.

Example:
    >>> import course_utils
    >>> course_utils.pick(full=5000, fast=50) in (5000, 50)
    True
"""

from __future__ import annotations

import os as _os

# TensorFlow reads this when it is first imported: hide its INFO/WARNING start-up chatter
# (oneDNN notices, CUDA probing) so notebook outputs show the lesson, not the logs.
_os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
# Keras (TensorFlow backend) for every notebook, unless a user chose otherwise on purpose.
_os.environ.setdefault("KERAS_BACKEND", "tensorflow")

from course_utils.config import data_dir, is_fast, mode, pick, results_dir  # noqa: E402
from course_utils.exercises import exercise  # noqa: E402
from course_utils.quality import bar, check_bar, check_bars, quality_check  # noqa: E402
from course_utils.environment import start_notebook  # noqa: E402

__version__ = "0.1.0"

__all__ = [
    "bar",
    "check_bar",
    "check_bars",
    "data_dir",
    "exercise",
    "is_fast",
    "mode",
    "pick",
    "quality_check",
    "results_dir",
    "start_notebook",
]
