"""Flat coloured shapes on white: CycleGAN's unpaired :func:`circles` and :func:`squares`,
pix2pix's :func:`circles_to_rectangles` pairs, and the labelled :func:`shapes_dataset`.

Images are ``float32`` ``(n, size, size, 3)`` in ``[0, 1]``; 1-3 shapes per image with
anti-aliased edges, never overlapping each other, inside the image.

Example:
    >>> images = circles(2, size=32, seed=0)
    >>> images.shape, images.dtype
    ((2, 32, 32, 3), dtype('float32'))
"""

from __future__ import annotations

import colorsys

import numpy as np

from course_utils.checks import make_rng, whole_number

SHAPE_CLASSES: tuple[str, ...] = ("circle", "square", "rectangle")
BACKGROUND_COLOUR: tuple[float, float, float] = (1.0, 1.0, 1.0)
VIOLET: tuple[float, float, float] = (0.55, 0.15, 0.85)
GREEN: tuple[float, float, float] = (0.10, 0.65, 0.20)
MIN_SHAPES, MAX_SHAPES = 1, 3
# Half the side (or the radius) as a share of the image size.
HALF_EXTENT_RANGE: tuple[float, float] = (0.09, 0.2)
RECTANGLE_ASPECT_RANGE: tuple[float, float] = (1.7, 2.4)
_CHUNK = 512


def _random_colours(rng: np.random.Generator, count: int) -> np.ndarray:
    """Saturated colours of any hue, dark enough to stand out on white."""
    hues = rng.random(count)
    saturations = rng.uniform(0.55, 1.0, count)
    values = rng.uniform(0.45, 0.9, count)
    return np.array(
        [colorsys.hsv_to_rgb(h, s, v) for h, s, v in zip(hues, saturations, values, strict=True)],
        dtype=np.float32,
    ).reshape(count, 3)


def _sample_extents(rng: np.random.Generator, kinds: np.ndarray, size: int) -> np.ndarray:
    """Half width and half height (pixels) of one shape per image, by its kind."""
    half = rng.uniform(*HALF_EXTENT_RANGE, size=len(kinds)) * size
    aspect = np.where(kinds == 2, rng.uniform(*RECTANGLE_ASPECT_RANGE, size=len(kinds)), 1.0)
    long_half, short_half = half * np.sqrt(aspect), half / np.sqrt(aspect)
    wide = rng.random(len(kinds)) < 0.5
    return np.stack(
        [np.where(wide, long_half, short_half), np.where(wide, short_half, long_half)], axis=1
    )


def _layout(
    rng: np.random.Generator, n: int, size: int, kinds: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Place 1 to MAX_SHAPES non-overlapping shapes per image (vectorised rejection sampling):
    centres and half extents (n, K, 2) in pixels and an ``active`` mask (n, K). Circumscribed
    circles stay 2 pixels apart, so even a circle's bounding square touches no other shape."""
    centres = np.zeros((n, MAX_SHAPES, 2))
    half_extents = np.zeros((n, MAX_SHAPES, 2))
    active = np.zeros((n, MAX_SHAPES), dtype=bool)
    counts = rng.integers(MIN_SHAPES, MAX_SHAPES + 1, size=n)
    margin = 1.0
    for slot in range(MAX_SHAPES):
        todo = np.flatnonzero(counts > slot)
        for _attempt in range(40):
            if len(todo) == 0:
                break
            extents = _sample_extents(rng, kinds[todo], size)
            low = extents + margin
            centre = low + rng.random((len(todo), 2)) * (size - 2 * low)
            radius = np.hypot(extents[:, 0], extents[:, 1])
            other_radius = np.hypot(half_extents[todo, :slot, 0], half_extents[todo, :slot, 1])
            distance = np.linalg.norm(centre[:, None, :] - centres[todo, :slot], axis=2)
            clear = np.all(distance >= radius[:, None] + other_radius + 2.0, axis=1)
            placed = todo[clear]
            centres[placed, slot] = centre[clear]
            half_extents[placed, slot] = extents[clear]
            active[placed, slot] = True
            todo = todo[~clear]
    return centres, half_extents, active


def _coverage(
    kinds: np.ndarray, centres: np.ndarray, half_extents: np.ndarray, size: int
) -> np.ndarray:
    """Share of each pixel covered by one shape per image: (m, size, size) float32 in [0, 1]."""
    grid = np.arange(size, dtype=np.float32) + np.float32(0.5)
    centres = centres.astype(np.float32)
    half_extents = half_extents.astype(np.float32)
    dx = grid[None, :] - centres[:, 0, None]  # (m, size)
    dy = grid[None, :] - centres[:, 1, None]
    cover = np.empty((len(kinds), size, size), dtype=np.float32)
    round_ones = np.flatnonzero(kinds == 0)
    boxes = np.flatnonzero(kinds != 0)
    if len(round_ones):
        distance = np.sqrt(dy[round_ones, :, None] ** 2 + dx[round_ones, None, :] ** 2)
        inside = half_extents[round_ones, 0, None, None] + np.float32(0.5) - distance
        cover[round_ones] = np.clip(inside, 0.0, 1.0, out=inside)
    if len(boxes):
        cover_x = np.clip(half_extents[boxes, 0, None] + np.float32(0.5) - np.abs(dx[boxes]), 0, 1)
        cover_y = np.clip(half_extents[boxes, 1, None] + np.float32(0.5) - np.abs(dy[boxes]), 0, 1)
        cover[boxes] = cover_y[:, :, None] * cover_x[:, None, :]
    return cover


def _paint(
    kinds: np.ndarray,
    centres: np.ndarray,
    half_extents: np.ndarray,
    active: np.ndarray,
    colours: np.ndarray,
    size: int,
) -> np.ndarray:
    """Background plus each shape's coverage times (its colour - background), in chunks."""
    n = len(kinds)
    background = np.array(BACKGROUND_COLOUR, dtype=np.float32)
    images = np.empty((n, size, size, 3), dtype=np.float32)
    for start in range(0, n, _CHUNK):
        stop = min(start + _CHUNK, n)
        covers = np.stack(
            [
                _coverage(kinds[start:stop], centres[start:stop, slot],
                          half_extents[start:stop, slot], size)
                * active[start:stop, slot, None, None]
                for slot in range(MAX_SHAPES)
            ],
            axis=1,
        )  # (b, K, size, size)
        deltas = (colours[start:stop] - background).astype(np.float32)  # (b, K, 3)
        images[start:stop] = background + np.einsum(
            "bkhw,bkc->bhwc", covers, deltas, optimize=True
        )
    return np.clip(images, 0.0, 1.0)


def _shape_images(kinds: np.ndarray, size: int, rng: np.random.Generator) -> np.ndarray:
    centres, half_extents, active = _layout(rng, len(kinds), size, kinds)
    colours = _random_colours(rng, len(kinds) * MAX_SHAPES).reshape(len(kinds), MAX_SHAPES, 3)
    return _paint(kinds, centres, half_extents, active, colours, size)


def circles(n: int, size: int = 64, seed: int | None = None) -> np.ndarray:
    """Return ``n`` images of 1-3 filled circles of random colours and sizes on white.

    Example:
        >>> circles(4, seed=0).shape
        (4, 64, 64, 3)
    """
    n, size = whole_number(n, "n"), whole_number(size, "size", minimum=16)
    return _shape_images(np.zeros(n, dtype=np.int64), size, make_rng(seed))


def squares(n: int, size: int = 64, seed: int | None = None) -> np.ndarray:
    """Return ``n`` images of 1-3 filled axis-aligned squares of random colours and sizes.

    Example:
        >>> squares(4, seed=0).shape
        (4, 64, 64, 3)
    """
    n, size = whole_number(n, "n"), whole_number(size, "size", minimum=16)
    return _shape_images(np.ones(n, dtype=np.int64), size, make_rng(seed))


def shapes_dataset(
    n: int, size: int = 64, seed: int | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """Return ``n`` shape images, 1-3 shapes of one class each, and balanced labels (0 circle,
    1 square, 2 rectangle), drawn as :func:`circles` and :func:`squares` draw them.

    Example:
        >>> images, labels = shapes_dataset(6, seed=0)
        >>> np.bincount(labels).tolist()
        [2, 2, 2]
    """
    n, size = whole_number(n, "n"), whole_number(size, "size", minimum=16)
    rng = make_rng(seed)
    labels = balanced_labels(n, len(SHAPE_CLASSES), rng)
    return _shape_images(labels, size, rng), labels


def circles_to_rectangles(
    n: int, size: int = 64, seed: int | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """Return pix2pix pairs ``(inputs, targets)``: violet circles and green rectangles, each
    the bounding square of its circle.

    Example:
        >>> inputs, targets = circles_to_rectangles(2, size=32, seed=0)
        >>> inputs.shape == targets.shape == (2, 32, 32, 3)
        True
    """
    n, size = whole_number(n, "n"), whole_number(size, "size", minimum=16)
    rng = make_rng(seed)
    circle_kinds = np.zeros(n, dtype=np.int64)
    centres, half_extents, active = _layout(rng, n, size, circle_kinds)
    violet = np.broadcast_to(np.array(VIOLET, dtype=np.float32), (n, MAX_SHAPES, 3))
    green = np.broadcast_to(np.array(GREEN, dtype=np.float32), (n, MAX_SHAPES, 3))
    inputs = _paint(circle_kinds, centres, half_extents, active, violet, size)
    targets = _paint(np.ones(n, dtype=np.int64), centres, half_extents, active, green, size)
    return inputs, targets


def balanced_labels(n: int, number_of_classes: int, rng: np.random.Generator) -> np.ndarray:
    """Return ``n`` labels in ``range(number_of_classes)``, equal in count, in random order.

    Example:
        >>> sorted(np.bincount(balanced_labels(10, 2, make_rng(0))).tolist())
        [5, 5]
    """
    labels = np.arange(n, dtype=np.int64) % number_of_classes
    rng.shuffle(labels)
    return labels
