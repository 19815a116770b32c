"""Image-to-image translation measures: pix2pix (notebook 11) and CycleGAN (notebook 12).

:func:`paired_l1` (outputs against targets) and :func:`cycle_l1` (A -> B -> A round trips)
are mean absolute pixel errors; :func:`mask_iou` compares the green rectangles of outputs and
targets through :func:`colour_mask`, whatever small colour errors they have;
:func:`translated_class_share` is the share of translated images a judge assigns to the target
class (a translated circle must be judged a square).

Example:
    >>> import numpy as np
    >>> a = np.zeros((2, 8, 8, 3)); b = np.full((2, 8, 8, 3), 0.25)
    >>> paired_l1(a, b)
    0.25
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from course_utils.checks import InputError, as_images, same_shape

if TYPE_CHECKING:
    from course_utils.metrics.judges import Judge

# The colours of the course's shape images (course_utils.data.shapes); kept here as plain
# numbers so the measures import nothing from the data package.
WHITE = (1.0, 1.0, 1.0)
VIOLET = (0.55, 0.15, 0.85)
GREEN = (0.10, 0.65, 0.20)
PALETTE: dict[str, tuple[float, float, float]] = {"white": WHITE, "violet": VIOLET, "green": GREEN}


def paired_l1(outputs: Any, targets: Any) -> float:
    """Return the mean absolute difference between ``outputs`` and ``targets`` (same shape, [0, 1]).

    Example:
        >>> import numpy as np
        >>> paired_l1(np.ones((1, 4, 4, 1)), np.zeros((1, 4, 4, 1)))
        1.0
    """
    output_array = as_images(outputs, "outputs")
    target_array = as_images(targets, "targets")
    same_shape(output_array, target_array, ("outputs", "targets"))
    return float(np.mean(np.abs(output_array - target_array), dtype=np.float64))


def cycle_l1(originals: Any, reconstructions: Any) -> float:
    """Return the mean absolute difference between images and their A -> B -> A reconstructions.

    Example:
        >>> import numpy as np
        >>> images = np.random.default_rng(0).uniform(size=(3, 8, 8, 3))
        >>> cycle_l1(images, images)
        0.0
    """
    original_array = as_images(originals, "originals")
    reconstruction_array = as_images(reconstructions, "reconstructions")
    same_shape(original_array, reconstruction_array, ("originals", "reconstructions"))
    return float(np.mean(np.abs(original_array - reconstruction_array), dtype=np.float64))


def colour_mask(images: Any, colour: str = "green") -> np.ndarray:
    """Return a boolean mask ``(n, height, width)`` of RGB images: the pixels whose nearest colour
    of :data:`PALETTE` (white, violet, green) is ``colour`` (a pixel half-way between two is not).

    Example:
        >>> import numpy as np
        >>> image = np.ones((1, 2, 2, 3)); image[0, 0, 0] = GREEN
        >>> colour_mask(image).astype(int).tolist()
        [[[1, 0], [0, 0]]]
    """
    array = as_images(images, "images")
    if array.shape[-1] != 3:
        raise InputError(f"Colour masks need RGB images (3 channels); got {array.shape[-1]}.")
    if colour not in PALETTE:
        raise InputError(f"Unknown colour {colour!r}; the palette has {', '.join(PALETTE)}.")
    names = list(PALETTE)
    references = np.array([PALETTE[name] for name in names], dtype=np.float32)
    red, green, blue = array[..., 0], array[..., 1], array[..., 2]
    distances = [(red - r) ** 2 + (green - g) ** 2 + (blue - b) ** 2 for r, g, b in references]
    target = names.index(colour)
    nearest_other = np.min([d for index, d in enumerate(distances) if index != target], axis=0)
    return distances[target] < nearest_other


def mask_iou(outputs: Any, targets: Any, colour: str = "green") -> float:
    """Return the mean intersection-over-union of the ``colour`` masks of outputs and targets.

    Each pair's IoU is ``|A and B| / |A or B|``; a pair where neither image has the colour
    counts as 1 (both agree there is nothing), so 1.0 is perfect and 0.0 no overlap at all.

    Example:
        >>> import numpy as np
        >>> target = np.ones((1, 4, 4, 3)); target[0, :2, :2] = GREEN
        >>> output = np.ones((1, 4, 4, 3)); output[0, :2, :] = GREEN
        >>> mask_iou(output, target)
        0.5
    """
    output_mask = colour_mask(outputs, colour)
    target_mask = colour_mask(targets, colour)
    same_shape(output_mask, target_mask, ("outputs", "targets"))
    intersection = np.logical_and(output_mask, target_mask).sum(axis=(1, 2))
    union = np.logical_or(output_mask, target_mask).sum(axis=(1, 2))
    per_pair = np.where(union > 0, intersection / np.maximum(union, 1), 1.0)
    return float(per_pair.mean())


def translated_class_share(judge: Judge, translated: Any, target_class: str | int) -> float:
    """Return the share of ``translated`` images that ``judge`` assigns to ``target_class``.

    Example:
        >>> from course_utils.data import squares
        >>> from course_utils.metrics.judges import load_judge
        >>> translated_class_share(load_judge("shapes"), squares(200, seed=5), "square") > 0.95
        True
    """
    return judge.class_share(translated, target_class)
