"""The pix2pix paired data sets, facades and maps (Isola, Zhu, Zhou, Efros: "Image-to-Image
Translation with Conditional Adversarial Networks", CVPR 2017).

Each archive image holds a pair side by side: **facades** ``facades/{train,val,test}/N.jpg``,
256x512, photo on the left and its label map on the right (CMP Facade Database, Tylecek and
Sara 2013); **maps** ``maps/{train,val}/N.jpg``, 600x1200, aerial photo on the left and the map
on the right (scraped from Google Maps by the pix2pix authors). The halves are split, resized
to ``size`` and cached.

Directions (``direction``, the first is the default): facades ``"labels_to_photo"`` or
``"photo_to_labels"``; maps ``"map_to_aerial"`` (the lecture's map2image) or ``"aerial_to_map"``.

Example:
    >>> inputs, targets = load_pix2pix("facades", size=64)  # doctest: +SKIP
    >>> inputs.shape == targets.shape  # doctest: +SKIP
    True
"""

from __future__ import annotations

import numpy as np
from PIL import Image

from course_utils.config import data_dir
from course_utils.checks import whole_number
from course_utils.data.archives import discard_if_unusable, fetch_and_extract
from course_utils.data.errors import DataFormatError
from course_utils.data.image_folders import image_files, read_images
from course_utils.data.npz_cache import cached_arrays
from course_utils.data.resizing import resize_uint8_image
from course_utils.data.sources import REMOTE_FILES

PIX2PIX_SPLITS: dict[str, tuple[str, ...]] = {"facades": ("train", "val", "test"),
                                              "maps": ("train", "val")}
# direction -> (input half, target half); the first entry is the default.
PIX2PIX_DIRECTIONS: dict[str, dict[str, tuple[str, str]]] = {
    "facades": {"labels_to_photo": ("right", "left"), "photo_to_labels": ("left", "right")},
    "maps": {"map_to_aerial": ("right", "left"), "aerial_to_map": ("left", "right")},
}


def split_halves(image: Image.Image, size: int) -> np.ndarray:
    """Split a side-by-side pair into its left and right halves, each resized: (2, s, s, 3).

    Example:
        >>> split_halves(Image.new("RGB", (64, 32)), 16).shape
        (2, 16, 16, 3)
    """
    half = image.width // 2
    return np.stack([resize_uint8_image(image.crop((0, 0, half, image.height)), size),
                     resize_uint8_image(image.crop((half, 0, 2 * half, image.height)), size)])


def load_pix2pix(name: str = "facades", size: int = 64, split: str = "train",
                 direction: str | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Load a pix2pix data set as ``(inputs, targets)``, like ``circles_to_rectangles``.

    Args:
        name: ``"facades"`` or ``"maps"``.
        size: side of the square images in pixels (the halves are resized to it).
        split: facades ``train`` (400), ``val`` (100) or ``test`` (106); maps ``train`` (1096)
            or ``val`` (1098).
        direction: see the module documentation; ``None`` for the default.

    Returns:
        ``float32`` arrays ``(n, size, size, 3)`` in ``[0, 1]``.

    Example:
        >>> inputs, targets = load_pix2pix("maps", direction="aerial_to_map")  # doctest: +SKIP
    """
    if name not in PIX2PIX_DIRECTIONS:
        raise ValueError(f"pix2pix data sets are {tuple(PIX2PIX_DIRECTIONS)}, not {name!r}.")
    if split not in PIX2PIX_SPLITS[name]:
        raise ValueError(f"{name} has the splits {PIX2PIX_SPLITS[name]}, not {split!r}.")
    directions = PIX2PIX_DIRECTIONS[name]
    direction = direction or next(iter(directions))
    if direction not in directions:
        raise ValueError(f"{name} directions are {tuple(directions)}, not {direction!r}.")
    size = whole_number(size, "size", minimum=8)

    def build() -> dict[str, np.ndarray]:
        archive, extracted = fetch_and_extract(name, REMOTE_FILES[name])
        with discard_if_unusable(archive, extracted):
            files = image_files(extracted / name / split)
            if not files:
                raise DataFormatError(f"The {name} archive has no images in {name}/{split}/.")
            pairs = read_images(files, lambda image: split_halves(image, size), (2, size, size, 3))
        return {"left": pairs[:, 0], "right": pairs[:, 1]}

    arrays = cached_arrays(data_dir(name) / f"{name}_{split}_{size}px.npz", ("left", "right"), build)
    source_half, target_half = directions[direction]
    scale = np.float32(1 / 255)
    return arrays[source_half].astype(np.float32) * scale, arrays[target_half].astype(np.float32) * scale
