"""``make bench`` on a tiny course: tables, peak memory, the lecture-recipe comparison, the README block."""

import json
from pathlib import Path

import nbformat
import pytest

from course_utils.build.bench import (
    README_END,
    README_START,
    NotebookBench,
    notebooks_table,
    parse_peak_memory,
    recipes_table,
    run_bench,
    speedup,
    target_lines,
    update_readme,
)
from course_utils.build.course_notebooks import select_notebooks
from course_utils.config import CourseConfigError

LESSON = '''
import time
import course_utils
course = course_utils.start_notebook("01_tiny")
started = time.perf_counter()
ballast = bytearray(64 * 2**20)  # 64 MB, so the peak memory has something to see
course_utils.quality_check("tiny measure", 0.02, 0.05, higher_is_better=False, steps=10,
                           first_pass_step=4, first_pass_seconds=0.5)
'''

RECIPE = '''
import json
print("training...")
print(json.dumps({"recipe": "lecture (eager, two tapes)", "steps": 100, "batch_size": 150, "wall_seconds": 20.0,
                  "first_pass_step": 80, "first_pass_seconds": 16.0, "final_value": 0.04, "threshold": 0.05,
                  "higher_is_better": False, "metric": "tiny measure"}))
'''


@pytest.fixture
def tiny_course(tmp_path):
    root = tmp_path / "course"
    (root / "notebooks" / "solutions").mkdir(parents=True)
    (root / "benchmarks").mkdir()
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("# 01 · Tiny"),
                                               nbformat.v4.new_code_cell(LESSON.strip())])
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(notebook, str(root / "notebooks" / "solutions" / "01_tiny.ipynb"))
    (root / "benchmarks" / "lecture_recipe_01.py").write_text(RECIPE.strip())
    (root / "README.md").write_text(f"# Course\n\n{README_START}\nold table\n{README_END}\n\nMore text.\n")
    return root


def test_bench_records_time_to_quality_memory_and_the_lecture_recipe(tiny_course, monkeypatch):
    root = tiny_course
    monkeypatch.chdir(root)
    output = Path("results") / "bench"  # relative, as `make bench` passes it: the kernel runs elsewhere
    (bench,) = run_bench(select_notebooks(root, ["01"]), root, output, mode="fast", readme=root / "README.md")
    assert bench.records, "the notebook's quality record must be found"
    assert bench.error is None and bench.passed
    assert bench.peak_rss_mb is not None and bench.peak_rss_mb > 64
    assert bench.primary["first_pass_seconds"] == 0.5
    assert bench.recipes[0]["first_pass_seconds"] == 16.0

    saved = json.loads((output / "bench.json").read_text())
    assert saved["machine"]["device"].startswith(("CPU", "GPU"))
    assert saved["notebooks"][0]["records"][0]["metric"] == "tiny measure"
    markdown = (output / "bench.md").read_text()
    assert "| 01_tiny | 10 |" in markdown and "PASS" in markdown
    assert "32x" in markdown  # 16 s against 0.5 s
    assert "more than" not in markdown
    executed = nbformat.read(str(output / "executed" / "01_tiny.ipynb"), as_version=4)
    assert len(executed.cells) == 2  # the memory cell is not left in the executed copy

    readme = (root / "README.md").read_text()
    assert "old table" not in readme and "| 01_tiny |" in readme and readme.endswith("More text.\n")


def test_a_failing_notebook_is_reported_not_hidden(tiny_course):
    path = tiny_course / "notebooks" / "solutions" / "01_tiny.ipynb"
    notebook = nbformat.read(str(path), as_version=4)
    notebook.cells[1].source = "raise RuntimeError('broken lesson')"
    nbformat.write(notebook, str(path))
    (bench,) = run_bench(select_notebooks(tiny_course, ["01"]), tiny_course, tiny_course / "out", mode="fast", recipes=False)
    assert bench.error is not None and "broken lesson" in bench.error and not bench.passed
    assert "notebook failed" in (tiny_course / "out" / "bench.md").read_text()


def test_a_recipe_that_never_passes_gives_a_lower_bound():
    assert speedup({"first_pass_seconds": 2.0}, {"first_pass_seconds": None, "wall_seconds": 60.0}) == (30.0, False)
    assert speedup({"first_pass_seconds": None}, {"first_pass_seconds": 5.0, "wall_seconds": 60.0}) == (None, False)
    bench = NotebookBench("01_sin_gan", 50.0, None, [{"metric": "m", "value": 0.04, "threshold": 0.05, "higher_is_better": False,
                                                     "passed": True, "steps": 4000, "first_pass_step": 900, "first_pass_seconds": 4.0}])
    bench.recipes.append({"recipe": "lecture", "steps": 5000, "batch_size": 150, "wall_seconds": 60.0, "first_pass_step": None,
                          "first_pass_seconds": None, "final_value": 0.2, "threshold": 0.05, "higher_is_better": False})
    assert "> 15x (lecture never passed)" in recipes_table([bench])
    assert any("more than 15x" in line and "MISSED" not in line for line in target_lines([bench]))


def test_targets_name_a_slow_notebook():
    slow = NotebookBench("02_slanted_land", 75.0, None, [{"metric": "m", "value": 1.0, "threshold": 0.8, "passed": True}])
    (line,) = target_lines([slow])
    assert "target < 60 s" in line and line.endswith("MISSED")


def test_memory_line_missing_gives_none_and_readme_without_markers_is_refused(tmp_path):
    assert parse_peak_memory("no marker here") == {"peak_rss_mb": None, "peak_gpu_mb": None}
    readme = tmp_path / "README.md"
    readme.write_text("# no markers\n")
    with pytest.raises(CourseConfigError, match="bench:start"):
        update_readme(readme, "| table |\n")
    assert readme.read_text() == "# no markers\n"


def test_a_failed_quality_check_shows_its_value_and_a_crash_shows_a_clean_message():
    record = {"metric": "share", "value": 0.787, "threshold": 0.9, "higher_is_better": True, "passed": False,
              "steps": 6000}
    failed_check = NotebookBench("05_dcgan_vertical_lines", 350.0, "\x1b[31mQualityCheckFailed\x1b[39m: 0.787", [record])
    crashed = NotebookBench("06_dcgan_road_signs", 12.0, "\x1b[31mValueError\x1b[39m: bad shape", [])
    table = notebooks_table([failed_check, crashed]).splitlines()
    assert table[2] == "| 05_dcgan_vertical_lines | 6000 | 350 | – | – | share | 0.787 | >= 0.9 | FAIL | – |"
    assert "notebook failed: ValueError: bad shape |" in table[3] and "\x1b" not in table[3]


def test_merge_replaces_only_the_notebooks_measured_again(tiny_course):
    root = tiny_course
    output = root / "results" / "bench"
    output.mkdir(parents=True)
    old_recipe = {"recipe": "lecture (eager, two tapes)", "steps": 100, "batch_size": 150, "wall_seconds": 30.0,
                  "first_pass_step": None, "first_pass_seconds": None, "final_value": 0.3, "threshold": 0.05,
                  "higher_is_better": False, "metric": "tiny measure"}
    earlier = {"machine": {"device": "CPU: earlier", "cpu": "earlier", "memory_gb": 1, "python": "3", "tensorflow": "2",
                           "keras": "3", "date": "2026-01-01 00:00 UTC", "load_average_at_start": 0.1},
               "notebooks": [{"notebook": "00_other", "wall_seconds": 5.0, "error": None, "records": []},
                             {"notebook": "01_tiny", "wall_seconds": 99.0, "error": None, "records": [],
                              "recipes": [old_recipe]}]}
    (output / "bench.json").write_text(json.dumps(earlier))

    (bench,) = run_bench(select_notebooks(root, ["01"]), root, output, mode="fast", recipes=False,
                         readme=root / "README.md", merge=True)
    assert bench.wall_seconds < 99.0

    saved = json.loads((output / "bench.json").read_text())
    assert [entry["notebook"] for entry in saved["notebooks"]] == ["00_other", "01_tiny"]
    assert saved["notebooks"][0]["wall_seconds"] == 5.0
    assert saved["notebooks"][1]["recipes"] == [old_recipe]  # not run again: the earlier figures stay
    assert saved["machine"]["date"] == "2026-01-01 00:00 UTC" and set(saved["machine"]["remeasured"]) == {"01_tiny"}
    readme = (root / "README.md").read_text()
    assert "| 00_other |" in readme and "| 01_tiny | 10 |" in readme
    assert "Measured again later (`bench --merge`): 01_tiny at " in readme
