"""The German Traffic Sign Recognition Benchmark (GTSRB), the course's four classes.

Stallkamp, Schlipsing, Salmen, Igel: "Man vs. computer: Benchmarking machine learning
algorithms for traffic sign recognition", Neural Networks 32, 2012. No licence is published;
the authors ask for this citation. The images are never shipped with the course.

Training archive layout: ``GTSRB/Final_Training/Images/000CC/`` per class ``CC`` with P6 PPM
images and ``GT-000CC.csv`` (``;``-separated: ``Filename;Width;Height;Roi.X1;Roi.Y1;Roi.X2;
Roi.Y2;ClassId``). Test: ``GTSRB/Final_Test/Images/NNNNN.ppm`` with labels in a second archive,
``GT-final_test.csv``. Each image is cropped to its ROI (the sign's bounding box) widened by
``border`` (10% of the ROI's size on each side by default, the framing of the offline
renderer; 0 crops tight to the sign), resized to ``size`` and cached.

Example:
    >>> images, labels = load_gtsrb(classes=(1,), size=32)  # doctest: +SKIP
    >>> images.shape[1:], set(labels.tolist())  # doctest: +SKIP
    ((32, 32, 3), {0})
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from pathlib import Path, PurePosixPath

import numpy as np
from PIL import Image, UnidentifiedImageError

from course_utils.data._checks import check_size
from course_utils.data.errors import DataFormatError
from course_utils.data.npz_cache import cached_arrays
from course_utils.data.real_data_files import dataset_folder, discard_if_unusable, fetch_and_extract
from course_utils.data.resizing import resize_uint8_image
from course_utils.data.sign_renderer import GTSRB_CLASS_IDS
from course_utils.data.sign_templates import SIGN_CLASSES
from course_utils.data.sources import REMOTE_FILES

NAME = "gtsrb"
SPLITS = ("train", "test")
CSV_COLUMNS = ("Filename", "Width", "Height", "Roi.X1", "Roi.Y1", "Roi.X2", "Roi.Y2", "ClassId")
COURSE_LABEL_OF_GTSRB_ID: dict[int, int] = {
    gtsrb_id: SIGN_CLASSES.index(name) for name, gtsrb_id in GTSRB_CLASS_IDS.items()
}
_COURSE_IDS = tuple(sorted(COURSE_LABEL_OF_GTSRB_ID))
_CACHE_VERSION = 1


def _class_folder(gtsrb_id: int) -> str:
    return f"{gtsrb_id:05d}"


def read_annotations(text: str, source: str) -> list[dict[str, str]]:
    """Parse a GTSRB ``;``-separated annotation file and check its columns.

    Example:
        >>> rows = read_annotations(
        ...     "Filename;Width;Height;Roi.X1;Roi.Y1;Roi.X2;Roi.Y2;ClassId\\n"
        ...     "00000_00000.ppm;29;30;5;6;24;25;1\\n", "GT-00001.csv")
        >>> rows[0]["Roi.X2"]
        '24'
    """
    reader = csv.DictReader(io.StringIO(text), delimiter=";")
    missing = [column for column in CSV_COLUMNS if column not in (reader.fieldnames or [])]
    if missing:
        raise DataFormatError(
            f"{source} lacks the column(s) {missing}; expected the GTSRB columns {CSV_COLUMNS} "
            "separated by ';'."
        )
    return list(reader)


def crop_sign(image: Image.Image, roi: tuple[int, int, int, int], border: float,
              size: int) -> np.ndarray:
    """Crop ``image`` to the ROI ``(x1, y1, x2, y2)`` (inclusive) widened by ``border``, resize.

    Example:
        >>> crop_sign(Image.new("RGB", (40, 40)), (5, 5, 34, 34), 0.1, 16).shape
        (16, 16, 3)
    """
    x1, y1, x2, y2 = roi
    width, height = x2 - x1 + 1, y2 - y1 + 1
    box = (
        max(0, round(x1 - border * width)),
        max(0, round(y1 - border * height)),
        min(image.width, round(x2 + 1 + border * width)),
        min(image.height, round(y2 + 1 + border * height)),
    )
    if box[2] <= box[0] or box[3] <= box[1]:
        raise DataFormatError(f"The ROI {roi} lies outside the {image.width}x{image.height} image.")
    return resize_uint8_image(image.convert("RGB").crop(box), size)


def _read_image(path: Path) -> Image.Image:
    try:
        with Image.open(path) as opened:
            opened.load()
            return opened.copy()
    except (OSError, UnidentifiedImageError) as error:
        raise DataFormatError(f"Cannot read the image {path.name} ({error}).") from error


def _convert(rows: list[tuple[Path, tuple[int, int, int, int], int]], size: int,
             border: float) -> dict[str, np.ndarray]:
    images = np.empty((len(rows), size, size, 3), dtype=np.uint8)
    for index, (path, roi, _) in enumerate(rows):
        images[index] = crop_sign(_read_image(path), roi, border, size)
    labels = np.array([gtsrb_id for _, _, gtsrb_id in rows], dtype=np.int64)
    return {"images": images, "gtsrb_ids": labels}


def _image_path(folder: Path, row: dict[str, str], source: str) -> Path:
    name = row.get("Filename") or ""
    if not name or "/" in name or "\\" in name or name in (".", ".."):
        raise DataFormatError(f"{source}: {name!r} is not a plain image file name.")
    return folder / name


def _roi(row: dict[str, str], source: str) -> tuple[int, int, int, int]:
    try:
        return (int(row["Roi.X1"]), int(row["Roi.Y1"]), int(row["Roi.X2"]), int(row["Roi.Y2"]))
    except (TypeError, ValueError) as error:
        raise DataFormatError(f"{source}: a ROI is not whole numbers: {row}.") from error


def _training_rows(extracted: Path) -> list[tuple[Path, tuple[int, int, int, int], int]]:
    rows = []
    for gtsrb_id in _COURSE_IDS:
        folder = extracted / "GTSRB" / "Final_Training" / "Images" / _class_folder(gtsrb_id)
        annotations = folder / f"GT-{_class_folder(gtsrb_id)}.csv"
        if not annotations.is_file():
            raise DataFormatError(
                f"The GTSRB training archive has no class folder "
                f"GTSRB/Final_Training/Images/{_class_folder(gtsrb_id)}/ with its "
                f"GT-{_class_folder(gtsrb_id)}.csv (class {gtsrb_id}, "
                f"{SIGN_CLASSES[COURSE_LABEL_OF_GTSRB_ID[gtsrb_id]]})."
            )
        for row in read_annotations(annotations.read_text(encoding="utf-8"), annotations.name):
            rows.append((_image_path(folder, row, annotations.name), _roi(row, annotations.name),
                         gtsrb_id))
    return rows


def _test_rows(extracted_images: Path,
               extracted_labels: Path) -> list[tuple[Path, tuple[int, int, int, int], int]]:
    labels_file = extracted_labels / "GT-final_test.csv"
    if not labels_file.is_file():
        raise DataFormatError("The GTSRB test-label archive has no GT-final_test.csv.")
    folder = extracted_images / "GTSRB" / "Final_Test" / "Images"
    if not folder.is_dir():
        raise DataFormatError("The GTSRB test archive has no folder GTSRB/Final_Test/Images/.")
    rows = []
    for row in read_annotations(labels_file.read_text(encoding="utf-8"), labels_file.name):
        try:
            gtsrb_id = int(row["ClassId"])
        except (TypeError, ValueError) as error:
            raise DataFormatError(f"{labels_file.name}: ClassId {row['ClassId']!r}.") from error
        if gtsrb_id in COURSE_LABEL_OF_GTSRB_ID:
            rows.append((_image_path(folder, row, labels_file.name),
                         _roi(row, labels_file.name), gtsrb_id))
    return rows


def _in_course_class_folder(path: PurePosixPath) -> bool:
    parts = path.parts
    return (len(parts) >= 5 and parts[:3] == ("GTSRB", "Final_Training", "Images")
            and parts[3] in {_class_folder(gtsrb_id) for gtsrb_id in _COURSE_IDS})


def gtsrb_arrays(size: int = 32, split: str = "train",
                 border: float = 0.1) -> dict[str, np.ndarray]:
    """Return the cached uint8 crops of the course's four classes (downloading if needed).

    Returns:
        ``{"images": uint8 (n, size, size, 3), "gtsrb_ids": int64 (n,)}``.

    Example:
        >>> gtsrb_arrays(32)["images"].dtype  # doctest: +SKIP
        dtype('uint8')
    """
    size = check_size(size, minimum=8)
    if split not in SPLITS:
        raise ValueError(f"GTSRB has the splits {SPLITS}, not {split!r}.")
    if not 0.0 <= border <= 0.5:
        raise ValueError(
            f"border must be between 0 and 0.5 (a share of the sign's size), got {border}."
        )
    folder = dataset_folder(NAME)
    cache = folder / f"gtsrb_{split}_{size}px_border{round(border * 100):02d}_v{_CACHE_VERSION}.npz"

    def build() -> dict[str, np.ndarray]:
        if split == "train":
            archive, extracted = fetch_and_extract(
                NAME, REMOTE_FILES["gtsrb_train"], "extracted_train", _in_course_class_folder
            )
            with discard_if_unusable(archive, extracted):
                return _convert(_training_rows(extracted), size, border)
        images_archive, images_folder = fetch_and_extract(
            NAME, REMOTE_FILES["gtsrb_test_images"], "extracted_test_images"
        )
        labels_archive, labels_folder = fetch_and_extract(
            NAME, REMOTE_FILES["gtsrb_test_labels"], "extracted_test_labels"
        )
        with discard_if_unusable(images_archive, images_folder), \
                discard_if_unusable(labels_archive, labels_folder):
            return _convert(_test_rows(images_folder, labels_folder), size, border)

    return cached_arrays(cache, build)


def gtsrb_ids_of(classes: Sequence[int | str] | int | str | None) -> tuple[int, ...]:
    """Resolve GTSRB class ids (1, 7, 14, 16) or course sign names into GTSRB ids.

    Example:
        >>> gtsrb_ids_of(["stop", 1])
        (14, 1)
    """
    if classes is None:
        return _COURSE_IDS
    if isinstance(classes, (int, str, np.integer)):
        classes = [classes]
    resolved: list[int] = []
    for item in classes:
        if isinstance(item, str) and item in GTSRB_CLASS_IDS:
            gtsrb_id = GTSRB_CLASS_IDS[item]
        elif (not isinstance(item, bool) and isinstance(item, (int, np.integer))
              and item in COURSE_LABEL_OF_GTSRB_ID):
            gtsrb_id = int(item)
        else:
            raise ValueError(
                f"GTSRB class {item!r} is not one the course uses. Use GTSRB ids {_COURSE_IDS} "
                f"or the names {tuple(GTSRB_CLASS_IDS)}."
            )
        if gtsrb_id not in resolved:
            resolved.append(gtsrb_id)
    if not resolved:
        raise ValueError(f"classes is empty; use some of the GTSRB ids {_COURSE_IDS}.")
    return tuple(resolved)


def load_gtsrb(
    classes: Sequence[int | str] | int | str | None = (1, 7, 14, 16),
    size: int = 32,
    split: str = "train",
    border: float = 0.1,
) -> tuple[np.ndarray, np.ndarray]:
    """Load GTSRB crops of the chosen classes, in the offline renderer's format.

    Args:
        classes: GTSRB class ids among 1 (speed limit 30), 7 (speed limit 100), 14 (stop) and
            16 (no trucks), or the course's sign names; ``None`` for all four.
        size: side of the square crops in pixels.
        split: ``"train"`` (the training archive, 4860 images of these classes) or ``"test"``.
        border: share of the sign's size kept around it on each side (0 = tight ROI crop).

    Returns:
        ``(images, labels)`` like :func:`course_utils.data.sign_renderer`: images ``float32``
        ``(n, size, size, 3)`` in ``[0, 1]``, labels ``int64`` indices into ``SIGN_CLASSES``
        (speed_limit_30 = 0, speed_limit_100 = 1, stop = 2, no_trucks = 3).

    Raises:
        DownloadError: no network (``load(..., source="online")`` falls back instead).

    Example:
        >>> images, labels = load_gtsrb(classes=(14,), size=32)  # doctest: +SKIP
        >>> set(labels.tolist())  # doctest: +SKIP
        {2}
    """
    wanted = gtsrb_ids_of(classes)
    arrays = gtsrb_arrays(size=size, split=split, border=border)
    keep = np.isin(arrays["gtsrb_ids"], wanted)
    images = arrays["images"][keep].astype(np.float32) / np.float32(255.0)
    labels = np.array([COURSE_LABEL_OF_GTSRB_ID[int(i)] for i in arrays["gtsrb_ids"][keep]],
                      dtype=np.int64)
    return images, labels
