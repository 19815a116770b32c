"""Progress bars with a time estimate (ETA) for every long loop, in notebooks and scripts.

In a notebook the bar is ``tqdm``'s widget (``tqdm.auto``); in a headless run (tests, ``build
execute``, a script) a plain text bar that redraws at most every 30 seconds, so stored notebook
outputs stay short.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable
from typing import Any

from course_utils import checks, environment

HEADLESS_REDRAW_SECONDS = 30.0


def progress(iterable: Iterable[Any] | None = None, *, total: int | None = None, description: str | None = None,
             unit: str = "step", initial: int = 0) -> Any:
    """Wrap a loop in a progress bar that shows the items done, the speed and the time left.

    ``iterable=None`` gives a bar you advance yourself (``bar.update(n)``); ``total`` defaults to
    ``len(iterable)``, ``initial`` counts items already done (training continued from a checkpoint).

    Example:
        >>> bar = progress(total=10, description="training")
        >>> bar.update(4); bar.n
        4
        >>> bar.close()
    """
    if total is not None:
        total = checks.whole_number(total, "total", minimum=0)
    options = {"total": total, "desc": description, "unit": unit, "initial": initial, "dynamic_ncols": True}
    if environment.is_headless():
        from tqdm import tqdm  # noqa: PLC0415

        return tqdm(iterable, mininterval=HEADLESS_REDRAW_SECONDS, file=sys.stderr, ascii=True, **options)
    from tqdm.auto import tqdm  # noqa: PLC0415

    return tqdm(iterable, **options)
