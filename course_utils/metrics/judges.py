"""Small judge classifiers, trained once on the course's offline data and cached.

A *judge* is a small CNN trained on real images of one data set. The notebooks use it to ask
"what is this generated image?" (conditional accuracy, CycleGAN's translated shapes) and its
penultimate layer (64 features) as the feature space for FID and KID
(:mod:`course_utils.metrics.image_distances`), in place of InceptionV3, which knows nothing
about 32x32 road signs and needs a download.

========================  =================  ==============================================
judge                     images             classes
========================  =================  ==============================================
``road_signs``            32x32 RGB          the four course signs, six more speed limits, unreadable
``vertical_lines``        32x32 grey         not_vertical_lines, vertical_lines
``shapes``                64x64 RGB          circle, square, rectangle (any colour)
``digits``                32x32 grey         0 ... 9 (scikit-learn's digits, upscaled)
========================  =================  ==============================================

Each judge trains in seconds on a laptop CPU the first time it is asked for, and is saved
as ``<name>-data<DATA_VERSION>-judge<JUDGE_VERSION>-keras<version>-seed<seed>.keras`` in
``config.data_dir("judges")`` with a ``.json`` beside it (held-out accuracy, training time,
classes); later calls load it. A new data version (``course_utils.data.DATA_VERSION``),
judge recipe (:data:`JUDGE_VERSION`) or Keras version retrains it, and so does a cached file
that cannot be loaded for any reason (a one-line message says why). Training ignores Keras' debugging caps
(``KERAS_MAX_EPOCHS``, ``KERAS_MAX_STEPS_PER_EPOCH``), so a judge first trained during a fast
test run is still a full judge, and it does not touch the global random seeds of the notebook.

What each judge learns from (its classes and data) is in :mod:`course_utils.metrics.judge_data`;
the road-sign judge, for one, has to read the number on a sign, so "judged speed_limit_30"
means a legible 30.

Example:
    >>> judge = load_judge("shapes")
    >>> judge.classes, judge.image_shape
    (('circle', 'square', 'rectangle'), (64, 64, 3))
"""

from __future__ import annotations

import json
import os
import tempfile
import time
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from course_utils import config
from course_utils.metrics.checks import MetricInputError, as_images
from course_utils.metrics.judge_data import (
    JUDGE_SPECS,
    JudgeError,
    JudgeSpec,
    check_seed,
    held_out_set,
    spec_for,
    training_set,
)

__all__ = ["JUDGE_SPECS", "JUDGE_VERSION", "Judge", "JudgeError", "JudgeSpec", "JudgeTrainingError", "judge_path",
           "load_judge", "train_judge"]

# Bump when the architecture, the training recipe or the negatives change: cached judges retrain.
JUDGE_VERSION = "2"
FEATURES_LAYER = "features"
FEATURE_COUNT = 64
BATCH_SIZE = 64
PREDICT_BATCH_SIZE = 500
LEARNING_RATE = 2e-3


class JudgeTrainingError(RuntimeError):
    """A judge missed its stated held-out accuracy after training."""
def _build_model(spec: JudgeSpec, seed: int) -> Any:
    import keras  # noqa: PLC0415
    from keras import layers  # noqa: PLC0415

    def initializer(offset: int) -> Any:
        return keras.initializers.GlorotUniform(seed=seed * 100 + offset)

    inputs = keras.Input(shape=spec.image_shape, name="images")
    x = layers.GaussianNoise(0.05, seed=seed * 100 + 99, name="training_noise")(inputs)
    x = layers.Rescaling(2.0, offset=-1.0, name="to_minus_one_one")(x)
    if spec.image_shape[0] > 32:  # 64x64 shapes: halve first; the shapes stay 6-26 px wide
        x = layers.AveragePooling2D(2, name="halve")(x)
    for index, count in enumerate(spec.filters):
        for repeat in range(spec.convs_per_block):
            suffix = "abc"[repeat] if spec.convs_per_block > 1 else ""
            x = layers.Conv2D(count, 3, padding="same", activation="relu",
                              kernel_initializer=initializer(index + 20 * repeat), name=f"conv{index + 1}{suffix}")(x)
        x = layers.MaxPooling2D(2, name=f"pool{index + 1}")(x)
    x = layers.Flatten(name="flatten")(x)
    # The FID/KID features are this layer's values *before* the ReLU: no dead (constant)
    # features, and more of the within-class variety that reveals a collapsed generator.
    features = layers.Dense(FEATURE_COUNT, kernel_initializer=initializer(10), name=FEATURES_LAYER)(x)
    hidden = layers.Activation("relu", name="features_relu")(features)
    outputs = layers.Dense(len(spec.classes), activation="softmax", kernel_initializer=initializer(11),
                           name="class_probabilities")(hidden)
    model = keras.Model(inputs, outputs, name=f"judge_{spec.name}")
    model.compile(optimizer=keras.optimizers.Adam(LEARNING_RATE),
                  loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    return model


class _KerasCapsLifted:
    """Within the block, Keras' KERAS_MAX_EPOCHS / KERAS_MAX_STEPS_PER_EPOCH caps are off."""

    def __enter__(self) -> _KerasCapsLifted:
        import keras  # noqa: PLC0415

        self._config = keras.config
        self._saved = (
            getattr(keras.config, "max_epochs", lambda: None)(),
            getattr(keras.config, "max_steps_per_epoch", lambda: None)(),
        )
        if hasattr(keras.config, "set_max_epochs"):
            keras.config.set_max_epochs(None)
            keras.config.set_max_steps_per_epoch(None)
        return self

    def __exit__(self, *exc_info: object) -> None:
        if hasattr(self._config, "set_max_epochs"):
            self._config.set_max_epochs(self._saved[0])
            self._config.set_max_steps_per_epoch(self._saved[1])


# ---------------------------------------------------------------------------------------------
# The judge
# ---------------------------------------------------------------------------------------------


class Judge:
    """A trained judge classifier: class probabilities, predictions and penultimate features.

    Example:
        >>> judge = load_judge("vertical_lines")
        >>> from course_utils.metrics.judge_data import reference_images
        >>> images, labels = reference_images("vertical_lines", 200)
        >>> judge.accuracy_on(images, labels) > 0.95
        True
    """

    def __init__(self, spec: JudgeSpec, model: Any, facts: dict[str, Any], path: Path) -> None:
        import keras  # noqa: PLC0415

        self.spec = spec
        self.model = model
        self.facts = facts
        self.path = path
        # One-input views of the model (a loaded model keeps its inputs as a list).
        inputs = model.inputs[0]
        self._classifier = keras.Model(inputs, model.outputs[0])
        self._features_model = keras.Model(inputs, model.get_layer(FEATURES_LAYER).output)

    @property
    def name(self) -> str:
        """The judge's name, e.g. ``"road_signs"``."""
        return self.spec.name

    @property
    def classes(self) -> tuple[str, ...]:
        """The class names, in the order of the class indices."""
        return self.spec.classes

    @property
    def image_shape(self) -> tuple[int, int, int]:
        """The ``(height, width, channels)`` of the images it reads."""
        return self.spec.image_shape

    @property
    def accuracy(self) -> float:
        """Held-out accuracy measured right after training."""
        return float(self.facts["held_out_accuracy"])

    @property
    def training_seconds(self) -> float:
        """How long training took (on the machine that trained it)."""
        return float(self.facts["training_seconds"])

    def __repr__(self) -> str:
        return (f"Judge({self.name!r}, classes={len(self.classes)}, images={self.image_shape}, "
                f"held-out accuracy={self.accuracy:.3f})")

    def check_images(self, images: Any, name: str = "images") -> np.ndarray:
        """Return ``images`` as float32 after checking they are the kind this judge reads.

        Raises:
            JudgeError: for images of another size or channel count than the judge's data.

        Example:
            >>> load_judge("digits").check_images(np.zeros((2, 32, 32, 1))).shape
            (2, 32, 32, 1)
        """
        array = as_images(images, name)
        if array.shape[1:] != self.image_shape:
            height, width, channels = self.image_shape
            kind = "RGB" if channels == 3 else "grey (1 channel)"
            raise JudgeError(
                f"The {self.name!r} judge reads {height}x{width} {kind} images, shape "
                f"(n, {height}, {width}, {channels}), the data it was trained on; got {name} of shape "
                f"{array.shape}. Use the judge for your data set, or resize the images "
                "(course_utils.data.resizing) to the judge's size."
            )
        return array

    def _run(self, model: Any, images: np.ndarray) -> np.ndarray:
        outputs = []
        for start in range(0, images.shape[0], PREDICT_BATCH_SIZE):
            output = model(images[start:start + PREDICT_BATCH_SIZE], training=False)
            outputs.append(output.numpy() if hasattr(output, "numpy") else np.asarray(output))
        return np.concatenate(outputs).astype(np.float64)

    def probabilities(self, images: Any) -> np.ndarray:
        """Return class probabilities, shape ``(n, classes)``.

        Example:
            >>> load_judge("digits").probabilities(np.zeros((3, 32, 32, 1))).shape
            (3, 10)
        """
        return self._run(self._classifier, self.check_images(images))

    def predict(self, images: Any) -> np.ndarray:
        """Return the most likely class index of each image, shape ``(n,)``.

        Example:
            >>> from course_utils.metrics.judge_data import reference_images
            >>> images, labels = reference_images("digits", 5)
            >>> load_judge("digits").predict(images).shape
            (5,)
        """
        return np.argmax(self.probabilities(images), axis=1)

    @property
    def feature_scale(self) -> float:
        """The root-mean-square feature value on the held-out set; features are divided by it."""
        return float(self.facts.get("feature_scale", 1.0))

    def features(self, images: Any) -> np.ndarray:
        """Return the penultimate layer's 64 features of each image, shape ``(n, 64)``.

        The values before the layer's ReLU, divided by :attr:`feature_scale` so that real
        images have features of root-mean-square 1 for every judge.

        Example:
            >>> load_judge("digits").features(np.zeros((2, 32, 32, 1))).shape
            (2, 64)
        """
        return self._run(self._features_model, self.check_images(images)) / self.feature_scale

    def class_index(self, label: str | int) -> int:
        """Return the index of a class given by name or index.

        Example:
            >>> load_judge("shapes").class_index("square")
            1
        """
        if isinstance(label, str):
            if label not in self.classes:
                raise JudgeError(f"The {self.name!r} judge knows {', '.join(self.classes)}; not {label!r}.")
            return self.classes.index(label)
        if isinstance(label, bool) or not isinstance(label, (int, np.integer)) or not 0 <= label < len(self.classes):
            raise JudgeError(
                f"Class {label!r} is not a class index of the {self.name!r} judge (0 to {len(self.classes) - 1})."
            )
        return int(label)

    def class_share(self, images: Any, label: str | int) -> float:
        """Return the share of images the judge assigns to class ``label`` (a name or index).

        Example:
            >>> from course_utils.metrics.judge_data import reference_images
            >>> images, _ = reference_images("shapes", 30)
            >>> 0.0 <= load_judge("shapes").class_share(images, "circle") <= 1.0
            True
        """
        index = self.class_index(label)
        return float(np.mean(self.predict(images) == index))

    def recognised_share(self, images: Any, min_probability: float = 0.9) -> float:
        """Return the share of images whose most likely class has probability >= ``min_probability``.

        "Samples a digit classifier recognises": a blurry or made-up digit gets no confident class.

        Example:
            >>> from course_utils.metrics.judge_data import reference_images
            >>> images, _ = reference_images("digits", 100)
            >>> load_judge("digits").recognised_share(images) > 0.9
            True
        """
        if not 0.0 < min_probability <= 1.0:
            raise MetricInputError(f"min_probability must be in (0, 1]; got {min_probability}.")
        return float(np.mean(self.probabilities(images).max(axis=1) >= min_probability))

    def accuracy_on(self, images: Any, labels: Any) -> float:
        """Return the share of images whose predicted class equals its label.

        Example:
            >>> from course_utils.metrics.judge_data import reference_images
            >>> images, labels = reference_images("road_signs", 100)
            >>> load_judge("road_signs").accuracy_on(images, labels) > 0.9
            True
        """
        label_array = np.asarray(labels).reshape(-1)
        predictions = self.predict(images)
        if label_array.shape[0] != predictions.shape[0]:
            raise MetricInputError(
                f"Got {predictions.shape[0]} images but {label_array.shape[0]} labels; give one label per image."
            )
        indices = np.array([self.class_index(label.item() if hasattr(label, "item") else label)
                            for label in label_array])
        return float(np.mean(predictions == indices))


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


def _write_atomically(path: Path, write: Callable[[Path], None]) -> None:
    """Write through ``write(temporary_path)`` in the same folder, then rename into place."""
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.stem}.", suffix=path.suffix)
    os.close(handle)
    temporary_path = Path(temporary)
    try:
        write(temporary_path)
        os.chmod(temporary_path, 0o644)  # mkstemp makes it private; a cache is readable by all
        os.replace(temporary_path, path)
    finally:
        if temporary_path.exists():
            temporary_path.unlink()


def train_judge(name: str, seed: int = 0, *, verbose: bool = True) -> Judge:
    """Train the judge ``name`` from scratch, measure its held-out accuracy, and cache it.

    Raises:
        JudgeTrainingError: if the held-out accuracy misses the judge's stated minimum
            (nothing is cached then).

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
    model = _build_model(spec, seed)
    # The order of the examples comes from NumPy, not from tf.data's shuffle: TensorFlow mixes
    # an op's seed with the global seed, so the judge would depend on the notebook's seed.
    order = np.random.default_rng(seed)
    with _KerasCapsLifted():
        for _ in range(spec.epochs):
            shuffled = order.permutation(len(train_labels))
            model.fit(train_images[shuffled], train_labels[shuffled], batch_size=BATCH_SIZE, epochs=1,
                      shuffle=False, verbose=0)
    training_seconds = time.perf_counter() - started
    training_cpu_seconds = time.process_time() - started_cpu
    facts = {
        "name": spec.name,
        "seed": seed,
        "classes": list(spec.classes),
        "image_shape": list(spec.image_shape),
        "data_version": _data_version(),
        "judge_version": JUDGE_VERSION,
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
    with warnings.catch_warnings():
        # Keras' saver trips a NumPy 2 DeprecationWarning (__array__ without copy=) in TensorFlow.
        warnings.simplefilter("ignore", DeprecationWarning)
        _write_atomically(path, lambda temporary: model.save(temporary))
    _write_atomically(
        path.with_suffix(".json"),
        lambda temporary: temporary.write_text(json.dumps(facts, indent=2) + "\n", encoding="utf-8"),
    )
    if verbose:
        print(f"  held-out accuracy {accuracy:.3f} on {len(test_labels)} images, "
              f"trained in {training_seconds:.1f} s; saved to {path}", flush=True)
    _LOADED[path] = judge
    return judge


_LOADED: dict[Path, Judge] = {}


def load_judge(name: str, seed: int = 0, *, retrain: bool = False, verbose: bool = True) -> Judge:
    """Return the judge ``name``: from memory, from the cache folder, or trained now (once).

    Args:
        name: ``"road_signs"``, ``"vertical_lines"``, ``"shapes"`` or ``"digits"``.
        seed: which of the judge's trainings to use (different seeds give different judges;
            compare FIDs only between values from one judge).
        retrain: train again even if a cached judge exists.
        verbose: print a line when training.

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
                          f"({type(error).__name__}: {reason}); training it again.")
            else:
                judge = Judge(spec, model, facts, path)
                _LOADED[path] = judge
                return judge
    return train_judge(name, seed, verbose=verbose)
