"""Colab support for the setup cell: install only what a Colab runtime lacks.

Colab preinstalls TensorFlow, Keras, NumPy, matplotlib and ipywidgets; reinstalling any of
them forces a runtime restart and has broken widgets, so they are never touched here, whatever
version ``pyproject.toml`` asks for.
"""

from __future__ import annotations

import importlib.metadata
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from packaging.requirements import Requirement

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

#: Distributions a Colab runtime ships and that must never be (re)installed by the course.
PROTECTED_DISTRIBUTIONS = frozenset({"tensorflow", "tensorflow-cpu", "tf-keras", "keras", "numpy", "matplotlib",
                                     "ipywidgets", "ipython", "ipykernel", "jupyter-client", "jupyter-core"})


def _normalise(name: str) -> str:
    return name.lower().replace("_", "-").replace(".", "-")


def _installed(distribution: str) -> bool:
    try:
        importlib.metadata.version(distribution)
    except importlib.metadata.PackageNotFoundError:
        return False
    return True


def missing_requirements(course_root: Path, is_installed: Callable[[str], bool] = _installed) -> list[str]:
    """List the course's requirements that are not installed, leaving out protected ones.

    Args:
        course_root: the course checkout (holds ``pyproject.toml``).
        is_installed: tells whether a distribution is installed (replaceable in tests).

    Example:
        >>> from course_utils.config import course_root
        >>> missing_requirements(course_root(), is_installed=lambda name: True)
        []
    """
    pyproject = Path(course_root) / "pyproject.toml"
    try:
        project = tomllib.loads(pyproject.read_text(encoding="utf-8"))["project"]
    except (OSError, KeyError, tomllib.TOMLDecodeError) as error:
        raise ValueError(f"Cannot read the course's requirements from {pyproject}: {error}") from None
    missing = []
    for text in project.get("dependencies", []):
        requirement = Requirement(text)
        if requirement.marker is not None and not requirement.marker.evaluate():
            continue
        name = _normalise(requirement.name)
        if name in PROTECTED_DISTRIBUTIONS or is_installed(name):
            continue
        missing.append(str(requirement))
    return missing


def install_missing_packages(course_root: Path, run: Callable[..., object] = subprocess.run,
                             is_installed: Callable[[str], bool] = _installed) -> list[str]:
    """Pip-install the course's missing, unprotected requirements; return what was installed.

    Example:
        >>> from course_utils.config import course_root
        >>> install_missing_packages(course_root(), run=print, is_installed=lambda name: True)
        []
    """
    missing = missing_requirements(course_root, is_installed=is_installed)
    if missing:
        run([sys.executable, "-m", "pip", "install", "--quiet", *missing], check=True)
    return missing
