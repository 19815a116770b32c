"""Reading the images of an extracted data set: a folder's JPEG/PNG files in numeric order,
each opened as RGB (a decoding failure is a :class:`DataFormatError`) and converted.

Example:
    >>> import tempfile, pathlib
    >>> from PIL import Image
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> for name in ("2.jpg", "10.jpg"):
    ...     Image.new("RGB", (8, 4)).save(folder / name)
    >>> [path.name for path in image_files(folder)]
    ['2.jpg', '10.jpg']
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import numpy as np
from PIL import Image, UnidentifiedImageError

from course_utils.data.errors import DataFormatError

IMAGE_SUFFIXES = (".jpg", ".jpeg", ".png")


def image_files(folder: Path) -> list[Path]:
    """The image files directly in ``folder`` (none if it is missing), numbers sorted as numbers."""
    if not folder.is_dir():
        return []
    files = [path for path in folder.iterdir() if path.is_file() and path.suffix.lower() in IMAGE_SUFFIXES]
    return sorted(files, key=lambda path: [int(part) if part.isdigit() else part
                                           for part in re.split(r"(\d+)", path.name)])


def open_rgb(path: Path) -> Image.Image:
    """Open an image as RGB.

    Example:
        >>> import pathlib
        >>> open_rgb(pathlib.Path("/nonexistent.jpg"))
        Traceback (most recent call last):
        ...
        course_utils.data.errors.DataFormatError: Cannot read the image /nonexistent.jpg (No such file or directory).
    """
    try:
        with Image.open(path) as opened:
            return opened.convert("RGB")
    except (OSError, UnidentifiedImageError) as error:
        reason = getattr(error, "strerror", None) or str(error)
        raise DataFormatError(f"Cannot read the image {path} ({reason}).") from error


def read_images(paths: list[Path], convert: Callable[[Image.Image], np.ndarray],
                shape: tuple[int, ...]) -> np.ndarray:
    """Apply ``convert`` (RGB image -> uint8 array of ``shape``) to each file; stack the results.

    Example:
        >>> read_images([], lambda image: np.zeros((2, 2, 3), np.uint8), (2, 2, 3)).shape
        (0, 2, 2, 3)
    """
    result = np.empty((len(paths),) + shape, dtype=np.uint8)
    for index, path in enumerate(paths):
        result[index] = convert(open_rgb(path))
    return result
