"""How much the training monitor slows training down: a sin-curve GAN with and without it.

The GAN is the one from the hands-on lecture (G: 100-d noise -> Dense(15, relu) -> Dense(2);
D: Dense(25, relu) -> Dense(1, sigmoid)) with a compiled (``tf.function``) training step and
batches of 128. Three ways of running the same number of steps are timed, interleaved and
repeated (the median counts):

* ``none``: the bare training loop;
* ``text``: the monitor as in a headless run (tests, ``build execute``): losses recorded every
  step, every ``--every`` steps the samples, D's decision map, the quality measure, the
  diagnostics and one printed line;
* ``dashboard``: the same with the live dashboard, as in a notebook: checked every
  ``--every`` steps and redrawn at most once a second (the monitor's default); the picture is
  made, only sending it to the browser is left out;
* ``dashboard every update``: the dashboard redrawn at every check (``redraw_seconds=0``).

The final figure a headless run shows once at the end is timed separately.

Run from the repository root:

    .venv/bin/python benchmarks/monitor_overhead.py            # 1000 steps (full mode)
    COURSE_MODE=fast .venv/bin/python benchmarks/monitor_overhead.py   # 200 steps
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import statistics
import sys
import time
from pathlib import Path

os.environ.setdefault("COURSE_HEADLESS", "1")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from course_utils import config  # noqa: E402
from course_utils.environment import device_description, silence_tensorflow  # noqa: E402

silence_tensorflow()

import keras  # noqa: E402
import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402

from course_utils.monitor import TrainingMonitor  # noqa: E402

BATCH_SIZE = 128
NOISE_SIZE = 100


class SinCurveGAN:
    """The lecture's sin-curve GAN with a compiled training step and its own data."""

    def __init__(self, seed: int = 0) -> None:
        keras.utils.set_random_seed(seed)
        self.generator = keras.Sequential(
            [keras.Input((NOISE_SIZE,)), keras.layers.Dense(15, activation="relu"), keras.layers.Dense(2)]
        )
        self.discriminator = keras.Sequential(
            [keras.Input((2,)), keras.layers.Dense(25, activation="relu"), keras.layers.Dense(1, activation="sigmoid")]
        )
        self.g_optimizer = keras.optimizers.Adam(1e-3)
        self.d_optimizer = keras.optimizers.Adam(1e-3)
        self.loss = keras.losses.BinaryCrossentropy()
        self.rng = np.random.default_rng(seed)
        self.fixed_noise = np.random.default_rng(seed + 1).normal(size=(500, NOISE_SIZE)).astype("float32")
        self.real_samples = self.real_batch(500)
        self.train_step = tf.function(self._train_step)

    def real_batch(self, count: int) -> np.ndarray:
        x = self.rng.uniform(-3.5, 3.5, size=(count, 1)).astype("float32")
        return np.concatenate([x, np.sin(x)], axis=1)

    def noise_batch(self) -> np.ndarray:
        return self.rng.normal(size=(BATCH_SIZE, NOISE_SIZE)).astype("float32")

    def _train_step(self, real: tf.Tensor, noise: tf.Tensor) -> tuple[tf.Tensor, ...]:
        with tf.GradientTape() as d_tape, tf.GradientTape() as g_tape:
            fake = self.generator(noise, training=True)
            p_real = self.discriminator(real, training=True)
            p_fake = self.discriminator(fake, training=True)
            d_loss = self.loss(tf.ones_like(p_real), p_real) + self.loss(tf.zeros_like(p_fake), p_fake)
            g_loss = self.loss(tf.ones_like(p_fake), p_fake)
        d_variables = self.discriminator.trainable_variables
        g_variables = self.generator.trainable_variables
        self.d_optimizer.apply_gradients(zip(d_tape.gradient(d_loss, d_variables), d_variables))
        self.g_optimizer.apply_gradients(zip(g_tape.gradient(g_loss, g_variables), g_variables))
        accuracy_real = tf.reduce_mean(tf.cast(p_real > 0.5, tf.float32))
        accuracy_fake = tf.reduce_mean(tf.cast(p_fake < 0.5, tf.float32))
        return d_loss, g_loss, accuracy_real, accuracy_fake

    def samples(self) -> tf.Tensor:
        return self.generator(self.fixed_noise, training=False)

    def decision(self, points: np.ndarray) -> tf.Tensor:
        return self.discriminator(points, training=False)

    def quality(self) -> float:
        points = np.asarray(self.samples())
        return float(np.mean(np.abs(points[:, 1] - np.sin(points[:, 0]))))


class DrawOnlyMonitor(TrainingMonitor):
    """The live monitor with the last step (sending the PNG to the notebook) left out."""

    def _show(self, png: bytes) -> None:
        self.pictures = getattr(self, "pictures", 0) + 1


def make_monitor(gan: SinCurveGAN, variant: str, steps: int, every: int) -> TrainingMonitor:
    monitor_class = DrawOnlyMonitor if variant.startswith("dashboard") else TrainingMonitor
    return monitor_class(
        every=every,
        total_steps=steps,
        sample_fn=gan.samples,
        real_samples=gan.real_samples,
        decision_fn=gan.decision,
        quality_fn=gan.quality,
        quality_threshold=0.1,
        higher_is_better=False,
        quality_name="mean |y - sin x|",
        live=variant.startswith("dashboard"),
        redraw_seconds=0.0 if variant == "dashboard every update" else 1.0,
        progress_bar=False,
    )


def time_run(gan: SinCurveGAN, variant: str, steps: int, every: int) -> tuple[float, float, float]:
    """Train `steps` steps; return wall seconds, wall seconds inside the monitor, CPU seconds.

    The final figure of a headless run is not included (see `time_final_figure`).
    """
    monitor = None if variant == "none" else make_monitor(gan, variant, steps, every)
    inside_monitor = 0.0
    with contextlib.redirect_stdout(io.StringIO()):
        cpu_start = time.process_time()
        start = time.perf_counter()
        for step in range(steps):
            d_loss, g_loss, accuracy_real, accuracy_fake = gan.train_step(gan.real_batch(BATCH_SIZE), gan.noise_batch())
            if monitor is not None:
                before = time.perf_counter()
                monitor.update(step, d_loss=d_loss, g_loss=g_loss, d_acc_real=accuracy_real, d_acc_fake=accuracy_fake)
                inside_monitor += time.perf_counter() - before
        float(d_loss)
        seconds = time.perf_counter() - start
        cpu_seconds = time.process_time() - cpu_start
    if variant == "dashboard every update" and monitor.pictures != steps // every:
        raise RuntimeError(f"expected {steps // every} dashboards, drew {monitor.pictures}")
    return seconds, inside_monitor, cpu_seconds


def time_final_figure(gan: SinCurveGAN, steps: int, every: int) -> float:
    monitor = make_monitor(gan, "text", steps, every)
    with contextlib.redirect_stdout(io.StringIO()):
        for step in range(steps):
            d_loss, g_loss, accuracy_real, accuracy_fake = gan.train_step(gan.real_batch(BATCH_SIZE), gan.noise_batch())
            monitor.update(step, d_loss=d_loss, g_loss=g_loss, d_acc_real=accuracy_real, d_acc_fake=accuracy_fake)
        start = time.perf_counter()
        monitor.dashboard_png()  # what finish() shows in a headless notebook run
        return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--steps", type=int, default=config.pick(full=1000, fast=200))
    parser.add_argument("--every", type=int, default=100)
    parser.add_argument("--repeats", type=int, default=config.pick(full=5, fast=2))
    arguments = parser.parse_args()
    if arguments.steps <= 0 or arguments.every <= 0 or arguments.repeats <= 0:
        parser.error("--steps, --every and --repeats must be positive")

    gan = SinCurveGAN()
    time_run(gan, "dashboard every update", 2 * arguments.every, arguments.every)  # trace the step, warm caches
    variants = ("none", "text", "dashboard", "dashboard every update")
    totals: dict[str, list[float]] = {variant: [] for variant in variants}
    shares: dict[str, list[float]] = {variant: [] for variant in variants}
    cpu: dict[str, list[float]] = {variant: [] for variant in variants}
    for _ in range(arguments.repeats):
        for variant in variants:
            seconds, inside_monitor, cpu_seconds = time_run(gan, variant, arguments.steps, arguments.every)
            totals[variant].append(seconds)
            shares[variant].append(100.0 * inside_monitor / (seconds - inside_monitor))
            cpu[variant].append(cpu_seconds)
    final_figure = time_final_figure(gan, arguments.steps, arguments.every)

    baseline = min(totals["none"])
    cpu_baseline = statistics.median(cpu["none"])
    print(f"Monitor overhead: sin-curve GAN, {arguments.steps} steps, batch {BATCH_SIZE}, compiled step, "
          f"checks every {arguments.every} steps, {arguments.repeats} interleaved repeats ({device_description()})")
    print("  (a) fastest run vs fastest bare run; (b) wall time inside the monitor's calls as a share "
          "of the rest of the same run (median); (c) median process CPU time vs the bare runs'; "
          "runs: wall seconds")
    for variant in variants:
        fastest = min(totals[variant])
        against_bare = 100.0 * (fastest - baseline) / baseline
        within = statistics.median(shares[variant])
        cpu_overhead = 100.0 * (statistics.median(cpu[variant]) - cpu_baseline) / cpu_baseline
        shown = ", ".join(f"{value:.2f}" for value in totals[variant])
        print(f"  {variant:<22} fastest {fastest:5.2f} s  (a) {against_bare:+6.1f}%  (b) {within:5.1f}%  "
              f"(c) {cpu_overhead:+6.1f}%   runs: {shown}")
    print(f"  final figure of a headless run (drawn once, after training): {final_figure:.2f} s")


if __name__ == "__main__":
    main()
