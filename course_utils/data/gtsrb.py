"""The German Traffic Sign Recognition Benchmark (GTSRB), the course's four classes.

Stallkamp, Schlipsing, Salmen, Igel, Neural Networks 32, 2012 (no licence is published; the
authors ask for this citation; the images never ship with the course). Each image is cropped to
its ROI widened by ``border`` (10% on each side by default, the offline renderer's framing),
resized to ``size`` and cached.

Example:
    >>> images, labels = load_gtsrb(classes=(1,), size=32)  # doctest: +SKIP
    >>> images.shape[1:], set(labels.tolist())  # doctest: +SKIP
    ((32, 32, 3), {0})
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from pathlib import Path

import numpy as np
from PIL import Image

from course_utils.checks import whole_number
from course_utils.config import data_dir
from course_utils.data.download import REMOTE_FILES, DataFormatError, discard_if_unusable, fetch_and_extract
from course_utils.data.real_sets import cached_arrays, open_rgb
from course_utils.data.resizing import resize_uint8_image
from course_utils.data.sign_renderer import GTSRB_CLASS_IDS
from course_utils.data.sign_templates import SIGN_CLASSES

SPLITS = ("train", "test")
CSV_COLUMNS = ("Filename", "Width", "Height", "Roi.X1", "Roi.Y1", "Roi.X2", "Roi.Y2", "ClassId")
COURSE_LABEL_OF_GTSRB_ID: dict[int, int] = {
    gtsrb_id: SIGN_CLASSES.index(name) for name, gtsrb_id in GTSRB_CLASS_IDS.items()
}
_COURSE_IDS = tuple(sorted(COURSE_LABEL_OF_GTSRB_ID))
Row = tuple[Path, tuple[int, int, int, int], int]  # image, ROI (inclusive corners), GTSRB id


def read_annotations(path: Path, folder: Path) -> list[Row]:
    """Read a GTSRB ``;``-separated annotation file: one (image path, ROI, class id) per row.

    Example:
        >>> import tempfile
        >>> folder = Path(tempfile.mkdtemp()); csv_file = folder / "GT-00001.csv"
        >>> _ = csv_file.write_text(";".join(CSV_COLUMNS) + "\\n00000_00000.ppm;29;30;5;6;24;25;1\\n")
        >>> read_annotations(csv_file, folder)[0][1:]
        ((5, 6, 24, 25), 1)
    """
    reader = csv.DictReader(io.StringIO(path.read_text(encoding="utf-8")), delimiter=";")
    missing = [column for column in CSV_COLUMNS if column not in (reader.fieldnames or [])]
    if missing:
        raise DataFormatError(f"{path.name} lacks the column(s) {missing}; expected the GTSRB "
                              f"columns {CSV_COLUMNS} separated by ';'.")
    rows = []
    for row in reader:
        name = row["Filename"] or ""
        if not name or "/" in name or "\\" in name or name in (".", ".."):
            raise DataFormatError(f"{path.name}: {name!r} is not a plain image file name.")
        try:
            roi = tuple(int(row[key]) for key in ("Roi.X1", "Roi.Y1", "Roi.X2", "Roi.Y2"))
            rows.append((folder / name, roi, int(row["ClassId"])))
        except (TypeError, ValueError) as error:
            raise DataFormatError(f"{path.name}: a ROI or ClassId is not a whole number: {row}.") from error
    return rows


def crop_sign(image: Image.Image, roi: tuple[int, int, int, int], border: float, size: int) -> np.ndarray:
    """Crop ``image`` to the ROI ``(x1, y1, x2, y2)`` (inclusive) widened by ``border``, resize.

    Example:
        >>> crop_sign(Image.new("RGB", (40, 40)), (5, 5, 34, 34), 0.1, 16).shape
        (16, 16, 3)
    """
    x1, y1, x2, y2 = roi
    width, height = x2 - x1 + 1, y2 - y1 + 1
    box = (max(0, round(x1 - border * width)), max(0, round(y1 - border * height)),
           min(image.width, round(x2 + 1 + border * width)),
           min(image.height, round(y2 + 1 + border * height)))
    if box[2] <= box[0] or box[3] <= box[1]:
        raise DataFormatError(f"The ROI {roi} lies outside the {image.width}x{image.height} image.")
    return resize_uint8_image(image.convert("RGB").crop(box), size)


def _rows(split: str) -> tuple[list[Path], list[Row]]:
    """The split's rows, and the archives and folders to delete if they prove unusable."""
    if split == "train":
        paths = [*fetch_and_extract("gtsrb", REMOTE_FILES["gtsrb_train"], "extracted_train")]
        images, rows = paths[1] / "GTSRB" / "Final_Training" / "Images", []
        with discard_if_unusable(*paths):
            for gtsrb_id in _COURSE_IDS:
                labels_file = images / f"{gtsrb_id:05d}" / f"GT-{gtsrb_id:05d}.csv"
                if not labels_file.is_file():
                    raise DataFormatError(
                        f"The GTSRB training archive has no GTSRB/Final_Training/Images/"
                        f"{gtsrb_id:05d}/GT-{gtsrb_id:05d}.csv (class {gtsrb_id}, "
                        f"{SIGN_CLASSES[COURSE_LABEL_OF_GTSRB_ID[gtsrb_id]]}).")
                rows += read_annotations(labels_file, labels_file.parent)
        return paths, rows
    paths = [*fetch_and_extract("gtsrb", REMOTE_FILES["gtsrb_test_images"], "extracted_test_images"),
             *fetch_and_extract("gtsrb", REMOTE_FILES["gtsrb_test_labels"], "extracted_test_labels")]
    labels_file, folder = paths[3] / "GT-final_test.csv", paths[1] / "GTSRB" / "Final_Test" / "Images"
    with discard_if_unusable(*paths):
        if not labels_file.is_file() or not folder.is_dir():
            raise DataFormatError("The GTSRB test archives lack GT-final_test.csv or the folder "
                                  "GTSRB/Final_Test/Images/.")
        rows = [row for row in read_annotations(labels_file, folder) if row[2] in COURSE_LABEL_OF_GTSRB_ID]
    return paths, rows


def load_gtsrb(classes: Sequence[int | str] | int | str | None = (1, 7, 14, 16), size: int = 32,
               split: str = "train", border: float = 0.1) -> tuple[np.ndarray, np.ndarray]:
    """Load GTSRB crops of the chosen classes as ``(images, labels)``, like ``road_signs``.

    ``classes``: GTSRB ids among 1, 7, 14, 16 or the course's sign names (``None``: all four);
    ``split``: ``"train"`` (4860 images of these classes) or ``"test"``; ``border``: share of
    the sign's size kept on each side. Labels index ``SIGN_CLASSES``.

    Example:
        >>> images, labels = load_gtsrb(classes=(14,), size=32)  # doctest: +SKIP
        >>> set(labels.tolist())  # doctest: +SKIP
        {2}
    """
    wanted = gtsrb_ids_of(classes)
    size = whole_number(size, "size", minimum=8)
    if split not in SPLITS:
        raise ValueError(f"GTSRB has the splits {SPLITS}, not {split!r}.")
    if not 0.0 <= border <= 0.5:
        raise ValueError(f"border must be between 0 and 0.5 (a share of the sign's size), got {border}.")

    def build() -> dict[str, np.ndarray]:
        paths, rows = _rows(split)
        images = np.empty((len(rows), size, size, 3), dtype=np.uint8)
        with discard_if_unusable(*paths):
            for index, (path, roi, _) in enumerate(rows):
                images[index] = crop_sign(open_rgb(path), roi, border, size)
        return {"images": images, "gtsrb_ids": np.array([row[2] for row in rows], dtype=np.int64)}

    cache = data_dir("gtsrb") / f"gtsrb_{split}_{size}px_border{round(border * 100):02d}.npz"
    arrays = cached_arrays(cache, ("images", "gtsrb_ids"), build)
    keep = np.isin(arrays["gtsrb_ids"], wanted)
    labels = [COURSE_LABEL_OF_GTSRB_ID[int(i)] for i in arrays["gtsrb_ids"][keep]]
    return arrays["images"][keep].astype(np.float32) / np.float32(255.0), np.array(labels, dtype=np.int64)


def gtsrb_ids_of(classes: Sequence[int | str] | int | str | None) -> tuple[int, ...]:
    """Resolve GTSRB class ids (1, 7, 14, 16) or course sign names into GTSRB ids.

    Example:
        >>> gtsrb_ids_of(["stop", 1])
        (14, 1)
    """
    if classes is None:
        return _COURSE_IDS
    resolved: list[int] = []
    for item in [classes] if isinstance(classes, (int, str, np.integer)) else classes:
        if isinstance(item, str) and item in GTSRB_CLASS_IDS:
            gtsrb_id = GTSRB_CLASS_IDS[item]
        elif not isinstance(item, (bool, str)) and isinstance(item, (int, np.integer)) \
                and item in COURSE_LABEL_OF_GTSRB_ID:
            gtsrb_id = int(item)
        else:
            raise ValueError(f"GTSRB class {item!r} is not one the course uses. Use GTSRB ids "
                             f"{_COURSE_IDS} or the names {tuple(GTSRB_CLASS_IDS)}.")
        if gtsrb_id not in resolved:
            resolved.append(gtsrb_id)
    if not resolved:
        raise ValueError(f"classes is empty; use some of the GTSRB ids {_COURSE_IDS}.")
    return tuple(resolved)
