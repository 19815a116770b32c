"""Plain-words diagnosis of GAN training: convergence failure, mode collapse, no progress, NaN.

Each detector is a pure function that looks at numbers (a history of losses and accuracies,
or samples) and returns a :class:`Finding` — what it saw, in words and numbers, and what to
try (the GAN hacks from the lectures) — or ``None`` when all looks fine.
:class:`TrainingDiagnostics` runs them during training and reports each problem once; the
training monitor feeds it.

The history is a dict of lists, as kept by the training monitor: per training step ``"step"``,
``"d_loss"``, ``"g_loss"``, ``"d_acc_real"``, ``"d_acc_fake"``; per check (every N steps)
``"check_step"``, ``"diversity"``, ``"sample_change"``, and with a quality measure
``"quality_step"`` and ``"quality"``.

Example:
    >>> history = {"d_loss": [1.4] * 300, "g_loss": [0.7] * 150 + [0.8] * 150,
    ...            "d_acc_real": [0.8] * 300, "d_acc_fake": [0.75] * 300}
    >>> detect_convergence_failure(history) is None
    True
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

LOSS_KEYS = ("d_loss", "g_loss")
ACCURACY_KEYS = ("d_acc_real", "d_acc_fake")
COLLAPSE_THRESHOLD = 0.35
"""Generated samples whose mean pairwise distance is below this share of the real data's."""
MAX_DIVERSITY_SAMPLES = 256

CONVERGENCE_FAILURE = "convergence_failure"
MODE_COLLAPSE = "mode_collapse"
NO_PROGRESS = "no_progress"
NON_FINITE = "non_finite"

SUGGESTIONS = {
    CONVERGENCE_FAILURE: (
        "Slow the discriminator down: lower its learning rate (halve it), or take two generator "
        "steps per discriminator step.",
        "Soft labels: train D towards 0.9 (or a random 0.7-1.0) for real and 0.0-0.3 for fake "
        "instead of exactly 1 and 0.",
        "Dropout (0.3-0.5) after D's hidden layers.",
        "LeakyReLU (slope 0.2) instead of ReLU in D; AveragePooling instead of MaxPooling.",
        "Scale the real data to [-1, 1] and end the generator with tanh.",
        "A smaller discriminator (fewer units or layers).",
    ),
    MODE_COLLAPSE: (
        "Soft labels and dropout in D (the GAN hacks): a D that is too sure lets G settle on "
        "one answer that works.",
        "Lower the generator's learning rate, or use a larger batch.",
        "Change the architecture: batch normalization in G, LeakyReLU in D.",
        "A Wasserstein loss with gradient penalty (WGAN-GP, notebook 08) collapses far less.",
        "Start again from an earlier checkpoint or another seed (fresh_start=True).",
    ),
    NO_PROGRESS: (
        "Check that each optimizer updates its own model: D's gradients go to "
        "discriminator.trainable_variables, G's to generator.trainable_variables.",
        "Check the learning rates: Adam(2e-4, beta_1=0.5) is a good start for GANs; 0 or 1e-7 "
        "moves nothing.",
        "If D's accuracy sits at 50% on both real and fake, D learns nothing: give it more "
        "units or a higher learning rate.",
        "Train longer only if the samples still change from check to check.",
    ),
    NON_FINITE: (
        "Lower the learning rates (ten times smaller).",
        "Clip the gradients: e.g. keras.optimizers.Adam(2e-4, clipnorm=1.0).",
        "Check the real data: no NaN, scaled to [-1, 1] (or [0, 1]).",
        "Take logs safely: BinaryCrossentropy(from_logits=True) with a linear last layer in D, "
        "or log(p + 1e-7) in a hand-written loss.",
        "The last checkpoint before the NaN is still good: fix the cause and rerun the "
        "training cell, or pass fresh_start=True.",
    ),
}


@dataclass(frozen=True)
class Finding:
    """One problem seen in training, said in plain words, with what to try.

    Attributes:
        kind: ``"convergence_failure"``, ``"mode_collapse"``, ``"no_progress"`` or
            ``"non_finite"``.
        headline: one line, e.g. "Convergence failure: the discriminator is winning".
        details: what was seen, with the numbers.
        suggestions: what to try, most promising first.
        step: the training step at which it was seen (if known).
        numbers: the numbers behind the finding, by name.

    Example:
        >>> finding = Finding("no_progress", "No progress", "Nothing moved.", ("Train.",), 10)
        >>> print(finding.message())
        ⚠️ No progress (step 10)
        Nothing moved.
        What to try:
          - Train.
    """

    kind: str
    headline: str
    details: str
    suggestions: tuple[str, ...]
    step: int | None = None
    numbers: dict[str, float] = field(default_factory=dict)

    def message(self) -> str:
        """The whole report: headline, details and the list of things to try."""
        where = f" (step {self.step})" if self.step is not None else ""
        lines = [f"⚠️ {self.headline}{where}", self.details, "What to try:"]
        lines += [f"  - {suggestion}" for suggestion in self.suggestions]
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.message()


# --------------------------------------------------------------------------------------------
# Reading a history
# --------------------------------------------------------------------------------------------


def _history_dict(history: Any) -> dict[str, list]:
    if hasattr(history, "history") and isinstance(history.history, Mapping):
        history = history.history
    if not isinstance(history, Mapping):
        raise ValueError(
            f"Expected a history: a dict of lists such as monitor.history; got {type(history).__name__}."
        )
    return dict(history)


def _values(history: Mapping[str, Any], key: str) -> np.ndarray:
    if key not in history:
        available = ", ".join(sorted(history)) or "none"
        raise ValueError(
            f"The history has no {key!r} values (it has: {available}). The diagnostics need "
            f"the names {', '.join(LOSS_KEYS + ACCURACY_KEYS)}: return them from the training step."
        )
    return np.asarray(history[key], dtype="float64")


def _fmt(value: float) -> str:
    return f"{value:.3g}"


def _percent(value: float) -> str:
    return f"{100 * value:.0f}%"


# --------------------------------------------------------------------------------------------
# Convergence failure
# --------------------------------------------------------------------------------------------


def detect_convergence_failure(
    history: Any,
    *,
    min_steps: int = 200,
    recent_share: float = 0.2,
    accuracy_level: float = 0.9,
    loss_drop: float = 0.5,
    loss_rise: float = 1.5,
) -> Finding | None:
    """Flag a discriminator that wins: accuracy near 100%, its loss collapsing, G's climbing.

    Compares the recent part of training (the last ``recent_share`` of the steps, at least
    50) with its start (the first 5%, at least 5 steps). With the accuracies in the history
    it flags when D is right on at least ``accuracy_level`` of both real and fake samples
    *and* its loss fell to ``loss_drop`` times its starting value or G's loss rose to
    ``loss_rise`` times its starting value. Without accuracies it needs both loss signs.

    Args:
        history: a dict of lists with ``d_loss`` and ``g_loss`` (and ideally ``d_acc_real``,
            ``d_acc_fake``), one value per training step.
        min_steps: no verdict on fewer steps than this.

    Raises:
        ValueError: when ``d_loss`` or ``g_loss`` is missing.

    Example:
        >>> steps = np.arange(1000)
        >>> d_wins = {"d_loss": 1.4 * np.exp(-steps / 150), "g_loss": 0.7 + steps / 300,
        ...           "d_acc_real": np.minimum(1, 0.5 + steps / 200), "d_acc_fake": np.minimum(1, 0.5 + steps / 200)}
        >>> detect_convergence_failure(d_wins).kind
        'convergence_failure'
    """
    data = _history_dict(history)
    d_loss, g_loss = _values(data, "d_loss"), _values(data, "g_loss")
    count = min(len(d_loss), len(g_loss))
    if count < max(min_steps, 2):
        return None
    recent = max(50, int(count * recent_share))
    start = max(5, count // 20)
    d_start, d_now = _finite_mean(d_loss[:start]), _finite_mean(d_loss[-recent:])
    g_start, g_now = _finite_mean(g_loss[:start]), _finite_mean(g_loss[-recent:])
    d_collapsing = d_now <= loss_drop * d_start
    g_climbing = g_now >= loss_rise * g_start and g_now > g_start
    has_accuracy = all(key in data and len(data[key]) >= recent for key in ACCURACY_KEYS)
    numbers = {"d_loss_start": d_start, "d_loss_now": d_now, "g_loss_start": g_start, "g_loss_now": g_now}
    if has_accuracy:
        real_now = _finite_mean(_values(data, "d_acc_real")[-recent:])
        fake_now = _finite_mean(_values(data, "d_acc_fake")[-recent:])
        numbers.update(d_acc_real_now=real_now, d_acc_fake_now=fake_now)
        failing = real_now >= accuracy_level and fake_now >= accuracy_level and (d_collapsing or g_climbing)
        accuracy_words = (
            f"Over the last {recent} steps D was right on {_percent(real_now)} of real and "
            f"{_percent(fake_now)} of generated samples (healthy: about 80% on both). "
        )
    else:
        failing = d_collapsing and g_climbing
        accuracy_words = ""
    if not failing:
        return None
    step = int(data["step"][-1]) if data.get("step") else count - 1
    details = (
        f"{accuracy_words}D's loss went from {_fmt(d_start)} at the start to {_fmt(d_now)}, "
        f"G's loss from {_fmt(g_start)} to {_fmt(g_now)}. The discriminator tells real from "
        "fake almost perfectly, so the generator gets almost no useful gradient and stops "
        "improving."
    )
    return Finding(
        CONVERGENCE_FAILURE,
        "Convergence failure: the discriminator is winning",
        details,
        SUGGESTIONS[CONVERGENCE_FAILURE],
        step,
        numbers,
    )


def _finite_mean(values: np.ndarray) -> float:
    finite = values[np.isfinite(values)]
    return float(finite.mean()) if finite.size else math.nan


# --------------------------------------------------------------------------------------------
# Mode collapse
# --------------------------------------------------------------------------------------------


def _as_rows(samples: Any, what: str, feature_fn: Callable[[Any], Any] | None) -> np.ndarray:
    if feature_fn is not None:
        samples = feature_fn(samples)
    array = np.asarray(samples, dtype="float64")
    if array.ndim == 1:
        array = array[:, None]
    if array.ndim < 2 or array.shape[0] < 2:
        raise ValueError(f"{what} must be a batch of at least 2 samples, got shape {array.shape}.")
    array = array.reshape(array.shape[0], -1)
    if not np.all(np.isfinite(array)):
        raise ValueError(f"{what} contain NaN or infinite values.")
    return array[:MAX_DIVERSITY_SAMPLES]


def mean_pairwise_distance(samples: Any) -> float:
    """Return the mean Euclidean distance between all pairs of samples (flattened).

    Uses at most the first 256 samples.

    Example:
        >>> mean_pairwise_distance([[0, 0], [3, 4]])
        5.0
    """
    rows = _as_rows(samples, "samples", None)
    squared = np.sum(rows**2, axis=1)
    distances_squared = squared[:, None] + squared[None, :] - 2.0 * rows @ rows.T
    upper = np.triu_indices(len(rows), k=1)
    return float(np.mean(np.sqrt(np.maximum(distances_squared[upper], 0.0))))


def diversity_ratio(generated: Any, real: Any, *, feature_fn: Callable[[Any], Any] | None = None) -> float:
    """Return how varied the generated samples are, as a share of the real data's variety.

    The mean pairwise distance of the generated samples divided by that of the real samples
    (in pixel space, or in the space of ``feature_fn(samples)``). About 1 for a generator
    that matches the data; near 0 for one that makes (almost) the same sample every time.

    Raises:
        ValueError: for fewer than 2 samples, NaN values, different sample shapes, or real
            samples that are all the same.

    Example:
        >>> rng = np.random.default_rng(0)
        >>> real = rng.normal(size=(200, 2))
        >>> round(diversity_ratio(real[:100], real[100:]), 1)
        1.0
    """
    generated_rows = _as_rows(generated, "generated samples", feature_fn)
    real_rows = _as_rows(real, "real samples", feature_fn)
    if generated_rows.shape[1] != real_rows.shape[1]:
        raise ValueError(
            f"Generated and real samples differ in size ({generated_rows.shape[1]} vs "
            f"{real_rows.shape[1]} numbers each): compare like with like."
        )
    real_spread = mean_pairwise_distance(real_rows)
    if real_spread <= 0:
        raise ValueError("The real samples are all identical, so there is no variety to compare with.")
    return mean_pairwise_distance(generated_rows) / real_spread


def mode_collapse_finding(ratio: float, *, threshold: float = COLLAPSE_THRESHOLD, step: int | None = None,
                          space: str = "pixel") -> Finding:
    """Build the mode-collapse report for a diversity ratio (see :func:`diversity_ratio`).

    Example:
        >>> mode_collapse_finding(0.05).numbers["diversity_ratio"]
        0.05
    """
    details = (
        f"The generated samples are much less varied than the real data: on average they are "
        f"{_percent(ratio)} as far apart from each other as real samples are ({space} space; "
        f"below {_percent(threshold)} is suspicious). The generator has found a few outputs "
        "that fool D and keeps making them, whatever the noise."
    )
    return Finding(
        MODE_COLLAPSE,
        "Mode collapse: the generator makes (nearly) the same thing every time",
        details,
        SUGGESTIONS[MODE_COLLAPSE],
        step,
        {"diversity_ratio": float(ratio), "threshold": float(threshold)},
    )


def detect_mode_collapse(
    generated: Any,
    real: Any,
    *,
    threshold: float = COLLAPSE_THRESHOLD,
    feature_fn: Callable[[Any], Any] | None = None,
    step: int | None = None,
) -> Finding | None:
    """Flag generated samples far less varied than real ones (see :func:`diversity_ratio`).

    Args:
        generated: a batch of generated samples (images or points), e.g. from fixed noise.
        real: a batch of real samples of the same kind.
        threshold: flag when the diversity ratio is below it (default 0.35).
        feature_fn: compare in a feature space, e.g. a classifier's penultimate layer.
        step: the training step, for the report.

    Example:
        >>> rng = np.random.default_rng(0)
        >>> real = rng.uniform(size=(64, 8, 8))
        >>> one_image = real[:1] + 0.01 * rng.normal(size=(64, 8, 8))
        >>> detect_mode_collapse(one_image, real).kind
        'mode_collapse'
        >>> detect_mode_collapse(real[:32], real[32:]) is None
        True
    """
    if not 0 < threshold < 1:
        raise ValueError(f"threshold must be between 0 and 1, got {threshold}.")
    ratio = diversity_ratio(generated, real, feature_fn=feature_fn)
    if ratio >= threshold:
        return None
    return mode_collapse_finding(ratio, threshold=threshold, step=step, space="feature" if feature_fn else "pixel")


# --------------------------------------------------------------------------------------------
# No progress
# --------------------------------------------------------------------------------------------


def sample_change(previous: Any, current: Any, real: Any | None = None) -> float:
    """Return how much samples from the same fixed noise changed between two checks.

    The mean absolute change per number, divided by the real data's mean absolute deviation
    (or, without real data, the current samples'). 0 means the generator did not move.

    Example:
        >>> sample_change([[0.0, 0.0], [1.0, 1.0]], [[0.0, 0.0], [1.0, 1.0]])
        0.0
    """
    before = np.asarray(previous, dtype="float64")
    after = np.asarray(current, dtype="float64")
    if before.shape != after.shape:
        raise ValueError(f"Samples changed shape between checks: {before.shape} -> {after.shape}.")
    reference = after if real is None else np.asarray(real, dtype="float64")
    scale = float(np.mean(np.abs(reference - reference.mean(axis=0))))
    return float(np.mean(np.abs(after - before))) / max(scale, 1e-12)


def detect_no_progress(
    history: Any,
    *,
    frozen_steps: int = 100,
    frozen_tolerance: float = 1e-6,
    patience_checks: int = 5,
    change_tolerance: float = 1e-4,
    quality_threshold: float | None = None,
    higher_is_better: bool = True,
) -> Finding | None:
    """Flag training that no longer changes anything.

    Three signs, any one is enough:

    1. every loss in the history stayed exactly the same for the last ``frozen_steps``
       steps (no gradient reaches the weights);
    2. the samples from fixed noise changed by less than ``change_tolerance`` (see
       :func:`sample_change`) at each of the last ``patience_checks`` checks;
    3. the quality measure's average over the latest checks (a third of them, at least
       ``patience_checks``) is no better than over as many checks before them, and it has not
       reached ``quality_threshold``. It needs ``3 * patience_checks`` checks: a short run
       (fast mode) is not long enough to call stuck.

    Example:
        >>> detect_no_progress({"d_loss": [0.69] * 200, "g_loss": [0.69] * 200}).kind
        'no_progress'
        >>> rng = np.random.default_rng(0)
        >>> detect_no_progress({"d_loss": rng.normal(1.3, 0.05, 200)}) is None
        True
    """
    data = _history_dict(history)
    step = int(data["step"][-1]) if data.get("step") else None
    loss_keys = [key for key in data if "loss" in key]
    frozen = []
    for key in loss_keys:
        values = np.asarray(data[key][-frozen_steps:], dtype="float64")
        if len(values) < frozen_steps or not np.all(np.isfinite(values)):
            break
        spread = float(values.max() - values.min())
        if spread > frozen_tolerance * (1.0 + abs(float(values.mean()))):
            break
        frozen.append(f"{key} = {_fmt(float(values.mean()))}")
    else:
        if frozen:
            return Finding(
                NO_PROGRESS,
                "No progress: the losses have not changed at all",
                f"For the last {frozen_steps} steps every loss stayed the same ({', '.join(frozen)}). "
                "No gradient reaches the weights, or the optimizers do not apply them.",
                SUGGESTIONS[NO_PROGRESS],
                step,
                {"frozen_steps": float(frozen_steps)},
            )
    changes = np.asarray(data.get("sample_change", [])[-patience_checks:], dtype="float64")
    if len(changes) >= patience_checks and np.all(changes < change_tolerance):
        return Finding(
            NO_PROGRESS,
            "No progress: the generator's samples stopped changing",
            f"At each of the last {patience_checks} checks the samples from the same fixed noise "
            f"changed by less than {change_tolerance:g} of the data's spread (largest change "
            f"{_fmt(float(changes.max()))}). The generator's weights are not being updated.",
            SUGGESTIONS[NO_PROGRESS],
            step,
            {"largest_change": float(changes.max())},
        )
    quality = np.asarray(data.get("quality", []), dtype="float64")
    if len(quality) >= 3 * patience_checks and np.all(np.isfinite(quality)):
        # Compare the averages of the latest checks and of as many checks before them (a third
        # of all checks each, at least `patience_checks`): quality measures are noisy.
        window = max(patience_checks, len(quality) // 3)
        half = len(quality) - window
        sign = 1.0 if higher_is_better else -1.0
        mean_before, mean_since = float(quality[half - window : half].mean()), float(quality[half:].mean())
        best_since = float(np.max(sign * quality[half:])) * sign
        reached = quality_threshold is not None and sign * best_since >= sign * quality_threshold
        improvement = sign * (mean_since - mean_before)
        if not reached and improvement <= 0.02 * abs(mean_before):
            quality_steps = data.get("quality_step") or list(range(len(quality)))
            needs = (
                f", and it needs {'>=' if higher_is_better else '<='} {_fmt(quality_threshold)}"
                if quality_threshold is not None
                else ""
            )
            return Finding(
                NO_PROGRESS,
                "No progress: the quality measure stopped improving",
                f"The quality measure averaged {_fmt(mean_before)} over {window} checks and "
                f"{_fmt(mean_since)} over the {window} checks since step {quality_steps[half]} "
                f"(best since: {_fmt(best_since)}{needs}). If it stays like this, training longer in "
                "the same way will not help.",
                SUGGESTIONS[NO_PROGRESS],
                step,
                {"mean_before": mean_before, "mean_since": mean_since, "best_since": best_since},
            )
    return None


# --------------------------------------------------------------------------------------------
# NaN / inf
# --------------------------------------------------------------------------------------------


def detect_non_finite(values: Mapping[str, Any], *, step: int | None = None) -> Finding | None:
    """Flag NaN or infinite values among one step's losses and metrics.

    Example:
        >>> detect_non_finite({"d_loss": float("nan"), "g_loss": 0.7}, step=12).headline
        'Training diverged: d_loss is nan'
        >>> detect_non_finite({"d_loss": 1.3}) is None
        True
    """
    bad = {}
    for name, value in values.items():
        try:
            number = float(value)
        except (TypeError, ValueError):
            continue
        if not math.isfinite(number):
            bad[name] = number
    if not bad:
        return None
    listed = ", ".join(f"{name} is {number}" for name, number in bad.items())
    return Finding(
        NON_FINITE,
        f"Training diverged: {listed}",
        "A loss became NaN or infinite, so every weight it touches is now garbage and training "
        "cannot continue. Usual causes: a learning rate that is too high, log(0) in a loss, or "
        "NaN in the data.",
        SUGGESTIONS[NON_FINITE],
        step,
        {name: number for name, number in bad.items()},
    )


class NonFiniteLossError(FloatingPointError):
    """Raised to stop training when a loss becomes NaN or infinite; the message says what to try."""

    def __init__(self, finding: Finding) -> None:
        super().__init__(finding.message())
        self.finding = finding


# --------------------------------------------------------------------------------------------
# Watching a whole run
# --------------------------------------------------------------------------------------------


class TrainingDiagnostics:
    """Run the detectors during training and report each kind of problem once.

    Args:
        warmup_steps: no verdicts (except NaN) before this many steps: a freshly started GAN
            looks collapsed and D often leads early on.
        collapse_threshold: the diversity ratio below which samples count as collapsed; it
            must be seen at two checks in a row.
        quality_threshold, higher_is_better: the notebook's quality bar, if any (training that
            reached it is not "stuck").

    Example:
        >>> watcher = TrainingDiagnostics(warmup_steps=0)
        >>> history = {"step": list(range(200)), "d_loss": [0.5] * 200, "g_loss": [0.5] * 200}
        >>> [finding.kind for finding in watcher.check(history, step=199)]
        ['no_progress']
        >>> watcher.check(history, step=199)
        []
    """

    def __init__(
        self,
        *,
        warmup_steps: int = 0,
        collapse_threshold: float = COLLAPSE_THRESHOLD,
        quality_threshold: float | None = None,
        higher_is_better: bool = True,
    ) -> None:
        if warmup_steps < 0:
            raise ValueError(f"warmup_steps must be 0 or more, got {warmup_steps}.")
        self.warmup_steps = int(warmup_steps)
        self.collapse_threshold = float(collapse_threshold)
        self.quality_threshold = quality_threshold
        self.higher_is_better = bool(higher_is_better)
        self.reported: dict[str, Finding] = {}

    def check(self, history: Mapping[str, Any], *, step: int, space: str = "pixel") -> list[Finding]:
        """Return the problems seen for the first time at this check (each kind only once).

        Reads the history's per-step losses and accuracies and its per-check ``diversity``
        (mode collapse needs two checks in a row below the threshold).
        """
        if step + 1 < self.warmup_steps:
            return []
        new: list[Finding] = []
        has_losses = all(key in history for key in LOSS_KEYS)
        if has_losses and CONVERGENCE_FAILURE not in self.reported:
            finding = detect_convergence_failure(history)
            if finding is not None:
                new.append(finding)
        diversity = list(history.get("diversity", []))[-2:]
        if MODE_COLLAPSE not in self.reported and len(diversity) == 2 and max(diversity) < self.collapse_threshold:
            new.append(mode_collapse_finding(diversity[-1], threshold=self.collapse_threshold, step=step, space=space))
        if NO_PROGRESS not in self.reported:
            finding = detect_no_progress(
                history, quality_threshold=self.quality_threshold, higher_is_better=self.higher_is_better
            )
            if finding is not None:
                new.append(finding)
        for finding in new:
            self.reported[finding.kind] = finding
        return new
