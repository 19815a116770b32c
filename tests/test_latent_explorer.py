"""Tests for course_utils.latent_explorer: the slider explorer of notebook 10 (no TensorFlow needed)."""

from __future__ import annotations

import io

import numpy as np
import pytest
from PIL import Image

from course_utils.checks import InputError
from course_utils.latent_explorer import LatentExplorer, orthonormal_rows
from course_utils.plots import image_png


def linear_render(noise: np.ndarray, label: int | None) -> np.ndarray:
    """A stand-in generator: pixel (row 0, column j) shows z[j]; the label fills the last row."""
    image = np.zeros((1, 4, 4, 3), dtype=np.float32)
    image[0, 0, :, 0] = np.tanh(noise[0, :4])
    image[0, 3, :, :] = 0.0 if label is None else label / 10
    return image


def test_orthonormal_rows_are_orthonormal_and_span_the_same_space() -> None:
    rows = np.random.default_rng(0).normal(size=(3, 6))
    basis = orthonormal_rows(rows)
    np.testing.assert_allclose(basis @ basis.T, np.eye(3), atol=1e-5)
    # each original row is a combination of the basis rows
    np.testing.assert_allclose((rows @ basis.T) @ basis, rows, atol=1e-4)


def test_orthonormal_rows_refuses_dependent_rows() -> None:
    with pytest.raises(InputError, match="linearly independent"):
        orthonormal_rows([[1.0, 2.0], [2.0, 4.0]])
    with pytest.raises(InputError, match="2-D"):
        orthonormal_rows([1.0, 2.0])


def test_image_png_maps_the_value_range_and_enlarges() -> None:
    image = np.array([[[-1.0, -1.0, -1.0], [1.0, 1.0, 1.0]]], dtype=np.float32)  # 1x2 RGB
    picture = Image.open(io.BytesIO(image_png(image, 20, (-1, 1))))
    assert picture.size == (20, 10)
    pixels = np.asarray(picture)
    assert pixels[5, 2].tolist() == [0, 0, 0]
    assert pixels[5, 17].tolist() == [255, 255, 255]
    with pytest.raises(InputError, match="one image"):
        image_png(np.zeros((2, 4, 4, 3)), 8)


def test_sliders_move_the_noise_along_their_directions() -> None:
    directions = np.array([[1.0, 0, 0, 0], [0, 1.0, 0, 0]])
    explorer = LatentExplorer(linear_render, np.zeros(4), directions)
    explorer.sliders[0].value = 1.5
    explorer.sliders[1].value = -0.5
    np.testing.assert_allclose(explorer.current_noise(), [[1.5, -0.5, 0.0, 0.0]], atol=1e-6)
    np.testing.assert_allclose(explorer.last_image[0, :2, 0], np.tanh([1.5, -0.5]), atol=1e-6)
    assert explorer.sliders[0].max == 3.0 and explorer.sliders[0].min == -3.0


def test_every_change_redraws_once_and_updates_the_picture() -> None:
    explorer = LatentExplorer(linear_render, np.zeros(4), np.eye(4)[:1])
    before = explorer.image.value
    count = len(explorer.redraw_seconds)
    explorer.sliders[0].value = 2.0
    assert len(explorer.redraw_seconds) == count + 1
    assert explorer.image.value != before
    assert "ms" in explorer.timing.value
    assert explorer.median_redraw_milliseconds() < 1000


def test_class_menu_passes_the_label_to_render() -> None:
    explorer = LatentExplorer(linear_render, np.zeros(4), np.eye(4)[:2], class_names=["a", "b", "c"])
    explorer.class_menu.value = 2
    assert explorer.current_label() == 2
    np.testing.assert_allclose(explorer.last_image[3], 0.2)


def test_without_class_names_there_is_no_menu_and_label_is_none() -> None:
    explorer = LatentExplorer(linear_render, np.zeros(4), np.eye(4)[:2])
    assert explorer.class_menu is None and explorer.current_label() is None


def test_reset_and_new_sample_buttons() -> None:
    fresh = np.full(4, 0.25)
    explorer = LatentExplorer(linear_render, np.zeros(4), np.eye(4)[:2], new_noise=lambda: fresh)
    explorer.sliders[0].value = 1.0
    explorer._on_new_sample()
    assert all(slider.value == 0.0 for slider in explorer.sliders)
    np.testing.assert_allclose(explorer.current_noise(), [fresh], atol=1e-6)


def test_bad_inputs_get_clear_errors() -> None:
    with pytest.raises(InputError, match="as many numbers as the noise vector"):
        LatentExplorer(linear_render, np.zeros(5), np.eye(4)[:2])
    with pytest.raises(InputError, match="one image"):
        LatentExplorer(lambda z, label: np.zeros((2, 4, 4, 3)), np.zeros(4), np.eye(4)[:1])
