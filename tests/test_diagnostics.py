"""Tests for course_utils.diagnostics: each detector flags its problem and spares healthy runs."""

from __future__ import annotations

import math

import numpy as np
import pytest

from course_utils import diagnostics
from course_utils.diagnostics import (
    Finding,
    NonFiniteLossError,
    detect_convergence_failure,
    detect_mode_collapse,
    detect_no_progress,
    detect_non_finite,
    diversity_ratio,
    mean_pairwise_distance,
    new_findings,
    sample_change,
)


def vertical_line_images(count: int, rng: np.random.Generator, size: int = 16) -> np.ndarray:
    """Real-looking data: each image has one or two vertical lines at random places."""
    images = np.zeros((count, size, size, 1), dtype="float32")
    for image in images:
        for column in rng.choice(size, size=rng.integers(1, 3), replace=False):
            image[:, column] = 1.0
    return images


def sin_points(count: int, rng: np.random.Generator) -> np.ndarray:
    x = rng.uniform(-3.5, 3.5, size=count)
    return np.stack([x, np.sin(x)], axis=1)


def d_wins_history(steps: int = 1500) -> dict[str, list[float]]:
    """Like the lecture's DCGAN run: D loss 1.39 -> ~0.2, G loss 0.7 -> 3.5, accuracy ~97-100%."""
    rng = np.random.default_rng(1)
    t = np.arange(steps)
    return {
        "step": t.tolist(),
        "d_loss": (0.2 + 1.19 * np.exp(-t / 60) + rng.normal(0, 0.03, steps)).tolist(),
        "g_loss": (0.7 + 2.8 * (1 - np.exp(-t / 300)) + rng.normal(0, 0.1, steps)).tolist(),
        "d_acc_real": np.clip(0.97 + rng.normal(0, 0.02, steps) - 0.5 * np.exp(-t / 30), 0, 1).tolist(),
        "d_acc_fake": np.clip(0.99 + rng.normal(0, 0.02, steps) - 0.5 * np.exp(-t / 30), 0, 1).tolist(),
    }


def healthy_history(steps: int = 1500) -> dict[str, list[float]]:
    """Like the lecture's road-sign run: losses stable around 1.35 / 0.72, accuracy 50-80%."""
    rng = np.random.default_rng(2)
    return {
        "step": list(range(steps)),
        "d_loss": (1.35 + rng.normal(0, 0.05, steps)).tolist(),
        "g_loss": (0.72 + rng.normal(0, 0.04, steps)).tolist(),
        "d_acc_real": np.clip(0.6 + rng.normal(0, 0.1, steps), 0, 1).tolist(),
        "d_acc_fake": np.clip(0.65 + rng.normal(0, 0.1, steps), 0, 1).tolist(),
    }


# ---------------------------------------------------------------------------------------------
# Mode collapse
# ---------------------------------------------------------------------------------------------


def test_collapse_detector_flags_one_image_plus_tiny_noise():
    rng = np.random.default_rng(0)
    real = vertical_line_images(64, rng)
    collapsed = real[:1] + 0.01 * rng.normal(size=(64, 16, 16, 1))
    finding = detect_mode_collapse(collapsed, real, step=500)
    assert finding is not None and finding.kind == "mode_collapse"
    assert finding.numbers["diversity_ratio"] < 0.1
    assert finding.step == 500
    assert "%" in finding.details and "What to try" in finding.message()


def test_collapse_detector_does_not_flag_real_data():
    rng = np.random.default_rng(0)
    real = vertical_line_images(128, rng)
    assert detect_mode_collapse(real[:64], real[64:]) is None
    assert diversity_ratio(real[:64], real[64:]) == pytest.approx(1.0, abs=0.15)


def test_collapse_detector_on_points_and_in_feature_space():
    rng = np.random.default_rng(3)
    real = sin_points(400, rng)
    one_mode = np.array([[1.5, 1.0]]) + 0.02 * rng.normal(size=(200, 2))
    assert detect_mode_collapse(one_mode, real) is not None
    assert detect_mode_collapse(sin_points(200, rng), real) is None
    # Compared on features (here: the x coordinate only), points spread along x are diverse.
    spread_in_x = np.stack([rng.uniform(-3.5, 3.5, 200), np.zeros(200)], axis=1)
    assert detect_mode_collapse(spread_in_x[:, :1], real[:, :1]) is None
    assert detect_mode_collapse(one_mode[:, :1], real[:, :1]) is not None


def test_mean_pairwise_distance_and_sample_change_by_hand():
    assert mean_pairwise_distance([[0, 0], [3, 4], [0, 0]]) == pytest.approx((5 + 0 + 5) / 3)
    before = np.array([[0.0, 0.0], [2.0, 2.0]])
    # Real spread: mean |x - mean| = 1; the samples moved by 0.5 on average.
    assert sample_change(before, before + 0.5, real=np.array([[0.0, 0.0], [2.0, 2.0]])) == pytest.approx(0.5)


@pytest.mark.parametrize(
    "generated, real, message",
    [
        (np.zeros((1, 4)), np.random.default_rng(0).normal(size=(10, 4)), "at least 2 samples"),
        (np.zeros((5, 3)), np.random.default_rng(0).normal(size=(10, 4)), "differ in size"),
        (np.zeros((5, 4)), np.ones((10, 4)), "all identical"),
        (np.full((5, 4), np.nan), np.random.default_rng(0).normal(size=(10, 4)), "NaN"),
    ],
)
def test_diversity_bad_input(generated, real, message):
    with pytest.raises(ValueError, match=message):
        diversity_ratio(generated, real)


# ---------------------------------------------------------------------------------------------
# Convergence failure
# ---------------------------------------------------------------------------------------------


def test_convergence_failure_flags_a_history_where_d_wins():
    finding = detect_convergence_failure(d_wins_history())
    assert finding is not None and finding.kind == "convergence_failure"
    numbers = finding.numbers
    assert numbers["d_acc_real_now"] > 0.9 and numbers["d_acc_fake_now"] > 0.9
    assert numbers["d_loss_now"] < 0.5 * numbers["d_loss_start"]
    assert numbers["g_loss_now"] > 1.5 * numbers["g_loss_start"]
    # Plain words with the numbers it saw, and the GAN hacks to try.
    assert f"{numbers['d_loss_now']:.3g}" in finding.details
    text = finding.message()
    assert "soft labels" in text.lower() and "dropout" in text.lower() and "learning rate" in text


def test_convergence_failure_spares_a_healthy_history():
    assert detect_convergence_failure(healthy_history()) is None


def test_convergence_failure_needs_accuracy_or_both_loss_signs():
    history = d_wins_history()
    losses_only = {key: history[key] for key in ("d_loss", "g_loss")}
    assert detect_convergence_failure(losses_only) is not None
    # D's loss falls but G's does not climb, and no accuracies: not enough evidence.
    losses_only["g_loss"] = healthy_history()["g_loss"]
    assert detect_convergence_failure(losses_only) is None
    # D wins on accuracy, but the losses are healthy: not a convergence failure either.
    mixed = healthy_history()
    mixed["d_acc_real"], mixed["d_acc_fake"] = history["d_acc_real"], history["d_acc_fake"]
    assert detect_convergence_failure(mixed) is None


def test_convergence_failure_waits_for_enough_steps():
    short = {key: values[:100] for key, values in d_wins_history().items()}
    assert detect_convergence_failure(short) is None
    assert detect_convergence_failure(short, min_steps=50) is not None


def test_convergence_failure_missing_keys_is_a_clear_error():
    with pytest.raises(ValueError, match="no 'g_loss' values.*d_loss"):
        detect_convergence_failure({"d_loss": [1.0] * 300})
    with pytest.raises(ValueError, match="dict of lists"):
        detect_convergence_failure([1.0, 2.0])


# ---------------------------------------------------------------------------------------------
# No progress
# ---------------------------------------------------------------------------------------------


def test_no_progress_when_losses_are_frozen():
    finding = detect_no_progress({"step": list(range(300)), "d_loss": [1.386] * 300, "g_loss": [0.693] * 300})
    assert finding is not None and "have not changed" in finding.headline
    assert "d_loss = 1.39" in finding.details


def test_no_progress_spares_noisy_losses_and_short_runs():
    assert detect_no_progress(healthy_history()) is None
    assert detect_no_progress({"d_loss": [1.386] * 50, "g_loss": [0.693] * 50}) is None


def test_no_progress_when_samples_stop_changing():
    history = healthy_history()
    history["sample_change"] = [0.3, 0.2, 0.1] + [1e-6] * 5
    finding = detect_no_progress(history)
    assert finding is not None and "stopped changing" in finding.headline
    history["sample_change"] = [0.3, 0.2, 0.1] + [1e-6] * 4 + [0.05]
    assert detect_no_progress(history) is None


def test_no_progress_when_quality_stalls_but_not_when_it_improves():
    stalled = healthy_history()
    stalled["quality"] = [0.9, 0.7, 0.6, 0.5, 0.45, 0.4, 0.41, 0.42, 0.40, 0.43, 0.41, 0.42, 0.40, 0.44, 0.42, 0.41]
    stalled["quality_step"] = [100 * (i + 1) for i in range(16)]
    finding = detect_no_progress(stalled, quality_threshold=0.1, higher_is_better=False)
    assert finding is not None and "stopped improving" in finding.headline
    assert finding.numbers["mean_since"] == pytest.approx(np.mean(stalled["quality"][11:]))
    assert finding.numbers["mean_before"] == pytest.approx(np.mean(stalled["quality"][6:11]))
    assert f"{np.mean(stalled['quality'][11:]):.3g}" in finding.details
    # Too few checks to call it stuck (a fast-mode run).
    short = dict(stalled, quality=stalled["quality"][:14], quality_step=stalled["quality_step"][:14])
    assert detect_no_progress(short, quality_threshold=0.1, higher_is_better=False) is None
    # Noisy but improving on average (a lucky early value does not count as the level).
    noisy = dict(stalled, quality=[0.8, 0.42, 0.7, 0.75, 0.6, 0.65, 0.62, 0.55, 0.6, 0.58, 0.5, 0.45, 0.55, 0.5, 0.48, 0.52])
    assert detect_no_progress(noisy, quality_threshold=0.1, higher_is_better=False) is None
    improving = dict(stalled, quality=list(np.linspace(0.9, 0.2, 16)))
    assert detect_no_progress(improving, quality_threshold=0.1, higher_is_better=False) is None
    # Already good enough: a flat quality is not a problem.
    assert detect_no_progress(stalled, quality_threshold=0.45, higher_is_better=False) is None


# ---------------------------------------------------------------------------------------------
# NaN / inf
# ---------------------------------------------------------------------------------------------


def test_non_finite_losses_are_flagged_with_what_to_try():
    finding = detect_non_finite({"d_loss": math.nan, "g_loss": 0.7, "d_acc_real": math.inf}, step=42)
    assert finding is not None and finding.step == 42
    assert "d_loss is nan" in finding.headline and "d_acc_real is inf" in finding.headline
    assert "g_loss" not in finding.headline
    assert "learning rate" in finding.message() and "clipnorm" in finding.message()
    error = NonFiniteLossError(finding)
    assert isinstance(error, FloatingPointError) and "d_loss is nan" in str(error)
    assert detect_non_finite({"d_loss": 1.2, "g_loss": np.float32(0.7)}) is None


# ---------------------------------------------------------------------------------------------
# Watching a run: once each
# ---------------------------------------------------------------------------------------------


def test_new_findings_leave_out_the_kinds_already_reported():
    history = d_wins_history()
    assert [finding.kind for finding in new_findings(history, step=1499)] == ["convergence_failure"]
    assert new_findings(history, step=1499, reported={"convergence_failure"}) == []


def test_new_findings_need_two_collapsed_checks_in_a_row():
    history = healthy_history()
    history["diversity"] = [0.8, 0.1]
    assert new_findings(history, step=1499) == []
    history["diversity"] = [0.8, 0.1, 0.9, 0.05]
    assert new_findings(history, step=1499) == []
    history["diversity"] = [0.8, 0.1, 0.9, 0.05, 0.04]
    findings = new_findings(history, step=1499)
    assert [finding.kind for finding in findings] == ["mode_collapse"]
    assert findings[0].numbers["diversity_ratio"] == pytest.approx(0.04)


def test_finding_message_layout():
    finding = Finding("no_progress", "No progress", "Nothing moved.", ("First.", "Second."), step=7)
    assert str(finding).splitlines() == ["⚠️ No progress (step 7)", "Nothing moved.", "What to try:", "  - First.", "  - Second."]


def test_every_kind_has_suggestions():
    for kind in ("convergence_failure", "mode_collapse", "no_progress", "non_finite"):
        assert len(diagnostics.SUGGESTIONS[kind]) >= 3
