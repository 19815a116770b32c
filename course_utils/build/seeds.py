"""``seeds``: does every notebook learn on any seed? Each notebook in full mode once per seed.

Every run gets ``COURSE_SEED`` and a fresh, empty data folder of its own (no judge, checkpoint
or cache carried from one run to the next), so each is what a new student with that seed
sees. The table has one row per quality measure and one column per seed: the value, PASS or
FAIL, and the margin to the bar as a share of the distance from the bar to its nearest bad
calibration case (``+0.10`` or more is the recipes' target; a negative margin is a failure).
Results go to ``OUTPUT/seeds.json`` and ``OUTPUT/seeds.md``; a new run replaces the runs of the
same notebook and seed and keeps the others, so the table can be built a few notebooks at a
time. ``--readme`` puts the table between ``<!-- seeds:start -->`` and ``<!-- seeds:end -->``.

Example:
    $ make bench SEEDS="1 2 3 4 5" BENCH_NOTEBOOKS="01 02"
    $ python -m course_utils.build seeds --seeds 1 2 3 --output results/seeds 01 02
"""

from __future__ import annotations

import datetime as _dt
import json
import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from course_utils.build.bench import machine_description, update_readme
from course_utils.build.course_notebooks import CourseNotebook
from course_utils.build.execute import course_environment, execute_notebook, print_result
from course_utils.config import ensure_writable_dir
from course_utils.files import atomic_output

README_START = "<!-- seeds:start -->"
README_END = "<!-- seeds:end -->"
TARGET_RELATIVE_MARGIN = 0.1


@contextmanager
def seeded_run(seed: int, data_dir: Path) -> Iterator[None]:
    """Set ``COURSE_SEED`` and ``COURSE_DATA_DIR`` for one run; restore both afterwards."""
    saved = {key: os.environ.get(key) for key in ("COURSE_SEED", "COURSE_DATA_DIR")}
    os.environ.update(COURSE_SEED=str(seed), COURSE_DATA_DIR=str(data_dir.resolve()))
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def run_one(lesson: CourseNotebook, seed: int, output_dir: Path, mode: str = "full") -> dict[str, Any]:
    """Run one notebook with one seed in a fresh data folder; return its run record."""
    run_dir = output_dir / f"seed-{seed}" / lesson.name
    if run_dir.exists():
        shutil.rmtree(run_dir)
    data_dir = ensure_writable_dir(run_dir / "data", "the seeds benchmark's data folder")
    results_dir = ensure_writable_dir(run_dir / "results", "the seeds benchmark's results folder")
    print(f"▶ {lesson.name}, seed {seed} ({mode} mode) ...", flush=True)
    with course_environment(mode, results_dir), seeded_run(seed, data_dir):
        result = execute_notebook(lesson, run_dir, mode, results_dir)
    print_result(result)
    shutil.rmtree(data_dir, ignore_errors=True)  # judges, checkpoints, caches: nothing is reused
    return {
        "notebook": lesson.name, "seed": seed, "mode": mode, "wall_seconds": round(result.seconds, 1),
        "error": result.error, "records": result.records,
        "date": _dt.datetime.now(_dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
    }


def merge_runs(previous: list[dict[str, Any]], new: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Replace earlier runs of the same notebook and seed; keep the rest, ordered by notebook and seed.

    Example:
        >>> old = [{"notebook": "01_a", "seed": 1, "wall_seconds": 5}, {"notebook": "01_a", "seed": 2, "wall_seconds": 6}]
        >>> [run["wall_seconds"] for run in merge_runs(old, [{"notebook": "01_a", "seed": 2, "wall_seconds": 7}])]
        [5, 7]
    """
    runs = {(run["notebook"], run["seed"]): run for run in previous}
    runs.update({(run["notebook"], run["seed"]): run for run in new})
    return [runs[key] for key in sorted(runs)]


def _cell_for(record: dict[str, Any] | None, error: str | None) -> str:
    if record is None:
        if error and "QualityCheckFailed" in error:
            return "not reached"  # an earlier check of the notebook failed and stopped it
        return "crashed" if error else "–"
    verdict = "PASS" if record.get("passed") else "FAIL"
    relative = record.get("relative_margin")
    margin = "" if relative is None else f" ({relative:+.2f})"
    return f"{record['value']:.3g} {verdict}{margin}"


def seeds_table(runs: list[dict[str, Any]]) -> str:
    """One row per notebook and measure, one column per seed, then passes and the smallest margin.

    Example:
        >>> runs = [{"notebook": "01_a", "seed": s, "wall_seconds": 10.0, "error": None, "records": [
        ...     {"metric": "m", "bar": "k", "value": v, "threshold": 0.05, "higher_is_better": False,
        ...      "passed": v <= 0.05, "relative_margin": round((0.05 - v) / 0.2, 2)}]} for s, v in ((1, 0.03), (2, 0.06))]
        >>> print(seeds_table(runs).splitlines()[2])
        | 01_a | m | <= 0.05 | 0.03 PASS (+0.10) | 0.06 FAIL (-0.05) | 1/2 | -0.05 | 10 |
    """
    seeds = sorted({run["seed"] for run in runs})
    notebooks = sorted({run["notebook"] for run in runs})
    header = "| notebook | measure | bar | " + " | ".join(f"seed {seed}" for seed in seeds)
    header += " | passes | smallest margin | mean wall s |"
    rows = [header, "|---|---|---|" + "---|" * len(seeds) + "---|---|---|"]
    for notebook in notebooks:
        by_seed = {run["seed"]: run for run in runs if run["notebook"] == notebook}
        metrics: list[str] = []
        for run in by_seed.values():
            for record in run["records"]:
                if record["metric"] not in metrics:
                    metrics.append(record["metric"])
        walls = [run["wall_seconds"] for run in by_seed.values()]
        mean_wall = f"{sum(walls) / len(walls):.0f}"
        for metric in metrics or ["(no quality check)"]:
            found = {seed: next((r for r in run["records"] if r["metric"] == metric), None)
                     for seed, run in by_seed.items()}
            example = next((record for record in found.values() if record is not None), None)
            bar = "–" if example is None else f"{'>=' if example['higher_is_better'] else '<='} {example['threshold']:g}"
            cells = [_cell_for(found.get(seed), by_seed[seed]["error"]) if seed in by_seed else "not run"
                     for seed in seeds]
            ran = [seed for seed in seeds if seed in by_seed]
            passes = sum(1 for seed in ran if found.get(seed) is not None and found[seed].get("passed"))
            margins = [found[seed]["relative_margin"] for seed in ran
                       if found.get(seed) is not None and found[seed].get("relative_margin") is not None]
            smallest = f"{min(margins):+.2f}" if margins else "–"
            rows.append(f"| {notebook} | {metric.replace('|', chr(92) + '|')} | {bar} | " + " | ".join(cells)
                        + f" | {passes}/{len(ran)} | {smallest} | {mean_wall} |")
    return "\n".join(rows)


def render_markdown(machine: dict[str, Any], runs: list[dict[str, Any]]) -> str:
    """The seeds report: where it was measured, the table, and how to read it."""
    dates = sorted({run["date"] for run in runs})
    when = dates[0] if len(dates) == 1 else f"{dates[0]} to {dates[-1]}"
    return "\n".join([
        f"Measured {when} on {machine['device']} ({machine['cpu']}), TensorFlow {machine['tensorflow']}, "
        f"Keras {machine['keras']}; full mode; each run with `COURSE_SEED` set and an empty data folder.",
        "",
        seeds_table(runs),
        "",
        "Each cell: the final value, PASS or FAIL, and in brackets the margin to the bar as a share of the "
        "distance from the bar to its nearest bad calibration case (0 is on the bar; the recipes aim for "
        f"{TARGET_RELATIVE_MARGIN:+.2f} or more on every seed). *not reached*: an earlier check of the notebook failed and stopped it; *crashed*: the notebook stopped with an error before this check; "
        "*not run*: that seed has not been measured for this notebook yet.",
    ]) + "\n"


def run_seeds(
    lessons: list[CourseNotebook], seeds: list[int], output_dir: Path, *, readme: Path | None = None,
    mode: str = "full",
) -> list[dict[str, Any]]:
    """Run every chosen notebook once per seed, merge into ``seeds.json`` and write the tables.

    Returns the runs made now. It reports; it fails only when it cannot run at all.
    """
    if not seeds or any(isinstance(seed, bool) or not isinstance(seed, int) or seed < 0 for seed in seeds):
        raise ValueError(f"seeds must be non-negative whole numbers, got {seeds!r}.")
    output_dir = ensure_writable_dir(Path(output_dir), "the seeds benchmark's output folder (--output)")
    machine = machine_description()
    runs = [run_one(lesson, seed, output_dir, mode) for lesson in lessons for seed in seeds]
    store = output_dir / "seeds.json"
    previous = json.loads(store.read_text(encoding="utf-8"))["runs"] if store.is_file() else []
    merged = merge_runs(previous, runs)
    markdown = render_markdown(machine, merged)
    with atomic_output(store) as temporary:
        temporary.write_text(json.dumps({"machine": machine, "runs": merged}, indent=1), encoding="utf-8")
    with atomic_output(output_dir / "seeds.md") as temporary:
        temporary.write_text(markdown, encoding="utf-8")
    print("\n" + markdown)
    if readme is not None:
        update_readme(readme, markdown, README_START, README_END)
        print(f"Updated the seeds table in {readme}.")
    return runs
