"""A training animation: what the generator made from the same noise, step after step.

The training monitor records a :class:`Frame` at each check (``monitor.frames``). Play them
inline with :func:`show_training_animation` (JavaScript player, works in JupyterLab, Colab and
VS Code; no ffmpeg needed) or save a GIF with :func:`save_training_gif` (Pillow).

Example:
    >>> import numpy as np
    >>> frames = [Frame(step, np.full((4, 8, 8), step / 100)) for step in (0, 50, 100)]
    >>> animation = training_animation(frames, value_range=(0, 1))
    >>> html = animation_html(animation)
    >>> "<script" in html.data
    True
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from course_utils import checks
from course_utils.files import atomic_output
import numpy as np
from matplotlib.animation import FuncAnimation, PillowWriter
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from course_utils import plots


@dataclass(frozen=True)
class Frame:
    """The generator's samples (from fixed noise) after ``step`` training steps."""

    step: int
    samples: np.ndarray


def sample_kind(samples: Any) -> str:
    """Return how samples are drawn: ``"images"``, ``"points"`` (2-D) or ``"values"`` (1-D).

    Raises:
        ValueError: for samples that are none of these.

    Example:
        >>> sample_kind(np.zeros((10, 2))), sample_kind(np.zeros((10,))), sample_kind(np.zeros((4, 8, 8, 3)))
        ('points', 'values', 'images')
    """
    shape = np.shape(samples)
    if len(shape) == 2 and shape[1] == 2:
        return "points"
    if len(shape) == 1 or (len(shape) == 2 and shape[1] == 1):
        return "values"
    if len(shape) in (3, 4):
        return "images"
    raise ValueError(
        f"Samples of shape {shape} cannot be drawn: expected images (N, H, W[, C]), 2-D points "
        "(N, 2) or 1-D values (N,) or (N, 1)."
    )


def _check_frames(frames: Sequence[Frame]) -> list[Frame]:
    frames = list(frames)
    if not frames:
        raise ValueError("No frames to animate: train with a monitor that has a sample_fn first.")
    for frame in frames:
        if not isinstance(frame, Frame):
            raise ValueError(f"Expected Frame objects (monitor.frames), got {type(frame).__name__}.")
    kinds = {sample_kind(frame.samples) for frame in frames}
    if len(kinds) != 1:
        raise ValueError(f"The frames mix kinds of samples ({sorted(kinds)}).")
    return frames


def training_animation(
    frames: Sequence[Frame],
    *,
    real_samples: Any | None = None,
    value_range: Sequence[float] = (0, 1),
    max_images: int = 36,
    interval_ms: int = 250,
    title: str = "Generated from the same noise",
) -> FuncAnimation:
    """Build an animation of the samples over training, one frame per recorded check.

    Args:
        frames: ``monitor.frames``, or any list of :class:`Frame`.
        real_samples: for 2-D points and 1-D values, real data drawn behind the samples.
        value_range: the images' value range, ``(0, 1)`` or ``(-1, 1)``.
        max_images: the most images per frame (a grid).
        interval_ms: time between frames.
        title: shown with the step number.

    Raises:
        ValueError: for no frames, frames of mixed kinds, or invalid images.

    Example:
        >>> rng = np.random.default_rng(0)
        >>> frames = [Frame(s, rng.normal(size=(50, 2)) * s / 100) for s in (10, 50, 100)]
        >>> "<script" in training_animation(frames).to_jshtml()
        True
    """
    frames = _check_frames(frames)
    kind = sample_kind(frames[0].samples)
    figure = Figure(figsize=(4.6, 4.6) if kind == "images" else (5.4, 4.2), dpi=90)
    FigureCanvasAgg(figure)
    axis = figure.add_subplot()
    heading = axis.set_title("")

    if kind == "images":
        grids = [
            plots.images_to_grid(np.asarray(f.samples)[:max_images], value_range=value_range, pad_value=plots.SEPARATOR_GREY)
            for f in frames
        ]
        picture = axis.imshow(grids[0], interpolation="nearest")
        axis.set_xticks([])
        axis.set_yticks([])

        def draw(index: int) -> list:
            picture.set_data(grids[index])
            heading.set_text(f"{title} — step {frames[index].step}")
            return [picture, heading]

    elif kind == "points":
        all_points = np.concatenate([checks.as_points(f.samples, "samples") for f in frames])
        # The view holds the real data and all but the most stray generated points.
        view = np.percentile(all_points, [1, 99], axis=0)
        if real_samples is not None:
            real = checks.as_points(real_samples, "real_samples")
            axis.scatter(*real.T, s=6, color=plots.REAL_COLOUR, label="real", linewidths=0)
            view = np.concatenate([view, real])
        _, extent = plots.decision_grid(view, resolution=2)
        scatter = axis.scatter(*np.asarray(frames[0].samples).T, s=9, color=plots.FAKE_COLOUR, label="generated",
                               edgecolors="white", linewidths=0.3)
        axis.set_xlim(extent[0], extent[1])
        axis.set_ylim(extent[2], extent[3])
        axis.legend(loc="upper right", fontsize=8)

        def draw(index: int) -> list:
            scatter.set_offsets(np.asarray(frames[index].samples, dtype="float64"))
            heading.set_text(f"{title} — step {frames[index].step}")
            return [scatter, heading]

    else:
        values = [np.asarray(f.samples, dtype="float64").reshape(-1) for f in frames]
        reference = values[-1] if real_samples is None else np.asarray(real_samples, dtype="float64").reshape(-1)
        generated = np.concatenate(values)
        generated = generated[np.isfinite(generated)]
        bins = np.linspace(*_padded_range(np.concatenate([reference, np.percentile(generated, [1, 99])])), 41)
        if real_samples is not None:
            axis.stairs(plots.density_histogram(reference, bins), bins, fill=True, color=plots.REAL_COLOUR, alpha=0.3,
                        label="real")
        counts = [plots.density_histogram(v, bins) for v in values]
        stairs = axis.stairs(counts[0], bins, color=plots.FAKE_COLOUR, linewidth=2, label="generated")
        axis.set_ylim(0, 1.1 * max(float(np.max(c)) for c in counts))
        axis.legend(loc="upper right", fontsize=8)

        def draw(index: int) -> list:
            stairs.set_data(counts[index], bins)
            heading.set_text(f"{title} — step {frames[index].step}")
            return [stairs, heading]

    draw(0)  # sets the title, so that the layout leaves room for it
    figure.tight_layout()
    return FuncAnimation(figure, draw, frames=len(frames), interval=interval_ms, blit=False, repeat=True)


def _padded_range(values: np.ndarray) -> tuple[float, float]:
    low, high = float(np.min(values)), float(np.max(values))
    pad = 0.1 * max(high - low, 1e-6)
    return low - pad, high + pad


def animation_html(animation: FuncAnimation) -> Any:
    """Return an inline player for the animation (an ``IPython.display.HTML`` object).

    Uses ``to_jshtml()``: the frames are embedded as PNGs with a small JavaScript player, so
    it needs no ffmpeg and plays in JupyterLab, Colab and VS Code.

    Example:
        >>> player = animation_html(training_animation([Frame(0, np.zeros((5, 2))), Frame(1, np.ones((5, 2)))]))
        >>> "<script" in player.data
        True
    """
    from IPython.display import HTML  # noqa: PLC0415

    return HTML(animation.to_jshtml())


def show_training_animation(frames: Sequence[Frame], **options: Any) -> Any:
    """Build the animation of ``frames`` and return its inline player (last line of a cell).

    Takes the options of :func:`training_animation`.

    Example:
        >>> player = show_training_animation([Frame(0, np.zeros((4, 4, 4))), Frame(9, np.ones((4, 4, 4)))])
        >>> type(player).__name__
        'HTML'
    """
    return animation_html(training_animation(frames, **options))


def save_training_gif(
    frames_or_animation: Sequence[Frame] | FuncAnimation,
    path: str | os.PathLike,
    *,
    fps: int = 4,
    **options: Any,
) -> Path:
    """Save the training animation as a GIF (with Pillow; no ffmpeg needed).

    The file is written under a temporary name and renamed into place when complete.

    Args:
        frames_or_animation: ``monitor.frames`` or an animation from :func:`training_animation`.
        path: where to write, ending in ``.gif``.
        fps: frames per second.
        options: passed to :func:`training_animation` when given frames.

    Example:
        >>> import tempfile, pathlib
        >>> path = pathlib.Path(tempfile.mkdtemp()) / "training.gif"
        >>> save_training_gif([Frame(0, np.zeros((4, 4, 4))), Frame(9, np.ones((4, 4, 4)))], path).stat().st_size > 0
        True
    """
    path = Path(path)
    if path.suffix.lower() != ".gif":
        raise ValueError(f"The GIF's file name must end in .gif, got {path.name!r}.")
    if isinstance(fps, bool) or int(fps) != fps or fps <= 0:
        raise ValueError(f"fps must be a positive whole number, got {fps!r}.")
    animation = (
        frames_or_animation
        if isinstance(frames_or_animation, FuncAnimation)
        else training_animation(frames_or_animation, **options)
    )
    with atomic_output(path) as temporary:
        animation.save(str(temporary), writer=PillowWriter(fps=int(fps)))
    return path
