"""``check``: everything an instructor must not forget before committing notebooks."""

from __future__ import annotations

import ast
from pathlib import Path

import nbformat
from IPython.core.inputtransformer2 import TransformerManager

from course_utils.build.course_notebooks import (
    BADGE,
    NOTEBOOK_FILE,
    SETUP_CELL_START,
    STUDENTS_FOLDER,
    CourseNotebook,
    NotebookError,
    find_notebooks,
    first_code_cell,
    notebook_text,
    read_notebook,
    relative_path,
)
from course_utils.build.settings import CourseSettings, setup_cell_source
from course_utils.build.strip import MarkerError
from course_utils.build.students import student_version

_TRANSFORMER = TransformerManager()


def _cell_label(path: Path, index: int, cell: nbformat.NotebookNode) -> str:
    cell_id = cell.get("id")
    return f"{path}, cell {index}" + (f" (id {cell_id})" if cell_id else "")


def code_cell_problem(source: str) -> str | None:
    """Return why a code cell does not parse as Python (IPython magics allowed), or ``None``.

    Example:
        >>> code_cell_problem("%matplotlib inline\\nx = 1") is None
        True
        >>> code_cell_problem("x = (1")
        "SyntaxError on line 1: '(' was never closed"
    """
    try:
        ast.parse(_TRANSFORMER.transform_cell(source))
    except SyntaxError as error:
        return f"SyntaxError on line {error.lineno}: {error.msg}"
    return None


def notebook_problems(
    notebook: nbformat.NotebookNode, path: Path, lesson: CourseNotebook, settings: CourseSettings, student: bool
) -> list[str]:
    """Title, badge, setup cell, outputs and syntax problems of one notebook file."""
    problems = []
    cells = notebook.cells
    if not cells or cells[0].cell_type != "markdown" or not cells[0].source.startswith("# "):
        problems.append(f"{path}, cell 0: the notebook must start with a Markdown title ('# ...').")
    else:
        expected_badge = settings.badge_markdown(relative_path(lesson, student))
        badge = BADGE.search(cells[0].source)
        if badge is None:
            problems.append(f"{path}, cell 0: no 'Open In Colab' badge in the title cell. Run `make students`.")
        elif badge.group(0) != expected_badge:
            problems.append(
                f"{path}, cell 0: the Colab badge points at the wrong place ({badge.group(0)}); "
                f"expected {expected_badge}. Run `make students`."
            )
    index = first_code_cell(notebook)
    if index is None or not cells[index].source.startswith(SETUP_CELL_START):
        problems.append(f"{path}: the first code cell must be the course's setup cell. Run `make students`.")
    elif cells[index].source != setup_cell_source(settings, lesson.name):
        problems.append(
            f"{_cell_label(path, index, cells[index])}: the setup cell differs from the course's "
            "(wrong repository, branch or notebook name, or edited by hand). Run `make students`."
        )
    for number, cell in enumerate(cells):
        if cell.cell_type != "code":
            continue
        if cell.get("outputs") or cell.get("execution_count") is not None:
            problems.append(
                f"{_cell_label(path, number, cell)}: holds outputs; committed notebooks must not. "
                "Clear them (`make students` does it for student notebooks; in JupyterLab: Edit > "
                "Clear Outputs of All Cells)."
            )
        syntax = code_cell_problem(cell.source)
        if syntax:
            problems.append(f"{_cell_label(path, number, cell)}: {syntax}")
    return problems


def find_problems(root: Path, settings: CourseSettings) -> list[str]:
    """Every problem with the course's notebooks; an empty list means all is well.

    Example:
        >>> from course_utils.config import course_root
        >>> from course_utils.build.settings import load_settings
        >>> find_problems(course_root(), load_settings(course_root() / "pyproject.toml"))
        []
    """
    root = Path(root)
    problems: list[str] = []
    lessons = find_notebooks(root)
    if not lessons:
        return [f"{root / 'notebooks' / 'solutions'}: no solution notebooks found."]
    for lesson in lessons:
        try:
            solution = read_notebook(lesson.solution_path)
        except NotebookError as error:
            problems.append(str(error))
            continue
        problems += notebook_problems(solution, lesson.solution_path, lesson, settings, student=False)
        try:
            expected = student_version(solution, lesson, settings)
        except (MarkerError, NotebookError) as error:
            problems.append(str(error))
            continue
        if not lesson.student_path.exists():
            problems.append(f"{lesson.student_path}: missing. Run `make students`.")
            continue
        try:
            student = read_notebook(lesson.student_path)
        except NotebookError as error:
            problems.append(f"{error} Run `make students` to regenerate it.")
            continue
        problems += notebook_problems(student, lesson.student_path, lesson, settings, student=True)
        if lesson.student_path.read_text(encoding="utf-8") != notebook_text(expected):
            problems.append(
                f"{lesson.student_path}: out of date with {lesson.solution_path.relative_to(root)}"
                f"{_first_difference(student, expected)}. Run `make students`."
            )
    known = {lesson.name for lesson in lessons}
    for path in sorted((root / STUDENTS_FOLDER).glob("*.ipynb")):
        if NOTEBOOK_FILE.match(path.name) and path.stem not in known:
            problems.append(f"{path}: a student notebook without a solution notebook. Delete it or add the solution.")
    return problems


def _first_difference(actual: nbformat.NotebookNode, expected: nbformat.NotebookNode) -> str:
    if len(actual.cells) != len(expected.cells):
        return f" ({len(actual.cells)} cells, expected {len(expected.cells)})"
    for index, (mine, theirs) in enumerate(zip(actual.cells, expected.cells)):
        if mine != theirs:
            cell_id = theirs.get("id")
            return f" (first difference in cell {index}" + (f", id {cell_id})" if cell_id else ")")
    return " (notebook metadata differs)"
