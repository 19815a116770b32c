"""Tests of the offline data generators in course_utils.data: shapes, ranges, dtypes,
determinism under a seed, class balance, and that each draws what it claims to draw."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import ndimage

from course_utils.data import (
    DATA_VERSION,
    FGAN_MIXTURE,
    SHAPE_CLASSES,
    GaussianMixture1D,
    circles,
    circles_to_rectangles,
    colorization_pairs,
    digits,
    from_tanh_range,
    grid_modes,
    grid_of_gaussians,
    is_face_pattern,
    ring_modes,
    ring_of_gaussians,
    shapes_dataset,
    sin_curve,
    slanted_land_faces,
    slanted_land_noise,
    squares,
    to_grey,
    to_tanh_range,
    vertical_lines,
)
from course_utils.data.shapes import GREEN, VIOLET


def assert_images(images: np.ndarray, shape: tuple[int, ...]) -> None:
    assert images.shape == shape
    assert images.dtype == np.float32
    assert float(images.min()) >= 0.0 and float(images.max()) <= 1.0
    assert np.isfinite(images).all()


def test_data_version_is_a_string():
    assert isinstance(DATA_VERSION, str) and DATA_VERSION


# ---------------------------------------------------------------- points and 1-D mixtures


def test_sin_curve_points_lie_on_the_curve_and_cover_the_range():
    points = sin_curve(2000, seed=1)
    assert points.shape == (2000, 2) and points.dtype == np.float32
    assert np.allclose(points[:, 1], np.sin(points[:, 0]), atol=1e-6)
    assert points[:, 0].min() >= -3.5 and points[:, 0].max() <= 3.5
    assert points[:, 0].min() < -3.4 and points[:, 0].max() > 3.4  # uniform: reaches both ends
    assert abs(float(points[:, 0].mean())) < 0.15


@pytest.mark.parametrize(
    "make", [sin_curve, ring_of_gaussians, grid_of_gaussians, slanted_land_faces, slanted_land_noise]
)
def test_small_generators_are_deterministic_under_a_seed(make):
    assert np.array_equal(make(50, seed=3), make(50, seed=3))
    assert not np.array_equal(make(50, seed=3), make(50, seed=4))


@pytest.mark.parametrize("bad", [0, -1, 2.5, "10", True])
def test_a_bad_count_is_refused_with_a_clear_message(bad):
    with pytest.raises(ValueError, match="positive whole number"):
        sin_curve(bad)


def test_a_bad_seed_is_refused():
    with pytest.raises(ValueError, match="seed"):
        sin_curve(5, seed="one")


def test_ring_modes_are_eight_distinct_points_on_the_unit_circle():
    modes = ring_modes()
    assert modes.shape == (8, 2)
    assert np.allclose(np.linalg.norm(modes, axis=1), 1.0, atol=1e-6)
    distances = np.linalg.norm(modes[:, None] - modes[None], axis=2) + np.eye(8) * 10
    assert distances.min() == pytest.approx(2 * np.sin(np.pi / 8), abs=1e-5)  # evenly spaced


def test_grid_modes_are_the_25_points_of_the_grid():
    modes = grid_modes()
    assert modes.shape == (25, 2)
    expected = {(x, y) for x in (-4, -2, 0, 2, 4) for y in (-4, -2, 0, 2, 4)}
    assert {tuple(point) for point in modes.tolist()} == expected


@pytest.mark.parametrize(
    ("sample", "modes", "std"),
    [(ring_of_gaussians, ring_modes(), 0.02), (grid_of_gaussians, grid_modes(), 0.05)],
)
def test_mixture_samples_sit_on_their_modes_and_use_all_of_them(sample, modes, std):
    points = sample(2500, seed=0)
    assert points.shape == (2500, 2) and points.dtype == np.float32
    distances = np.linalg.norm(points[:, None] - modes[None], axis=2)
    nearest = distances.argmin(axis=1)
    assert distances.min(axis=1).max() < 6 * std
    counts = np.bincount(nearest, minlength=len(modes))
    assert counts.min() > 0.5 * 2500 / len(modes)  # every mode used, roughly equally
    spread = (points - modes[nearest]).std()
    assert spread == pytest.approx(std, rel=0.1)


def test_ring_std_is_configurable():
    points = ring_of_gaussians(2000, std=0.01, seed=0)
    spread = np.linalg.norm(points[:, None] - ring_modes()[None], axis=2).min(axis=1)
    assert float(np.sqrt(np.mean(spread**2) / 2)) == pytest.approx(0.01, rel=0.1)
    with pytest.raises(ValueError, match="std"):
        ring_of_gaussians(10, std=0)


def test_fgan_mixture_has_the_lecture_parameters():
    assert FGAN_MIXTURE.weights.tolist() == pytest.approx([0.33, 0.67])
    assert FGAN_MIXTURE.means.tolist() == [-1.0, 2.0]
    assert FGAN_MIXTURE.stds.tolist() == [0.255, 1.415]


def test_mixture_density_integrates_to_one_and_matches_its_cdf():
    grid = np.linspace(-12, 16, 56001)
    density = FGAN_MIXTURE.pdf(grid)
    step = grid[1] - grid[0]
    assert density.sum() * step == pytest.approx(1.0, abs=1e-6)
    numeric_cdf = np.cumsum(density) * step
    assert np.abs(numeric_cdf - FGAN_MIXTURE.cdf(grid)).max() < 1e-3
    assert np.allclose(FGAN_MIXTURE.log_pdf(grid[::500]), np.log(density[::500]))


def test_mixture_samples_follow_the_density():
    samples = FGAN_MIXTURE.sample(40000, seed=2)
    assert samples.shape == (40000,) and samples.dtype == np.float32
    assert float(samples.mean()) == pytest.approx(FGAN_MIXTURE.mean(), abs=0.03)
    assert float(samples.std()) == pytest.approx(FGAN_MIXTURE.std(), abs=0.03)
    for point in (-1.5, -1.0, 0.0, 2.0, 4.0):  # empirical cdf vs exact cdf
        assert np.mean(samples <= point) == pytest.approx(float(FGAN_MIXTURE.cdf(point)), abs=0.01)


def test_mixture_normalises_weights_and_rejects_bad_parameters():
    mixture = GaussianMixture1D(weights=[2, 6], means=[0, 1], stds=[1, 1])
    assert mixture.weights.tolist() == [0.25, 0.75]
    with pytest.raises(ValueError, match="same"):
        GaussianMixture1D([1], [0, 1], [1, 1])
    with pytest.raises(ValueError, match="stds"):
        GaussianMixture1D([1], [0], [0])
    with pytest.raises(ValueError, match="weights"):
        GaussianMixture1D([-1], [0], [1])


# ---------------------------------------------------------------- Slanted Land and lines


def test_faces_are_dark_on_the_main_diagonal_with_varying_shades():
    faces = slanted_land_faces(500, seed=0)
    assert faces.shape == (500, 2, 2) and faces.dtype == np.float32
    diagonal = np.stack([faces[:, 0, 0], faces[:, 1, 1]], axis=1)
    other = np.stack([faces[:, 0, 1], faces[:, 1, 0]], axis=1)
    assert diagonal.min() >= 0.5 and other.max() <= 0.5
    assert diagonal.std() > 0.1 and other.std() > 0.1  # shades vary, as in the quiz
    hand_discriminator = faces.reshape(500, 4) @ np.array([1, -1, -1, 1])
    assert (hand_discriminator > 0).all()


def test_noise_is_random_shades_never_a_face():
    noise = slanted_land_noise(2000, seed=0)
    assert noise.shape == (2000, 2, 2) and noise.dtype == np.float32
    assert noise.min() >= 0 and noise.max() <= 1
    assert not is_face_pattern(noise).any()
    assert noise.std() > 0.25  # spread over the whole range
    assert is_face_pattern(slanted_land_faces(100, seed=1)).all()


def test_vertical_lines_are_thin_full_height_lines_on_black():
    images = vertical_lines(300, seed=0)
    assert_images(images, (300, 32, 32, 1))
    assert set(np.unique(images).tolist()) == {0.0, 1.0}
    columns = images[..., 0]
    lit = (columns == 1).all(axis=1)
    assert ((columns == 1).any(axis=1) == lit).all()  # a lit column is lit top to bottom
    counts = lit.sum(axis=1)
    assert counts.min() == 2 and counts.max() == 5
    assert not (lit[:, 1:] & lit[:, :-1]).any()  # lines one pixel wide, never touching
    assert lit.mean(axis=0).min() > 0.02  # every column gets lines sometimes
    assert np.array_equal(vertical_lines(20, seed=5), vertical_lines(20, seed=5))
    assert vertical_lines(4, size=16, seed=0).shape == (4, 16, 16, 1)


# ---------------------------------------------------------------- shapes


def _components(image: np.ndarray) -> list[np.ndarray]:
    """Masks of the shapes in an image (pixels clearly not white)."""
    ink = np.abs(image - 1.0).max(axis=2) > 0.5
    labelled, count = ndimage.label(ink)
    return [labelled == index for index in range(1, count + 1)]


def _fill_ratio(mask: np.ndarray) -> tuple[float, float]:
    rows, columns = np.nonzero(mask)
    height, width = np.ptp(rows) + 1, np.ptp(columns) + 1
    return mask.sum() / (height * width), max(height, width) / min(height, width)


def test_circles_and_squares_have_the_shape_they_claim():
    for make, expected_fill in ((circles, np.pi / 4), (squares, 1.0)):
        images = make(40, size=64, seed=0)
        assert_images(images, (40, 64, 64, 3))
        counts = []
        for image in images:
            shapes = _components(image)
            counts.append(len(shapes))
            for mask in shapes:
                fill, aspect = _fill_ratio(mask)
                assert fill == pytest.approx(expected_fill, abs=0.12)
                assert aspect < 1.25
        assert min(counts) >= 1 and max(counts) <= 3 and len(set(counts)) > 1


def test_shapes_have_varied_colours_and_sizes():
    images = circles(60, seed=1)
    colours, areas = [], []
    for image in images:
        for mask in _components(image):
            colours.append(image[mask].mean(axis=0))
            areas.append(mask.sum())
    assert np.std(colours, axis=0).min() > 0.15
    assert max(areas) > 3 * min(areas)


def test_shapes_dataset_is_balanced_and_labelled_correctly():
    images, labels = shapes_dataset(60, size=64, seed=2)
    assert_images(images, (60, 64, 64, 3))
    assert labels.dtype == np.int64
    assert np.bincount(labels).tolist() == [20, 20, 20]
    assert SHAPE_CLASSES == ("circle", "square", "rectangle")
    for image, label in zip(images, labels):
        for mask in _components(image):
            fill, aspect = _fill_ratio(mask)
            if label == 0:
                assert fill < 0.9
            elif label == 1:
                assert fill > 0.9 and aspect < 1.25
            else:
                assert fill > 0.9 and aspect > 1.5


def test_shape_sets_are_deterministic_under_a_seed():
    assert np.array_equal(squares(5, seed=9), squares(5, seed=9))
    assert not np.array_equal(squares(5, seed=9), squares(5, seed=10))
    first, second = shapes_dataset(6, seed=1), shapes_dataset(6, seed=1)
    assert np.array_equal(first[0], second[0]) and np.array_equal(first[1], second[1])


def test_circles_to_rectangles_pairs_share_position_and_size():
    inputs, targets = circles_to_rectangles(30, size=64, seed=0)
    assert_images(inputs, (30, 64, 64, 3))
    assert_images(targets, (30, 64, 64, 3))
    for source, target in zip(inputs, targets):
        circles_found, rectangles_found = _components(source), _components(target)
        assert 1 <= len(circles_found) == len(rectangles_found) <= 3
        assert np.allclose(source[circles_found[0]].mean(axis=0), VIOLET, atol=0.1)
        assert np.allclose(target[rectangles_found[0]].mean(axis=0), GREEN, atol=0.1)
        for circle in circles_found:  # each circle's bounding box is one rectangle's
            rows, columns = np.nonzero(circle)
            matches = []
            for rectangle in rectangles_found:
                r_rows, r_columns = np.nonzero(rectangle)
                matches.append(max(abs(rows.min() - r_rows.min()), abs(rows.max() - r_rows.max()),
                                   abs(columns.min() - r_columns.min()),
                                   abs(columns.max() - r_columns.max())))
            assert min(matches) <= 1
    other_size = circles_to_rectangles(2, size=128, seed=0)[0]
    assert other_size.shape == (2, 128, 128, 3)


# ---------------------------------------------------------------- photos and digits


def test_colorization_pairs_are_grey_and_colour_of_the_same_crop():
    grey, colour = colorization_pairs(20, size=64, seed=0)
    assert_images(grey, (20, 64, 64, 1))
    assert_images(colour, (20, 64, 64, 3))
    assert np.allclose(grey, to_grey(colour), atol=1e-6)
    saturation = (colour.max(axis=3) - colour.min(axis=3)).mean()
    assert saturation > 0.1  # real colour photos, not grey ones
    assert len({round(float(image.mean()), 4) for image in colour}) > 15  # varied crops
    again = colorization_pairs(20, size=64, seed=0)
    assert np.array_equal(again[1], colour)


def test_digits_are_the_scikit_learn_set_upscaled():
    images, labels = digits(size=32)
    assert_images(images, (1797, 32, 32, 1))
    assert labels.dtype == np.int64 and sorted(set(labels.tolist())) == list(range(10))
    assert np.bincount(labels).min() >= 170
    assert images.max() == pytest.approx(1.0, abs=0.05)
    corners = images[:, :2, :2].mean()
    centre = images[:, 12:20, 12:20].mean()
    assert centre > 3 * corners  # ink in the middle, background 0 at the edges
    small = digits(size=8)[0]
    from sklearn.datasets import load_digits

    assert np.allclose(small[..., 0], load_digits().images / 16.0, atol=1e-6)


def test_digits_seed_shuffles_images_with_their_labels():
    images, labels = digits(size=16)
    shuffled, shuffled_labels = digits(size=16, seed=4)
    assert not np.array_equal(labels, shuffled_labels)
    flat = images.reshape(len(images), -1)
    for index in range(0, 1797, 199):
        original = np.flatnonzero((flat == shuffled[index].reshape(-1)).all(axis=1))
        assert labels[original[0]] == shuffled_labels[index]
    assert np.array_equal(shuffled, digits(size=16, seed=4)[0])


def test_tanh_range_round_trip():
    x = np.linspace(0, 1, 11, dtype=np.float32)
    assert to_tanh_range(x).min() == -1.0 and to_tanh_range(x).max() == 1.0
    assert np.allclose(from_tanh_range(to_tanh_range(x)), x)
    assert to_tanh_range(x).dtype == np.float32
