"""The training monitor's dashboard: one figure, built once and redrawn quickly every N steps.

Panels, left to right: G and D losses; D's accuracy on real and on fake with the healthy band
(about 80%) shaded; the quality measure with its threshold (when there is one); the current
samples from fixed noise (an image grid, or real vs generated 2-D points over D's decision map).

Redrawing a whole matplotlib figure takes a tenth of a second or more, mostly for text. So the
parts that stay the same are drawn once and kept as a picture; each update pastes it back and
draws only the curves, points and images on top ("blitting", as matplotlib's animations do).
The whole figure is drawn again only when an axis has to grow.
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator
from PIL import Image

from course_utils import checks, plots

PANEL_WIDTH, PANEL_HEIGHT, DPI = 4.0, 3.6, 80
MAX_CURVE_POINTS = 200
MAX_IMAGES = 36  # generated images shown in the samples panel
DECISION_RESOLUTION = 60
VIEW_MARGIN = 0.25
"""Room around the real 2-D data, as a share of its span: early generated points fit in."""
EXTRA_COLOURS = ("#2ca02c", "#9467bd", "#8c564b", "#e377c2", "#17becf")
SHORT_LABELS = {"d_loss": "D", "g_loss": "G", "d_acc_real": "on real", "d_acc_fake": "on fake"}


def sample_kind(samples: Any) -> str:
    """Return how samples are drawn: ``"images"`` or ``"points"`` (2-D).

    Example:
        >>> sample_kind(np.zeros((10, 2))), sample_kind(np.zeros((4, 8, 8, 3)))
        ('points', 'images')
    """
    shape = np.shape(samples)
    if len(shape) == 2 and shape[1] == 2:
        return "points"
    if len(shape) in (3, 4):
        return "images"
    raise ValueError(f"Samples of shape {shape} cannot be drawn: expected images (N, H, W[, C]) or 2-D points (N, 2).")


def _legend_above(axis: Any, title: str, columns: int = 3) -> None:
    """Put the legend above the axis, where curves and points never cover it (drawn once: legends are slow)."""
    axis.legend(loc="lower left", bbox_to_anchor=(0.0, 1.01), ncol=columns, fontsize=8, frameon=False,
                title=title, title_fontsize=9, alignment="left", borderaxespad=0.0, handlelength=1.5,
                columnspacing=1.0, handletextpad=0.4)


def _expanded(limits: tuple[float, float] | None, low: float, high: float) -> tuple[tuple[float, float], bool]:
    """Return axis limits that include [low, high] (from 0 for data above 0), and whether they changed.

    Limits only grow, and then with room to spare (half the data's span on each side), so that
    the slow full redraw is rare.
    """
    if not (np.isfinite(low) and np.isfinite(high)):
        return limits or (0.0, 1.0), limits is None
    if limits is not None and limits[0] <= low and high <= limits[1]:
        return limits, False
    if limits is not None:
        low, high = min(low, limits[0]), max(high, limits[1])
    span = max(high - low, 0.1 * max(abs(low), abs(high)), 1e-3)
    return (0.0 if low >= 0 else low - 0.5 * span, high + 0.5 * span), True


class Dashboard:
    """One figure with the training curves and the current samples, rendered to PNG.

    The panels follow the arguments: the history keys of the losses and (if any) the accuracy
    panel, a quality panel when ``quality_name`` is given, and a samples panel chosen by a first
    batch of ``samples`` (images, or 2-D points over ``real_samples`` and, ``with_decision_map``,
    D's map). ``total_steps`` fixes the x axes (``None``: they grow).

    Example:
        >>> dashboard = Dashboard(loss_keys=["d_loss"], samples=np.zeros((50, 2)), real_samples=np.ones((50, 2)))
        >>> list(dashboard.axes)
        ['losses', 'samples']
        >>> dashboard.render({"step": [0, 1], "d_loss": [1.4, 1.3]}, heading="step 2", samples=np.zeros((50, 2)))[:4]
        b'\\x89PNG'
    """

    def __init__(self, *, loss_keys: Sequence[str], accuracy_keys: Sequence[str] = (), total_steps: int | None = None,
                 samples: Any | None = None, real_samples: Any | None = None, value_range: Sequence[float] = (0, 1),
                 with_decision_map: bool = False, quality_name: str | None = None,
                 quality_threshold: float | None = None, higher_is_better: bool = True, title: str | None = None) -> None:
        self.loss_keys, self.accuracy_keys = list(loss_keys), list(accuracy_keys)
        self.value_range = checks.value_range(value_range)
        self.kind = None if samples is None else sample_kind(samples)
        self.real = None
        if self.kind == "points" and real_samples is not None:
            self.real = checks.as_points(np.asarray(real_samples, dtype="float64"), "real_samples")
        self.with_decision_map = with_decision_map and self.kind == "points"
        self.quality_threshold = quality_threshold
        self._x_max = float(total_steps) if total_steps else 1000.0
        self._loss_limits = self._quality_limits = self._background = None
        self._animated: list[Any] = []

        panels = ["losses"] + (["accuracy"] if self.accuracy_keys else []) + (["quality"] if quality_name else [])
        panels += ["samples"] if self.kind is not None else []
        widths = [1.0] * (len(panels) - (self.kind == "images")) + [0.85] * (self.kind == "images")
        self.figure = Figure(figsize=(PANEL_WIDTH * sum(widths), PANEL_HEIGHT), dpi=DPI)
        self.canvas = FigureCanvasAgg(self.figure)
        axes = self.figure.subplots(1, len(panels), gridspec_kw={"width_ratios": widths}, squeeze=False)[0]
        self.axes = dict(zip(panels, axes))
        self.step_axes = [self.axes[name] for name in ("losses", "accuracy", "quality") if name in self.axes]
        self._title = title
        self.heading = self.figure.text(0.01, 0.99, title or "", ha="left", va="top", fontsize=11, animated=True)
        self.warning = self.figure.text(0.99, 0.99, "", ha="right", va="top", fontsize=10, color="#b71c1c",
                                        animated=True)
        self._animated += [self.heading, self.warning]

        self.lines = {}
        self._build_curves("losses", self.loss_keys, "Losses")
        if self.accuracy_keys:
            plots.shade_healthy_band(self.axes["accuracy"])
            self._build_curves("accuracy", self.accuracy_keys, "D accuracy")
            self.axes["accuracy"].set_ylim(-0.02, 1.02)
        if quality_name:
            axis = self.axes["quality"]
            self.lines["quality"] = axis.plot([], [], color="#2ca02c", marker="o", markersize=3, animated=True,
                                              label="measured")[0]
            self._animated.append(self.lines["quality"])
            if quality_threshold is not None:
                axis.axhline(quality_threshold, color="#b71c1c", linestyle="--", linewidth=1,
                             label=f"threshold ({'≥' if higher_is_better else '≤'} {quality_threshold:g})")
            _legend_above(axis, quality_name if len(quality_name) <= 40 else "Quality", columns=2)
        for axis in self.step_axes:
            axis.xaxis.set_major_locator(MaxNLocator(4))
            axis.yaxis.set_major_locator(MaxNLocator(5))
            axis.set_xlim(0, self._x_max)
            axis.set_xlabel("training step", fontsize=9)
            axis.grid(alpha=0.3)
            axis.tick_params(labelsize=8)
        if self.kind is not None:
            self._build_samples(np.asarray(samples))
        width = self.figure.get_figwidth()
        right_room = 0.7 if self.with_decision_map else 0.2  # inches for the colour bar's labels
        self.figure.subplots_adjust(left=0.45 / width, right=1 - right_room / width, bottom=0.13, top=0.75, wspace=0.3)

    def _build_curves(self, panel: str, keys: Sequence[str], title: str) -> None:
        for index, key in enumerate(keys):
            colour = plots.CURVE_COLOURS.get(key, EXTRA_COLOURS[index % len(EXTRA_COLOURS)])
            self.lines[key] = self.axes[panel].plot([], [], color=colour, linewidth=1.6, label=SHORT_LABELS.get(key, key),
                                                    animated=True)[0]
            self._animated.append(self.lines[key])
        _legend_above(self.axes[panel], title)

    def _build_samples(self, samples: np.ndarray) -> None:
        axis = self.axes["samples"]
        axis.tick_params(labelsize=8)
        axis.xaxis.set_major_locator(MaxNLocator(5))
        axis.yaxis.set_major_locator(MaxNLocator(5))
        if self.kind == "images":
            self.picture = axis.imshow(self._image_grid(samples), interpolation="nearest", animated=True)
            self._animated.append(self.picture)
            axis.set_xticks([])
            axis.set_yticks([])
            axis.set_title("Generated from fixed noise", fontsize=10)
            return
        reference = self.real if self.real is not None else samples
        self._grid, self._extent = plots.decision_grid(reference, resolution=DECISION_RESOLUTION, margin=VIEW_MARGIN)
        self._real_extent, self._checks_back_home = self._extent, 0
        if self.with_decision_map:
            self.picture = axis.imshow(np.full((DECISION_RESOLUTION,) * 2, 0.5), extent=self._extent, origin="lower",
                                       cmap=plots.DECISION_COLOURMAP, vmin=0, vmax=1, aspect="auto", alpha=0.75,
                                       animated=True)
            self._animated.append(self.picture)
            colourbar = self.figure.colorbar(self.picture, ax=axis, fraction=0.05, pad=0.02, ticks=[0, 0.5, 1])
            colourbar.ax.tick_params(labelsize=7)
            colourbar.set_label("D(x) = P(real)", fontsize=8)
        if self.real is not None:
            real_points = axis.scatter(*self.real.T, s=5, color=plots.REAL_COLOUR, linewidths=0, label="real",
                                       animated=self.with_decision_map)
            if self.with_decision_map:  # drawn over the map, so with it
                self._animated.append(real_points)
        self.fake_points = axis.scatter(*samples.T, s=9, color=plots.FAKE_COLOUR, edgecolors="white", linewidths=0.3,
                                        label="generated", animated=True)
        self._animated.append(self.fake_points)
        self._set_extent(self._extent)
        _legend_above(axis, "Real vs generated" + (" over D's decision map" if self.with_decision_map else ""))

    def _image_grid(self, samples: np.ndarray) -> np.ndarray:
        padding = 2 if min(np.shape(samples)[1:3]) >= 16 else 1
        return plots.images_to_grid(samples[:MAX_IMAGES], value_range=self.value_range, padding=padding,
                                    pad_value=plots.SEPARATOR_GREY)

    def _set_extent(self, extent: tuple[float, float, float, float]) -> None:
        self.axes["samples"].set_xlim(extent[0], extent[1])
        self.axes["samples"].set_ylim(extent[2], extent[3])
        if self.with_decision_map:
            self.picture.set_extent(extent)

    def decision_points(self) -> np.ndarray | None:
        """The points at which to evaluate D for the decision map (``None`` if no map)."""
        return self._grid if self.with_decision_map else None

    def fit_samples(self, samples: Any) -> None:
        """Zoom the 2-D view out when many generated points leave it, and back in on the real data
        once they have stayed near it for three checks (call before :meth:`decision_points`, so
        the map covers the view). Each zoom costs a full redraw, hence the patience."""
        if self.kind != "points" or samples is None or not np.all(np.isfinite(points := np.asarray(samples, "float64"))):
            return
        back_home = self.real is not None and _share_outside(points, self._real_extent) <= 0.02
        self._checks_back_home = self._checks_back_home + 1 if back_home else 0
        if _share_outside(points, self._extent) > 0.1:
            reference = points if self.real is None else np.concatenate([points, self.real])
        elif self._extent != self._real_extent and self._checks_back_home >= 3:
            reference = self.real
        else:
            return
        self._grid, self._extent = plots.decision_grid(reference, resolution=DECISION_RESOLUTION, margin=VIEW_MARGIN)
        self._set_extent(self._extent)
        self._background = None

    def render(self, history: Mapping[str, Sequence[float]], *, heading: str = "", samples: Any | None = None,
               decision: Any | None = None, warning: str = "") -> bytes:
        """Update the curves and samples and return the dashboard as PNG bytes.

        Args:
            history: the monitor's history (``"step"``, the curve keys, ``"quality_step"``, ``"quality"``).
            heading: the line at the top (step, time, ETA).
            samples: the current samples from fixed noise.
            decision: D's outputs at :meth:`decision_points`.
            warning: a short warning shown at the top right.
        """
        self.heading.set_text(f"{self._title} — {heading}" if self._title else heading)
        self.warning.set_text(warning)
        steps = np.asarray(history.get("step", []), dtype="float64")
        if len(steps) and steps[-1] + 1 > self._x_max:
            while steps[-1] + 1 > self._x_max:
                self._x_max *= 2
            for axis in self.step_axes:
                axis.set_xlim(0, self._x_max)
            self._background = None
        low, high = np.inf, -np.inf
        for key in self.loss_keys + self.accuracy_keys:
            values = np.asarray(history.get(key, []), dtype="float64")
            count = min(len(values), len(steps))
            x, y = plots.bucket_means(steps[:count], values[:count], MAX_CURVE_POINTS) if count else ([], [])
            self.lines[key].set_data(x, y)
            finite = np.asarray(y)[np.isfinite(y)] if key in self.loss_keys else []
            if len(finite):
                low, high = min(low, float(finite.min())), max(high, float(finite.max()))
        if np.isfinite(low):
            self._loss_limits = self._grow("losses", self._loss_limits, low, high)
        if "quality" in self.lines:
            quality = np.asarray(history.get("quality", []), dtype="float64")
            quality_steps = np.asarray(history.get("quality_step", []), dtype="float64")[: len(quality)]
            self.lines["quality"].set_data(quality_steps, quality[: len(quality_steps)])
            if (finite := quality[np.isfinite(quality)]).size:
                bounds = [float(finite.min()), float(finite.max())] + [self.quality_threshold] * (self.quality_threshold is not None)
                self._quality_limits = self._grow("quality", self._quality_limits, min(bounds), max(bounds))
        if samples is not None and self.kind == "images":
            self.picture.set_data(self._image_grid(np.asarray(samples)))
        elif samples is not None and self.kind == "points":
            self.fake_points.set_offsets(np.asarray(samples, dtype="float64"))
            if decision is not None and self.with_decision_map:
                self.picture.set_data(np.asarray(decision, dtype="float64").reshape(DECISION_RESOLUTION, -1))
        return self._draw_png()

    def _grow(self, panel: str, limits: tuple[float, float] | None, low: float, high: float) -> tuple[float, float]:
        limits, changed = _expanded(limits, low, high)
        if changed:
            self.axes[panel].set_ylim(*limits)
            self._background = None
        return limits

    def _draw_png(self) -> bytes:
        if self._background is None:
            self.canvas.draw()  # everything except the animated artists
            self._background = self.canvas.copy_from_bbox(self.figure.bbox)
        else:
            self.canvas.restore_region(self._background)
        for artist in self._animated:
            (artist.axes or self.figure).draw_artist(artist)
        stream = io.BytesIO()
        Image.fromarray(np.asarray(self.canvas.buffer_rgba())[..., :3]).save(stream, format="PNG", compress_level=1)
        return stream.getvalue()


def _share_outside(points: np.ndarray, extent: tuple[float, float, float, float]) -> float:
    x_min, x_max, y_min, y_max = extent
    outside = (points[:, 0] < x_min) | (points[:, 0] > x_max) | (points[:, 1] < y_min) | (points[:, 1] > y_max)
    return float(np.mean(outside))
