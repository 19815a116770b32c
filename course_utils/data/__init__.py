"""Data for every notebook: offline generators (seeded, fast, no network) and loaders for the
real data sets (downloaded only when asked, checked, extracted safely and cached).

Conventions: images are ``float32``, NHWC, values in ``[0, 1]``; labels are ``int64``; every
generator takes ``seed`` (an integer for a reproducible result, ``None`` for a fresh one).
Use :func:`to_tanh_range` for a tanh generator and :func:`as_dataset` for a ``tf.data``
pipeline. ``load(name, source="online")`` switches a notebook to the real data set with the
offline data as the fallback. See ``data/README.md`` for every data set, with pictures.

Example:
    >>> from course_utils.data import road_signs, sin_curve
    >>> sin_curve(5, seed=0).shape
    (5, 2)
"""

from __future__ import annotations

from course_utils.data.catalog import load
from course_utils.data.colorization import colorization_pairs, to_grey
from course_utils.data.digit_images import digits
from course_utils.data.download import (
    DataFormatError,
    DataIntegrityError,
    DataSetError,
    DownloadError,
    UnknownDataSetError,
    UnsafeArchiveError,
)
from course_utils.data.gtsrb import load_gtsrb
from course_utils.data.pipelines import as_dataset, from_tanh_range, to_tanh_range
from course_utils.data.real_sets import PIX2PIX_DIRECTIONS, load_horse2zebra, load_mnist, load_pix2pix
from course_utils.data.sign_renderer import GTSRB_CLASS_IDS, SIGN_CLASSES, road_signs, signs_from_templates
from course_utils.data.shapes import SHAPE_CLASSES, circles, circles_to_rectangles, shapes_dataset, squares
from course_utils.data.toy_sets import (FGAN_MIXTURE, GaussianMixture1D, grid_modes, grid_of_gaussians, is_face_pattern,
                                         ring_modes, ring_of_gaussians, sin_curve, slanted_land_faces,
                                         slanted_land_noise, vertical_lines)
from course_utils.data.version import DATA_VERSION

__all__ = [
    "DATA_VERSION", "FGAN_MIXTURE", "GTSRB_CLASS_IDS", "PIX2PIX_DIRECTIONS", "SHAPE_CLASSES", "SIGN_CLASSES",
    "DataFormatError", "DataIntegrityError", "DataSetError", "DownloadError", "GaussianMixture1D",
    "UnknownDataSetError", "UnsafeArchiveError", "as_dataset", "circles", "circles_to_rectangles",
    "colorization_pairs", "digits", "from_tanh_range", "grid_modes", "grid_of_gaussians", "is_face_pattern", "load",
    "load_gtsrb", "load_horse2zebra", "load_mnist", "load_pix2pix", "ring_modes", "ring_of_gaussians", "road_signs",
    "shapes_dataset", "signs_from_templates", "sin_curve", "slanted_land_faces", "slanted_land_noise", "squares",
    "to_grey", "to_tanh_range", "vertical_lines",
]
