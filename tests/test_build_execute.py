"""Executing a notebook: a failed quality check stops `make execute`, the website shows it and goes on."""

from __future__ import annotations

import nbformat
import pytest

from course_utils.build.course_notebooks import SOLUTIONS_FOLDER, CourseNotebook
from course_utils.build.execute import execute_notebook
from course_utils.build.site import failed_check_count

FAILING_CHECK = """
class QualityCheckFailed(AssertionError):
    pass
raise QualityCheckFailed("99_tiny: FAIL  share = 0.5  (needs >= 0.9, full mode)")
"""


def _printed(path, index):
    cell = nbformat.read(path, as_version=4).cells[index]
    return "".join(output.get("text", "") for output in cell.get("outputs", []))


@pytest.fixture
def lesson(tmp_path):
    folder = tmp_path / SOLUTIONS_FOLDER
    folder.mkdir(parents=True)
    cells = [nbformat.v4.new_code_cell("print('trained')"), nbformat.v4.new_code_cell(FAILING_CHECK),
             nbformat.v4.new_code_cell("print('reflect questions')")]
    notebook = nbformat.v4.new_notebook(cells=cells)
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(notebook, folder / "99_tiny.ipynb")
    return CourseNotebook(tmp_path, "99_tiny")


def test_a_failed_check_stops_the_run_and_marks_the_copy(lesson, tmp_path):
    result = execute_notebook(lesson, tmp_path / "out", "fast", tmp_path / "results")
    assert result.error is not None and "QualityCheckFailed" in result.error
    assert result.output_path.name == "99_tiny.FAILED.ipynb"
    assert not _printed(result.output_path, -1)  # the cells after the check did not run


def test_the_site_keeps_going_and_shows_the_failure(lesson, tmp_path):
    result = execute_notebook(lesson, tmp_path / "out", "fast", tmp_path / "results", show_failed_checks=True)
    assert result.error is None and result.output_path.name == "99_tiny.ipynb"
    assert _printed(result.output_path, -1) == "reflect questions\n"  # the cells after the check ran
    assert failed_check_count(result.output_path) == 1
