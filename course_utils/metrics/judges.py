"""Small judge classifiers, trained once on the course's offline data and cached.

A *judge* is a small CNN trained on real images of one data set. The notebooks use it to ask
"what is this generated image?" (conditional accuracy, CycleGAN's translated shapes) and its
penultimate layer (64 features) as the feature space for FID and KID
(:mod:`course_utils.metrics.image_distances`), in place of InceptionV3, which knows nothing
about 32x32 road signs and needs a download.

========================  =================  ==============================================
judge                     images             classes
========================  =================  ==============================================
``road_signs``            32x32 RGB          speed_limit_30, speed_limit_100, stop, no_trucks
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

The vertical-lines judge learns "vertical lines" against images made from the real ones by
turning them horizontal, slanting, blurring, breaking or crossing them, drowning them in
noise, and against noise, dots and flat images.

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
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from scipy import ndimage

from course_utils import config
from course_utils.metrics.checks import MetricInputError, as_images

# Bump when the architecture, the training recipe or the negatives change: cached judges retrain.
JUDGE_VERSION = "1"
FEATURES_LAYER = "features"
FEATURE_COUNT = 64
BATCH_SIZE = 64
PREDICT_BATCH_SIZE = 500
LEARNING_RATE = 2e-3
# Seeds of the real images a judge trains and is tested on (plus 10 * the judge's seed), and
# the default seed of reference_images(): three different sets, none a notebook trains a GAN on.
TRAIN_DATA_SEED = 7001
TEST_DATA_SEED = 7002
REFERENCE_SEED = 7003


class JudgeError(ValueError):
    """A judge was asked about images it was not trained on, or a judge name is unknown."""


class JudgeTrainingError(RuntimeError):
    """A judge missed its stated held-out accuracy after training."""


@dataclass(frozen=True)
class JudgeSpec:
    """What one judge is trained on and how well it must do."""

    name: str
    classes: tuple[str, ...]
    image_shape: tuple[int, int, int]
    train_size: int
    test_size: int
    epochs: int
    min_accuracy: float
    description: str


JUDGE_SPECS: dict[str, JudgeSpec] = {
    "road_signs": JudgeSpec(
        name="road_signs",
        classes=("speed_limit_30", "speed_limit_100", "stop", "no_trucks"),
        image_shape=(32, 32, 3),
        train_size=3000,
        test_size=1000,
        epochs=5,
        min_accuracy=0.97,
        description="the four road signs of notebooks 06 and 09, rendered offline",
    ),
    "vertical_lines": JudgeSpec(
        name="vertical_lines",
        classes=("not_vertical_lines", "vertical_lines"),
        image_shape=(32, 32, 1),
        train_size=4000,
        test_size=1000,
        epochs=6,
        min_accuracy=0.97,
        description="vertical lines (notebook 05) against slanted, horizontal, blurred, broken lines and noise",
    ),
    "shapes": JudgeSpec(
        name="shapes",
        classes=("circle", "square", "rectangle"),
        image_shape=(64, 64, 3),
        train_size=3000,
        test_size=900,
        epochs=5,
        min_accuracy=0.95,
        description="circles, squares and rectangles of any colour (notebooks 11 and 12)",
    ),
    "digits": JudgeSpec(
        name="digits",
        classes=tuple(str(digit) for digit in range(10)),
        image_shape=(32, 32, 1),
        train_size=1437,
        test_size=360,
        epochs=12,
        min_accuracy=0.95,
        description="scikit-learn's 1797 handwritten digits, upscaled to 32x32 (notebooks 04, 10, 13)",
    ),
}


def _spec(name: str) -> JudgeSpec:
    if name not in JUDGE_SPECS:
        raise JudgeError(f"Unknown judge {name!r}; the course has {', '.join(JUDGE_SPECS)}.")
    return JUDGE_SPECS[name]


def _check_seed(seed: int) -> int:
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
        raise JudgeError(f"seed must be a non-negative whole number; got {seed!r}.")
    return int(seed)


# ---------------------------------------------------------------------------------------------
# Data for each judge
# ---------------------------------------------------------------------------------------------


def _shear_rows(images: np.ndarray, slopes: np.ndarray) -> np.ndarray:
    """Shift row r of image i by round(slopes[i] * r) columns (wrapping): slanted lines."""
    n, height, width, _ = images.shape
    shifts = np.round(slopes[:, None] * np.arange(height)[None, :]).astype(int)  # (n, height)
    columns = (np.arange(width)[None, None, :] - shifts[:, :, None]) % width  # (n, height, width)
    rows = np.arange(height)[None, :, None]
    return images[np.arange(n)[:, None, None], rows, columns]


def not_vertical_lines(n: int, seed: int, size: int = 32) -> np.ndarray:
    """Return ``n`` grey images that are *not* images of vertical lines, shape ``(n, size, size, 1)``.

    Nine kinds in equal shares, most made from real vertical-line images: horizontal lines,
    slanted lines, blurred lines, broken lines (a band of rows missing), a grid (vertical
    plus horizontal lines), lines drowned in noise, uniform noise, scattered dots, and flat
    grey images.

    Example:
        >>> images = not_vertical_lines(18, seed=0)
        >>> images.shape, float(images.min()) >= 0.0, float(images.max()) <= 1.0
        ((18, 32, 32, 1), True, True)
    """
    from course_utils.data import vertical_lines  # noqa: PLC0415

    rng = np.random.default_rng(seed)
    lines = vertical_lines(n, size=size, seed=int(rng.integers(2**31)))
    other_lines = vertical_lines(n, size=size, seed=int(rng.integers(2**31)))
    kinds = rng.permutation(np.arange(n) % 9)
    images = np.empty_like(lines)
    for kind in range(9):
        chosen = np.flatnonzero(kinds == kind)
        if chosen.size == 0:
            continue
        base = lines[chosen]
        count = chosen.size
        if kind == 0:  # horizontal lines
            made = base.transpose(0, 2, 1, 3)
        elif kind == 1:  # slanted lines, slope 0.15 to 2 columns per row, either way
            slopes = rng.uniform(0.15, 2.0, count) * rng.choice([-1.0, 1.0], count)
            made = _shear_rows(base, slopes)
        elif kind == 2:  # blurred lines
            made = np.stack([ndimage.gaussian_filter(image, sigma=(s, s, 0))
                             for image, s in zip(base, rng.uniform(1.0, 2.5, count))])
        elif kind == 3:  # broken lines: a band of 30-70% of the rows is blank
            made = base.copy()
            for index in range(count):
                band = int(rng.integers(int(0.3 * size), int(0.7 * size) + 1))
                start = int(rng.integers(0, size - band + 1))
                made[index, start:start + band] = 0.0
        elif kind == 4:  # a grid: vertical and horizontal lines together
            made = np.maximum(base, other_lines[chosen].transpose(0, 2, 1, 3))
        elif kind == 5:  # lines drowned in strong noise
            made = base + rng.normal(0.0, 0.6, base.shape)
        elif kind == 6:  # uniform noise
            made = rng.uniform(0.0, 1.0, base.shape)
        elif kind == 7:  # scattered bright dots
            made = (rng.random(base.shape) < rng.uniform(0.02, 0.15, (count, 1, 1, 1))).astype(float)
        else:  # flat grey images
            made = np.broadcast_to(rng.uniform(0.0, 1.0, (count, 1, 1, 1)), base.shape)
        images[chosen] = np.clip(made, 0.0, 1.0)
    return images.astype(np.float32)


def _vertical_lines_data(n: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    from course_utils.data import vertical_lines  # noqa: PLC0415

    positives = n // 2
    rng = np.random.default_rng(seed)
    images = np.concatenate([
        not_vertical_lines(n - positives, seed=int(rng.integers(2**31))),
        vertical_lines(positives, size=32, seed=int(rng.integers(2**31))),
    ])
    labels = np.concatenate([np.zeros(n - positives, np.int64), np.ones(positives, np.int64)])
    order = rng.permutation(n)
    return images[order], labels[order]


def _road_signs_data(n: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    from course_utils.data import road_signs  # noqa: PLC0415

    images, labels = road_signs(n, classes=None, size=32, seed=seed)
    return images, np.asarray(labels, dtype=np.int64)


def _shapes_data(n: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    from course_utils.data import shapes_dataset  # noqa: PLC0415

    images, labels = shapes_dataset(n, size=64, seed=seed)
    return images, np.asarray(labels, dtype=np.int64)


DIGITS_SPLIT_SEED = 7000


def _digits_split(part: str) -> tuple[np.ndarray, np.ndarray]:
    from course_utils.data import digits  # noqa: PLC0415

    images, labels = digits(size=32, seed=DIGITS_SPLIT_SEED)
    cut = JUDGE_SPECS["digits"].train_size
    return (images[:cut], labels[:cut]) if part == "train" else (images[cut:], labels[cut:])


def _make_data(name: str, n: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    makers: dict[str, Callable[[int, int], tuple[np.ndarray, np.ndarray]]] = {
        "road_signs": _road_signs_data,
        "vertical_lines": _vertical_lines_data,
        "shapes": _shapes_data,
    }
    return makers[name](n, seed)


def held_out_set(name: str, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Return the held-out images and labels a judge's stated accuracy is measured on.

    Fresh images from the generator (a seed no judge trains on) for the generated data sets;
    the fixed test split (the last 360 of 1797) for ``digits``.

    Example:
        >>> images, labels = held_out_set("digits")
        >>> images.shape, labels.shape
        ((360, 32, 32, 1), (360,))
    """
    spec = _spec(name)
    seed = _check_seed(seed)
    if spec.name == "digits":  # 1797 images in all: one fixed split, the same for every seed
        return _digits_split("test")
    return _make_data(spec.name, spec.test_size, TEST_DATA_SEED + 10 * seed)


def _training_set(spec: JudgeSpec, seed: int) -> tuple[np.ndarray, np.ndarray]:
    if spec.name == "digits":
        return _digits_split("train")
    return _make_data(spec.name, spec.train_size, TRAIN_DATA_SEED + 10 * seed)


def reference_images(name: str, n: int, seed: int = REFERENCE_SEED) -> tuple[np.ndarray, np.ndarray]:
    """Return ``n`` real images of a judge's data set and their labels, for FID/KID and calibration.

    For the generated data sets the images come from the generator with ``seed`` (by default
    a seed no judge trains on). For ``digits`` (1797 images in all) they are the first ``n``
    digits in the order given by ``seed``, so they may overlap the judge's training split.

    Example:
        >>> images, labels = reference_images("vertical_lines", 10)
        >>> images.shape, sorted(set(labels.tolist()))
        ((10, 32, 32, 1), [0, 1])
    """
    spec = _spec(name)
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 1:
        raise JudgeError(f"n must be a positive whole number of images; got {n!r}.")
    if name == "digits":
        from course_utils.data import digits  # noqa: PLC0415

        images, labels = digits(size=spec.image_shape[0], seed=seed)
        if n > images.shape[0]:
            raise JudgeError(f"There are only {images.shape[0]} digits; asked for {n}.")
        return images[:n], labels[:n]
    return _make_data(name, int(n), seed)


# ---------------------------------------------------------------------------------------------
# The model
# ---------------------------------------------------------------------------------------------


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
    for index, count in enumerate((16, 32, 64)):
        x = layers.Conv2D(count, 3, padding="same", activation="relu",
                          kernel_initializer=initializer(index), name=f"conv{index + 1}")(x)
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
    spec = _spec(name)
    seed = _check_seed(seed)
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

    spec = _spec(name)
    seed = _check_seed(seed)
    path = judge_path(name, seed)
    if verbose:
        print(f"Training the {name!r} judge ({spec.description}); this happens once ...", flush=True)
    started, started_cpu = time.perf_counter(), time.process_time()
    train_images, train_labels = _training_set(spec, seed)
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
        >>> judge.classes
        ('speed_limit_30', 'speed_limit_100', 'stop', 'no_trucks')
    """
    import keras  # noqa: PLC0415

    spec = _spec(name)
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
