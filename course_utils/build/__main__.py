"""Command line: ``python -m course_utils.build {students,execute,bench,seeds,site,check,report}``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from course_utils.build.bench import run_bench
from course_utils.build.checks import find_problems
from course_utils.build.course_notebooks import NotebookError, select_notebooks
from course_utils.build.execute import execute_notebooks
from course_utils.build.report import print_report
from course_utils.build.seeds import run_seeds
from course_utils.build.settings import SettingsError, load_settings
from course_utils.build.site import build_site
from course_utils.build.site_cache import SiteBuildError
from course_utils.build.strip import MarkerError
from course_utils.build.students import build_students
from course_utils.config import CourseConfigError, course_root


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m course_utils.build",
        description="Instructor tooling for the course's notebooks.",
    )
    parser.add_argument("--root", type=Path, default=None, help="course checkout (default: this one)")
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("students", help="regenerate student notebooks from notebooks/solutions/")
    execute = commands.add_parser("execute", help="run solution notebooks and keep executed copies")
    execute.add_argument("notebooks", nargs="*", help="numbers (01), names (01_sin_gan) or paths; default: all")
    execute.add_argument("--mode", choices=("fast", "full"), default="fast")
    execute.add_argument("--output", type=Path, default=Path("executed"), help="folder for executed copies")
    bench = commands.add_parser("bench", help="full-mode time to quality and peak memory per notebook, with the lecture's recipes")
    bench.add_argument("notebooks", nargs="*", help="numbers (01), names or paths; default: all")
    bench.add_argument("--output", type=Path, default=Path("results/bench"), help="folder for bench.json, bench.md, executed copies")
    bench.add_argument("--mode", choices=("fast", "full"), default="full", help="full (default); fast only to try the command")
    bench.add_argument("--no-recipes", action="store_true", help="skip the lecture's recipes (01, 05)")
    bench.add_argument("--readme", type=Path, default=None, help="also put the table into this README between its bench markers")
    bench.add_argument("--merge", action="store_true",
                       help="replace only these notebooks' rows in the bench.json already in --output; keep the others")
    seeds = commands.add_parser("seeds", help="every chosen notebook in full mode once per seed, each in a fresh data folder")
    seeds.add_argument("notebooks", nargs="*", help="numbers (01), names or paths; default: all")
    seeds.add_argument("--seeds", type=int, nargs="+", required=True, help="the seeds, e.g. --seeds 1 2 3 4 5")
    seeds.add_argument("--output", type=Path, default=Path("results/seeds"), help="folder for seeds.json, seeds.md, executed copies")
    seeds.add_argument("--mode", choices=("fast", "full"), default="full", help="full (default); fast only to try the command")
    seeds.add_argument("--readme", type=Path, default=None, help="also put the table into this README between its seeds markers")
    site = commands.add_parser("site", help="execute the solution notebooks (or reuse them) and build the website")
    site.add_argument("notebooks", nargs="*", help="numbers (01), names or paths; default: all")
    site.add_argument("--mode", choices=("fast", "full"), default="full", help="full (default) or fast (a quick preview)")
    site.add_argument("--output", type=Path, default=Path("site"), help="folder for the built website")
    site.add_argument("--cache", type=Path, default=Path("results/site-cache"), help="folder of executed notebooks kept between builds")
    commands.add_parser("check", help="fail if notebooks are stale, hold outputs, or lack badge/setup/title")
    report = commands.add_parser("report", help="print the quality records of a results folder")
    report.add_argument("results", type=Path, help="a COURSE_RESULTS_DIR holding quality.jsonl")
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run one instructor command; return the process exit code."""
    arguments = _parser().parse_args(argv)
    root = (arguments.root or course_root() or Path.cwd()).resolve()
    try:
        if arguments.command == "report":
            return print_report(arguments.results)
        settings = load_settings(root / "pyproject.toml")
        if arguments.command == "students":
            changed = build_students(root, settings)
            for path in changed:
                print(f"wrote {path.relative_to(root)}")
            print(f"{len(changed)} notebook file(s) changed." if changed else "All notebooks are up to date.")
            return 0
        if arguments.command == "check":
            problems = find_problems(root, settings)
            for problem in problems:
                print(f"✗ {problem}")
            if problems:
                print(f"\n{len(problems)} problem(s) found.")
                return 1
            print("✓ Notebooks are in sync, clean, and have their title, badge and setup cell.")
            return 0
        lessons = select_notebooks(root, arguments.notebooks)
        if arguments.command == "bench":
            benches = run_bench(lessons, root, arguments.output, mode=arguments.mode,
                                recipes=not arguments.no_recipes, readme=arguments.readme, merge=arguments.merge)
            return 1 if any(bench.error for bench in benches) else 0
        if arguments.command == "site":
            build_site(lessons, select_notebooks(root, []), root, settings, arguments.output, arguments.mode, arguments.cache)
            return 0
        if arguments.command == "seeds":
            run_seeds(lessons, arguments.seeds, arguments.output, readme=arguments.readme, mode=arguments.mode)
            return 0  # a report: failed checks are figures in the table, not an error of the command
        results = execute_notebooks(lessons, arguments.output, arguments.mode)
        failed = [result.notebook for result in results if result.error or any(not r["passed"] for r in result.records if r.get("mode") == "full")]
        total = sum(result.seconds for result in results)
        print(f"\n{len(results)} notebook(s) in {total:.1f} s" + (f"; failed: {', '.join(failed)}" if failed else "; all ok."))
        return 1 if failed else 0
    except (SettingsError, NotebookError, MarkerError, CourseConfigError, SiteBuildError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
