"""Doctests of ``course_utils`` run with ``make test`` (``--doctest-modules``): give them the
folders the tests use, so that every docstring example runs as a maintainer would run it."""

from __future__ import annotations

import pytest
from _pytest.doctest import DoctestItem


@pytest.fixture(autouse=True)
def doctest_course_folders(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory,
                           monkeypatch: pytest.MonkeyPatch) -> None:
    """Doctests share the tests' judge folder (each judge trained once) and write nothing in the checkout."""
    if not isinstance(request.node, DoctestItem):
        return
    monkeypatch.setenv("COURSE_DATA_DIR", str(tmp_path_factory.getbasetemp() / "metrics-judges"))
    monkeypatch.setenv("COURSE_RESULTS_DIR", str(tmp_path_factory.mktemp("doctest") / "results"))
    monkeypatch.setenv("COURSE_HEADLESS", "1")
    monkeypatch.delenv("COURSE_MODE", raising=False)
    monkeypatch.delenv("COURSE_STRICT_CHECKS", raising=False)
    if "load_judge(" in (request.node.dtest.docstring or ""):
        # the examples show a student's call; the one-time "Training the judge ..." lines are not theirs
        from course_utils.metrics.judges import JUDGE_SPECS, load_judge  # noqa: PLC0415

        for name in JUDGE_SPECS:
            load_judge(name, verbose=False)
