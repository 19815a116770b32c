"""Tests of the road-sign renderer: array format, class selection and balance, determinism,
the clean templates' shapes and colours, the GTSRB-like framing, and that the four classes
are told apart by a simple classifier."""

from __future__ import annotations

import numpy as np
import pytest

from course_utils.data import GTSRB_CLASS_IDS, SIGN_CLASSES, road_signs, signs_from_templates
from course_utils.data.sign_renderer import _sign_poses, _warp_signs, sign_class_indices
from course_utils.data.sign_templates import ALL_SIGNS, SIGN_BLACK, SIGN_RED, SIGN_WHITE, sign_template


@pytest.mark.parametrize("size", [32, 64])
def test_road_signs_are_float_images_in_the_unit_range(size):
    images, labels = road_signs(40, size=size, seed=0)
    assert images.shape == (40, size, size, 3)
    assert images.dtype == np.float32
    assert float(images.min()) >= 0.0 and float(images.max()) <= 1.0
    assert labels.shape == (40,) and labels.dtype == np.int64
    assert images.std() > 0.1  # not blank


def test_classes_are_balanced_and_in_random_order():
    _, labels = road_signs(10, seed=1)
    assert sorted(np.bincount(labels, minlength=4).tolist()) == [2, 2, 3, 3]
    _, labels = road_signs(400, seed=1)
    assert np.bincount(labels).tolist() == [100, 100, 100, 100]
    assert not np.array_equal(labels, np.sort(labels))


def test_classes_by_name_or_index_give_the_global_labels():
    assert SIGN_CLASSES == ("speed_limit_30", "speed_limit_100", "stop", "no_trucks")
    _, labels = road_signs(6, classes=["speed_limit_30"], seed=0)
    assert set(labels.tolist()) == {0}
    _, labels = road_signs(8, classes=["stop", 3], seed=0)
    assert np.bincount(labels, minlength=4).tolist() == [0, 0, 4, 4]
    assert sign_class_indices("no_trucks") == (3,)
    assert sign_class_indices(["stop", "stop", 0]) == (2, 0)


@pytest.mark.parametrize("bad", [["speed_limit_55"], [len(ALL_SIGNS)], [-1], [], "stopp", [True]])
def test_unknown_classes_are_refused(bad):
    with pytest.raises(ValueError, match="class|empty"):
        road_signs(4, classes=bad)


def test_bad_sizes_are_refused():
    with pytest.raises(ValueError, match="size"):
        road_signs(4, size=8)
    with pytest.raises(ValueError, match="256"):
        road_signs(4, size=512)


def test_rendering_is_deterministic_under_a_seed():
    first = road_signs(12, size=32, seed=7)
    second = road_signs(12, size=32, seed=7)
    other = road_signs(12, size=32, seed=8)
    assert np.array_equal(first[0], second[0]) and np.array_equal(first[1], second[1])
    assert not np.array_equal(first[0], other[0])


def test_gtsrb_ids_match_the_course_classes():
    assert GTSRB_CLASS_IDS == {"speed_limit_30": 1, "speed_limit_100": 7, "stop": 14,
                               "no_trucks": 16}


def _pixel(template, x: float, y: float) -> tuple[int, int, int, int]:
    side = template.size[0]
    return template.getpixel((round(x * (side - 1)), round(y * (side - 1))))


@pytest.mark.parametrize("sign", ["speed_limit_30", "speed_limit_100", "no_trucks"])
def test_round_templates_are_a_red_ring_around_a_white_disc(sign):
    template = sign_template(sign, 200)
    assert template.mode == "RGBA"
    assert _pixel(template, 0.0, 0.0)[3] == 0  # transparent corner
    assert _pixel(template, 0.5, 0.07)[:3] == pytest.approx(SIGN_RED, abs=8)  # ring, top
    assert _pixel(template, 0.07, 0.5)[:3] == pytest.approx(SIGN_RED, abs=8)  # ring, left
    assert _pixel(template, 0.5, 0.17)[:3] == pytest.approx(SIGN_WHITE, abs=8)  # disc, top
    pixels = np.asarray(template)[60:140, 50:150, :3].reshape(-1, 3).astype(int)
    dark = (np.abs(pixels - SIGN_BLACK).max(axis=1) < 30).mean()
    assert 0.1 < dark < 0.7  # black digits or lorry in the middle


def test_stop_template_is_a_red_octagon_with_white_letters():
    template = sign_template("stop", 200)
    alpha = np.asarray(template)[..., 3]
    assert alpha[:, :4].max() < 5 and alpha[:4, :].max() < 5  # a transparent margin
    assert alpha[100, 8] > 250 and alpha[8, 100] > 250  # flat sides reach near the edge
    assert alpha[14, 14] == 0 and alpha[185, 185] == 0  # cut corners
    pixels = np.asarray(template)[75:125, 30:170, :3].reshape(-1, 3).astype(int)
    white = (np.abs(pixels - SIGN_WHITE).max(axis=1) < 30).mean()
    red = (np.abs(pixels - SIGN_RED).max(axis=1) < 30).mean()
    assert white > 0.25 and red > 0.25
    assert _pixel(template, 0.5, 0.12)[:3] == pytest.approx(SIGN_RED, abs=8)


def test_signs_leave_a_border_like_gtsrb_crops():
    rng = np.random.default_rng(0)
    names = [SIGN_CLASSES[index % 4] for index in range(200)]
    poses = _sign_poses(200, 64, rng)
    alpha = _warp_signs(names, 64, poses["target_corners"])[:, 3]
    inside = alpha > 0.5
    widths = inside.any(axis=1).sum(axis=1) / 64
    heights = inside.any(axis=2).sum(axis=1) / 64
    assert 0.55 < widths.min() and widths.max() < 0.97
    assert 0.7 < heights.mean() < 0.9
    border = (1 - (widths + heights) / 2) / 2  # share of the side left on each side
    assert 0.06 < border.mean() < 0.16
    assert (alpha[:, 0, :].max(axis=1) < 0.5).mean() > 0.9  # top row is background


def test_a_simple_classifier_tells_the_four_signs_apart():
    """A linear (ridge) classifier on 16x16 normalised pixels: each class must be recognisable
    from held-out renders, so the classes differ in what they show, not just by chance."""

    def features(images: np.ndarray) -> np.ndarray:
        small = images.reshape(len(images), 16, 2, 16, 2, 3).mean(axis=(2, 4))
        flat = small.reshape(len(images), -1)
        flat = flat - flat.mean(axis=1, keepdims=True)
        flat = flat / (flat.std(axis=1, keepdims=True) + 1e-6)
        return np.hstack([flat, np.ones((len(flat), 1))])

    train_images, train_labels = road_signs(600, size=32, seed=0)
    test_images, test_labels = road_signs(200, size=32, seed=1)
    inputs = features(train_images)
    weights = np.linalg.solve(inputs.T @ inputs + 10.0 * np.eye(inputs.shape[1]),
                              inputs.T @ np.eye(4)[train_labels])
    predictions = (features(test_images) @ weights).argmax(axis=1)
    for label in range(4):  # every class, not just on average
        assert (predictions[test_labels == label] == label).mean() > 0.85


def test_the_judges_extra_speed_limits_continue_the_numbering():
    images, labels = road_signs(6, classes=["speed_limit_80", "speed_limit_30"], seed=0)
    assert images.shape == (6, 32, 32, 3) and set(labels) == {0, ALL_SIGNS.index("speed_limit_80")}


def test_signs_from_templates_draws_any_number_a_smudge_or_nothing_in_the_ring():
    names = ["ring:38", "smudged:speed_limit_30", "ring:", "speed_limit_30"]
    images = signs_from_templates(names, size=32, seed=3)
    assert images.shape == (4, 32, 32, 3) and images.dtype == np.float32
    assert np.array_equal(images, signs_from_templates(names, size=32, seed=3))
    # In the same pose, the templates differ only inside the ring: the number is what changes.
    templates = [np.asarray(sign_template(name, 48), dtype=np.float32) for name in names]
    assert all(np.abs(templates[0] - other).mean() > 1.0 for other in templates[1:])


@pytest.mark.parametrize("bad", ["ring:12345", "smudged:stop", "smudged:speed_limit_55", "cat", ""])
def test_unknown_templates_are_refused(bad):
    with pytest.raises(ValueError, match="Unknown sign"):
        signs_from_templates([bad])
    with pytest.raises(ValueError, match="empty"):
        signs_from_templates([])
