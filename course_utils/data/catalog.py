"""``load(name, source)``: one parameter switches a notebook between offline (generated) data
and the real data set, with the offline data as the fallback when there is no network.

Pairs (offline default <-> online data set, same arrays and shapes):

=========================  ==============================  =========================
offline                    online                          returns
=========================  ==============================  =========================
``road_signs``             ``gtsrb``                       ``(images, labels)``
``digits``                 ``mnist``                       ``(images, labels)``
``circles_to_rectangles``  ``facades`` (or ``maps``)       ``(inputs, targets)``
``circles_squares``        ``horse2zebra``                 ``(domain_a, domain_b)``
=========================  ==============================  =========================

Example:
    >>> images, labels = load("road_signs", n=8, size=32, seed=0)
    >>> images.shape, labels.shape
    ((8, 32, 32, 3), (8,))
"""

from __future__ import annotations

from typing import Any

import numpy as np

from course_utils.checks import make_rng, whole_number
from course_utils.data.digit_images import digits
from course_utils.data.download import DownloadError, UnknownDataSetError
from course_utils.data.gtsrb import GTSRB_CLASS_IDS, load_gtsrb
from course_utils.data.real_sets import load_horse2zebra, load_mnist, load_pix2pix
from course_utils.data.sign_renderer import road_signs, sign_class_indices
from course_utils.data.shapes import circles, circles_to_rectangles, squares
from course_utils.data.sign_templates import SIGN_CLASSES

SOURCES = ("offline", "online")
# Which data set stands in for another when the source is switched.
OFFLINE_OF: dict[str, str] = {"gtsrb": "road_signs", "mnist": "digits",
                              "facades": "circles_to_rectangles", "maps": "circles_to_rectangles",
                              "horse2zebra": "circles_squares"}
ONLINE_OF: dict[str, str] = {"road_signs": "gtsrb", "digits": "mnist",
                             "circles_to_rectangles": "facades", "circles_squares": "horse2zebra"}
# The options load() takes for each offline default and the online sets that replace it.
OPTIONS: dict[str, tuple[str, ...]] = {
    "road_signs": ("n", "classes", "size", "seed", "split", "border"),
    "digits": ("n", "size", "seed", "split"),
    "circles_to_rectangles": ("n", "size", "seed", "split", "direction"),
    "circles_squares": ("n", "size", "seed", "split"),
}
DEFAULT_COUNTS: dict[str, int] = {"road_signs": 1500, "circles_to_rectangles": 1000,
                                  "circles_squares": 1000}


def _two_seeds(seed: int | None) -> tuple[int | None, int | None]:
    """Two independent seeds from one (so circles and squares are not laid out alike)."""
    if seed is None:
        return None, None
    first, second = make_rng(seed).integers(0, 2**31 - 1, size=2)
    return int(first), int(second)


def _subset(arrays: tuple[np.ndarray, ...], n: int | None, seed: int | None,
            together: bool = True) -> tuple[np.ndarray, ...]:
    """At most ``n`` random items (the same items of each array when ``together``)."""
    if n is None:
        return arrays
    n = whole_number(n, "n")
    rng = make_rng(seed)
    if together:
        chosen = rng.permutation(len(arrays[0]))[:n]
        return tuple(array[chosen] for array in arrays)
    return tuple(array[rng.permutation(len(array))[:n]] for array in arrays)


def _offline(name: str, options: dict[str, Any]) -> tuple[np.ndarray, ...]:
    seed = options.get("seed")
    if name == "road_signs":
        classes = options.get("classes")
        n = options.get("n") or DEFAULT_COUNTS["road_signs"] * len(sign_class_indices(classes))
        return road_signs(n, classes=classes, size=options.get("size", 32), seed=seed)
    if name == "digits":
        images, labels = digits(size=options.get("size", 32), seed=seed)
        return _subset((images, labels), options.get("n"), seed)
    if name == "circles_to_rectangles":
        return circles_to_rectangles(options.get("n") or DEFAULT_COUNTS["circles_to_rectangles"],
                                     size=options.get("size", 64), seed=seed)
    first_seed, second_seed = _two_seeds(seed)
    n = options.get("n") or DEFAULT_COUNTS["circles_squares"]
    size = options.get("size", 64)
    return circles(n, size=size, seed=first_seed), squares(n, size=size, seed=second_seed)


def _online(name: str, options: dict[str, Any]) -> tuple[np.ndarray, ...]:
    seed, n = options.get("seed"), options.get("n")
    split = options.get("split", "train")
    if name == "gtsrb":
        classes = options.get("classes")
        gtsrb_ids = tuple(GTSRB_CLASS_IDS[SIGN_CLASSES[index]]
                          for index in sign_class_indices(classes))
        arrays = load_gtsrb(classes=gtsrb_ids, size=options.get("size", 32), split=split,
                                  border=options.get("border", 0.1))
        return _subset(arrays, n, seed)
    if name == "mnist":
        return _subset(load_mnist(size=options.get("size", 32), split=split), n, seed)
    if name in ("facades", "maps"):
        arrays = load_pix2pix(name, size=options.get("size", 64), split=split,
                                           direction=options.get("direction"))
        return _subset(arrays, n, seed)
    arrays = load_horse2zebra(size=options.get("size", 64), split=split)
    return _subset(arrays, n, seed, together=False)


def _offline_name(name: str) -> str:
    key = str(name).strip().lower()
    if key not in OPTIONS and key not in OFFLINE_OF:
        known = ", ".join(sorted({*OPTIONS, *OFFLINE_OF}))
        raise UnknownDataSetError(
            f"Unknown data set {name!r} for load(). It knows {known}. The other offline data sets "
            "are made by their own functions in course_utils.data, e.g. sin_curve(n)."
        )
    return OFFLINE_OF.get(key, key)


def load(name: str, source: str = "offline", **options: Any) -> tuple[np.ndarray, ...]:
    """Load a data set from its offline generator or, with ``source="online"``, the real one.

    ``name`` may be either member of a pair (``"road_signs"`` or ``"gtsrb"``); ``source``
    decides. Options are ``n`` (online: a random subset of at most ``n``), ``size``, ``seed``
    and, where they apply, ``classes``, ``split``, ``direction`` (pix2pix) and ``border``
    (GTSRB); those the chosen source does not use are ignored. With no network the online
    request prints why and returns the offline data.

    Example:
        >>> inputs, targets = load("facades", source="offline", n=4, size=32, seed=0)
        >>> inputs.shape
        (4, 32, 32, 3)
    """
    offline_name = _offline_name(name)
    if source not in SOURCES:
        raise ValueError(f"source must be 'offline' or 'online', got {source!r}.")
    unknown = sorted(set(options) - set(OPTIONS[offline_name]))
    if unknown:
        raise ValueError(f"load({name!r}) does not take {unknown}; it takes "
                         f"{', '.join(OPTIONS[offline_name])}.")
    if source == "offline":
        return _offline(offline_name, options)
    key = str(name).strip().lower()
    online_name = key if key in OFFLINE_OF else ONLINE_OF[key]
    try:
        return _online(online_name, options)
    except DownloadError as error:
        print(
            f"Could not fetch the {online_name} data set: {error}\n"
            f"Using the offline '{offline_name}' data instead, so everything below still runs."
        )
        return _offline(offline_name, options)
