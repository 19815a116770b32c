"""``report``: the quality records of a run as a Markdown table."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any


def _cell(value: Any) -> str:
    return str(value).replace("|", "\\|")


def _number(value: Any) -> str:
    if value is None:
        return "–"
    if isinstance(value, float):
        return f"{value:.4g}"
    return str(value)


def records_table(records: list[dict[str, Any]]) -> str:
    """Format quality records as a Markdown table, one row per record.

    Example:
        >>> print(records_table([{"notebook": "00_start_here", "metric": "m", "value": 1.0,
        ...     "threshold": 0.5, "higher_is_better": True, "passed": True, "mode": "fast",
        ...     "steps": 3, "wall_seconds": 2.0, "device": "CPU"}]).splitlines()[2])
        | 00_start_here | m | 1 | >= 0.5 | PASS | fast | 3 | 2 | – | CPU |
    """
    header = (
        "| notebook | metric | value | threshold | result | mode | steps | wall s | "
        "first pass s | device |\n|---|---|---|---|---|---|---|---|---|---|"
    )
    rows = [header]
    for record in records:
        relation = ">=" if record.get("higher_is_better") else "<="
        rows.append(
            f"| {record.get('notebook')} | {_cell(record.get('metric'))} | {_number(record.get('value'))} | "
            f"{relation} {_number(record.get('threshold'))} | {'PASS' if record.get('passed') else 'FAIL'} | "
            f"{record.get('mode')} | {_number(record.get('steps'))} | {_number(record.get('wall_seconds'))} | "
            f"{_number(record.get('first_pass_seconds'))} | {record.get('device')} |"
        )
    return "\n".join(rows)


def load_records(path: Path) -> list[dict[str, Any]]:
    """Read every record from a ``quality.jsonl`` file (none if it does not exist).

    Example:
        >>> load_records(Path("no/such/quality.jsonl"))
        []
    """
    if not path.exists():
        return []
    records = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if line.strip():
            try:
                records.append(json.loads(line))
            except json.JSONDecodeError as error:
                raise ValueError(f"{path}, line {number} is not JSON: {error}") from None
    return records


def print_report(results_dir: Path) -> int:
    """Print the table of ``results_dir/quality.jsonl``; return 1 if any check failed, else 0."""
    from course_utils.quality import RECORDS_FILE  # noqa: PLC0415

    records = load_records(Path(results_dir) / RECORDS_FILE)
    if not records:
        print(f"No quality records in {Path(results_dir) / RECORDS_FILE}.")
        return 1
    print(records_table(records))
    return 0 if all(record.get("passed") for record in records) else 1
