"""Notebook 05's baseline: the hands-on lecture's vertical-lines DCGAN recipe (gan1_v1.ipynb in the deck).

The lecture generates 1000 real images, then for each step draws 50 of them, makes 50 fakes and
takes one learning step: an eager loop (no ``tf.function``) with two GradientTapes and Adam(1e-4)
for both players. The networks here are the notebook's (DCGAN guidelines: G = 100-d noise ->
Dense 4x4x64 -> three 4x4 stride-2 transposed convolutions with batch norm and ReLU -> tanh;
D = three 4x4 stride-2 convolutions with LeakyReLU, batch norm on the last two -> sigmoid), so
only the training recipe differs. The quality is the notebook's: the share of 1000 generated
images the vertical-lines detector accepts (threshold 0.9), measured every ``check_every`` steps;
measuring does not count as training time.

Run from the repository root (``make bench`` does, for notebook 05):

    .venv/bin/python benchmarks/lecture_recipe_05.py
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the course_utils of this checkout

from course_utils import environment  # noqa: E402

environment.silence_tensorflow()

import keras  # noqa: E402
import numpy as np  # noqa: E402
from eager_recipe import main, run_eager_recipe  # noqa: E402

from course_utils import data, metrics  # noqa: E402
from course_utils.metrics.thresholds import THRESHOLDS  # noqa: E402

NOISE_DIMENSION = 100
STEPS = 1000
BATCH_SIZE = 50
REAL_IMAGES = 1000
CHECK_SAMPLES = 1000
LEARNING_RATE = 1e-4
layers = keras.layers


def build_generator() -> keras.Model:
    """The notebook's generator: 100-d noise -> 32x32x1 image in [-1, 1]."""
    return keras.Sequential([
        keras.Input(shape=(NOISE_DIMENSION,)),
        layers.Dense(4 * 4 * 64, use_bias=False), layers.BatchNormalization(momentum=0.9), layers.ReLU(),
        layers.Reshape((4, 4, 64)),
        layers.Conv2DTranspose(32, 4, strides=2, padding="same", use_bias=False), layers.BatchNormalization(momentum=0.9), layers.ReLU(),
        layers.Conv2DTranspose(16, 4, strides=2, padding="same", use_bias=False), layers.BatchNormalization(momentum=0.9), layers.ReLU(),
        layers.Conv2DTranspose(1, 4, strides=2, padding="same", activation="tanh"),
    ])


def build_discriminator() -> keras.Model:
    """The notebook's discriminator (as in its run 1: no input noise): 32x32x1 image -> P(real)."""
    return keras.Sequential([
        keras.Input(shape=(32, 32, 1)),
        layers.Conv2D(16, 4, strides=2, padding="same"), layers.LeakyReLU(negative_slope=0.2),
        layers.Conv2D(32, 4, strides=2, padding="same", use_bias=False), layers.BatchNormalization(), layers.LeakyReLU(negative_slope=0.2),
        layers.Conv2D(64, 4, strides=2, padding="same", use_bias=False), layers.BatchNormalization(), layers.LeakyReLU(negative_slope=0.2),
        layers.Flatten(), layers.Dense(1, activation="sigmoid"),
    ])


def run_lecture_recipe(check_every: int = 50, seed: int = 0, steps: int = STEPS) -> dict:
    """Train the notebook's networks with the lecture's recipe; return its time to quality and history.

    Example:
        >>> result = run_lecture_recipe(check_every=50)  # doctest: +SKIP
        >>> result["recipe"], result["batch_size"], result["threshold"]  # doctest: +SKIP
        ('lecture (eager, two tapes)', 50, 0.9)
    """
    keras.utils.set_random_seed(seed)
    generator, discriminator = build_generator(), build_discriminator()
    real_images = data.to_tanh_range(data.vertical_lines(REAL_IMAGES, seed=seed))
    rng = np.random.default_rng(seed)
    check_noise = rng.normal(size=(CHECK_SAMPLES, NOISE_DIMENSION)).astype("float32")
    threshold = THRESHOLDS["vertical_lines_share"]

    def measure() -> float:
        images = keras.ops.convert_to_numpy(generator(check_noise, training=False))
        return metrics.vertical_lines_share(data.from_tanh_range(images))

    return run_eager_recipe(
        generator, discriminator, lambda size: real_images[rng.integers(0, REAL_IMAGES, size=size)],
        noise_dimension=NOISE_DIMENSION, steps=steps, batch_size=BATCH_SIZE,
        generator_optimizer=keras.optimizers.Adam(LEARNING_RATE),
        discriminator_optimizer=keras.optimizers.Adam(LEARNING_RATE),
        measure=measure, threshold=threshold.value, higher_is_better=threshold.higher_is_better,
        metric=threshold.metric, check_every=check_every, learning_rate=LEARNING_RATE,
    )


if __name__ == "__main__":
    main(run_lecture_recipe, __doc__.splitlines()[0], STEPS, 50)
