"""A training animation: what the generator made from the same noise, step after step.

The training monitor keeps a :class:`Frame` at each check (``monitor.frames``);
:func:`show_training_animation` plays them inline (matplotlib's JavaScript player: no ffmpeg,
works in JupyterLab, Colab and VS Code).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from matplotlib.animation import FuncAnimation
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from course_utils import checks, plots
from course_utils.dashboard import MAX_IMAGES, sample_kind


@dataclass(frozen=True)
class Frame:
    """The generator's samples (from fixed noise) after ``step`` training steps."""

    step: int
    samples: np.ndarray


def training_animation(frames: Sequence[Frame], *, real_samples: Any | None = None, value_range: Sequence[float] = (0, 1),
                       title: str = "Generated from the same noise") -> FuncAnimation:
    """Build the animation of ``frames`` (``monitor.frames``), one frame per recorded check.

    Images (at most 36 a frame) in ``value_range``, or 2-D points over ``real_samples``; ``title``
    is shown with the step number. No frames, frames of mixed kinds or invalid images: a ValueError.

    Example:
        >>> frames = [Frame(s, np.random.default_rng(0).normal(size=(50, 2)) * s) for s in (1, 2)]
        >>> "<script" in training_animation(frames).to_jshtml()
        True
    """
    frames = list(frames)
    if not frames:
        raise ValueError("No frames to animate: train with a monitor that has a sample_fn first.")
    kinds = {sample_kind(frame.samples) for frame in frames}
    if len(kinds) != 1:
        raise ValueError(f"The frames mix kinds of samples ({sorted(kinds)}).")
    kind = kinds.pop()
    figure = Figure(figsize=(4.6, 4.6) if kind == "images" else (5.4, 4.2), dpi=90)
    FigureCanvasAgg(figure)
    axis = figure.add_subplot()
    if kind == "images":
        grids = [plots.images_to_grid(np.asarray(f.samples)[:MAX_IMAGES], value_range=value_range,
                                      pad_value=plots.SEPARATOR_GREY) for f in frames]
        artist = axis.imshow(grids[0], interpolation="nearest")
        axis.set_xticks([])
        axis.set_yticks([])
        show = artist.set_data
        data = grids
    else:
        data = [checks.as_points(f.samples, "samples") for f in frames]
        view = np.percentile(np.concatenate(data), [1, 99], axis=0)  # all but the most stray points
        if real_samples is not None:
            real = checks.as_points(real_samples, "real_samples")
            axis.scatter(*real.T, s=6, color=plots.REAL_COLOUR, label="real", linewidths=0)
            view = np.concatenate([view, real])
        _, extent = plots.decision_grid(view, resolution=2)
        artist = axis.scatter(*data[0].T, s=9, color=plots.FAKE_COLOUR, label="generated", edgecolors="white",
                              linewidths=0.3)
        axis.set_xlim(extent[0], extent[1])
        axis.set_ylim(extent[2], extent[3])
        axis.legend(loc="upper right", fontsize=8)
        show = artist.set_offsets
    heading = axis.set_title("")

    def draw(index: int) -> list:
        show(data[index])
        heading.set_text(f"{title} — step {frames[index].step}")
        return [artist, heading]

    draw(0)  # sets the title, so that the layout leaves room for it
    figure.tight_layout()
    return FuncAnimation(figure, draw, frames=len(frames), interval=250, blit=False, repeat=True)


def show_training_animation(frames: Sequence[Frame], **options: Any) -> Any:
    """Return an inline player (PNG frames, a small JavaScript player) of :func:`training_animation`; put it last in a cell.

    Example:
        >>> player = show_training_animation([Frame(0, np.zeros((4, 4, 4))), Frame(9, np.ones((4, 4, 4)))])
        >>> type(player).__name__
        'HTML'
    """
    from IPython.display import HTML  # noqa: PLC0415

    return HTML(training_animation(frames, **options).to_jshtml())
