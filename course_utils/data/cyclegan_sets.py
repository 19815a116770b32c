"""CycleGAN's horse2zebra (Zhu, Park, Isola, Efros: "Unpaired Image-to-Image Translation using
Cycle-Consistent Adversarial Networks", ICCV 2017; images from ImageNet).

Archive layout: ``horse2zebra/{trainA,trainB,testA,testB}/*.jpg``, 256x256; A = horses
(1067 train, 120 test), B = zebras (1334 train, 140 test). The sets are unpaired and of
different sizes. Images are resized to ``size`` and cached.

Example:
    >>> horses, zebras = load_horse2zebra(size=64)  # doctest: +SKIP
    >>> horses.shape[1:]  # doctest: +SKIP
    (64, 64, 3)
"""

from __future__ import annotations

import numpy as np

from course_utils.config import data_dir
from course_utils.checks import whole_number
from course_utils.data.archives import discard_if_unusable, fetch_and_extract
from course_utils.data.errors import DataFormatError
from course_utils.data.image_folders import image_files, read_images
from course_utils.data.npz_cache import cached_arrays
from course_utils.data.resizing import resize_uint8_image
from course_utils.data.sources import REMOTE_FILES

NAME = "horse2zebra"
SPLITS = ("train", "test")


def load_horse2zebra(size: int = 64, split: str = "train") -> tuple[np.ndarray, np.ndarray]:
    """Load horse2zebra as ``(horses, zebras)``, like ``(circles(n), squares(n))``.

    Returns:
        two ``float32`` arrays ``(n_A, size, size, 3)`` and ``(n_B, size, size, 3)`` in ``[0, 1]``.

    Example:
        >>> horses, zebras = load_horse2zebra(size=64, split="test")  # doctest: +SKIP
    """
    if split not in SPLITS:
        raise ValueError(f"horse2zebra has the splits {SPLITS}, not {split!r}.")
    size = whole_number(size, "size", minimum=8)

    def build() -> dict[str, np.ndarray]:
        archive, extracted = fetch_and_extract(NAME, REMOTE_FILES[NAME])
        arrays = {}
        with discard_if_unusable(archive, extracted):
            for domain in ("A", "B"):
                files = image_files(extracted / NAME / f"{split}{domain}")
                if not files:
                    raise DataFormatError(f"The {NAME} archive has no images in {NAME}/{split}{domain}/.")
                arrays[domain] = read_images(files, lambda image: resize_uint8_image(image, size),
                                             (size, size, 3))
        return arrays

    arrays = cached_arrays(data_dir(NAME) / f"{NAME}_{split}_{size}px.npz", ("A", "B"), build)
    scale = np.float32(1 / 255)
    return arrays["A"].astype(np.float32) * scale, arrays["B"].astype(np.float32) * scale
