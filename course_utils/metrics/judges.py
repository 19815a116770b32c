"""Small judge classifiers, trained once on the course's offline data and cached.

A *judge* is a small CNN trained on real images of one data set (``road_signs``,
``vertical_lines``, ``shapes``, ``digits``; see :mod:`course_utils.metrics.judge_data`). The
notebooks ask it "what is this generated image?" and use its 64 penultimate features for FID
and KID, in place of InceptionV3, which knows nothing of 32x32 road signs and needs a download.

:func:`load_judge` returns a judge from memory, from the cache file
``<name>-data<DATA_VERSION>-judge<JUDGE_VERSION>-keras<version>-seed<seed>.keras`` (with a
``.json`` of facts) in ``config.data_dir("judges")``, from the weights that ship with the course,
or trains it now in seconds. A new data version, judge recipe or Keras version, or a cached file
that cannot be loaded, retrains it. Training lifts Keras' debugging caps (a judge first trained
in a fast test run is a full judge) and leaves the notebook's global random seeds alone.

The road-sign judge trains for about 100 s on a 2-core CPU, so its weights ship in
``data/pretrained/judges/`` as ``<name>-judge<JUDGE_VERSION>-seed<seed>.weights.npz`` (the arrays
of ``model.get_weights()`` by variable path) with a ``.json`` of facts (identity, held-out
accuracy, feature scale, versions, the arrays' order and shapes, the sha256 of the ``.npz``).
Plain arrays, not a ``.keras`` file: the network rebuilt in code takes them in any Keras 3 (a
``.keras`` file of 3.15 does not load in Colab's 3.13). :func:`read_shipped` returns the network
only when the files are whole and of the judge asked for. Instructors regenerate them with
``python -m course_utils.build.ship_judges road_signs``.

Example:
    >>> judge = load_judge("shapes")
    >>> judge.classes, judge.image_shape
    (('circle', 'square', 'rectangle'), (64, 64, 3))
"""

from __future__ import annotations

import hashlib
import io
import json
import time
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import numpy as np

from course_utils import config
from course_utils.files import atomic_output
from course_utils.metrics.judge_data import (
    JUDGE_SPECS,
    JudgeError,
    JudgeSpec,
    check_seed,
    held_out_set,
    spec_for,
    training_set,
)
from course_utils.metrics.judge_model import FEATURE_COUNT, FEATURES_LAYER, Judge, build_model

__all__ = ["FEATURES_LAYER", "FEATURE_COUNT", "JUDGE_SPECS", "JUDGE_VERSION", "Judge", "JudgeError", "JudgeSpec",
           "JudgeTrainingError", "ShippedJudgeError", "judge_identity", "judge_path", "load_judge", "read_shipped",
           "shipped_folder", "shipped_paths", "train_judge"]

# Bump when the architecture, the training recipe or the negatives change: cached judges retrain
# (and the shipped weights of data/pretrained/judges/ need regenerating).
JUDGE_VERSION = "2"
BATCH_SIZE = 64
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
    """Return the ``(.weights.npz, .json)`` paths of the judge ``identity`` (see :func:`judge_identity`).

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


class JudgeTrainingError(RuntimeError):
    """A judge missed its stated held-out accuracy after training."""


@contextmanager
def _keras_caps_lifted() -> Iterator[None]:
    """Within the block, Keras' KERAS_MAX_EPOCHS / KERAS_MAX_STEPS_PER_EPOCH caps are off."""
    import keras  # noqa: PLC0415

    if not hasattr(keras.config, "set_max_epochs"):
        yield
        return
    saved = keras.config.max_epochs(), keras.config.max_steps_per_epoch()
    keras.config.set_max_epochs(None)
    keras.config.set_max_steps_per_epoch(None)
    try:
        yield
    finally:
        keras.config.set_max_epochs(saved[0])
        keras.config.set_max_steps_per_epoch(saved[1])


# ---------------------------------------------------------------------------------------------
# Training, saving and loading
# ---------------------------------------------------------------------------------------------


def _data_version() -> str:
    from course_utils.data.version import DATA_VERSION  # noqa: PLC0415

    return str(DATA_VERSION)


def _keras_version() -> str:
    import keras  # noqa: PLC0415

    return str(keras.__version__)


def judge_path(name: str, seed: int = 0) -> Path:
    """Return where the judge ``name`` trained with ``seed`` is (or will be) cached.

    Example:
        >>> judge_path("road_signs").name.startswith("road_signs-data")
        True
    """
    spec = spec_for(name)
    seed = check_seed(seed)
    stem = f"{spec.name}-data{_data_version()}-judge{JUDGE_VERSION}-keras{_keras_version()}-seed{seed}"
    return config.data_dir("judges") / f"{stem}.keras"


def judge_identity(name: str, seed: int = 0) -> dict[str, Any]:
    """Return the facts that say which judge a network is; a cached or shipped one must match them.

    Example:
        >>> identity = judge_identity("vertical_lines")
        >>> identity["judge_version"] == JUDGE_VERSION, identity["image_shape"]
        (True, [32, 32, 1])
    """
    spec = spec_for(name)
    return {"name": spec.name, "seed": check_seed(seed), "classes": list(spec.classes),
            "image_shape": list(spec.image_shape), "data_version": _data_version(), "judge_version": JUDGE_VERSION}


def train_judge(name: str, seed: int = 0, *, verbose: bool = True) -> Judge:
    """Train the judge ``name`` from scratch, measure its held-out accuracy, and cache it
    (``JudgeTrainingError``, nothing cached, if it misses the judge's stated minimum).

    Example:
        >>> judge = train_judge("vertical_lines", verbose=False)
        >>> judge.accuracy >= JUDGE_SPECS["vertical_lines"].min_accuracy
        True
    """
    import keras  # noqa: PLC0415

    spec = spec_for(name)
    seed = check_seed(seed)
    path = judge_path(name, seed)
    if verbose:
        print(f"Training the {name!r} judge ({spec.description}); this happens once ...", flush=True)
    started, started_cpu = time.perf_counter(), time.process_time()
    train_images, train_labels = training_set(spec, seed)
    test_images, test_labels = held_out_set(name, seed)
    data_seconds = time.perf_counter() - started
    model = build_model(spec, seed)
    # The order of the examples comes from NumPy, not from tf.data's shuffle: TensorFlow mixes
    # an op's seed with the global seed, so the judge would depend on the notebook's seed.
    order = np.random.default_rng(seed)
    with _keras_caps_lifted():
        for _ in range(spec.epochs):
            shuffled = order.permutation(len(train_labels))
            model.fit(train_images[shuffled], train_labels[shuffled], batch_size=BATCH_SIZE, epochs=1,
                      shuffle=False, verbose=0)
    training_seconds = time.perf_counter() - started
    training_cpu_seconds = time.process_time() - started_cpu
    facts = judge_identity(name, seed) | {
        "train_size": int(len(train_labels)),
        "test_size": int(len(test_labels)),
        "epochs": spec.epochs,
        "data_seconds": round(data_seconds, 2),
        "training_seconds": round(training_seconds, 2),
        "training_cpu_seconds": round(training_cpu_seconds, 2),
        "keras_version": keras.__version__,
    }
    judge = Judge(spec, model, facts, path)
    raw_features = judge._run(judge._features_model, test_images)
    facts["feature_scale"] = round(float(np.sqrt(np.mean(raw_features**2))), 6)
    accuracy = judge.accuracy_on(test_images, test_labels)
    facts["held_out_accuracy"] = round(accuracy, 4)
    if accuracy < spec.min_accuracy:
        raise JudgeTrainingError(
            f"The {name!r} judge reached {accuracy:.3f} held-out accuracy, below its stated "
            f"{spec.min_accuracy:.2f}; it was not saved. Try another seed, e.g. load_judge({name!r}, seed=1)."
        )
    _cache(judge)
    if verbose:
        print(f"  held-out accuracy {accuracy:.3f} on {len(test_labels)} images, "
              f"trained in {training_seconds:.1f} s; saved to {path}", flush=True)
    return judge


_LOADED: dict[Path, Judge] = {}


def _cache(judge: Judge) -> Judge:
    """Save ``judge`` (its network, then its facts) in the cache folder and keep it in memory."""
    with warnings.catch_warnings():
        # Keras' saver trips a NumPy 2 DeprecationWarning (__array__ without copy=) in TensorFlow.
        warnings.simplefilter("ignore", DeprecationWarning)
        with atomic_output(judge.path) as temporary:
            judge.model.save(temporary)
    with atomic_output(judge.path.with_suffix(".json")) as temporary:
        temporary.write_text(json.dumps(judge.facts, indent=2) + "\n", encoding="utf-8")
    _LOADED[judge.path] = judge
    return judge


def _from_shipped(spec: JudgeSpec, seed: int, path: Path, verbose: bool) -> Judge | None:
    """The judge rebuilt from the weights that ship with the course (and cached), or None."""
    try:
        shipped = read_shipped(spec, judge_identity(spec.name, seed))
    except Exception as error:  # noqa: BLE001 - shipped weights that do not fit are trained instead, never a crash
        if verbose:
            print(f"The shipped {spec.name!r} judge cannot be used ({_one_line(error)}); training it instead.")
        return None
    return None if shipped is None else _cache(Judge(spec, shipped[0], shipped[1], path))


def _one_line(error: Exception) -> str:
    reason = str(error) if isinstance(error, ShippedJudgeError) else f"{type(error).__name__}: {error}"
    return " ".join(reason.split())[:300]


def load_judge(name: str, seed: int = 0, *, retrain: bool = False, verbose: bool = True) -> Judge:
    """Return the judge ``name``: from memory, the cache folder, the shipped weights, or trained now.

    ``seed`` picks one of the judge's trainings (compare FIDs only within one); ``retrain``
    trains even if a cached judge or shipped weights exist; ``verbose`` prints a line when
    training, and why a cached or shipped judge was not used.

    Example:
        >>> judge = load_judge("road_signs")
        >>> judge.classes[:4], judge.classes[-1]
        (('speed_limit_30', 'speed_limit_100', 'stop', 'no_trucks'), 'unreadable')
    """
    import keras  # noqa: PLC0415

    spec = spec_for(name)
    path = judge_path(name, seed)
    if not retrain:
        if path in _LOADED:
            return _LOADED[path]
        facts_path = path.with_suffix(".json")
        if path.exists() and facts_path.exists():
            try:
                facts = json.loads(facts_path.read_text(encoding="utf-8"))
                model = keras.models.load_model(path, compile=False)
            except Exception as error:  # noqa: BLE001 - any unreadable cache is retrained, never a crash
                # e.g. a file written by another Keras version (unknown arguments), or a torn copy.
                if verbose:
                    reason = " ".join(str(error).split())[:160]
                    print(f"The cached {name!r} judge at {path} could not be loaded "
                          f"({type(error).__name__}: {reason}); making it again.")
            else:
                judge = Judge(spec, model, facts, path)
                _LOADED[path] = judge
                return judge
        judge = _from_shipped(spec, check_seed(seed), path, verbose)
        if judge is not None:
            return judge
    return train_judge(name, seed, verbose=verbose)
