"""The instructor commands on a small course built in a temporary folder."""

import json
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from course_utils.build.__main__ import main
from course_utils.build.checks import code_cell_problem, find_problems
from course_utils.build.course_notebooks import NotebookError, select_notebooks
from course_utils.build.settings import SettingsError, load_settings, setup_cell_source
from course_utils.build.students import build_students
from course_utils.config import course_root

REPOSITORY_ROOT = course_root()


def make_course(root: Path, repository: str = "https://github.com/teacher/gan-course") -> Path:
    (root / "notebooks" / "solutions").mkdir(parents=True)
    (root / "pyproject.toml").write_text(f'[tool.course]\nrepository = "{repository}"\nbranch = "main"\n')
    lesson = nbformat.v4.new_notebook(
        cells=[
            nbformat.v4.new_markdown_cell("# 01 · A lesson\n\nWhat it teaches."),
            nbformat.v4.new_code_cell("%matplotlib inline\ndef f(x):\n    ### BEGIN SOLUTION\n    return 2 * x\n    ### END SOLUTION"),
            nbformat.v4.new_markdown_cell("Why?\n\n### BEGIN SOLUTION\nBecause.\n### END SOLUTION"),
        ]
    )
    nbformat.write(lesson, str(root / "notebooks" / "solutions" / "01_lesson.ipynb"))
    return root


@pytest.fixture
def course(tmp_path):
    root = make_course(tmp_path / "course")
    settings = load_settings(root / "pyproject.toml")
    build_students(root, settings)
    return root, settings


def test_students_writes_badges_setup_cells_and_stubs(course):
    root, settings = course
    solution = nbformat.read(str(root / "notebooks/solutions/01_lesson.ipynb"), as_version=4)
    student = nbformat.read(str(root / "notebooks/01_lesson.ipynb"), as_version=4)
    assert "colab.research.google.com/github/teacher/gan-course/blob/main/notebooks/solutions/01_lesson.ipynb" in solution.cells[0].source
    assert "colab.research.google.com/github/teacher/gan-course/blob/main/notebooks/01_lesson.ipynb" in student.cells[0].source
    assert student.cells[1].source == setup_cell_source(settings, "01_lesson")
    assert "raise NotImplementedError()" in student.cells[2].source and "2 * x" not in student.cells[2].source
    assert "_Your answer here._" in student.cells[3].source
    assert [c.id for c in student.cells] == [c.id for c in solution.cells]
    assert find_problems(root, settings) == []
    assert build_students(root, settings) == []  # a second run changes nothing


def test_check_fails_when_a_solution_was_edited_without_students(course):
    root, settings = course
    path = root / "notebooks/solutions/01_lesson.ipynb"
    notebook = nbformat.read(str(path), as_version=4)
    notebook.cells.append(nbformat.v4.new_code_cell("print('a new cell')"))
    nbformat.write(notebook, str(path))
    (problem,) = find_problems(root, settings)
    assert "notebooks/01_lesson.ipynb: out of date with notebooks/solutions/01_lesson.ipynb" in problem
    assert "make students" in problem


def test_check_finds_outputs_bad_syntax_and_a_wrong_setup_cell(course):
    root, settings = course
    path = root / "notebooks/solutions/01_lesson.ipynb"
    notebook = nbformat.read(str(path), as_version=4)
    notebook.cells[1].source = notebook.cells[1].source.replace("teacher/gan-course", "someone/else")
    notebook.cells[2].execution_count = 3
    notebook.cells.append(nbformat.v4.new_code_cell("x = (1"))
    nbformat.write(notebook, str(path))
    problems = "\n".join(find_problems(root, settings))
    assert "cell 1" in problems and "setup cell differs" in problems
    assert "cell 2" in problems and "holds outputs" in problems
    assert "cell 4" in problems and "SyntaxError on line 1" in problems


def test_changing_the_repository_setting_updates_every_notebook(course):
    root, _ = course
    (root / "pyproject.toml").write_text('[tool.course]\nrepository = "https://github.com/newhome/course"\nbranch = "v2"\n')
    settings = load_settings(root / "pyproject.toml")
    problems = find_problems(root, settings)
    assert any("Colab badge points at the wrong place" in p for p in problems)
    assert any("setup cell differs" in p for p in problems)
    changed = build_students(root, settings)
    assert len(changed) == 2
    assert find_problems(root, settings) == []
    student = (root / "notebooks/01_lesson.ipynb").read_text()
    assert "github/newhome/course/blob/v2/notebooks/01_lesson.ipynb" in student
    assert 'COURSE_BRANCH = \\"v2\\"' in student


def test_unbalanced_markers_stop_students_before_writing_anything(course):
    root, settings = course
    path = root / "notebooks/solutions/01_lesson.ipynb"
    before = (root / "notebooks/01_lesson.ipynb").read_text()
    notebook = nbformat.read(str(path), as_version=4)
    notebook.cells[2].source += "\n### BEGIN SOLUTION"
    nbformat.write(notebook, str(path))
    assert main(["--root", str(root), "students"]) == 2
    assert (root / "notebooks/01_lesson.ipynb").read_text() == before
    assert any("01_lesson.ipynb, cell 2" in p and "never closed" in p for p in find_problems(root, settings))


def test_malformed_notebook_and_orphans_are_reported(course, capsys):
    root, settings = course
    (root / "notebooks/solutions/02_broken.ipynb").write_text("{not json")
    shutil.copy(root / "notebooks/01_lesson.ipynb", root / "notebooks/03_orphan.ipynb")
    problems = "\n".join(find_problems(root, settings))
    assert "02_broken.ipynb is not a readable notebook file" in problems
    assert "03_orphan.ipynb: a student notebook without a solution notebook" in problems
    assert main(["--root", str(root), "check"]) == 1
    assert "problem(s) found" in capsys.readouterr().out


def test_missing_title_is_reported(course):
    root, settings = course
    path = root / "notebooks/solutions/01_lesson.ipynb"
    notebook = nbformat.read(str(path), as_version=4)
    notebook.cells[0].source = "A lesson without a title"
    nbformat.write(notebook, str(path))
    assert any("Markdown title" in p for p in find_problems(root, settings))


def test_code_cells_may_use_magics():
    assert code_cell_problem("%%time\nx = 1") is None
    assert code_cell_problem("!ls\nx = [i for i in range(3)]") is None
    assert "SyntaxError" in code_cell_problem("def f(:\n    pass")


def test_select_notebooks_by_number_name_or_path_and_unknown_names(course):
    root, _ = course
    assert [n.name for n in select_notebooks(root, ["01"])] == ["01_lesson"]
    assert [n.name for n in select_notebooks(root, ["notebooks/solutions/01_lesson.ipynb"])] == ["01_lesson"]
    with pytest.raises(NotebookError, match="Available: 01_lesson"):
        select_notebooks(root, ["07_fake_or_real"])


def test_bad_repository_setting_is_a_clear_error(tmp_path):
    (tmp_path / "pyproject.toml").write_text('[tool.course]\nrepository = "gitlab.com/x"\n')
    with pytest.raises(SettingsError, match="not a GitHub repository URL"):
        load_settings(tmp_path / "pyproject.toml")
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'x'\n")
    with pytest.raises(SettingsError, match=r"\[tool.course\]"):
        load_settings(tmp_path / "pyproject.toml")


def test_execute_unknown_notebook_is_a_clear_error(course, capsys):
    root, _ = course
    assert main(["--root", str(root), "execute", "99"]) == 2
    assert "No single notebook matches '99'" in capsys.readouterr().err


def test_execute_runs_a_notebook_and_reports_its_quality_record(tmp_path, capsys):
    root = tmp_path / "course"
    (root / "notebooks" / "solutions").mkdir(parents=True)
    shutil.copy(REPOSITORY_ROOT / "pyproject.toml", root / "pyproject.toml")
    cells = [
        nbformat.v4.new_markdown_cell("# 01 · Tiny"),
        nbformat.v4.new_code_cell("print('setup')"),
        nbformat.v4.new_code_cell(
            "import course_utils\ncourse_utils.start_notebook('01_tiny', report=False)\n"
            "print('mode', course_utils.mode())\n"
            "course_utils.quality_check('answer', 42, 40, higher_is_better=True, steps=1)"
        ),
    ]
    nbformat.write(nbformat.v4.new_notebook(cells=cells, metadata={"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}}),
                   str(root / "notebooks/solutions/01_tiny.ipynb"))
    broken = nbformat.v4.new_notebook(cells=cells[:2] + [nbformat.v4.new_code_cell("1 / 0")])
    nbformat.write(broken, str(root / "notebooks/solutions/02_broken.ipynb"))
    output = tmp_path / "executed"
    assert main(["--root", str(root), "execute", "--mode", "fast", "--output", str(output)]) == 1
    printed = capsys.readouterr().out
    assert "01_tiny (fast mode)" in printed and "PASS answer = 42" in printed
    assert "02_broken" in printed and "FAILED" in printed and "ZeroDivisionError" in printed
    executed = nbformat.read(str(output / "01_tiny.ipynb"), as_version=4)
    assert "mode fast" in "".join(o.get("text", "") for o in executed.cells[2].outputs)
    assert (output / "02_broken.FAILED.ipynb").exists() and not (output / "02_broken.ipynb").exists()


def test_the_repository_itself_passes_check():
    assert find_problems(REPOSITORY_ROOT, load_settings(REPOSITORY_ROOT / "pyproject.toml")) == []


def test_report_prints_a_table(tmp_path, capsys):
    record = {"notebook": "01_sin_gan", "metric": "m", "value": 0.04, "threshold": 0.05, "higher_is_better": False,
              "passed": True, "mode": "full", "steps": 800, "wall_seconds": 12.5, "device": "CPU: x"}
    (tmp_path / "quality.jsonl").write_text(json.dumps(record) + "\n")
    assert main(["report", str(tmp_path)]) == 0
    assert "| 01_sin_gan | m | 0.04 | <= 0.05 | PASS | full | 800 | 12.5 |" in capsys.readouterr().out


def test_command_line_entry_point_runs():
    completed = subprocess.run([sys.executable, "-m", "course_utils.build", "--help"], capture_output=True, text=True)
    assert completed.returncode == 0 and "students" in completed.stdout
