"""The quality check every notebook ends with: a banner, a JSON record, and in full mode a verdict.

Each call appends one JSON line to ``COURSE_RESULTS_DIR/quality.jsonl``. In full mode a
failed check raises :class:`QualityCheckFailed`, so ``make test-full`` fails; in fast mode
(a few training steps) it only reports.
"""

from __future__ import annotations

import datetime as _dt
import html
import json
import math
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from course_utils import checks, config, environment

RECORDS_FILE = "quality.jsonl"


class QualityCheckFailed(AssertionError):
    """Raised in full mode when a notebook's final quality measure misses its threshold."""


@dataclass
class QualityRecord:
    """One quality measurement, as written to ``quality.jsonl``."""

    notebook: str
    metric: str
    value: float
    threshold: float
    higher_is_better: bool
    passed: bool
    mode: str
    steps: int | None
    wall_seconds: float | None
    device: str
    first_pass_step: int | None = None
    first_pass_seconds: float | None = None
    seed: int | None = None
    bar: str | None = None
    margin: float | None = None
    relative_margin: float | None = None
    timestamp: str = field(default_factory=lambda: _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds"))
    details: dict[str, Any] = field(default_factory=dict)

    def describe(self) -> str:
        """One line of text: PASS/FAIL, metric, value, comparison and threshold."""
        relation = ">=" if self.higher_is_better else "<="
        return (f"{'PASS' if self.passed else 'FAIL'}  {self.metric} = {self.value:.4g}  "
                f"(needs {relation} {self.threshold:.4g}, {self.mode} mode)")


def _append_record(record: QualityRecord) -> Path:
    path = config.results_dir() / RECORDS_FILE
    line = json.dumps(asdict(record), allow_nan=True) + "\n"
    # One write call of one line in append mode: concurrent notebooks never interleave lines.
    with open(path, "a", encoding="utf-8") as stream:
        stream.write(line)
        stream.flush()
        os.fsync(stream.fileno())
    return path


def _show_banner(record: QualityRecord) -> None:
    text = record.describe()
    print(("✅ " if record.passed else "❌ ") + text)
    if environment.is_headless():
        return
    from IPython.display import HTML, display

    colour, background = ("#1b5e20", "#e8f5e9") if record.passed else ("#b71c1c", "#ffebee")
    display(HTML(f'<div style="border-left:6px solid {colour};background:{background};padding:8px 12px;'
                 f'font-size:1.1em;color:{colour}"><b>Quality check {"passed" if record.passed else "failed"}</b> — '
                 f"{html.escape(text)}</div>"))


def quality_check(metric: str, value: float, threshold: float, higher_is_better: bool, *, steps: int | None = None,
                  notebook: str | None = None, first_pass_step: int | None = None, first_pass_seconds: float | None = None,
                  details: dict[str, Any] | None = None, bar: str | None = None) -> QualityRecord:
    """Compare a quality measure with its threshold, show a banner and record the result.

    ``higher_is_better``: the value must be at least (else at most) the threshold; NaN always
    fails. ``steps`` trained, ``first_pass_step``/``first_pass_seconds`` (when a monitor saw the
    bar first crossed) and JSON ``details`` go into the record; ``notebook`` defaults to the one
    given to ``start_notebook``; ``bar`` is the registry key (:func:`check_bar` passes it), and the
    record then carries the margin to the bar. In full mode a failed check raises
    :class:`QualityCheckFailed`. Returns the record written.

    Example:
        >>> record = quality_check("accuracy", 0.93, 0.9, higher_is_better=True, notebook="00_start_here")
        ✅ PASS  accuracy = 0.93  (needs >= 0.9, full mode)
        >>> record.passed
        True
    """
    if not isinstance(metric, str) or not metric.strip():
        raise ValueError("metric must be a non-empty name, e.g. 'mean |y - sin x|'.")
    value, threshold = checks.as_number(value, "value"), checks.as_number(threshold, "threshold")
    if math.isnan(threshold):
        raise ValueError("threshold must be a number, got NaN.")
    steps = None if steps is None else checks.whole_number(steps, "steps", minimum=0)
    session = environment.current_session()
    name = notebook or (session.notebook if session else None)
    if not name:
        raise ValueError(
            "quality_check needs the notebook's name: run the setup cell "
            "(course_utils.start_notebook) first, or pass notebook='NN_name'."
        )
    details = dict(details or {})
    try:
        json.dumps(details)
    except (TypeError, ValueError) as error:
        raise ValueError(f"details must be JSON-serialisable: {error}") from None
    passed = bool((value >= threshold if higher_is_better else value <= threshold) and not math.isnan(value))
    margin = relative_margin = None
    if bar is not None and not math.isnan(value):
        registered = _registered_bar(bar)
        margin, relative_margin = registered.margin_to_bar(value), round(registered.relative_margin(value), 4)
    record = QualityRecord(
        notebook=name, metric=metric, value=value, threshold=threshold, higher_is_better=bool(higher_is_better),
        passed=passed, mode=config.mode(), steps=steps, wall_seconds=None if session is None else round(session.elapsed(), 3),
        device=environment.device_description(), first_pass_step=first_pass_step, first_pass_seconds=first_pass_seconds,
        seed=None if session is None else session.seed, bar=bar, margin=margin, relative_margin=relative_margin,
        details=details,
    )
    _append_record(record)
    _show_banner(record)
    if not passed and record.mode == "full":
        raise QualityCheckFailed(
            f"{name}: {record.describe()}. The model did not reach the course's quality bar. "
            "Look at the training curves above for a diagnosis, then rerun the training cell."
        )
    return record


def _registered_bar(key: str) -> Any:
    from course_utils.metrics.thresholds import THRESHOLDS  # noqa: PLC0415

    if key not in THRESHOLDS:
        raise ValueError(f"No threshold {key!r} in the registry (course_utils/metrics/thresholds.py); "
                         f"the keys are: {', '.join(sorted(THRESHOLDS))}.")
    return THRESHOLDS[key]


def check_bar(key: str, value: float, *, label: str = "", **facts: Any) -> QualityRecord:
    """Check a value against the calibrated bar ``key`` of the threshold registry.

    The metric's name, the bar and its direction come from
    :data:`course_utils.metrics.thresholds.THRESHOLDS`, so no notebook holds a threshold of its
    own. ``label`` is added to the metric's name (e.g. ``" (N=1000)"``); ``facts`` (``steps``,
    ``details``, ...) go to :func:`quality_check`.

    Example:
        >>> record = check_bar("sin_mean_abs_error", 0.03, notebook="01_sin_gan")
        ✅ PASS  mean |y - sin x| = 0.03  (needs <= 0.05, full mode)
        >>> record.margin
        0.02
    """
    threshold = _registered_bar(key)
    return quality_check(threshold.metric + label, value, threshold.value, threshold.higher_is_better,
                         bar=key, **facts)


Measure = float | tuple[float, dict[str, Any]]


def check_bars(values: dict[str, Measure] | list[tuple[str, Measure]], **facts: Any) -> list[QualityRecord]:
    """Check several measures against their bars; record every one before failing.

    Each measure gets its banner and record, then one :class:`QualityCheckFailed` names all
    that failed. ``values`` is ``{threshold key: value}`` (or a list of ``(key, value)`` pairs, to
    check one bar twice); a value may be a pair ``(value, {fact: ...})`` with facts for that
    measure only (a ``label`` among them names it). ``facts`` go to every :func:`check_bar`.

    Example:
        >>> records = check_bars({"sin_mean_abs_error": 0.03, "sin_x_wasserstein": 0.2}, notebook="01_sin_gan")
        ✅ PASS  mean |y - sin x| = 0.03  (needs <= 0.05, full mode)
        ✅ PASS  W1(x, U[-3.5, 3.5]) = 0.2  (needs <= 0.35, full mode)
        >>> [record.passed for record in records]
        [True, True]
    """
    records, failures = [], []
    for key, value in values.items() if isinstance(values, dict) else values:
        value, own_facts = value if isinstance(value, tuple) else (value, {})
        try:
            records.append(check_bar(key, value, **(facts | own_facts)))
        except QualityCheckFailed as failure:
            failures.append(str(failure))
    if failures:
        raise QualityCheckFailed("\n".join(failures))
    return records


def bar(key: str) -> float:
    """Return the value of the calibrated bar ``key``, e.g. to draw it on a curve.

    Example:
        >>> bar("sin_mean_abs_error")
        0.05
    """
    return _registered_bar(key).value
