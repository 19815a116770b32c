"""The executed-notebook cache of ``make site``: run a solution notebook only when it changed.

A notebook's key is a hash of its solution file, of every course module (``course_utils/**/*.py``),
of the shipped pretrained models (``data/pretrained/``, which notebooks 07 and 09 load, and the road-sign
judge's weights in ``data/pretrained/judges/``), of the mode
and of the seed (``COURSE_SEED``), so a rebuild after an edit of the website's text, of ``docs/`` or of another
notebook reuses every executed copy, while an edit of the course code runs them all again.
"""

from __future__ import annotations

import hashlib
import shutil
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from course_utils import config
from course_utils.build.course_notebooks import CourseNotebook
from course_utils.build.execute import course_environment, execute_notebook


class SiteBuildError(RuntimeError):
    """A notebook could not be executed, or the site generator failed."""


@dataclass(frozen=True)
class CachedNotebook:
    """An executed copy ready for the website."""

    lesson: CourseNotebook
    path: Path
    seconds: float
    reused: bool


def course_code_digest(root: Path) -> str:
    """A hash of every ``course_utils`` module and shipped pretrained model (path and contents), in a stable order.

    The instructor tooling under ``course_utils/build/`` is left out (notebooks never import it),
    except ``execute.py``, which runs them: editing how the site is laid out re-executes nothing.

    Example:
        >>> from course_utils.config import course_root
        >>> len(course_code_digest(course_root()))
        64
    """
    digest = hashlib.sha256()
    package = Path(root) / "course_utils"
    shipped = sorted(path for path in (Path(root) / "data" / "pretrained").rglob("*") if path.is_file())  # judges/ too
    for path in sorted(package.rglob("*.py")) + shipped:
        relative = path.relative_to(package).as_posix() if path.is_relative_to(package) else ""
        if "__pycache__" in path.parts or (relative.startswith("build/") and relative != "build/execute.py"):
            continue
        digest.update(path.relative_to(root).as_posix().encode())
        digest.update(b"\0")
        digest.update(path.read_bytes())
        digest.update(b"\0")
    return digest.hexdigest()


def cache_key(solution: Path, code_digest: str, mode: str, seed: int = 42) -> str:
    """The key of one executed notebook: its solution's bytes, the course code, the mode and the seed.

    Example:
        >>> import tempfile
        >>> path = Path(tempfile.mkdtemp()) / "00_x.ipynb"
        >>> _ = path.write_text("{}")
        >>> cache_key(path, "abc", "fast") == cache_key(path, "abc", "full")
        False
        >>> cache_key(path, "abc", "fast", seed=1) == cache_key(path, "abc", "fast", seed=2)
        False
    """
    digest = hashlib.sha256()
    for part in (Path(solution).read_bytes(), code_digest.encode(), mode.encode(), str(seed).encode()):
        digest.update(part)
        digest.update(b"\0")
    return digest.hexdigest()[:20]


def cached_path(cache_dir: Path, lesson: CourseNotebook, key: str, mode: str) -> Path:
    """Where the executed copy with this key lives in the cache."""
    return Path(cache_dir) / f"{lesson.name}.{mode}.{key}.ipynb"


def _forget_older(cache_dir: Path, lesson: CourseNotebook, mode: str, keep: Path) -> None:
    for old in Path(cache_dir).glob(f"{lesson.name}.{mode}.*.ipynb"):
        if old != keep:
            old.unlink(missing_ok=True)


def executed_notebooks(
    lessons: list[CourseNotebook], root: Path, cache_dir: Path, mode: str, timeout: int = 3600
) -> list[CachedNotebook]:
    """Return an executed copy of every lesson, from the cache or by running it now (headless).

    Raises:
        SiteBuildError: naming the first notebook that fails to execute; nothing is cached for it.
    """
    cache_dir = Path(cache_dir)
    cache_dir.mkdir(parents=True, exist_ok=True)
    code_digest = course_code_digest(root)
    seed = config.seed()  # the kernel inherits COURSE_SEED: another seed is another executed copy
    executed = []
    for lesson in lessons:
        key = cache_key(lesson.solution_path, code_digest, mode, seed)
        target = cached_path(cache_dir, lesson, key, mode)
        if target.exists():
            print(f"▶ {lesson.name}: executed copy reused ({target.name})", flush=True)
            executed.append(CachedNotebook(lesson, target, 0.0, reused=True))
            continue
        print(f"▶ {lesson.name}: executing ({mode} mode) ...", flush=True)
        started = time.perf_counter()
        with tempfile.TemporaryDirectory(prefix="site-run-") as scratch:
            scratch_dir = Path(scratch)
            with course_environment(mode, scratch_dir / "results"):
                result = execute_notebook(lesson, scratch_dir, mode, scratch_dir / "results", timeout=timeout,
                                          show_failed_checks=True)
            if result.error is not None:
                raise SiteBuildError(
                    f"{lesson.solution_path.relative_to(root)} failed to execute in {mode} mode: {result.error}\n"
                    "The site was not built. Run `make execute MODE=" + mode + " NOTEBOOKS=" + lesson.name[:2]
                    + "` to see the whole error."
                )
            partial = target.with_suffix(".partial")
            shutil.copyfile(result.output_path, partial)
            partial.replace(target)
        seconds = time.perf_counter() - started
        _forget_older(cache_dir, lesson, mode, keep=target)
        failed = [record for record in result.records if not record.get("passed", True)]
        print(f"  {seconds:7.1f} s  " + ("ok" if not failed else f"published with {len(failed)} FAILED quality check(s):"), flush=True)
        for record in failed:
            relation = ">=" if record["higher_is_better"] else "<="
            print(f"           FAIL {record['metric']} = {record['value']:.4g} (needs {relation} {record['threshold']:.4g})", flush=True)
        executed.append(CachedNotebook(lesson, target, seconds, reused=False))
    return executed
