"""The lecture's way of training a GAN, kept as the benchmark's baseline: an eager two-tape loop.

The hands-on lecture trains with a plain Python loop: each step draws a real batch, makes noise,
runs both networks under two ``tf.GradientTape``s, and applies Adam to each player, with no
``tf.function``. :func:`run_eager_recipe` does exactly that and measures the quality every
``check_every`` steps on a fixed set of samples. Only training counts as time: the clock stops
while the quality is measured, so the figures compare with the notebooks' time to quality.

Used by ``lecture_recipe_01.py`` and ``lecture_recipe_05.py``; ``make bench`` runs those.

Example:
    >>> result = run_eager_recipe(generator, discriminator, real_batch, noise_dimension=100,
    ...     steps=5000, batch_size=150, generator_optimizer=keras.optimizers.Adam(),
    ...     discriminator_optimizer=keras.optimizers.Adam(), measure=measure,
    ...     threshold=0.05, higher_is_better=False, metric="mean |y - sin x|")  # doctest: +SKIP
"""

from __future__ import annotations

import argparse
import json
import time
from collections.abc import Callable
from typing import Any

import keras
import numpy as np
import tensorflow as tf


def lecture_train_step(generator, discriminator, generator_optimizer, discriminator_optimizer, noise_dimension: int):
    """Return the lecture's training step: both losses from one forward pass, two tapes, eager."""
    cross_entropy = keras.losses.BinaryCrossentropy()

    def train_step(real_samples: np.ndarray) -> None:
        noise = tf.random.normal([len(real_samples), noise_dimension])
        with tf.GradientTape() as generator_tape, tf.GradientTape() as discriminator_tape:
            generated = generator(noise, training=True)
            real_output = discriminator(real_samples, training=True)
            fake_output = discriminator(generated, training=True)
            real_loss = cross_entropy(tf.ones_like(real_output), real_output)
            fake_loss = cross_entropy(tf.zeros_like(fake_output), fake_output)
            discriminator_loss = (real_loss + fake_loss) / 2
            generator_loss = cross_entropy(tf.ones_like(fake_output), fake_output)
        generator_gradients = generator_tape.gradient(generator_loss, generator.trainable_variables)
        discriminator_gradients = discriminator_tape.gradient(discriminator_loss, discriminator.trainable_variables)
        generator_optimizer.apply_gradients(zip(generator_gradients, generator.trainable_variables))
        discriminator_optimizer.apply_gradients(zip(discriminator_gradients, discriminator.trainable_variables))

    return train_step


def run_eager_recipe(
    generator: keras.Model,
    discriminator: keras.Model,
    real_batch: Callable[[int], np.ndarray],
    *,
    noise_dimension: int,
    steps: int,
    batch_size: int,
    generator_optimizer: keras.optimizers.Optimizer,
    discriminator_optimizer: keras.optimizers.Optimizer,
    measure: Callable[[], float],
    threshold: float,
    higher_is_better: bool,
    metric: str,
    check_every: int = 100,
    learning_rate: float | None = None,
) -> dict[str, Any]:
    """Train eagerly for ``steps`` steps; return the time to quality and the final quality.

    ``measure()`` returns the quality of the generator now; it runs before training (step 0),
    every ``check_every`` steps and after the last step. The result holds the recipe's settings,
    ``wall_seconds`` (training only), ``first_pass_step`` / ``first_pass_seconds`` (``None``
    when the threshold was never met), ``final_value`` and the whole ``history``.
    """
    if steps < 1 or batch_size < 1 or check_every < 1:
        raise ValueError(f"steps, batch_size and check_every must be positive; got {steps}, {batch_size}, {check_every}.")
    train_step = lecture_train_step(generator, discriminator, generator_optimizer, discriminator_optimizer, noise_dimension)

    def passes(value: float) -> bool:
        return value >= threshold if higher_is_better else value <= threshold

    training_seconds = 0.0
    history = [(0, 0.0, float(measure()))]
    first_pass = None
    for step in range(1, steps + 1):
        started = time.perf_counter()
        train_step(real_batch(batch_size))
        training_seconds += time.perf_counter() - started
        if step % check_every == 0 or step == steps:
            value = float(measure())
            history.append((step, round(training_seconds, 3), value))
            if first_pass is None and passes(value):
                first_pass = (step, round(training_seconds, 3))
    return {
        "recipe": "lecture (eager, two tapes)",
        "steps": steps,
        "batch_size": batch_size,
        "learning_rate": learning_rate,
        "wall_seconds": round(training_seconds, 3),
        "first_pass_step": None if first_pass is None else first_pass[0],
        "first_pass_seconds": None if first_pass is None else first_pass[1],
        "final_value": history[-1][2],
        "threshold": threshold,
        "higher_is_better": higher_is_better,
        "metric": metric,
        "history": history,
    }


def print_result(result: dict[str, Any]) -> None:
    """Print a recipe's result as one JSON line (the benchmark reads the last line of output)."""
    print(json.dumps(result))


def main(run: Callable[..., dict[str, Any]], description: str, steps: int, check_every: int) -> None:
    """The recipe scripts' command line: ``--steps``, ``--check-every``, ``--seed``; prints the JSON line."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--steps", type=int, default=steps)
    parser.add_argument("--check-every", type=int, default=check_every)
    parser.add_argument("--seed", type=int, default=0)
    arguments = parser.parse_args()
    print_result(run(check_every=arguments.check_every, seed=arguments.seed, steps=arguments.steps))
