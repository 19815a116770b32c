"""``make bench SEEDS=...`` on a tiny course: one run per seed, a fresh data folder each, the table."""

import json
import subprocess
from pathlib import Path

import nbformat
import pytest

from course_utils.build.course_notebooks import select_notebooks
from course_utils.build.seeds import README_END, README_START, run_seeds, seeds_table

# A lesson whose result depends on the seed, that fails on seed 2 and that leaves a file in the
# data folder: the next run must not find it (each run starts from an empty folder).
LESSON = '''
import os
import course_utils
course = course_utils.start_notebook("01_tiny")
marker = course_utils.data_dir() / "left-by-an-earlier-run"
assert not marker.exists(), "a data folder was reused"
marker.write_text(os.environ["COURSE_SEED"])
error = {1: 0.03, 2: 0.07, 3: 0.04}[course.seed]
course_utils.check_bar("sin_mean_abs_error", error, steps=10)
'''


@pytest.fixture
def tiny_course(tmp_path):
    root = tmp_path / "course"
    (root / "notebooks" / "solutions").mkdir(parents=True)
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("# 01 · Tiny"),
                                               nbformat.v4.new_code_cell(LESSON.strip())])
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(notebook, str(root / "notebooks" / "solutions" / "01_tiny.ipynb"))
    (root / "README.md").write_text(f"# Course\n\n{README_START}\nold table\n{README_END}\n\nMore text.\n")
    return root


def test_each_seed_runs_in_its_own_fresh_folder_and_failures_show_as_failures(tiny_course, monkeypatch):
    monkeypatch.chdir(tiny_course)
    lessons = select_notebooks(tiny_course, ["01"])
    runs = run_seeds(lessons, [1, 2], Path("results/seeds"), readme=tiny_course / "README.md")
    assert [(run["seed"], run["error"] is None) for run in runs] == [(1, True), (2, False)]
    assert "QualityCheckFailed" in runs[1]["error"]  # full mode: the failed check raised
    assert [run["records"][0]["seed"] for run in runs] == [1, 2]
    assert runs[0]["records"][0]["relative_margin"] == pytest.approx(0.02 / 0.194, abs=1e-3)

    # Seed 1 again, and seed 3: seed 1's row is replaced, seed 2's kept.
    run_seeds(lessons, [1, 3], Path("results/seeds"), readme=tiny_course / "README.md")
    saved = json.loads(Path("results/seeds/seeds.json").read_text())
    assert [run["seed"] for run in saved["runs"]] == [1, 2, 3]
    table = Path("results/seeds/seeds.md").read_text()
    assert "| 01_tiny | mean \\|y - sin x\\| | <= 0.05 | 0.03 PASS (+0.10) | 0.07 FAIL (-0.10) | 0.04 PASS (+0.05) | 2/3 | -0.10 |" in table
    readme = (tiny_course / "README.md").read_text()
    assert "old table" not in readme and "| 01_tiny |" in readme and readme.endswith("More text.\n")


def test_a_crash_before_the_check_is_shown_as_a_crash():
    runs = [{"notebook": "05_x", "seed": 1, "wall_seconds": 3.0, "error": "ValueError: broken", "records": []}]
    assert "| 05_x | (no quality check) | – | crashed | 0/1 | – | 3 |" in seeds_table(runs)


def test_a_check_after_a_failed_one_is_shown_as_not_reached():
    failed = {"metric": "a", "threshold": 1.0, "higher_is_better": True, "value": 0.5, "passed": False}
    runs = [{"notebook": "01_x", "seed": 1, "wall_seconds": 3.0, "records": [failed],
             "error": "QualityCheckFailed: 01_x: FAIL a = 0.5"},
            {"notebook": "01_x", "seed": 2, "wall_seconds": 3.0, "error": None,
             "records": [failed | {"value": 2.0, "passed": True}, failed | {"metric": "b", "value": 2.0, "passed": True}]}]
    table = seeds_table(runs)
    assert "| 01_x | b | >= 1 | not reached | 2 PASS | 1/2 |" in table


def test_make_bench_with_seeds_runs_the_seeds_command():
    root = Path(__file__).resolve().parents[1]
    dry = subprocess.run(["make", "--no-print-directory", "-n", "bench", "SEEDS=1 2", "BENCH_NOTEBOOKS=01", "VENV=.venv"], cwd=root,
                         capture_output=True, text=True, check=True).stdout
    assert "course_utils.build seeds --seeds 1 2" in dry and dry.rstrip().endswith("01"), dry
    plain = subprocess.run(["make", "--no-print-directory", "-n", "bench", "VENV=.venv"], cwd=root, capture_output=True, text=True,
                           check=True).stdout
    assert "course_utils.build bench" in plain and "seeds" not in plain
