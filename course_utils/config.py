"""Course configuration, read in one place: the mode and the folders for data and results.

Environment variables (all optional):

- ``COURSE_MODE``: ``full`` (default, what students run) or ``fast`` (few steps, small data,
  for tests on a CPU).
- ``COURSE_DATA_DIR``: where generated data, downloads, caches and checkpoints live.
  Default: ``data/cache`` inside the course checkout (also in Colab, where the checkout sits
  in ``/content``); ``~/.cache/keras-gan-course`` when the package is installed elsewhere.
  In Colab, point it at a Google Drive folder to keep checkpoints when the runtime is lost.
- ``COURSE_RESULTS_DIR``: where quality-check records and figures go.
  Default: ``results`` inside the course checkout.
- ``COURSE_SEED``: the one seed every notebook's setup cell uses for Python, NumPy and
  TensorFlow/Keras (default 42). Each quality record carries it, so a result can be rerun.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")

MODES = ("full", "fast")
MODE_VARIABLE = "COURSE_MODE"
DATA_DIR_VARIABLE = "COURSE_DATA_DIR"
RESULTS_DIR_VARIABLE = "COURSE_RESULTS_DIR"
SEED_VARIABLE = "COURSE_SEED"
DEFAULT_SEED = 42

PACKAGE_DIR = Path(__file__).resolve().parent


class CourseConfigError(ValueError):
    """A course setting (environment variable or folder) cannot be used as given."""


def course_root() -> Path | None:
    """Return the course checkout that holds this package, or ``None`` if installed elsewhere.

    Example:
        >>> root = course_root()
        >>> root is None or (root / "course_utils").is_dir()
        True
    """
    root = PACKAGE_DIR.parent
    if (root / "notebooks").is_dir() and (root / "pyproject.toml").is_file():
        return root
    return None


def mode() -> str:
    """Return the course mode, ``"full"`` or ``"fast"``, from ``COURSE_MODE`` (anything else: :class:`CourseConfigError`).

    Example:
        >>> mode() in ("full", "fast")
        True
    """
    value = os.environ.get(MODE_VARIABLE, "full").strip().lower() or "full"
    if value not in MODES:
        raise CourseConfigError(
            f"{MODE_VARIABLE}={os.environ[MODE_VARIABLE]!r} is not a course mode. "
            f"Use {MODE_VARIABLE}=full (what students run) or {MODE_VARIABLE}=fast "
            "(a few steps, for tests), or unset it."
        )
    return value


def seed() -> int:
    """Return the course seed: ``COURSE_SEED`` as a whole number from 0 to 2**32 - 1, default 42.

    Example:
        >>> import os
        >>> os.environ["COURSE_SEED"] = "7"
        >>> seed()
        7
        >>> del os.environ["COURSE_SEED"]
        >>> seed()
        42
    """
    value = os.environ.get(SEED_VARIABLE, "").strip()
    if not value:
        return DEFAULT_SEED
    if not value.isdigit() or int(value) >= 2**32:
        raise CourseConfigError(
            f"{SEED_VARIABLE}={os.environ[SEED_VARIABLE]!r} is not a seed. Use a whole number "
            f"from 0 to {2**32 - 1}, e.g. {SEED_VARIABLE}=7, or unset it for the default {DEFAULT_SEED}."
        )
    return int(value)


def is_fast() -> bool:
    """Return ``True`` in fast mode."""
    return mode() == "fast"


def pick(full: T, fast: T) -> T:
    """Return ``full`` in full mode and ``fast`` in fast mode: a parameters cell shows both values of a knob.

    Example:
        >>> import os
        >>> os.environ["COURSE_MODE"] = "fast"
        >>> pick(full=5000, fast=100)
        100
        >>> del os.environ["COURSE_MODE"]
    """
    return fast if is_fast() else full


def ensure_writable_dir(path: Path, variable: str) -> Path:
    """Create ``path`` if needed and make sure files can be written in it (else :class:`CourseConfigError`).

    Example:
        >>> import tempfile
        >>> ensure_writable_dir(Path(tempfile.mkdtemp()) / "x", "COURSE_DATA_DIR").is_dir()
        True
    """
    path = Path(path).expanduser()
    try:
        path.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=path, prefix=".write-test-"):
            pass
    except OSError as error:
        raise CourseConfigError(
            f"Cannot write to {path} ({error.strerror or error}). Set {variable} to a folder "
            f"you can write to, e.g. `export {variable}=$HOME/gan-course-{variable[7:].lower()}`."
        ) from error
    return path


def _configured_dir(variable: str, inside_checkout: str, fallback_name: str, parts: tuple[str, ...]) -> Path:
    root = course_root()
    default = root / inside_checkout if root is not None else Path.home() / ".cache" / "keras-gan-course" / fallback_name
    return ensure_writable_dir(Path(os.environ.get(variable) or default).joinpath(*parts), variable)


def data_dir(*parts: str) -> Path:
    """Return the data folder (``COURSE_DATA_DIR``), or a subfolder of it, creating it.

    Example:
        >>> data_dir("checkpoints").name
        'checkpoints'
    """
    return _configured_dir(DATA_DIR_VARIABLE, "data/cache", "data", parts)


def results_dir(*parts: str) -> Path:
    """Return the results folder (``COURSE_RESULTS_DIR``), or a subfolder of it, creating it.

    Example:
        >>> results_dir().is_dir()
        True
    """
    return _configured_dir(RESULTS_DIR_VARIABLE, "results", "results", parts)


def shipped_data_dir(*parts: str) -> Path:
    """Return a folder of files that ship with the course (``data/`` in the checkout): pretrained weights, references.

    Read-only by convention; outside a course checkout it raises :class:`CourseConfigError`.

    Example:
        >>> shipped_data_dir().name
        'data'
    """
    root = course_root()
    if root is None:
        raise CourseConfigError(
            "The course's shipped data folder is not available: course_utils is installed "
            "outside a course checkout. Clone the course repository and run from there."
        )
    return root.joinpath("data", *parts)
