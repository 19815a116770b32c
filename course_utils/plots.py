"""The course's shared pictures: image grids, training curves, decision maps, interpolation strips.

Every function checks its input, draws with matplotlib and returns the Figure (assign it, or end
the line with ``;``, so Jupyter does not show it twice). The same colours mean the same thing
everywhere: orange is the generator and what it makes, dark grey real data, blue the discriminator.

Example:
    >>> import numpy as np
    >>> fig = plot_image_grid(np.zeros((4, 8, 8)), value_range=(0, 1))
    >>> len(fig.axes)
    4
"""

from __future__ import annotations

import io
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from course_utils import checks
from course_utils.diagnostics import ACCURACY_KEYS, LOSS_KEYS

REAL_COLOUR = "#303030"
FAKE_COLOUR = "#f07f13"
DISCRIMINATOR_COLOUR = "#1f6fb4"
GENERATOR_COLOUR = FAKE_COLOUR
HEALTHY_BAND = (0.7, 0.9)
"""D accuracy the lecture calls healthy: "about 80% for both" real and fake."""
DECISION_COLOURMAP = "RdBu"
"""D's output P(real): red where D says fake, blue where it says real."""
MAP_RESOLUTION = 100  # grid points a side of plot_decision_map's map

VALUE_RANGE_SLACK = 0.05
"""Share of the range's width images may overshoot it (then clipped); beyond, it is the wrong range."""
SEPARATOR_GREY = 0.55
"""Grey of the lines between tiles in the dashboard and animations (white would merge with white strokes)."""
MAX_GRID_IMAGES = 100

CURVE_LABELS = {"d_loss": "D loss", "g_loss": "G loss", "d_acc_real": "D accuracy on real", "d_acc_fake": "D accuracy on fake"}
CURVE_COLOURS = {"d_loss": DISCRIMINATOR_COLOUR, "g_loss": GENERATOR_COLOUR, "d_acc_real": REAL_COLOUR, "d_acc_fake": FAKE_COLOUR}


def prepare_images(images: Any, value_range: Sequence[float] = (0, 1)) -> np.ndarray:
    """Check a batch of images and return it as floats in [0, 1], shape ``(N, H, W, C)``.

    Accepts ``(N, H, W)``, ``(N, H, W, 1)`` and ``(N, H, W, 3)`` in ``value_range`` (``(0, 1)``,
    or ``(-1, 1)`` after a ``tanh``). Values a little outside the range are clipped; far outside
    raises a ValueError that says which range the values look like.

    Example:
        >>> float(prepare_images(np.full((2, 4, 4), -1.0), value_range=(-1, 1)).max())
        0.0
    """
    low, high = checks.value_range(value_range)
    array = np.asarray(images, dtype="float32")
    if array.ndim == 2 or (array.ndim == 3 and array.shape[-1] in (1, 3) and array.shape[1] > 3):
        raise ValueError(
            f"Expected a batch of images (N, H, W) or (N, H, W, C) but got what looks like one "
            f"image of shape {array.shape}. Wrap it in a batch: images[None]."
        )
    if array.ndim == 3:
        array = array[..., None]
    if array.ndim != 4:
        raise ValueError(f"Expected a batch of images (N, H, W) or (N, H, W, C), got rank {array.ndim}: {array.shape}.")
    if array.shape[-1] not in (1, 3):
        raise ValueError(
            f"Images need 1 (grey) or 3 (RGB) channels in the last axis, got shape {array.shape}. "
            "Channels-first data? Use np.moveaxis(images, 1, -1)."
        )
    if array.shape[0] == 0:
        raise ValueError("Got an empty batch of images (N = 0).")
    if not np.all(np.isfinite(array)):
        raise ValueError("The images contain NaN or infinite values; check the generator's losses.")
    slack = VALUE_RANGE_SLACK * (high - low)
    smallest, largest = float(array.min()), float(array.max())
    if smallest < low - slack or largest > high + slack:
        raise ValueError(
            f"The images have values from {smallest:.3g} to {largest:.3g}, outside "
            f"value_range=({low:g}, {high:g}). {_range_hint(smallest, largest)}"
        )
    return np.clip((array - low) / (high - low), 0.0, 1.0)


def _range_hint(smallest: float, largest: float) -> str:
    if smallest >= -1.05 and largest <= 1.05 and smallest < -0.05:
        return "Outputs of a tanh layer lie in [-1, 1]: pass value_range=(-1, 1)."
    if smallest >= 0 and largest > 1.5:
        return "Pixel values 0-255? Pass value_range=(0, 255) or divide by 255."
    return "Pass the range your images really use, e.g. value_range=(0, 1) or (-1, 1)."


def images_to_grid(
    images: Any, *, value_range: Sequence[float] = (0, 1), columns: int | None = None, padding: int = 1,
    pad_value: float = 1.0,
) -> np.ndarray:
    """Tile a batch of images into one RGB picture, ``(rows*H, columns*W, 3)`` in [0, 1].

    Lines of ``padding`` pixels of grey ``pad_value`` (1: white) separate the tiles and fill empty ones.

    Example:
        >>> images_to_grid(np.zeros((6, 4, 4)), columns=3, padding=0).shape
        (8, 12, 3)
    """
    prepared = prepare_images(images, value_range)
    count, height, width, channels = prepared.shape
    columns = _columns_for(count, columns)
    padding = checks.whole_number(padding, "padding", minimum=0)
    rows = -(-count // columns)
    if channels == 1:
        prepared = np.repeat(prepared, 3, axis=-1)
    cell_h, cell_w = height + padding, width + padding
    grid = np.full((rows * cell_h - padding, columns * cell_w - padding, 3), pad_value, dtype="float32")
    for index in range(count):
        row, column = divmod(index, columns)
        grid[row * cell_h : row * cell_h + height, column * cell_w : column * cell_w + width] = prepared[index]
    return grid


def _columns_for(count: int, columns: int | None) -> int:
    return int(np.ceil(np.sqrt(count))) if columns is None else checks.whole_number(columns, "columns")


def plot_image_grid(
    images: Any, *, labels: Sequence[Any] | None = None, value_range: Sequence[float] = (0, 1),
    columns: int | None = None, title: str | None = None, image_size: float = 1.2,
) -> Figure:
    """Show a batch of images in a grid, each with an optional label under it.

    ``images`` as for :func:`prepare_images`, at most 100; ``columns`` per row (default: a
    square-ish grid); ``image_size`` in inches per image.

    Example:
        >>> images = np.random.default_rng(0).uniform(-1, 1, size=(6, 8, 8, 3))
        >>> fig = plot_image_grid(images, labels=list("abcdef"), value_range=(-1, 1), columns=3)
        >>> len(fig.axes)
        6
    """
    prepared = prepare_images(images, value_range)
    count = prepared.shape[0]
    if count > MAX_GRID_IMAGES:
        raise ValueError(f"plot_image_grid shows at most {MAX_GRID_IMAGES} images, got {count}: pass images[:64].")
    if labels is not None and len(labels) != count:
        raise ValueError(f"Got {len(labels)} labels for {count} images: pass one label per image.")
    columns = _columns_for(count, columns)
    rows = -(-count // columns)
    label_room = 0.25 if labels is not None else 0.0
    size = (columns * image_size, rows * (image_size + label_room) + (0.4 if title else 0))
    figure, axes = plt.subplots(rows, columns, figsize=size, squeeze=False)
    for index, axis in enumerate(axes.flat):
        if index >= count:
            figure.delaxes(axis)
            continue
        _show_image(axis, prepared[index])
        if labels is not None:
            axis.set_xlabel(str(labels[index]), fontsize=9)
    if title:
        figure.suptitle(title)
    figure.tight_layout(pad=0.3, h_pad=0.3 if labels is None else 0.6, w_pad=0.3)
    return figure


def _show_image(axis: Axes, image: np.ndarray) -> None:
    grey = image.shape[-1] == 1
    axis.imshow(image[..., 0] if grey else image, cmap="gray" if grey else None, vmin=0.0, vmax=1.0, interpolation="nearest")
    axis.set(xticks=[], yticks=[])


def image_png(image: Any, pixels: int, value_range: Sequence[float] = (0, 1)) -> bytes:
    """Encode one image ``(H, W, C)`` in ``value_range`` as PNG, enlarged to ``pixels`` wide without smoothing.

    For the widgets of notebooks 07 and 10: each generated pixel stays a sharp square.

    Example:
        >>> image_png(np.zeros((8, 8, 3)), pixels=32)[:4]
        b'\\x89PNG'
    """
    from PIL import Image

    array = np.asarray(image, dtype="float32")
    if array.ndim != 3 or array.shape[-1] not in (1, 3):
        raise checks.InputError(f"image_png takes one image (H, W, 1) or (H, W, 3); got shape {array.shape}.")
    low, high = checks.value_range(value_range)
    values = (np.clip((array - low) / (high - low), 0.0, 1.0) * 255 + 0.5).astype("uint8")
    picture = Image.fromarray(values[..., 0] if values.shape[-1] == 1 else values)
    height = max(1, round(pixels * array.shape[0] / array.shape[1]))
    buffer = io.BytesIO()
    picture.resize((pixels, height), Image.Resampling.NEAREST).save(buffer, format="PNG")
    return buffer.getvalue()


def plot_interpolation(
    images: Any, *, value_range: Sequence[float] = (0, 1), labels: Sequence[Any] | None = None,
    title: str | None = None, image_size: float = 1.2,
) -> Figure:
    """Show images side by side in one row, e.g. generated along a path in the latent space.

    Without labels the first and last image are marked "start" and "end".

    Example:
        >>> strip = np.linspace(0, 1, 5)[:, None, None] * np.ones((5, 8, 8))
        >>> fig = plot_interpolation(strip, title="z1 -> z2")
        >>> len(fig.axes)
        5
    """
    prepared = prepare_images(images, value_range)
    count = prepared.shape[0]
    if count < 2 or count > 30:
        raise ValueError(f"An interpolation strip needs 2 to 30 images, got {count}.")
    if labels is None:
        labels = ["start"] + [""] * (count - 2) + ["end"]
    return plot_image_grid(images, labels=labels, value_range=value_range, columns=count, title=title, image_size=image_size)


def history_series(history: Any, key: str) -> tuple[np.ndarray, np.ndarray]:
    """Return ``(steps, values)`` for one key of a history (a dict of lists, or Keras' ``History``).

    The steps come from the history's ``"step"`` list when it matches the key's length, else
    they count 0, 1, 2, ... (e.g. epochs). A missing key raises a ValueError naming those there.

    Example:
        >>> history_series({"step": [0, 1], "d_loss": [1.2, 1.1]}, "d_loss")[0]
        array([0., 1.])
    """
    data = history.history if hasattr(history, "history") and isinstance(history.history, Mapping) else history
    if not isinstance(data, Mapping):
        raise ValueError(f"Expected a history: a dict of lists such as monitor.history, or the object fit() returns; "
                         f"got {type(history).__name__}.")
    if key not in data:
        available = ", ".join(sorted(k for k in data if k != "step")) or "none"
        raise ValueError(f"The history has no {key!r} values (it has: {available}). Check the names your training "
                         "step returns, or pass the keys to plot.")
    values = np.asarray(data[key], dtype="float64")
    steps = data.get("step")
    if steps is not None and len(steps) == len(values):
        return np.asarray(steps, dtype="float64"), values
    return np.arange(len(values), dtype="float64"), values


def bucket_means(steps: np.ndarray, values: np.ndarray, max_points: int = 200) -> tuple[np.ndarray, np.ndarray]:
    """Average a long, noisy curve over equal buckets of steps, keeping at most ``max_points``.

    Each point is the mean of one bucket, placed at the bucket's last step.

    Example:
        >>> bucket_means(np.arange(10.0), np.arange(10.0), max_points=5)
        (array([1., 3., 5., 7., 9.]), array([0.5, 2.5, 4.5, 6.5, 8.5]))
    """
    count = len(values)
    if count <= max_points:
        return np.asarray(steps, dtype="float64"), np.asarray(values, dtype="float64")
    size = -(-count // max_points)
    usable = count - count % size
    means = np.asarray(values[:usable], dtype="float64").reshape(-1, size).mean(axis=1)
    ends = np.asarray(steps[size - 1 : usable : size], dtype="float64")
    if usable < count:
        means = np.append(means, np.mean(values[usable:]))
        ends = np.append(ends, steps[-1])
    return ends, means


def plot_training_curves(history: Any, *, loss_keys: Sequence[str] = LOSS_KEYS,
                         accuracy_keys: Sequence[str] | None = ACCURACY_KEYS, title: str | None = None) -> Figure:
    """Plot losses and (separately) D's accuracy on real and fake from a training history.

    ``history`` is ``monitor.history``, any dict of lists, or the ``History`` from ``fit()``.
    Long curves are averaged over buckets of steps (at most 200 points); the accuracy panel
    shades D's healthy band; ``accuracy_keys=None``: losses only.

    Example:
        >>> history = {"d_loss": [1.4, 1.3], "g_loss": [0.7, 0.8],
        ...            "d_acc_real": [0.5, 0.7], "d_acc_fake": [0.5, 0.8]}
        >>> fig = plot_training_curves(history)
        >>> [axis.get_title() for axis in fig.axes]
        ['Losses', 'Discriminator accuracy']
    """
    series = {key: history_series(history, key) for key in list(loss_keys) + list(accuracy_keys or ())}
    panels = 2 if accuracy_keys else 1
    figure, axes = plt.subplots(1, panels, figsize=(5.2 * panels, 3.4), squeeze=False)
    panel_keys = [(loss_keys, "Losses", "best"), (accuracy_keys, "Discriminator accuracy", "lower left")]
    for axis, (keys, name, corner) in zip(axes[0], panel_keys):
        if name != "Losses":
            shade_healthy_band(axis)
            axis.set_ylim(-0.02, 1.02)
        for key in keys:
            axis.plot(*bucket_means(*series[key], 200), label=CURVE_LABELS.get(key, key), color=CURVE_COLOURS.get(key))
        axis.set_title(name)
        axis.set_xlabel("training step")
        axis.legend(loc=corner, fontsize=9)
        axis.grid(alpha=0.3)
    if title:
        figure.suptitle(title)
    figure.tight_layout()
    return figure


def shade_healthy_band(axis: Axes) -> None:
    """Shade D's healthy accuracy band (about 80%) on an accuracy axis.

    Example:
        >>> figure, axis = plt.subplots()
        >>> shade_healthy_band(axis)
        >>> len(axis.patches)
        1
    """
    low, high = HEALTHY_BAND
    axis.axhspan(low, high, color="#2ca02c", alpha=0.15, linewidth=0, label=f"healthy ≈ {round(100 * (low + high) / 2)}%")


def decision_grid(
    points: Any, *, resolution: int = 100, margin: float = 0.15
) -> tuple[np.ndarray, tuple[float, float, float, float]]:
    """Return a grid of 2-D points covering ``points`` (plus a margin) and its extent.

    ``grid`` has shape ``(resolution**2, 2)``, row by row from the bottom; D's outputs on it,
    reshaped to ``(resolution, resolution)``, draw with ``imshow(..., extent=extent, origin="lower")``.

    Example:
        >>> grid, extent = decision_grid([[0, 0], [1, 1]], resolution=3, margin=0)
        >>> grid.shape, extent
        ((9, 2), (0.0, 1.0, 0.0, 1.0))
    """
    array = checks.as_points(points, "points")
    resolution = checks.whole_number(resolution, "resolution", minimum=2)
    low, high = array.min(axis=0), array.max(axis=0)
    span = np.maximum(high - low, 1e-6)
    low, high = low - margin * span, high + margin * span
    grid_x, grid_y = np.meshgrid(np.linspace(low[0], high[0], resolution), np.linspace(low[1], high[1], resolution))
    grid = np.stack([grid_x.ravel(), grid_y.ravel()], axis=1).astype("float32")
    return grid, (float(low[0]), float(high[0]), float(low[1]), float(high[1]))


def plot_decision_map(real: Any, generated: Any, decision_fn: Callable[[np.ndarray], Any] | None = None, *,
                      title: str | None = None, ax: Axes | None = None) -> Figure:
    """Scatter real (dark) and generated (orange) 2-D points over D's decision map (:data:`MAP_RESOLUTION` points a side).

    ``decision_fn`` maps grid points ``(K, 2)`` to D's probability of "real", e.g.
    ``lambda points: discriminator(points)`` (call the model, not ``predict``); ``ax`` is an axis
    to draw into instead of a new figure.

    Example:
        >>> rng = np.random.default_rng(0)
        >>> x = rng.uniform(-3.5, 3.5, 200); real = np.stack([x, np.sin(x)], axis=1)
        >>> fig = plot_decision_map(real, real + 0.3, lambda p: 1 / (1 + np.exp(-p[:, 1])))
        >>> fig.axes[0].get_xlabel()
        'x'
    """
    real_points = checks.as_points(real, "real")
    fake_points = checks.as_points(generated, "generated")
    figure, ax = plt.subplots(figsize=(5.4, 4.2)) if ax is None else (ax.figure, ax)
    grid, extent = decision_grid(np.concatenate([real_points, fake_points]), resolution=MAP_RESOLUTION)
    if decision_fn is not None:
        values = np.asarray(decision_fn(grid), dtype="float64").reshape(-1)
        if values.shape[0] != len(grid):
            raise ValueError(
                f"decision_fn returned {values.shape[0]} values for {len(grid)} points: it must "
                "return D's probability of 'real' for each point, shape (N,) or (N, 1)."
            )
        image = ax.imshow(values.reshape(MAP_RESOLUTION, MAP_RESOLUTION), extent=extent, origin="lower",
                          cmap=DECISION_COLOURMAP, vmin=0, vmax=1, aspect="auto", alpha=0.75)
        figure.colorbar(image, ax=ax, label="D(x) = P(real)", fraction=0.05, pad=0.02)
    ax.scatter(*real_points.T, s=6, color=REAL_COLOUR, label="real", linewidths=0)
    ax.scatter(*fake_points.T, s=9, color=FAKE_COLOUR, label="generated", edgecolors="white", linewidths=0.3)
    ax.set(xlim=extent[:2], ylim=extent[2:], xlabel="x", ylabel="y")
    ax.legend(loc="upper right", fontsize=8, framealpha=0.8)
    if title:
        ax.set_title(title)
    return figure
