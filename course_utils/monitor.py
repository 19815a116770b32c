"""The training monitor: watch a GAN learn, hear in words when it goes wrong, never lose a run.

One :class:`TrainingMonitor` works both ways a notebook trains:

* with ``fit()`` on a ``keras.Model`` subclass whose ``train_step`` returns e.g.
  ``{"d_loss": ..., "g_loss": ..., "d_acc_real": ..., "d_acc_fake": ...}``::

      monitor = TrainingMonitor(every=100, sample_fn=lambda: gan.generator(fixed_noise))
      gan.fit(dataset, epochs=50, steps_per_epoch=100, verbose=0, callbacks=[monitor])

* in a hand-written GradientTape loop::

      monitor = TrainingMonitor(every=100, total_steps=5000, sample_fn=..., checkpoint=checkpoint)
      for step in monitor.steps():          # continues after the last checkpoint
          d_loss, g_loss, acc_real, acc_fake = train_step(...)
          monitor.update(step, d_loss=d_loss, g_loss=g_loss, d_acc_real=acc_real, d_acc_fake=acc_fake)

Every ``every`` steps it redraws one dashboard in place (losses; D's accuracy on real and on
fake with the healthy ~80% band; the quality measure; the current samples), runs the
diagnostics (each problem reported once, in words, with what to try), and stops training with
a clear message when a loss becomes NaN. With a :class:`~course_utils.checkpoints.TrainingCheckpoint`
it saves every N steps and a rerun of the training cell continues where it stopped. With a
``quality_fn`` it remembers when the quality first reached its threshold
(:attr:`TrainingMonitor.first_pass_step`, :attr:`TrainingMonitor.first_pass_seconds`).

Headless (tests, ``build execute``, scripts: ``environment.is_headless()``) it prints one short
line per update instead and shows one final dashboard at the end.
"""

from __future__ import annotations

import math
import os
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import keras
import numpy as np

from course_utils import checks, environment, plots
from course_utils.animation import Frame, sample_kind
from course_utils.checkpoints import TrainingCheckpoint
from course_utils.dashboard import Dashboard
from course_utils.files import atomic_output
from course_utils.diagnostics import (
    NonFiniteLossError,
    TrainingDiagnostics,
    detect_non_finite,
    mean_pairwise_distance,
    sample_change,
)
from course_utils.progress import progress

__all__ = ["NonFiniteLossError", "TrainingMonitor"]

ACCURACY_MARKERS = ("acc",)
CHECK_KEYS = ("check_step", "diversity", "sample_change")
QUALITY_KEYS = ("quality_step", "quality")
WARMUP_SHARE = 0.2
FRAME_IMAGES = 64  # samples kept per animation frame: images
FRAME_POINTS = 1000  # ... and points or values


def _clock(seconds: float) -> str:
    seconds = max(0, int(round(seconds)))
    hours, rest = divmod(seconds, 3600)
    minutes, seconds = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{seconds:02d}" if hours else f"{minutes}:{seconds:02d}"


class TrainingMonitor(keras.callbacks.Callback):
    """Live dashboard, diagnostics, checkpoints, progress bar and time-to-quality in one object.

    Args:
        every: redraw the dashboard and run the diagnostics every this many steps.
        total_steps: the planned number of training steps (needed by :meth:`steps`; in
            ``fit()`` it is epochs x steps per epoch).
        sample_fn: returns the generator's current samples from *fixed* noise, e.g.
            ``lambda: generator(fixed_noise, training=False)``: images, 2-D points or 1-D values.
        real_samples: a batch of real data: drawn behind 2-D/1-D samples and used to judge
            the samples' variety (mode collapse).
        decision_fn: D's probability of "real" for a batch of points, e.g.
            ``lambda points: discriminator(points, training=False)`` (2-D and 1-D data).
        value_range: the images' value range, ``(0, 1)`` or ``(-1, 1)`` (tanh).
        quality_fn: returns the notebook's quality measure (a float) for the current model.
        quality_threshold: the value it must reach.
        higher_is_better: whether larger quality values are better.
        quality_every: evaluate ``quality_fn`` every this many steps (default: ``every``).
        quality_name: the measure's name for the dashboard, e.g. ``"mean |y - sin x|"``.
        checkpoint: save and resume through this checkpoint.
        feature_fn: judge variety in this feature space instead of pixels.
        diagnose: run the diagnostics.
        warmup_steps: no diagnosis (except NaN) before this step (default: the first 20% of
            ``total_steps``, or 3 updates).
        record_frames: keep the samples of each update in :attr:`frames` (for an animation).
        max_frames: at most this many frames (older ones are thinned evenly).
        save_path: write the final dashboard to this PNG file.
        title: a title for the dashboard.
        progress_bar: show a progress bar with ETA (interactive runs only; headless runs print
            the ETA in their text lines).
        live: redraw the dashboard in place (``True``) or print text lines and show one final
            dashboard (``False``); default: live in a notebook, text when headless.
        redraw_seconds: redraw the live dashboard at most this often (the last step is always
            drawn): faster redraws cannot be read and would slow a fast model's training.

    Attributes:
        history: a dict of lists: per step ``"step"`` and every value given to
            :meth:`update`; per update ``"check_step"``, ``"diversity"``, ``"sample_change"``;
            per quality evaluation ``"quality_step"``, ``"quality"``.
        frames: the recorded :class:`~course_utils.animation.Frame`\\ s.
        findings: the diagnostics reported so far.
        first_pass_step: training steps done when the quality first reached the threshold.
        first_pass_seconds: training wall time (seconds) at that moment.

    Raises:
        ValueError: for ``every``/``total_steps``/``quality_every`` <= 0, a
            ``quality_threshold`` without ``quality_fn``, or a bad ``value_range``.

    Example:
        >>> monitor = TrainingMonitor(every=5, total_steps=10, progress_bar=False)
        >>> for step in range(10):
        ...     monitor.update(step, d_loss=1.3, g_loss=0.7)  # doctest: +ELLIPSIS
        step     5/10 | d_loss 1.3  g_loss 0.7 | ...
        step    10/10 | d_loss 1.3  g_loss 0.7 | ...
        >>> len(monitor.history["d_loss"])
        10
    """

    def __init__(
        self,
        every: int = 100,
        *,
        total_steps: int | None = None,
        sample_fn: Callable[[], Any] | None = None,
        real_samples: Any | None = None,
        decision_fn: Callable[[np.ndarray], Any] | None = None,
        value_range: Sequence[float] = (0, 1),
        quality_fn: Callable[[], float] | None = None,
        quality_threshold: float | None = None,
        higher_is_better: bool = True,
        quality_every: int | None = None,
        quality_name: str = "quality",
        checkpoint: TrainingCheckpoint | None = None,
        feature_fn: Callable[[Any], Any] | None = None,
        diagnose: bool = True,
        warmup_steps: int | None = None,
        record_frames: bool = True,
        max_frames: int = 60,
        save_path: str | os.PathLike | None = None,
        title: str | None = None,
        progress_bar: bool = True,
        live: bool | None = None,
        redraw_seconds: float = 1.0,
    ) -> None:
        super().__init__()
        self.every = checks.whole_number(every, "every (steps between dashboard updates)")
        self.total_steps = None if total_steps is None else checks.whole_number(total_steps, "total_steps")
        self.quality_every = self.every if quality_every is None else checks.whole_number(quality_every, "quality_every")
        if quality_threshold is not None and quality_fn is None:
            raise ValueError("quality_threshold needs a quality_fn that measures the quality.")
        if checkpoint is not None and not isinstance(checkpoint, TrainingCheckpoint):
            raise ValueError("checkpoint must be a course_utils.checkpoints.TrainingCheckpoint.")
        self.value_range = checks.value_range(value_range)
        self.sample_fn = sample_fn
        self.real_samples = None if real_samples is None else np.asarray(real_samples)
        self.decision_fn = decision_fn
        self.quality_fn = quality_fn
        self.quality_threshold = None if quality_threshold is None else float(quality_threshold)
        self.higher_is_better = bool(higher_is_better)
        self.quality_name = quality_name
        self.checkpoint = checkpoint
        self.feature_fn = feature_fn
        self.diagnose = bool(diagnose)
        self.warmup_steps = warmup_steps
        self.record_frames = bool(record_frames)
        self.max_frames = checks.whole_number(max_frames, "max_frames")
        self.save_path = None if save_path is None else Path(save_path)
        self.title = title
        self.progress_bar = bool(progress_bar)
        self.headless = environment.is_headless() if live is None else not live
        if isinstance(redraw_seconds, bool) or not isinstance(redraw_seconds, (int, float)) or redraw_seconds < 0:
            raise ValueError(f"redraw_seconds must be a number >= 0, got {redraw_seconds!r}.")
        self.redraw_seconds = float(redraw_seconds)

        self.history: dict[str, list] = {"step": []}
        self.frames: list[Frame] = []
        self.findings: list = []
        self.first_pass_step: int | None = None
        self.first_pass_seconds: float | None = None
        self._reset_session()

    def _reset_session(self) -> None:
        self._session_start: float | None = None
        self._session_first_step = 0
        self._seconds_before = 0.0
        self._next_step = 0
        self._last_saved_step: int | None = None
        self._epoch_first_step = 0
        self._in_fit = False
        self._finished = False
        self._bar = None
        self._dashboard: Dashboard | None = None
        self._display_handle = None
        self._last_png: bytes | None = None
        self._previous_samples: np.ndarray | None = None
        self._last_samples: np.ndarray | None = None
        self._last_decision: Any = None
        self._frame_stride = 1
        self._checks_done = 0
        self._diagnostics: TrainingDiagnostics | None = None
        self._real_spread: float | None = None
        self._restored_epoch: int | None = None
        self._epochs_done: int | None = None
        self._shown_step: int | None = None
        self._last_draw_time: float | None = None

    # ----------------------------------------------------------------------------------------
    # Clock
    # ----------------------------------------------------------------------------------------

    @property
    def elapsed_seconds(self) -> float:
        """Training wall time in seconds, over all sessions of this run (checkpoints included)."""
        if self._session_start is None:
            return self._seconds_before
        return self._seconds_before + time.perf_counter() - self._session_start

    @property
    def step(self) -> int:
        """Training steps done so far."""
        return self._next_step

    # ----------------------------------------------------------------------------------------
    # Starting: restore a checkpoint, start the clock and the progress bar
    # ----------------------------------------------------------------------------------------

    def _begin(self, first_step: int = 0, restore: bool = True) -> int:
        """Start a training session; returns the first step to run."""
        self._reset_session()
        self.history = {"step": []}
        self.frames, self.findings = [], []
        self.first_pass_step = self.first_pass_seconds = None
        start = first_step
        if restore and self.checkpoint is not None:
            restored = self.checkpoint.restore()
            if restored is not None:
                start = restored.step
                self.history = restored.history or {"step": []}
                self.history.setdefault("step", [])
                extra = restored.extra
                self._seconds_before = float(extra.get("seconds", 0.0))
                self.first_pass_step = extra.get("first_pass_step")
                self.first_pass_seconds = extra.get("first_pass_seconds")
                self._last_saved_step = start
                self._restored_epoch = restored.epoch
        self._next_step = start
        self._session_first_step = start
        total = self.total_steps
        warmup = self.warmup_steps
        if warmup is None:
            warmup = int(WARMUP_SHARE * total) if total else 3 * self.every
        self._diagnostics = TrainingDiagnostics(
            warmup_steps=warmup,
            quality_threshold=self.quality_threshold,
            higher_is_better=self.higher_is_better,
        )
        if total is not None and start >= total:
            print(
                f"Training already finished: {start} of {total} steps done (checkpoint in "
                f"{self.checkpoint.directory if self.checkpoint else '?'}). Pass fresh_start=True "
                "to the checkpoint to train again."
            )
        if self.progress_bar and not self.headless:
            self._bar = progress(total=total, initial=start, description=self.title or "training")
        self._session_start = time.perf_counter()
        return start

    def steps(self) -> Iterator[int]:
        """Yield the step numbers still to run, continuing after the last checkpoint.

        Restores the checkpoint (if any), starts the clock and the progress bar, and calls
        :meth:`finish` when the loop is done.

        Raises:
            ValueError: when the monitor has no ``total_steps``.

        Example:
            >>> monitor = TrainingMonitor(every=2, total_steps=4, progress_bar=False)
            >>> for step in monitor.steps():
            ...     monitor.update(step, d_loss=1.3, g_loss=0.7)  # doctest: +ELLIPSIS
            step     2/4 | ...
            step     4/4 | ...
            Finished 4 steps in ...
        """
        if self.total_steps is None:
            raise ValueError("steps() needs to know how long to train: TrainingMonitor(..., total_steps=5000).")
        start = self._begin()
        for step in range(start, self.total_steps):
            yield step
        self.finish()

    # ----------------------------------------------------------------------------------------
    # Every step
    # ----------------------------------------------------------------------------------------

    def update(self, step: int, **values: Any) -> None:
        """Record one training step's numbers; every ``every`` steps, show and diagnose.

        Args:
            step: the index of the step just taken (0, 1, 2, ...).
            values: its losses and accuracies by name, floats or scalar tensors, e.g.
                ``d_loss=..., g_loss=..., d_acc_real=..., d_acc_fake=...``.

        Raises:
            NonFiniteLossError: when a value is NaN or infinite (training must stop; the
                message says what to try; the last checkpoint stays good).
            ValueError: for a negative step or a value that is not one number.

        Example:
            >>> monitor = TrainingMonitor(every=100, progress_bar=False)
            >>> monitor.update(0, d_loss=1.38, g_loss=0.69, d_acc_real=0.5, d_acc_fake=0.5)
            >>> monitor.history["d_acc_fake"]
            [0.5]
        """
        if isinstance(step, bool) or not isinstance(step, (int, np.integer)) or step < 0:
            raise ValueError(f"step must be a whole number >= 0, got {step!r}.")
        step = int(step)
        if self._session_start is None or self._finished:
            self._begin(first_step=step, restore=False)
        numbers = {name: checks.as_number(value, name) for name, value in values.items()}
        problem = detect_non_finite(numbers, step=step)
        if problem is not None:
            self._stop(problem)
        self._record(step, numbers)
        self._next_step = step + 1
        if self._bar is not None:
            self._bar.update(1)
        done = step + 1
        last = self.total_steps is not None and done >= self.total_steps
        if self.quality_fn is not None and (done % self.quality_every == 0 or last):
            self._measure_quality(done)
        if done % self.every == 0 or last:
            self._check_and_show(done)
        if self.checkpoint is not None and not self._in_fit and self.checkpoint.due(done):
            self._save_checkpoint(done)

    def _record(self, step: int, numbers: Mapping[str, float]) -> None:
        history = self.history
        count = len(history["step"])
        history["step"].append(step)
        for name, number in numbers.items():
            if name not in history:
                history[name] = [math.nan] * count
            history[name].append(number)
        for name, values in history.items():
            if name not in numbers and name != "step" and name not in CHECK_KEYS + QUALITY_KEYS and len(values) == count:
                values.append(math.nan)

    def _stop(self, problem: Any) -> None:
        self.findings.append(problem)
        if self._bar is not None:
            self._bar.close()
        if self._in_fit and self.model is not None:
            self.model.stop_training = True
        raise NonFiniteLossError(problem)

    def _measure_quality(self, done: int) -> None:
        value = float(self.quality_fn())
        self.history.setdefault("quality_step", []).append(done)
        self.history.setdefault("quality", []).append(value)
        if self.quality_threshold is None or self.first_pass_step is not None or not math.isfinite(value):
            return
        passed = value >= self.quality_threshold if self.higher_is_better else value <= self.quality_threshold
        if passed:
            self.first_pass_step = done
            self.first_pass_seconds = round(self.elapsed_seconds, 3)
            relation = ">=" if self.higher_is_better else "<="
            self._say(
                f"✅ {self.quality_name} = {value:.4g} reached the threshold ({relation} "
                f"{self.quality_threshold:g}) after {done} steps, {self.first_pass_seconds:.1f} s of training."
            )

    def _say(self, text: str) -> None:
        if self._bar is not None:
            self._bar.clear()
        print(text, flush=True)
        if self._bar is not None:
            self._bar.refresh()

    # ----------------------------------------------------------------------------------------
    # Every `every` steps
    # ----------------------------------------------------------------------------------------

    def _current_samples(self) -> np.ndarray | None:
        if self.sample_fn is None:
            return None
        return np.asarray(keras.ops.convert_to_numpy(self.sample_fn()))

    def _check_and_show(self, done: int) -> None:
        samples = self._current_samples()
        if samples is not None and self._checks_done == 0:
            self._check_samples(samples)
        self._last_samples = samples
        if samples is not None:
            self._record_check(done, samples)
        if self.diagnose and self._diagnostics is not None:
            space = "feature" if self.feature_fn is not None else "pixel"
            for finding in self._diagnostics.check(self.history, step=done - 1, space=space):
                self.findings.append(finding)
                self._say(finding.message())
        if self.headless:
            print(self._text_line(done), flush=True)
            return
        now = time.perf_counter()
        last = self.total_steps is not None and done >= self.total_steps
        if last or self._last_draw_time is None or now - self._last_draw_time >= self.redraw_seconds:
            self._show(self._render(done))
            self._last_draw_time = time.perf_counter()

    def _check_samples(self, samples: np.ndarray) -> None:
        """Say at the first check, in any mode, when the samples cannot be shown as given."""
        try:
            kind = sample_kind(samples)
            if kind == "images":
                plots.prepare_images(samples, self.value_range)
        except ValueError as error:
            raise ValueError(f"sample_fn returned samples the monitor cannot show: {error}") from None
        if self.real_samples is not None and self.real_samples.shape[1:] != samples.shape[1:]:
            raise ValueError(
                f"real_samples have shape {self.real_samples.shape} but sample_fn returns {samples.shape}: "
                "give real samples of the same kind (same shape after the batch axis)."
            )

    def _record_check(self, done: int, samples: np.ndarray) -> None:
        history = self.history
        history.setdefault("check_step", []).append(done)
        diversity = math.nan
        if self.real_samples is not None and np.all(np.isfinite(samples)):
            if self._real_spread is None:  # the real data's variety, measured once
                real = self.real_samples if self.feature_fn is None else self.feature_fn(self.real_samples)
                self._real_spread = mean_pairwise_distance(real)
            generated = samples if self.feature_fn is None else self.feature_fn(samples)
            diversity = mean_pairwise_distance(generated) / max(self._real_spread, 1e-12)
        history.setdefault("diversity", []).append(diversity)
        change = math.nan
        if self._previous_samples is not None and self._previous_samples.shape == samples.shape:
            change = sample_change(self._previous_samples, samples, self.real_samples)
        history.setdefault("sample_change", []).append(change)
        self._previous_samples = samples
        if self.record_frames:
            if self._checks_done % self._frame_stride == 0:
                kept = FRAME_IMAGES if samples.ndim >= 3 else FRAME_POINTS
                self.frames.append(Frame(done, samples[:kept].copy()))
            if len(self.frames) > self.max_frames:
                self.frames = self.frames[::2]
                self._frame_stride *= 2
        self._checks_done += 1

    def _recent_means(self) -> dict[str, float]:
        means = {}
        for name, values in self.history.items():
            if name == "step" or name in CHECK_KEYS + QUALITY_KEYS or len(values) != len(self.history["step"]):
                continue
            recent = np.asarray(values[-self.every :], dtype="float64")
            recent = recent[np.isfinite(recent)]
            if recent.size:
                means[name] = float(recent.mean())
        return means

    def _timing(self, done: int) -> str:
        elapsed = self.elapsed_seconds
        session_steps = done - self._session_first_step
        text = f"{_clock(elapsed)}"
        if self.total_steps and session_steps > 0 and self._session_start is not None:
            per_step = (time.perf_counter() - self._session_start) / session_steps
            text += f", ETA {_clock(per_step * max(self.total_steps - done, 0))}"
        return text

    def _text_line(self, done: int) -> str:
        total = f"/{self.total_steps}" if self.total_steps else ""
        numbers = "  ".join(f"{name} {value:.3g}" for name, value in self._recent_means().items())
        parts = [f"step {done:>5}{total}", numbers]
        if self.history.get("quality"):
            parts.append(f"{self.quality_name} {self.history['quality'][-1]:.4g}")
        parts.append(self._timing(done))
        return " | ".join(part for part in parts if part)

    def _render(self, done: int) -> bytes:
        if self._dashboard is None:
            keys = [name for name in self.history if name != "step" and name not in CHECK_KEYS + QUALITY_KEYS]
            accuracy = [name for name in keys if any(marker in name for marker in ACCURACY_MARKERS)]
            losses = [name for name in keys if name not in accuracy]
            self._dashboard = Dashboard(
                loss_keys=losses,
                accuracy_keys=accuracy,
                total_steps=self.total_steps,
                samples=self._last_samples,
                real_samples=self.real_samples,
                value_range=self.value_range,
                with_decision_map=self.decision_fn is not None,
                quality_name=self.quality_name if self.quality_fn is not None else None,
                quality_threshold=self.quality_threshold,
                higher_is_better=self.higher_is_better,
                title=self.title,
            )
        dashboard = self._dashboard
        decision = None
        if self._last_samples is not None:
            dashboard.fit_samples(self._last_samples)
            points = dashboard.decision_points()
            if points is not None:
                decision = keras.ops.convert_to_numpy(self.decision_fn(points))
        total = f" / {self.total_steps}" if self.total_steps else ""
        warning = ""
        if self.findings:
            names = sorted({finding.kind.replace("_", " ") for finding in self.findings})
            warning = "⚠ " + ", ".join(names) + " (see below)"
        self._last_png = dashboard.render(
            self.history,
            heading=f"step {done}{total} · {self._timing(done)}",
            samples=self._last_samples,
            decision=decision,
            warning=warning,
        )
        self._shown_step = done
        return self._last_png

    def _show(self, png: bytes) -> None:
        from IPython.display import Image, display  # noqa: PLC0415

        if self._display_handle is None:
            self._display_handle = display(Image(data=png), display_id=True)
        else:
            self._display_handle.update(Image(data=png))

    # ----------------------------------------------------------------------------------------
    # Checkpoints and the end
    # ----------------------------------------------------------------------------------------

    def _save_checkpoint(self, done: int, epoch: int | None = None) -> None:
        if self.checkpoint is None or self._last_saved_step == done:
            return
        self.checkpoint.save(
            done,
            history=self.history,
            epoch=epoch,
            extra={
                "seconds": round(self.elapsed_seconds, 3),
                "first_pass_step": self.first_pass_step,
                "first_pass_seconds": self.first_pass_seconds,
            },
        )
        self._last_saved_step = done

    def dashboard_png(self) -> bytes:
        """Return the dashboard as it stands now, as PNG bytes.

        Raises:
            ValueError: before the first training step.

        Example:
            >>> monitor = TrainingMonitor(every=10, progress_bar=False)
            >>> monitor.update(0, d_loss=1.4, g_loss=0.7)
            >>> monitor.dashboard_png()[:4]
            b'\\x89PNG'
        """
        if not self.history["step"]:
            raise ValueError("Nothing to show yet: the dashboard needs at least one training step.")
        if self._last_samples is None and self.sample_fn is not None:
            self._last_samples = self._current_samples()
        return self._render(self._next_step)

    def save_dashboard(self, path: str | os.PathLike) -> Path:
        """Write the dashboard as it stands now to a PNG file (atomically) and return the path.

        Example:
            >>> import tempfile, pathlib
            >>> monitor = TrainingMonitor(every=10, progress_bar=False)
            >>> monitor.update(0, d_loss=1.4, g_loss=0.7)
            >>> monitor.save_dashboard(pathlib.Path(tempfile.mkdtemp()) / "dashboard.png").suffix
            '.png'
        """
        path = Path(path)
        if path.suffix.lower() != ".png":
            raise ValueError(f"The dashboard is a PNG: the file name must end in .png, got {path.name!r}.")
        png = self.dashboard_png()
        with atomic_output(path) as temporary:
            temporary.write_bytes(png)
        return path

    def finish(self, epoch: int | None = None) -> None:
        """End the session: last checkpoint, final dashboard, a summary line. Safe to call twice.

        :meth:`steps` and ``fit()`` call it at the end; call it yourself after a plain loop.

        Example:
            >>> monitor = TrainingMonitor(every=10, progress_bar=False)
            >>> monitor.update(0, d_loss=1.4)
            >>> monitor.finish()  # doctest: +ELLIPSIS
            Finished 1 steps in ... s.
        """
        if self._finished:
            return
        self._finished = True
        if self._bar is not None:
            self._bar.close()
        done = self._next_step
        if self.checkpoint is not None and done > 0 and self.history["step"]:
            self._save_checkpoint(done, epoch)
        if self.history["step"]:
            if self.headless and _in_kernel():
                from IPython.display import Image, display  # noqa: PLC0415

                display(Image(data=self.dashboard_png()))
            elif not self.headless and self._shown_step != done:
                self._show(self.dashboard_png())
            if self.save_path is not None:
                self.save_dashboard(self.save_path)
        session_steps = done - self._session_first_step
        summary = f"Finished {session_steps} steps"
        if self._session_start is not None:
            summary += f" in {time.perf_counter() - self._session_start:.1f} s"
        if self._seconds_before:
            summary += f" ({done} steps, {self.elapsed_seconds:.1f} s in all, with earlier sessions)"
        if self.quality_threshold is not None:
            if self.first_pass_step is not None:
                summary += f"; quality first reached the threshold at step {self.first_pass_step} ({self.first_pass_seconds:.1f} s)"
            else:
                summary += "; quality has not reached the threshold yet"
        print(summary + ".", flush=True)

    # ----------------------------------------------------------------------------------------
    # Keras callback hooks (fit)
    # ----------------------------------------------------------------------------------------

    def on_train_begin(self, logs: Mapping[str, Any] | None = None) -> None:
        epochs = self.params.get("epochs") if self.params else None
        steps_per_epoch = self.params.get("steps") if self.params else None
        if self.total_steps is None and epochs and steps_per_epoch:
            self.total_steps = int(epochs) * int(steps_per_epoch)
        start = self._begin()
        self._in_fit = True
        if self._restored_epoch is not None and self.model is not None:
            # Keras' own BackupAndRestore resumes fit() the same way: at an epoch boundary.
            self.model._initial_epoch = int(self._restored_epoch)
        self._epoch_first_step = start

    def on_epoch_begin(self, epoch: int, logs: Mapping[str, Any] | None = None) -> None:
        self._epoch_first_step = self._next_step

    def on_train_batch_end(self, batch: int, logs: Mapping[str, Any] | None = None) -> None:
        numbers = {name: value for name, value in (logs or {}).items() if np.size(value) == 1}
        self.update(self._epoch_first_step + int(batch), **numbers)

    def on_epoch_end(self, epoch: int, logs: Mapping[str, Any] | None = None) -> None:
        if self.checkpoint is None:
            return
        since = self._next_step - (self._last_saved_step or 0)
        if since >= self.checkpoint.every:
            self._save_checkpoint(self._next_step, epoch=epoch + 1)
        self._epochs_done = epoch + 1

    def on_train_end(self, logs: Mapping[str, Any] | None = None) -> None:
        self.finish(epoch=self._epochs_done)
        self._in_fit = False


def _in_kernel() -> bool:
    try:
        from IPython import get_ipython  # noqa: PLC0415
    except ImportError:
        return False
    shell = get_ipython()
    return shell is not None and hasattr(shell, "kernel")
