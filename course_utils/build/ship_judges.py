"""Regenerate the judge weights that ship with the course (``data/pretrained/judges/``).

Run from the repository root::

    python -m course_utils.build.ship_judges road_signs               # train afresh (about 2 min on a 2-core CPU)
    python -m course_utils.build.ship_judges road_signs --from-cache  # ship the judge cached in COURSE_DATA_DIR

The first trains the judge from scratch in a temporary data folder (``train_judge``, the recipe
the notebooks would run); the second ships the judge the data folder already holds, after
checking it is of the current data and judge versions and still measures the held-out accuracy
its facts state. Either way the weights are written as plain NumPy arrays with a ``.json`` of
facts (see :mod:`course_utils.metrics.judges`), read back into a network rebuilt in code,
and put in place (each file renamed into the folder) only when the rebuilt judge gives the same
probabilities and features as the original on the judge's held-out images.

Regenerate after a change of ``JUDGE_VERSION`` or of the data version, and commit both files.

Example:
    >>> _parser().parse_args(["road_signs", "--from-cache"]).from_cache
    True
"""

from __future__ import annotations

import argparse
import hashlib
import io
import json
import os
import shutil
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import numpy as np

from course_utils.files import atomic_output
from course_utils.metrics import judges
from course_utils.metrics.judge_data import JUDGE_SPECS, held_out_set, spec_for
from course_utils.metrics.judge_model import Judge
from course_utils.metrics.judges import read_shipped, shipped_folder, shipped_paths

# The rebuilt judge must compute what the original does (the same weights and operations).
TOLERANCE = 1e-6


class ShipError(RuntimeError):
    """The judge to ship is not the current one, or its rebuilt copy computes something else."""


def model_weights(model: Any) -> dict[str, np.ndarray]:
    """Return a Keras model's weights by variable path, in the order of ``model.get_weights()``.

    Example:
        >>> from course_utils.metrics.judge_data import spec_for
        >>> from course_utils.metrics.judge_model import build_model
        >>> weights = model_weights(build_model(spec_for("vertical_lines"), seed=0))
        >>> list(weights)[:2], weights["conv1/kernel"].shape
        (['conv1/kernel', 'conv1/bias'], (3, 3, 1, 16))
    """
    return {variable.path: np.asarray(array) for variable, array in zip(model.weights, model.get_weights())}


def write_shipped(weights: dict[str, np.ndarray], facts: dict[str, Any],
                  folder: Path | None = None) -> tuple[Path, Path]:
    """Write ``weights`` (see :func:`model_weights`) and ``facts`` as shipped judge files; return their paths.

    ``facts`` must hold the judge's identity (``name``, ``seed``, ``judge_version``, ...); the
    sha256 of the ``.npz`` and the arrays' order and shapes are added. Each file is written under
    a temporary name first and renamed into place.

    Example:
        >>> import tempfile
        >>> facts = {"name": "toy", "seed": 0, "judge_version": "1"}
        >>> paths = write_shipped({"dense/kernel": np.ones((2, 3), "float32")}, facts, Path(tempfile.mkdtemp()))
        >>> [path.name for path in paths]
        ['toy-judge1-seed0.weights.npz', 'toy-judge1-seed0.json']
    """
    weights_path, facts_path = shipped_paths(facts, folder)
    buffer = io.BytesIO()
    np.savez_compressed(buffer, **weights)
    data = buffer.getvalue()
    facts = dict(facts) | {
        "weights_file": weights_path.name,
        "sha256": hashlib.sha256(data).hexdigest(),
        "weights": [{"name": name, "shape": list(array.shape)} for name, array in weights.items()],
    }
    for path, content in ((weights_path, data), (facts_path, (json.dumps(facts, indent=2) + "\n").encode())):
        with atomic_output(path) as temporary:
            temporary.write_bytes(content)
            os.chmod(temporary, 0o644)  # mkstemp makes it private; shipped files are readable by all
    return weights_path, facts_path


@contextmanager
def _data_folder(path: str | Path) -> Iterator[None]:
    """Within the block, COURSE_DATA_DIR is ``path``."""
    saved = os.environ.get("COURSE_DATA_DIR")
    os.environ["COURSE_DATA_DIR"] = str(path)
    try:
        yield
    finally:
        if saved is None:
            del os.environ["COURSE_DATA_DIR"]
        else:
            os.environ["COURSE_DATA_DIR"] = saved


def cached_judge(name: str, seed: int = 0) -> Judge:
    """Return the judge cached in the data folder, after checking it is the current judge.

    Raises:
        ShipError: when no judge is cached, its facts are of another judge, data or judge version,
            or it no longer measures the held-out accuracy its facts state.

    Example: ``cached_judge("road_signs").accuracy`` (with ``COURSE_DATA_DIR`` holding it)
    """
    import keras  # noqa: PLC0415

    path = judges.judge_path(name, seed)
    if not (path.exists() and path.with_suffix(".json").exists()):
        raise ShipError(f"No {name!r} judge is cached at {path}; run without --from-cache to train one.")
    facts = json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))
    if facts.get("shipped_weights"):
        raise ShipError(f"The cached {name!r} judge at {path} was itself rebuilt from shipped weights.")
    judge = Judge(spec_for(name), keras.models.load_model(path, compile=False), facts, path)
    for key, expected in judges.judge_identity(name, seed).items():
        if judge.facts.get(key) != expected:
            raise ShipError(f"The cached {name!r} judge has {key} {judge.facts.get(key)!r}, not {expected!r}.")
    images, labels = held_out_set(name, seed)
    measured = round(judge.accuracy_on(images, labels), 4)
    if measured != judge.accuracy:
        raise ShipError(f"The cached {name!r} judge measures {measured} held-out accuracy, "
                        f"its facts say {judge.accuracy}.")
    return judge


def _versions() -> dict[str, Any]:
    import keras  # noqa: PLC0415

    try:
        import tensorflow as tf  # noqa: PLC0415

        tensorflow_version = tf.__version__
    except ImportError:
        tensorflow_version = None
    return {"keras_backend": keras.backend.backend(), "tensorflow_version": tensorflow_version}


def compare(judge: Judge, model: Any, images: np.ndarray) -> dict[str, float]:
    """Return the largest differences between ``judge`` and a rebuilt ``model`` on ``images``.

    Example: ``compare(judge, rebuilt_model, held_out_set("road_signs")[0])["probabilities"] == 0.0``
    """
    copy = Judge(judge.spec, model, judge.facts, judge.path)
    return {
        "probabilities": float(np.max(np.abs(copy.probabilities(images) - judge.probabilities(images)))),
        "features": float(np.max(np.abs(copy.features(images) - judge.features(images)))),
    }


def ship(judge: Judge, folder: Path | None = None) -> tuple[tuple[Path, Path], dict[str, float]]:
    """Write ``judge``'s weights and facts into ``folder`` (default: the shipped folder) once checked.

    Returns the two paths and the largest differences of the rebuilt copy (see :func:`compare`).

    Example: ``ship(load_judge("road_signs"))``
    """
    folder = Path(folder) if folder is not None else shipped_folder()
    if folder is None:
        raise ShipError("No course checkout: give the folder to write to.")
    folder.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(dir=folder, prefix=".ship-"))
    try:
        staged = write_shipped(model_weights(judge.model), judge.facts | _versions(), staging)
        model, _ = read_shipped(judge.spec, judges.judge_identity(judge.name, judge.facts["seed"]), staging)
        differences = compare(judge, model, held_out_set(judge.name, judge.facts["seed"])[0])
        if max(differences.values()) > TOLERANCE:
            raise ShipError(f"The rebuilt {judge.name!r} judge differs from the original: {differences}; "
                            "nothing shipped.")
        targets = tuple(folder / path.name for path in staged)
        for path, target in zip(staged, targets):
            os.replace(path, target)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return targets, differences


def ship_judge(name: str, seed: int = 0, *, from_cache: bool = False, folder: Path | None = None) -> tuple[Path, Path]:
    """Train the judge ``name`` afresh (or take the cached one) and ship its weights; return the paths.

    Example: ``ship_judge("road_signs")`` (about 2 minutes on a 2-core CPU)
    """
    spec_for(name)
    if from_cache:
        judge = cached_judge(name, seed)
    else:
        with tempfile.TemporaryDirectory(prefix="ship-judge-") as data, _data_folder(data):
            judge = judges.train_judge(name, seed)
    paths, differences = ship(judge, folder)
    print(f"Shipped the {name!r} judge (held-out accuracy {judge.accuracy}, data {judge.facts['data_version']}, "
          f"judge {judge.facts['judge_version']}, Keras {judge.facts['keras_version']}):")
    for path in paths:
        size = path.stat().st_size
        print(f"  {path} ({size / 1e6:.2f} MB)" if size > 100_000 else f"  {path} ({size / 1e3:.1f} kB)")
    print(f"  rebuilt from the arrays: largest difference {differences['probabilities']:.1e} in probabilities, "
          f"{differences['features']:.1e} in features on the held-out images")
    return paths


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m course_utils.build.ship_judges",
                                     description="Regenerate the judge weights in data/pretrained/judges/.")
    parser.add_argument("names", nargs="+", choices=sorted(JUDGE_SPECS), help="the judges to ship, e.g. road_signs")
    parser.add_argument("--seed", type=int, default=0, help="the judge's seed (default 0, the one notebooks use)")
    parser.add_argument("--from-cache", action="store_true",
                        help="ship the judge cached in COURSE_DATA_DIR instead of training one afresh")
    parser.add_argument("--folder", type=Path, default=None, help="write here instead of data/pretrained/judges/")
    return parser


def main(argv: list[str] | None = None) -> int:
    """Ship the judges named on the command line; return the process exit code."""
    arguments = _parser().parse_args(argv)
    try:
        for name in arguments.names:
            ship_judge(name, arguments.seed, from_cache=arguments.from_cache, folder=arguments.folder)
    except (ShipError, judges.JudgeTrainingError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
