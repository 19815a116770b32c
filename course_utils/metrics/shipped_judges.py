"""Judges whose weights ship with the course, so that a fresh data folder need not train them.

The road-sign judge trains for about 100 s on a 2-core CPU; its weights ship in
``data/pretrained/judges/`` as ``<name>-judge<JUDGE_VERSION>-seed<seed>.weights.npz`` (the
arrays of ``model.get_weights()`` by variable path) and a ``.json`` of facts (the judge's
identity, held-out accuracy, feature scale, versions, the arrays' order and shapes, the
sha256 of the ``.npz``). Plain arrays, not a ``.keras`` file, because a network rebuilt in code
takes them in any Keras 3 (a ``.keras`` file of 3.15 does not load in Colab's 3.13).
:func:`read_shipped` returns the network only when the files are whole and of the judge asked
for. Instructors regenerate them with ``python -m course_utils.build.ship_judges road_signs``.

Example:
    >>> from course_utils.metrics.judges import judge_identity
    >>> shipped_paths(judge_identity("road_signs"))[0].name
    'road_signs-judge2-seed0.weights.npz'
"""

from __future__ import annotations

import hashlib
import io
import json
from pathlib import Path
from typing import Any

import numpy as np

from course_utils import config
from course_utils.metrics.judge_data import JudgeSpec
from course_utils.metrics.judge_model import build_model

__all__ = ["ShippedJudgeError", "read_shipped", "shipped_folder", "shipped_paths"]

# None: data/pretrained/judges/ of the course checkout. Tests point it at a folder of their own.
SHIPPED_FOLDER: Path | None = None


class ShippedJudgeError(ValueError):
    """Shipped judge weights are damaged, incomplete, or of another judge than the one asked for."""


def shipped_folder() -> Path | None:
    """Return the folder of shipped judge weights, or None outside a course checkout.

    Example:
        >>> shipped_folder().parts[-2:]
        ('pretrained', 'judges')
    """
    if SHIPPED_FOLDER is not None:
        return Path(SHIPPED_FOLDER)
    try:
        return config.shipped_data_dir("pretrained", "judges")
    except config.CourseConfigError:
        return None


def shipped_paths(identity: dict[str, Any], folder: Path | None = None) -> tuple[Path, Path]:
    """Return the ``(.weights.npz, .json)`` paths of the judge ``identity`` (see ``judge_identity``).

    Example:
        >>> weights, facts = shipped_paths({"name": "digits", "seed": 1, "judge_version": "7"}, Path("x"))
        >>> weights.as_posix(), facts.name
        ('x/digits-judge7-seed1.weights.npz', 'digits-judge7-seed1.json')
    """
    folder = shipped_folder() if folder is None else Path(folder)
    stem = f"{identity['name']}-judge{identity['judge_version']}-seed{identity['seed']}"
    return folder / f"{stem}.weights.npz", folder / f"{stem}.json"


def read_shipped(spec: JudgeSpec, identity: dict[str, Any],
                 folder: Path | None = None) -> tuple[Any, dict[str, Any]] | None:
    """Return ``(network, facts)`` rebuilt from the shipped weights of the judge ``identity``, None
    when none ship for it, ``ShippedJudgeError`` when they are damaged or of another judge.

    Example:
        >>> from course_utils.metrics.judge_data import spec_for
        >>> from course_utils.metrics.judges import judge_identity
        >>> read_shipped(spec_for("digits"), judge_identity("digits")) is None  # no digits judge ships
        True
    """
    if folder is None and shipped_folder() is None:
        return None
    weights_path, facts_path = shipped_paths(identity, folder)
    if not weights_path.exists() and not facts_path.exists():
        return None
    try:
        return _rebuild(spec, identity, weights_path, facts_path)
    except ShippedJudgeError as error:
        raise ShippedJudgeError(f"{weights_path}: {error}") from None
    except Exception as error:  # noqa: BLE001 - an unreadable file of any kind is a damaged shipment
        raise ShippedJudgeError(f"{weights_path}: {type(error).__name__}: {error}") from error


def _rebuild(spec: JudgeSpec, identity: dict[str, Any], weights_path: Path,
             facts_path: Path) -> tuple[Any, dict[str, Any]]:
    for path in (weights_path, facts_path):
        if not path.exists():
            raise ShippedJudgeError(f"{path.name} is missing")
    facts = json.loads(facts_path.read_text(encoding="utf-8"))
    for key, expected in identity.items():
        if facts.get(key) != expected:
            raise ShippedJudgeError(f"its {key} is {facts.get(key)!r}, this course's judge has {expected!r}")
    data = weights_path.read_bytes()
    if hashlib.sha256(data).hexdigest() != facts.get("sha256"):
        raise ShippedJudgeError("its sha256 differs from the one in its .json (a damaged or replaced file)")
    with np.load(io.BytesIO(data), allow_pickle=False) as archive:
        arrays = [archive[entry["name"]] for entry in facts["weights"]]
    model = build_model(spec, identity["seed"])
    if len(arrays) != len(model.weights):
        raise ShippedJudgeError(f"it holds {len(arrays)} arrays, the judge's network has {len(model.weights)} weights")
    for entry, array, variable in zip(facts["weights"], arrays, model.weights):
        if array.shape != tuple(variable.shape):
            raise ShippedJudgeError(f"its array {entry['name']} has shape {array.shape}, "
                                    f"the network's {variable.path} needs {tuple(variable.shape)}")
    model.set_weights(arrays)
    kept = {key: value for key, value in facts.items() if key not in ("weights", "sha256", "weights_file")}
    return model, kept | {"shipped_weights": weights_path.name}

