"""Instructor command line for the course's data sets (never imported by notebooks):

- ``list [--json]``: every data set, offline or online, and what of it is cached;
- ``fetch NAME [--size N] [--split S] [--json]``: download, check, convert and cache a real
  data set ahead of class (gtsrb, facades, maps, horse2zebra, mnist), then say what it holds;
- ``figures [--out FOLDER]``: redraw the offline generators' sample grids (``data/figures``).

Example:
    >>> main(["list"]) == 0  # doctest: +SKIP
    True
"""

from __future__ import annotations

import argparse
import contextlib
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from course_utils.config import data_dir, shipped_data_dir
from course_utils.data import load_gtsrb, load_horse2zebra, load_mnist, load_pix2pix
from course_utils.data.catalog import OFFLINE_OF
from course_utils.data.download import REMOTE_FILES
from course_utils.data.gtsrb import GTSRB_CLASS_IDS
from course_utils.data.real_sets import HORSE2ZEBRA_SPLITS, MNIST_SPLITS, PIX2PIX_DIRECTIONS, PIX2PIX_SPLITS
from course_utils.data.sign_templates import SIGN_CLASSES

# name -> (description, notebooks); the online sets are the keys of OFFLINE_OF.
DATA_SETS: dict[str, tuple[str, str]] = {
    "sin_curve": ("points [x, sin x], x uniform in [-3.5, 3.5]", "01"),
    "slanted_land": ("2x2 Slanted Land faces and noise", "02"),
    "fgan_mixture": ("1-D mixture 0.33 N(-1, 0.255^2) + 0.67 N(2, 1.415^2), exact pdf", "03"),
    "digits": ("scikit-learn's 1797 8x8 digits, upscaled", "04,10,13"),
    "vertical_lines": ("32x32 images of thin vertical lines", "05"),
    "road_signs": ("photo-like renders of 4 German road signs (30, 100, stop, no trucks)", "06,07,09"),
    "ring_of_gaussians": ("8 Gaussians on the unit circle", "08"),
    "grid_of_gaussians": ("25 Gaussians on {-4,-2,0,2,4}^2", "08"),
    "circles_to_rectangles": ("pix2pix pairs: violet circles -> green rectangles", "11"),
    "colorization": ("pix2pix pairs: grey -> colour crops of scikit-learn's sample photos", "11"),
    "circles_squares": ("CycleGAN's unpaired sets: circles and squares", "12"),
    "shapes": ("circles, squares, rectangles with labels (a judge)", "12"),
    "gtsrb": ("GTSRB classes 1, 7, 14, 16, cropped to the sign", "06,07,09"),
    "mnist": ("MNIST handwritten digits (Keras' mnist.npz)", "04,10,13"),
    "facades": ("pix2pix facades: label map -> photo", "11"),
    "maps": ("pix2pix maps: map <-> aerial photo", "11"),
    "horse2zebra": ("CycleGAN horses and zebras", "12"),
}
ONLINE_NAMES: tuple[str, ...] = ("gtsrb", "facades", "maps", "horse2zebra", "mnist")
DEFAULT_SIZES: dict[str, int] = {"gtsrb": 32, "mnist": 32, "facades": 64, "maps": 64, "horse2zebra": 64}
ARCHIVES: dict[str, tuple[str, ...]] = {"gtsrb": ("gtsrb_train", "gtsrb_test_images", "gtsrb_test_labels"),
                                        "facades": ("facades",), "maps": ("maps",),
                                        "horse2zebra": ("horse2zebra",), "mnist": ("mnist",)}


def cache_state(name: str) -> dict[str, Any]:
    """Which archives and converted arrays of an online data set are cached (changes nothing).

    Example:
        >>> sorted(cache_state("mnist"))
        ['archives', 'converted', 'folder']
    """
    folder = data_dir() / name
    archives = [REMOTE_FILES[key].filename for key in ARCHIVES[name]
                if (folder / REMOTE_FILES[key].filename).is_file()]
    converted = sorted(path.name for path in folder.glob("*.npz")) if folder.is_dir() else []
    return {"folder": str(folder), "archives": archives, "converted": converted}


def list_datasets() -> list[dict[str, Any]]:
    """One row per data set: name, source, description, notebooks and what is cached.

    Example:
        >>> next(row for row in list_datasets() if row["name"] == "sin_curve")["available"]
        True
    """
    rows = []
    for name, (description, notebooks) in DATA_SETS.items():
        online = name in OFFLINE_OF
        row: dict[str, Any] = {"name": name, "source": "online" if online else "offline",
                               "description": description, "notebooks": notebooks.split(","),
                               "available": not online}
        if online:
            row.update(cache_state(name))
            row["available"] = bool(row["converted"] or row["archives"])
            row["offline_default"] = OFFLINE_OF[name]
            row["urls"] = [REMOTE_FILES[key].url for key in ARCHIVES[name]]
        rows.append(row)
    return rows


def _counts(labels: np.ndarray, names: Sequence[str]) -> dict[str, int]:
    return {name: int(np.sum(labels == index)) for index, name in enumerate(names)}


def fetch(name: str, size: int | None = None, split: str | None = None) -> dict[str, Any]:
    """Download, check, convert and cache a real data set; return what it holds.

    Example:
        >>> fetch("mnist")["splits"]["train"]["count"]  # doctest: +SKIP
        60000
    """
    size = size or DEFAULT_SIZES[name]
    summary: dict[str, Any] = {"name": name, "size": size, "folder": str(data_dir() / name), "splits": {}}
    parts = {"gtsrb": ("train",), "mnist": MNIST_SPLITS, "horse2zebra": HORSE2ZEBRA_SPLITS}
    for part in [split] if split else parts.get(name) or PIX2PIX_SPLITS[name]:
        if name == "gtsrb":
            images, labels = load_gtsrb(classes=None, size=size, split=part)
            names = [f"{sign} (GTSRB {GTSRB_CLASS_IDS[sign]})" for sign in SIGN_CLASSES]
            entry = {"count": len(labels), "shape": list(images.shape), "per_class": _counts(labels, names)}
        elif name == "mnist":
            images, labels = load_mnist(size=size, split=part)
            entry = {"count": len(labels), "shape": list(images.shape),
                     "per_class": _counts(labels, [str(digit) for digit in range(10)])}
        elif name == "horse2zebra":
            horses, zebras = load_horse2zebra(size=size, split=part)
            entry = {"count": len(horses) + len(zebras), "shape": list(horses.shape[1:]),
                     "per_class": {"A (horses)": len(horses), "B (zebras)": len(zebras)}}
        else:
            inputs, _ = load_pix2pix(name, size=size, split=part)
            entry = {"count": len(inputs), "shape": list(inputs.shape),
                     "direction": next(iter(PIX2PIX_DIRECTIONS[name]))}
        summary["splits"][part] = entry
    summary["cache"] = cache_state(name)
    return summary


def format_fetch_summary(summary: dict[str, Any]) -> str:
    """:func:`fetch`'s summary as a few readable lines.

    Example:
        >>> print(format_fetch_summary({"name": "x", "size": 8, "folder": "/d", "splits":
        ...     {"train": {"count": 2, "shape": [2, 8, 8, 3]}}}))
        x (images 8x8) in /d
          train: 2 images, array shape (2, 8, 8, 3)
    """
    lines = [f"{summary['name']} (images {summary['size']}x{summary['size']}) in {summary['folder']}"]
    for split, part in summary["splits"].items():
        direction = f", direction {part['direction']}" if "direction" in part else ""
        lines.append(f"  {split}: {part['count']} images, array shape {tuple(part['shape'])}{direction}")
        lines += [f"    {label}: {count}" for label, count in part.get("per_class", {}).items()]
    return "\n".join(lines)


def format_list(rows: list[dict[str, Any]]) -> str:
    """:func:`list_datasets` as a table for the terminal.

    Example:
        >>> "sin_curve" in format_list(list_datasets())
        True
    """
    lines = [f"{'name':<22} {'source':<8} {'notebooks':<12} {'cached / available':<48} description"]
    for row in rows:
        if row["source"] == "offline":
            state = "generated on demand"
        elif row["converted"]:
            state = "cached: " + ", ".join(name.rsplit(".", 1)[0] for name in row["converted"])
        else:
            state = "downloaded, not converted yet" if row["archives"] \
                else f"not downloaded (offline: {row['offline_default']})"
        lines.append(f"{row['name']:<22} {row['source']:<8} {','.join(row['notebooks']):<12} "
                     f"{state:<48} {row['description']}")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status (0 fine, 1 a data problem, 2 bad usage).

    Example:
        >>> main(["fetch", "mnist", "--size", "0"])  # doctest: +SKIP
        1
    """
    parser = argparse.ArgumentParser(prog="python -m course_utils.build.data_sets",
                                     description="List, fetch and picture the course's data sets.")
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
    arguments = parser.parse_args(argv)
    try:
        if arguments.command == "list":
            rows = list_datasets()
            print(json.dumps(rows, indent=2) if arguments.json else format_list(rows))
        elif arguments.command == "fetch":
            with contextlib.redirect_stdout(sys.stderr):  # get_file's progress: not the summary
                summary = fetch(arguments.name, size=arguments.size, split=arguments.split)
            print(json.dumps(summary, indent=2) if arguments.json else format_fetch_summary(summary))
        else:
            from course_utils.build.data_figures import save_generator_figures  # noqa: PLC0415

            folder = Path(arguments.out) if arguments.out else shipped_data_dir("figures")
            for path in save_generator_figures(folder):
                print(path)
    except ValueError as error:  # DataSetError, a bad --size, a bad COURSE_DATA_DIR
        print(f"error: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
