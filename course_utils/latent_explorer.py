"""A live explorer of a generator's latent space (notebook 10): sliders over latent directions, a class menu.

Each slider moves the noise along one direction, ``z = base + sum_i s_i * d_i``; a dropdown
picks the class of a conditional generator. Every change calls the generator once and replaces
the bytes of one ``ipywidgets.Image`` (no matplotlib), so a redraw takes a few milliseconds plus
the generator call. Core widgets only, the same in ipywidgets 7.7 (Colab) and 8. Headless, call
:meth:`LatentExplorer.update` (or set a slider's ``value``) yourself.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from course_utils.checks import InputError
from course_utils.plots import image_png

SLIDER_RANGE = 3.0  # each slider moves from -3 to 3 along its direction
DISPLAY_PIXELS = 256  # width of the shown image on screen


def orthonormal_rows(directions: Any) -> np.ndarray:
    """Return the rows of ``directions`` made orthonormal (Gram-Schmidt, in order).

    Example:
        >>> orthonormal_rows([[2.0, 0.0], [1.0, 1.0]]).round(3).tolist()
        [[1.0, 0.0], [0.0, 1.0]]
    """
    rows = np.asarray(directions, dtype=np.float64)
    if rows.ndim != 2 or rows.shape[0] == 0:
        raise InputError(f"directions must be a 2-D array (one direction per row), got shape {rows.shape}.")
    basis: list[np.ndarray] = []
    for index, row in enumerate(rows):
        rest = row - sum((row @ done) * done for done in basis) if basis else row.copy()
        norm = float(np.linalg.norm(rest))
        if norm < 1e-8 * max(1.0, float(np.linalg.norm(row))):
            raise InputError(
                f"direction {index} is a combination of the directions before it; pass linearly independent directions."
            )
        basis.append(rest / norm)
    return np.stack(basis).astype(np.float32)


class LatentExplorer:
    """Sliders over latent directions (and a class menu) that redraw one generated image live.

    ``render(noise, label)`` returns the generator's output in [-1, 1] (tanh) for one noise vector
    ``(1, D)``, shape ``(1, H, W, C)``; ``label`` is the index chosen in the class menu (``None``
    without ``class_names``). ``base_noise`` ``(D,)`` is the starting point, ``directions``
    ``(K, D)`` one latent direction per slider (made orthonormal here); each slider runs from -3
    to 3. ``new_noise`` returns a fresh base noise vector for the "new sample" button (``None``: no
    button).

    Example:
        >>> render = lambda z, label: np.zeros((1, 8, 8, 3)) + (label or 0) / 4
        >>> explorer = LatentExplorer(render, np.zeros(3), np.eye(3)[:1], class_names=["a", "b"])
        >>> explorer.class_menu.value = 1
        >>> float(explorer.last_image.mean())
        0.25
    """

    def __init__(self, render: Callable[[np.ndarray, int | None], Any], base_noise: Any, directions: Any, *,
                 class_names: Sequence[str] | None = None, new_noise: Callable[[], Any] | None = None) -> None:
        import ipywidgets as widgets

        base = np.asarray(base_noise, dtype=np.float32).reshape(-1)
        rows = orthonormal_rows(directions)
        if rows.shape[1] != base.shape[0]:
            raise InputError(
                f"each direction needs as many numbers as the noise vector ({base.shape[0]}), got {rows.shape[1]}."
            )
        if class_names is not None and len(class_names) == 0:
            raise InputError("class_names is empty: pass None for no class menu.")
        self.render, self.base_noise, self.directions, self.new_noise = render, base, rows, new_noise
        self.redraw_seconds: list[float] = []
        self.last_image: np.ndarray | None = None
        style = {"description_width": "initial"}
        self.sliders = [
            widgets.FloatSlider(value=0.0, min=-SLIDER_RANGE, max=SLIDER_RANGE, step=0.1, readout_format=".1f",
                                description=f"direction {index + 1}", continuous_update=True, style=style)
            for index in range(len(rows))
        ]
        self.class_menu = None
        if class_names is not None:
            self.class_menu = widgets.Dropdown(options=[(name, index) for index, name in enumerate(class_names)],
                                               value=0, description="class", style=style)
        self.image = widgets.Image(format="png", width=DISPLAY_PIXELS)
        self.timing = widgets.HTML(value="")
        menu = [self.class_menu] if self.class_menu is not None else []
        controls: list[Any] = [*menu, *self.sliders]
        if new_noise is not None:
            self.new_button = widgets.Button(description="new sample")
            self.new_button.on_click(self._on_new_sample)
            controls.append(self.new_button)
        reset = widgets.Button(description="reset sliders")
        reset.on_click(self.reset)
        controls.append(reset)
        self.widget = widgets.HBox([self.image, widgets.VBox([*controls, self.timing])])
        for control in [*self.sliders, *menu]:
            control.observe(self._on_change, names="value")
        self._paused = False
        self.update()

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
        images = np.asarray(self.render(self.current_noise(), self.current_label()), dtype=np.float32)
        if images.ndim != 4 or images.shape[0] != 1:
            raise InputError(f"render must return one image as (1, H, W, C), got shape {images.shape}.")
        self.last_image = images[0]
        self.image.value = image_png(self.last_image, DISPLAY_PIXELS, (-1, 1))
        seconds = time.perf_counter() - start
        self.redraw_seconds.append(seconds)
        self.timing.value = f"<small>redraw: {seconds * 1000:.0f} ms</small>"
        return self.last_image

    def median_redraw_milliseconds(self) -> float:
        """Median redraw time so far, in milliseconds."""
        return float(np.median(self.redraw_seconds) * 1000)

    def _on_change(self, change: Any) -> None:
        if not self._paused:
            self.update()

    def reset(self, _button: Any = None) -> np.ndarray:
        """Put every slider back to 0 and redraw once; return the picture.

        Example:
            >>> explorer = LatentExplorer(lambda z, l: np.zeros((1, 4, 4, 3)), np.zeros(2), [[1, 0]])
            >>> explorer.sliders[0].value = 1.0
            >>> explorer.reset().shape, explorer.sliders[0].value
            ((4, 4, 3), 0.0)
        """
        self._paused = True
        try:
            for slider in self.sliders:
                slider.value = 0.0
        finally:
            self._paused = False
        return self.update()

    def _on_new_sample(self, _button: Any = None) -> None:
        fresh = np.asarray(self.new_noise(), dtype=np.float32).reshape(-1)
        if fresh.shape != self.base_noise.shape:
            raise InputError(f"new_noise returned shape {fresh.shape}, expected {self.base_noise.shape}.")
        self.base_noise = fresh
        self.reset()

    def show(self) -> None:
        """Display the explorer under the cell."""
        from IPython.display import display

        display(self.widget)
