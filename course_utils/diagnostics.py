"""Plain-words diagnosis of GAN training: convergence failure, mode collapse, no progress, NaN.

Each detector looks at numbers (a history of losses and accuracies, or samples) and returns a
:class:`Finding` (what it saw, in words and numbers, and what to try: the GAN hacks from the
lectures) or ``None`` when all looks fine. The training monitor runs them (:func:`new_findings`)
at each check and says each problem once.

The history is a dict of lists, as the training monitor keeps it: per training step ``"step"``,
``"d_loss"``, ``"g_loss"``, ``"d_acc_real"``, ``"d_acc_fake"``; per check (every N steps)
``"check_step"``, ``"diversity"``, ``"sample_change"``; per quality measurement
``"quality_step"`` and ``"quality"``.

Example:
    >>> history = {"d_loss": [1.4] * 300, "g_loss": [0.7] * 150 + [0.8] * 150,
    ...            "d_acc_real": [0.8] * 300, "d_acc_fake": [0.75] * 300}
    >>> detect_convergence_failure(history) is None
    True
"""

from __future__ import annotations

import math
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

LOSS_KEYS = ("d_loss", "g_loss")
ACCURACY_KEYS = ("d_acc_real", "d_acc_fake")
COLLAPSE_THRESHOLD = 0.35
"""Generated samples whose mean pairwise distance is below this share of the real data's."""
MAX_DIVERSITY_SAMPLES = 256
FROZEN_STEPS = 100  # no progress: every loss exactly the same for this many steps, ...
PATIENCE_CHECKS = 5  # ... or the samples unchanged (or the quality flat) for this many checks
CHANGE_TOLERANCE = 1e-4

CONVERGENCE_FAILURE = "convergence_failure"
MODE_COLLAPSE = "mode_collapse"
NO_PROGRESS = "no_progress"
NON_FINITE = "non_finite"

SUGGESTIONS = {
    CONVERGENCE_FAILURE: (
        "Slow the discriminator down: lower its learning rate (halve it), or take two generator steps per "
        "discriminator step.",
        "Soft labels: train D towards 0.9 (or a random 0.7-1.0) for real and 0.0-0.3 for fake instead of exactly 1 "
        "and 0.",
        "Dropout (0.3-0.5) after D's hidden layers.",
        "LeakyReLU (slope 0.2) instead of ReLU in D; AveragePooling instead of MaxPooling.",
        "Scale the real data to [-1, 1] and end the generator with tanh.",
        "A smaller discriminator (fewer units or layers).",
    ),
    MODE_COLLAPSE: (
        "Soft labels and dropout in D (the GAN hacks): a D that is too sure lets G settle on one answer that works.",
        "Lower the generator's learning rate, or use a larger batch.",
        "Change the architecture: batch normalization in G, LeakyReLU in D.",
        "A Wasserstein loss with gradient penalty (WGAN-GP, notebook 08) collapses far less.",
        "Start again from an earlier checkpoint or another seed (fresh_start=True).",
    ),
    NO_PROGRESS: (
        "Check that each optimizer updates its own model: D's gradients go to discriminator.trainable_variables, G's "
        "to generator.trainable_variables.",
        "Check the learning rates: Adam(2e-4, beta_1=0.5) is a good start for GANs; 0 or 1e-7 moves nothing.",
        "If D's accuracy sits at 50% on both real and fake, D learns nothing: give it more units or a higher "
        "learning rate.",
        "Train longer only if the samples still change from check to check.",
    ),
    NON_FINITE: (
        "Lower the learning rates (ten times smaller).",
        "Clip the gradients: e.g. keras.optimizers.Adam(2e-4, clipnorm=1.0).",
        "Check the real data: no NaN, scaled to [-1, 1] (or [0, 1]).",
        "Take logs safely: BinaryCrossentropy(from_logits=True) with a linear last layer in D, or log(p + 1e-7) in a "
        "hand-written loss.",
        "The last checkpoint before the NaN is still good: fix the cause and rerun the training cell, or pass "
        "fresh_start=True.",
    ),
}


@dataclass(frozen=True)
class Finding:
    """One problem seen in training, in plain words, with what to try.

    ``kind`` is ``"convergence_failure"``, ``"mode_collapse"``, ``"no_progress"`` or
    ``"non_finite"``; ``headline`` one line; ``details`` what was seen, with the numbers;
    ``suggestions`` what to try, most promising first; ``step`` where it was seen; ``numbers``
    the numbers behind it, by name.

    Example:
        >>> print(Finding("no_progress", "No progress", "Nothing moved.", ("Train.",), 10))
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
        return "\n".join(lines + [f"  - {suggestion}" for suggestion in self.suggestions])

    def __str__(self) -> str:
        return self.message()


class NonFiniteLossError(FloatingPointError):
    """Raised to stop training when a loss becomes NaN or infinite; the message says what to try."""

    def __init__(self, finding: Finding) -> None:
        super().__init__(finding.message())
        self.finding = finding


def _values(history: Mapping[str, Any], key: str) -> np.ndarray:
    if not isinstance(history, Mapping):
        raise ValueError(f"Expected a history: a dict of lists such as monitor.history; got {type(history).__name__}.")
    if key not in history:
        raise ValueError(
            f"The history has no {key!r} values (it has: {', '.join(sorted(history)) or 'none'}). The diagnostics "
            f"need the names {', '.join(LOSS_KEYS + ACCURACY_KEYS)}: return them from the training step."
        )
    return np.asarray(history[key], dtype="float64")


def _mean(values: np.ndarray) -> float:
    finite = values[np.isfinite(values)]
    return float(finite.mean()) if finite.size else math.nan


def _last_step(history: Mapping[str, Any], default: int | None = None) -> int | None:
    return int(history["step"][-1]) if history.get("step") else default


def detect_convergence_failure(history: Mapping[str, Any], *, min_steps: int = 200) -> Finding | None:
    """Flag a discriminator that wins: accuracy near 100%, its loss collapsing, G's climbing.

    Compares the recent steps (the last 20%, at least 50) with the start (the first 5%, at
    least 5). With ``d_acc_real`` and ``d_acc_fake`` in the history it flags when D is right on
    at least 90% of both *and* its loss fell to half its start or G's rose to 1.5 times its
    start; without accuracies it needs both loss signs. No verdict before ``min_steps`` steps.

    Raises:
        ValueError: when ``d_loss`` or ``g_loss`` is missing.

    Example:
        >>> steps = np.arange(1000)
        >>> d_wins = {"d_loss": 1.4 * np.exp(-steps / 150), "g_loss": 0.7 + steps / 300,
        ...           "d_acc_real": np.minimum(1, 0.5 + steps / 200), "d_acc_fake": np.minimum(1, 0.5 + steps / 200)}
        >>> detect_convergence_failure(d_wins).kind
        'convergence_failure'
    """
    d_loss, g_loss = _values(history, "d_loss"), _values(history, "g_loss")
    count = min(len(d_loss), len(g_loss))
    if count < max(min_steps, 2):
        return None
    recent, start = max(50, int(count * 0.2)), max(5, count // 20)
    d_start, d_now = _mean(d_loss[:start]), _mean(d_loss[-recent:])
    g_start, g_now = _mean(g_loss[:start]), _mean(g_loss[-recent:])
    d_collapsing, g_climbing = d_now <= 0.5 * d_start, g_now >= 1.5 * g_start and g_now > g_start
    numbers = {"d_loss_start": d_start, "d_loss_now": d_now, "g_loss_start": g_start, "g_loss_now": g_now}
    words = ""
    if all(key in history and len(history[key]) >= recent for key in ACCURACY_KEYS):
        real_now, fake_now = (_mean(_values(history, key)[-recent:]) for key in ACCURACY_KEYS)
        numbers.update(d_acc_real_now=real_now, d_acc_fake_now=fake_now)
        failing = real_now >= 0.9 and fake_now >= 0.9 and (d_collapsing or g_climbing)
        words = (f"Over the last {recent} steps D was right on {real_now:.0%} of real and {fake_now:.0%} of "
                 "generated samples (healthy: about 80% on both). ")
    else:
        failing = d_collapsing and g_climbing
    if not failing:
        return None
    details = (
        f"{words}D's loss went from {d_start:.3g} at the start to {d_now:.3g}, G's loss from {g_start:.3g} to "
        f"{g_now:.3g}. The discriminator tells real from fake almost perfectly, so the generator gets almost no "
        "useful gradient and stops improving."
    )
    return Finding(CONVERGENCE_FAILURE, "Convergence failure: the discriminator is winning", details,
                   SUGGESTIONS[CONVERGENCE_FAILURE], _last_step(history, count - 1), numbers)


def _as_rows(samples: Any, what: str) -> np.ndarray:
    array = np.asarray(samples, dtype="float64")
    array = array[:, None] if array.ndim == 1 else array
    if array.ndim < 2 or array.shape[0] < 2:
        raise ValueError(f"{what} must be a batch of at least 2 samples, got shape {array.shape}.")
    if not np.all(np.isfinite(array)):
        raise ValueError(f"{what} contain NaN or infinite values.")
    return array.reshape(array.shape[0], -1)[:MAX_DIVERSITY_SAMPLES]


def mean_pairwise_distance(samples: Any) -> float:
    """Return the mean Euclidean distance between all pairs of (at most the first 256) samples.

    Example:
        >>> mean_pairwise_distance([[0, 0], [3, 4]])
        5.0
    """
    rows = _as_rows(samples, "samples")
    squared = np.sum(rows**2, axis=1)
    distances_squared = squared[:, None] + squared[None, :] - 2.0 * rows @ rows.T
    return float(np.mean(np.sqrt(np.maximum(distances_squared[np.triu_indices(len(rows), k=1)], 0.0))))


def diversity_ratio(generated: Any, real: Any) -> float:
    """Return how varied the generated samples are, as a share of the real data's variety.

    Their mean pairwise distance divided by that of the real samples (give features, e.g. a
    judge's, to compare in a feature space): about 1 for a generator that matches the data,
    near 0 for one that makes (almost) the same sample every time.

    Raises:
        ValueError: for fewer than 2 samples, NaN values, different sizes, or identical real samples.

    Example:
        >>> real = np.random.default_rng(0).normal(size=(200, 2))
        >>> round(diversity_ratio(real[:100], real[100:]), 1)
        1.0
    """
    generated_rows, real_rows = _as_rows(generated, "generated samples"), _as_rows(real, "real samples")
    if generated_rows.shape[1] != real_rows.shape[1]:
        raise ValueError(f"Generated and real samples differ in size ({generated_rows.shape[1]} vs "
                         f"{real_rows.shape[1]} numbers each): compare like with like.")
    real_spread = mean_pairwise_distance(real_rows)
    if real_spread <= 0:
        raise ValueError("The real samples are all identical, so there is no variety to compare with.")
    return mean_pairwise_distance(generated_rows) / real_spread


def _collapse(ratio: float, step: int | None) -> Finding:
    details = (
        f"The generated samples are much less varied than the real data: on average they are {ratio:.0%} as "
        f"far apart from each other as real samples are (below {COLLAPSE_THRESHOLD:.0%} is suspicious). "
        "The generator has found a few outputs that fool D and keeps making them, whatever the noise."
    )
    return Finding(MODE_COLLAPSE, "Mode collapse: the generator makes (nearly) the same thing every time", details,
                   SUGGESTIONS[MODE_COLLAPSE], step, {"diversity_ratio": float(ratio), "threshold": COLLAPSE_THRESHOLD})


def detect_mode_collapse(generated: Any, real: Any, *, step: int | None = None) -> Finding | None:
    """Flag generated samples far less varied than real ones: a diversity ratio below :data:`COLLAPSE_THRESHOLD`.

    Example:
        >>> rng = np.random.default_rng(0)
        >>> real = rng.uniform(size=(64, 8, 8))
        >>> detect_mode_collapse(real[:1] + 0.01 * rng.normal(size=(64, 8, 8)), real).kind
        'mode_collapse'
        >>> detect_mode_collapse(real[:32], real[32:]) is None
        True
    """
    ratio = diversity_ratio(generated, real)
    return None if ratio >= COLLAPSE_THRESHOLD else _collapse(ratio, step)


def sample_change(previous: Any, current: Any, real: Any | None = None) -> float:
    """Return how much samples from the same fixed noise changed between two checks.

    The mean absolute change per number, divided by the real data's mean absolute deviation
    (without real data, the current samples'). 0 means the generator did not move.

    Example:
        >>> sample_change([[0.0, 0.0], [1.0, 1.0]], [[0.0, 0.0], [1.0, 1.0]])
        0.0
    """
    before, after = np.asarray(previous, dtype="float64"), np.asarray(current, dtype="float64")
    if before.shape != after.shape:
        raise ValueError(f"Samples changed shape between checks: {before.shape} -> {after.shape}.")
    reference = after if real is None else np.asarray(real, dtype="float64")
    scale = float(np.mean(np.abs(reference - reference.mean(axis=0))))
    return float(np.mean(np.abs(after - before))) / max(scale, 1e-12)


def detect_no_progress(history: Mapping[str, Any], *, quality_threshold: float | None = None,
                       higher_is_better: bool = True) -> Finding | None:
    """Flag training that no longer changes anything. Any one of three signs is enough:

    1. every loss stayed exactly the same for the last 100 steps (no gradient reaches the weights);
    2. the samples from fixed noise changed by less than 1e-4 (see :func:`sample_change`) at
       each of the last 5 checks;
    3. the quality's average over the latest checks (a third of them, at least 5) is no better
       than over as many checks before them, and it has not reached ``quality_threshold``.
       This needs 15 checks: a short run (fast mode) is not long enough to call stuck.

    Example:
        >>> detect_no_progress({"d_loss": [0.69] * 200, "g_loss": [0.69] * 200}).kind
        'no_progress'
        >>> detect_no_progress({"d_loss": np.random.default_rng(0).normal(1.3, 0.05, 200)}) is None
        True
    """
    step = _last_step(history)
    frozen = []
    for key in [key for key in history if "loss" in key]:
        values = np.asarray(history[key][-FROZEN_STEPS:], dtype="float64")
        if len(values) < FROZEN_STEPS or not np.all(np.isfinite(values)):
            break
        if float(values.max() - values.min()) > 1e-6 * (1.0 + abs(float(values.mean()))):
            break
        frozen.append(f"{key} = {float(values.mean()):.3g}")
    else:
        if frozen:
            return Finding(NO_PROGRESS, "No progress: the losses have not changed at all",
                           f"For the last {FROZEN_STEPS} steps every loss stayed the same ({', '.join(frozen)}). "
                           "No gradient reaches the weights, or the optimizers do not apply them.",
                           SUGGESTIONS[NO_PROGRESS], step, {"frozen_steps": float(FROZEN_STEPS)})
    changes = np.asarray(history.get("sample_change", [])[-PATIENCE_CHECKS:], dtype="float64")
    if len(changes) >= PATIENCE_CHECKS and np.all(changes < CHANGE_TOLERANCE):
        return Finding(NO_PROGRESS, "No progress: the generator's samples stopped changing",
                       f"At each of the last {PATIENCE_CHECKS} checks the samples from the same fixed noise changed by "
                       f"less than {CHANGE_TOLERANCE:g} of the data's spread (largest change {float(changes.max()):.3g}). "
                       "The generator's weights are not being updated.",
                       SUGGESTIONS[NO_PROGRESS], step, {"largest_change": float(changes.max())})
    quality = np.asarray(history.get("quality", []), dtype="float64")
    if len(quality) < 3 * PATIENCE_CHECKS or not np.all(np.isfinite(quality)):
        return None
    # The averages of the latest checks and of as many before them: quality measures are noisy.
    window = max(PATIENCE_CHECKS, len(quality) // 3)
    half, sign = len(quality) - window, 1.0 if higher_is_better else -1.0
    mean_before, mean_since = float(quality[half - window : half].mean()), float(quality[half:].mean())
    best_since = float(np.max(sign * quality[half:])) * sign
    reached = quality_threshold is not None and sign * best_since >= sign * quality_threshold
    if reached or sign * (mean_since - mean_before) > 0.02 * abs(mean_before):
        return None
    since = (history.get("quality_step") or list(range(len(quality))))[half]
    needs = f", and it needs {'>=' if higher_is_better else '<='} {quality_threshold:.3g}" if quality_threshold is not None else ""
    return Finding(NO_PROGRESS, "No progress: the quality measure stopped improving",
                   f"The quality measure averaged {mean_before:.3g} over {window} checks and {mean_since:.3g} over the "
                   f"{window} checks since step {since} (best since: {best_since:.3g}{needs}). If it stays like this, "
                   "training longer in the same way will not help.",
                   SUGGESTIONS[NO_PROGRESS], step,
                   {"mean_before": mean_before, "mean_since": mean_since, "best_since": best_since})


def detect_non_finite(values: Mapping[str, Any], *, step: int | None = None) -> Finding | None:
    """Flag NaN or infinite values among one step's losses and metrics.

    Example:
        >>> detect_non_finite({"d_loss": float("nan"), "g_loss": 0.7}, step=12).headline
        'Training diverged: d_loss is nan'
        >>> detect_non_finite({"d_loss": 1.3}) is None
        True
    """
    bad = {name: float(value) for name, value in values.items() if not math.isfinite(float(value))}
    if not bad:
        return None
    return Finding(
        NON_FINITE, "Training diverged: " + ", ".join(f"{name} is {number}" for name, number in bad.items()),
        "A loss became NaN or infinite, so every weight it touches is now garbage and training cannot continue. "
        "Usual causes: a learning rate that is too high, log(0) in a loss, or NaN in the data.",
        SUGGESTIONS[NON_FINITE], step, bad,
    )


def new_findings(history: Mapping[str, Any], *, step: int, reported: Collection[str] = (),
                 quality_threshold: float | None = None, higher_is_better: bool = True) -> list[Finding]:
    """Run the detectors on a training history; return the problems of kinds not in ``reported``.

    Mode collapse needs the per-check ``diversity`` below :data:`COLLAPSE_THRESHOLD` at two
    checks in a row; a quality that reached ``quality_threshold`` is not "stuck". The training
    monitor calls it at each check, after a warm-up (a fresh GAN looks collapsed, D often leads).

    Example:
        >>> history = {"step": list(range(200)), "d_loss": [0.5] * 200, "g_loss": [0.5] * 200}
        >>> [finding.kind for finding in new_findings(history, step=199)], new_findings(history, step=199, reported=["no_progress"])
        (['no_progress'], [])
    """
    found = []
    if CONVERGENCE_FAILURE not in reported and all(key in history for key in LOSS_KEYS):
        found.append(detect_convergence_failure(history))
    diversity = list(history.get("diversity", []))[-2:]
    if MODE_COLLAPSE not in reported and len(diversity) == 2 and max(diversity) < COLLAPSE_THRESHOLD:
        found.append(_collapse(diversity[-1], step))
    if NO_PROGRESS not in reported:
        found.append(detect_no_progress(history, quality_threshold=quality_threshold, higher_is_better=higher_is_better))
    return [finding for finding in found if finding is not None]
