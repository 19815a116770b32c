"""The version of the offline data generators' output.

Bump ``DATA_VERSION`` whenever any generator in ``course_utils.data`` produces different
arrays for the same arguments and seed (a new renderer, another colour, a changed default).
Judges (small classifiers trained on generated data) and cached arrays are stored under this
version, so a bump makes them retrain instead of silently scoring the new data with old models.

Example:
    >>> from course_utils.data.version import DATA_VERSION
    >>> isinstance(DATA_VERSION, str)
    True
"""

from __future__ import annotations

DATA_VERSION: str = "2"
