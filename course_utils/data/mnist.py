"""MNIST from Keras' copy, ``mnist.npz`` (LeCun, Cortes, Burges; CC BY-SA 3.0).

The file holds ``x_train`` (60000, 28, 28) and ``x_test`` (10000, 28, 28) ``uint8`` images with
``y_train`` / ``y_test`` labels. Images are resized to ``size`` (like the offline digits) and
cached.

Example:
    >>> images, labels = load_mnist(size=32)  # doctest: +SKIP
    >>> images.shape  # doctest: +SKIP
    (60000, 32, 32, 1)
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import numpy as np
from PIL import Image

from course_utils.data._checks import check_size
from course_utils.data.download import fetch_file
from course_utils.data.errors import DataFormatError
from course_utils.data.npz_cache import cached_arrays
from course_utils.data.real_data_files import dataset_folder, discard_if_unusable
from course_utils.data.sources import REMOTE_FILES

NAME = "mnist"
SPLITS = ("train", "test")
_CACHE_VERSION = 1


def _read_keras_npz(path: Path) -> dict[str, np.ndarray]:
    try:
        with np.load(path, allow_pickle=False) as stored:
            missing = [key for key in ("x_train", "y_train", "x_test", "y_test")
                       if key not in stored.files]
            if missing:
                raise DataFormatError(f"{path.name} lacks the arrays {missing}.")
            arrays = {key: stored[key] for key in ("x_train", "y_train", "x_test", "y_test")}
    except (OSError, ValueError, EOFError, zipfile.BadZipFile) as error:
        raise DataFormatError(f"{path.name} is not a readable .npz file ({error}).") from error
    for split in SPLITS:
        images, labels = arrays[f"x_{split}"], arrays[f"y_{split}"]
        if images.ndim != 3 or len(images) != len(labels):
            raise DataFormatError(
                f"{path.name}: x_{split} has shape {images.shape} and y_{split} {labels.shape}; "
                "expected (n, 28, 28) images and n labels."
            )
    return arrays


def mnist_arrays(size: int = 32, split: str = "train") -> dict[str, np.ndarray]:
    """Return cached uint8 images ``(n, size, size)`` and labels of one split.

    Example:
        >>> mnist_arrays(28, "test")["images"].shape  # doctest: +SKIP
        (10000, 28, 28)
    """
    if split not in SPLITS:
        raise ValueError(f"MNIST has the splits {SPLITS}, not {split!r}.")
    size = check_size(size, minimum=8)
    cache = dataset_folder(NAME) / f"{NAME}_{split}_{size}px_v{_CACHE_VERSION}.npz"

    def build() -> dict[str, np.ndarray]:
        path = fetch_file(REMOTE_FILES[NAME], dataset_folder(NAME))
        with discard_if_unusable(path):
            arrays = _read_keras_npz(path)
        images = arrays[f"x_{split}"].astype(np.uint8)
        if images.shape[1:] != (size, size):
            images = np.stack([
                np.asarray(Image.fromarray(image).resize((size, size), Image.Resampling.BICUBIC))
                for image in images
            ]) if len(images) else np.zeros((0, size, size), np.uint8)
        return {"images": images, "labels": arrays[f"y_{split}"].astype(np.int64)}

    return cached_arrays(cache, build)


def load_mnist(size: int = 32, split: str = "train") -> tuple[np.ndarray, np.ndarray]:
    """Load MNIST as ``(images, labels)`` in the format of the offline ``digits``.

    Returns:
        images ``float32`` ``(n, size, size, 1)`` in ``[0, 1]`` (1 = ink), labels ``int64``.

    Example:
        >>> images, labels = load_mnist(size=28, split="test")  # doctest: +SKIP
    """
    arrays = mnist_arrays(size, split)
    images = arrays["images"].astype(np.float32)[..., None] * np.float32(1 / 255)
    return images, arrays["labels"]
