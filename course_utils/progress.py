"""Progress bars with a time estimate (ETA) for every long loop, in notebooks and scripts.

In a notebook the bar is ``tqdm``'s widget (``tqdm.auto``). In a headless run (tests,
``build execute``, a script) it is a plain text bar that redraws at most every 30 seconds,
so stored notebook outputs stay short.

Example:
    >>> total = 0
    >>> for number in progress(range(3), description="adding", enabled=False):
    ...     total += number
    >>> total
    3
"""

from __future__ import annotations

import sys
from collections.abc import Iterable
from typing import Any

from course_utils import environment

HEADLESS_REDRAW_SECONDS = 30.0


def progress(
    iterable: Iterable[Any] | None = None,
    *,
    total: int | None = None,
    description: str | None = None,
    unit: str = "step",
    initial: int = 0,
    enabled: bool = True,
) -> Any:
    """Wrap a loop in a progress bar that shows steps done, speed and the time left.

    Args:
        iterable: what to loop over (a ``range``, a list, a dataset); ``None`` for a bar you
            advance yourself with ``bar.update(n)``.
        total: how many items (taken from ``len(iterable)`` when it has one).
        description: a few words shown before the bar.
        unit: what one item is called ("step", "image", "batch").
        initial: items already done (when training continues from a checkpoint).
        enabled: ``False`` gives a silent bar (same interface).

    Returns:
        A ``tqdm`` bar: iterate over it, or call ``update``/``close``.

    Example:
        >>> bar = progress(total=10, description="training")
        >>> bar.update(4); bar.n
        4
        >>> bar.close()
    """
    if total is not None and (isinstance(total, bool) or int(total) != total or total < 0):
        raise ValueError(f"total must be a whole number >= 0, got {total!r}.")
    options = {
        "total": total,
        "desc": description,
        "unit": unit,
        "initial": initial,
        "disable": not enabled,
        "dynamic_ncols": True,
    }
    if environment.is_headless():
        from tqdm import tqdm as text_bar  # noqa: PLC0415

        return text_bar(iterable, mininterval=HEADLESS_REDRAW_SECONDS, file=sys.stderr, ascii=True, **options)
    from tqdm.auto import tqdm as auto_bar  # noqa: PLC0415

    return auto_bar(iterable, **options)
