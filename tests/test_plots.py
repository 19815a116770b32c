"""Tests for the shared pictures: plots, the dashboard figure and the training animation."""

from __future__ import annotations

import io
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from PIL import Image  # noqa: E402

from course_utils import plots  # noqa: E402
from course_utils.animation import (  # noqa: E402
    Frame,
    sample_kind,
    save_training_gif,
    show_training_animation,
    training_animation,
)
from course_utils.dashboard import Dashboard  # noqa: E402


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def sin_points(count: int, seed: int = 0) -> np.ndarray:
    x = np.random.default_rng(seed).uniform(-3.5, 3.5, count)
    return np.stack([x, np.sin(x)], axis=1)


def png_pixels(png: bytes) -> np.ndarray:
    return np.asarray(Image.open(io.BytesIO(png)).convert("RGB"))


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
    figure = plots.plot_training_curves(history, max_points=100)
    loss_axis, accuracy_axis = figure.axes
    assert [line.get_label() for line in loss_axis.lines] == ["D loss", "G loss"]
    assert len(loss_axis.lines[0].get_xdata()) == 100
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
    figure = plots.plot_decision_map(real, fake, lambda points: 1 / (1 + np.exp(10 * (points[:, 1] - np.sin(points[:, 0]) - 0.4))), resolution=50)
    axis = figure.axes[0]
    decision = axis.images[0].get_array()
    assert decision.shape == (50, 50) and 0 <= decision.min() < 0.1 and 0.9 < decision.max() <= 1
    assert [collection.get_label() for collection in axis.collections] == ["real", "generated"]
    assert len(figure.axes) == 2  # the colour bar


def test_decision_grid_covers_the_points():
    grid, extent = plots.decision_grid([[0, 0], [2, 4]], resolution=5, margin=0.5)
    assert extent == (-1.0, 3.0, -2.0, 6.0)
    assert grid.shape == (25, 2) and tuple(grid[0]) == (-1.0, -2.0) and tuple(grid[-1]) == (3.0, 6.0)


def test_decision_map_bad_input():
    with pytest.raises(ValueError, match="shape \\(n, 2\\)"):
        plots.plot_decision_map(np.zeros((10, 3)), np.zeros((10, 2)))
    with pytest.raises(ValueError, match="returned 1 values for 2500 points"):
        plots.plot_decision_map(sin_points(10), sin_points(10, 1), lambda points: np.array([0.5]), resolution=50)


# ---------------------------------------------------------------------------------------------
# The dashboard figure
# ---------------------------------------------------------------------------------------------


def gan_history(steps: int) -> dict[str, list]:
    rng = np.random.default_rng(4)
    return {
        "step": list(range(steps)),
        "d_loss": list(1.3 + 0.05 * rng.normal(size=steps)),
        "g_loss": list(0.75 + 0.05 * rng.normal(size=steps)),
        "d_acc_real": list(rng.uniform(0.5, 0.9, steps)),
        "d_acc_fake": list(rng.uniform(0.4, 0.8, steps)),
    }


def test_dashboard_quick_redraw_matches_a_full_redraw():
    real = sin_points(200)
    history = gan_history(200)
    history["d_loss"][5], history["g_loss"][6] = 1.6, 0.5  # the whole loss range is seen early
    options = dict(loss_keys=["d_loss", "g_loss"], accuracy_keys=["d_acc_real", "d_acc_fake"], total_steps=200,
                   samples=real * 0.3, real_samples=real, with_decision_map=True)
    grid_size = len(Dashboard(**options).decision_points())
    early = {key: values[:100] for key, values in history.items()}
    quick = Dashboard(**options)
    quick.render(early, heading="step 100 / 200", samples=real * 0.3, decision=np.full(grid_size, 0.2))
    background = quick._background
    assert background is not None
    quick_png = quick.render(history, heading="step 200 / 200", samples=real * 0.9, decision=np.linspace(0, 1, grid_size))
    assert quick._background is background, "the second frame should have been a quick redraw"
    full_png = Dashboard(**options).render(history, heading="step 200 / 200", samples=real * 0.9, decision=np.linspace(0, 1, grid_size))
    np.testing.assert_array_equal(png_pixels(quick_png), png_pixels(full_png))


def test_dashboard_panels_for_images_points_and_values():
    history = gan_history(50)
    history.update(quality_step=[25, 50], quality=[0.5, 0.3])
    images = Dashboard(loss_keys=["d_loss", "g_loss"], accuracy_keys=["d_acc_real", "d_acc_fake"], samples=np.zeros((16, 8, 8, 3)),
                       value_range=(-1, 1), quality_name="FID", quality_threshold=0.2, higher_is_better=False)
    png = images.render(history, heading="step 50", samples=np.ones((16, 8, 8, 3)))
    assert list(images.axes) == ["losses", "accuracy", "quality", "samples"]
    assert png_pixels(png).shape[1] > png_pixels(png).shape[0] > 200
    grid = np.asarray(images.picture.get_array())
    assert grid.shape == (35, 35, 3)  # 4 x 4 tiles of 8 pixels and grey lines between them
    assert np.all(grid[:8, :8] == 1.0) and np.all(grid[8, :] == pytest.approx(0.55))
    values = Dashboard(loss_keys=["d_loss"], samples=np.zeros(100), real_samples=np.random.default_rng(0).normal(size=500),
                       with_decision_map=True)
    assert values.decision_points().shape == (200, 1)
    values.render(history, samples=np.random.default_rng(1).normal(size=100), decision=np.full(200, 0.5))
    with pytest.raises(ValueError, match="cannot be drawn"):
        Dashboard(loss_keys=["d_loss"], samples=np.zeros((10, 5)))


def test_dashboard_axes_grow_only_when_needed():
    history = gan_history(100)
    dashboard = Dashboard(loss_keys=["d_loss", "g_loss"], total_steps=None)
    dashboard.render(history)
    limits = dashboard.axes["losses"].get_ylim()
    assert limits[0] == 0 and limits[1] > max(history["d_loss"])
    dashboard.render({key: values[:50] for key, values in history.items()})
    assert dashboard.axes["losses"].get_ylim() == limits
    bigger = dict(history, d_loss=history["d_loss"][:-1] + [10.0], step=history["step"])
    dashboard.render(bigger)
    assert dashboard.axes["losses"].get_ylim()[1] > 5
    longer = gan_history(1500)
    dashboard.render(longer)
    assert dashboard.axes["losses"].get_xlim()[1] >= 1500


def test_dashboard_zooms_out_for_points_that_left_and_back_in():
    real = sin_points(200)
    dashboard = Dashboard(loss_keys=["d_loss"], samples=real, real_samples=real, with_decision_map=True)
    home = dashboard.axes["samples"].get_xlim()
    dashboard.fit_samples(real + 20)
    assert dashboard.axes["samples"].get_xlim()[1] > 20
    assert dashboard.decision_points()[:, 0].max() > 20
    for check in range(3):
        assert dashboard.axes["samples"].get_xlim()[1] > 20, "zoomed back in too early"
        dashboard.fit_samples(real * 0.5)
    assert dashboard.axes["samples"].get_xlim() == pytest.approx(home)


# ---------------------------------------------------------------------------------------------
# Training animation
# ---------------------------------------------------------------------------------------------


def test_sample_kinds():
    assert [sample_kind(np.zeros(shape)) for shape in [(5, 2), (5,), (5, 1), (5, 4, 4), (5, 4, 4, 3)]] == [
        "points", "values", "values", "images", "images",
    ]
    with pytest.raises(ValueError, match="cannot be drawn"):
        sample_kind(np.zeros((5, 3)))


def test_animation_plays_inline_and_saves_a_gif(tmp_path):
    frames = [Frame(step, np.full((4, 6, 6), step / 40) * 2 - 1) for step in (0, 10, 20, 30, 40)]
    player = show_training_animation(frames, value_range=(-1, 1))
    assert "<script" in player.data and player.data.count("data:image/png;base64") == 5
    path = save_training_gif(frames, tmp_path / "out" / "training.gif", fps=5, value_range=(-1, 1))
    with Image.open(path) as gif:
        assert gif.format == "GIF" and gif.n_frames == 5
        gif.seek(0)
        first = np.asarray(gif.convert("L")).astype(float)
        gif.seek(4)
        last = np.asarray(gif.convert("L")).astype(float)
    assert last.mean() > first.mean()  # the images go from black to white
    assert not list(Path(path.parent).glob(".training-*"))  # no temporary file left


def test_animation_of_points_with_real_data():
    real = sin_points(100)
    frames = [Frame(step, real * step / 100) for step in (10, 50, 100)]
    animation = training_animation(frames, real_samples=real)
    axis = animation._fig.axes[0]
    assert [collection.get_label() for collection in axis.collections] == ["real", "generated"]
    animation._func(2)
    np.testing.assert_allclose(axis.collections[1].get_offsets(), real)
    animation.to_jshtml()


def test_animation_bad_input(tmp_path):
    with pytest.raises(ValueError, match="No frames"):
        training_animation([])
    with pytest.raises(ValueError, match="mix kinds"):
        training_animation([Frame(0, np.zeros((5, 2))), Frame(1, np.zeros((5, 4, 4)))])
    with pytest.raises(ValueError, match="end in .gif"):
        save_training_gif([Frame(0, np.zeros((5, 2)))], tmp_path / "movie.mp4")
