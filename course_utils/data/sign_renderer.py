"""A renderer of photo-like crops of four German road signs, the offline stand-in for GTSRB.

Each image is a sign template (:mod:`course_utils.data.sign_templates`) warped straight to the
output size onto a street background, with a random size (74-90% of the crop, as in GTSRB
crops), position, slight rotation and perspective, then weathered and photographed
(:mod:`course_utils.data.street_photo`). Labels index ``SIGN_CLASSES``: ``speed_limit_30``,
``speed_limit_100``, ``stop``, ``no_trucks`` (GTSRB classes 1, 7, 14 and 16).

Example:
    >>> images, labels = road_signs(8, size=32, seed=0)
    >>> images.shape, images.dtype, sorted(set(labels.tolist()))
    ((8, 32, 32, 3), dtype('float32'), [0, 1, 2, 3])
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from PIL import Image

from course_utils.checks import make_rng, whole_number
from course_utils.data.shapes import balanced_labels
from course_utils.data.street_photo import add_poles, photograph, street_backgrounds
from course_utils.data.sign_templates import (
    ALL_SIGNS,
    EDGE_WHITE,
    EXTRA_SPEED_LIMITS,
    MARGIN,
    SIGN_CLASSES,
    check_template_name,
    sign_template,
)

GTSRB_CLASS_IDS: dict[str, int] = {
    "speed_limit_30": 1,
    "speed_limit_100": 7,
    "stop": 14,
    "no_trucks": 16,
}
SIGN_SHARE_RANGE: tuple[float, float] = (0.74, 0.90)  # sign diameter / crop side
MAX_ROTATION_DEGREES = 7.0
MAX_YAW_DEGREES = 28.0
MAX_PITCH_DEGREES = 12.0
_CHUNK_PIXELS = 2**19  # images rendered together: about 6 MB per float32 RGB array

__all__ = ["ALL_SIGNS", "EXTRA_SPEED_LIMITS", "GTSRB_CLASS_IDS", "SIGN_CLASSES", "road_signs", "sign_class_indices",
           "signs_from_templates"]


def sign_class_indices(classes: Sequence[str | int] | str | int | None) -> tuple[int, ...]:
    """Turn a selection of sign classes (names or indices, or None for all) into indices.

    Example:
        >>> sign_class_indices(["stop", 0])
        (2, 0)
        >>> sign_class_indices(None)
        (0, 1, 2, 3)
    """
    if classes is None:
        return tuple(range(len(SIGN_CLASSES)))
    if isinstance(classes, (str, int, np.integer)):
        classes = [classes]
    indices: list[int] = []
    for item in classes:
        if isinstance(item, str) and item in ALL_SIGNS:
            index = ALL_SIGNS.index(item)
        elif (isinstance(item, (int, np.integer)) and not isinstance(item, bool)
              and 0 <= item < len(ALL_SIGNS)):
            index = int(item)
        else:
            raise ValueError(
                f"Unknown road-sign class {item!r}. Use names from {SIGN_CLASSES} "
                f"(or the judge's extra speed limits {EXTRA_SPEED_LIMITS}) or their indices 0-{len(ALL_SIGNS) - 1}."
            )
        if index not in indices:
            indices.append(index)
    if not indices:
        raise ValueError("classes is empty; pass None for all four signs, or some of "
                         f"{SIGN_CLASSES}.")
    return tuple(indices)


def _homographies(source: np.ndarray, target: np.ndarray) -> np.ndarray:
    """Pillow's perspective coefficients (a..h) mapping each image's 4 ``target`` points onto
    its ``source`` points: input = ((a x + b y + c) / (g x + h y + 1), (d x + e y + f) / (...))."""
    n = len(source)
    system = np.zeros((n, 8, 8))
    right = np.zeros((n, 8))
    for corner in range(4):
        x, y = target[:, corner, 0], target[:, corner, 1]
        u, v = source[:, corner, 0], source[:, corner, 1]
        system[:, 2 * corner, 0:3] = np.stack([x, y, np.ones(n)], axis=1)
        system[:, 2 * corner, 6:8] = np.stack([-u * x, -u * y], axis=1)
        system[:, 2 * corner + 1, 3:6] = np.stack([x, y, np.ones(n)], axis=1)
        system[:, 2 * corner + 1, 6:8] = np.stack([-v * x, -v * y], axis=1)
        right[:, 2 * corner], right[:, 2 * corner + 1] = u, v
    return np.linalg.solve(system, right[..., None])[..., 0]


def _sign_poses(n: int, size: int, rng: np.random.Generator) -> dict[str, np.ndarray]:
    """Random size, place, rotation and perspective of each sign in its crop."""
    share = rng.uniform(*SIGN_SHARE_RANGE, size=n)
    diameter = share * size
    slack = (1.0 - share) * size / 2
    centre = size / 2 + rng.uniform(-0.45, 0.45, size=(n, 2)) * slack[:, None]
    rotation = np.radians(rng.uniform(-MAX_ROTATION_DEGREES, MAX_ROTATION_DEGREES, size=n))
    yaw = np.radians(rng.uniform(-MAX_YAW_DEGREES, MAX_YAW_DEGREES, size=n))
    pitch = np.radians(rng.uniform(-MAX_PITCH_DEGREES, MAX_PITCH_DEGREES, size=n))
    # Corners of the template square, centred, in units of the template side.
    corners = np.array([[-0.5, -0.5], [0.5, -0.5], [0.5, 0.5], [-0.5, 0.5]])[None].repeat(n, 0)
    x, y = corners[..., 0], corners[..., 1]
    # Turning the sign away (yaw/pitch): it narrows, and its nearer edge looks taller.
    x_turned = x * np.cos(yaw)[:, None] * (1.0 + 0.3 * np.sin(pitch)[:, None] * 2 * y)
    y_turned = y * np.cos(pitch)[:, None] * (1.0 + 0.3 * np.sin(yaw)[:, None] * 2 * x)
    cos_r, sin_r = np.cos(rotation)[:, None], np.sin(rotation)[:, None]
    x_rotated = cos_r * x_turned - sin_r * y_turned
    y_rotated = sin_r * x_turned + cos_r * y_turned
    template_side = diameter / (1.0 - 2 * MARGIN)
    target = np.stack([x_rotated, y_rotated], axis=2) * template_side[:, None, None]
    target += rng.normal(0.0, 0.012, size=target.shape) * diameter[:, None, None]
    target += centre[:, None, :]
    return {"target_corners": target, "centre": centre, "diameter": diameter}


def _warp_signs(names: Sequence[str], size: int, target_corners: np.ndarray) -> np.ndarray:
    """Channels-first RGBA layers (n, 4, size, size) in [0, 1], each sign warped to its corners."""
    template_side = int(np.ceil(SIGN_SHARE_RANGE[1] * size / (1.0 - 2 * MARGIN))) + 1
    source = np.array([[0, 0], [template_side, 0], [template_side, template_side],
                       [0, template_side]], dtype=np.float64)[None].repeat(len(names), 0)
    coefficients = _homographies(source, target_corners)
    layers = np.empty((len(names), size, size, 4), dtype=np.uint8)
    fill = EDGE_WHITE + (0,)
    templates = {name: sign_template(name, template_side) for name in set(names)}
    for index, name in enumerate(names):
        layers[index] = np.asarray(
            templates[name].transform(
                (size, size), Image.Transform.PERSPECTIVE, tuple(coefficients[index]),
                Image.Resampling.BILINEAR, fillcolor=fill,
            )
        )
    return layers.transpose(0, 3, 1, 2).astype(np.float32) * np.float32(1 / 255)


def _weather_signs(rgb: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Sign paint as it looks outdoors: ``(rgb (1 - fade) + grey fade) brightness tint``."""
    n = len(rgb)
    fade = rng.uniform(0.0, 0.35, size=(n, 1, 1, 1))
    scale = rng.uniform(0.75, 1.1, size=(n, 1, 1, 1)) * np.exp(rng.normal(0.0, 0.03, (n, 3, 1, 1)))
    grey = rgb.mean(axis=1, keepdims=True)
    weathered = rgb * ((1.0 - fade) * scale).astype(np.float32)
    weathered += grey * (fade * scale).astype(np.float32)
    return weathered


def _render_chunk(names: Sequence[str], size: int, rng: np.random.Generator) -> np.ndarray:
    """Render one batch of signs, channels-first internally; returns NHWC float32."""
    n = len(names)
    poses = _sign_poses(n, size, rng)
    layers = _warp_signs(names, size, poses["target_corners"])
    background = street_backgrounds(n, size, rng)
    pole_widths = poses["diameter"] * rng.uniform(0.06, 0.11, n)
    background = add_poles(background, poses["centre"], pole_widths, rng)
    alpha = layers[:, 3:]
    sign = _weather_signs(layers[:, :3], rng)
    sign -= background
    sign *= alpha
    sign += background
    return photograph(sign, rng).transpose(0, 2, 3, 1)


def road_signs(
    n: int,
    classes: Sequence[str | int] | str | int | None = None,
    size: int = 32,
    seed: int | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Render ``n`` photo-like road-sign crops, balanced over the chosen classes, in random order.

    ``classes``: ``None`` for all four signs, or some of ``SIGN_CLASSES`` (or the judge's
    ``ALL_SIGNS``) by name or index. Returns images ``float32`` ``(n, size, size, 3)`` in
    ``[0, 1]`` (``size`` 16-256) and ``int64`` labels indexing ``ALL_SIGNS``.

    Example:
        >>> images, labels = road_signs(6, classes=["stop", "no_trucks"], seed=1)
        >>> sorted(labels.tolist())
        [2, 2, 2, 3, 3, 3]
    """
    n = whole_number(n, "n")
    size = whole_number(size, "size", minimum=16)
    if size > 256:
        raise ValueError(f"size={size} is larger than the renderer supports (256).")
    chosen = np.array(sign_class_indices(classes), dtype=np.int64)
    rng = make_rng(seed)
    labels = chosen[balanced_labels(n, len(chosen), rng)]
    return _render([ALL_SIGNS[label] for label in labels], size, rng), labels


def _render(names: Sequence[str], size: int, rng: np.random.Generator) -> np.ndarray:
    images = np.empty((len(names), size, size, 3), dtype=np.float32)
    chunk = max(16, _CHUNK_PIXELS // (size * size))
    for start in range(0, len(names), chunk):
        stop = min(start + chunk, len(names))
        images[start:stop] = _render_chunk(names[start:stop], size, rng)
    return images


def signs_from_templates(names: Sequence[str], size: int = 32, seed: int | None = None) -> np.ndarray:
    """Render one photo-like crop per template name, in order, as :func:`road_signs` does: signs
    of ``ALL_SIGNS``, ``"ring:TEXT"`` (any text in a ring) or ``"smudged:speed_limit_N"``.

    Example:
        >>> signs_from_templates(["ring:38", "smudged:speed_limit_30"], seed=0).shape
        (2, 32, 32, 3)
    """
    names = [check_template_name(name) for name in names]
    if not names:
        raise ValueError("names is empty: pass at least one template name, e.g. ['ring:38'].")
    size = whole_number(size, "size", minimum=16)
    if size > 256:
        raise ValueError(f"size={size} is larger than the renderer supports (256).")
    return _render(names, size, make_rng(seed))
