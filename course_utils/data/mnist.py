"""MNIST from Keras' copy, ``mnist.npz`` (LeCun, Cortes, Burges; CC BY-SA 3.0).

Fetched like ``keras.datasets.mnist.load_data`` does (``get_file`` with the same URL and
sha256), but into the course's data folder and through ``COURSE_DATA_MIRROR``. The file holds
``x_train`` (60000, 28, 28) and ``x_test`` (10000, 28, 28) ``uint8`` images with ``y_train`` /
``y_test`` labels; images are resized to ``size`` (like the offline digits) and cached.

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

from course_utils.config import data_dir
from course_utils.checks import whole_number
from course_utils.data.archives import discard_if_unusable
from course_utils.data.download import fetch_file
from course_utils.data.errors import DataFormatError
from course_utils.data.npz_cache import cached_arrays
from course_utils.data.sources import REMOTE_FILES

NAME = "mnist"
SPLITS = ("train", "test")


def _read_split(path: Path, split: str) -> tuple[np.ndarray, np.ndarray]:
    try:
        with np.load(path, allow_pickle=False) as stored:
            missing = [key for key in (f"x_{split}", f"y_{split}") if key not in stored.files]
            if missing:
                raise DataFormatError(f"{path.name} lacks the arrays {missing}.")
            images, labels = stored[f"x_{split}"], stored[f"y_{split}"]
    except (OSError, ValueError, EOFError, zipfile.BadZipFile) as error:
        raise DataFormatError(f"{path.name} is not a readable .npz file ({error}).") from error
    if images.ndim != 3 or len(images) != len(labels):
        raise DataFormatError(f"{path.name}: x_{split} has shape {images.shape} and y_{split} "
                              f"{labels.shape}; expected (n, 28, 28) images and n labels.")
    return images.astype(np.uint8), labels.astype(np.int64)


def load_mnist(size: int = 32, split: str = "train") -> tuple[np.ndarray, np.ndarray]:
    """Load MNIST as ``(images, labels)`` in the format of the offline ``digits``.

    Returns:
        images ``float32`` ``(n, size, size, 1)`` in ``[0, 1]`` (1 = ink), labels ``int64``.

    Example:
        >>> images, labels = load_mnist(size=28, split="test")  # doctest: +SKIP
    """
    if split not in SPLITS:
        raise ValueError(f"MNIST has the splits {SPLITS}, not {split!r}.")
    size = whole_number(size, "size", minimum=8)

    def build() -> dict[str, np.ndarray]:
        path = fetch_file(REMOTE_FILES[NAME], data_dir(NAME))
        with discard_if_unusable(path):
            images, labels = _read_split(path, split)
        if images.shape[1:] != (size, size):
            images = np.stack([np.asarray(Image.fromarray(image).resize(
                (size, size), Image.Resampling.BICUBIC)) for image in images]) \
                if len(images) else np.zeros((0, size, size), np.uint8)
        return {"images": images, "labels": labels}

    arrays = cached_arrays(data_dir(NAME) / f"{NAME}_{split}_{size}px.npz", ("images", "labels"), build)
    return arrays["images"].astype(np.float32)[..., None] * np.float32(1 / 255), arrays["labels"]
