"""``bench``: what a student waits for. Full-mode time to quality for each notebook, and the lecture's recipes.

For every chosen solution notebook the benchmark runs it in full mode in a fresh kernel and
records the device, the training steps, the notebook's wall time, the step and training time at
which its quality measure first met its threshold, each final measure against its threshold,
and the kernel's peak memory. For notebooks with a lecture baseline (``benchmarks/lecture_recipe_NN.py``:
01 and 05) it then runs the lecture's original recipe on the same machine and reports both
recipes' time to quality, their final quality and the ratio.

It reports figures; it fails only when a notebook cannot run. The tables go to
``OUTPUT/bench.json`` and ``OUTPUT/bench.md`` and are printed; ``--readme`` also puts the
Markdown table into the README between ``<!-- bench:start -->`` and ``<!-- bench:end -->``.

Example:
    $ make bench BENCH_NOTEBOOKS="01 05"
    $ python -m course_utils.build bench 01 05 --output results/bench --readme README.md
"""

from __future__ import annotations

import datetime as _dt
import json
import os
import platform
import re
import subprocess
import sys
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from course_utils.build.course_notebooks import CourseNotebook
from course_utils.build.execute import course_environment, execute_notebook, print_result
from course_utils.config import MODES, CourseConfigError, ensure_writable_dir
from course_utils.files import atomic_output

README_START = "<!-- bench:start -->"
README_END = "<!-- bench:end -->"
MEMORY_MARKER = "COURSE_BENCH_MEMORY "
TARGET_SECONDS = 600          # every notebook reaches its quality check in under 10 minutes
QUICK_NOTEBOOKS = ("01", "02", "03")
QUICK_SECONDS = 60            # ... 01-03 in under a minute each
SPEEDUP_TARGET = {"01": 20.0}  # 01 at least 20x faster to its threshold than the lecture's recipe

# Run in the notebook's kernel after its last cell: the kernel's own peak memory.
PEAK_MEMORY_CELL = f'''
import json as _bench_json
import sys as _bench_sys

_bench_memory = {{"peak_rss_mb": None, "peak_gpu_mb": None}}
try:
    import resource as _bench_resource
    _bench_peak = _bench_resource.getrusage(_bench_resource.RUSAGE_SELF).ru_maxrss
    _bench_memory["peak_rss_mb"] = _bench_peak / (2**20 if _bench_sys.platform == "darwin" else 1024)
except ImportError:  # Windows
    pass
if "tensorflow" in _bench_sys.modules:
    _bench_tf = _bench_sys.modules["tensorflow"]
    if _bench_tf.config.list_physical_devices("GPU"):
        _bench_memory["peak_gpu_mb"] = _bench_tf.config.experimental.get_memory_info("GPU:0")["peak"] / 2**20
print("{MEMORY_MARKER}" + _bench_json.dumps(_bench_memory))
'''.strip()


@dataclass
class NotebookBench:
    """One notebook's full-mode figures."""

    notebook: str
    wall_seconds: float
    error: str | None
    records: list[dict[str, Any]]
    peak_rss_mb: float | None = None
    peak_gpu_mb: float | None = None
    recipes: list[dict[str, Any]] = field(default_factory=list)

    @property
    def number(self) -> str:
        return self.notebook.split("_")[0]

    @property
    def primary(self) -> dict[str, Any] | None:
        """The record whose time to quality the notebook reports (the first one that has one)."""
        timed = [record for record in self.records if record.get("first_pass_seconds") is not None]
        return (timed or self.records or [None])[0]

    @property
    def passed(self) -> bool:
        return self.error is None and bool(self.records) and all(record.get("passed") for record in self.records)


def parse_peak_memory(text: str) -> dict[str, float | None]:
    """Read the memory line the benchmark's last cell prints.

    Example:
        >>> parse_peak_memory('noise\\nCOURSE_BENCH_MEMORY {"peak_rss_mb": 812.5, "peak_gpu_mb": null}\\n')
        {'peak_rss_mb': 812.5, 'peak_gpu_mb': None}
    """
    for line in reversed(text.splitlines()):
        if line.startswith(MEMORY_MARKER):
            return json.loads(line[len(MEMORY_MARKER):])
    return {"peak_rss_mb": None, "peak_gpu_mb": None}


def machine_description() -> dict[str, Any]:
    """The machine the figures belong to: device, CPU, cores, memory, software and load."""
    from course_utils import environment  # noqa: PLC0415

    memory_gb = None
    try:
        memory_gb = round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30, 1)
    except (AttributeError, ValueError, OSError):
        pass
    device = environment.device_description()  # imports TensorFlow (quietly)
    import keras  # noqa: PLC0415
    import tensorflow as tf  # noqa: PLC0415

    return {
        "device": device,
        "cpu": environment.cpu_name(),
        "memory_gb": memory_gb,
        "python": platform.python_version(),
        "tensorflow": tf.__version__,
        "keras": keras.__version__,
        "date": _dt.datetime.now(_dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "load_average_at_start": _load_average(),
    }


def _load_average() -> float | None:
    try:
        return round(os.getloadavg()[0], 2)
    except (AttributeError, OSError):
        return None


def recipe_script(root: Path, notebook: str) -> Path | None:
    """The lecture-recipe script for a notebook (``benchmarks/lecture_recipe_NN.py``), if there is one."""
    path = root / "benchmarks" / f"lecture_recipe_{notebook.split('_')[0]}.py"
    return path if path.is_file() else None


def run_recipe(script: Path, timeout: int = 3600) -> dict[str, Any]:
    """Run a lecture-recipe script in its own process; return the JSON it prints last."""
    completed = subprocess.run(
        [sys.executable, str(script)], capture_output=True, text=True, timeout=timeout,
        cwd=script.parent.parent, env={**os.environ, "COURSE_HEADLESS": "1"}, check=False,
    )
    lines = [line for line in completed.stdout.splitlines() if line.startswith("{")]
    if completed.returncode != 0 or not lines:
        tail = (completed.stderr or completed.stdout).strip().splitlines()[-3:]
        return {"recipe": "lecture", "error": f"{script.name} exited with {completed.returncode}: {' / '.join(tail)}"}
    return json.loads(lines[-1])


def course_recipe(bench: NotebookBench) -> dict[str, Any] | None:
    """The notebook's own recipe in the same shape as a lecture recipe's result."""
    primary = bench.primary
    if primary is None:
        return None
    return {
        "recipe": "course (the notebook)",
        "steps": primary.get("steps"),
        "first_pass_step": primary.get("first_pass_step"),
        "first_pass_seconds": primary.get("first_pass_seconds"),
        "final_value": primary.get("value"),
        "threshold": primary.get("threshold"),
        "higher_is_better": primary.get("higher_is_better"),
        "metric": primary.get("metric"),
    }


def speedup(course: dict[str, Any], lecture: dict[str, Any]) -> tuple[float | None, bool]:
    """How many times sooner the course's recipe met the threshold: (ratio, exact).

    When the lecture's recipe never met it, its whole training time gives a lower bound
    (``exact`` is False). When the course's recipe never met it, there is no ratio.

    Example:
        >>> speedup({"first_pass_seconds": 2.0}, {"first_pass_seconds": 50.0, "wall_seconds": 60.0})
        (25.0, True)
        >>> speedup({"first_pass_seconds": 2.0}, {"first_pass_seconds": None, "wall_seconds": 60.0})
        (30.0, False)
    """
    ours = course.get("first_pass_seconds")
    if not ours:
        return None, False
    theirs = lecture.get("first_pass_seconds")
    if theirs is not None:
        return round(theirs / ours, 1), True
    if lecture.get("wall_seconds"):
        return round(lecture["wall_seconds"] / ours, 1), False
    return None, False


def _number(value: Any, digits: int = 4) -> str:
    if value is None:
        return "–"
    if isinstance(value, float):
        return f"{value:.{digits}g}"
    return str(value)


# The colour codes a terminal error message carries (``\x1b[31m`` ... ``\x1b[39m``): not for Markdown.
TERMINAL_COLOURS = re.compile(r"\x1b\[[0-9;]*m")


def _cell(text: Any) -> str:
    return str(text).replace("|", "\\|")


def notebooks_table(benches: list[NotebookBench]) -> str:
    """One row per quality measure: time to quality, final value against threshold, peak memory.

    Example:
        >>> bench = NotebookBench("01_sin_gan", 60.0, None, [{"metric": "m", "value": 0.03, "threshold": 0.05,
        ...     "higher_is_better": False, "passed": True, "steps": 4000, "first_pass_step": 900,
        ...     "first_pass_seconds": 11.5}], peak_rss_mb=900.0)
        >>> print(notebooks_table([bench]).splitlines()[2])
        | 01_sin_gan | 4000 | 60 | 900 | 11.5 | m | 0.03 | <= 0.05 | PASS | 900 |
    """
    rows = [
        "| notebook | steps | notebook wall s | first pass step | first pass s (training) | measure | final | "
        "threshold | result | peak memory MB |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for bench in benches:
        memory = "–" if bench.peak_rss_mb is None else f"{bench.peak_rss_mb:.0f}"
        if bench.peak_gpu_mb is not None:
            memory += f" (GPU {bench.peak_gpu_mb:.0f})"
        if bench.error is not None and not bench.records:  # it stopped before any quality check
            rows.append(f"| {bench.notebook} | – | {bench.wall_seconds:.0f} | – | – | notebook failed: "
                        f"{_cell(TERMINAL_COLOURS.sub('', bench.error))} | – | – | FAIL | {memory} |")
            continue
        for record in bench.records or [{}]:
            relation = ">=" if record.get("higher_is_better") else "<="
            result = "PASS" if record.get("passed") else ("FAIL" if record else "no quality check")
            rows.append(
                f"| {bench.notebook} | {_number(record.get('steps'))} | {bench.wall_seconds:.0f} | "
                f"{_number(record.get('first_pass_step'))} | {_number(record.get('first_pass_seconds'), 3)} | "
                f"{_cell(record.get('metric', '–'))} | {_number(record.get('value'), 3)} | "
                f"{relation} {_number(record.get('threshold'))} | {result} | {memory} |"
            )
    return "\n".join(rows)


def recipes_table(benches: list[NotebookBench]) -> str:
    """The course's recipe against the lecture's, for the notebooks that have a lecture baseline."""
    rows = [
        "| notebook | recipe | steps x batch | training s | first pass step | first pass s | final | threshold | "
        "course is faster by |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for bench in benches:
        course = course_recipe(bench)
        for lecture in bench.recipes:
            if "error" in lecture:
                rows.append(f"| {bench.notebook} | lecture | – | – | – | – | – | – | {_cell(lecture['error'])} |")
                continue
            ratio, exact = speedup(course or {}, lecture)
            ratio_text = "–" if ratio is None else (f"{ratio:g}x" if exact else f"> {ratio:g}x (lecture never passed)")
            relation = ">=" if lecture.get("higher_is_better") else "<="
            if course is not None:
                rows.append(
                    f"| {bench.notebook} | {course['recipe']} | {_number(course['steps'])} | – | "
                    f"{_number(course['first_pass_step'])} | {_number(course['first_pass_seconds'], 3)} | "
                    f"{_number(course['final_value'], 3)} | {relation} {_number(course['threshold'])} | |"
                )
            rows.append(
                f"| {bench.notebook} | {lecture['recipe']} | {lecture['steps']} x {lecture['batch_size']} | "
                f"{_number(lecture['wall_seconds'], 3)} | {_number(lecture['first_pass_step'])} | "
                f"{_number(lecture['first_pass_seconds'], 3)} | {_number(lecture['final_value'], 3)} | "
                f"{relation} {_number(lecture['threshold'])} | {ratio_text} |"
            )
    return "\n".join(rows) if len(rows) > 2 else ""


def target_lines(benches: list[NotebookBench]) -> list[str]:
    """The issue's targets, each marked met or missed with the figure behind it."""
    lines = []
    for bench in benches:
        limit = QUICK_SECONDS if bench.number in QUICK_NOTEBOOKS else TARGET_SECONDS
        verdict = "met" if bench.passed and bench.wall_seconds < limit else "MISSED"
        lines.append(f"- {bench.notebook}: quality check {'passed' if bench.passed else 'not passed'} after "
                     f"{bench.wall_seconds:.0f} s of notebook (target < {limit} s): {verdict}")
        if bench.number in SPEEDUP_TARGET:
            for lecture in bench.recipes:
                ratio, exact = speedup(course_recipe(bench) or {}, lecture)
                wanted = SPEEDUP_TARGET[bench.number]
                if ratio is None:
                    lines.append(f"- {bench.notebook}: no speed-up figure (a recipe never met its threshold)")
                else:
                    verdict = "met" if ratio >= wanted else ("MISSED" if exact else "unknown (lower bound only)")
                    lines.append(f"- {bench.notebook}: {'' if exact else 'more than '}{ratio:g}x faster to its threshold "
                                 f"than the lecture's recipe (target >= {wanted:g}x): {verdict}")
    return lines


def render_markdown(machine: dict[str, Any], benches: list[NotebookBench]) -> str:
    """The whole report as Markdown: machine, notebooks table, recipes table, targets."""
    load = machine.get("load_average_at_start")
    on_cpu = machine["device"].startswith("CPU")
    where = (f"CPU: {machine['cpu']}, {machine['memory_gb']} GB memory" if on_cpu
             else f"{machine['device']} (CPU: {machine['cpu']}, {machine['memory_gb']} GB memory)")
    parts = [
        f"Measured {machine['date']} on {where}, "
        f"Python {machine['python']}, TensorFlow {machine['tensorflow']}, Keras {machine['keras']}; "
        f"full mode, one notebook at a time" + (f"; load average {load} at the start." if load is not None else "."),
    ]
    remeasured = machine.get("remeasured") or {}
    if remeasured:
        parts.append("Measured again later (`bench --merge`): "
                     + ", ".join(f"{name} at {date}" for name, date in remeasured.items())
                     + "; a lecture recipe that was not run again keeps its first figures.")
    parts += [
        "",
        notebooks_table(benches),
    ]
    recipes = recipes_table(benches)
    if recipes:
        parts += ["", "The lecture's original recipes on the same machine, in the same run "
                      "(time to quality counts training only):", "", recipes]
    parts += ["", "Targets:", "", *target_lines(benches)]
    return "\n".join(parts) + "\n"


def update_readme(readme: Path, markdown: str, start: str = README_START, end: str = README_END) -> None:
    """Replace the text between two markers of the README (by default the bench table's) with ``markdown``.

    Raises:
        CourseConfigError: when the README lacks the markers.
    """
    text = readme.read_text(encoding="utf-8")
    pattern = re.compile(re.escape(start) + r".*?" + re.escape(end), re.DOTALL)
    if not pattern.search(text):
        raise CourseConfigError(f"{readme} has no {start} ... {end} block to put the table in.")
    new_text = pattern.sub(lambda _: f"{start}\n{markdown}{end}", text)
    with atomic_output(readme) as temporary:
        temporary.write_text(new_text, encoding="utf-8")


def merge_with_previous(
    previous: dict[str, Any], machine: dict[str, Any], benches: list[NotebookBench]
) -> tuple[dict[str, Any], list[NotebookBench]]:
    """Put freshly measured notebooks into an earlier ``bench.json``; the rest keep their figures.

    A notebook measured without its lecture recipe keeps the earlier recipe figures. The earlier
    machine description stays, with the date of each notebook measured again under ``remeasured``.

    Example:
        >>> old = {"machine": {"date": "d1"}, "notebooks": [{"notebook": "01_a", "wall_seconds": 1.0,
        ...        "error": None, "records": []}, {"notebook": "02_b", "wall_seconds": 2.0, "error": None, "records": []}]}
        >>> machine, merged = merge_with_previous(old, {"date": "d2"}, [NotebookBench("02_b", 3.0, None, [])])
        >>> [bench.wall_seconds for bench in merged], machine["remeasured"]
        ([1.0, 3.0], {'02_b': 'd2'})
    """
    fresh = {bench.notebook: bench for bench in benches}
    merged = []
    for entry in previous.get("notebooks", []):
        bench = fresh.pop(entry["notebook"], None)
        if bench is None:
            merged.append(NotebookBench(**entry))
            continue
        if not bench.recipes:
            bench.recipes = list(entry.get("recipes", []))
        merged.append(bench)
    merged += fresh.values()
    merged_machine = dict(previous.get("machine") or machine)
    merged_machine["remeasured"] = {**merged_machine.get("remeasured", {}),
                                    **{bench.notebook: machine["date"] for bench in benches}}
    return merged_machine, merged


def run_bench(
    lessons: list[CourseNotebook], root: Path, output_dir: Path, *, mode: str = "full",
    recipes: bool = True, readme: Path | None = None, merge: bool = False,
) -> list[NotebookBench]:
    """Run each lesson (and its lecture recipe), write ``bench.json`` / ``bench.md``, print the table.

    With ``merge``, the notebooks measured now replace their rows in the ``bench.json`` already in
    ``output_dir`` (if there is one), and the table shows every row; returns the new figures only.
    """
    if mode not in MODES:
        raise CourseConfigError(f"Unknown mode {mode!r}: use one of {', '.join(MODES)}.")
    output_dir = ensure_writable_dir(Path(output_dir), "the benchmark's output folder (--output)")
    executed_dir = ensure_writable_dir(output_dir / "executed", "the benchmark's executed folder")
    results_dir = ensure_writable_dir(output_dir / "results", "the benchmark's results folder")
    machine = machine_description()
    benches = []
    with course_environment(mode, results_dir):
        for lesson in lessons:
            print(f"▶ {lesson.name} ({mode} mode) ...", flush=True)
            result = execute_notebook(lesson, executed_dir, mode, results_dir, epilogue=PEAK_MEMORY_CELL)
            print_result(result)
            memory = parse_peak_memory(result.epilogue_output)
            bench = NotebookBench(lesson.name, round(result.seconds, 1), result.error, result.records,
                                  memory["peak_rss_mb"], memory["peak_gpu_mb"])
            script = recipe_script(root, lesson.name) if recipes else None
            if script is not None:
                print(f"  lecture recipe: {script.relative_to(root)} ...", flush=True)
                bench.recipes.append(run_recipe(script))
            benches.append(bench)
    machine["load_average_at_end"] = _load_average()
    shown_machine, shown = machine, benches
    if merge and (output_dir / "bench.json").is_file():
        previous = json.loads((output_dir / "bench.json").read_text(encoding="utf-8"))
        shown_machine, shown = merge_with_previous(previous, machine, benches)
    markdown = render_markdown(shown_machine, shown)
    with atomic_output(output_dir / "bench.json") as temporary:
        temporary.write_text(json.dumps({"machine": shown_machine, "notebooks": [asdict(b) for b in shown]}, indent=1))
    with atomic_output(output_dir / "bench.md") as temporary:
        temporary.write_text(markdown, encoding="utf-8")
    print("\n" + markdown)
    if readme is not None:
        update_readme(readme, markdown)
        print(f"Updated the table in {readme}.")
    return benches
