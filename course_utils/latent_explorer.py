"""A live explorer of a generator's latent space: sliders over latent directions, a class menu.

Each slider moves the noise vector along one direction, ``z = base + sum_i s_i * d_i``; a
dropdown picks the class of a conditional generator. Every change calls the generator once on
a single ``z`` and replaces the bytes of one ``ipywidgets.Image`` in place (no new figure, no
matplotlib), so on a CPU a redraw takes a few milliseconds plus the generator call. Only core
widgets are used (``FloatSlider``, ``Dropdown``, ``Button``, ``Image``, ``HTML``, ``HBox``,
``VBox``); they behave the same in ipywidgets 7.7 (Colab) and 8.

In a test or a headless run call :meth:`LatentExplorer.update` yourself (or set a slider's
``value``): it returns the picture it drew and records the time it took.

Example:
    >>> import numpy as np
    >>> render = lambda z, label: np.tanh(z[:, :3].reshape(-1, 1, 1, 3) * np.ones((1, 8, 8, 3)))
    >>> explorer = LatentExplorer(render, base_noise=np.zeros(4), directions=np.eye(4)[:2])
    >>> explorer.sliders[0].value = 1.0
    >>> explorer.last_image.shape
    (8, 8, 3)
"""

from __future__ import annotations

import io
import time
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

RenderFunction = Callable[[np.ndarray, "int | None"], Any]
"""``render(noise, label)``: noise ``(1, D)`` float32, label an int or None -> images ``(1, H, W, C)``."""

DEFAULT_DISPLAY_PIXELS = 256


class ExplorerInputError(ValueError):
    """The explorer got a base noise vector, directions or options it cannot use."""


def orthonormal_rows(directions: Any) -> np.ndarray:
    """Return the rows of ``directions`` made orthonormal (Gram-Schmidt, in order).

    Raises:
        ExplorerInputError: when the rows are not a 2-D array or some row depends on the
            ones before it (nothing new is left to normalise).

    Example:
        >>> orthonormal_rows([[2.0, 0.0], [1.0, 1.0]]).round(3).tolist()
        [[1.0, 0.0], [0.0, 1.0]]
    """
    rows = np.asarray(directions, dtype=np.float64)
    if rows.ndim != 2 or rows.shape[0] == 0:
        raise ExplorerInputError(
            f"directions must be a 2-D array (one direction per row), got shape {rows.shape}."
        )
    basis: list[np.ndarray] = []
    for index, row in enumerate(rows):
        rest = row - sum((row @ done) * done for done in basis) if basis else row.copy()
        norm = float(np.linalg.norm(rest))
        if norm < 1e-8 * max(1.0, float(np.linalg.norm(row))):
            raise ExplorerInputError(
                f"direction {index} is a combination of the directions before it; "
                "pass directions that are linearly independent."
            )
        basis.append(rest / norm)
    return np.stack(basis).astype(np.float32)


def image_to_png(image: Any, value_range: Sequence[float] = (-1, 1), pixels: int = DEFAULT_DISPLAY_PIXELS) -> bytes:
    """Encode one image ``(H, W, C)`` (C = 1 or 3) as PNG bytes, enlarged to ``pixels`` wide.

    Values are mapped from ``value_range`` to 0-255; enlarging uses nearest-neighbour so each
    generated pixel stays a sharp square.

    Example:
        >>> image_to_png(np.zeros((4, 4, 3)), pixels=8)[:4]
        b'\\x89PNG'
    """
    from PIL import Image  # noqa: PLC0415 - only needed when drawing

    array = np.asarray(image, dtype=np.float32)
    if array.ndim != 3 or array.shape[-1] not in (1, 3):
        raise ExplorerInputError(f"expected one image (H, W, 1 or 3), got shape {array.shape}.")
    low, high = float(value_range[0]), float(value_range[1])
    scaled = np.clip((array - low) / (high - low), 0.0, 1.0)
    as_bytes = (scaled * 255 + 0.5).astype(np.uint8)
    if as_bytes.shape[-1] == 1:
        picture = Image.fromarray(as_bytes[..., 0], mode="L")
    else:
        picture = Image.fromarray(as_bytes, mode="RGB")
    height = max(1, round(pixels * array.shape[0] / array.shape[1]))
    picture = picture.resize((pixels, height), Image.NEAREST)
    buffer = io.BytesIO()
    picture.save(buffer, format="PNG")
    return buffer.getvalue()


class LatentExplorer:
    """Sliders over latent directions (and a class menu) that redraw one generated image live.

    Args:
        render: ``render(noise, label)`` returns the generator's output for one noise vector,
            shape ``(1, H, W, C)`` (a NumPy array or a tensor). ``label`` is ``None`` for an
            unconditional generator, else the index chosen in the class menu. Make it fast:
            ``generator.predict_on_batch`` or ``generator(noise, training=False)``.
        base_noise: the starting noise vector, shape ``(D,)``.
        directions: ``(K, D)``, one latent direction per slider (made orthonormal here).
        class_names: names for the class menu of a conditional generator (index = label);
            ``None`` for no menu.
        slider_range: each slider runs from ``-slider_range`` to ``+slider_range``.
        value_range: the range of the generator's output (``(-1, 1)`` for tanh).
        new_noise: a function returning a fresh base noise vector ``(D,)`` for the
            "new sample" button; ``None`` for no button.
        direction_names: a label per slider (default "direction 1", ...).
        display_pixels: width of the shown image in screen pixels.

    Example:
        >>> render = lambda z, label: np.zeros((1, 8, 8, 3)) + (label or 0) / 4
        >>> explorer = LatentExplorer(render, np.zeros(3), np.eye(3)[:1], class_names=["a", "b"])
        >>> explorer.class_menu.value = 1
        >>> float(explorer.last_image.mean())
        0.25
    """

    def __init__(
        self,
        render: RenderFunction,
        base_noise: Any,
        directions: Any,
        *,
        class_names: Sequence[str] | None = None,
        slider_range: float = 3.0,
        value_range: Sequence[float] = (-1, 1),
        new_noise: Callable[[], Any] | None = None,
        direction_names: Sequence[str] | None = None,
        display_pixels: int = DEFAULT_DISPLAY_PIXELS,
    ) -> None:
        import ipywidgets as widgets  # noqa: PLC0415 - widgets only when an explorer is made

        base = np.asarray(base_noise, dtype=np.float32).reshape(-1)
        rows = orthonormal_rows(directions)
        if rows.shape[1] != base.shape[0]:
            raise ExplorerInputError(
                f"each direction needs as many numbers as the noise vector ({base.shape[0]}), "
                f"got {rows.shape[1]}."
            )
        if not slider_range > 0:
            raise ExplorerInputError(f"slider_range must be positive, got {slider_range}.")
        if direction_names is not None and len(direction_names) != len(rows):
            raise ExplorerInputError(
                f"got {len(direction_names)} direction names for {len(rows)} directions."
            )
        if class_names is not None and len(class_names) == 0:
            raise ExplorerInputError("class_names is empty: pass None for no class menu.")
        self.render = render
        self.base_noise = base
        self.directions = rows
        self.value_range = (float(value_range[0]), float(value_range[1]))
        self.display_pixels = int(display_pixels)
        self.new_noise = new_noise
        self.redraw_seconds: list[float] = []
        self.last_image: np.ndarray | None = None
        names = direction_names or [f"direction {index + 1}" for index in range(len(rows))]
        self.sliders = [
            widgets.FloatSlider(
                value=0.0, min=-slider_range, max=slider_range, step=0.1, description=name,
                continuous_update=True, readout_format=".1f",
                style={"description_width": "initial"},
            )
            for name in names
        ]
        self.class_menu = None
        if class_names is not None:
            self.class_menu = widgets.Dropdown(
                options=[(name, index) for index, name in enumerate(class_names)], value=0,
                description="class", style={"description_width": "initial"},
            )
        self.image = widgets.Image(format="png", width=self.display_pixels)
        self.timing = widgets.HTML(value="")
        controls: list[Any] = list(self.sliders)
        if self.class_menu is not None:
            controls.insert(0, self.class_menu)
        if new_noise is not None:
            self.new_button = widgets.Button(description="new sample")
            self.new_button.on_click(self._on_new_sample)
            controls.append(self.new_button)
        reset = widgets.Button(description="reset sliders")
        reset.on_click(self._on_reset)
        controls.append(reset)
        self.widget = widgets.HBox([self.image, widgets.VBox([*controls, self.timing])])
        for control in [*self.sliders, *( [self.class_menu] if self.class_menu else [])]:
            control.observe(self._on_change, names="value")
        self._paused = False
        self.update()

    # --- what a change does -------------------------------------------------------------
    def current_noise(self) -> np.ndarray:
        """Return the noise vector the sliders point at, shape ``(1, D)``.

        Example:
            >>> explorer = LatentExplorer(lambda z, l: np.zeros((1, 4, 4, 1)), np.ones(2), [[1, 0]])
            >>> explorer.sliders[0].value = 2.0
            >>> explorer.current_noise().tolist()
            [[3.0, 1.0]]
        """
        amounts = np.array([slider.value for slider in self.sliders], dtype=np.float32)
        return (self.base_noise + amounts @ self.directions)[None, :].astype(np.float32)

    def current_label(self) -> int | None:
        """The class chosen in the menu, or ``None`` without a menu."""
        return None if self.class_menu is None else int(self.class_menu.value)

    def update(self, *_: Any) -> np.ndarray:
        """Generate the image for the current settings, show it, and return it ``(H, W, C)``.

        Records the time the redraw took (generator call + PNG encoding) in ``redraw_seconds``.

        Example:
            >>> explorer = LatentExplorer(lambda z, l: np.zeros((1, 4, 4, 3)), np.zeros(2), [[1, 0]])
            >>> explorer.update().shape, len(explorer.redraw_seconds)
            ((4, 4, 3), 2)
        """
        start = time.perf_counter()
        output = self.render(self.current_noise(), self.current_label())
        images = np.asarray(output, dtype=np.float32)
        if images.ndim != 4 or images.shape[0] != 1:
            raise ExplorerInputError(
                f"render must return one image as (1, H, W, C), got shape {images.shape}."
            )
        self.last_image = images[0]
        self.image.value = image_to_png(self.last_image, self.value_range, self.display_pixels)
        seconds = time.perf_counter() - start
        self.redraw_seconds.append(seconds)
        self.timing.value = f"<small>redraw: {seconds * 1000:.0f} ms</small>"
        return self.last_image

    def median_redraw_milliseconds(self) -> float:
        """Median redraw time so far, in milliseconds.

        Example:
            >>> explorer = LatentExplorer(lambda z, l: np.zeros((1, 4, 4, 3)), np.zeros(2), [[1, 0]])
            >>> explorer.median_redraw_milliseconds() >= 0
            True
        """
        return float(np.median(self.redraw_seconds) * 1000)

    def _on_change(self, change: Any) -> None:
        if not self._paused:
            self.update()

    def reset(self) -> np.ndarray:
        """Put every slider back to 0 and redraw once; return the picture.

        Example:
            >>> explorer = LatentExplorer(lambda z, l: np.zeros((1, 4, 4, 3)), np.zeros(2), [[1, 0]])
            >>> explorer.sliders[0].value = 1.0
            >>> explorer.reset().shape, explorer.sliders[0].value
            ((4, 4, 3), 0.0)
        """
        self._on_reset()
        return self.last_image

    def _on_reset(self, _button: Any = None) -> None:
        self._paused = True
        try:
            for slider in self.sliders:
                slider.value = 0.0
        finally:
            self._paused = False
        self.update()

    def _on_new_sample(self, _button: Any = None) -> None:
        fresh = np.asarray(self.new_noise(), dtype=np.float32).reshape(-1)
        if fresh.shape != self.base_noise.shape:
            raise ExplorerInputError(
                f"new_noise returned shape {fresh.shape}, expected {self.base_noise.shape}."
            )
        self.base_noise = fresh
        self._on_reset()

    def show(self) -> None:
        """Display the explorer under the cell."""
        from IPython.display import display  # noqa: PLC0415

        display(self.widget)
