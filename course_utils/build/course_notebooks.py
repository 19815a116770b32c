"""Finding, reading and writing the course's notebooks, and keeping their badge and setup cell right."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

import nbformat

from course_utils.files import atomic_output
from course_utils.build.settings import CourseSettings, setup_cell_source

SOLUTIONS_FOLDER = Path("notebooks") / "solutions"
STUDENTS_FOLDER = Path("notebooks")
NOTEBOOK_FILE = re.compile(r"^(?P<number>\d\d)_(?P<words>[a-z0-9_]+)\.ipynb$")
BADGE = re.compile(r"\[!\[Open In Colab\]\([^)]*\)\]\([^)]*\)")
SETUP_CELL_START = "# @title Setup: run this cell first"


class NotebookError(ValueError):
    """A notebook file cannot be used: unreadable, malformed, or not found."""


@dataclass(frozen=True)
class CourseNotebook:
    """One lesson: its solution file and the student file generated from it."""

    root: Path
    name: str

    @property
    def solution_path(self) -> Path:
        return self.root / SOLUTIONS_FOLDER / f"{self.name}.ipynb"

    @property
    def student_path(self) -> Path:
        return self.root / STUDENTS_FOLDER / f"{self.name}.ipynb"


def find_notebooks(root: Path) -> list[CourseNotebook]:
    """Every lesson, in course order, from the solution notebooks under ``root``.

    Example:
        >>> from course_utils.config import course_root
        >>> find_notebooks(course_root())[0].name
        '00_start_here'
    """
    folder = Path(root) / SOLUTIONS_FOLDER
    return [
        CourseNotebook(Path(root), path.stem)
        for path in sorted(folder.glob("*.ipynb"))
        if NOTEBOOK_FILE.match(path.name)
    ]


def select_notebooks(root: Path, wanted: list[str] | None) -> list[CourseNotebook]:
    """Pick lessons by number (``01``), name (``01_sin_gan``) or path; all when ``wanted`` is empty.

    Raises:
        NotebookError: for a name that matches no lesson, listing the ones that exist.

    Example:
        >>> from course_utils.config import course_root
        >>> [nb.name for nb in select_notebooks(course_root(), ["00"])]
        ['00_start_here']
    """
    notebooks = find_notebooks(root)
    if not wanted:
        return notebooks
    chosen = []
    for item in wanted:
        key = Path(item).stem
        matches = [nb for nb in notebooks if nb.name == key or nb.name.split("_")[0] == key]
        if len(matches) != 1:
            available = ", ".join(nb.name for nb in notebooks) or "none"
            raise NotebookError(
                f"No single notebook matches {item!r}. Give a number like 01, a name like "
                f"01_sin_gan, or a path. Available: {available}."
            )
        if matches[0] not in chosen:
            chosen.append(matches[0])
    return chosen


def read_notebook(path: Path) -> nbformat.NotebookNode:
    """Read and validate a notebook file.

    Raises:
        NotebookError: naming the file when it is missing, not JSON or not a valid notebook.
    """
    try:
        notebook = nbformat.read(str(path), as_version=4)
    except FileNotFoundError:
        raise NotebookError(f"{path} does not exist.") from None
    except Exception as error:  # nbformat raises several JSON and reader errors
        raise NotebookError(f"{path} is not a readable notebook file: {error}") from None
    try:
        nbformat.validate(notebook)
    except nbformat.ValidationError as error:
        raise NotebookError(f"{path} is not a valid notebook: {error.message}") from None
    return notebook


def notebook_text(notebook: nbformat.NotebookNode) -> str:
    """The exact text a notebook is saved as (so files can be compared)."""
    return nbformat.writes(notebook) + "\n"


def write_notebook(notebook: nbformat.NotebookNode, path: Path) -> bool:
    """Write a notebook atomically; return ``False`` (and touch nothing) when unchanged."""
    path = Path(path)
    text = notebook_text(notebook)
    if path.exists() and path.read_text(encoding="utf-8") == text:
        return False
    with atomic_output(path) as temporary:
        temporary.write_text(text, encoding="utf-8")
    return True


def relative_path(notebook: CourseNotebook, student: bool) -> str:
    """The notebook's path inside the repository, as Colab links need it."""
    path = notebook.student_path if student else notebook.solution_path
    return path.relative_to(notebook.root).as_posix()


def first_code_cell(notebook: nbformat.NotebookNode) -> int | None:
    """Index of the first code cell, or ``None``."""
    return next((i for i, cell in enumerate(notebook.cells) if cell.cell_type == "code"), None)


def with_badge_and_setup(
    notebook: nbformat.NotebookNode, lesson: CourseNotebook, settings: CourseSettings, student: bool
) -> nbformat.NotebookNode:
    """Put the right Colab badge in the title cell and the right setup cell first, in place.

    Raises:
        NotebookError: when the notebook does not start with a Markdown title cell.
    """
    if not notebook.cells or notebook.cells[0].cell_type != "markdown" or not notebook.cells[0].source.startswith("# "):
        raise NotebookError(
            f"{lesson.solution_path}: the first cell must be a Markdown title starting with '# '."
        )
    badge = settings.badge_markdown(relative_path(lesson, student))
    title_cell = notebook.cells[0]
    if BADGE.search(title_cell.source):
        title_cell.source = BADGE.sub(lambda _: badge, title_cell.source, count=1)
    else:
        title, _, rest = title_cell.source.partition("\n")
        title_cell.source = f"{title}\n\n{badge}\n{rest}".rstrip("\n")
    source = setup_cell_source(settings, lesson.name)
    index = first_code_cell(notebook)
    if index is not None and notebook.cells[index].source.startswith(SETUP_CELL_START):
        notebook.cells[index].source = source
    else:
        notebook.cells.insert(1, nbformat.v4.new_code_cell(source, id="setup"))
    notebook.nbformat_minor = max(notebook.nbformat_minor, 5)
    for index, cell in enumerate(notebook.cells):
        if "id" not in cell:  # files from before nbformat 4.5: give stable ids, not random ones
            digest = hashlib.sha1(f"{lesson.name}:{index}:{cell.source}".encode()).hexdigest()
            cell.id = digest[:8]
    return notebook
