"""``students``: write every student notebook from its solution notebook."""

from __future__ import annotations

from pathlib import Path

import nbformat

from course_utils.build.course_notebooks import (
    CourseNotebook,
    find_notebooks,
    read_notebook,
    with_badge_and_setup,
    write_notebook,
)
from course_utils.build.settings import CourseSettings
from course_utils.build.strip import clear_outputs, make_student_notebook


def solution_version(solution: nbformat.NotebookNode, lesson: CourseNotebook, settings: CourseSettings) -> nbformat.NotebookNode:
    """The solution notebook as it must be committed: right badge and setup cell, no outputs."""
    return clear_outputs(with_badge_and_setup(solution, lesson, settings, student=False))


def student_version(solution: nbformat.NotebookNode, lesson: CourseNotebook, settings: CourseSettings) -> nbformat.NotebookNode:
    """The student notebook generated from a solution notebook.

    Raises:
        MarkerError: for unbalanced solution markers, naming notebook and cell.
    """
    source = solution_version(nbformat.from_dict(solution), lesson, settings)
    student = make_student_notebook(source, str(lesson.solution_path))
    return with_badge_and_setup(student, lesson, settings, student=True)


def build_students(root: Path, settings: CourseSettings) -> list[Path]:
    """Normalise every solution notebook and (re)write its student notebook.

    All student notebooks are computed before any file is written, so a marker error in one
    notebook leaves every file as it was.

    Returns:
        The files that changed.
    """
    planned: list[tuple[nbformat.NotebookNode, Path]] = []
    for lesson in find_notebooks(root):
        solution = read_notebook(lesson.solution_path)
        planned.append((solution_version(nbformat.from_dict(solution), lesson, settings), lesson.solution_path))
        planned.append((student_version(solution, lesson, settings), lesson.student_path))
    return [path for notebook, path in planned if write_notebook(notebook, path)]
