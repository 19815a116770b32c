"""Point measures: the sin curve (01), Slanted Land (02) and the 2-D mixtures (08)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from course_utils.data import (
    grid_of_gaussians,
    ring_modes,
    ring_of_gaussians,
    sin_curve,
    slanted_land_faces,
    slanted_land_noise,
)
from course_utils.build import calibration
from course_utils.checks import InputError
from course_utils.metrics.mixtures import grid_coverage, mode_coverage, ring_coverage
from course_utils.metrics.sin_curve import (
    histogram_js_divergence,
    sin_curve_error,
    sin_curve_report,
    x_coverage,
)
from course_utils.metrics.slanted_land import face_share, hand_discriminator
from course_utils.build.calibration import check_calibration, thresholds_for
from course_utils.build.threshold_evidence import EVIDENCE
from course_utils.metrics.thresholds import THRESHOLDS

# ------------------------------------------------------------------------------------ sin curve


def test_points_on_the_curve_have_zero_error_and_a_known_offset_is_measured():
    x = np.linspace(-3.5, 3.5, 501)
    assert sin_curve_error(np.stack([x, np.sin(x)], 1)) == pytest.approx(0.0, abs=1e-12)
    assert sin_curve_error(np.stack([x, np.sin(x) - 0.3], 1)) == pytest.approx(0.3)


def test_x_coverage_known_answers():
    even = np.linspace(-3.5, 3.5, 4001)
    coverage = x_coverage(np.stack([even, np.sin(even)], 1))
    assert coverage.wasserstein == pytest.approx(0.0, abs=1e-3)
    assert coverage.ks_statistic < 1e-3
    assert coverage.share_covered == 1.0
    # All points at x = 0: W1 to U[-3.5, 3.5] is E|U| = 1.75, KS is 0.5, one bin of 14 covered.
    stuck = x_coverage(np.zeros((1000, 2)))
    assert stuck.wasserstein == pytest.approx(1.75, abs=1e-3)
    assert stuck.ks_statistic == pytest.approx(0.5, abs=1e-3)
    assert stuck.share_covered == pytest.approx(1 / 14)


def test_histogram_js_is_zero_for_the_same_points_and_one_for_disjoint_points():
    points = sin_curve(1000, seed=1)
    assert histogram_js_divergence(points, points) == 0.0
    shifted_far = points + np.array([0.0, 100.0])  # all in the "outside" cell
    assert histogram_js_divergence(points, shifted_far) == pytest.approx(1.0)
    # Two real samples differ only by sampling noise.
    assert histogram_js_divergence(points, sin_curve(1000, seed=2)) < 0.05


def test_sin_curve_report_on_real_points_draws_its_own_reference():
    report = sin_curve_report(sin_curve(1000, seed=5))
    assert report.mean_abs_error < 1e-6
    assert report.x_share_covered == 1.0
    assert report.histogram_js_bits < 0.05
    assert report.as_dict()["samples"] == 1000


@pytest.mark.parametrize(
    "bad, message",
    [
        (np.zeros((10, 3)), r"shape \(n, 2\)"),
        (np.zeros(10), r"shape \(n, 2\)"),
        (np.array([[0.0, np.nan]]), "NaN"),
        ([["a", "b"]], "array of numbers"),
    ],
)
def test_sin_curve_bad_input(bad, message):
    with pytest.raises(InputError, match=message):
        sin_curve_error(bad)


def test_x_coverage_needs_two_points():
    with pytest.raises(InputError, match="at least 2"):
        x_coverage(np.zeros((1, 2)))


def test_sin_curve_thresholds_separate_good_from_bad_point_clouds():
    checked, problems = check_calibration(calibration.calibrate_sin_curve(), "sin_curve")
    assert problems == [] and checked == len(thresholds_for("01"))


# --------------------------------------------------------------------------------- Slanted Land


def test_hand_discriminator_calls_every_face_a_face():
    faces = slanted_land_faces(500, seed=0)
    assert face_share(faces) == 1.0
    assert hand_discriminator(np.array([[[1.0, 0.0], [0.0, 1.0]]]))[0] == pytest.approx(1 / (1 + math.exp(-2)))
    assert face_share(slanted_land_noise(500, seed=0)) < 0.6


def test_face_share_with_functions_and_keras_models():
    keras = pytest.importorskip("keras")
    faces = slanted_land_faces(20, seed=1)
    assert face_share(faces, lambda x: np.zeros(len(x))) == 0.0
    inputs = keras.Input((4,))
    model = keras.Model(inputs, keras.layers.Dense(1, activation="sigmoid", kernel_initializer="ones",
                                                   bias_initializer=keras.initializers.Constant(100.0))(inputs))
    assert face_share(faces, model) == 1.0


def test_face_share_bad_input():
    with pytest.raises(InputError, match="2x2 images"):
        face_share(np.zeros((3, 3, 3)))
    with pytest.raises(InputError, match=r"\[0, 1\]"):
        face_share(np.full((3, 2, 2), 2.0))
    with pytest.raises(InputError, match="end it with a sigmoid"):
        face_share(np.zeros((3, 2, 2)), lambda x: np.full(len(x), 3.0))
    with pytest.raises(InputError, match="one face probability per image"):
        face_share(np.zeros((3, 2, 2)), lambda x: np.zeros(7))


def test_slanted_land_thresholds_separate_faces_from_non_faces():
    checked, problems = check_calibration(calibration.calibrate_slanted_land(), "slanted_land")
    assert problems == [] and checked == len(thresholds_for("02"))


# ------------------------------------------------------------------------------ 2-D mixtures


def test_real_ring_and_grid_cover_every_mode():
    ring = ring_coverage(ring_of_gaussians(2500, seed=0))
    assert ring.modes_covered == 8 and ring.high_quality_share > 0.95
    assert ring.reverse_kl_to_uniform < 0.01
    grid = grid_coverage(grid_of_gaussians(2500, seed=0))
    assert grid.modes_covered == 25 and grid.high_quality_share > 0.95


def test_a_collapsed_set_covers_one_mode():
    modes = ring_modes()
    collapsed = np.repeat(modes[3:4], 2500, axis=0)
    result = ring_coverage(collapsed)
    assert result.modes_covered == 1
    assert result.samples_per_mode[3] == 2500
    assert result.reverse_kl_to_uniform == pytest.approx(math.log(8))


def test_far_away_samples_are_not_high_quality():
    result = ring_coverage(np.full((100, 2), 10.0))
    assert result.modes_covered == 0
    assert result.high_quality_share == 0.0
    assert result.reverse_kl_to_uniform == math.inf


def test_high_quality_radius_is_three_std():
    modes = np.array([[0.0, 0.0]])
    inside, outside = np.array([[0.0599, 0.0]]), np.array([[0.0601, 0.0]])
    assert mode_coverage(inside, modes, std=0.02).high_quality_share == 1.0
    assert mode_coverage(outside, modes, std=0.02).high_quality_share == 0.0


def test_mode_coverage_bad_input():
    with pytest.raises(InputError, match="std must be a positive"):
        mode_coverage(np.zeros((5, 2)), ring_modes(), std=0.0)
    with pytest.raises(InputError, match=r"shape \(n, 2\)"):
        mode_coverage(np.zeros((5, 3)), ring_modes(), std=0.02)


@pytest.mark.parametrize("kind", ["ring", "grid"])
def test_mixture_thresholds_separate_good_from_bad_generators(kind):
    checked, problems = check_calibration(calibration.calibrate_mixture(kind), kind)
    assert problems == [] and checked == 2


def test_every_threshold_names_its_calibration():
    assert set(EVIDENCE) == set(THRESHOLDS) and all(evidence.key == key for key, evidence in EVIDENCE.items())
    for key, threshold in THRESHOLDS.items():
        assert threshold.key == key
        assert EVIDENCE[key].good_cases and EVIDENCE[key].bad_cases, key
        assert threshold.samples > 0
