"""The fake-or-real game: you and the discriminator judge the same images. Who judges better?

Plumbing for notebook 07 (the lesson there is how to evaluate a GAN; this module only runs the
game). A game is a list of :class:`Round`\\ s, each an image that is either real or generated,
with the discriminator's probability that it is real. The player answers "real" or "fake" for
one image after another; the score is kept beside the discriminator's on the same images, and
a :class:`GameSummary` at the end gives both accuracies, on real and on fake images separately.

In a notebook, :meth:`FakeOrRealGame.show` displays the game with core ipywidgets only
(``Button``, ``HTML``, ``Image``, ``HBox``/``VBox``), so it works with ipywidgets 7.7.1 (Colab)
and 8.x. Headless (tests, ``build execute``) nobody can click: :meth:`FakeOrRealGame.answer`
plays one round from code, and :meth:`FakeOrRealGame.play_automatically` plays the rest.

Example:
    >>> import numpy as np
    >>> real = np.ones((3, 8, 8, 3)) * 0.8
    >>> fake = np.zeros((3, 8, 8, 3))
    >>> rounds = make_rounds(real, fake, rounds=4, seed=0,
    ...                      discriminator=lambda images: images.mean(axis=(1, 2, 3)))
    >>> game = FakeOrRealGame(rounds)
    >>> for _ in range(4):
    ...     _ = game.answer(says_real=True)
    >>> summary = game.summary()
    >>> summary.answered, summary.player_correct, summary.discriminator_correct
    (4, 2, 4)
"""

from __future__ import annotations

import base64
import html
import io
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from course_utils import checks
from course_utils import environment
from course_utils.plots import prepare_images

__all__ = [
    "Answer",
    "FakeOrRealGame",
    "GameOverError",
    "GameSummary",
    "Round",
    "make_rounds",
]

DECISION_THRESHOLD = 0.5
"""The discriminator says "real" when its probability of real is above this."""
DEFAULT_IMAGE_PIXELS = 192
THUMBNAIL_PIXELS = 48
REAL_COLOUR = "#1b5e20"
WRONG_COLOUR = "#b71c1c"


class GameOverError(ValueError):
    """An answer was given after the last round of the game."""


@dataclass(frozen=True)
class Round:
    """One image of the game.

    Attributes:
        index: position in the game (0, 1, ...).
        image: the image, ``(H, W, C)`` floats in ``[0, 1]``.
        is_real: whether the image comes from the real data (else from the generator).
        discriminator_probability: the discriminator's probability that the image is real,
            or ``None`` when the game has no discriminator.
    """

    index: int
    image: np.ndarray
    is_real: bool
    discriminator_probability: float | None = None

    @property
    def discriminator_says_real(self) -> bool | None:
        """The discriminator's verdict: probability of real above 0.5 (``None``: no discriminator)."""
        if self.discriminator_probability is None:
            return None
        return self.discriminator_probability > DECISION_THRESHOLD

    @property
    def discriminator_correct(self) -> bool | None:
        """Whether the discriminator's verdict is right (``None``: no discriminator)."""
        verdict = self.discriminator_says_real
        return None if verdict is None else verdict == self.is_real


@dataclass(frozen=True)
class Answer:
    """The player's answer to one round."""

    round: Round
    player_says_real: bool

    @property
    def player_correct(self) -> bool:
        """Whether the player's answer is right."""
        return self.player_says_real == self.round.is_real


def _share(numerator: int, denominator: int) -> float:
    return numerator / denominator if denominator else float("nan")


@dataclass(frozen=True)
class GameSummary:
    """Scores after a game (or part of one): the player's and the discriminator's.

    Accuracies are shares of the answered rounds; ``nan`` where there is nothing to count
    (no real images answered yet, or no discriminator).
    """

    rounds: int
    answered: int
    player_correct: int
    discriminator_correct: int | None
    player_accuracy_real: float
    player_accuracy_fake: float
    discriminator_accuracy_real: float
    discriminator_accuracy_fake: float

    @property
    def player_accuracy(self) -> float:
        """The player's share of right answers."""
        return _share(self.player_correct, self.answered)

    @property
    def discriminator_accuracy(self) -> float:
        """The discriminator's share of right verdicts on the answered rounds."""
        if self.discriminator_correct is None:
            return float("nan")
        return _share(self.discriminator_correct, self.answered)

    def as_dict(self) -> dict[str, float | int | None]:
        """Return the numbers as a plain dict (for a quality record or a table).

        Example:
            >>> GameSummary(2, 2, 1, 2, 1.0, 0.0, 1.0, 1.0).as_dict()["player_accuracy"]
            0.5
        """
        return {
            "rounds": self.rounds,
            "answered": self.answered,
            "player_correct": self.player_correct,
            "discriminator_correct": self.discriminator_correct,
            "player_accuracy": self.player_accuracy,
            "player_accuracy_real": self.player_accuracy_real,
            "player_accuracy_fake": self.player_accuracy_fake,
            "discriminator_accuracy": self.discriminator_accuracy,
            "discriminator_accuracy_real": self.discriminator_accuracy_real,
            "discriminator_accuracy_fake": self.discriminator_accuracy_fake,
        }

    def to_text(self) -> str:
        """Return the summary in a few lines of text.

        Example:
            >>> print(GameSummary(2, 2, 1, None, 1.0, 0.0, float("nan"), float("nan")).to_text())
            You: 1 of 2 right (50%): 100% of the real images, 0% of the fakes.
        """
        if self.answered == 0:
            return f"No answers yet (0 of {self.rounds} images)."
        lines = [
            (
                f"You: {self.player_correct} of {self.answered} right ({_percent(self.player_accuracy)}): "
                f"{_percent(self.player_accuracy_real)} of the real images, "
                f"{_percent(self.player_accuracy_fake)} of the fakes."
            )
        ]
        if self.discriminator_correct is not None:
            lines.append(
                f"Discriminator: {self.discriminator_correct} of {self.answered} right "
                f"({_percent(self.discriminator_accuracy)}): {_percent(self.discriminator_accuracy_real)} "
                f"of the real images, {_percent(self.discriminator_accuracy_fake)} of the fakes."
            )
        if self.answered < self.rounds:
            lines.append(f"({self.answered} of {self.rounds} images answered.)")
        return "\n".join(lines)


def _percent(value: float) -> str:
    return "n/a" if math.isnan(value) else f"{value:.0%}"


# --------------------------------------------------------------------------------------------
# Making the rounds
# --------------------------------------------------------------------------------------------


def _probabilities(discriminator: Callable[[np.ndarray], Any], images: np.ndarray, what: str) -> np.ndarray:
    output = discriminator(images)
    if hasattr(output, "numpy") and callable(output.numpy):
        output = output.numpy()
    values = np.asarray(output, dtype="float64").reshape(-1)
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
    return values


def make_rounds(
    real_images: Any,
    fake_images: Any,
    *,
    rounds: int = 10,
    discriminator: Callable[[np.ndarray], Any] | None = None,
    value_range: Sequence[float] = (0, 1),
    seed: int | None = None,
) -> list[Round]:
    """Draw a shuffled game: half real images, half generated ones, with D's verdict on each.

    Args:
        real_images: real images, ``(N, H, W, C)`` (or ``(N, H, W)``) in ``value_range``.
        fake_images: generated images of the same size, in ``value_range``.
        rounds: images in the game (real ones get the extra round when it is odd).
        discriminator: a function from a batch of images *in* ``value_range`` (as the
            discriminator was trained) to its probability of real per image, e.g.
            ``lambda images: discriminator(images, training=False)``; ``None`` to play alone.
        value_range: the images' value range, ``(0, 1)`` or ``(-1, 1)``.
        seed: which images are drawn and in which order (``None``: a fresh game every time).

    Raises:
        ValueError: for too few images, images of different sizes, a bad ``rounds``, or a
            discriminator that does not return one probability per image.

    Example:
        >>> rounds = make_rounds(np.ones((5, 4, 4, 3)), np.zeros((5, 4, 4, 3)), rounds=3, seed=1)
        >>> sorted(round.is_real for round in rounds)
        [False, True, True]
    """
    if isinstance(rounds, bool) or not isinstance(rounds, (int, np.integer)) or rounds < 2:
        raise ValueError(f"rounds must be a whole number of at least 2 (one real, one fake image), got {rounds!r}.")
    checks.value_range(value_range)
    real = np.asarray(real_images, dtype="float32")
    fake = np.asarray(fake_images, dtype="float32")
    real_shown = prepare_images(real, value_range)
    fake_shown = prepare_images(fake, value_range)
    if real_shown.shape[1:] != fake_shown.shape[1:]:
        raise ValueError(
            f"Real and generated images must have the same size; got {real_shown.shape[1:]} and "
            f"{fake_shown.shape[1:]}."
        )
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
    real_probabilities: list[float | None] = [None] * real_count
    fake_probabilities: list[float | None] = [None] * fake_count
    if discriminator is not None:
        # D sees the images exactly as given (its own value range), not the display copies.
        real_probabilities = list(_probabilities(discriminator, real[real_chosen], "real"))
        fake_probabilities = list(_probabilities(discriminator, fake[fake_chosen], "generated"))
    items = [(real_shown[i], True, p) for i, p in zip(real_chosen, real_probabilities)]
    items += [(fake_shown[i], False, p) for i, p in zip(fake_chosen, fake_probabilities)]
    order = rng.permutation(len(items))
    return [
        Round(
            index=position,
            image=items[item][0],
            is_real=items[item][1],
            discriminator_probability=None if items[item][2] is None else float(items[item][2]),
        )
        for position, item in enumerate(order)
    ]


# --------------------------------------------------------------------------------------------
# Pictures for the widgets
# --------------------------------------------------------------------------------------------


def image_png(image: np.ndarray, pixels: int = DEFAULT_IMAGE_PIXELS) -> bytes:
    """Encode one ``(H, W, C)`` image in ``[0, 1]`` as PNG, enlarged to ``pixels`` wide (blocky).

    Nearest-neighbour enlarging keeps the pixels visible: the player sees what D sees.

    Example:
        >>> image_png(np.zeros((8, 8, 3)), pixels=32)[:4]
        b'\\x89PNG'
    """
    from PIL import Image

    array = np.asarray(image, dtype="float32")
    if array.ndim != 3 or array.shape[-1] not in (1, 3):
        raise ValueError(f"image_png takes one image (H, W, 1) or (H, W, 3); got shape {array.shape}.")
    if isinstance(pixels, bool) or not isinstance(pixels, (int, np.integer)) or pixels < 1:
        raise ValueError(f"pixels must be a positive whole number, got {pixels!r}.")
    values = np.round(np.clip(array, 0.0, 1.0) * 255).astype("uint8")
    picture = Image.fromarray(values[..., 0], mode="L") if values.shape[-1] == 1 else Image.fromarray(values, mode="RGB")
    height = max(1, round(pixels * array.shape[0] / array.shape[1]))
    picture = picture.resize((int(pixels), height), Image.Resampling.NEAREST)
    buffer = io.BytesIO()
    picture.save(buffer, format="PNG")
    return buffer.getvalue()


def _thumbnail_html(image: np.ndarray) -> str:
    data = base64.b64encode(image_png(image, THUMBNAIL_PIXELS)).decode("ascii")
    return f'<img src="data:image/png;base64,{data}" width="{THUMBNAIL_PIXELS}" style="image-rendering:pixelated">'


def _verdict(says_real: bool | None) -> str:
    return "—" if says_real is None else ("real" if says_real else "fake")


def _mark(correct: bool | None) -> str:
    if correct is None:
        return ""
    return f'<span style="color:{REAL_COLOUR}">✔</span>' if correct else f'<span style="color:{WRONG_COLOUR}">✘</span>'


# --------------------------------------------------------------------------------------------
# The game
# --------------------------------------------------------------------------------------------


class FakeOrRealGame:
    """A game of "real or fake?" between the player and the discriminator, on the same images.

    Args:
        rounds: the rounds, usually from :func:`make_rounds`.
        image_pixels: how wide the image is shown (it is enlarged without smoothing).
        title: the heading over the game.

    Raises:
        ValueError: for no rounds, or rounds that are not :class:`Round`\\ s.

    Example:
        >>> rounds = make_rounds(np.ones((2, 4, 4, 3)), np.zeros((2, 4, 4, 3)), rounds=2, seed=0)
        >>> game = FakeOrRealGame(rounds)
        >>> game.answer(says_real=rounds[0].is_real).player_correct
        True
        >>> game.finished
        False
    """

    def __init__(
        self,
        rounds: Sequence[Round],
        *,
        image_pixels: int = DEFAULT_IMAGE_PIXELS,
        title: str = "Fake or real?",
    ) -> None:
        rounds = list(rounds)
        if not rounds:
            raise ValueError("A game needs at least one round: make them with make_rounds(real, fake).")
        if not all(isinstance(item, Round) for item in rounds):
            raise ValueError("rounds must be Round objects, as make_rounds(real_images, fake_images) returns.")
        if isinstance(image_pixels, bool) or not isinstance(image_pixels, (int, np.integer)) or image_pixels < 16:
            raise ValueError(f"image_pixels must be a whole number of at least 16, got {image_pixels!r}.")
        self.rounds = rounds
        self.image_pixels = int(image_pixels)
        self.title = title
        self.answers: list[Answer] = []
        self._widgets: dict[str, Any] | None = None
        self.has_discriminator = all(item.discriminator_probability is not None for item in rounds)

    # ----------------------------------------------------------------------------------------
    # Playing
    # ----------------------------------------------------------------------------------------

    @property
    def finished(self) -> bool:
        """Whether every round has been answered."""
        return len(self.answers) >= len(self.rounds)

    @property
    def current(self) -> Round | None:
        """The round waiting for an answer, or ``None`` when the game is over."""
        return None if self.finished else self.rounds[len(self.answers)]

    def answer(self, says_real: bool) -> Answer:
        """Answer the current round ("real": ``True``, "fake": ``False``) and move on.

        This is what the Real and Fake buttons call; tests and headless runs call it directly.

        Raises:
            GameOverError: after the last round (start again with :meth:`restart`).
            ValueError: when ``says_real`` is not ``True`` or ``False``.

        Example:
            >>> game = FakeOrRealGame(make_rounds(np.ones((1, 4, 4)), np.zeros((1, 4, 4)), rounds=2, seed=0))
            >>> _ = game.answer(True); _ = game.answer(False); game.finished
            True
        """
        if not isinstance(says_real, (bool, np.bool_)):
            raise ValueError(f"says_real must be True (real) or False (fake), got {says_real!r}.")  # noqa: TRY004 - the course's rule: bad input is a ValueError
        current = self.current
        if current is None:
            raise GameOverError(
                f"The game is over: all {len(self.rounds)} images are answered. Call restart() to play again."
            )
        answer = Answer(current, bool(says_real))
        self.answers.append(answer)
        self._refresh()
        return answer

    def play_automatically(self, player: Callable[[np.ndarray], bool]) -> GameSummary:
        """Answer every remaining round with ``player(image) -> says_real`` and return the summary.

        For headless runs, where nobody can click; ``image`` is ``(H, W, C)`` in ``[0, 1]``.

        Example:
            >>> game = FakeOrRealGame(make_rounds(np.ones((2, 4, 4)), np.zeros((2, 4, 4)), rounds=4, seed=0))
            >>> game.play_automatically(lambda image: image.mean() > 0.5).player_correct
            4
        """
        while self.current is not None:
            self.answer(bool(player(self.current.image)))
        return self.summary()

    def restart(self) -> None:
        """Forget all answers and start again with the first image.

        Example:
            >>> game = FakeOrRealGame(make_rounds(np.ones((1, 4, 4)), np.zeros((1, 4, 4)), rounds=2, seed=0))
            >>> _ = game.answer(True); game.restart(); len(game.answers)
            0
        """
        self.answers = []
        self._refresh()

    def summary(self) -> GameSummary:
        """Return both scores so far, overall and on real and fake images separately.

        Example:
            >>> game = FakeOrRealGame(make_rounds(np.ones((1, 4, 4)), np.zeros((1, 4, 4)), rounds=2, seed=0))
            >>> game.summary().answered
            0
        """
        answers = self.answers
        real = [answer for answer in answers if answer.round.is_real]
        fake = [answer for answer in answers if not answer.round.is_real]

        def player_share(group: list[Answer]) -> float:
            return _share(sum(answer.player_correct for answer in group), len(group))

        def discriminator_share(group: list[Answer]) -> float:
            if not self.has_discriminator:
                return float("nan")
            return _share(sum(bool(answer.round.discriminator_correct) for answer in group), len(group))

        discriminator_correct = (
            sum(bool(answer.round.discriminator_correct) for answer in answers) if self.has_discriminator else None
        )
        return GameSummary(
            rounds=len(self.rounds),
            answered=len(answers),
            player_correct=sum(answer.player_correct for answer in answers),
            discriminator_correct=discriminator_correct,
            player_accuracy_real=player_share(real),
            player_accuracy_fake=player_share(fake),
            discriminator_accuracy_real=discriminator_share(real),
            discriminator_accuracy_fake=discriminator_share(fake),
        )

    # ----------------------------------------------------------------------------------------
    # Texts shown by the widgets
    # ----------------------------------------------------------------------------------------

    def score_html(self) -> str:
        """The score line: the player's and the discriminator's right answers so far.

        Example:
            >>> game = FakeOrRealGame(make_rounds(np.ones((1, 4, 4)), np.zeros((1, 4, 4)), rounds=2, seed=0))
            >>> "You 0 / 0" in game.score_html()
            True
        """
        summary = self.summary()
        text = f"<b>You {summary.player_correct} / {summary.answered}</b>"
        if summary.discriminator_correct is not None:
            text += f" &nbsp;·&nbsp; <b>Discriminator {summary.discriminator_correct} / {summary.answered}</b>"
        return f'<div style="font-size:1.1em">{text}</div>'

    def feedback_html(self) -> str:
        """What the last answer was worth, and what the discriminator said about that image.

        Example:
            >>> game = FakeOrRealGame(make_rounds(np.ones((1, 4, 4)), np.zeros((1, 4, 4)), rounds=2, seed=0))
            >>> "It was" in game.feedback_html()
            False
        """
        if not self.answers:
            return "Is this image a real photo or made by the generator? Click <b>Real</b> or <b>Fake</b>."
        last = self.answers[-1]
        truth = "real" if last.round.is_real else "fake (generated)"
        colour = REAL_COLOUR if last.player_correct else WRONG_COLOUR
        text = (
            f'<span style="color:{colour}">{"Right" if last.player_correct else "Wrong"}:</span> '
            f"image {last.round.index + 1} was <b>{truth}</b>."
        )
        if last.round.discriminator_probability is not None:
            text += (
                f" The discriminator said {_verdict(last.round.discriminator_says_real)} "
                f"(P(real) = {last.round.discriminator_probability:.2f}) {_mark(last.round.discriminator_correct)}."
            )
        return text

    def progress_html(self) -> str:
        """Which image is shown, e.g. "image 3 of 10".

        Example:
            >>> game = FakeOrRealGame(make_rounds(np.ones((1, 4, 4)), np.zeros((1, 4, 4)), rounds=2, seed=0))
            >>> "image 1 of 2" in game.progress_html()
            True
        """
        if self.finished:
            return f"<h3 style='margin:0'>{html.escape(self.title)}</h3>Game over: all {len(self.rounds)} images answered."
        return (
            f"<h3 style='margin:0'>{html.escape(self.title)}</h3>"
            f"image {len(self.answers) + 1} of {len(self.rounds)}"
        )

    def summary_html(self) -> str:
        """The end-of-game summary: both scores and every image with its verdicts.

        Example:
            >>> game = FakeOrRealGame(make_rounds(np.ones((1, 4, 4)), np.zeros((1, 4, 4)), rounds=2, seed=0))
            >>> game.play_automatically(lambda image: True).answered, "<table" in game.summary_html()
            (2, True)
        """
        summary = self.summary()
        if summary.answered == 0:
            return ""
        lines = "".join(f"<li>{html.escape(line)}</li>" for line in summary.to_text().splitlines())
        header = "<th>image</th><th>truth</th><th>you</th>"
        if self.has_discriminator:
            header += "<th>discriminator (P(real))</th>"
        rows = []
        for answer in self.answers:
            item = answer.round
            row = (
                f"<td>{_thumbnail_html(item.image)}</td><td>{'real' if item.is_real else 'fake'}</td>"
                f"<td>{_verdict(answer.player_says_real)} {_mark(answer.player_correct)}</td>"
            )
            if self.has_discriminator:
                row += (
                    f"<td>{_verdict(item.discriminator_says_real)} ({item.discriminator_probability:.2f}) "
                    f"{_mark(item.discriminator_correct)}</td>"
                )
            rows.append(f"<tr>{row}</tr>")
        return (
            f"<h4 style='margin:4px 0'>Summary</h4><ul>{lines}</ul>"
            f"<table style='border-collapse:collapse;text-align:center'><tr>{header}</tr>{''.join(rows)}</table>"
        )

    # ----------------------------------------------------------------------------------------
    # Widgets
    # ----------------------------------------------------------------------------------------

    def widget(self) -> Any:
        """Build (once) and return the game's widget: image, Real/Fake buttons, score, summary.

        Core ipywidgets only, so it works with ipywidgets 7.7.1 and 8.x.

        Example:
            >>> game = FakeOrRealGame(make_rounds(np.ones((1, 4, 4)), np.zeros((1, 4, 4)), rounds=2, seed=0))
            >>> type(game.widget()).__name__
            'VBox'
        """
        if self._widgets is None:
            import ipywidgets as widgets

            real_button = widgets.Button(description="Real", button_style="success", icon="check",
                                         layout=widgets.Layout(width="120px"))
            fake_button = widgets.Button(description="Fake", button_style="danger", icon="times",
                                         layout=widgets.Layout(width="120px"))
            again_button = widgets.Button(description="Play again", layout=widgets.Layout(width="120px"))
            real_button.on_click(lambda _: self._click(True))
            fake_button.on_click(lambda _: self._click(False))
            again_button.on_click(lambda _: self.restart())
            parts = {
                "progress": widgets.HTML(),
                "image": widgets.Image(format="png", width=self.image_pixels, height=self.image_pixels),
                "real": real_button,
                "fake": fake_button,
                "again": again_button,
                "feedback": widgets.HTML(),
                "score": widgets.HTML(),
                "summary": widgets.HTML(),
            }
            parts["buttons"] = widgets.HBox([real_button, fake_button, again_button])
            parts["box"] = widgets.VBox([
                parts["progress"], parts["image"], parts["buttons"], parts["feedback"], parts["score"], parts["summary"],
            ])
            self._widgets = parts
            self._refresh()
        return self._widgets["box"]

    def _click(self, says_real: bool) -> None:
        if not self.finished:
            self.answer(says_real)

    def _refresh(self) -> None:
        parts = self._widgets
        if parts is None:
            return
        current = self.current
        parts["progress"].value = self.progress_html()
        if current is not None:
            parts["image"].value = image_png(current.image, self.image_pixels)
        parts["image"].layout.display = None if current is not None else "none"
        parts["real"].disabled = parts["fake"].disabled = current is None
        parts["again"].layout.display = "none" if current is not None else None
        parts["feedback"].value = self.feedback_html()
        parts["score"].value = self.score_html()
        parts["summary"].value = self.summary_html() if current is None else ""

    def show(self) -> Any:
        """Display the game under the cell; headless, print how to play from code instead.

        Returns:
            The widget (interactive) or ``None`` (headless).

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
