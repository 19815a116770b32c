"""Tests for the shared pictures in course_utils.plots (the dashboard and the animation: test_dashboard.py)."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from course_utils import plots  # noqa: E402


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def sin_points(count: int, seed: int = 0) -> np.ndarray:
    x = np.random.default_rng(seed).uniform(-3.5, 3.5, count)
    return np.stack([x, np.sin(x)], axis=1)


# ---------------------------------------------------------------------------------------------
# Images
# ---------------------------------------------------------------------------------------------


def test_prepare_images_maps_either_value_range_to_0_1():
    tanh_images = np.array([[[-1.0, 0.0], [0.5, 1.0]]])
    np.testing.assert_allclose(plots.prepare_images(tanh_images, (-1, 1))[0, ..., 0], [[0, 0.5], [0.75, 1]])
    np.testing.assert_allclose(plots.prepare_images(tanh_images * 0.5 + 0.5, (0, 1))[0, ..., 0], [[0, 0.5], [0.75, 1]])
    assert plots.prepare_images(np.zeros((3, 4, 4, 3))).shape == (3, 4, 4, 3)
    # A small overshoot (a linear output layer) is clipped, not refused.
    assert plots.prepare_images(np.full((1, 2, 2), 1.02)).max() == 1.0


@pytest.mark.parametrize(
    "images, value_range, message",
    [
        (np.zeros((8, 8)), (0, 1), "one image.*images\\[None\\]"),
        (np.zeros((32, 32, 3)), (0, 1), "one image"),
        (np.zeros((2, 3, 8, 8, 1)), (0, 1), "rank 5"),
        (np.zeros((2, 8, 8, 2)), (0, 1), "1 \\(grey\\) or 3 \\(RGB\\) channels"),
        (np.full((2, 4, 4), -0.8), (0, 1), "value_range=\\(-1, 1\\)"),
        (np.full((2, 4, 4), 200.0), (0, 1), "0-255"),
        (np.full((2, 4, 4), np.nan), (0, 1), "NaN"),
        (np.zeros((2, 4, 4)), (1, 0), "low < high"),
        (np.zeros((2, 4, 4)), "zero to one", "two numbers"),
    ],
)
def test_bad_images_are_clear_errors(images, value_range, message):
    with pytest.raises(ValueError, match=message):
        plots.prepare_images(images, value_range)


def test_images_to_grid_places_each_image_and_pads_with_white():
    images = np.stack([np.full((2, 2), value) for value in (0.0, 0.5, 1.0)])
    grid = plots.images_to_grid(images, columns=2, padding=1)
    assert grid.shape == (5, 5, 3)
    assert np.all(grid[0:2, 0:2] == 0.0) and np.all(grid[0:2, 3:5] == 0.5) and np.all(grid[3:5, 0:2] == 1.0)
    assert np.all(grid[2, :] == 1.0) and np.all(grid[3:5, 3:5] == 1.0)  # separator line and empty tile
    with pytest.raises(ValueError, match="columns"):
        plots.images_to_grid(images, columns=0)


def test_plot_image_grid_with_labels_one_and_three_channels():
    rng = np.random.default_rng(0)
    figure = plots.plot_image_grid(rng.uniform(-1, 1, (5, 8, 8, 3)), labels=["a", "b", "c", "d", "e"], value_range=(-1, 1), columns=3, title="signs")
    assert len(figure.axes) == 5 and [axis.get_xlabel() for axis in figure.axes] == list("abcde")
    assert figure._suptitle.get_text() == "signs"
    grey = plots.plot_image_grid(rng.uniform(0, 1, (4, 8, 8, 1)))
    assert grey.axes[0].images[0].get_cmap().name == "gray"
    with pytest.raises(ValueError, match="2 labels for 5 images"):
        plots.plot_image_grid(np.zeros((5, 8, 8)), labels=["a", "b"])
    with pytest.raises(ValueError, match="at most 100"):
        plots.plot_image_grid(np.zeros((101, 2, 2)))


def test_plot_interpolation_is_one_row_marked_start_and_end():
    figure = plots.plot_interpolation(np.linspace(-1, 1, 7)[:, None, None] * np.ones((7, 6, 6)), value_range=(-1, 1))
    assert len(figure.axes) == 7
    positions = {round(axis.get_position().y0, 3) for axis in figure.axes}
    assert len(positions) == 1
    assert figure.axes[0].get_xlabel() == "start" and figure.axes[-1].get_xlabel() == "end"
    with pytest.raises(ValueError, match="2 to 30"):
        plots.plot_interpolation(np.zeros((1, 4, 4)))


# ---------------------------------------------------------------------------------------------
# Curves
# ---------------------------------------------------------------------------------------------


def test_training_curves_from_a_history_dict_and_a_keras_history():
    steps = 1000
    history = {
        "step": list(range(steps)),
        "d_loss": list(np.linspace(1.4, 1.2, steps)),
        "g_loss": list(np.linspace(0.7, 0.9, steps)),
        "d_acc_real": [0.8] * steps,
        "d_acc_fake": [0.7] * steps,
    }
    figure = plots.plot_training_curves(history)
    loss_axis, accuracy_axis = figure.axes
    assert [line.get_label() for line in loss_axis.lines] == ["D loss", "G loss"]
    assert len(loss_axis.lines[0].get_xdata()) == 200
    assert len(accuracy_axis.patches) == 1  # the healthy band
    band = accuracy_axis.patches[0].get_path().get_extents().transformed(accuracy_axis.patches[0].get_transform())
    assert band is not None

    class KerasHistory:  # what fit() returns: .history is a dict of per-epoch lists
        history = {"d_loss": [1.0, 0.9, 0.8], "g_loss": [0.7, 0.8, 0.9]}

    figure = plots.plot_training_curves(KerasHistory(), accuracy_keys=None)
    assert len(figure.axes) == 1
    np.testing.assert_array_equal(figure.axes[0].lines[0].get_xdata(), [0, 1, 2])


def test_training_curves_missing_key_names_what_is_there():
    with pytest.raises(ValueError, match="no 'd_acc_real' values \\(it has: d_loss, g_loss\\)"):
        plots.plot_training_curves({"d_loss": [1.0], "g_loss": [0.7]})
    with pytest.raises(ValueError, match="history"):
        plots.plot_training_curves([1.0, 2.0])


def test_bucket_means_average_equal_buckets():
    steps, means = plots.bucket_means(np.arange(10), np.arange(10.0), max_points=4)
    np.testing.assert_array_equal(steps, [2, 5, 8, 9])
    np.testing.assert_array_equal(means, [1.0, 4.0, 7.0, 9.0])


# ---------------------------------------------------------------------------------------------
# 2-D points over the decision map
# ---------------------------------------------------------------------------------------------


def test_decision_map_shows_d_output_under_both_point_sets():
    real = sin_points(300)
    fake = real + np.array([0.0, 0.8])
    figure = plots.plot_decision_map(real, fake, lambda points: 1 / (1 + np.exp(10 * (points[:, 1] - np.sin(points[:, 0]) - 0.4))))
    axis = figure.axes[0]
    decision = axis.images[0].get_array()
    assert decision.shape == (100, 100) and 0 <= decision.min() < 0.1 and 0.9 < decision.max() <= 1
    assert [collection.get_label() for collection in axis.collections] == ["real", "generated"]
    assert len(figure.axes) == 2  # the colour bar


def test_decision_grid_covers_the_points():
    grid, extent = plots.decision_grid([[0, 0], [2, 4]], resolution=5, margin=0.5)
    assert extent == (-1.0, 3.0, -2.0, 6.0)
    assert grid.shape == (25, 2) and tuple(grid[0]) == (-1.0, -2.0) and tuple(grid[-1]) == (3.0, 6.0)


def test_decision_map_bad_input():
    with pytest.raises(ValueError, match="shape \\(n, 2\\)"):
        plots.plot_decision_map(np.zeros((10, 3)), np.zeros((10, 2)))
    with pytest.raises(ValueError, match="returned 1 values for 10000 points"):
        plots.plot_decision_map(sin_points(10), sin_points(10, 1), lambda points: np.array([0.5]))
