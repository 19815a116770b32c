"""Tests for course_utils.checkpoints: resume exactly, write atomically, refuse other models."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest

from course_utils import checkpoints
from course_utils.checkpoints import CheckpointMismatchError, TrainingCheckpoint

REPOSITORY = Path(__file__).resolve().parents[1]


@pytest.fixture(autouse=True)
def course_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("COURSE_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("COURSE_HEADLESS", "1")


@pytest.fixture(scope="module")
def keras_tf():
    from course_utils.environment import silence_tensorflow

    silence_tensorflow()
    import keras
    import tensorflow as tf

    return keras, tf


def tiny_gan(keras, seed: int, hidden: int = 6):
    keras.utils.set_random_seed(seed)
    generator = keras.Sequential(
        [keras.Input((4,)), keras.layers.Dense(hidden, activation="relu"), keras.layers.Dense(2)]
    )
    discriminator = keras.Sequential(
        [keras.Input((2,)), keras.layers.Dense(5, activation="relu"), keras.layers.Dense(1, activation="sigmoid")]
    )
    return generator, discriminator, keras.optimizers.Adam(1e-2), keras.optimizers.Adam(1e-2)


def all_weights(*models) -> list[np.ndarray]:
    return [np.array(variable.numpy()) for model in models for variable in model.variables]


# ---------------------------------------------------------------------------------------------
# Resume in a hand-written GradientTape loop
# ---------------------------------------------------------------------------------------------


def gradient_tape_training(keras, tf, generator, discriminator, g_opt, d_opt, data_rng, noise_rng, steps, seen):
    """A GAN step per iteration; records what went into each step (the batch) in `seen`."""
    loss = keras.losses.BinaryCrossentropy()
    for step in steps:
        x = data_rng.uniform(-3.5, 3.5, size=(8, 1))
        real = np.concatenate([x, np.sin(x)], axis=1).astype("float32") + np.random.normal(0, 0.01, (8, 2)).astype("float32")
        noise = noise_rng.normal((8, 4))
        real_label = 1.0 - 0.1 * random.random()  # soft label from Python's generator
        seen.append((step, float(real.sum()), float(tf.reduce_sum(noise)), real_label))
        with tf.GradientTape() as d_tape, tf.GradientTape() as g_tape:
            fake = generator(noise, training=True)
            p_real, p_fake = discriminator(real, training=True), discriminator(fake, training=True)
            d_loss = loss(tf.fill(tf.shape(p_real), real_label), p_real) + loss(tf.zeros_like(p_fake), p_fake)
            g_loss = loss(tf.ones_like(p_fake), p_fake)
        d_opt.apply_gradients(zip(d_tape.gradient(d_loss, discriminator.trainable_variables), discriminator.trainable_variables))
        g_opt.apply_gradients(zip(g_tape.gradient(g_loss, generator.trainable_variables), generator.trainable_variables))


def make_checkpoint(models, optimizers, data_rng, noise_rng, **options) -> TrainingCheckpoint:
    generator, discriminator = models
    g_opt, d_opt = optimizers
    return TrainingCheckpoint(
        "tape_gan",
        models={"generator": generator, "discriminator": discriminator},
        optimizers={"generator": g_opt, "discriminator": d_opt},
        random_generators={"data": data_rng, "noise": noise_rng},
        **options,
    )


def seed_globals(seed: int) -> None:
    np.random.seed(seed)
    random.seed(seed)


def test_gradient_tape_resume_matches_an_uninterrupted_run(keras_tf):
    keras, tf = keras_tf
    # Uninterrupted: 20 steps.
    generator, discriminator, g_opt, d_opt = tiny_gan(keras, seed=1)
    seed_globals(5)
    data_rng, noise_rng = np.random.default_rng(7), tf.random.Generator.from_seed(8)
    seen_straight: list = []
    gradient_tape_training(keras, tf, generator, discriminator, g_opt, d_opt, data_rng, noise_rng, range(20), seen_straight)
    expected_weights = all_weights(generator, discriminator)

    # Interrupted: 10 steps, checkpoint, then everything rebuilt differently (a new kernel).
    generator, discriminator, g_opt, d_opt = tiny_gan(keras, seed=1)
    seed_globals(5)
    data_rng, noise_rng = np.random.default_rng(7), tf.random.Generator.from_seed(8)
    checkpoint = make_checkpoint((generator, discriminator), (g_opt, d_opt), data_rng, noise_rng, every=10)
    seen_first: list = []
    gradient_tape_training(keras, tf, generator, discriminator, g_opt, d_opt, data_rng, noise_rng, range(10), seen_first)
    assert checkpoint.due(10)
    checkpoint.save(10, history={"step": list(range(10)), "d_loss": [1.0] * 10})

    generator, discriminator, g_opt, d_opt = tiny_gan(keras, seed=99)
    seed_globals(123)
    data_rng, noise_rng = np.random.default_rng(70), tf.random.Generator.from_seed(80)
    assert not np.allclose(all_weights(generator)[0], expected_weights[0])
    restored = make_checkpoint((generator, discriminator), (g_opt, d_opt), data_rng, noise_rng).restore(verbose=False)
    assert restored.step == 10 and restored.history["step"] == list(range(10))
    seen_after: list = []
    gradient_tape_training(keras, tf, generator, discriminator, g_opt, d_opt, data_rng, noise_rng, range(restored.step, 20), seen_after)

    assert seen_first == seen_straight[:10]
    assert seen_after == seen_straight[10:], "the batches after the restore differ from the uninterrupted run"
    assert int(g_opt.iterations.numpy()) == 20
    for resumed, straight in zip(all_weights(generator, discriminator), expected_weights):
        np.testing.assert_allclose(resumed, straight, rtol=1e-5, atol=1e-6)


def test_learning_rate_set_in_the_notebook_wins_over_the_checkpoint(keras_tf):
    keras, tf = keras_tf
    generator, discriminator, g_opt, d_opt = tiny_gan(keras, seed=1)
    data_rng, noise_rng = np.random.default_rng(0), tf.random.Generator.from_seed(0)
    gradient_tape_training(keras, tf, generator, discriminator, g_opt, d_opt, data_rng, noise_rng, range(3), [])
    make_checkpoint((generator, discriminator), (g_opt, d_opt), data_rng, noise_rng).save(3)
    generator, discriminator, _, _ = tiny_gan(keras, seed=2)
    g_opt, d_opt = keras.optimizers.Adam(5e-4), keras.optimizers.Adam(5e-4)
    make_checkpoint((generator, discriminator), (g_opt, d_opt), data_rng, noise_rng).restore(verbose=False)
    assert float(g_opt.learning_rate.numpy()) == pytest.approx(5e-4)
    assert int(g_opt.iterations.numpy()) == 3


# fit(): Keras' own BackupAndRestore, not the monitor's checkpoint
# ---------------------------------------------------------------------------------------------


def test_fit_with_a_monitor_checkpoint_is_refused_with_the_keras_way(keras_tf):
    from course_utils.monitor import TrainingMonitor

    keras, _ = keras_tf
    model = keras.Sequential([keras.Input((1,)), keras.layers.Dense(1)])
    model.compile(optimizer="sgd", loss="mse")
    monitor = TrainingMonitor(every=2, checkpoint=TrainingCheckpoint("fit_model", models={"model": model}))
    with pytest.raises(ValueError, match="BackupAndRestore"):
        model.fit(np.zeros((4, 1), "float32"), np.zeros((4, 1), "float32"), epochs=1, verbose=0, callbacks=[monitor])


# ---------------------------------------------------------------------------------------------
# Writes that die half-way, damaged files
# ---------------------------------------------------------------------------------------------


def torn_merge(ending):
    """Replace TensorFlow's last writing step (merging the shards into step-N.index/.data) by one
    that writes half of each file and then ends as `ending` says (an exception or SIGKILL)."""
    from tensorflow.python.ops import gen_io_ops

    real_merge = gen_io_ops.merge_v2_checkpoints

    def dying_merge(checkpoint_prefixes, destination_prefix, delete_old_dirs=True, **kwargs):
        real_merge(checkpoint_prefixes, destination_prefix, delete_old_dirs=False, **kwargs)
        prefix = destination_prefix.numpy().decode()
        for path in Path(prefix).parent.glob(Path(prefix).name + ".*"):
            path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
        ending()

    return gen_io_ops, dying_merge


def test_a_write_that_fails_half_way_leaves_the_previous_checkpoint(keras_tf, monkeypatch):
    keras, tf = keras_tf
    generator, discriminator, g_opt, d_opt = tiny_gan(keras, seed=1)
    rngs = (np.random.default_rng(0), tf.random.Generator.from_seed(0))
    checkpoint = make_checkpoint((generator, discriminator), (g_opt, d_opt), *rngs)
    checkpoint.save(10, history={"d_loss": [1.0] * 10})
    saved = all_weights(generator, discriminator)
    generator.layers[0].kernel.assign(np.full(generator.layers[0].kernel.shape, 9.0, dtype="float32"))

    def disk_full():
        raise OSError("disk full (simulated)")

    with monkeypatch.context() as patch:
        module, dying_merge = torn_merge(disk_full)
        patch.setattr(module, "merge_v2_checkpoints", dying_merge)
        with pytest.raises(OSError, match="simulated"):
            checkpoint.save(20, history={"d_loss": [1.0] * 20})

    assert [path.name for path in checkpoint.paths()] == ["step-10"]
    assert not list(checkpoint.directory.glob("step-20*")), "the torn files are removed"
    restored = checkpoint.restore(verbose=False)
    assert restored.step == 10 and restored.history == {"d_loss": [1.0] * 10}
    for now, before in zip(all_weights(generator, discriminator), saved):
        np.testing.assert_array_equal(now, before)


KILLED_WRITER = textwrap.dedent(
    """
    import os, signal, sys
    sys.path.insert(0, os.environ["TESTS_FOLDER"])
    import keras
    import numpy as np
    from course_utils import checkpoints
    from test_checkpoints import torn_merge

    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2)])
    model.layers[0].kernel.assign(np.arange(6).reshape(3, 2))
    checkpoint = checkpoints.TrainingCheckpoint("killed", models={"model": model}, every=10)
    checkpoint.save(10, history={"d_loss": [1.0] * 10})
    model.layers[0].kernel.assign(np.full((3, 2), 7.0))

    def killed():
        print("writing", flush=True)
        os.kill(os.getpid(), signal.SIGKILL)

    module, dying_merge = torn_merge(killed)
    module.merge_v2_checkpoints = dying_merge
    checkpoint.save(20, history={"d_loss": [1.0] * 20})
    print("not reached", flush=True)
    """
)


@pytest.mark.skipif(os.name != "posix", reason="needs SIGKILL")
def test_a_process_killed_while_writing_leaves_the_previous_checkpoint(keras_tf, tmp_path):
    keras, _ = keras_tf
    environment = dict(
        os.environ, COURSE_DATA_DIR=str(tmp_path / "data"), PYTHONPATH=str(REPOSITORY), TESTS_FOLDER=str(Path(__file__).parent)
    )
    result = subprocess.run([sys.executable, "-c", KILLED_WRITER], env=environment, capture_output=True, text=True, timeout=300)
    assert result.returncode == -signal.SIGKILL, result.stderr
    assert "writing" in result.stdout and "not reached" not in result.stdout

    folder = tmp_path / "data" / "checkpoints" / "killed"
    assert (folder / "step-20.index").exists(), "the killed write left a torn step-20"
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2)])
    checkpoint = TrainingCheckpoint("killed", models={"model": model}, directory=folder)
    assert [path.name for path in checkpoint.paths()] == ["step-10"]
    restored = checkpoint.restore(verbose=False)
    assert restored.step == 10 and restored.history == {"d_loss": [1.0] * 10}
    np.testing.assert_array_equal(model.layers[0].kernel.numpy(), np.arange(6).reshape(3, 2))
    checkpoint.save(30)
    assert sorted(path.name for path in folder.iterdir()) == [
        "checkpoint", "step-10.data-00000-of-00001", "step-10.index", "step-30.data-00000-of-00001", "step-30.index",
    ]


def test_a_damaged_newest_checkpoint_falls_back_to_the_one_before_and_none_readable_is_an_error(keras_tf):
    keras, _ = keras_tf
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2)])
    checkpoint = TrainingCheckpoint("damaged", models={"model": model}, random_generators={"data": np.random.default_rng(0)}, keep=3)
    for step in (10, 20, 30):
        model.layers[0].kernel.assign(np.full((3, 2), float(step)))
        checkpoint.save(step)
    step_10, step_20, step_30 = (str(path) for path in checkpoint.paths())
    data = Path(f"{step_30}.data-00000-of-00001")
    data.write_bytes(b"\0" * data.stat().st_size)  # same size, other bytes: the checksums catch it
    model.layers[0].kernel.assign(np.full((3, 2), 5.0))
    with pytest.warns(UserWarning, match="unreadable"):
        restored = checkpoint.restore(verbose=False)
    assert restored.step == 20
    np.testing.assert_array_equal(model.layers[0].kernel.numpy(), np.full((3, 2), 20.0))

    # step 20: every variable readable but the JSON state is not (found after the variables are
    # assigned, so they must be put back); step 10: a damaged index.
    root = checkpoints._root({"models": {"model": list(model.variables)}, "optimizers": {}, "random": {}})
    _ = root.save_counter
    root.state.assign("not JSON")
    root.write(step_20)
    Path(f"{step_10}.index").write_bytes(b"not an index")
    model.layers[0].kernel.assign(np.full((3, 2), 5.0))
    with pytest.warns(UserWarning), pytest.raises(checkpoints.CheckpointReadError, match="fresh_start=True"):
        checkpoint.restore(verbose=False)
    np.testing.assert_array_equal(model.layers[0].kernel.numpy(), np.full((3, 2), 5.0))  # left as it was

    (checkpoint.directory / "checkpoint").write_text("not the manager's list {", encoding="utf-8")
    with pytest.raises(checkpoints.CheckpointReadError, match="checkpoint is damaged.*fresh_start=True"):
        checkpoint.restore(verbose=False)
    fresh = TrainingCheckpoint("damaged", models={"model": model}, fresh_start=True)
    assert fresh.restore(verbose=False) is None and fresh.paths() == []


# ---------------------------------------------------------------------------------------------
# Other models, fresh starts, housekeeping, bad input
# ---------------------------------------------------------------------------------------------


def test_a_checkpoint_from_another_model_is_refused_with_a_way_out(keras_tf):
    keras, tf = keras_tf
    generator, discriminator, g_opt, d_opt = tiny_gan(keras, seed=1, hidden=6)
    rngs = (np.random.default_rng(0), tf.random.Generator.from_seed(0))
    make_checkpoint((generator, discriminator), (g_opt, d_opt), *rngs).save(10)

    wider = tiny_gan(keras, seed=1, hidden=7)
    checkpoint = make_checkpoint(wider[:2], wider[2:], *rngs)
    before = all_weights(*wider[:2])
    with pytest.raises(CheckpointMismatchError, match=r"model 'generator' .*has shape \(4, 6\) there but \(4, 7\) here") as error:
        checkpoint.restore(verbose=False)
    assert "fresh_start=True" in str(error.value) and isinstance(error.value, ValueError)
    for now, then in zip(all_weights(*wider[:2]), before):  # refused before anything was restored
        np.testing.assert_array_equal(now, then)

    only_generator = TrainingCheckpoint("tape_gan", models={"generator": generator}, random_generators={"data": rngs[0], "noise": rngs[1]})
    with pytest.raises(CheckpointMismatchError, match="models"):
        only_generator.restore(verbose=False)

    fresh = make_checkpoint(wider[:2], wider[2:], *rngs, fresh_start=True)
    assert fresh.restore(verbose=False) is None
    assert fresh.paths() == []


def test_keep_removes_older_checkpoints_and_due_counts_steps():
    checkpoint = TrainingCheckpoint("keep_two", models={}, every=5, keep=2)
    for step in (5, 10, 15):
        checkpoint.save(step)
    assert [path.name for path in checkpoint.paths()] == ["step-10", "step-15"]
    assert [step for step in range(16) if checkpoint.due(step)] == [5, 10, 15]
    checkpoint.save(15, history={"d_loss": [0.5]})  # saving a step again replaces it
    assert checkpoint.restore(verbose=False).history == {"d_loss": [0.5]}


def test_python_and_numpy_random_state_are_restored():
    checkpoint = TrainingCheckpoint("globals", models={})
    random.seed(1)
    np.random.seed(2)
    checkpoint.save(1)
    expected = (random.random(), np.random.random())
    random.seed(3)
    np.random.seed(4)
    checkpoint.restore(verbose=False)
    assert (random.random(), np.random.random()) == expected


@pytest.mark.parametrize(
    "options, message",
    [
        ({"every": 0}, "every"),
        ({"every": -5}, "every"),
        ({"keep": 0}, "keep"),
        ({"optimizers": {"critic": object()}}, "no model of the same name"),
        ({"random_generators": {"data": object()}}, "cannot be saved"),
    ],
)
def test_bad_settings_are_clear_errors(options, message):
    with pytest.raises(ValueError, match=message):
        TrainingCheckpoint("bad", models={}, **options)


def test_bad_names_steps_and_unbuilt_models(keras_tf):
    keras, _ = keras_tf
    with pytest.raises(ValueError, match="short name"):
        TrainingCheckpoint("../escape", models={})
    checkpoint = TrainingCheckpoint("unbuilt", models={"generator": keras.Sequential([keras.layers.Dense(2)])})
    with pytest.raises(ValueError, match="no weights yet.*keras.Input"):
        checkpoint.save(10)
    with pytest.raises(ValueError, match="step"):
        TrainingCheckpoint("steps", models={}).save(-1)
    with pytest.raises(ValueError, match="numbers"):
        TrainingCheckpoint("history", models={}).save(1, history={"d_loss": ["high", "low"]})
