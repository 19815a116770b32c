"""Command line for the course's data: ``python -m course_utils.data list | fetch NAME | figures``.

- ``list [--json]``: every data set, offline or online, and whether it is cached.
- ``fetch NAME [--size N] [--split S] [--json]``: download, check, convert and cache a real
  data set ahead of class (NAME: gtsrb, facades, maps, horse2zebra, mnist), then print what it
  holds.
- ``figures [--out FOLDER]``: redraw the sample grids of the offline generators
  (default ``data/figures`` in the course checkout).

Example:
    >>> main(["list"]) == 0  # doctest: +SKIP
    True
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence

from course_utils.data.inventory import (
    ONLINE_NAMES,
    fetch,
    format_fetch_summary,
    format_list,
    list_datasets,
)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m course_utils.data",
        description="List, fetch and picture the course's data sets.",
    )
    commands = parser.add_subparsers(dest="command", required=True)
    listing = commands.add_parser("list", help="show every data set and whether it is cached")
    listing.add_argument("--json", action="store_true", help="print JSON instead of a table")
    fetching = commands.add_parser("fetch", help="download, check and cache a real data set")
    fetching.add_argument("name", choices=ONLINE_NAMES, help="the data set")
    fetching.add_argument("--size", type=int, default=None, help="image side to convert to")
    fetching.add_argument("--split", default=None, help="only this split")
    fetching.add_argument("--json", action="store_true", help="print JSON instead of text")
    drawing = commands.add_parser("figures", help="redraw the offline generators' sample grids")
    drawing.add_argument("--out", default=None, help="folder (default: data/figures)")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status (0 fine, 1 a data problem, 2 bad usage).

    Example:
        >>> main(["fetch", "mnist", "--size", "0"])  # doctest: +SKIP
        1
    """
    arguments = _parser().parse_args(argv)
    try:
        if arguments.command == "list":
            rows = list_datasets()
            print(json.dumps(rows, indent=2) if arguments.json else format_list(rows))
        elif arguments.command == "fetch":
            summary = fetch(arguments.name, size=arguments.size, split=arguments.split)
            text = json.dumps(summary, indent=2) if arguments.json else format_fetch_summary(summary)
            print(text)
        else:
            from pathlib import Path  # noqa: PLC0415

            from course_utils.config import shipped_data_dir  # noqa: PLC0415
            from course_utils.data.figures import save_generator_figures  # noqa: PLC0415

            folder = Path(arguments.out) if arguments.out else shipped_data_dir("figures")
            for path in save_generator_figures(folder):
                print(path)
    except ValueError as error:  # DataSetError, a bad --size, a bad COURSE_DATA_DIR
        print(f"error: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
