"""Tests for the monitor's pictures: the dashboard figure and the training animation."""

from __future__ import annotations

import io

import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402
import pytest  # noqa: E402
from PIL import Image  # noqa: E402

from course_utils.animation import Frame, show_training_animation, training_animation  # noqa: E402
from course_utils.dashboard import Dashboard, sample_kind  # noqa: E402
from test_plots import close_figures, sin_points  # noqa: E402, F401 (close_figures: an autouse fixture)


def png_pixels(png: bytes) -> np.ndarray:
    return np.asarray(Image.open(io.BytesIO(png)).convert("RGB"))


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


def test_dashboard_panels_for_images():
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
    assert [sample_kind(np.zeros(shape)) for shape in [(5, 2), (5, 4, 4), (5, 4, 4, 3)]] == [
        "points", "images", "images",
    ]
    for shape in [(5, 3), (5,), (5, 1)]:  # 1-D values have no picture in the course
        with pytest.raises(ValueError, match="cannot be drawn"):
            sample_kind(np.zeros(shape))


def test_animation_plays_inline_one_frame_per_check():
    frames = [Frame(step, np.full((4, 6, 6), step / 40) * 2 - 1) for step in (0, 10, 20, 30, 40)]
    player = show_training_animation(frames, value_range=(-1, 1))
    assert "<script" in player.data and player.data.count("data:image/png;base64") == 5
    animation = training_animation(frames, value_range=(-1, 1))
    picture = animation._fig.axes[0].images[0]
    animation._func(0)
    first = np.asarray(picture.get_array()).mean()
    animation._func(4)
    assert np.asarray(picture.get_array()).mean() > first  # the images go from black to white
    animation.to_jshtml()


def test_animation_of_points_with_real_data():
    real = sin_points(100)
    frames = [Frame(step, real * step / 100) for step in (10, 50, 100)]
    animation = training_animation(frames, real_samples=real)
    axis = animation._fig.axes[0]
    assert [collection.get_label() for collection in axis.collections] == ["real", "generated"]
    animation._func(2)
    np.testing.assert_allclose(axis.collections[1].get_offsets(), real)
    animation.to_jshtml()


def test_animation_bad_input():
    with pytest.raises(ValueError, match="No frames"):
        training_animation([])
    with pytest.raises(ValueError, match="mix kinds"):
        training_animation([Frame(0, np.zeros((5, 2))), Frame(1, np.zeros((5, 4, 4)))])
