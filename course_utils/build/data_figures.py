"""Sample grids of every offline generator, for ``data/README.md`` and for a quick look.

``python -m course_utils.build.data_sets figures`` rewrites them into ``data/figures/``
(regenerate them whenever ``DATA_VERSION`` changes). Matplotlib's object API is used, so saving never touches a
notebook's plotting backend.

Example:
    >>> import tempfile, pathlib
    >>> paths = save_generator_figures(pathlib.Path(tempfile.mkdtemp()))  # doctest: +SKIP
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np

from course_utils.data.colorization import colorization_pairs
from course_utils.data.digit_images import digits
from course_utils.data.toy_sets import (FGAN_MIXTURE, grid_modes, grid_of_gaussians, ring_modes, ring_of_gaussians,
                                         sin_curve, slanted_land_faces, slanted_land_noise, vertical_lines)
from course_utils.data.sign_renderer import road_signs
from course_utils.data.shapes import SHAPE_CLASSES, circles_to_rectangles, shapes_dataset
from course_utils.data.sign_templates import SIGN_CLASSES
from course_utils.data.shapes import circles, squares
from course_utils.data.version import DATA_VERSION


def image_strip(images: np.ndarray, gap: int = 2,
                gap_colour: tuple[float, float, float] = (0.62, 0.76, 0.95)) -> np.ndarray:
    """Put RGB images ``(n, h, w, 3)`` side by side, separated by light-blue bars.

    Example:
        >>> image_strip(np.zeros((3, 4, 4, 3))).shape
        (4, 16, 3)
    """
    n, height, width, _ = images.shape
    strip = np.empty((height, n * width + (n - 1) * gap, 3), dtype=np.float32)
    strip[...] = gap_colour
    for index, image in enumerate(images):
        start = index * (width + gap)
        strip[:, start:start + width] = image
    return strip


def _save_rows(path: Path, rows: Sequence[np.ndarray], titles: Sequence[str], title: str,
               grey_is_dark: bool = False, zoom: int = 2) -> Path:
    """Save rows of images, each enlarged ``zoom`` times (pixels kept sharp), with labels."""
    from PIL import Image, ImageDraw, ImageFont  # noqa: PLC0415

    from course_utils.data.sign_templates import font_path  # noqa: PLC0415

    font = ImageFont.truetype(str(font_path(bold=False)), 13)
    label_width = 10 + max((int(font.getlength(text)) for text in titles), default=0)
    strips = []
    for row in rows:
        if row.shape[3] == 1:
            row = np.repeat(1.0 - row if grey_is_dark else row, 3, axis=3)
        strip = image_strip(row)
        pixels = (np.clip(strip, 0, 1) * 255).round().astype(np.uint8)
        picture = Image.fromarray(pixels)
        strips.append(picture.resize((picture.width * zoom, picture.height * zoom),
                                     Image.Resampling.NEAREST))
    width = label_width + max(strip.width for strip in strips) + 10
    height = 28 + sum(strip.height + 6 for strip in strips)
    canvas = Image.new("RGB", (width, height), (255, 255, 255))
    draw = ImageDraw.Draw(canvas)
    draw.text((8, 6), title, fill=(0, 0, 0), font=font)
    top = 28
    for strip, text in zip(strips, titles, strict=True):
        canvas.paste(strip, (label_width, top))
        draw.text((6, top + strip.height // 2 - 7), text, fill=(0, 0, 0), font=font)
        top += strip.height + 6
    canvas.save(path, optimize=True)
    return path


def _save_points(path: Path, points: np.ndarray, title: str,
                 modes: np.ndarray | None = None) -> Path:
    from matplotlib.figure import Figure  # noqa: PLC0415

    figure = Figure(figsize=(4.8, 3.2))
    axis = figure.subplots()
    axis.scatter(points[:, 0], points[:, 1], s=2, alpha=0.5, label="samples")
    if modes is not None:
        axis.scatter(modes[:, 0], modes[:, 1], s=25, marker="x", color="crimson", label="modes")
        axis.set_aspect("equal")
        axis.legend(fontsize=7, loc="upper left", bbox_to_anchor=(1.01, 1.0))
    axis.set_title(title, fontsize=9)
    figure.tight_layout()
    figure.savefig(path, dpi=100)
    return path


def _save_mixture(path: Path, seed: int) -> Path:
    from matplotlib.figure import Figure  # noqa: PLC0415

    figure = Figure(figsize=(4.5, 3))
    axis = figure.subplots()
    samples = FGAN_MIXTURE.sample(20000, seed=seed)
    grid = np.linspace(-3, 8, 500)
    axis.hist(samples, bins=120, density=True, alpha=0.45, label="20000 samples")
    axis.plot(grid, FGAN_MIXTURE.pdf(grid), color="crimson", label="exact density")
    axis.set_title("FGAN_MIXTURE: 0.33 N(-1, 0.255²) + 0.67 N(2, 1.415²)", fontsize=9)
    axis.legend(fontsize=7)
    figure.tight_layout()
    figure.savefig(path, dpi=100)
    return path


def save_generator_figures(folder: Path, seed: int = 0) -> list[Path]:
    """Write one sample-grid PNG per offline generator into ``folder``; return their paths.

    Example:
        >>> import tempfile, pathlib
        >>> len(save_generator_figures(pathlib.Path(tempfile.mkdtemp())))  # doctest: +SKIP
        14
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    version = f"(DATA_VERSION {DATA_VERSION}, seed {seed})"
    paths = [
        _save_points(folder / "sin_curve.png", sin_curve(1000, seed=seed),
                     f"sin_curve(1000) {version}"),
        _save_mixture(folder / "fgan_mixture.png", seed),
        _save_points(folder / "ring_of_gaussians.png", ring_of_gaussians(2500, seed=seed),
                     f"ring_of_gaussians(2500) {version}", ring_modes()),
        _save_points(folder / "grid_of_gaussians.png", grid_of_gaussians(2500, seed=seed),
                     f"grid_of_gaussians(2500) {version}", grid_modes()),
        _save_rows(folder / "slanted_land.png",
                   [slanted_land_faces(8, seed=seed)[..., None],
                    slanted_land_noise(8, seed=seed)[..., None]],
                   ["faces", "noise"], f"Slanted Land, 1 = dark {version}", grey_is_dark=True,
                   zoom=24),
        _save_rows(folder / "vertical_lines.png", [vertical_lines(10, seed=seed),
                                                   vertical_lines(10, seed=seed + 1)],
                   ["", ""], f"vertical_lines(n, size=32) {version}"),
    ]
    for size, count in ((32, 8), (64, 5)):
        images, labels = road_signs(count * 4, size=size, seed=seed)
        paths.append(_save_rows(
            folder / f"road_signs_{size}.png",
            [images[labels == index] for index in range(len(SIGN_CLASSES))],
            list(SIGN_CLASSES), f"road_signs(n, size={size}) {version}",
            zoom=2 if size == 32 else 1,
        ))
    inputs, targets = circles_to_rectangles(8, size=64, seed=seed)
    paths.append(_save_rows(folder / "circles_to_rectangles.png", [inputs, targets],
                            ["inputs", "targets"], f"circles_to_rectangles(n, size=64) {version}",
                            zoom=1))
    grey, colour = colorization_pairs(6, size=64, seed=seed)
    paths.append(_save_rows(folder / "colorization_pairs.png", [np.repeat(grey, 3, axis=3), colour],
                            ["grey", "colour"], f"colorization_pairs(n, size=64) {version}",
                            zoom=1))
    paths.append(_save_rows(folder / "circles_squares.png",
                            [circles(8, seed=seed), squares(8, seed=seed + 1)],
                            ["circles", "squares"], f"circles(n) and squares(n), size=64 {version}",
                            zoom=1))
    images, labels = shapes_dataset(18, size=64, seed=seed)
    paths.append(_save_rows(folder / "shapes_dataset.png",
                            [images[labels == index] for index in range(len(SHAPE_CLASSES))],
                            list(SHAPE_CLASSES), f"shapes_dataset(n, size=64) {version}",
                            zoom=1))
    images, labels = digits(size=32, seed=seed)
    two_of_each = [int(np.flatnonzero(labels == digit)[k]) for k in range(2) for digit in range(10)]
    chosen = images[two_of_each]
    paths.append(_save_rows(folder / "digits.png", [chosen[:10], chosen[10:]], ["", ""],
                            f"digits(size=32): scikit-learn's 8x8 digits upscaled {version}"))
    return paths
