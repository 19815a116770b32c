"""The thresholds the notebooks' quality checks use, each placed between calibrated values.

Every threshold names the calibration table it comes from (:mod:`course_utils.build.calibration`,
reproduced in ``docs/metrics.md``), the cases it must accept (held-out real data and "good
stand-ins": real data with a little noise or blur) and the cases it must reject (noise,
blur, collapse, wrong class, ...). The tests recompute the calibration and check both.
A threshold holds only at its sample size ``samples`` (FID above all). Notebooks check a value
against one with ``course_utils.check_bar(key, value)``.

Example:
    >>> threshold = THRESHOLDS["sin_mean_abs_error"]
    >>> threshold.passes(0.05), threshold.passes(0.3)
    (True, False)
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Threshold:
    """One notebook quality threshold and the calibration behind it."""

    key: str
    notebook: str
    metric: str
    value: float
    higher_is_better: bool
    samples: int
    calibration: str
    calibration_column: str
    good_cases: tuple[str, ...]
    bad_cases: tuple[str, ...]
    margin: str
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


_GOOD_IMAGES = ("held-out real", "good stand-in: + noise 0.05")
# Road signs a person would reject; the calibration draws each (judge_data.CALIBRATION_TEXTS).
_UNREADABLE_SIGNS = ("blurred: sigma 1.5", "collapsed to one image", "wrong class: stop signs",
                     "garbled number in an intact ring", "smudged 30 (number smeared into a blot)",
                     "wrong number: 80 in the ring", "blank ring, no number", "uniform noise")

# Notebook 13: binary 14x14 digits, enlarged for the digit judge, which is overconfident on them (a
# quarter of uniform noise gets p >= 0.99). Measured by tests/test_metrics_judges.py.
_BINARY_DIGITS_CALIBRATION = "notebook:13 (digit judge on enlarged binary 14x14 digits, 300 held out)"
_BINARY_DIGITS_GOOD = ("held-out binary digits: 0.887", "held-out, 10% of the pixels flipped: 0.80")
_BINARY_DIGITS_BAD = ("held-out with the bottom half erased: 0.463", "uniform noise: 0.27",
                      "independent pixels: 0.17", "blank: 0.0")
_BINARY_DIGITS_MARGIN = "0.15 below digits with 10% of their pixels flipped (0.80); 0.19 above half-erased digits (0.46)"

THRESHOLDS: dict[str, Threshold] = {
    threshold.key: threshold
    for threshold in sorted([
        # ------------------------------------------------------------ 00 start here
        Threshold(
            key="warm_up_discriminator_accuracy", nearest_bad=0.5, notebook="00",
            metric="held-out accuracy of the warm-up discriminator", value=0.9, higher_is_better=True,
            samples=4000, calibration="notebook:00 (2000 real and 2000 uniform points, held out)",
            calibration_column="mean of the accuracies on real and on fake points",
            good_cases=("2000 steps: 0.94-0.97",),
            bad_cases=("untrained: 0.5",),
            margin=("points drawn at random can land on the curve, so 1.0 is out of reach; 0.04 below the "
                    "weakest full run, 0.4 above an untrained discriminator"),
        ),
        # ----------------------------------------------------------------- 01 sin curve
        Threshold(
            key="sin_mean_abs_error", nearest_bad=0.244, notebook="01", metric="mean |y - sin x|", value=0.05,
            higher_is_better=False, samples=1000, calibration="sin_curve",
            calibration_column="mean |y - sin x|",
            good_cases=("held-out real", "good stand-in: y + noise 0.05"),
            bad_cases=("off the curve: y + noise 0.3", "line y = 0", "noise: uniform box"),
            margin="the issue's bar: 1.25x the good stand-in (0.040); the nearest bad case (0.24) is 4.8x above",
        ),
        Threshold(
            key="sin_x_wasserstein", nearest_bad=1.237, notebook="01", metric="W1(x, U[-3.5, 3.5])", value=0.35,
            higher_is_better=False, samples=1000, calibration="sin_curve",
            calibration_column="x W1 to U[-3.5, 3.5]",
            good_cases=("held-out real", "good stand-in: y + noise 0.05"),
            bad_cases=("part of the curve: x in [-1, 1]", "collapsed to one point"),
            margin="2.9x the good stand-in (0.12); the nearest bad case (1.24) is 3.5x above",
        ),
        # -------------------------------------------------------------- 02 Slanted Land
        Threshold(
            key="slanted_land_face_share", nearest_bad=0.514, notebook="02", metric="share called faces", value=0.8,
            higher_is_better=True, samples=1000, calibration="slanted_land",
            calibration_column="hand D: share called faces",
            good_cases=("real faces", "faces + noise 0.1"),
            bad_cases=("non-faces (Slanted Land noise)", "uniform noise", "all pixels 0.5 (grey)"),
            margin="0.2 below real faces (1.0); 0.29 above uniform noise (0.51)",
        ),
        # ------------------------------------------------------ 03 the f-GAN table
        Threshold(
            key="fgan_mean_gap", nearest_bad=0.13, notebook="03",
            metric="max |mu_hat - mu*| over five f-divergences", value=0.12, higher_is_better=False,
            samples=5, calibration="notebook:03 (f-GAN fits of one Gaussian to the deck's mixture, one per divergence)",
            calibration_column="largest gap between learned and exact mean",
            good_cases=("2000 steps: 0.025-0.056 (seven runs)", "the deck's learned table: 0.09"),
            bad_cases=("1500 steps: 0.13-0.17", "500 steps: about 0.4", "untrained (mu = 0): up to 1.6"),
            margin="about twice the worst full run; every run stopped early (1500 steps: 0.13) fails",
        ),
        # --------------------------------------------------------- 08 ring and grid
        Threshold(
            key="ring_modes_covered", nearest_bad=4, notebook="08", metric="modes covered (of 8), mean over seeds", value=7.5,
            higher_is_better=True, samples=2500, calibration="ring", calibration_column="modes covered",
            good_cases=("real", "blurred: std x 2"), bad_cases=("half the modes", "collapsed to one mode"),
            margin="the issue's bar: one seed in two may miss a mode; half the modes (4) fails by 3.5",
        ),
        Threshold(
            key="ring_high_quality_share", nearest_bad=0.664, notebook="08", metric="high-quality share", value=0.8,
            higher_is_better=True, samples=2500, calibration="ring",
            calibration_column="high-quality share",
            good_cases=("real",), bad_cases=("blurred: std x 2", "blurred: std x 4", "noise: uniform box"),
            margin="the issue's bar: 0.2 below real data (about 1.0); std x 2 blur (0.66) fails by 0.14",
        ),
        Threshold(
            key="grid_modes_covered", nearest_bad=12, notebook="08", metric="modes covered (of 25)", value=22,
            higher_is_better=True, samples=2500, calibration="grid", calibration_column="modes covered",
            good_cases=("real", "blurred: std x 2"), bad_cases=("half the modes", "collapsed to one mode"),
            margin="the issue's bar: 3 modes may be missed; half the modes (12) fails by 10",
        ),
        Threshold(
            key="grid_high_quality_share", nearest_bad=0.228, notebook="08", metric="high-quality share", value=0.5,
            higher_is_better=True, samples=2500, calibration="grid",
            calibration_column="high-quality share",
            good_cases=("real", "blurred: std x 2"), bad_cases=("blurred: std x 4", "noise: uniform box"),
            margin="0.16 below std x 2 blur (0.66); 0.27 above std x 4 blur (0.23)",
        ),
        # ------------------------------------------------------ 04 VAE, digits judge
        Threshold(
            key="autoencoder_mse", nearest_bad=0.012, notebook="04",
            metric="held-out MSE of the conv autoencoder", value=0.008, higher_is_better=False,
            samples=300, calibration="notebook:04 (offline digits, 300 held out)",
            calibration_column="mean squared error per pixel",
            good_cases=("30 epochs: 0.0044-0.0047 (three seeds)", "PCA, 16 components: 0.0068"),
            bad_cases=("10 epochs: 0.012-0.014", "3 epochs: 0.06", "the mean image: 0.058"),
            margin="a code at least about as good as the best linear one (PCA 0.0068); a third-trained autoencoder (0.012) fails",
        ),
        Threshold(
            key="digits_recognised_share", nearest_bad=0.272, notebook="04", metric="share of samples recognised (p >= 0.9)",
            value=0.7, higher_is_better=True, samples=500, calibration="judge:digits",
            calibration_column="recognised (p >= 0.9)",
            good_cases=_GOOD_IMAGES + ("blurred: sigma 1.5",), bad_cases=("uniform noise",),
            margin="0.28 below blurred digits (0.98); 0.43 above uniform noise (0.27)",
        ),
        Threshold(
            key="digits_fid", nearest_bad=12.95, notebook="04", metric="FID (digits judge, N=500)", value=5.0,
            higher_is_better=False, samples=500, calibration="judge:digits", calibration_column="FID",
            good_cases=_GOOD_IMAGES + ("blurred: sigma 1.5",),
            bad_cases=("collapsed to one image", "one class only: all 1s", "uniform noise"),
            margin="2.0x blurred digits (2.5); one class only (12.9) is 2.6x above",
        ),
        # --------------------------------------------------- 05 vertical lines (DCGAN)
        Threshold(
            key="vertical_lines_share", nearest_bad=0.0, notebook="05", metric="share of vertical-line images",
            value=0.9, higher_is_better=True, samples=1000, calibration="judge:vertical_lines",
            calibration_column="rule detector: vertical lines",
            good_cases=_GOOD_IMAGES + ("good stand-in: blur 0.7",),
            bad_cases=("blurred: sigma 1.5", "wrong class: horizontal lines", "uniform noise"),
            margin="the issue's bar: 0.1 below real (1.0); 0.9 above blurred lines, horizontal lines and noise (0.0)",
        ),
        Threshold(
            key="vertical_lines_distinct_patterns", nearest_bad=0.001, notebook="05",
            metric="distinct line patterns / detected images", value=0.5, higher_is_better=True,
            samples=1000, calibration="judge:vertical_lines",
            calibration_column="rule detector: distinct patterns",
            good_cases=_GOOD_IMAGES, bad_cases=("collapsed to one image",),
            margin="0.43 below real (0.93); 0.5 above a collapsed generator (0.001)",
        ),
        # ----------------------------------------------------- 06 road signs (DCGAN)
        Threshold(
            key="road_signs_fid", nearest_bad=29.2, notebook="06", metric="FID (road-sign judge, N=1000)", value=20.0,
            higher_is_better=False, samples=1000, calibration="judge:road_signs", calibration_column="FID",
            good_cases=_GOOD_IMAGES + ("good stand-in: blur 0.7",), bad_cases=_UNREADABLE_SIGNS,
            margin="1.4x mildly blurred signs (14.2); garbled numbers in an intact ring (29.2) are 1.5x above",
        ),
        Threshold(
            key="road_signs_share_30", nearest_bad=0.319, notebook="06", metric="share judged speed_limit_30", value=0.8,
            higher_is_better=True, samples=1000, calibration="judge:road_signs",
            calibration_column="judged speed_limit_30",
            good_cases=_GOOD_IMAGES + ("good stand-in: blur 0.7",),
            bad_cases=tuple(case for case in _UNREADABLE_SIGNS if case != "collapsed to one image"),
            margin="0.17 below mildly blurred signs (0.97); 0.48 above signs blurred past reading (0.32), garbled numbers 0.08",
        ),
        Threshold(
            key="road_signs_precision", nearest_bad=0.584, notebook="06", metric="precision (k=3, road-sign judge)",
            value=0.7, higher_is_better=True, samples=1000, calibration="judge:road_signs",
            calibration_column="precision (k=3)", good_cases=_GOOD_IMAGES + ("good stand-in: blur 0.7",),
            bad_cases=tuple(case for case in _UNREADABLE_SIGNS if case != "collapsed to one image"),
            margin="0.12 below real signs with pixel noise (0.82); 0.12 above signs blurred past reading (0.58)",
        ),
        Threshold(
            key="road_signs_recall", nearest_bad=0.116, notebook="06", metric="recall (k=3, road-sign judge)",
            value=0.5, higher_is_better=True, samples=1000, calibration="judge:road_signs",
            calibration_column="recall (k=3)", good_cases=_GOOD_IMAGES + ("good stand-in: blur 0.7",),
            bad_cases=_UNREADABLE_SIGNS,
            margin="0.36 below mildly blurred signs (0.86); 0.38 above garbled numbers (0.12), collapse 0",
        ),
        # ---------------------------------------------------- 09 conditional road signs
        Threshold(
            key="conditional_accuracy", nearest_bad=0.25, notebook="09", metric="accuracy on the asked-for class",
            value=0.9, higher_is_better=True, samples=1000, calibration="conditional",
            calibration_column="overall",
            good_cases=_GOOD_IMAGES,
            bad_cases=("label ignored (labels shuffled)", "wrong class: every sign a stop sign", "uniform noise"),
            margin="the issue's bar: 0.1 below real (1.0); 0.64 above a generator that ignores its label (0.24-0.26)",
        ),
        Threshold(
            key="conditional_worst_class", nearest_bad=0.216, notebook="09", metric="accuracy of the worst class",
            value=0.9, higher_is_better=True, samples=1000, calibration="conditional",
            calibration_column="worst class",
            good_cases=_GOOD_IMAGES,
            bad_cases=("label ignored (labels shuffled)", "wrong class: every sign a stop sign", "uniform noise"),
            margin="the issue's bar (every class >= 90 %): 0.1 below real (1.0); 0.68 above a generator that ignores its label (0.22)",
        ),
        # ------------------------------------------------ 10 the latent space (InfoGAN)
        Threshold(
            key="infogan_category_accuracy", nearest_bad=0.53, notebook="10",
            metric="InfoGAN categorical code -> digit accuracy (matched)", value=0.55, higher_is_better=True,
            samples=1000, calibration="notebook:10 (InfoGAN runs on digits)", calibration_column="matched accuracy",
            good_cases=("3000-step runs: 0.71, 0.72, 0.88",),
            bad_cases=("codes shuffled (chance): 0.14", "1000-step run: 0.53"),
            margin="4x chance (0.14); 0.16 below the weakest 3000-step run (0.71); a 1000-step run (0.53) fails",
        ),
        Threshold(
            key="infogan_continuous_correlation", nearest_bad=0.005, notebook="10",
            metric="InfoGAN weakest continuous code |corr| with its factor", value=0.5, higher_is_better=True,
            samples=1000, calibration="notebook:10 (InfoGAN runs on digits)", calibration_column="weakest |corr|",
            good_cases=("3000-step runs: 0.72, 0.74, 0.80",),
            bad_cases=("codes shuffled (chance): 0.005",),
            margin="0.22 below the weakest 3000-step run (0.72); 0.5 above chance",
        ),
        # ----------------------------------------------------------------- 11 pix2pix
        Threshold(
            key="pix2pix_l1", nearest_bad=0.0804, notebook="11", metric="per-pixel L1 on held-out pairs", value=0.05,
            higher_is_better=False, samples=300, calibration="pix2pix", calibration_column="L1",
            good_cases=("held-out real (targets)", "good stand-in: + noise 0.05", "blurred: sigma 1.5"),
            bad_cases=("misplaced by 4 pixels", "copies the input (violet circles)", "blank white",
                       "collapsed to one image", "uniform noise"),
            margin="2.1x the noisy stand-in (0.023); a 4-pixel misplacement (0.080) is 1.6x above",
        ),
        Threshold(
            key="pix2pix_iou", nearest_bad=0.437, notebook="11", metric="green-mask IoU on held-out pairs", value=0.7,
            higher_is_better=True, samples=300, calibration="pix2pix", calibration_column="green IoU",
            good_cases=("held-out real (targets)", "good stand-in: + noise 0.05", "blurred: sigma 1.5"),
            bad_cases=("misplaced by 4 pixels", "copies the input (violet circles)", "blank white",
                       "collapsed to one image", "uniform noise"),
            margin="0.27 below blurred outputs (0.97); 0.26 above a 4-pixel misplacement (0.44)",
        ),
        # ---------------------------------------------------------------- 12 CycleGAN
        Threshold(
            key="cyclegan_judged_square", nearest_bad=0.0, notebook="12", metric="translated circles judged squares",
            value=0.9, higher_is_better=True, samples=300, calibration="cyclegan",
            calibration_column="judged square",
            good_cases=("real squares", "good stand-in: squares + noise 0.05"),
            bad_cases=("not translated (the circles)", "uniform noise"),
            margin="the issue's bar: 0.1 below real squares (1.0); 0.9 above untranslated circles (0.0)",
        ),
        Threshold(
            key="cyclegan_judged_circle", nearest_bad=0.0, notebook="12", metric="translated squares judged circles",
            value=0.9, higher_is_better=True, samples=300, calibration="cyclegan",
            calibration_column="judged circle",
            good_cases=("real circles", "good stand-in: circles + noise 0.05"),
            bad_cases=("not translated (the squares)",),
            margin=("the issue's bar: 0.1 below real circles (1.0); 0.9 above untranslated squares (0.0). The judge "
                    "calls 89 % of uniform noise circles (it has no 'not a shape' class): cycle L1 (noise 0.48) "
                    "and the pictures guard against that"),
        ),
        Threshold(
            key="cyclegan_cycle_l1", nearest_bad=0.125, notebook="12", metric="cycle reconstruction L1", value=0.06,
            higher_is_better=False, samples=300, calibration="cyclegan", calibration_column="cycle L1",
            good_cases=("cycle: perfect reconstruction", "cycle: good stand-in: + noise 0.05",
                        "cycle: blurred: sigma 1.5"),
            bad_cases=("cycle: other circles (content lost)", "cycle: uniform noise"),
            margin="2.7x the noisy stand-in (0.023); losing the content (0.125) is 2.1x above",
        ),
        # ------------------------------------------------------------ 13 beyond GANs
        Threshold(
            key="pixelcnn_bits", nearest_bad=0.295, notebook="13", metric="PixelCNN held-out bits/dim", value=0.29,
            higher_is_better=False, samples=300, calibration="notebook:13 (binary 14x14 digits)",
            calibration_column="held-out bits/dim",
            good_cases=("20 epochs: 0.265-0.268",),
            bad_cases=("uniform: 1.0", "independent pixels: 0.552", "the RBM: 0.379", "PixelCNN after 3-5 epochs: 0.29-0.30"),
            margin="0.02 above 20 epochs (epoch-to-epoch wobble about 0.005); an under-trained PixelCNN (0.29-0.30) fails",
        ),
        Threshold(
            key="rbm_bits", nearest_bad=0.472, notebook="13", metric="RBM held-out bits/dim", value=0.45,
            higher_is_better=False, samples=300, calibration="notebook:13 (binary 14x14 digits, exact partition function)",
            calibration_column="held-out bits/dim",
            good_cases=("30 epochs of CD-1: 0.379",),
            bad_cases=("independent pixels (the RBM at epoch 0): 0.552", "5 epochs: 0.472"),
            margin="0.07 above 30 epochs (0.379); 0.1 below independent pixels (0.552)",
        ),
        Threshold(
            key="pixelcnn_recognised_share", nearest_bad=0.463, notebook="13",
            metric="PixelCNN samples the digit judge recognises (p >= 0.99)", value=0.65, higher_is_better=True,
            samples=200, calibration=_BINARY_DIGITS_CALIBRATION, calibration_column="recognised (p >= 0.99)",
            good_cases=_BINARY_DIGITS_GOOD, bad_cases=_BINARY_DIGITS_BAD, margin=_BINARY_DIGITS_MARGIN,
        ),
        Threshold(
            key="rbm_recognised_share", nearest_bad=0.463, notebook="13",
            metric="RBM samples the digit judge recognises (p >= 0.99)", value=0.65, higher_is_better=True,
            samples=200, calibration=_BINARY_DIGITS_CALIBRATION, calibration_column="recognised (p >= 0.99)",
            good_cases=_BINARY_DIGITS_GOOD, bad_cases=_BINARY_DIGITS_BAD, margin=_BINARY_DIGITS_MARGIN,
        ),
        # ------------------------------------------------------- 14 GAN architectures
        Threshold(
            key="refiner_l1", nearest_bad=0.0274, notebook="14",
            metric="per-pixel L1 of refined 16x16 -> 32x32 signs (held out)", value=0.025, higher_is_better=False,
            samples=300, calibration="refiner", calibration_column="L1",
            good_cases=("held-out real (targets)", "good stand-in: blur 0.7"),
            bad_cases=("bicubic upsampling of the 16x16 (no refiner)", "bilinear upsampling of the 16x16",
                       "nearest-neighbour upsampling of the 16x16", "blurred: sigma 1.5", "misplaced by 1 pixel",
                       "collapsed to one image", "uniform noise"),
            margin=("a learned refiner must beat bicubic interpolation (0.026-0.028 on data seeds 0-2) by about 10 %; "
                    "0.004 above mildly blurred signs (0.021)"),
        ),
    ], key=lambda threshold: threshold.notebook)
}
