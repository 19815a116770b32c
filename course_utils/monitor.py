"""The training monitor: watch a GAN learn, hear in words when it goes wrong, never lose a run.

With ``fit()`` a :class:`TrainingMonitor` is a Keras callback::

    monitor = TrainingMonitor(every=100, sample_fn=lambda: gan.generator(fixed_noise))
    gan.fit(dataset, epochs=50, steps_per_epoch=100, verbose=0, callbacks=[monitor])

In a hand-written loop, ``monitor.steps()`` gives the steps still to run (after the last
checkpoint) and ``monitor.update(step, d_loss=..., g_loss=...)`` takes each step's numbers.
Every ``every`` steps it redraws one dashboard in place (or prints a line when headless), keeps
an animation frame and runs the diagnostics; a NaN loss stops training with what to try. With a
:class:`Quality` it remembers when the quality first reached its threshold; with a
:class:`~course_utils.checkpoints.TrainingCheckpoint` a rerun of the loop continues where
training stopped (with ``fit()``, Keras' own ``keras.callbacks.BackupAndRestore`` does that).
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import keras
import numpy as np
from IPython import get_ipython
from IPython.display import Image, display

from course_utils import checks, environment, plots
from course_utils.animation import Frame
from course_utils.checkpoints import TrainingCheckpoint
from course_utils.dashboard import Dashboard, sample_kind
from course_utils.diagnostics import NonFiniteLossError, detect_non_finite, diversity_ratio, new_findings, sample_change
from course_utils.progress import progress

PER_CHECK = ("check_step", "diversity", "sample_change", "quality_step", "quality")
MAX_FRAMES = 60  # older frames are thinned evenly beyond this
FRAME_SAMPLES = {"images": 64, "points": 1000}  # samples kept per frame
REDRAW_SECONDS = 1.0  # the live dashboard is redrawn at most this often (faster cannot be read)


@dataclass(frozen=True)
class Quality:
    """The notebook's quality measure for the monitor: ``measure(steps_done)`` returns a float that
    should reach ``threshold`` (``None``: only draw the curve); measured every ``every`` steps (by
    default the monitor's ``every``); ``name`` is shown on the dashboard, e.g. ``"mean |y - sin x|"``.

    Example:
        >>> Quality(lambda step: 0.04, threshold=0.05, higher_is_better=False).passes(0.04)
        True
    """

    measure: Callable[[int], float]
    threshold: float | None = None
    higher_is_better: bool = True
    every: int | None = None
    name: str = "quality"

    def passes(self, value: float) -> bool:
        """Whether ``value`` reaches the threshold."""
        reached = self.threshold is not None and (value >= self.threshold if self.higher_is_better else value <= self.threshold)
        return reached and math.isfinite(value)


class TrainingMonitor(keras.callbacks.Callback):
    """Live dashboard, diagnostics, checkpoints, ETA and time to quality for one training run.

    Args:
        every: redraw the dashboard, keep a frame and run the diagnostics every this many steps.
        total_steps: the planned number of steps (needed by :meth:`steps`; ``fit()`` gives it).
        sample_fn: returns the generator's samples from *fixed* noise: images or 2-D points.
        real_samples: real data, drawn behind the points and used to judge the samples' variety.
        decision_fn: D's probability of "real" for a batch of 2-D points (a map behind them).
        value_range: the images' value range, ``(0, 1)`` or ``(-1, 1)``.
        quality: the notebook's quality measure (a :class:`Quality`).
        checkpoint: save every N steps and continue from the last save (in a loop over :meth:`steps`).
        diagnose: run the diagnostics (mode collapse, convergence failure, no progress).
        title: a title for the dashboard.

    Attributes:
        history: a dict of lists: per step ``"step"`` and the values given to :meth:`update`; per
            check ``"check_step"``, ``"diversity"``, ``"sample_change"``; ``"quality_step"``, ``"quality"``.
        frames: the samples of each check (:class:`~course_utils.animation.Frame`); findings: the
            problems the diagnostics reported; first_pass_step, first_pass_seconds: steps and
            training seconds when the quality first reached its threshold.

    Example:
        >>> monitor = TrainingMonitor(every=5, total_steps=10)
        >>> for step in range(10):
        ...     monitor.update(step, d_loss=1.3, g_loss=0.7)  # doctest: +ELLIPSIS
        step     5/10 | d_loss 1.3  g_loss 0.7 | ...
        step    10/10 | d_loss 1.3  g_loss 0.7 | ...
        >>> len(monitor.history["d_loss"])
        10
    """

    def __init__(self, every: int = 100, *, total_steps: int | None = None, sample_fn: Callable[[], Any] | None = None,
                 real_samples: Any | None = None, decision_fn: Callable[[np.ndarray], Any] | None = None,
                 value_range: Sequence[float] = (0, 1), quality: Quality | None = None,
                 checkpoint: TrainingCheckpoint | None = None, diagnose: bool = True, title: str | None = None) -> None:
        super().__init__()
        self.every = checks.whole_number(every, "every (steps between dashboard updates)")
        self.total_steps = None if total_steps is None else checks.whole_number(total_steps, "total_steps")
        if quality is not None and not isinstance(quality, Quality):
            raise ValueError("quality must be a Quality(measure, threshold=..., ...).")
        self.quality_every = self.every if quality is None or quality.every is None else checks.whole_number(
            quality.every, "Quality(every=...)")
        if checkpoint is not None and not isinstance(checkpoint, TrainingCheckpoint):
            raise ValueError("checkpoint must be a course_utils.checkpoints.TrainingCheckpoint.")
        self.value_range = checks.value_range(value_range)
        self.sample_fn, self.decision_fn, self.quality = sample_fn, decision_fn, quality
        self.real_samples = None if real_samples is None else np.asarray(real_samples)
        self.checkpoint, self.diagnose, self.title = checkpoint, bool(diagnose), title
        self.headless = environment.is_headless()
        self._reset(0)

    def _reset(self, first_step: int) -> None:
        self.history: dict[str, list] = {"step": []}
        self.frames, self.findings = [], []  # Frames; Findings
        self.first_pass_step = self.first_pass_seconds = None
        self._seconds_before, self._bar, self._dashboard, self._display, self._started = 0.0, None, None, None, None
        self._samples = self._previous = self._last_draw = self._shown_step = None
        self._checks, self._frame_stride, self._finished, self._in_fit = 0, 1, False, False
        self._next_step = self._first_step = self._saved_step = self._epoch_first_step = first_step

    def _begin(self, first_step: int, restore: bool = True) -> int:
        """Start a training session (restoring the checkpoint); return the first step to run."""
        restored = self.checkpoint.restore() if restore and self.checkpoint is not None else None
        self._reset(first_step if restored is None else restored.step)
        if restored is not None:
            self.history, extra = {"step": [], **restored.history}, restored.extra
            self._seconds_before = float(extra.get("seconds", 0.0))
            self.first_pass_step, self.first_pass_seconds = extra.get("first_pass_step"), extra.get("first_pass_seconds")
        first_step, total = self._next_step, self.total_steps
        self._warmup = int(0.2 * total) if total else 3 * self.every  # no verdicts (but NaN) before this step
        if total is not None and first_step >= total:
            print(f"Training already finished: {first_step} of {total} steps done (checkpoint in "
                  f"{self.checkpoint.directory if self.checkpoint else '?'}). Pass fresh_start=True to the "
                  "checkpoint to train again.")
        if total and not self.headless:
            self._bar = progress(total=total, initial=first_step, description=self.title or "training")
        self._started = time.perf_counter()
        return first_step

    @property
    def elapsed_seconds(self) -> float:
        """Training wall time in seconds, over all sessions of this run (checkpoints included)."""
        return self._seconds_before + (0.0 if self._started is None else time.perf_counter() - self._started)

    def steps(self) -> Iterator[int]:
        """Yield the step numbers still to run, after the last checkpoint; :meth:`finish` at the end.

        Example:
            >>> monitor = TrainingMonitor(every=2, total_steps=4)
            >>> for step in monitor.steps():
            ...     monitor.update(step, d_loss=1.3, g_loss=0.7)  # doctest: +ELLIPSIS
            step     2/4 | ...
            step     4/4 | ...
            Finished 4 steps in ...
        """
        if self.total_steps is None:
            raise ValueError("steps() needs to know how long to train: TrainingMonitor(..., total_steps=5000).")
        yield from range(self._begin(0), self.total_steps)
        self.finish()

    def update(self, step: int, **values: Any) -> None:
        """Record one step's losses and accuracies (floats or scalar tensors) by name.

        Every ``every`` steps it shows and diagnoses; raises :class:`NonFiniteLossError` (what
        to try; the last checkpoint stays good) for a NaN or infinite value.

        Example:
            >>> monitor = TrainingMonitor(every=100)
            >>> monitor.update(0, d_loss=1.38, g_loss=0.69, d_acc_real=0.5, d_acc_fake=0.5)
            >>> monitor.history["d_acc_fake"]
            [0.5]
        """
        step = checks.whole_number(step, "step", minimum=0)
        done = step + 1
        if self._started is None or self._finished:
            self._begin(step, restore=False)
        numbers = {name: checks.as_number(value, name) for name, value in values.items()}
        if (problem := detect_non_finite(numbers, step=step)) is not None:
            self.findings.append(problem)
            if self._bar is not None:
                self._bar.close()
            if self._in_fit:
                self.model.stop_training = True
            raise NonFiniteLossError(problem)
        count = len(self.history["step"])
        self.history["step"].append(step)
        for name in numbers:
            self.history.setdefault(name, [math.nan] * count)
        for name, values_so_far in self.history.items():
            if name != "step" and name not in PER_CHECK:
                values_so_far.append(numbers.get(name, math.nan))
        self._next_step = done
        if self._bar is not None:
            self._bar.update(1)
        last = self.total_steps is not None and done >= self.total_steps
        if self.quality is not None and (done % self.quality_every == 0 or last):
            self._measure_quality(done)
        if done % self.every == 0 or last:
            self._check(done, last)
        if self.checkpoint is not None and self.checkpoint.due(done):
            self._save(done)

    def _measure_quality(self, done: int) -> None:
        value = float(self.quality.measure(done))
        self.history.setdefault("quality_step", []).append(done)
        self.history.setdefault("quality", []).append(value)
        if self.first_pass_step is None and self.quality.passes(value):
            self.first_pass_step, self.first_pass_seconds = done, round(self.elapsed_seconds, 3)
            self._say(f"✅ {self.quality.name} = {value:.4g} reached the threshold "
                      f"({'>=' if self.quality.higher_is_better else '<='} {self.quality.threshold:g}) after "
                      f"{done} steps, {self.first_pass_seconds:.1f} s of training.")

    def _say(self, text: str) -> None:  # above the progress bar, if any
        self._bar.write(text) if self._bar is not None else print(text, flush=True)

    def _current_samples(self) -> np.ndarray | None:
        return None if self.sample_fn is None else np.asarray(keras.ops.convert_to_numpy(self.sample_fn()))

    def _check(self, done: int, last: bool) -> None:
        samples = self._samples = self._current_samples()
        if samples is not None:
            self._record_samples(done, samples)
        if self.diagnose and done >= self._warmup:
            for finding in new_findings(self.history, step=done - 1, reported={finding.kind for finding in self.findings},
                                        quality_threshold=getattr(self.quality, "threshold", None),
                                        higher_is_better=getattr(self.quality, "higher_is_better", True)):
                self.findings.append(finding)
                self._say(finding.message())
        if self.headless:
            print(self._text_line(done), flush=True)
        elif last or self._last_draw is None or time.perf_counter() - self._last_draw >= REDRAW_SECONDS:
            self._show(self._render(done))
            self._last_draw = time.perf_counter()

    def _record_samples(self, done: int, samples: np.ndarray) -> None:
        if self._checks == 0:  # say at once when the samples cannot be shown as given
            try:
                if sample_kind(samples) == "images":
                    plots.prepare_images(samples, self.value_range)
                if self.real_samples is not None and self.real_samples.shape[1:] != samples.shape[1:]:
                    raise ValueError(f"they have shape {samples.shape}, real_samples {self.real_samples.shape}: give real "
                                     "samples of the same kind (same shape after the batch axis)")
            except ValueError as error:
                raise ValueError(f"sample_fn returned samples the monitor cannot show: {error}") from None
        comparable = self.real_samples is not None and np.all(np.isfinite(samples))
        diversity, change = diversity_ratio(samples, self.real_samples) if comparable else math.nan, math.nan
        if self._previous is not None and self._previous.shape == samples.shape:
            change = sample_change(self._previous, samples, self.real_samples)
        for key, value in (("check_step", done), ("diversity", diversity), ("sample_change", change)):
            self.history.setdefault(key, []).append(value)
        self._previous = samples
        if self._checks % self._frame_stride == 0:
            self.frames.append(Frame(done, samples[: FRAME_SAMPLES[sample_kind(samples)]].copy()))
        if len(self.frames) > MAX_FRAMES:
            self.frames, self._frame_stride = self.frames[::2], self._frame_stride * 2
        self._checks += 1

    def _timing(self, done: int) -> str:
        """The training time so far and, with a known total, the time left at this session's pace."""
        text, session_steps = _clock(self.elapsed_seconds), done - self._first_step
        if self.total_steps and session_steps > 0:
            left = (time.perf_counter() - self._started) / session_steps * max(self.total_steps - done, 0)
            text += f", ETA {_clock(left)}"
        return text

    def _text_line(self, done: int) -> str:
        means = []
        for name, values in self.history.items():
            if name != "step" and name not in PER_CHECK:
                recent = np.asarray(values[-self.every :], dtype="float64")
                if (recent := recent[np.isfinite(recent)]).size:
                    means.append(f"{name} {float(recent.mean()):.3g}")
        parts = [f"step {done:>5}" + (f"/{self.total_steps}" if self.total_steps else ""), "  ".join(means)]
        if self.history.get("quality"):
            parts.append(f"{self.quality.name} {self.history['quality'][-1]:.4g}")
        return " | ".join(part for part in parts + [self._timing(done)] if part)

    def _render(self, done: int) -> bytes:
        if self._dashboard is None:
            keys, quality = [name for name in self.history if name != "step" and name not in PER_CHECK], self.quality
            self._dashboard = Dashboard(
                loss_keys=[key for key in keys if "acc" not in key], accuracy_keys=[key for key in keys if "acc" in key],
                total_steps=self.total_steps, samples=self._samples, real_samples=self.real_samples,
                value_range=self.value_range, with_decision_map=self.decision_fn is not None, quality_name=quality and quality.name,
                quality_threshold=quality and quality.threshold, higher_is_better=quality is None or quality.higher_is_better,
                title=self.title)
        decision = None
        if self._samples is not None:
            self._dashboard.fit_samples(self._samples)
            if (points := self._dashboard.decision_points()) is not None:
                decision = keras.ops.convert_to_numpy(self.decision_fn(points))
        kinds, total, self._shown_step = sorted({f.kind.replace("_", " ") for f in self.findings}), self.total_steps, done
        return self._dashboard.render(self.history, heading=f"step {done}{f' / {total}' if total else ''} · {self._timing(done)}",
                                      samples=self._samples, decision=decision,
                                      warning="⚠ " + ", ".join(kinds) + " (see below)" if kinds else "")

    def _show(self, png: bytes) -> None:
        if self._display is None:
            self._display = display(Image(data=png), display_id=True)
        else:
            self._display.update(Image(data=png))

    def dashboard_png(self) -> bytes:
        """Return the dashboard as it stands now, as PNG bytes (after at least one step).

        Example:
            >>> monitor = TrainingMonitor(every=10)
            >>> monitor.update(0, d_loss=1.4, g_loss=0.7)
            >>> monitor.dashboard_png()[:4]
            b'\\x89PNG'
        """
        if not self.history["step"]:
            raise ValueError("Nothing to show yet: the dashboard needs at least one training step.")
        if self._samples is None:
            self._samples = self._current_samples()
        return self._render(self._next_step)

    def _save(self, done: int) -> None:
        if self._saved_step != done:
            self.checkpoint.save(done, history=self.history, extra={
                "seconds": round(self.elapsed_seconds, 3), "first_pass_step": self.first_pass_step,
                "first_pass_seconds": self.first_pass_seconds})
            self._saved_step = done

    def finish(self) -> None:
        """End the session (last checkpoint, final dashboard, a summary); :meth:`steps` and ``fit()``
        call it, call it yourself after a plain loop. Safe to call twice.

        Example:
            >>> monitor = TrainingMonitor(every=10)
            >>> monitor.update(0, d_loss=1.4)
            >>> monitor.finish()  # doctest: +ELLIPSIS
            Finished 1 steps in ... s.
        """
        if self._finished:
            return
        self._finished, done = True, self._next_step
        if self._bar is not None:
            self._bar.close()
        if self.history["step"]:
            if self.checkpoint is not None and done > 0:
                self._save(done)
            if not self.headless and self._shown_step != done:
                self._show(self.dashboard_png())
            elif self.headless and getattr(get_ipython(), "kernel", None) is not None:  # e.g. build execute
                display(Image(data=self.dashboard_png()))
        session = 0.0 if self._started is None else time.perf_counter() - self._started
        summary = f"Finished {done - self._first_step} steps in {session:.1f} s"
        if self._seconds_before:
            summary += f" ({done} steps, {self.elapsed_seconds:.1f} s in all, with earlier sessions)"
        if self.first_pass_step is not None:
            summary += f"; quality first reached the threshold at step {self.first_pass_step} ({self.first_pass_seconds:.1f} s)"
        elif getattr(self.quality, "threshold", None) is not None:
            summary += "; quality has not reached the threshold yet"
        print(summary + ".", flush=True)

    def on_train_begin(self, logs: Mapping[str, Any] | None = None) -> None:
        if self.checkpoint is not None:
            raise ValueError("The monitor's checkpoints work in a hand-written loop (for step in monitor.steps()); "
                             "with fit(), pass keras.callbacks.BackupAndRestore(folder) to fit() instead.")
        if self.total_steps is None and (self.params or {}).get("epochs") and self.params.get("steps"):
            self.total_steps = int(self.params["epochs"]) * int(self.params["steps"])
        self._begin(0)
        self._in_fit = True

    def on_epoch_begin(self, epoch: int, logs: Mapping[str, Any] | None = None) -> None:
        self._epoch_first_step = self._next_step

    def on_train_batch_end(self, batch: int, logs: Mapping[str, Any] | None = None) -> None:
        self.update(self._epoch_first_step + int(batch), **{k: v for k, v in (logs or {}).items() if np.size(v) == 1})

    def on_train_end(self, logs: Mapping[str, Any] | None = None) -> None:
        self.finish()
        self._in_fit = False


def _clock(seconds: float) -> str:
    minutes, seconds = divmod(max(0, int(round(seconds))), 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}:{minutes:02d}:{seconds:02d}" if hours else f"{minutes}:{seconds:02d}"
