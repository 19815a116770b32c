"""The course's repository setting and what is derived from it: Colab links, badges, setup cell.

The repository URL lives in one place, ``[tool.course]`` in ``pyproject.toml``. Change it and
run ``python -m course_utils.build students`` to rewrite every badge and setup cell.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from pathlib import Path

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

COLAB_BADGE_IMAGE = "https://colab.research.google.com/assets/colab-badge.svg"
GITHUB_URL = re.compile(r"^https://github\.com/(?P<owner>[\w.-]+)/(?P<repo>[\w.-]+?)(?:\.git)?/?$")


class SettingsError(ValueError):
    """``[tool.course]`` in pyproject.toml is missing or malformed."""


@dataclass(frozen=True)
class CourseSettings:
    """Where the course is published: a GitHub repository and branch."""

    repository: str
    branch: str

    @property
    def owner_and_name(self) -> str:
        """``owner/name`` of the GitHub repository."""
        match = GITHUB_URL.match(self.repository)
        assert match is not None  # validated in load_settings
        return f"{match['owner']}/{match['repo']}"

    @property
    def checkout_name(self) -> str:
        """The folder a ``git clone`` of the repository creates."""
        return self.owner_and_name.split("/")[1]

    def colab_url(self, notebook_path: str) -> str:
        """The Colab address that opens ``notebook_path`` (relative to the repository root).

        Example:
            >>> CourseSettings("https://github.com/a/b", "main").colab_url("notebooks/00_x.ipynb")
            'https://colab.research.google.com/github/a/b/blob/main/notebooks/00_x.ipynb'
        """
        return (
            f"https://colab.research.google.com/github/{self.owner_and_name}/blob/"
            f"{self.branch}/{notebook_path}"
        )

    def badge_markdown(self, notebook_path: str) -> str:
        """The "Open in Colab" badge for a notebook, as Markdown."""
        return f"[![Open In Colab]({COLAB_BADGE_IMAGE})]({self.colab_url(notebook_path)})"


def load_settings(pyproject: Path) -> CourseSettings:
    """Read ``[tool.course]`` (repository, branch) from a ``pyproject.toml``.

    Raises:
        SettingsError: when the file, the table or a value is missing or not a GitHub URL.

    Example:
        >>> from course_utils.config import course_root
        >>> load_settings(course_root() / "pyproject.toml").branch
        'main'
    """
    try:
        table = tomllib.loads(Path(pyproject).read_text(encoding="utf-8"))["tool"]["course"]
    except FileNotFoundError:
        raise SettingsError(f"{pyproject} not found: run the build from the course checkout.") from None
    except (KeyError, tomllib.TOMLDecodeError) as error:
        raise SettingsError(
            f"{pyproject} has no readable [tool.course] table ({error}). It needs "
            'repository = "https://github.com/OWNER/NAME" and branch = "main".'
        ) from None
    repository = str(table.get("repository", "")).strip()
    branch = str(table.get("branch", "main")).strip()
    if not GITHUB_URL.match(repository):
        raise SettingsError(
            f"[tool.course] repository = {repository!r} in {pyproject} is not a GitHub "
            "repository URL like https://github.com/OWNER/NAME."
        )
    if not re.fullmatch(r"[\w./-]+", branch):
        raise SettingsError(f"[tool.course] branch = {branch!r} in {pyproject} is not a branch name.")
    return CourseSettings(repository=repository.rstrip("/").removesuffix(".git"), branch=branch)


SETUP_CELL_TEMPLATE = '''\
# @title Setup: run this cell first
# In Colab it fetches the course code (no reinstall of TensorFlow, Keras, NumPy, matplotlib or
# ipywidgets, so no restart); on your own machine it only imports the course helpers.
import os, subprocess, sys
from pathlib import Path

COURSE_REPOSITORY = "{repository}"
COURSE_BRANCH = "{branch}"
if "google.colab" in sys.modules:
    course_root = Path(os.environ.get("COURSE_COLAB_HOME", "/content")) / "{checkout}"
    if not (course_root / "course_utils").is_dir():
        subprocess.run(["git", "clone", "--quiet", "--depth", "1", "--branch", COURSE_BRANCH,
                        COURSE_REPOSITORY, str(course_root)], check=True)
    sys.path.insert(0, str(course_root))
    from course_utils import colab
    colab.install_missing_packages(course_root)
else:
    import importlib.util
    if importlib.util.find_spec("course_utils") is None:  # a checkout without `pip install -e .`
        sys.path.insert(0, str(next((folder for folder in [Path.cwd(), *Path.cwd().parents]
                                     if (folder / "course_utils").is_dir()), Path.cwd())))
import course_utils
course = course_utils.start_notebook("{notebook}")'''


def setup_cell_source(settings: CourseSettings, notebook: str) -> str:
    """The first code cell of every notebook, for notebook ``notebook`` (name without .ipynb).

    Example:
        >>> source = setup_cell_source(CourseSettings("https://github.com/a/b", "main"), "00_start_here")
        >>> source.splitlines()[-1]
        'course = course_utils.start_notebook("00_start_here")'
    """
    return SETUP_CELL_TEMPLATE.format(
        repository=settings.repository,
        branch=settings.branch,
        checkout=settings.checkout_name,
        notebook=notebook,
    )
