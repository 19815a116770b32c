"""``execute``: run solution notebooks in a mode and keep executed copies with their outputs."""

from __future__ import annotations

import json
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import nbformat

from course_utils.build.course_notebooks import CourseNotebook, read_notebook, write_notebook
from course_utils.config import MODES, CourseConfigError, ensure_writable_dir
from course_utils.quality import RECORDS_FILE


@dataclass
class ExecutionResult:
    """How one notebook's run went."""

    notebook: str
    seconds: float
    output_path: Path
    error: str | None = None
    records: list[dict[str, Any]] = field(default_factory=list)
    epilogue_output: str = ""


def _read_new_records(path: Path, offset: int, notebook: str) -> list[dict[str, Any]]:
    if not path.exists():
        return []
    with open(path, encoding="utf-8") as stream:
        stream.seek(offset)
        lines = stream.read().splitlines()
    records = [json.loads(line) for line in lines if line.strip()]
    return [record for record in records if record.get("notebook") == notebook]


def _cell_text(cell: Any) -> str:
    return "".join(output.get("text", "") for output in cell.get("outputs", []) if output.get("output_type") == "stream")


def execute_notebook(
    lesson: CourseNotebook, output_dir: Path, mode: str, results_dir: Path, timeout: int = 1800,
    epilogue: str | None = None, show_failed_checks: bool = False,
) -> ExecutionResult:
    """Run one solution notebook in a fresh kernel and write the executed copy to ``output_dir``.

    A notebook that fails is written as ``NAME.FAILED.ipynb`` (outputs up to the failing cell),
    so the executed folder never holds a half-run notebook under the lesson's own name.
    ``epilogue`` is code run in the same kernel after the last cell (the benchmark reads the
    kernel's peak memory this way); its printed text is returned in ``epilogue_output`` and the
    cell is left out of the executed copy. With ``show_failed_checks`` a failed quality check
    (``QualityCheckFailed``, raised in full mode) does not stop the run: the cell keeps the error,
    the later cells run, and the copy is written under the lesson's own name, as the website
    shows it; the failure is in ``records``.
    """
    from nbclient import NotebookClient  # noqa: PLC0415 - only needed here
    from nbclient.exceptions import CellExecutionError  # noqa: PLC0415

    notebook = read_notebook(lesson.solution_path)
    if epilogue is not None:
        notebook.cells.append(nbformat.v4.new_code_cell(epilogue))
    records_path = results_dir / RECORDS_FILE
    offset = records_path.stat().st_size if records_path.exists() else 0
    client = NotebookClient(
        notebook,
        timeout=timeout,
        kernel_name=notebook.metadata.get("kernelspec", {}).get("name", "python3"),
        resources={"metadata": {"path": str(lesson.solution_path.parent)}},
        allow_error_names=["QualityCheckFailed"] if show_failed_checks else [],
    )
    started = time.perf_counter()
    error = None
    try:
        client.execute()
    except CellExecutionError as failure:
        error = str(failure).strip().splitlines()[-1] if str(failure).strip() else repr(failure)
    except Exception as failure:  # kernel died, timeout, ...
        error = f"{type(failure).__name__}: {failure}"
    seconds = time.perf_counter() - started
    epilogue_output = _cell_text(notebook.cells.pop()) if epilogue is not None else ""
    name = lesson.name if error is None else f"{lesson.name}.FAILED"
    output_path = output_dir / f"{name}.ipynb"
    write_notebook(notebook, output_path)
    if error is None:
        (output_dir / f"{lesson.name}.FAILED.ipynb").unlink(missing_ok=True)
    return ExecutionResult(
        notebook=lesson.name,
        seconds=seconds,
        output_path=output_path,
        error=error,
        records=_read_new_records(records_path, offset, lesson.name),
        epilogue_output=epilogue_output,
    )


@contextmanager
def course_environment(mode: str, results_dir: Path) -> Iterator[None]:
    """Set what an executed notebook reads (mode, headless, results folder); restore it afterwards.

    Example:
        >>> with course_environment("fast", Path("/tmp/results")):
        ...     os.environ["COURSE_MODE"]
        'fast'
    """
    keys = ("COURSE_MODE", "COURSE_HEADLESS", "COURSE_RESULTS_DIR")
    saved = {key: os.environ.get(key) for key in keys}
    # Absolute: the kernel runs in the notebook's folder, where a relative path means another place.
    os.environ.update(COURSE_MODE=mode, COURSE_HEADLESS="1", COURSE_RESULTS_DIR=str(Path(results_dir).resolve()))
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def print_result(result: ExecutionResult) -> None:
    """Print one notebook's time, status and quality verdicts."""
    status = "ok" if result.error is None else f"FAILED: {result.error}"
    print(f"  {result.seconds:7.1f} s  {status}  -> {result.output_path}", flush=True)
    for record in result.records:
        verdict = "PASS" if record["passed"] else "FAIL"
        relation = ">=" if record["higher_is_better"] else "<="
        print(f"           {verdict} {record['metric']} = {record['value']:.4g} ({relation} {record['threshold']:.4g})")


def execute_notebooks(
    lessons: list[CourseNotebook], output_dir: Path, mode: str, results_dir: Path | None = None
) -> list[ExecutionResult]:
    """Run the chosen notebooks one after another in ``mode``, printing time and quality per notebook.

    Raises:
        CourseConfigError: for an unknown mode or a folder that cannot be written.
    """
    if mode not in MODES:
        raise CourseConfigError(f"Unknown mode {mode!r}: use one of {', '.join(MODES)}.")
    output_dir = ensure_writable_dir(Path(output_dir), "the output folder (--output)")
    results_dir = ensure_writable_dir(
        Path(results_dir or os.environ.get("COURSE_RESULTS_DIR") or output_dir / "results"), "COURSE_RESULTS_DIR"
    )
    results = []
    with course_environment(mode, results_dir):
        for lesson in lessons:
            print(f"▶ {lesson.name} ({mode} mode) ...", flush=True)
            result = execute_notebook(lesson, output_dir, mode, results_dir)
            print_result(result)
            results.append(result)
    return results
