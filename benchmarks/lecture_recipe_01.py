"""Notebook 01's baseline: the hands-on lecture's sin-curve GAN, trained exactly as the lecture did.

The lecture (gan0.ipynb in the deck): G = 100-d noise -> Dense(15, relu) -> Dense(2),
D = Dense(25, relu) -> Dense(1, sigmoid), 5000 steps of batch 150, Adam with Keras' defaults for
both players, an eager loop with two GradientTapes. The quality is the notebook's: mean
|y - sin x| of 1000 generated points (threshold 0.05), measured every 100 steps.

Run from the repository root (``make bench`` does, for notebook 01):

    .venv/bin/python benchmarks/lecture_recipe_01.py
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
STEPS = 5000
BATCH_SIZE = 150
CHECK_SAMPLES = 1000


def run(check_every: int = 100, seed: int = 0, steps: int = STEPS) -> dict:
    """Train the lecture's networks with the lecture's settings; return the recipe's figures."""
    keras.utils.set_random_seed(seed)
    generator = keras.Sequential(
        [keras.Input(shape=(NOISE_DIMENSION,)), keras.layers.Dense(15, activation="relu"), keras.layers.Dense(2)])
    discriminator = keras.Sequential(
        [keras.Input(shape=(2,)), keras.layers.Dense(25, activation="relu"), keras.layers.Dense(1, activation="sigmoid")])
    pool = data.sin_curve(100_000, seed=seed)
    rng = np.random.default_rng(seed)
    check_noise = rng.normal(size=(CHECK_SAMPLES, NOISE_DIMENSION)).astype("float32")
    threshold = THRESHOLDS["sin_mean_abs_error"]
    return run_eager_recipe(
        generator, discriminator, lambda size: pool[rng.integers(0, len(pool), size=size)],
        noise_dimension=NOISE_DIMENSION, steps=steps, batch_size=BATCH_SIZE,
        generator_optimizer=keras.optimizers.Adam(), discriminator_optimizer=keras.optimizers.Adam(),
        measure=lambda: metrics.sin_curve_error(keras.ops.convert_to_numpy(generator(check_noise, training=False))),
        threshold=threshold.value, higher_is_better=threshold.higher_is_better, metric=threshold.metric,
        check_every=check_every, learning_rate=0.001,
    )


if __name__ == "__main__":
    main(run, __doc__.splitlines()[0], STEPS, 100)
