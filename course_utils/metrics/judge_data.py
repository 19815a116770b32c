"""What each judge learns from: its classes, its training and held-out data.

Every image comes from the course's offline generators with seeds of its own, so a judge never
sees the images a notebook trains a GAN on. The road-sign judge must read the number, not just
see a red ring: it also learns six more speed limits and an ``unreadable`` class
(:func:`unreadable_sign_names`, never the calibration's :data:`CALIBRATION_TEXTS`); the
vertical-lines judge learns against lines spoiled in nine ways (:func:`not_vertical_lines`).

Example:
    >>> images, labels = held_out_set("digits")
    >>> images.shape, JUDGE_SPECS["digits"].classes[labels[0]] in "0123456789"
    ((360, 32, 32, 1), True)
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import ndimage

from course_utils import checks
from course_utils.data.sign_templates import ALL_SIGNS

# Seeds of the real images a judge trains and is tested on (plus 10 * the judge's seed), none a
# notebook trains a GAN on.
TRAIN_DATA_SEED = 7001
TEST_DATA_SEED = 7002
UNREADABLE = "unreadable"
# Garbled numbers in an intact ring that the calibration shows the road-sign judge: held out
# from its training, so its verdict on them is a test, not a memory.
CALIBRATION_TEXTS = ("38", "36", "10", "03", "3", "0", "300", "130")
DIGITS_SPLIT_SEED = 7000


class JudgeError(ValueError):
    """A judge was asked about images it was not trained on, or a judge name is unknown."""


@dataclass(frozen=True)
class JudgeSpec:
    """What one judge is trained on and how well it must do."""

    name: str
    classes: tuple[str, ...]
    image_shape: tuple[int, int, int]
    train_size: int
    test_size: int
    epochs: int
    min_accuracy: float
    description: str
    filters: tuple[int, int, int] = (16, 32, 64)
    convs_per_block: int = 1


JUDGE_SPECS: dict[str, JudgeSpec] = {
    # The road-sign judge reads digits: twice the width of the other judges, and two 3x3 convolutions
    # before each pooling (one per block could not tell a 38 from a 30: it called 63 % of them 30).
    "road_signs": JudgeSpec(
        "road_signs", ALL_SIGNS + (UNREADABLE,), (32, 32, 3), train_size=8800, test_size=1100, epochs=10,
        min_accuracy=0.95, filters=(32, 64, 128), convs_per_block=2,
        description="the four road signs of notebooks 06 and 09, six more speed limits and unreadable signs, rendered offline",
    ),
    "vertical_lines": JudgeSpec(
        "vertical_lines", ("not_vertical_lines", "vertical_lines"), (32, 32, 1), train_size=4000, test_size=1000,
        epochs=6, min_accuracy=0.97,
        description="vertical lines (notebook 05) against slanted, horizontal, blurred, broken lines and noise",
    ),
    "shapes": JudgeSpec(
        "shapes", ("circle", "square", "rectangle"), (64, 64, 3), train_size=3000, test_size=900, epochs=5,
        min_accuracy=0.95, description="circles, squares and rectangles of any colour (notebooks 11 and 12)",
    ),
    "digits": JudgeSpec(
        "digits", tuple(str(digit) for digit in range(10)), (32, 32, 1), train_size=1437, test_size=360, epochs=12,
        min_accuracy=0.95, description="scikit-learn's 1797 handwritten digits, upscaled to 32x32 (notebooks 04, 10, 13)",
    ),
}


def spec_for(name: str) -> JudgeSpec:
    if name not in JUDGE_SPECS:
        raise JudgeError(f"Unknown judge {name!r}; the course has {', '.join(JUDGE_SPECS)}.")
    return JUDGE_SPECS[name]


def check_seed(seed: int) -> int:
    return checks.whole_number(seed, "seed", minimum=0)


def _shear_rows(images: np.ndarray, slopes: np.ndarray) -> np.ndarray:
    """Shift row r of image i by round(slopes[i] * r) columns (wrapping): slanted lines."""
    n, height, width, _ = images.shape
    shifts = np.round(slopes[:, None] * np.arange(height)[None, :]).astype(int)  # (n, height)
    columns = (np.arange(width)[None, None, :] - shifts[:, :, None]) % width  # (n, height, width)
    rows = np.arange(height)[None, :, None]
    return images[np.arange(n)[:, None, None], rows, columns]


def not_vertical_lines(n: int, seed: int, size: int = 32) -> np.ndarray:
    """Return ``n`` grey images ``(n, size, size, 1)`` that are *not* vertical lines, nine kinds in
    equal shares: horizontal, slanted, blurred, broken, crossed and noisy lines, noise, dots, flat grey.

    Example:
        >>> images = not_vertical_lines(18, seed=0)
        >>> images.shape, float(images.min()) >= 0.0, float(images.max()) <= 1.0
        ((18, 32, 32, 1), True, True)
    """
    from course_utils.data import vertical_lines  # noqa: PLC0415

    rng = np.random.default_rng(seed)
    lines = vertical_lines(n, size=size, seed=int(rng.integers(2**31)))
    other_lines = vertical_lines(n, size=size, seed=int(rng.integers(2**31)))
    kinds = rng.permutation(np.arange(n) % 9)
    images = np.empty_like(lines)
    for kind in range(9):
        chosen = np.flatnonzero(kinds == kind)
        if chosen.size == 0:
            continue
        base = lines[chosen]
        count = chosen.size
        if kind == 0:  # horizontal lines
            made = base.transpose(0, 2, 1, 3)
        elif kind == 1:  # slanted lines, slope 0.15 to 2 columns per row, either way
            slopes = rng.uniform(0.15, 2.0, count) * rng.choice([-1.0, 1.0], count)
            made = _shear_rows(base, slopes)
        elif kind == 2:  # blurred lines
            made = np.stack([ndimage.gaussian_filter(image, sigma=(s, s, 0))
                             for image, s in zip(base, rng.uniform(1.0, 2.5, count))])
        elif kind == 3:  # broken lines: a band of 30-70% of the rows is blank
            made = base.copy()
            for index in range(count):
                band = int(rng.integers(int(0.3 * size), int(0.7 * size) + 1))
                start = int(rng.integers(0, size - band + 1))
                made[index, start:start + band] = 0.0
        elif kind == 4:  # a grid: vertical and horizontal lines together
            made = np.maximum(base, other_lines[chosen].transpose(0, 2, 1, 3))
        elif kind == 5:  # lines drowned in strong noise
            made = base + rng.normal(0.0, 0.6, base.shape)
        elif kind == 6:  # uniform noise
            made = rng.uniform(0.0, 1.0, base.shape)
        elif kind == 7:  # scattered bright dots
            made = (rng.random(base.shape) < rng.uniform(0.02, 0.15, (count, 1, 1, 1))).astype(float)
        else:  # flat grey images
            made = np.broadcast_to(rng.uniform(0.0, 1.0, (count, 1, 1, 1)), base.shape)
        images[chosen] = np.clip(made, 0.0, 1.0)
    return images.astype(np.float32)


def _vertical_lines_data(n: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    from course_utils.data import vertical_lines  # noqa: PLC0415

    positives = n // 2
    rng = np.random.default_rng(seed)
    images = np.concatenate([
        not_vertical_lines(n - positives, seed=int(rng.integers(2**31))),
        vertical_lines(positives, size=32, seed=int(rng.integers(2**31))),
    ])
    labels = np.concatenate([np.zeros(n - positives, np.int64), np.ones(positives, np.int64)])
    order = rng.permutation(n)
    return images[order], labels[order]


def unreadable_sign_names(n: int, seed: int) -> list[str]:
    """Template names of ``n`` signs no one can read as one of the judge's signs: round signs with
    another number (any up to 199, and near misses of the limits, half of them of 30 and 100),
    smeared numbers and blank rings, in shares 2 : 5 : 2 : 1.

    Example:
        >>> names = unreadable_sign_names(10, seed=0)
        >>> len(names), all(name.startswith(("ring:", "smudged:")) for name in names)
        (10, True)
    """
    rng = np.random.default_rng(seed)
    limits = sorted(name.split("_")[-1] for name in ALL_SIGNS if name.startswith("speed_limit_"))

    def allowed(candidates: list[str]) -> list[str]:
        return sorted({text for text in candidates if text and text not in limits and text not in CALIBRATION_TEXTS})

    def near_misses(numbers: list[str]) -> list[str]:  # one digit changed, dropped or added: 31, 3, 300
        changed = [number[:i] + digit + number[i + 1:] for number in numbers for i in range(len(number))
                   for digit in "0123456789"]
        return changed + [number[:-1] for number in numbers] + [number + "0" for number in numbers]

    texts = allowed([str(number) for number in range(200)] + [f"0{digit}" for digit in range(10)]
                    + [limit[::-1] for limit in limits])
    # Half the near misses are those of the course's own signs, 30 and 100: the notebooks check them.
    pools = (texts, allowed(near_misses(limits)), allowed(near_misses(["30", "100"])))
    smudged = [f"smudged:{name}" for name in ALL_SIGNS if name.startswith("speed_limit_")]
    kinds = rng.choice(5, size=n, p=[0.2, 0.25, 0.25, 0.2, 0.1])
    return [f"ring:{rng.choice(pools[kind])}" if kind < 3 else (str(rng.choice(smudged)) if kind == 3 else "ring:")
            for kind in kinds]


def _road_signs_data(n: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    from course_utils.data import road_signs, signs_from_templates  # noqa: PLC0415

    rng = np.random.default_rng(seed)
    unreadable = 2 * n // (len(JUDGE_SPECS["road_signs"].classes) + 1)  # twice a sign's share: many kinds
    noise = unreadable // 10  # a tenth of the unreadable class is plain noise
    signs, labels = road_signs(n - unreadable, classes=ALL_SIGNS, size=32, seed=int(rng.integers(2**31)))
    others = signs_from_templates(unreadable_sign_names(unreadable - noise, int(rng.integers(2**31))),
                                  size=32, seed=int(rng.integers(2**31)))
    images = np.concatenate([signs, others, rng.uniform(0.0, 1.0, (noise, 32, 32, 3)).astype(np.float32)])
    labels = np.concatenate([np.asarray(labels, dtype=np.int64), np.full(unreadable, len(ALL_SIGNS), np.int64)])
    order = rng.permutation(n)
    return images[order], labels[order]


def _shapes_data(n: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    from course_utils.data import shapes_dataset  # noqa: PLC0415

    images, labels = shapes_dataset(n, size=64, seed=seed)
    return images, np.asarray(labels, dtype=np.int64)


def _digits_split(part: str) -> tuple[np.ndarray, np.ndarray]:
    from course_utils.data import digits  # noqa: PLC0415

    images, labels = digits(size=32, seed=DIGITS_SPLIT_SEED)
    cut = JUDGE_SPECS["digits"].train_size
    return (images[:cut], labels[:cut]) if part == "train" else (images[cut:], labels[cut:])


def _make_data(name: str, n: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    makers = {"road_signs": _road_signs_data, "vertical_lines": _vertical_lines_data, "shapes": _shapes_data}
    return makers[name](n, seed)


def held_out_set(name: str, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Return the held-out images and labels a judge's stated accuracy is measured on (for
    ``digits`` the last 360 of 1797).

    Example:
        >>> images, labels = held_out_set("digits")
        >>> images.shape, labels.shape
        ((360, 32, 32, 1), (360,))
    """
    spec = spec_for(name)
    seed = check_seed(seed)
    if spec.name == "digits":  # 1797 images in all: one fixed split, the same for every seed
        return _digits_split("test")
    return _make_data(spec.name, spec.test_size, TEST_DATA_SEED + 10 * seed)


def training_set(spec: JudgeSpec, seed: int) -> tuple[np.ndarray, np.ndarray]:
    if spec.name == "digits":
        return _digits_split("train")
    return _make_data(spec.name, spec.train_size, TRAIN_DATA_SEED + 10 * seed)

