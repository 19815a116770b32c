"""FID, KID, precision and recall: how far generated images are from real ones in feature space.

The features are the penultimate layer of one of the course's judges
(:mod:`course_utils.metrics.judges`) instead of InceptionV3, as TF-GAN's
``frechet_classifier_distance`` allows; numbers compare only for one judge, and FID (biased
upwards at small N) only at one N (:data:`FID_SAMPLES`).

Example:
    >>> import numpy as np
    >>> rng = np.random.default_rng(0)
    >>> a, b = rng.normal(size=(500, 4)), rng.normal(size=(500, 4))
    >>> frechet_distance(a, b) < 0.1, frechet_distance(a, b + 3.0) > 30
    (True, True)
"""

from __future__ import annotations

import warnings
from typing import TYPE_CHECKING, Any

import numpy as np
from scipy import linalg

from course_utils.checks import InputError, as_images, same_image_size

if TYPE_CHECKING:
    from course_utils.metrics.judges import Judge

# The fixed number of images per set at which the notebooks compute FID and KID.
FID_SAMPLES = 1000


def _as_features(values: Any, name: str) -> np.ndarray:
    if hasattr(values, "numpy") and callable(values.numpy):
        values = values.numpy()
    array = np.asarray(values, dtype=np.float64)
    if array.ndim != 2:
        raise InputError(f"{name} must be a 2-D array (samples, features); got shape {array.shape}.")
    if not np.all(np.isfinite(array)):
        raise InputError(f"{name} contains NaN or infinite values.")
    return array


def _check_pair(real: np.ndarray, generated: np.ndarray) -> None:
    if real.shape[1] != generated.shape[1]:
        raise InputError(
            "real and generated features must have the same number of features; got "
            f"{real.shape[1]} and {generated.shape[1]}. Use one judge for both sets."
        )


def frechet_distance(real_features: Any, generated_features: Any) -> float:
    """Return the Frechet distance between Gaussians fitted to two feature sets (FID on features).

    ``||mu_r - mu_g||^2 + Tr(S_r + S_g - 2 (S_r S_g)^(1/2))``; each set needs more samples than features.

    Example:
        >>> rng = np.random.default_rng(1)
        >>> a = rng.normal(size=(200, 3))
        >>> round(frechet_distance(a, a), 6)
        0.0
    """
    real = _as_features(real_features, "real_features")
    generated = _as_features(generated_features, "generated_features")
    _check_pair(real, generated)
    dims = real.shape[1]
    for name, array in (("real", real), ("generated", generated)):
        if array.shape[0] <= dims:
            raise InputError(
                f"FID needs more samples than features to estimate a covariance: {name} has "
                f"{array.shape[0]} samples of {dims} features. Pass at least {dims + 1} "
                f"(the notebooks use {FID_SAMPLES}), or use KID, which works with fewer."
            )
    mean_gap = real.mean(axis=0) - generated.mean(axis=0)
    cov_real = np.cov(real, rowvar=False)
    cov_generated = np.cov(generated, rowvar=False)
    with warnings.catch_warnings():
        # A collapsed generator has a singular covariance; its square root is still defined.
        warnings.simplefilter("ignore", linalg.LinAlgWarning)
        root = linalg.sqrtm(cov_real @ cov_generated)
    if not np.all(np.isfinite(root)):
        # Nearly singular covariances: nudge both diagonals (as the reference FID code does).
        offset = np.eye(dims) * 1e-6
        root = linalg.sqrtm((cov_real + offset) @ (cov_generated + offset))
    root = np.real(root)
    value = float(mean_gap @ mean_gap + np.trace(cov_real) + np.trace(cov_generated) - 2.0 * np.trace(root))
    return max(value, 0.0)


def kernel_distance(real_features: Any, generated_features: Any) -> float:
    """Return KID: the unbiased squared MMD with the kernel ``(x . y / d + 1)^3`` (may dip below 0).

    Example:
        >>> rng = np.random.default_rng(2)
        >>> a, b = rng.normal(size=(300, 8)), rng.normal(size=(300, 8))
        >>> abs(kernel_distance(a, b)) < 0.05, kernel_distance(a, b + 2.0) > 1.0
        (True, True)
    """
    real = _as_features(real_features, "real_features")
    generated = _as_features(generated_features, "generated_features")
    _check_pair(real, generated)
    for name, array in (("real", real), ("generated", generated)):
        if array.shape[0] < 2:
            raise InputError(f"KID needs at least 2 samples per set; {name} has {array.shape[0]}.")
    dims = real.shape[1]
    m, n = real.shape[0], generated.shape[0]
    k_rr = (real @ real.T / dims + 1.0) ** 3
    k_gg = (generated @ generated.T / dims + 1.0) ** 3
    k_rg = (real @ generated.T / dims + 1.0) ** 3
    within_real = (k_rr.sum() - np.trace(k_rr)) / (m * (m - 1))
    within_generated = (k_gg.sum() - np.trace(k_gg)) / (n * (n - 1))
    return float(within_real + within_generated - 2.0 * k_rg.mean())


def _within_neighbourhoods(centres: np.ndarray, points: np.ndarray, k: int) -> float:
    """Share of ``points`` inside at least one ball around a centre whose radius is the distance
    from that centre to its k-th nearest other centre."""
    from scipy.spatial.distance import cdist  # noqa: PLC0415

    within = cdist(centres, centres)
    radii = np.sort(within, axis=1)[:, k]  # column 0 is the centre itself
    return float(np.mean((cdist(points, centres) <= radii[None, :]).any(axis=1)))


def precision_recall(real_features: Any, generated_features: Any, k: int = 3) -> tuple[float, float]:
    """Return improved precision and recall (Kynkaanniemi et al., 2019) with ``k`` neighbours.

    *Precision*: the share of generated samples inside the real manifold (balls around each
    real sample reaching its k-th nearest real neighbour); *recall*: the share of real samples
    inside the generated manifold. Compare values only at one N and one k.

    Example:
        >>> rng = np.random.default_rng(0)
        >>> real = rng.normal(size=(400, 4))
        >>> same = precision_recall(real, rng.normal(size=(400, 4)))
        >>> collapsed = precision_recall(real, rng.normal(0.0, 0.05, size=(400, 4)))
        >>> same[0] > 0.8 and same[1] > 0.8, collapsed[0] > 0.9 and collapsed[1] < 0.1
        (True, True)
    """
    real = _as_features(real_features, "real_features")
    generated = _as_features(generated_features, "generated_features")
    _check_pair(real, generated)
    if isinstance(k, bool) or not isinstance(k, (int, np.integer)) or k < 1:
        raise InputError(f"k must be a positive whole number of neighbours; got {k!r}.")
    for name, array in (("real", real), ("generated", generated)):
        if array.shape[0] <= k:
            raise InputError(f"precision and recall with k={k} need more than {k} samples; {name} has {array.shape[0]}.")
    return _within_neighbourhoods(real, generated, k), _within_neighbourhoods(generated, real, k)


def _first_samples(images: Any, name: str, samples: int) -> np.ndarray:
    array = as_images(images, name)
    if array.shape[0] < samples:
        raise InputError(
            f"{name} holds {array.shape[0]} images, but this measure is computed at a fixed "
            f"N = {samples} (FID grows as N shrinks, so thresholds hold only at one N). Pass "
            f"{samples} images, or pass samples=... and compare only with values at that N."
        )
    return array[:samples]


def judge_fid(judge: Judge, real_images: Any, generated_images: Any, samples: int = FID_SAMPLES) -> float:
    """Return the FID between the first ``samples`` real and generated images on ``judge``'s features.

    Example:
        >>> from course_utils.data import road_signs
        >>> from course_utils.metrics.judges import load_judge
        >>> judge = load_judge("road_signs")
        >>> real, _ = road_signs(1000, seed=1)
        >>> other, _ = road_signs(1000, seed=2)
        >>> judge_fid(judge, real, other) < 5.0
        True
    """
    if samples < 2:
        raise InputError(f"samples must be at least 2; got {samples}.")
    real = _first_samples(real_images, "real_images", samples)
    generated = _first_samples(generated_images, "generated_images", samples)
    same_image_size(real, generated, ("real_images", "generated_images"))
    return frechet_distance(judge.features(real), judge.features(generated))

