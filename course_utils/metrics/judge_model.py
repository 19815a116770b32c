"""What a judge is: its network (:func:`build_model`, sized by the judge's ``JudgeSpec``) and
:class:`Judge`, the trained network's class probabilities, predictions and 64 penultimate
features (for FID and KID). Where a trained judge comes from is :mod:`course_utils.metrics.judges`.

Example:
    >>> from course_utils.metrics.judges import load_judge
    >>> isinstance(load_judge("digits"), Judge)
    True
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from course_utils.checks import InputError, as_images
from course_utils.metrics.judge_data import JudgeError, JudgeSpec

__all__ = ["FEATURES_LAYER", "FEATURE_COUNT", "Judge", "build_model"]

FEATURES_LAYER = "features"
FEATURE_COUNT = 64
PREDICT_BATCH_SIZE = 500
LEARNING_RATE = 2e-3


def build_model(spec: JudgeSpec, seed: int) -> Any:
    """Return the untrained, compiled network of the judge ``spec`` (its weights drawn from ``seed``).

    Example:
        >>> from course_utils.metrics.judge_data import spec_for
        >>> model = build_model(spec_for("vertical_lines"), seed=0)
        >>> model.output_shape, model.get_layer(FEATURES_LAYER).output.shape
        ((None, 2), (None, 64))
    """
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


class Judge:
    """A trained judge classifier: class probabilities, predictions and penultimate features.

    Example:
        >>> from course_utils.metrics.judges import load_judge
        >>> load_judge("vertical_lines").classes
        ('not_vertical_lines', 'vertical_lines')
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

    def __repr__(self) -> str:
        return (f"Judge({self.name!r}, classes={len(self.classes)}, images={self.image_shape}, "
                f"held-out accuracy={self.accuracy:.3f})")

    def check_images(self, images: Any, name: str = "images") -> np.ndarray:
        """Return ``images`` as float32; a ``JudgeError`` if this judge does not read their size.

        Example:
            >>> from course_utils.metrics.judges import load_judge
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
            >>> from course_utils.metrics.judges import load_judge
            >>> load_judge("digits").probabilities(np.zeros((3, 32, 32, 1))).shape
            (3, 10)
        """
        return self._run(self._classifier, self.check_images(images))

    def predict(self, images: Any) -> np.ndarray:
        """Return the most likely class index of each image, shape ``(n,)``.

        Example:
            >>> from course_utils.metrics.judges import load_judge
            >>> from course_utils.data import digits
            >>> load_judge("digits").predict(digits(size=32)[0][:5]).shape
            (5,)
        """
        return np.argmax(self.probabilities(images), axis=1)

    @property
    def feature_scale(self) -> float:
        """The root-mean-square feature value on the held-out set; features are divided by it."""
        return float(self.facts.get("feature_scale", 1.0))

    def features(self, images: Any) -> np.ndarray:
        """Return the 64 penultimate features (before the ReLU, divided by :attr:`feature_scale`).

        Example:
            >>> from course_utils.metrics.judges import load_judge
            >>> load_judge("digits").features(np.zeros((2, 32, 32, 1))).shape
            (2, 64)
        """
        return self._run(self._features_model, self.check_images(images)) / self.feature_scale

    def class_index(self, label: str | int) -> int:
        """Return the index of a class given by name or index.

        Example:
            >>> from course_utils.metrics.judges import load_judge
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
            >>> from course_utils.metrics.judges import load_judge
            >>> from course_utils.data import circles
            >>> load_judge("shapes").class_share(circles(30, seed=0), "circle") > 0.9
            True
        """
        index = self.class_index(label)
        return float(np.mean(self.predict(images) == index))

    def recognised_share(self, images: Any, min_probability: float = 0.9) -> float:
        """Return the share of images whose most likely class has probability >= ``min_probability``.

        Example:
            >>> from course_utils.metrics.judges import load_judge
            >>> from course_utils.data import digits
            >>> load_judge("digits").recognised_share(digits(size=32, seed=0)[0][:100]) > 0.9
            True
        """
        if not 0.0 < min_probability <= 1.0:
            raise InputError(f"min_probability must be in (0, 1]; got {min_probability}.")
        return float(np.mean(self.probabilities(images).max(axis=1) >= min_probability))

    def accuracy_on(self, images: Any, labels: Any) -> float:
        """Return the share of images whose predicted class equals its label.

        Example:
            >>> from course_utils.metrics.judges import load_judge
            >>> from course_utils.data import road_signs
            >>> images, labels = road_signs(100, seed=1)
            >>> load_judge("road_signs").accuracy_on(images, labels) > 0.9
            True
        """
        label_array = np.asarray(labels).reshape(-1)
        predictions = self.predict(images)
        if label_array.shape[0] != predictions.shape[0]:
            raise InputError(
                f"Got {predictions.shape[0]} images but {label_array.shape[0]} labels; give one label per image."
            )
        indices = np.array([self.class_index(label.item() if hasattr(label, "item") else label)
                            for label in label_array])
        return float(np.mean(predictions == indices))
