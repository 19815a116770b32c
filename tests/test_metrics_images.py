"""Image measures that need no judge: FID/KID maths, the vertical-lines detector, translation."""

from __future__ import annotations

import numpy as np
import pytest

from course_utils.data import circles_to_rectangles, vertical_lines
from course_utils.build import calibration
from course_utils.checks import InputError, as_images
from course_utils.metrics.image_distances import frechet_distance, kernel_distance
from course_utils.metrics.lines import is_vertical_lines, vertical_lines_report, vertical_lines_share
from course_utils.build.calibration import check_calibration
from course_utils.metrics.translation import colour_mask, cycle_l1, mask_iou, paired_l1

# ------------------------------------------------------------------------------- FID and KID


def test_fid_of_gaussians_matches_the_closed_form():
    """FID(N(0, I), N(m, diag(s^2))) = |m|^2 + sum (1 - s)^2, up to sampling error."""
    rng = np.random.default_rng(0)
    dims, n = 4, 20_000
    shift, scale = np.array([1.0, 0.0, -0.5, 0.0]), np.array([1.0, 2.0, 1.0, 0.5])
    a = rng.normal(size=(n, dims))
    b = rng.normal(size=(n, dims)) * scale + shift
    expected = float(shift @ shift + np.sum((1.0 - scale) ** 2))
    assert frechet_distance(a, b) == pytest.approx(expected, rel=0.03)
    assert frechet_distance(a, a) == pytest.approx(0.0, abs=1e-8)


def test_fid_is_symmetric_and_grows_with_the_gap():
    rng = np.random.default_rng(1)
    a, b = rng.normal(size=(500, 8)), rng.normal(size=(500, 8))
    assert frechet_distance(a, b) == pytest.approx(frechet_distance(b, a), rel=1e-6)
    assert frechet_distance(a, b) < frechet_distance(a, b + 0.5) < frechet_distance(a, b + 1.0)


def test_kid_is_unbiased_around_zero_for_the_same_distribution():
    rng = np.random.default_rng(2)
    values = [kernel_distance(rng.normal(size=(50, 6)), rng.normal(size=(50, 6))) for _ in range(200)]
    spread = np.std(values) / np.sqrt(len(values))
    assert abs(np.mean(values)) < 3 * spread  # no bias, even at N = 50
    assert min(values) < 0 < max(values)
    assert kernel_distance(rng.normal(size=(50, 6)), rng.normal(size=(50, 6)) + 1.0) > 10 * np.std(values)


def test_kid_kernel_by_hand():
    """Two sets of two 1-D points: unbiased MMD^2 with k(x, y) = (x y + 1)^3."""
    x, y = np.array([[0.0], [1.0]]), np.array([[2.0], [3.0]])
    k = lambda a, b: (a * b + 1.0) ** 3  # noqa: E731
    expected = k(0, 1) + k(2, 3) - 2 * np.mean([k(a, b) for a in (0, 1) for b in (2, 3)])
    assert kernel_distance(x, y) == pytest.approx(expected)


def test_fid_and_kid_refuse_too_few_samples_or_mismatched_features():
    rng = np.random.default_rng(3)
    with pytest.raises(InputError, match="more samples than features"):
        frechet_distance(rng.normal(size=(64, 64)), rng.normal(size=(500, 64)))
    with pytest.raises(InputError, match="at least 2 samples"):
        kernel_distance(rng.normal(size=(1, 4)), rng.normal(size=(10, 4)))
    with pytest.raises(InputError, match="same number of features"):
        frechet_distance(rng.normal(size=(100, 4)), rng.normal(size=(100, 5)))
    with pytest.raises(InputError, match="2-D array"):
        kernel_distance(rng.normal(size=(100,)), rng.normal(size=(100, 5)))


# ------------------------------------------------------------------------------ image checks


@pytest.mark.parametrize(
    "images, message",
    [
        (np.zeros((4, 8, 8)), "channel axis"),
        (np.zeros((4, 8, 8, 2)), "1 or 3 channels"),
        (np.full((4, 8, 8, 1), -0.5), r"tanh outputs in \[-1, 1\]: pass \(images \+ 1\) / 2"),
        (np.full((4, 8, 8, 1), 200.0), "0-255 pixels: pass images / 255"),
        (np.full((4, 8, 8, 1), np.nan), "NaN"),
        (np.zeros((0, 8, 8, 1)), "at least 1"),
    ],
)
def test_images_in_the_wrong_shape_or_range_are_refused(images, message):
    with pytest.raises(InputError, match=message):
        as_images(images, "images")


# ----------------------------------------------------------------- vertical-lines detector


def test_detector_accepts_real_vertical_lines_and_rejects_their_transforms():
    images = vertical_lines(300, seed=0)
    assert is_vertical_lines(images).all()
    assert not is_vertical_lines(images.transpose(0, 2, 1, 3)).any()  # horizontal
    assert vertical_lines_share(np.random.default_rng(0).uniform(size=images.shape)) == 0.0
    assert vertical_lines_share(np.zeros_like(images)) == 0.0  # blank
    assert vertical_lines_share(np.ones_like(images)) == 0.0  # white
    assert vertical_lines_share(calibration.blurred(images, 1.5)) < 0.05


def test_detector_tolerates_soft_edges_and_dimmer_lines():
    image = np.zeros((1, 32, 32, 1), np.float32)
    image[0, :, 10] = 0.8
    image[0, :, 9] = image[0, :, 11] = 0.4  # soft edges beside the line
    assert is_vertical_lines(image)[0]
    image[0, :, 20] = 0.4  # a grey column alone is neither line nor background
    assert not is_vertical_lines(image)[0]


def test_detector_report_sees_collapse():
    images = vertical_lines(200, seed=1)
    assert vertical_lines_report(images).distinct_pattern_share > 0.9
    collapsed = vertical_lines_report(calibration.collapsed(images))
    assert collapsed.share_vertical_lines == 1.0
    assert collapsed.distinct_pattern_share == pytest.approx(1 / 200)


def test_detector_refuses_rgb_images():
    with pytest.raises(InputError, match="1 channel"):
        vertical_lines_share(np.zeros((2, 32, 32, 3)))


# ------------------------------------------------------------------------------ translation


def test_l1_and_iou_known_answers():
    inputs, targets = circles_to_rectangles(50, size=64, seed=0)
    assert paired_l1(targets, targets) == 0.0
    assert mask_iou(targets, targets) == 1.0
    assert mask_iou(inputs, targets) == 0.0  # violet circles have no green
    assert paired_l1(np.zeros((1, 2, 2, 3)), np.full((1, 2, 2, 3), 0.5)) == pytest.approx(0.5)
    half = np.ones((1, 4, 4, 3))
    half[0, :, :2] = calibration_green()
    full = np.ones((1, 4, 4, 3))
    full[0] = calibration_green()
    assert mask_iou(half, full) == pytest.approx(0.5)
    assert mask_iou(np.ones((1, 4, 4, 3)), np.ones((1, 4, 4, 3))) == 1.0  # nothing green in either


def calibration_green() -> np.ndarray:
    from course_utils.data.shapes import GREEN

    return np.array(GREEN)


def test_colour_mask_uses_the_nearest_palette_colour():
    from course_utils.data.shapes import GREEN, VIOLET

    pixels = np.array([[[GREEN, VIOLET, (1.0, 1.0, 1.0), (0.2, 0.6, 0.3)]]])
    assert colour_mask(pixels, "green").tolist() == [[[True, False, False, True]]]
    assert colour_mask(pixels, "violet").tolist() == [[[False, True, False, False]]]
    with pytest.raises(InputError, match="Unknown colour"):
        colour_mask(pixels, "blue")
    with pytest.raises(InputError, match="RGB"):
        colour_mask(np.zeros((1, 2, 2, 1)), "green")


def test_translation_measures_refuse_mismatched_pairs():
    with pytest.raises(InputError, match="same shape"):
        paired_l1(np.zeros((2, 8, 8, 3)), np.zeros((3, 8, 8, 3)))
    with pytest.raises(InputError, match="same shape"):
        cycle_l1(np.zeros((2, 8, 8, 3)), np.zeros((2, 16, 16, 3)))
    with pytest.raises(InputError, match=r"\(images \+ 1\) / 2"):
        mask_iou(np.full((2, 8, 8, 3), -1.0), np.zeros((2, 8, 8, 3)))


def _check_thresholds(table: calibration.CalibrationTable, calibration_name: str) -> int:
    checked, problems = check_calibration(table, calibration_name)
    assert problems == []
    return checked


def test_pix2pix_thresholds_separate_good_from_bad_outputs():
    table = calibration.calibrate_pix2pix()
    assert table.column("L1")["held-out real (targets)"] == 0.0
    assert _check_thresholds(table, "pix2pix") == 2


def test_refiner_threshold_separates_good_from_bad_refinements():
    table = calibration.calibrate_refiner()
    column = table.column("L1")
    assert column["held-out real (targets)"] == 0.0
    assert column["good stand-in: blur 0.7"] < column["bicubic upsampling of the 16x16 (no refiner)"]
    assert _check_thresholds(table, "refiner") == 1
