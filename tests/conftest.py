"""Shared test fixtures: every test gets its own data and results folders."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def isolated_course_folders(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch):
    """Point COURSE_DATA_DIR and COURSE_RESULTS_DIR at fresh folders and start in full mode."""
    base = tmp_path_factory.mktemp("course")
    monkeypatch.setenv("COURSE_DATA_DIR", str(base / "data"))
    monkeypatch.setenv("COURSE_RESULTS_DIR", str(base / "results"))
    monkeypatch.setenv("COURSE_HEADLESS", "1")
    monkeypatch.delenv("COURSE_MODE", raising=False)
    monkeypatch.delenv("COURSE_STRICT_CHECKS", raising=False)
    return base


@pytest.fixture(scope="session")
def shared_judge_folder(tmp_path_factory: pytest.TempPathFactory):
    """One data folder for the judges of the whole test session: each judge is trained once."""
    return tmp_path_factory.getbasetemp() / "metrics-judges"
