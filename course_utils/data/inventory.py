"""What the data folder holds, and fetching real data sets ahead of class: the functions behind
``python -m course_utils.data list`` and ``python -m course_utils.data fetch NAME``.

Example:
    >>> rows = list_datasets()
    >>> {row["name"] for row in rows} >= {"road_signs", "gtsrb"}
    True
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from course_utils.config import data_dir
from course_utils.data import cyclegan_sets, gtsrb, mnist, pix2pix_sets
from course_utils.data.catalog import DATASETS, OFFLINE_OF
from course_utils.data.errors import UnknownDataSetError
from course_utils.data.sign_templates import SIGN_CLASSES
from course_utils.data.sources import REMOTE_FILES

ONLINE_NAMES: tuple[str, ...] = ("gtsrb", "facades", "maps", "horse2zebra", "mnist")
DEFAULT_SIZES: dict[str, int] = {"gtsrb": 32, "mnist": 32, "facades": 64, "maps": 64,
                                 "horse2zebra": 64}
_ARCHIVES: dict[str, tuple[str, ...]] = {
    "gtsrb": ("gtsrb_train", "gtsrb_test_images", "gtsrb_test_labels"),
    "facades": ("facades",),
    "maps": ("maps",),
    "horse2zebra": ("horse2zebra",),
    "mnist": ("mnist",),
}


def _folder(name: str) -> Path:
    """The data set's folder, without creating it (listing must not change the disk)."""
    return data_dir() / name


def cache_state(name: str) -> dict[str, Any]:
    """Return which archives and converted arrays of an online data set are cached.

    Example:
        >>> sorted(cache_state("mnist"))
        ['archives', 'converted', 'folder']
    """
    folder = _folder(name)
    archives = [REMOTE_FILES[key].filename for key in _ARCHIVES[name]
                if (folder / REMOTE_FILES[key].filename).is_file()]
    converted = sorted(path.name for path in folder.glob("*.npz")) if folder.is_dir() else []
    return {"folder": str(folder), "archives": archives, "converted": converted}


def list_datasets() -> list[dict[str, Any]]:
    """Return one row per data set: name, source, description, notebooks and cache state.

    Example:
        >>> next(row for row in list_datasets() if row["name"] == "sin_curve")["available"]
        True
    """
    rows = []
    for info in DATASETS.values():
        row: dict[str, Any] = {
            "name": info.name,
            "source": info.source,
            "description": info.description,
            "notebooks": list(info.notebooks),
        }
        if info.source == "offline":
            row["available"] = True
        else:
            state = cache_state(info.name)
            row.update(state)
            row["available"] = bool(state["converted"] or state["archives"])
            row["offline_default"] = OFFLINE_OF[info.name]
            row["urls"] = [REMOTE_FILES[key].url for key in _ARCHIVES[info.name]]
        rows.append(row)
    return rows


def _shape(array: np.ndarray) -> list[int]:
    return [int(value) for value in array.shape]


def fetch(name: str, size: int | None = None, split: str | None = None) -> dict[str, Any]:
    """Download, check, convert and cache a real data set; return what it holds.

    Args:
        name: one of ``gtsrb``, ``facades``, ``maps``, ``horse2zebra``, ``mnist``.
        size: image side to convert to (defaults: 32 for gtsrb and mnist, 64 otherwise).
        split: one split only (default: GTSRB ``train``; every split for the others).

    Example:
        >>> fetch("mnist")["splits"]["train"]["count"]  # doctest: +SKIP
        60000
    """
    if name not in ONLINE_NAMES:
        raise UnknownDataSetError(
            f"Unknown data set {name!r} to fetch; choose from {', '.join(ONLINE_NAMES)}."
        )
    size = size or DEFAULT_SIZES[name]
    summary: dict[str, Any] = {"name": name, "size": size, "folder": str(_folder(name)),
                               "splits": {}}
    if name == "gtsrb":
        for part in [split or "train"]:
            images, labels = gtsrb.load_gtsrb(classes=None, size=size, split=part)
            summary["splits"][part] = {
                "count": len(labels),
                "shape": _shape(images),
                "per_class": {
                    f"{SIGN_CLASSES[index]} (GTSRB {gtsrb.GTSRB_CLASS_IDS[SIGN_CLASSES[index]]})":
                        int(np.sum(labels == index))
                    for index in range(len(SIGN_CLASSES))
                },
            }
    elif name in ("facades", "maps"):
        for part in [split] if split else pix2pix_sets.PIX2PIX_SPLITS[name]:
            inputs, targets = pix2pix_sets.load_pix2pix(name, size=size, split=part)
            default_direction = next(iter(pix2pix_sets.PIX2PIX_DIRECTIONS[name]))
            summary["splits"][part] = {"count": len(inputs), "shape": _shape(inputs),
                                       "direction": default_direction}
    elif name == "horse2zebra":
        for part in [split] if split else cyclegan_sets.SPLITS:
            horses, zebras = cyclegan_sets.load_horse2zebra(size=size, split=part)
            summary["splits"][part] = {"count": len(horses) + len(zebras),
                                       "per_class": {"A (horses)": len(horses),
                                                     "B (zebras)": len(zebras)},
                                       "shape": _shape(horses)[1:]}
    else:
        for part in [split] if split else mnist.SPLITS:
            images, labels = mnist.load_mnist(size=size, split=part)
            summary["splits"][part] = {
                "count": len(labels), "shape": _shape(images),
                "per_class": {str(digit): int(np.sum(labels == digit)) for digit in range(10)},
            }
    summary["cache"] = cache_state(name)
    return summary


def format_fetch_summary(summary: dict[str, Any]) -> str:
    """Turn :func:`fetch`'s summary into a few readable lines.

    Example:
        >>> print(format_fetch_summary({"name": "x", "size": 8, "folder": "/d", "splits":
        ...     {"train": {"count": 2, "shape": [2, 8, 8, 3]}}}))
        x (images 8x8) in /d
          train: 2 images, array shape (2, 8, 8, 3)
    """
    size = summary["size"]
    lines = [f"{summary['name']} (images {size}x{size}) in {summary['folder']}"]
    for split, part in summary["splits"].items():
        line = f"  {split}: {part['count']} images, array shape {tuple(part['shape'])}"
        if "direction" in part:
            line += f", direction {part['direction']}"
        lines.append(line)
        for label, count in part.get("per_class", {}).items():
            lines.append(f"    {label}: {count}")
    return "\n".join(lines)


def format_list(rows: list[dict[str, Any]]) -> str:
    """Turn :func:`list_datasets` into a table for the terminal.

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
        elif row["archives"]:
            state = "downloaded, not converted yet"
        else:
            state = f"not downloaded (offline: {row['offline_default']})"
        lines.append(f"{row['name']:<22} {row['source']:<8} {','.join(row['notebooks']):<12} "
                     f"{state:<48} {row['description']}")
    return "\n".join(lines)
