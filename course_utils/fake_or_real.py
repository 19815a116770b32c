"""The fake-or-real game of notebook 07: you and the discriminator judge the same images.

Plumbing only (the lesson of notebook 07 is how to evaluate a GAN). The widget uses core
ipywidgets (``Button``, ``HTML``, ``Image``, ``HBox``/``VBox``), so it works with ipywidgets
7.7.1 (Colab) and 8.x. Headless (tests, ``build execute``) nobody can click: answer from code.
"""

from __future__ import annotations

import base64
import html
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from course_utils import checks, environment
from course_utils.plots import image_png, prepare_images

__all__ = ["FakeOrRealGame", "GameOverError", "Round", "make_rounds"]

DECISION_THRESHOLD = 0.5
"""The discriminator says "real" when its probability of real is above this."""
THUMBNAIL_PIXELS = 48
IMAGE_PIXELS = 192  # how wide the image of the current round is shown (enlarged without smoothing)
RIGHT_COLOUR = "#1b5e20"
WRONG_COLOUR = "#b71c1c"


class GameOverError(ValueError):
    """An answer was given after the last round of the game."""


@dataclass(frozen=True)
class Round:
    """One image of the game: ``(H, W, C)`` in ``[0, 1]``, whether it is real, and D's P(real).

    ``probability`` is ``None`` in a game without a discriminator.
    """

    image: np.ndarray
    is_real: bool
    probability: float | None = None

    @property
    def discriminator_says_real(self) -> bool | None:
        """D's verdict: probability of real above 0.5 (``None``: no discriminator)."""
        return None if self.probability is None else self.probability > DECISION_THRESHOLD


def _probabilities(discriminator: Callable[[np.ndarray], Any] | None, images: np.ndarray, what: str) -> list[Any]:
    if discriminator is None:
        return [None] * len(images)
    output = discriminator(images)
    values = np.asarray(output.numpy() if hasattr(output, "numpy") else output, dtype="float64").reshape(-1)
    if values.shape[0] != images.shape[0]:
        raise ValueError(
            f"The discriminator returned {values.shape[0]} values for {images.shape[0]} {what} images: "
            "it must return one probability of 'real' per image, shape (n,) or (n, 1)."
        )
    if not np.all(np.isfinite(values)) or values.min() < 0.0 or values.max() > 1.0:
        raise ValueError(
            f"The discriminator's outputs for the {what} images must be probabilities between 0 and 1; "
            f"got values from {np.nanmin(values):.3g} to {np.nanmax(values):.3g}. If your discriminator "
            "returns logits (no sigmoid), pass lambda images: keras.ops.sigmoid(discriminator(images))."
        )
    return [float(value) for value in values]


def make_rounds(
    real_images: Any, fake_images: Any, *, rounds: int = 10, discriminator: Callable[[np.ndarray], Any] | None = None,
    value_range: Sequence[float] = (0, 1), seed: int | None = None,
) -> list[Round]:
    """Draw a shuffled game: half real images, half generated ones, with D's verdict on each.

    Real and generated images are ``(N, H, W[, C])`` of one size, in ``value_range``; real ones get
    the extra round when ``rounds`` is odd. ``discriminator`` maps a batch of images (as given) to
    its probability of real per image (``None``: play alone); ``seed`` picks the images and their
    order (``None``: a fresh game every time).

    Example:
        >>> rounds = make_rounds(np.ones((5, 4, 4, 3)), np.zeros((5, 4, 4, 3)), rounds=3, seed=1)
        >>> sorted(round.is_real for round in rounds)
        [False, True, True]
    """
    rounds = checks.whole_number(rounds, "rounds (one real, one fake image at least)", minimum=2)
    real = np.asarray(real_images, dtype="float32")
    fake = np.asarray(fake_images, dtype="float32")
    real_shown, fake_shown = prepare_images(real, value_range), prepare_images(fake, value_range)
    checks.same_image_size(real_shown, fake_shown, ("real", "generated"))
    real_count, fake_count = (rounds + 1) // 2, rounds // 2
    for what, array, needed in (("real", real_shown, real_count), ("generated", fake_shown, fake_count)):
        if array.shape[0] < needed:
            raise ValueError(
                f"A game of {rounds} rounds needs {needed} {what} images; got {array.shape[0]}. "
                "Pass more images or ask for fewer rounds."
            )
    rng = np.random.default_rng(seed)
    real_chosen = rng.choice(real_shown.shape[0], size=real_count, replace=False)
    fake_chosen = rng.choice(fake_shown.shape[0], size=fake_count, replace=False)
    # D sees the images exactly as given (its own value range), not the display copies.
    real_probabilities = _probabilities(discriminator, real[real_chosen], "real")
    fake_probabilities = _probabilities(discriminator, fake[fake_chosen], "generated")
    items = [Round(real_shown[i], True, p) for i, p in zip(real_chosen, real_probabilities)]
    items += [Round(fake_shown[i], False, p) for i, p in zip(fake_chosen, fake_probabilities)]
    return [items[i] for i in rng.permutation(len(items))]


def _share(right: list[bool]) -> float:
    return sum(right) / len(right) if right else float("nan")


def _percent(value: float) -> str:
    return "n/a" if math.isnan(value) else f"{value:.0%}"


def _verdict(says_real: bool, correct: bool) -> str:
    colour, mark = (RIGHT_COLOUR, "✔") if correct else (WRONG_COLOUR, "✘")
    return f'{"real" if says_real else "fake"} <span style="color:{colour}">{mark}</span>'


class FakeOrRealGame:
    """A game of "real or fake?" between the player and the discriminator, on the same images.

    ``rounds`` come from :func:`make_rounds`; ``title`` is the heading over the game.

    Example:
        >>> rounds = make_rounds(np.ones((2, 4, 4, 3)), np.zeros((2, 4, 4, 3)), rounds=2, seed=0)
        >>> game = FakeOrRealGame(rounds)
        >>> game.answer(says_real=rounds[0].is_real), game.finished
        (True, False)
    """

    def __init__(self, rounds: Sequence[Round], *, title: str = "Fake or real?") -> None:
        self.rounds = list(rounds)
        if not self.rounds or not all(isinstance(item, Round) for item in self.rounds):
            raise ValueError("A game needs at least one Round: make them with make_rounds(real, fake).")
        self.title = title
        self.answers: list[bool] = []
        """The player's answers so far, ``True`` for "real"."""
        self.has_discriminator = all(item.probability is not None for item in self.rounds)
        self._widgets: dict[str, Any] | None = None

    @property
    def finished(self) -> bool:
        """Whether every round has been answered."""
        return len(self.answers) >= len(self.rounds)

    @property
    def current(self) -> Round | None:
        """The round waiting for an answer, or ``None`` when the game is over."""
        return None if self.finished else self.rounds[len(self.answers)]

    def answer(self, says_real: bool) -> bool:
        """Answer the current round ("real": ``True``) and move on; return whether the answer was right.

        The Real and Fake buttons call it; headless runs call it from code. After the last
        round it raises :class:`GameOverError`.

        Example:
            >>> game = FakeOrRealGame(make_rounds(np.ones((1, 4, 4)), np.zeros((1, 4, 4)), rounds=2, seed=0))
            >>> _ = game.answer(True); _ = game.answer(False); game.finished
            True
        """
        if not isinstance(says_real, (bool, np.bool_)):
            raise ValueError(f"says_real must be True (real) or False (fake), got {says_real!r}.")  # noqa: TRY004
        current = self.current
        if current is None:
            raise GameOverError(f"The game is over: all {len(self.rounds)} images are answered. Call restart().")
        self.answers.append(bool(says_real))
        self._refresh()
        return bool(says_real) == current.is_real

    def play_automatically(self, player: Callable[[np.ndarray], bool]) -> dict[str, Any]:
        """Answer every remaining round with ``player(image) -> says_real``; return :meth:`summary`."""
        while self.current is not None:
            self.answer(bool(player(self.current.image)))
        return self.summary()

    def restart(self) -> None:
        """Forget all answers and start again with the first image."""
        self.answers = []
        self._refresh()

    def summary(self) -> dict[str, Any]:
        """Both scores so far: right answers, and accuracy overall and on real and fake images.

        Accuracies are shares of the answered rounds, ``nan`` where there is nothing to count;
        the discriminator's numbers are ``None`` in a game without one.

        Example:
            >>> game = FakeOrRealGame(make_rounds(np.ones((1, 4, 4)), np.zeros((1, 4, 4)), rounds=2, seed=0))
            >>> _ = game.answer(True); game.summary()["player_accuracy"]
            1.0
        """
        played = self.rounds[: len(self.answers)]
        scores: dict[str, Any] = {"rounds": len(self.rounds), "answered": len(played)}
        verdicts = {"player": self.answers, "discriminator": [item.discriminator_says_real for item in played]}
        for who, says_real in verdicts.items():
            right = [says == item.is_real for says, item in zip(says_real, played)]
            numbers = {
                "correct": sum(right),
                "accuracy": _share(right),
                "accuracy_real": _share([ok for ok, item in zip(right, played) if item.is_real]),
                "accuracy_fake": _share([ok for ok, item in zip(right, played) if not item.is_real]),
            }
            for name, value in numbers.items():
                absent = who == "discriminator" and not self.has_discriminator
                scores[f"{who}_{name}"] = None if absent else value
        return scores

    def summary_text(self) -> str:
        """The summary in a line for each player.

        Example:
            >>> game = FakeOrRealGame(make_rounds(np.ones((1, 4, 4)), np.zeros((1, 4, 4)), rounds=2, seed=0))
            >>> _ = game.play_automatically(lambda image: True); print(game.summary_text())
            You: 1 of 2 right (50%): 100% of the real images, 0% of the fakes.
        """
        scores = self.summary()
        answered = scores["answered"]
        if answered == 0:
            return f"No answers yet (0 of {scores['rounds']} images)."
        lines = [
            f"{name}: {scores[who + '_correct']} of {answered} right ({_percent(scores[who + '_accuracy'])}): "
            f"{_percent(scores[who + '_accuracy_real'])} of the real images, "
            f"{_percent(scores[who + '_accuracy_fake'])} of the fakes."
            for name, who in (("You", "player"), ("Discriminator", "discriminator"))
            if scores[who + "_correct"] is not None
        ]
        if answered < scores["rounds"]:
            lines.append(f"({answered} of {scores['rounds']} images answered.)")
        return "\n".join(lines)

    def report_html(self) -> str:
        """What the widget shows under the buttons: the last answer, the score, and at the end a table.

        Example:
            >>> game = FakeOrRealGame(make_rounds(np.ones((1, 4, 4)), np.zeros((1, 4, 4)), rounds=2, seed=0))
            >>> "Click <b>Real</b>" in game.report_html()
            True
        """
        if not self.answers:
            return "Is this image a real photo or made by the generator? Click <b>Real</b> or <b>Fake</b>."
        number = len(self.answers)
        last, says_real = self.rounds[number - 1], self.answers[-1]
        right = says_real == last.is_real
        text = (
            f'<span style="color:{RIGHT_COLOUR if right else WRONG_COLOUR}">{"Right" if right else "Wrong"}:</span> '
            f"image {number} was <b>{'real' if last.is_real else 'fake (generated)'}</b>."
        )
        if last.probability is not None:
            verdict = _verdict(bool(last.discriminator_says_real), last.discriminator_says_real == last.is_real)
            text += f" The discriminator said {verdict} (P(real) = {last.probability:.2f})."
        lines = "".join(f"<li>{html.escape(line)}</li>" for line in self.summary_text().splitlines())
        text += f"<ul>{lines}</ul>"
        if not self.finished:
            return text
        header = "<th>image</th><th>truth</th><th>you</th>"
        header += "<th>discriminator (P(real))</th>" if self.has_discriminator else ""
        rows = []
        for item, says in zip(self.rounds, self.answers):
            picture = base64.b64encode(image_png(item.image, THUMBNAIL_PIXELS)).decode("ascii")
            row = (
                f'<td><img src="data:image/png;base64,{picture}" width="{THUMBNAIL_PIXELS}" '
                f'style="image-rendering:pixelated"></td><td>{"real" if item.is_real else "fake"}</td>'
                f"<td>{_verdict(says, says == item.is_real)}</td>"
            )
            if item.probability is not None:
                verdict = _verdict(bool(item.discriminator_says_real), item.discriminator_says_real == item.is_real)
                row += f"<td>{verdict} ({item.probability:.2f})</td>"
            rows.append(f"<tr>{row}</tr>")
        return f"{text}<table style='border-collapse:collapse;text-align:center'><tr>{header}</tr>{''.join(rows)}</table>"

    def widget(self) -> Any:
        """Build (once) and return the game's widget: title, image, Real/Fake/Play again buttons, report.

        Example:
            >>> game = FakeOrRealGame(make_rounds(np.ones((1, 4, 4)), np.zeros((1, 4, 4)), rounds=2, seed=0))
            >>> type(game.widget()).__name__
            'VBox'
        """
        if self._widgets is None:
            import ipywidgets as widgets

            size = widgets.Layout(width="120px")
            parts = {
                "real": widgets.Button(description="Real", button_style="success", icon="check", layout=size),
                "fake": widgets.Button(description="Fake", button_style="danger", icon="times", layout=size),
                "again": widgets.Button(description="Play again", layout=widgets.Layout(width="120px")),
                "progress": widgets.HTML(),
                "image": widgets.Image(format="png", width=IMAGE_PIXELS, height=IMAGE_PIXELS),
                "report": widgets.HTML(),
            }
            parts["real"].on_click(lambda _: self.finished or self.answer(True))
            parts["fake"].on_click(lambda _: self.finished or self.answer(False))
            parts["again"].on_click(lambda _: self.restart())
            buttons = widgets.HBox([parts["real"], parts["fake"], parts["again"]])
            parts["box"] = widgets.VBox([parts["progress"], parts["image"], buttons, parts["report"]])
            self._widgets = parts
            self._refresh()
        return self._widgets["box"]

    def _refresh(self) -> None:
        parts = self._widgets
        if parts is None:
            return
        current = self.current
        where = "Game over: all" if current is None else f"image {len(self.answers) + 1} of"
        parts["progress"].value = f"<h3 style='margin:0'>{html.escape(self.title)}</h3>{where} {len(self.rounds)} images"
        if current is not None:
            parts["image"].value = image_png(current.image, IMAGE_PIXELS)
        parts["image"].layout.display = None if current is not None else "none"
        parts["real"].disabled = parts["fake"].disabled = current is None
        parts["again"].layout.display = "none" if current is not None else None
        parts["report"].value = self.report_html()

    def show(self) -> Any:
        """Display the game under the cell and return its widget; headless, print how to play from code.

        Example:
            >>> game = FakeOrRealGame(make_rounds(np.ones((1, 4, 4)), np.zeros((1, 4, 4)), rounds=2, seed=0))
            >>> game.show()  # doctest: +ELLIPSIS
            Fake or real? 2 images. ...
        """
        if environment.is_headless():
            print(
                f"{self.title} {len(self.rounds)} images. Nobody can click in a headless run: answer from code "
                "with game.answer(says_real=True/False) or game.play_automatically(player)."
            )
            return None
        from IPython.display import display

        box = self.widget()
        display(box)
        return box
