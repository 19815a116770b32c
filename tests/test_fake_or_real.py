"""The fake-or-real game of notebook 07: rounds, answers, scores, widgets (driven from code)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from course_utils.fake_or_real import (
    FakeOrRealGame,
    GameOverError,
    Round,
    make_rounds,
)
from course_utils.plots import image_png


def bright_and_dark(count: int = 6, size: int = 8) -> tuple[np.ndarray, np.ndarray]:
    """'Real' images are bright, 'fake' ones dark, in [-1, 1], each with its own grey level."""
    levels = np.linspace(0.2, 0.9, count, dtype="float32")
    real = np.ones((count, size, size, 3), "float32") * levels[:, None, None, None]
    fake = -np.ones((count, size, size, 3), "float32") * levels[:, None, None, None]
    return real, fake


def brightness_discriminator(images: np.ndarray) -> np.ndarray:
    """P(real) from the mean value: right on bright/dark images, shape (n, 1) like a Keras model."""
    return (1.0 / (1.0 + np.exp(-4.0 * images.mean(axis=(1, 2, 3)))))[:, None]


def test_make_rounds_draws_half_real_half_fake_shuffled_and_asks_the_discriminator() -> None:
    real, fake = bright_and_dark()
    rounds = make_rounds(real, fake, rounds=7, discriminator=brightness_discriminator, value_range=(-1, 1), seed=3)
    assert len(rounds) == 7
    assert sum(item.is_real for item in rounds) == 4  # the odd round goes to the real images
    for item in rounds:
        assert item.image.shape == (8, 8, 3)
        assert 0.0 <= item.image.min() and item.image.max() <= 1.0  # display copies in [0, 1]
        assert item.discriminator_says_real == item.is_real  # D saw the images in their own range
    # Real images are shown bright (above 0.5), fakes dark: the value range was mapped.
    assert all((item.image.mean() > 0.5) == item.is_real for item in rounds)
    # A seed fixes the game; another seed gives another order.
    again = make_rounds(real, fake, rounds=7, discriminator=brightness_discriminator, value_range=(-1, 1), seed=3)
    assert [item.is_real for item in again] == [item.is_real for item in rounds]
    orders = {tuple(item.is_real for item in make_rounds(real, fake, rounds=7, value_range=(-1, 1), seed=s))
              for s in range(8)}
    assert len(orders) > 1


def test_a_whole_game_played_from_code_keeps_both_scores_on_real_and_fake_separately() -> None:
    real, fake = bright_and_dark()
    rounds = make_rounds(real, fake, rounds=6, discriminator=brightness_discriminator, value_range=(-1, 1), seed=0)
    game = FakeOrRealGame(rounds)
    # A player who calls everything real: right on every real image, wrong on every fake.
    for expected_index in range(6):
        assert game.current is rounds[expected_index]
        assert game.answer(says_real=True) == rounds[expected_index].is_real
    assert game.finished and game.current is None
    summary = game.summary()
    assert (summary["rounds"], summary["answered"], summary["player_correct"], summary["discriminator_correct"]) == (6, 6, 3, 6)
    assert summary["player_accuracy"] == pytest.approx(0.5) and summary["discriminator_accuracy"] == 1.0
    assert summary["player_accuracy_real"] == 1.0 and summary["player_accuracy_fake"] == 0.0
    assert summary["discriminator_accuracy_real"] == 1.0 and summary["discriminator_accuracy_fake"] == 1.0
    text = game.summary_text()
    assert "You: 3 of 6 right (50%)" in text and "Discriminator: 6 of 6 right (100%)" in text
    with pytest.raises(GameOverError, match="restart"):
        game.answer(says_real=False)
    game.restart()
    assert game.summary()["answered"] == 0 and game.current is rounds[0]


def test_a_discriminator_that_is_fooled_scores_zero_on_fakes() -> None:
    real, fake = bright_and_dark()
    fooled = lambda images: np.full((len(images), 1), 0.9)
    game = FakeOrRealGame(make_rounds(real, fake, rounds=6, discriminator=fooled, value_range=(-1, 1), seed=1))
    summary = game.play_automatically(lambda image: image.mean() > 0.5)  # a perfect player here
    assert summary["player_correct"] == 6
    assert summary["discriminator_accuracy_real"] == 1.0 and summary["discriminator_accuracy_fake"] == 0.0
    assert summary["discriminator_correct"] == 3


def test_a_partial_game_and_a_game_without_discriminator() -> None:
    real, fake = bright_and_dark()
    game = FakeOrRealGame(make_rounds(real, fake, rounds=4, value_range=(-1, 1), seed=2))
    assert not game.has_discriminator
    first = game.current
    game.answer(says_real=first.is_real)
    summary = game.summary()
    assert (summary["answered"], summary["player_correct"], summary["discriminator_correct"]) == (1, 1, None)
    assert summary["discriminator_accuracy"] is None
    assert math.isnan(summary["player_accuracy_fake" if first.is_real else "player_accuracy_real"])  # nothing to count
    assert "1 of 4 images answered" in game.summary_text()
    assert "Discriminator" not in game.summary_text() and "discriminator" not in game.report_html()
    assert FakeOrRealGame(make_rounds(real, fake, rounds=2, seed=0, value_range=(-1, 1))).summary_text().startswith("No answers")


def test_the_widgets_follow_the_game_when_buttons_are_clicked() -> None:
    ipywidgets = pytest.importorskip("ipywidgets")
    real, fake = bright_and_dark()
    rounds = make_rounds(real, fake, rounds=4, discriminator=brightness_discriminator, value_range=(-1, 1), seed=4)
    game = FakeOrRealGame(rounds)
    box = game.widget()
    assert isinstance(box, ipywidgets.VBox)
    parts = game._widgets
    first_png = parts["image"].value
    assert bytes(first_png[:4]) == b"\x89PNG"
    assert "image 1 of 4" in parts["progress"].value
    parts["real"].click()  # what a browser click does: the on_click handlers run
    assert game.answers == [True]
    assert "image 2 of 4" in parts["progress"].value
    assert "You: " in parts["report"].value and "Discriminator: " in parts["report"].value
    assert "The discriminator said" in parts["report"].value and "<table" not in parts["report"].value
    for _ in range(3):
        parts["fake"].click()
    assert game.finished
    assert parts["real"].disabled and parts["fake"].disabled
    assert parts["image"].layout.display == "none"  # no stale image under "Game over"
    assert "Game over" in parts["progress"].value
    assert "<table" in parts["report"].value and parts["report"].value.count("<tr>") == 5  # header + 4 images
    parts["fake"].click()  # a click after the end changes nothing
    assert len(game.answers) == 4
    parts["again"].click()
    assert game.answers == [] and not parts["real"].disabled and "<table" not in parts["report"].value
    assert parts["image"].layout.display is None and bytes(parts["image"].value) == bytes(first_png)


def test_bad_input_gets_clear_messages() -> None:
    real, fake = bright_and_dark()
    with pytest.raises(ValueError, match="at least 2"):
        make_rounds(real, fake, rounds=1)
    with pytest.raises(ValueError, match="needs 6 real images"):
        make_rounds(real[:2], fake, rounds=12, value_range=(-1, 1))
    with pytest.raises(ValueError, match="same size"):
        make_rounds(real, np.zeros((6, 4, 4, 3)), value_range=(-1, 1), rounds=4)
    with pytest.raises(ValueError, match="outside"):
        make_rounds(real, fake, rounds=4)  # [-1, 1] images said to be in [0, 1]
    with pytest.raises(ValueError, match="one probability"):
        make_rounds(real, fake, rounds=4, value_range=(-1, 1), discriminator=lambda images: np.zeros(3))
    with pytest.raises(ValueError, match="logits"):
        make_rounds(real, fake, rounds=4, value_range=(-1, 1), discriminator=lambda images: images.mean(axis=(1, 2, 3)) * 10)
    with pytest.raises(ValueError, match="at least one Round"):
        FakeOrRealGame([])
    with pytest.raises(ValueError, match="at least one Round"):
        FakeOrRealGame(["not a round"])
    game = FakeOrRealGame([Round(np.zeros((4, 4, 3)), True)])
    with pytest.raises(ValueError, match="True \\(real\\) or False"):
        game.answer("real")
    with pytest.raises(ValueError, match="one image"):
        image_png(np.zeros((2, 4, 4, 3)), pixels=32)


def test_image_png_enlarges_without_smoothing() -> None:
    from io import BytesIO

    from PIL import Image

    image = np.zeros((2, 2, 1), "float32")
    image[0, 0] = 1.0
    picture = np.asarray(Image.open(BytesIO(image_png(image, pixels=8))))
    assert picture.shape == (8, 8)
    assert picture[:4, :4].min() == 255 and picture[4:, :].max() == 0  # blocks, no blur
