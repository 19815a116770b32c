"""Tests for the training monitor (loop and fit()), its progress bar and time to quality."""

from __future__ import annotations

import io
import math

import numpy as np
import pytest
from PIL import Image

from course_utils.checkpoints import TrainingCheckpoint
from course_utils.environment import silence_tensorflow

silence_tensorflow()

import keras  # noqa: E402
import tensorflow as tf  # noqa: E402

from course_utils import progress as progress_module  # noqa: E402
from course_utils import monitor as monitor_module  # noqa: E402
from course_utils.monitor import NonFiniteLossError, Quality, TrainingMonitor  # noqa: E402


@pytest.fixture(autouse=True)
def course_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("COURSE_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("COURSE_RESULTS_DIR", str(tmp_path / "results"))
    monkeypatch.setenv("COURSE_HEADLESS", "1")


class FakeDisplay:
    """Stands in for IPython.display.display: records what is shown and updated in place."""

    def __init__(self) -> None:
        self.shown: list = []
        self.updates: list = []

    def __call__(self, obj, display_id=None):
        self.shown.append((obj, display_id))
        recorder = self

        class Handle:
            def update(self, new_obj):
                recorder.updates.append(new_obj)

        return Handle() if display_id else None


def sin_points(count: int, seed: int = 0) -> np.ndarray:
    x = np.random.default_rng(seed).uniform(-3.5, 3.5, count)
    return np.stack([x, np.sin(x)], axis=1)


def healthy_values(step: int) -> dict[str, float]:
    rng = np.random.default_rng(step)
    return {
        "d_loss": 1.35 + 0.05 * rng.normal(),
        "g_loss": 0.72 + 0.05 * rng.normal(),
        "d_acc_real": float(np.clip(0.7 + 0.1 * rng.normal(), 0, 1)),
        "d_acc_fake": float(np.clip(0.6 + 0.1 * rng.normal(), 0, 1)),
    }


# ---------------------------------------------------------------------------------------------
# Hand-written loop, headless
# ---------------------------------------------------------------------------------------------


def test_headless_loop_prints_one_line_per_update_and_keeps_a_history(capsys):
    monitor = TrainingMonitor(every=10, total_steps=30)
    for step in range(30):
        values = healthy_values(step)
        monitor.update(step, d_loss=tf.constant(values["d_loss"]), g_loss=np.float32(values["g_loss"]),
                       d_acc_real=values["d_acc_real"], d_acc_fake=values["d_acc_fake"])
    lines = [line for line in capsys.readouterr().out.splitlines() if line.startswith("step")]
    assert [line.split("|")[0].strip() for line in lines] == ["step    10/30", "step    20/30", "step    30/30"]
    assert monitor.history["step"] == list(range(30))
    # Each line shows the means over the last `every` steps.
    for line, end in zip(lines, (10, 20, 30)):
        for key in ("d_loss", "g_loss", "d_acc_real", "d_acc_fake"):
            assert f"{key} {np.mean(monitor.history[key][end - 10:end]):.3g}" in line
        assert "ETA" in line
    assert all(len(monitor.history[key]) == 30 for key in ("d_loss", "g_loss", "d_acc_real", "d_acc_fake"))
    assert isinstance(monitor.history["d_loss"][0], float)


def test_values_appearing_or_missing_later_keep_the_lists_aligned():
    monitor = TrainingMonitor(every=100)
    monitor.update(0, d_loss=1.0)
    monitor.update(1, d_loss=0.9, g_loss=0.7)
    monitor.update(2, g_loss=0.6)
    assert monitor.history["step"] == [0, 1, 2]
    assert monitor.history["d_loss"][:2] == [1.0, 0.9] and math.isnan(monitor.history["d_loss"][2])
    assert math.isnan(monitor.history["g_loss"][0]) and monitor.history["g_loss"][1:] == [0.7, 0.6]


def test_nan_loss_stops_training_with_what_to_try():
    monitor = TrainingMonitor(every=5, total_steps=20)
    monitor.update(0, d_loss=1.3, g_loss=0.7)
    with pytest.raises(NonFiniteLossError, match="d_loss is nan") as error:
        monitor.update(1, d_loss=float("nan"), g_loss=0.7)
    assert "learning rate" in str(error.value) and "clipnorm" in str(error.value)
    assert monitor.findings[-1].kind == "non_finite"
    assert monitor.history["step"] == [0]


def test_diagnostics_report_a_failing_run_once(capsys):
    steps = 1500
    t = np.arange(steps)
    monitor = TrainingMonitor(every=100, total_steps=steps)
    for step in t:
        monitor.update(int(step), d_loss=0.2 + 1.19 * math.exp(-step / 60), g_loss=0.7 + 2.8 * (1 - math.exp(-step / 300)),
                       d_acc_real=min(1.0, 0.6 + step / 100), d_acc_fake=min(1.0, 0.6 + step / 100))
    output = capsys.readouterr().out
    assert output.count("Convergence failure: the discriminator is winning") == 1
    assert [finding.kind for finding in monitor.findings] == ["convergence_failure"]
    # Not before the warm-up (the first 20% of the steps).
    assert monitor.findings[0].step >= 299


def test_mode_collapse_is_reported_from_the_samples(capsys):
    real = sin_points(300)
    noise = np.random.default_rng(0)
    monitor = TrainingMonitor(every=10, total_steps=100, real_samples=real,
                              sample_fn=lambda: np.array([[1.0, 0.8]]) + 0.01 * noise.normal(size=(100, 2)))
    for step in range(100):
        monitor.update(step, **healthy_values(step))
    assert "Mode collapse" in capsys.readouterr().out
    assert [finding.kind for finding in monitor.findings] == ["mode_collapse"]
    assert monitor.history["check_step"] == list(range(10, 101, 10))
    assert max(monitor.history["diversity"]) < 0.05
    assert math.isnan(monitor.history["sample_change"][0]) and min(monitor.history["sample_change"][1:]) > 1e-3


def test_frames_are_recorded_and_thinned_evenly(monkeypatch):
    monkeypatch.setattr(monitor_module, "MAX_FRAMES", 4)
    counter = iter(range(1000))
    monitor = TrainingMonitor(every=1, sample_fn=lambda: np.full((3, 2), next(counter)))
    for step in range(10):
        monitor.update(step, d_loss=1.0)
    steps = [frame.step for frame in monitor.frames]
    assert len(steps) <= 4 and steps[0] == 1
    assert len(set(np.diff(steps))) == 1, f"frames not evenly spaced: {steps}"


# ---------------------------------------------------------------------------------------------
# Live dashboard: one display, updated in place
# ---------------------------------------------------------------------------------------------


def test_live_dashboard_is_updated_in_place(monkeypatch):
    fake_display = FakeDisplay()
    monkeypatch.setattr(monitor_module, "display", fake_display)
    monkeypatch.setenv("COURSE_HEADLESS", "0")
    monkeypatch.setattr(monitor_module, "REDRAW_SECONDS", 0)
    real = sin_points(200)
    monitor = TrainingMonitor(every=10, total_steps=50, sample_fn=lambda: real * 0.5, real_samples=real,
                              decision_fn=lambda points: np.full(len(points), 0.5))
    for step in range(50):
        monitor.update(step, **healthy_values(step))
    monitor.finish()
    assert len(fake_display.shown) == 1 and fake_display.shown[0][1] is True
    assert len(fake_display.updates) == 4  # steps 20, 30, 40, 50; finish had nothing new to draw
    picture = Image.open(io.BytesIO(fake_display.updates[-1].data))
    assert picture.format == "PNG" and picture.width > 3 * picture.height


def test_live_dashboard_redraws_at_most_every_redraw_seconds(monkeypatch):
    fake_display = FakeDisplay()
    monkeypatch.setattr(monitor_module, "display", fake_display)
    monkeypatch.setenv("COURSE_HEADLESS", "0")
    monkeypatch.setattr(monitor_module, "REDRAW_SECONDS", 3600)
    monitor = TrainingMonitor(every=5, total_steps=50)
    for step in range(50):
        monitor.update(step, **healthy_values(step))
    assert len(fake_display.shown) == 1 and len(fake_display.updates) == 1  # the first check and the last step


def test_headless_run_shows_nothing_outside_a_kernel_and_draws_the_dashboard_on_request(monkeypatch, capsys):
    fake_display = FakeDisplay()
    monkeypatch.setattr(monitor_module, "display", fake_display)
    images = np.random.default_rng(0).uniform(-1, 1, (16, 8, 8, 1))
    monitor = TrainingMonitor(every=10, total_steps=20, sample_fn=lambda: images, value_range=(-1, 1))
    for step in monitor.steps():
        monitor.update(step, **healthy_values(step))
    assert fake_display.shown == []
    picture = Image.open(io.BytesIO(monitor.dashboard_png()))
    assert picture.format == "PNG" and picture.width > 2 * picture.height
    assert "Finished 20 steps" in capsys.readouterr().out


# ---------------------------------------------------------------------------------------------
# Time to quality
# ---------------------------------------------------------------------------------------------


def test_time_to_quality_is_remembered_and_goes_into_the_quality_record(capsys):
    from course_utils.build.report import load_records
    from course_utils.config import results_dir
    from course_utils.quality import RECORDS_FILE, quality_check

    measurements, asked = iter([0.5, 0.3, 0.08, 0.2, 0.05]), []
    quality = Quality(lambda step: asked.append(step) or next(measurements), threshold=0.1, higher_is_better=False,
                      name="mean |y - sin x|")
    monitor = TrainingMonitor(every=10, total_steps=50, quality=quality)
    for step in monitor.steps():
        monitor.update(step, **healthy_values(step))
    assert monitor.history["quality_step"] == [10, 20, 30, 40, 50] == asked  # the measure is told the steps done
    assert monitor.first_pass_step == 30
    assert 0 < monitor.first_pass_seconds <= monitor.elapsed_seconds
    output = capsys.readouterr().out
    assert "reached the threshold (<= 0.1) after 30 steps" in output
    assert "first reached the threshold at step 30" in output
    record = quality_check("mean |y - sin x|", 0.05, 0.1, higher_is_better=False, steps=50, notebook="01_sin_gan",
                           first_pass_step=monitor.first_pass_step, first_pass_seconds=monitor.first_pass_seconds)
    assert load_records(results_dir() / RECORDS_FILE)[-1]["first_pass_step"] == 30 == record.first_pass_step


def test_quality_every_can_differ_from_every():
    calls = []
    monitor = TrainingMonitor(every=10, total_steps=30, quality=Quality(lambda step: calls.append(1) or 1.0, every=15,
                                                                         threshold=2.0))
    for step in monitor.steps():
        monitor.update(step, d_loss=1.0)
    assert monitor.history["quality_step"] == [15, 30] and monitor.first_pass_step is None


# ---------------------------------------------------------------------------------------------
# Resuming through monitor.steps()
# ---------------------------------------------------------------------------------------------


def test_steps_continue_after_the_last_checkpoint(capsys):
    measurements = iter([0.5, 0.05, 0.04, 0.03, 0.02, 0.01])

    def run(stop_at: int | None) -> TrainingMonitor:
        data_rng = np.random.default_rng(0)
        checkpoint = TrainingCheckpoint("monitor_run", models={}, random_generators={"data": data_rng}, every=10)
        monitor = TrainingMonitor(every=10, total_steps=30, checkpoint=checkpoint,
                                  quality=Quality(lambda step: next(measurements), threshold=0.1, higher_is_better=False))
        for step in monitor.steps():
            if step == stop_at:
                break  # the session is lost here
            monitor.update(step, d_loss=float(data_rng.random()))
        return monitor

    first = run(stop_at=25)
    assert first.first_pass_step == 20
    second = run(stop_at=None)
    assert "Continuing from the checkpoint at step 20" in capsys.readouterr().out
    assert second.history["step"] == list(range(30))
    assert second.history["d_loss"][:20] == first.history["d_loss"][:20]
    # The data generator was restored too: steps 20-24 drew the same numbers as before the loss.
    assert second.history["d_loss"][20:25] == first.history["d_loss"][20:25]
    assert second.first_pass_step == 20 and second.first_pass_seconds == first.first_pass_seconds
    assert second.elapsed_seconds >= first.first_pass_seconds
    # Running the finished cell again trains nothing and says so.
    third = run(stop_at=None)
    assert "Training already finished" in capsys.readouterr().out
    assert third.history["step"] == list(range(30))


# ---------------------------------------------------------------------------------------------
# fit()
# ---------------------------------------------------------------------------------------------


class LossStream(keras.Model):
    """A model whose train_step just reports the next numbers of a stream."""

    def __init__(self, d_losses: list[float]) -> None:
        super().__init__()
        self.d_losses = tf.constant(d_losses, dtype="float32")
        self.counter = tf.Variable(0, dtype="int64", trainable=False)

    def train_step(self, data):
        value = self.d_losses[self.counter]
        self.counter.assign_add(1)
        return {"d_loss": value, "g_loss": 2.0 - value, "d_acc_real": 0.8, "d_acc_fake": 0.7}


def test_fit_callback_counts_steps_over_epochs(capsys):
    model = LossStream([1.0 + 0.01 * i for i in range(12)])
    model.compile()
    monitor = TrainingMonitor(every=4)
    model.fit(np.zeros((12, 1), "float32"), batch_size=2, epochs=2, verbose=0, callbacks=[monitor])
    assert monitor.total_steps == 12
    assert monitor.history["step"] == list(range(12))
    assert monitor.history["d_loss"] == pytest.approx([1.0 + 0.01 * i for i in range(12)])
    lines = [line for line in capsys.readouterr().out.splitlines() if line.startswith("step")]
    assert [line.split("|")[0].strip() for line in lines] == ["step     4/12", "step     8/12", "step    12/12"]


def test_fit_from_a_later_epoch_without_a_checkpoint_just_counts_on():
    model = LossStream([1.0] * 12)
    model.compile()
    monitor = TrainingMonitor(every=4)
    model.fit(np.zeros((12, 1), "float32"), batch_size=2, epochs=2, initial_epoch=1, verbose=0, callbacks=[monitor])
    assert monitor.history["step"] == list(range(6))


def test_fit_stops_on_nan():
    model = LossStream([1.0, 0.9, float("nan"), 0.8])
    model.compile()
    with pytest.raises(NonFiniteLossError, match="d_loss is nan"):
        model.fit(np.zeros((4, 1), "float32"), batch_size=1, epochs=1, verbose=0, callbacks=[TrainingMonitor(every=2)])


# ---------------------------------------------------------------------------------------------
# Bad input and the progress bar
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "options, message",
    [
        ({"every": 0}, "every"),
        ({"every": -1}, "every"),
        ({"every": 2.5}, "every"),
        ({"total_steps": 0}, "total_steps"),
        ({"quality": Quality(lambda step: 1.0, every=0)}, "every"),
        ({"quality": lambda step: 1.0}, "Quality"),
        ({"value_range": (1, -1)}, "low < high"),
        ({"checkpoint": "checkpoints/run"}, "TrainingCheckpoint"),
    ],
)
def test_bad_settings_are_clear_errors(options, message):
    with pytest.raises(ValueError, match=message):
        TrainingMonitor(**options)


@pytest.mark.parametrize(
    "samples, options, message",
    [
        (np.full((4, 8, 8, 1), -1.0), {}, "value_range=\\(-1, 1\\)"),
        (np.zeros((4, 8, 8, 2)), {}, "channels"),
        (np.zeros((4, 5)), {}, "cannot be drawn"),
        (np.zeros((4, 2)), {"real_samples": np.zeros((10, 3))}, "same kind"),
    ],
)
def test_samples_that_cannot_be_shown_are_refused_at_the_first_check(samples, options, message):
    monitor = TrainingMonitor(every=2, sample_fn=lambda: samples, **options)
    monitor.update(0, d_loss=1.0)
    with pytest.raises(ValueError, match=message):
        monitor.update(1, d_loss=1.0)


def test_finish_before_any_step_says_so(capsys):
    TrainingMonitor(every=10, total_steps=100).finish()
    assert "Finished 0 steps" in capsys.readouterr().out


def test_bad_calls_are_clear_errors():
    monitor = TrainingMonitor(every=10)
    with pytest.raises(ValueError, match="Nothing to show yet"):
        monitor.dashboard_png()
    with pytest.raises(ValueError, match="step must be"):
        monitor.update(-1, d_loss=1.0)
    with pytest.raises(ValueError, match="one number"):
        monitor.update(0, d_loss=np.array([1.0, 2.0]))
    with pytest.raises(ValueError, match="total_steps"):
        next(monitor.steps())


def test_progress_bar_in_headless_runs_and_notebooks(monkeypatch):
    bar = progress_module.progress(range(5), description="data", unit="image")
    assert list(bar) == [0, 1, 2, 3, 4] and bar.mininterval == progress_module.HEADLESS_REDRAW_SECONDS
    monkeypatch.setenv("COURSE_HEADLESS", "0")
    notebook_bar = progress_module.progress(total=7, initial=2)
    assert notebook_bar.total == 7 and notebook_bar.n == 2 and notebook_bar.mininterval < 1
    notebook_bar.close()
    with pytest.raises(ValueError, match="total"):
        progress_module.progress(total=-1)
