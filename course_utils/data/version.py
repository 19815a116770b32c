"""The version of the offline data generators' output: bump ``DATA_VERSION`` whenever a generator
gives other arrays for the same arguments and seed, so that judges and caches are made afresh.

Example:
    >>> from course_utils.data.version import DATA_VERSION
    >>> isinstance(DATA_VERSION, str)
    True
"""

from __future__ import annotations

DATA_VERSION: str = "2"
