"""The thresholds the notebooks' quality checks use, each placed between calibrated values.

A notebook checks a value against one with ``course_utils.check_bar(key, value)``. A threshold
holds only at its sample size ``samples`` (FID above all); ``nearest_bad`` is the calibrated
value of the bad case nearest to the bar (for the margins the bench reports). Why each bar sits
where it does (the calibration table, the good and bad cases) is instructor tooling:
:mod:`course_utils.build.threshold_evidence`, checked by the tests and shown in ``docs/metrics.md``.

Example:
    >>> threshold = THRESHOLDS["sin_mean_abs_error"]
    >>> threshold.passes(0.05), threshold.passes(0.3)
    (True, False)
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Threshold:
    """One notebook quality threshold: the bar, its direction and the N it holds at."""

    key: str
    notebook: str
    metric: str
    value: float
    higher_is_better: bool
    samples: int
    nearest_bad: float

    def passes(self, measured: float) -> bool:
        """Return whether a measured value meets the threshold (NaN never does).

        Example:
            >>> THRESHOLDS["ring_modes_covered"].passes(8)
            True
        """
        if measured != measured:  # NaN
            return False
        return measured >= self.value if self.higher_is_better else measured <= self.value

    def margin_to_bar(self, measured: float) -> float:
        """Return how far a measured value is on the good side of the bar (negative: it fails).

        Example:
            >>> THRESHOLDS["sin_mean_abs_error"].margin_to_bar(0.03)  # bar 0.05, lower is better
            0.02
        """
        gap = measured - self.value if self.higher_is_better else self.value - measured
        return round(gap, 12)

    def relative_margin(self, measured: float) -> float:
        """Return the margin as a share of the distance from the bar to the nearest bad case.

        0 is on the bar, 1 is as far on the good side as the nearest bad case is on the bad
        side; the recipes aim for at least 0.1 on every seed.

        Example:
            >>> round(THRESHOLDS["sin_mean_abs_error"].relative_margin(0.03), 3)  # nearest bad 0.244
            0.103
        """
        return self.margin_to_bar(measured) / abs(self.value - self.nearest_bad)


_LOWER, _HIGHER = False, True

THRESHOLDS: dict[str, Threshold] = {threshold.key: threshold for threshold in [
    # key, notebook, metric, bar, higher is better, N, nearest bad case
    Threshold("warm_up_discriminator_accuracy", "00", "held-out accuracy of the warm-up discriminator", 0.9,
              _HIGHER, samples=4000, nearest_bad=0.5),
    Threshold("sin_mean_abs_error", "01", "mean |y - sin x|", 0.05, _LOWER, samples=1000, nearest_bad=0.244),
    Threshold("sin_x_wasserstein", "01", "W1(x, U[-3.5, 3.5])", 0.35, _LOWER, samples=1000, nearest_bad=1.237),
    Threshold("slanted_land_face_share", "02", "share called faces", 0.8, _HIGHER, samples=1000, nearest_bad=0.514),
    Threshold("fgan_mean_gap", "03", "max |mu_hat - mu*| over five f-divergences", 0.12, _LOWER, samples=5,
              nearest_bad=0.13),
    Threshold("autoencoder_mse", "04", "held-out MSE of the conv autoencoder", 0.008, _LOWER, samples=300,
              nearest_bad=0.012),
    Threshold("digits_recognised_share", "04", "share of samples recognised (p >= 0.9)", 0.7, _HIGHER, samples=500,
              nearest_bad=0.272),
    Threshold("digits_fid", "04", "FID (digits judge, N=500)", 5.0, _LOWER, samples=500, nearest_bad=12.95),
    Threshold("vertical_lines_share", "05", "share of vertical-line images", 0.9, _HIGHER, samples=1000,
              nearest_bad=0.0),
    Threshold("vertical_lines_distinct_patterns", "05", "distinct line patterns / detected images", 0.5, _HIGHER,
              samples=1000, nearest_bad=0.001),
    Threshold("road_signs_fid", "06", "FID (road-sign judge, N=1000)", 20.0, _LOWER, samples=1000, nearest_bad=29.2),
    Threshold("road_signs_share_30", "06", "share judged speed_limit_30", 0.8, _HIGHER, samples=1000,
              nearest_bad=0.319),
    Threshold("road_signs_precision", "06", "precision (k=3, road-sign judge)", 0.7, _HIGHER, samples=1000,
              nearest_bad=0.584),
    Threshold("road_signs_recall", "06", "recall (k=3, road-sign judge)", 0.5, _HIGHER, samples=1000,
              nearest_bad=0.116),
    Threshold("ring_modes_covered", "08", "modes covered (of 8), mean over seeds", 7.5, _HIGHER, samples=2500,
              nearest_bad=4),
    Threshold("ring_high_quality_share", "08", "high-quality share", 0.8, _HIGHER, samples=2500, nearest_bad=0.664),
    Threshold("grid_modes_covered", "08", "modes covered (of 25)", 22, _HIGHER, samples=2500, nearest_bad=12),
    Threshold("grid_high_quality_share", "08", "high-quality share", 0.5, _HIGHER, samples=2500, nearest_bad=0.228),
    Threshold("conditional_accuracy", "09", "accuracy on the asked-for class", 0.9, _HIGHER, samples=1000,
              nearest_bad=0.25),
    Threshold("conditional_worst_class", "09", "accuracy of the worst class", 0.9, _HIGHER, samples=1000,
              nearest_bad=0.216),
    Threshold("infogan_category_accuracy", "10", "InfoGAN categorical code -> digit accuracy (matched)", 0.55,
              _HIGHER, samples=1000, nearest_bad=0.53),
    Threshold("infogan_continuous_correlation", "10", "InfoGAN weakest continuous code |corr| with its factor", 0.5,
              _HIGHER, samples=1000, nearest_bad=0.005),
    Threshold("pix2pix_l1", "11", "per-pixel L1 on held-out pairs", 0.05, _LOWER, samples=300, nearest_bad=0.0804),
    Threshold("pix2pix_iou", "11", "green-mask IoU on held-out pairs", 0.7, _HIGHER, samples=300, nearest_bad=0.437),
    Threshold("cyclegan_judged_square", "12", "translated circles judged squares", 0.9, _HIGHER, samples=300,
              nearest_bad=0.0),
    Threshold("cyclegan_judged_circle", "12", "translated squares judged circles", 0.9, _HIGHER, samples=300,
              nearest_bad=0.0),
    Threshold("cyclegan_cycle_l1", "12", "cycle reconstruction L1", 0.06, _LOWER, samples=300, nearest_bad=0.125),
    Threshold("pixelcnn_bits", "13", "PixelCNN held-out bits/dim", 0.29, _LOWER, samples=300, nearest_bad=0.295),
    Threshold("rbm_bits", "13", "RBM held-out bits/dim", 0.45, _LOWER, samples=300, nearest_bad=0.472),
    Threshold("pixelcnn_recognised_share", "13", "PixelCNN samples the digit judge recognises (p >= 0.99)", 0.65,
              _HIGHER, samples=200, nearest_bad=0.463),
    Threshold("rbm_recognised_share", "13", "RBM samples the digit judge recognises (p >= 0.99)", 0.65, _HIGHER,
              samples=200, nearest_bad=0.463),
    Threshold("refiner_l1", "14", "per-pixel L1 of refined 16x16 -> 32x32 signs (held out)", 0.025, _LOWER,
              samples=300, nearest_bad=0.0274),
]}
