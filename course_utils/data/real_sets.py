"""The real MNIST, pix2pix and CycleGAN data sets as arrays in the format of the offline ones,
converted once and cached as one ``.npz`` per split and size (rebuilt when unreadable or of
another ``CACHE_VERSION``).

- **MNIST** (LeCun, Cortes, Burges; CC BY-SA 3.0): Keras' ``mnist.npz`` (URL and sha256 of
  ``keras.datasets.mnist``, fetched into the course's data folder, through the mirror).
- **pix2pix** (Isola et al., CVPR 2017), pairs side by side in each JPEG: **facades** (CMP Facade
  Database; photo left, labels right) and **maps** (aerial left, map right); see
  :data:`PIX2PIX_DIRECTIONS` (the first direction is the default).
- **horse2zebra** (Zhu et al., ICCV 2017): A = horses, B = zebras, unpaired.

Example:
    >>> images, labels = load_mnist(size=32)  # doctest: +SKIP
    >>> images.shape  # doctest: +SKIP
    (60000, 32, 32, 1)
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np
from PIL import Image, UnidentifiedImageError

from course_utils.checks import whole_number
from course_utils.config import data_dir
from course_utils.data.download import (
    REMOTE_FILES,
    DataFormatError,
    discard_if_unusable,
    fetch_and_extract,
    fetch_file,
)
from course_utils.data.resizing import resize_uint8_image
from course_utils.files import atomic_output

CACHE_VERSION = 2  # bump when a loader converts differently
MNIST_SPLITS = ("train", "test")
HORSE2ZEBRA_SPLITS = ("train", "test")
PIX2PIX_SPLITS: dict[str, tuple[str, ...]] = {"facades": ("train", "val", "test"), "maps": ("train", "val")}
# direction -> (input half, target half); the first entry is the default.
PIX2PIX_DIRECTIONS: dict[str, dict[str, tuple[str, str]]] = {
    "facades": {"labels_to_photo": ("right", "left"), "photo_to_labels": ("left", "right")},
    "maps": {"map_to_aerial": ("right", "left"), "aerial_to_map": ("left", "right")},
}


def cached_arrays(path: Path, keys: Sequence[str],
                  build: Callable[[], dict[str, np.ndarray]]) -> dict[str, np.ndarray]:
    """The arrays ``keys`` cached in ``path``, built with ``build()`` and cached first if needed.

    Example:
        >>> import tempfile
        >>> path = Path(tempfile.mkdtemp()) / "a.npz"
        >>> cached_arrays(path, ("x",), lambda: {"x": np.arange(3)})["x"].tolist()
        [0, 1, 2]
    """
    if path.is_file():
        try:
            with np.load(path, allow_pickle=False) as stored:
                if "cache_version" in stored.files and int(stored["cache_version"]) == CACHE_VERSION \
                        and set(keys) <= set(stored.files):
                    return {key: stored[key] for key in keys}
        except (OSError, ValueError, TypeError, EOFError, zipfile.BadZipFile):
            pass
    arrays = build()
    with atomic_output(path) as temporary:
        np.savez(temporary, **arrays, cache_version=np.array(CACHE_VERSION))
    return arrays


def open_rgb(path: Path) -> Image.Image:
    """Open an image as RGB.

    Example:
        >>> open_rgb(Path("/nonexistent.jpg"))
        Traceback (most recent call last):
        ...
        course_utils.data.download.DataFormatError: Cannot read the image /nonexistent.jpg (No such file or directory).
    """
    try:
        with Image.open(path) as opened:
            return opened.convert("RGB")
    except (OSError, UnidentifiedImageError) as error:
        reason = getattr(error, "strerror", None) or str(error)
        raise DataFormatError(f"Cannot read the image {path} ({reason}).") from error


def read_folder(folder: Path, convert: Callable[[Image.Image], np.ndarray],
                shape: tuple[int, ...]) -> np.ndarray:
    """``convert`` (RGB image -> uint8 array of ``shape``) applied to each JPEG/PNG in
    ``folder``, in numeric order of the names, stacked (``DataFormatError`` if there is none).

    Example:
        >>> import tempfile
        >>> folder = Path(tempfile.mkdtemp())
        >>> for name in ("2.jpg", "10.jpg"):
        ...     Image.new("RGB", (8, 4)).save(folder / name)
        >>> read_folder(folder, lambda image: np.asarray(image), (4, 8, 3)).shape
        (2, 4, 8, 3)
    """
    files = sorted((path for path in folder.glob("*") if path.suffix.lower() in (".jpg", ".jpeg", ".png")),
                   key=lambda path: [int(part) if part.isdigit() else part
                                     for part in re.split(r"(\d+)", path.name)])
    if not files:
        raise DataFormatError(f"The archive has no images in {folder.parent.name}/{folder.name}/.")
    result = np.empty((len(files),) + shape, dtype=np.uint8)
    for index, path in enumerate(files):
        result[index] = convert(open_rgb(path))
    return result


def _as_floats(*arrays: np.ndarray) -> tuple[np.ndarray, ...]:
    return tuple(array.astype(np.float32) * np.float32(1 / 255) for array in arrays)


def _check_split(name: str, split: str, splits: Sequence[str]) -> None:
    if split not in splits:
        raise ValueError(f"{name} has the splits {tuple(splits)}, not {split!r}.")


def load_mnist(size: int = 32, split: str = "train") -> tuple[np.ndarray, np.ndarray]:
    """Load MNIST as ``(images, labels)`` like the offline ``digits``: ``float32``
    ``(n, size, size, 1)`` in ``[0, 1]`` (1 = ink) and ``int64`` labels.

    Example:
        >>> images, labels = load_mnist(size=28, split="test")  # doctest: +SKIP
    """
    _check_split("MNIST", split, MNIST_SPLITS)
    size = whole_number(size, "size", minimum=8)

    def build() -> dict[str, np.ndarray]:
        path = fetch_file(REMOTE_FILES["mnist"], data_dir("mnist"))
        with discard_if_unusable(path):
            try:
                with np.load(path, allow_pickle=False) as stored:
                    images, labels = stored[f"x_{split}"].astype(np.uint8), stored[f"y_{split}"]
            except KeyError as error:
                raise DataFormatError(f"{path.name} lacks the array {error}.") from error
            except (OSError, ValueError, EOFError, zipfile.BadZipFile) as error:
                raise DataFormatError(f"{path.name} is not a readable .npz file ({error}).") from error
            if images.ndim != 3 or len(images) != len(labels):
                raise DataFormatError(f"{path.name}: x_{split} has shape {images.shape} and y_{split} "
                                      f"{labels.shape}; expected (n, 28, 28) images and n labels.")
        if images.shape[1:] != (size, size):
            images = np.stack([np.asarray(Image.fromarray(image).resize(
                (size, size), Image.Resampling.BICUBIC)) for image in images]) \
                if len(images) else np.zeros((0, size, size), np.uint8)
        return {"images": images, "labels": labels.astype(np.int64)}

    arrays = cached_arrays(data_dir("mnist") / f"mnist_{split}_{size}px.npz", ("images", "labels"), build)
    return _as_floats(arrays["images"])[0][..., None], arrays["labels"]


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
    """Load a pix2pix data set (``"facades"`` or ``"maps"``) as ``(inputs, targets)``, like
    ``circles_to_rectangles``: ``float32`` ``(n, size, size, 3)`` in ``[0, 1]``. Splits: facades
    ``train`` (400), ``val`` (100), ``test`` (106); maps ``train`` (1096), ``val`` (1098).

    Example:
        >>> inputs, targets = load_pix2pix("maps", direction="aerial_to_map")  # doctest: +SKIP
    """
    if name not in PIX2PIX_DIRECTIONS:
        raise ValueError(f"pix2pix data sets are {tuple(PIX2PIX_DIRECTIONS)}, not {name!r}.")
    _check_split(name, split, PIX2PIX_SPLITS[name])
    directions = PIX2PIX_DIRECTIONS[name]
    direction = direction or next(iter(directions))
    if direction not in directions:
        raise ValueError(f"{name} directions are {tuple(directions)}, not {direction!r}.")
    size = whole_number(size, "size", minimum=8)

    def build() -> dict[str, np.ndarray]:
        archive, extracted = fetch_and_extract(name, REMOTE_FILES[name])
        with discard_if_unusable(archive, extracted):
            pairs = read_folder(extracted / name / split, lambda image: split_halves(image, size),
                                (2, size, size, 3))
        return {"left": pairs[:, 0], "right": pairs[:, 1]}

    arrays = cached_arrays(data_dir(name) / f"{name}_{split}_{size}px.npz", ("left", "right"), build)
    source_half, target_half = directions[direction]
    return _as_floats(arrays[source_half], arrays[target_half])


def load_horse2zebra(size: int = 64, split: str = "train") -> tuple[np.ndarray, np.ndarray]:
    """Load horse2zebra as ``(horses, zebras)``, like ``(circles(n), squares(n))``: two
    ``float32`` arrays ``(n_A, size, size, 3)`` and ``(n_B, size, size, 3)`` in ``[0, 1]``
    (train 1067 and 1334 images, test 120 and 140).

    Example:
        >>> horses, zebras = load_horse2zebra(size=64, split="test")  # doctest: +SKIP
    """
    _check_split("horse2zebra", split, HORSE2ZEBRA_SPLITS)
    size = whole_number(size, "size", minimum=8)

    def build() -> dict[str, np.ndarray]:
        archive, extracted = fetch_and_extract("horse2zebra", REMOTE_FILES["horse2zebra"])
        with discard_if_unusable(archive, extracted):
            return {domain: read_folder(extracted / "horse2zebra" / f"{split}{domain}",
                                        lambda image: resize_uint8_image(image, size), (size, size, 3))
                    for domain in ("A", "B")}

    arrays = cached_arrays(data_dir("horse2zebra") / f"horse2zebra_{split}_{size}px.npz", ("A", "B"), build)
    return _as_floats(arrays["A"], arrays["B"])
