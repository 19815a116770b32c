"""Calibration: each measure on real data, on held-out real data, on noise and on bad generators.

The thresholds in :mod:`course_utils.metrics.thresholds` sit between the values computed
here. The "generators" are stand-ins built from real data, so their verdicts are known:

- *held-out real*: fresh real data (another seed) - what a perfect generator would give;
- *good stand-in*: real data with a little pixel noise (sigma 0.05) or a slight blur
  (sigma 0.7) - roughly what a well-trained small GAN produces;
- *blurred*: real data blurred with sigma 1.5 (what an undertrained or L2-trained model gives);
- *collapsed*: one real sample repeated (mode collapse);
- *wrong class*: real data of another class;
- *noise*: uniform noise.

Regenerate the tables of ``docs/metrics.md`` with ``python -m course_utils.build.calibration``
(a minute or two on a laptop CPU, plus training any judge that is not cached yet).

Example:
    >>> table = calibrate_sin_curve(samples=200)
    >>> table.rows["held-out real"][0] < 0.01
    True
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Callable

import numpy as np
from scipy import ndimage

from course_utils.metrics import mixtures, sin_curve, slanted_land
from course_utils.metrics.image_distances import FID_SAMPLES, frechet_distance, kernel_distance, precision_recall
from course_utils.metrics.lines import vertical_lines_report
from course_utils.build.threshold_evidence import EVIDENCE
from course_utils.metrics.thresholds import THRESHOLDS, Threshold
from course_utils.metrics.translation import cycle_l1, mask_iou, paired_l1

if TYPE_CHECKING:
    from course_utils.metrics.judges import Judge

CALIBRATION_SEED = 0
GOOD_NOISE = 0.05
MILD_BLUR = 0.7
STRONG_BLUR = 1.5
# Digits: 1797 images in all, so real vs held-out real is two disjoint sets of 500.
DIGITS_SAMPLES = 500
TRANSLATION_SAMPLES = 300


@dataclass
class CalibrationTable:
    """One measure (or a few computed together) on each calibration case."""

    title: str
    columns: tuple[str, ...]
    samples: int
    seed: int
    rows: dict[str, tuple[float, ...]] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)
    note: str = ""

    def column(self, name: str) -> dict[str, float]:
        """Return one column as ``{case: value}``.

        Example:
            >>> table = CalibrationTable("t", ("a", "b"), 10, 0, {"x": (1.0, 2.0)})
            >>> table.column("b")
            {'x': 2.0}
        """
        index = self.columns.index(name)
        return {case: values[index] for case, values in self.rows.items()}

    def to_markdown(self) -> str:
        """Return the table as Markdown, with its N and seed.

        Example:
            >>> print(CalibrationTable("t", ("a",), 10, 0, {"x": (1.0,)}).to_markdown())
            #### t
            <BLANKLINE>
            N = 10, seed = 0.
            <BLANKLINE>
            | case | a |
            |---|---|
            | x | 1 |
        """
        lines = [f"#### {self.title}", "", f"N = {self.samples}, seed = {self.seed}." + (f" {self.note}" if self.note else ""), ""]
        lines.append("| case | " + " | ".join(column.replace("|", "\\|") for column in self.columns) + " |")
        lines.append("|---|" + "---|" * len(self.columns))
        for case, values in self.rows.items():
            lines.append(f"| {case} | " + " | ".join(_format(value) for value in values) + " |")
        return "\n".join(lines)


def _format(value: float) -> str:
    if isinstance(value, (int, np.integer)):
        return str(int(value))
    if np.isnan(value):
        return "-"
    if not np.isfinite(value):
        return "inf"
    if value == 0:
        return "0"
    if abs(value) >= 100:
        return f"{value:.0f}"
    return f"{value:.3g}"


# ---------------------------------------------------------------------------------------------
# Bad generators, made from real data
# ---------------------------------------------------------------------------------------------


def blurred(images: np.ndarray, sigma: float) -> np.ndarray:
    """Return images blurred with a Gaussian of ``sigma`` pixels (channels kept apart).

    Example:
        >>> blurred(np.zeros((1, 8, 8, 1), np.float32), 1.0).shape
        (1, 8, 8, 1)
    """
    return ndimage.gaussian_filter(np.asarray(images, np.float32), sigma=(0, sigma, sigma, 0))


def noisy(images: np.ndarray, sigma: float, seed: int) -> np.ndarray:
    """Return images plus Gaussian pixel noise of ``sigma``, clipped to [0, 1].

    Example:
        >>> float(noisy(np.full((1, 4, 4, 1), 0.5), 0.05, seed=0).std()) > 0
        True
    """
    rng = np.random.default_rng(seed)
    return np.clip(images + rng.normal(0.0, sigma, np.shape(images)), 0.0, 1.0).astype(np.float32)


def uniform_noise(shape: tuple[int, ...], seed: int) -> np.ndarray:
    """Return uniform noise images in [0, 1].

    Example:
        >>> uniform_noise((2, 4, 4, 3), seed=0).shape
        (2, 4, 4, 3)
    """
    return np.random.default_rng(seed).uniform(0.0, 1.0, shape).astype(np.float32)


def collapsed(samples: np.ndarray) -> np.ndarray:
    """Return the first sample repeated as many times as there are samples (mode collapse).

    Example:
        >>> collapsed(np.arange(6.0).reshape(3, 2)).tolist()
        [[0.0, 1.0], [0.0, 1.0], [0.0, 1.0]]
    """
    return np.repeat(np.asarray(samples)[:1], len(samples), axis=0)


def shifted(images: np.ndarray, pixels: int) -> np.ndarray:
    """Return images moved right and down by ``pixels``, filling with the corner colour (white).

    Example:
        >>> shifted(np.ones((1, 4, 4, 3)), 1).shape
        (1, 4, 4, 3)
    """
    moved = np.roll(images, shift=(pixels, pixels), axis=(1, 2))
    moved[:, :pixels] = images[:, :1, :1]
    moved[:, :, :pixels] = images[:, :1, :1]
    return moved


# ---------------------------------------------------------------------------------------------
# Points: the sin curve, the 2-D mixtures, Slanted Land
# ---------------------------------------------------------------------------------------------


def calibrate_sin_curve(samples: int = sin_curve.DEFAULT_SAMPLES, seed: int = CALIBRATION_SEED) -> CalibrationTable:
    """The sin-curve measures on real points and on bad point clouds.

    Example:
        >>> table = calibrate_sin_curve(samples=300)
        >>> table.column("mean |y - sin x|")["line y = 0"] > 0.5
        True
    """
    from course_utils.data import sin_curve as real_points  # noqa: PLC0415

    rng = np.random.default_rng(seed)
    real = real_points(samples, seed=seed + 1)
    x = rng.uniform(sin_curve.X_LOW, sin_curve.X_HIGH, samples)
    narrow = rng.uniform(-1.0, 1.0, samples)
    cases = {
        "held-out real": real_points(samples, seed=seed + 2),
        "good stand-in: y + noise 0.05": np.stack([x, np.sin(x) + rng.normal(0, 0.05, samples)], 1),
        "off the curve: y + noise 0.3": np.stack([x, np.sin(x) + rng.normal(0, 0.3, samples)], 1),
        "part of the curve: x in [-1, 1]": np.stack([narrow, np.sin(narrow)], 1),
        "collapsed to one point": collapsed(real),
        "line y = 0": np.stack([x, np.zeros(samples)], 1),
        "noise: uniform box": np.stack([x, rng.uniform(-1.5, 1.5, samples)], 1),
    }
    table = CalibrationTable(
        "Sin curve (notebook 01)",
        ("mean |y - sin x|", "x W1 to U[-3.5, 3.5]", "x KS", "x share covered", "histogram JS (bits)"),
        samples, seed,
    )
    for case, points in cases.items():
        started = time.perf_counter()
        report = sin_curve.sin_curve_report(points, real=real)
        table.seconds[case] = time.perf_counter() - started
        table.rows[case] = (report.mean_abs_error, report.x_wasserstein, report.x_ks_statistic,
                            report.x_share_covered, report.histogram_js_bits)
    return table


def calibrate_mixture(kind: str, samples: int = mixtures.DEFAULT_SAMPLES, seed: int = CALIBRATION_SEED) -> CalibrationTable:
    """Mode coverage of real ring/grid samples and of collapsed, partial, blurred and noisy ones.

    Example:
        >>> calibrate_mixture("ring", samples=500).column("modes covered")["collapsed to one mode"]
        1
    """
    from course_utils.data import grid_modes, grid_of_gaussians, ring_modes, ring_of_gaussians  # noqa: PLC0415

    if kind == "ring":
        modes, std, real = ring_modes(), mixtures.RING_STD, ring_of_gaussians(samples, seed=seed + 1)
    elif kind == "grid":
        modes, std, real = grid_modes(), mixtures.GRID_STD, grid_of_gaussians(samples, seed=seed + 1)
    else:
        raise ValueError(f"kind must be 'ring' or 'grid'; got {kind!r}.")
    rng = np.random.default_rng(seed)
    count = len(modes)

    def around(mode_indices: np.ndarray, spread: float) -> np.ndarray:
        return modes[mode_indices] + rng.normal(0.0, spread, (samples, 2))

    cases = {
        "real": real,
        "blurred: std x 2": around(rng.integers(0, count, samples), 2 * std),
        "blurred: std x 4": around(rng.integers(0, count, samples), 4 * std),
        "half the modes": around(rng.integers(0, count // 2, samples), std),
        "collapsed to one mode": around(np.zeros(samples, int), std),
        "noise: uniform box": rng.uniform(modes.min(0) - 3 * std, modes.max(0) + 3 * std, (samples, 2)),
    }
    table = CalibrationTable(
        f"{'Ring of 8' if kind == 'ring' else '5x5 grid of'} Gaussians, std {std} (notebook 08)",
        ("modes covered", "high-quality share", "reverse KL to uniform"),
        samples, seed, note=f"{count} modes.",
    )
    for case, points in cases.items():
        started = time.perf_counter()
        result = mixtures.mode_coverage(points, modes, std)
        table.seconds[case] = time.perf_counter() - started
        table.rows[case] = (result.modes_covered, result.high_quality_share, result.reverse_kl_to_uniform)
    return table


def calibrate_slanted_land(samples: int = 1000, seed: int = CALIBRATION_SEED) -> CalibrationTable:
    """Share of 2x2 images the lecture's hand discriminator calls faces.

    Example:
        >>> calibrate_slanted_land(samples=100).column("hand D: share called faces")["real faces"]
        1.0
    """
    from course_utils.data import slanted_land_faces, slanted_land_noise  # noqa: PLC0415

    rng = np.random.default_rng(seed)
    faces = slanted_land_faces(samples, seed=seed + 1)
    cases = {
        "real faces": faces,
        "faces + noise 0.1": np.clip(faces + rng.normal(0, 0.1, faces.shape), 0, 1),
        "all pixels 0.5 (grey)": np.full_like(faces, 0.5),
        "non-faces (Slanted Land noise)": slanted_land_noise(samples, seed=seed + 2),
        "uniform noise": rng.uniform(0, 1, faces.shape),
    }
    table = CalibrationTable("Slanted Land (notebook 02)", ("hand D: share called faces",), samples, seed)
    for case, images in cases.items():
        started = time.perf_counter()
        table.rows[case] = (slanted_land.face_share(images),)
        table.seconds[case] = time.perf_counter() - started
    return table


# ---------------------------------------------------------------------------------------------
# Images: FID/KID and the judges' verdicts
# ---------------------------------------------------------------------------------------------


def image_sets(name: str, samples: int, seed: int) -> tuple[str, np.ndarray, dict[str, np.ndarray]]:
    """Return (what the reference set is, reference images, {case: images}) for one judge.

    Example:
        >>> description, reference, cases = image_sets("digits", 100, seed=0)
        >>> reference.shape, "uniform noise" in cases
        ((100, 32, 32, 1), True)
    """
    from course_utils import data  # noqa: PLC0415

    extra: dict[str, np.ndarray] = {}
    if name == "road_signs":
        from course_utils.metrics.judge_data import CALIBRATION_TEXTS  # noqa: PLC0415

        description = "speed-limit-30 signs (notebook 06's data)"
        reference = data.road_signs(samples, classes=["speed_limit_30"], seed=seed + 1)[0]
        held_out = data.road_signs(samples, classes=["speed_limit_30"], seed=seed + 2)[0]
        wrong = ("wrong class: stop signs", data.road_signs(samples, classes=["stop"], seed=seed + 3)[0])
        garbled = [f"ring:{CALIBRATION_TEXTS[index % len(CALIBRATION_TEXTS)]}" for index in range(samples)]
        extra = {
            "garbled number in an intact ring": data.signs_from_templates(
                garbled, seed=seed + 6),
            "smudged 30 (number smeared into a blot)": data.signs_from_templates(
                ["smudged:speed_limit_30"] * samples, seed=seed + 7),
            "wrong number: 80 in the ring": data.road_signs(samples, classes=["speed_limit_80"], seed=seed + 8)[0],
            "blank ring, no number": data.signs_from_templates(["ring:"] * samples, seed=seed + 9),
        }
    elif name == "vertical_lines":
        description = "vertical lines (notebook 05's data)"
        reference = data.vertical_lines(samples, seed=seed + 1)
        held_out = data.vertical_lines(samples, seed=seed + 2)
        wrong = ("wrong class: horizontal lines", held_out.transpose(0, 2, 1, 3).copy())
    elif name == "shapes":
        description = "squares (CycleGAN's target domain, notebook 12)"
        reference = data.squares(samples, seed=seed + 1)
        held_out = data.squares(samples, seed=seed + 2)
        wrong = ("wrong class: circles", data.circles(samples, seed=seed + 3))
    elif name == "digits":
        description = "scikit-learn digits, two disjoint halves"
        images, labels = data.digits(size=32, seed=seed + 1)
        reference, held_out = images[:samples], images[samples:2 * samples]
        ones = images[labels == 1]
        wrong = ("one class only: all 1s", np.resize(ones, (samples,) + ones.shape[1:]))
    else:
        raise ValueError(f"No calibration sets for judge {name!r}.")
    cases = {
        "held-out real": held_out,
        f"good stand-in: + noise {GOOD_NOISE}": noisy(held_out, GOOD_NOISE, seed + 4),
        f"good stand-in: blur {MILD_BLUR}": blurred(held_out, MILD_BLUR),
        f"blurred: sigma {STRONG_BLUR}": blurred(held_out, STRONG_BLUR),
        "collapsed to one image": collapsed(held_out),
        wrong[0]: wrong[1],
        **extra,
        "uniform noise": uniform_noise(held_out.shape, seed + 5),
    }
    return description, reference, cases


def default_samples(name: str) -> int:
    """Return the N at which a judge's FID/KID are calibrated (1000; 500 for the 1797 digits).

    Example:
        >>> default_samples("digits"), default_samples("road_signs")
        (500, 1000)
    """
    return DIGITS_SAMPLES if name == "digits" else FID_SAMPLES


def calibrate_judge(
    name: str,
    samples: int | None = None,
    seed: int = CALIBRATION_SEED,
    judge_seed: int = 0,
    judge: Judge | None = None,
) -> CalibrationTable:
    """FID, KID and the judge's verdict for one judge's reference set and the bad generators.

    The verdict column is the share judged to be the reference class (speed_limit_30,
    vertical_lines, square) or, for digits, the share recognised with probability >= 0.9.
    For vertical lines the rule-based detector's share is added.

    Example:
        >>> table = calibrate_judge("vertical_lines", samples=200)
        >>> table.column("FID")["held-out real"] < table.column("FID")["uniform noise"]
        True
    """
    from course_utils.metrics.judge_data import CALIBRATION_TEXTS  # noqa: PLC0415
    from course_utils.metrics.judges import load_judge  # noqa: PLC0415

    samples = default_samples(name) if samples is None else samples
    judge = load_judge(name, judge_seed) if judge is None else judge
    description, reference, cases = image_sets(name, samples, seed)
    verdicts: dict[str, tuple[str, Callable[[np.ndarray], float]]] = {
        "road_signs": ("judged speed_limit_30", lambda images: judge.class_share(images, "speed_limit_30")),
        "vertical_lines": ("judged vertical_lines", lambda images: judge.class_share(images, "vertical_lines")),
        "shapes": ("judged square", lambda images: judge.class_share(images, "square")),
        "digits": ("recognised (p >= 0.9)", judge.recognised_share),
    }
    verdict_name, verdict = verdicts[name]
    columns = ["FID", "KID", verdict_name, "precision (k=3)", "recall (k=3)"]
    if name == "vertical_lines":
        columns += ["rule detector: vertical lines", "rule detector: distinct patterns"]
    table = CalibrationTable(
        f"Judge '{name}': {description}", tuple(columns), samples, seed,
        note=f"Judge seed {judge.facts['seed']}, held-out accuracy {judge.accuracy:.3f}."
        + (" Garbled numbers: " + ", ".join(CALIBRATION_TEXTS) + " (never in the judge's training)."
           if name == "road_signs" else ""),
    )
    reference_features = judge.features(reference)
    for case, images in cases.items():
        started = time.perf_counter()
        features = judge.features(images)
        values = [frechet_distance(reference_features, features), kernel_distance(reference_features, features),
                  verdict(images), *precision_recall(reference_features, features)]
        if name == "vertical_lines":
            report = vertical_lines_report(images)
            values += [report.share_vertical_lines, report.distinct_pattern_share]
        table.seconds[case] = time.perf_counter() - started
        table.rows[case] = tuple(values)
    return table


def calibrate_conditional(
    samples: int = 1000, seed: int = CALIBRATION_SEED, judge_seed: int = 0, judge: Judge | None = None
) -> CalibrationTable:
    """Conditional accuracy of the road-sign judge (notebook 09) on good and bad "generators".

    Example:
        >>> table = calibrate_conditional(samples=100)
        >>> table.column("overall")["held-out real"] > 0.9
        True
    """
    from course_utils import data  # noqa: PLC0415
    from course_utils.metrics.conditional import conditional_accuracy  # noqa: PLC0415
    from course_utils.metrics.judges import load_judge  # noqa: PLC0415

    judge = load_judge("road_signs", judge_seed) if judge is None else judge
    images, labels = data.road_signs(samples, seed=seed + 2)
    rng = np.random.default_rng(seed)
    cases = {
        "held-out real": (images, labels),
        f"good stand-in: + noise {GOOD_NOISE}": (noisy(images, GOOD_NOISE, seed + 4), labels),
        f"blurred: sigma {STRONG_BLUR}": (blurred(images, STRONG_BLUR), labels),
        "label ignored (labels shuffled)": (images, rng.permutation(labels)),
        "wrong class: every sign a stop sign": (data.road_signs(samples, classes=["stop"], seed=seed + 3)[0], labels),
        "uniform noise": (uniform_noise(images.shape, seed + 5), labels),
    }
    table = CalibrationTable(
        "Conditional accuracy, road-sign judge (notebook 09)",
        ("overall", "worst class"), samples, seed,
        note=f"Labels balanced over the 4 signs; judge seed {judge.facts['seed']}.",
    )
    for case, (case_images, case_labels) in cases.items():
        started = time.perf_counter()
        result = conditional_accuracy(judge, case_images, case_labels)
        table.seconds[case] = time.perf_counter() - started
        table.rows[case] = (result.overall, result.worst_accuracy)
    return table


def calibrate_pix2pix(samples: int = TRANSLATION_SAMPLES, seed: int = CALIBRATION_SEED) -> CalibrationTable:
    """Per-pixel L1 and green-mask IoU of pix2pix outputs against held-out targets (notebook 11).

    Example:
        >>> calibrate_pix2pix(samples=20).column("green IoU")["held-out real (targets)"]
        1.0
    """
    from course_utils.data import circles_to_rectangles  # noqa: PLC0415

    inputs, targets = circles_to_rectangles(samples, size=64, seed=seed + 2)
    cases = {
        "held-out real (targets)": targets,
        f"good stand-in: + noise {GOOD_NOISE}": noisy(targets, GOOD_NOISE, seed + 4),
        f"good stand-in: blur {MILD_BLUR}": blurred(targets, MILD_BLUR),
        f"blurred: sigma {STRONG_BLUR}": blurred(targets, STRONG_BLUR),
        "misplaced by 4 pixels": shifted(targets, 4),
        "copies the input (violet circles)": inputs,
        "collapsed to one image": collapsed(targets),
        "blank white": np.ones_like(targets),
        "uniform noise": uniform_noise(targets.shape, seed + 5),
    }
    table = CalibrationTable("pix2pix: violet circles -> green rectangles, 64x64 (notebook 11)",
                             ("L1", "green IoU"), samples, seed)
    for case, outputs in cases.items():
        started = time.perf_counter()
        table.rows[case] = (paired_l1(outputs, targets), mask_iou(outputs, targets))
        table.seconds[case] = time.perf_counter() - started
    return table


def calibrate_cyclegan(
    samples: int = TRANSLATION_SAMPLES, seed: int = CALIBRATION_SEED, judge_seed: int = 0, judge: Judge | None = None
) -> CalibrationTable:
    """The shape judge's verdict on translations both ways and the cycle L1 (notebook 12).

    "judged square" is the share the shapes judge calls squares (circles -> squares),
    "judged circle" the share it calls circles (squares -> circles); the cycle
    column treats the case's images as reconstructions of real circles.

    Example:
        >>> table = calibrate_cyclegan(samples=30)
        >>> table.column("judged square")["real squares"] > 0.9
        True
    """
    from course_utils import data  # noqa: PLC0415
    from course_utils.metrics.judges import load_judge  # noqa: PLC0415

    judge = load_judge("shapes", judge_seed) if judge is None else judge
    circles = data.circles(samples, seed=seed + 2)
    squares = data.squares(samples, seed=seed + 3)
    translations = {  # case -> (images, the class a good translation is judged)
        "real squares": (squares, "square"),
        f"good stand-in: squares + noise {GOOD_NOISE}": (noisy(squares, GOOD_NOISE, seed + 4), "square"),
        f"blurred squares: sigma {STRONG_BLUR}": (blurred(squares, STRONG_BLUR), "square"),
        "collapsed to one square image": (collapsed(squares), "square"),
        "not translated (the circles)": (circles, "square"),
        "real circles": (circles, "circle"),
        f"good stand-in: circles + noise {GOOD_NOISE}": (noisy(circles, GOOD_NOISE, seed + 7), "circle"),
        "not translated (the squares)": (squares, "circle"),
        "uniform noise": (uniform_noise(squares.shape, seed + 5), "both"),
    }
    reconstructions = {
        "perfect reconstruction": circles,
        f"good stand-in: + noise {GOOD_NOISE}": noisy(circles, GOOD_NOISE, seed + 4),
        f"blurred: sigma {MILD_BLUR}": blurred(circles, MILD_BLUR),
        f"blurred: sigma {STRONG_BLUR}": blurred(circles, STRONG_BLUR),
        "other circles (content lost)": data.circles(samples, seed=seed + 6),
        "uniform noise": uniform_noise(circles.shape, seed + 5),
    }
    table = CalibrationTable("CycleGAN: circles <-> squares, 64x64 (notebook 12)",
                             ("judged square", "judged circle", "cycle L1"), samples, seed,
                             note=f"Shapes judge seed {judge.facts['seed']}; cycle L1 against real circles.")
    nan = float("nan")
    for case, (images, target) in translations.items():
        started = time.perf_counter()
        judged_square = judge.class_share(images, "square") if target in ("square", "both") else nan
        judged_circle = judge.class_share(images, "circle") if target in ("circle", "both") else nan
        table.rows[case] = (judged_square, judged_circle, nan)
        table.seconds[case] = time.perf_counter() - started
    for case, images in reconstructions.items():
        started = time.perf_counter()
        table.rows[f"cycle: {case}"] = (nan, nan, cycle_l1(circles, images))
        table.seconds[f"cycle: {case}"] = time.perf_counter() - started
    return table


def calibrate_refiner(samples: int = TRANSLATION_SAMPLES, seed: int = CALIBRATION_SEED) -> CalibrationTable:
    """Per-pixel L1 of 16x16 -> 32x32 sign refinements against the real 32x32 signs (notebook 14).

    The 16x16 inputs are the means of 2x2 blocks of the real signs; a refiner must beat the
    fixed upsamplers (bicubic, bilinear, nearest neighbour) that know nothing about signs.

    Example:
        >>> table = calibrate_refiner(samples=20)
        >>> table.column("L1")["held-out real (targets)"]
        0.0
    """
    from course_utils.data import road_signs  # noqa: PLC0415
    from course_utils.data.resizing import resize_images  # noqa: PLC0415

    targets, _ = road_signs(samples, classes=["speed_limit_30"], size=32, seed=seed + 2)
    small = targets.reshape(samples, 16, 2, 16, 2, 3).mean(axis=(2, 4))
    cases = {
        "held-out real (targets)": targets,
        f"good stand-in: blur {MILD_BLUR}": blurred(targets, MILD_BLUR),
        "bicubic upsampling of the 16x16 (no refiner)": resize_images(small, 32, method="bicubic"),
        "bilinear upsampling of the 16x16": resize_images(small, 32, method="bilinear"),
        "nearest-neighbour upsampling of the 16x16": small.repeat(2, axis=1).repeat(2, axis=2),
        f"blurred: sigma {STRONG_BLUR}": blurred(targets, STRONG_BLUR),
        "misplaced by 1 pixel": shifted(targets, 1),
        "collapsed to one image": collapsed(targets),
        "uniform noise": uniform_noise(targets.shape, seed + 5),
    }
    table = CalibrationTable("Coarse-to-fine refiner: 16x16 -> 32x32 speed-limit-30 signs (notebook 14)", ("L1",), samples, seed,
                             note="The 16x16 inputs are 2x2 block means of the targets.")
    for case, outputs in cases.items():
        started = time.perf_counter()
        table.rows[case] = (paired_l1(outputs, targets),)
        table.seconds[case] = time.perf_counter() - started
    return table


def thresholds_for(notebook: str) -> list[Threshold]:
    """Return the thresholds of one notebook (``"01"``, ``"05"``, ...).

    Example:
        >>> [threshold.key for threshold in thresholds_for("01")]
        ['sin_mean_abs_error', 'sin_x_wasserstein']
    """
    return [threshold for threshold in THRESHOLDS.values() if threshold.notebook == notebook]


def check_calibration(table: object, calibration_name: str) -> tuple[int, list[str]]:
    """Check every threshold that comes from one calibration table against that table.

    Each threshold must pass all its good cases and fail all its bad cases. Run it after a
    recalibration (for example a new ``DATA_VERSION``) to see which thresholds need moving.

    Args:
        table: a calibration table (anything with ``column(name) -> {case: value}``).
        calibration_name: the ``calibration`` of the thresholds' evidence
            (:mod:`course_utils.build.threshold_evidence`), e.g. ``"ring"``.

    Returns:
        ``(number of thresholds checked, problems)``; no problems means every threshold
        still separates its cases.

    Example:
        >>> class Table:
        ...     def column(self, name):
        ...         cases = ("real", "blurred: std x 2", "blurred: std x 4", "half the modes",
        ...                  "collapsed to one mode", "noise: uniform box")
        ...         values = {"modes covered": (8, 8, 8, 4, 1, 8),
        ...                   "high-quality share": (0.99, 0.66, 0.23, 0.99, 0.99, 0.02)}[name]
        ...         return dict(zip(cases, values))
        >>> check_calibration(Table(), "ring")
        (2, [])
    """
    checked, problems = 0, []
    for threshold in THRESHOLDS.values():
        evidence = EVIDENCE[threshold.key]
        if evidence.calibration != calibration_name:
            continue
        column = table.column(evidence.calibration_column)  # type: ignore[attr-defined]
        for case in evidence.good_cases:
            if not threshold.passes(column[case]):
                problems.append(f"{threshold.key}: good case {case!r} ({column[case]:.4g}) fails")
        for case in evidence.bad_cases:
            if threshold.passes(column[case]):
                problems.append(f"{threshold.key}: bad case {case!r} ({column[case]:.4g}) passes")
        nearest = min((column[case] for case in evidence.bad_cases), key=lambda bad: abs(bad - threshold.value))
        if abs(nearest - threshold.nearest_bad) > 0.5 * abs(threshold.value - threshold.nearest_bad):
            problems.append(f"{threshold.key}: nearest_bad is {threshold.nearest_bad:.4g}, but the table's "
                            f"nearest bad case is {nearest:.4g}")
        checked += 1
    return checked, problems


def all_tables(seed: int = CALIBRATION_SEED) -> list[CalibrationTable]:
    """Return every calibration table, at the sample sizes the notebooks use.

    Example:
        >>> len(all_tables()) >= 10
        True
    """
    tables: list[Any] = [
        calibrate_sin_curve(seed=seed),
        calibrate_slanted_land(seed=seed),
        calibrate_mixture("ring", seed=seed),
        calibrate_mixture("grid", seed=seed),
    ]
    tables += [calibrate_judge(name, seed=seed) for name in ("road_signs", "vertical_lines", "shapes", "digits")]
    tables += [calibrate_conditional(seed=seed), calibrate_pix2pix(seed=seed), calibrate_cyclegan(seed=seed),
               calibrate_refiner(seed=seed)]
    return tables


def main() -> None:
    """Print every calibration table as Markdown (for ``docs/metrics.md``)."""
    for table in all_tables():
        print(table.to_markdown())
        print()


if __name__ == "__main__":
    main()
