"""The one call a notebook's setup cell makes: silence, seed, report, start the clock."""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field
from pathlib import Path

from course_utils import config, environment
from course_utils.seeding import seed_everything

NOTEBOOK_NAME = re.compile(r"^\d\d_[a-z0-9_]+$")


@dataclass
class NotebookSession:
    """What :func:`start_notebook` set up; quality checks read the name and the clock."""

    notebook: str
    seed: int
    mode: str
    data_dir: Path
    results_dir: Path
    started: float = field(default_factory=time.perf_counter)

    def elapsed(self) -> float:
        """Seconds since the setup cell ran."""
        return time.perf_counter() - self.started


_current: NotebookSession | None = None


def current_session() -> NotebookSession | None:
    """Return the session started by :func:`start_notebook`, if any.

    Example:
        >>> current_session() is None or current_session().notebook != ""
        True
    """
    return _current


def start_notebook(notebook: str, seed: int | None = None, report: bool = True) -> NotebookSession:
    """Prepare a notebook: quiet TensorFlow, seed everything, print the environment report.

    Args:
        notebook: the notebook's name without extension, e.g. ``"01_sin_gan"``.
        seed: one seed for Python, NumPy and TensorFlow/Keras; by default ``COURSE_SEED``
            (42 when it is not set), so a whole course can be rerun on another seed.
        report: print the environment report (Python, TensorFlow, Keras, GPU, Colab, mode).

    Raises:
        ValueError: for a name that is not ``NN_words`` or an unusable setting.

    Example:
        >>> session = start_notebook("00_start_here", seed=1, report=False)
        >>> session.notebook, session.seed
        ('00_start_here', 1)
    """
    global _current
    if not isinstance(notebook, str) or not NOTEBOOK_NAME.match(notebook):
        raise ValueError(
            f"notebook must be the notebook's file name without '.ipynb', like "
            f"'01_sin_gan'; got {notebook!r}."
        )
    environment.silence_tensorflow()
    mode = config.mode()
    seed = seed_everything(config.seed() if seed is None else seed)
    _current = NotebookSession(
        notebook=notebook,
        seed=seed,
        mode=mode,
        data_dir=config.data_dir(),
        results_dir=config.results_dir(),
    )
    if report:
        print(environment.format_report({"notebook": notebook, **environment.environment_report(), "seed": seed}))
    return _current
