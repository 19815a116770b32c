"""Why each threshold of the registry sits where it does: the calibration evidence behind it.

:data:`course_utils.metrics.thresholds.THRESHOLDS` holds the bars the notebooks check; this
module (instructor tooling) holds, for every bar, the calibration table it comes from
(:mod:`course_utils.build.calibration`, reproduced in ``docs/metrics.md``), the column read,
the cases it must accept (held-out real data and "good stand-ins": real data with a little
noise or blur) and reject (noise, blur, collapse, wrong class, ...), and the margin in words.
:func:`course_utils.build.calibration.check_calibration` recomputes the tables and checks both.

Example:
    >>> EVIDENCE["sin_mean_abs_error"].calibration
    'sin_curve'
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Evidence:
    """The calibration behind the threshold ``key`` of the registry."""

    key: str
    calibration: str
    calibration_column: str
    good_cases: tuple[str, ...]
    bad_cases: tuple[str, ...]
    margin: str


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

EVIDENCE: dict[str, Evidence] = {
    evidence.key: evidence
    for evidence in [
        # ------------------------------------------------------------ 00 start here
        Evidence(
            key="warm_up_discriminator_accuracy", calibration="notebook:00 (2000 real and 2000 uniform points, held out)",
            calibration_column="mean of the accuracies on real and on fake points",
            good_cases=("2000 steps: 0.94-0.97",),
            bad_cases=("untrained: 0.5",),
            margin=("points drawn at random can land on the curve, so 1.0 is out of reach; 0.04 below the "
                    "weakest full run, 0.4 above an untrained discriminator"),
        ),
        # ----------------------------------------------------------------- 01 sin curve
        Evidence(
            key="sin_mean_abs_error", calibration="sin_curve",
            calibration_column="mean |y - sin x|",
            good_cases=("held-out real", "good stand-in: y + noise 0.05"),
            bad_cases=("off the curve: y + noise 0.3", "line y = 0", "noise: uniform box"),
            margin="the issue's bar: 1.25x the good stand-in (0.040); the nearest bad case (0.24) is 4.8x above",
        ),
        Evidence(
            key="sin_x_wasserstein", calibration="sin_curve",
            calibration_column="x W1 to U[-3.5, 3.5]",
            good_cases=("held-out real", "good stand-in: y + noise 0.05"),
            bad_cases=("part of the curve: x in [-1, 1]", "collapsed to one point"),
            margin="2.9x the good stand-in (0.12); the nearest bad case (1.24) is 3.5x above",
        ),
        # -------------------------------------------------------------- 02 Slanted Land
        Evidence(
            key="slanted_land_face_share", calibration="slanted_land",
            calibration_column="hand D: share called faces",
            good_cases=("real faces", "faces + noise 0.1"),
            bad_cases=("non-faces (Slanted Land noise)", "uniform noise", "all pixels 0.5 (grey)"),
            margin="0.2 below real faces (1.0); 0.29 above uniform noise (0.51)",
        ),
        # ------------------------------------------------------ 03 the f-GAN table
        Evidence(
            key="fgan_mean_gap", calibration="notebook:03 (f-GAN fits of one Gaussian to the deck's mixture, one per divergence)",
            calibration_column="largest gap between learned and exact mean",
            good_cases=("2000 steps: 0.025-0.056 (seven runs)", "the deck's learned table: 0.09"),
            bad_cases=("1500 steps: 0.13-0.17", "500 steps: about 0.4", "untrained (mu = 0): up to 1.6"),
            margin="about twice the worst full run; every run stopped early (1500 steps: 0.13) fails",
        ),
        # --------------------------------------------------------- 08 ring and grid
        Evidence(
            key="ring_modes_covered", calibration="ring", calibration_column="modes covered",
            good_cases=("real", "blurred: std x 2"), bad_cases=("half the modes", "collapsed to one mode"),
            margin="the issue's bar: one seed in two may miss a mode; half the modes (4) fails by 3.5",
        ),
        Evidence(
            key="ring_high_quality_share", calibration="ring",
            calibration_column="high-quality share",
            good_cases=("real",), bad_cases=("blurred: std x 2", "blurred: std x 4", "noise: uniform box"),
            margin="the issue's bar: 0.2 below real data (about 1.0); std x 2 blur (0.66) fails by 0.14",
        ),
        Evidence(
            key="grid_modes_covered", calibration="grid", calibration_column="modes covered",
            good_cases=("real", "blurred: std x 2"), bad_cases=("half the modes", "collapsed to one mode"),
            margin="the issue's bar: 3 modes may be missed; half the modes (12) fails by 10",
        ),
        Evidence(
            key="grid_high_quality_share", calibration="grid",
            calibration_column="high-quality share",
            good_cases=("real", "blurred: std x 2"), bad_cases=("blurred: std x 4", "noise: uniform box"),
            margin="0.16 below std x 2 blur (0.66); 0.27 above std x 4 blur (0.23)",
        ),
        # ------------------------------------------------------ 04 VAE, digits judge
        Evidence(
            key="autoencoder_mse", calibration="notebook:04 (offline digits, 300 held out)",
            calibration_column="mean squared error per pixel",
            good_cases=("30 epochs: 0.0044-0.0047 (three seeds)", "PCA, 16 components: 0.0068"),
            bad_cases=("10 epochs: 0.012-0.014", "3 epochs: 0.06", "the mean image: 0.058"),
            margin="a code at least about as good as the best linear one (PCA 0.0068); a third-trained autoencoder (0.012) fails",
        ),
        Evidence(
            key="digits_recognised_share", calibration="judge:digits",
            calibration_column="recognised (p >= 0.9)",
            good_cases=_GOOD_IMAGES + ("blurred: sigma 1.5",), bad_cases=("uniform noise",),
            margin="0.28 below blurred digits (0.98); 0.43 above uniform noise (0.27)",
        ),
        Evidence(
            key="digits_fid", calibration="judge:digits", calibration_column="FID",
            good_cases=_GOOD_IMAGES + ("blurred: sigma 1.5",),
            bad_cases=("collapsed to one image", "one class only: all 1s", "uniform noise"),
            margin="2.0x blurred digits (2.5); one class only (12.9) is 2.6x above",
        ),
        # --------------------------------------------------- 05 vertical lines (DCGAN)
        Evidence(
            key="vertical_lines_share", calibration="judge:vertical_lines",
            calibration_column="rule detector: vertical lines",
            good_cases=_GOOD_IMAGES + ("good stand-in: blur 0.7",),
            bad_cases=("blurred: sigma 1.5", "wrong class: horizontal lines", "uniform noise"),
            margin="the issue's bar: 0.1 below real (1.0); 0.9 above blurred lines, horizontal lines and noise (0.0)",
        ),
        Evidence(
            key="vertical_lines_distinct_patterns", calibration="judge:vertical_lines",
            calibration_column="rule detector: distinct patterns",
            good_cases=_GOOD_IMAGES, bad_cases=("collapsed to one image",),
            margin="0.43 below real (0.93); 0.5 above a collapsed generator (0.001)",
        ),
        # ----------------------------------------------------- 06 road signs (DCGAN)
        Evidence(
            key="road_signs_fid", calibration="judge:road_signs", calibration_column="FID",
            good_cases=_GOOD_IMAGES + ("good stand-in: blur 0.7",), bad_cases=_UNREADABLE_SIGNS,
            margin="1.4x mildly blurred signs (14.2); garbled numbers in an intact ring (29.2) are 1.5x above",
        ),
        Evidence(
            key="road_signs_share_30", calibration="judge:road_signs",
            calibration_column="judged speed_limit_30",
            good_cases=_GOOD_IMAGES + ("good stand-in: blur 0.7",),
            bad_cases=tuple(case for case in _UNREADABLE_SIGNS if case != "collapsed to one image"),
            margin="0.17 below mildly blurred signs (0.97); 0.48 above signs blurred past reading (0.32), garbled numbers 0.08",
        ),
        Evidence(
            key="road_signs_precision", calibration="judge:road_signs",
            calibration_column="precision (k=3)", good_cases=_GOOD_IMAGES + ("good stand-in: blur 0.7",),
            bad_cases=tuple(case for case in _UNREADABLE_SIGNS if case != "collapsed to one image"),
            margin="0.12 below real signs with pixel noise (0.82); 0.12 above signs blurred past reading (0.58)",
        ),
        Evidence(
            key="road_signs_recall", calibration="judge:road_signs",
            calibration_column="recall (k=3)", good_cases=_GOOD_IMAGES + ("good stand-in: blur 0.7",),
            bad_cases=_UNREADABLE_SIGNS,
            margin="0.36 below mildly blurred signs (0.86); 0.38 above garbled numbers (0.12), collapse 0",
        ),
        # ---------------------------------------------------- 09 conditional road signs
        Evidence(
            key="conditional_accuracy", calibration="conditional",
            calibration_column="overall",
            good_cases=_GOOD_IMAGES,
            bad_cases=("label ignored (labels shuffled)", "wrong class: every sign a stop sign", "uniform noise"),
            margin="the issue's bar: 0.1 below real (1.0); 0.64 above a generator that ignores its label (0.24-0.26)",
        ),
        Evidence(
            key="conditional_worst_class", calibration="conditional",
            calibration_column="worst class",
            good_cases=_GOOD_IMAGES,
            bad_cases=("label ignored (labels shuffled)", "wrong class: every sign a stop sign", "uniform noise"),
            margin="the issue's bar (every class >= 90 %): 0.1 below real (1.0); 0.68 above a generator that ignores its label (0.22)",
        ),
        # ------------------------------------------------ 10 the latent space (InfoGAN)
        Evidence(
            key="infogan_category_accuracy", calibration="notebook:10 (InfoGAN runs on digits)", calibration_column="matched accuracy",
            good_cases=("3000-step runs: 0.71, 0.72, 0.88",),
            bad_cases=("codes shuffled (chance): 0.14", "1000-step run: 0.53"),
            margin="4x chance (0.14); 0.16 below the weakest 3000-step run (0.71); a 1000-step run (0.53) fails",
        ),
        Evidence(
            key="infogan_continuous_correlation", calibration="notebook:10 (InfoGAN runs on digits)", calibration_column="weakest |corr|",
            good_cases=("3000-step runs: 0.72, 0.74, 0.80",),
            bad_cases=("codes shuffled (chance): 0.005",),
            margin="0.22 below the weakest 3000-step run (0.72); 0.5 above chance",
        ),
        # ----------------------------------------------------------------- 11 pix2pix
        Evidence(
            key="pix2pix_l1", calibration="pix2pix", calibration_column="L1",
            good_cases=("held-out real (targets)", "good stand-in: + noise 0.05", "blurred: sigma 1.5"),
            bad_cases=("misplaced by 4 pixels", "copies the input (violet circles)", "blank white",
                       "collapsed to one image", "uniform noise"),
            margin="2.1x the noisy stand-in (0.023); a 4-pixel misplacement (0.080) is 1.6x above",
        ),
        Evidence(
            key="pix2pix_iou", calibration="pix2pix", calibration_column="green IoU",
            good_cases=("held-out real (targets)", "good stand-in: + noise 0.05", "blurred: sigma 1.5"),
            bad_cases=("misplaced by 4 pixels", "copies the input (violet circles)", "blank white",
                       "collapsed to one image", "uniform noise"),
            margin="0.27 below blurred outputs (0.97); 0.26 above a 4-pixel misplacement (0.44)",
        ),
        # ---------------------------------------------------------------- 12 CycleGAN
        Evidence(
            key="cyclegan_judged_square", calibration="cyclegan",
            calibration_column="judged square",
            good_cases=("real squares", "good stand-in: squares + noise 0.05"),
            bad_cases=("not translated (the circles)", "uniform noise"),
            margin="the issue's bar: 0.1 below real squares (1.0); 0.9 above untranslated circles (0.0)",
        ),
        Evidence(
            key="cyclegan_judged_circle", calibration="cyclegan",
            calibration_column="judged circle",
            good_cases=("real circles", "good stand-in: circles + noise 0.05"),
            bad_cases=("not translated (the squares)",),
            margin=("the issue's bar: 0.1 below real circles (1.0); 0.9 above untranslated squares (0.0). The judge "
                    "calls 89 % of uniform noise circles (it has no 'not a shape' class): cycle L1 (noise 0.48) "
                    "and the pictures guard against that"),
        ),
        Evidence(
            key="cyclegan_cycle_l1", calibration="cyclegan", calibration_column="cycle L1",
            good_cases=("cycle: perfect reconstruction", "cycle: good stand-in: + noise 0.05",
                        "cycle: blurred: sigma 1.5"),
            bad_cases=("cycle: other circles (content lost)", "cycle: uniform noise"),
            margin="2.7x the noisy stand-in (0.023); losing the content (0.125) is 2.1x above",
        ),
        # ------------------------------------------------------------ 13 beyond GANs
        Evidence(
            key="pixelcnn_bits", calibration="notebook:13 (binary 14x14 digits)",
            calibration_column="held-out bits/dim",
            good_cases=("20 epochs: 0.265-0.268",),
            bad_cases=("uniform: 1.0", "independent pixels: 0.552", "the RBM: 0.379", "PixelCNN after 3-5 epochs: 0.29-0.30"),
            margin="0.02 above 20 epochs (epoch-to-epoch wobble about 0.005); an under-trained PixelCNN (0.29-0.30) fails",
        ),
        Evidence(
            key="rbm_bits", calibration="notebook:13 (binary 14x14 digits, exact partition function)",
            calibration_column="held-out bits/dim",
            good_cases=("30 epochs of CD-1: 0.379",),
            bad_cases=("independent pixels (the RBM at epoch 0): 0.552", "5 epochs: 0.472"),
            margin="0.07 above 30 epochs (0.379); 0.1 below independent pixels (0.552)",
        ),
        Evidence(
            key="pixelcnn_recognised_share", calibration=_BINARY_DIGITS_CALIBRATION, calibration_column="recognised (p >= 0.99)",
            good_cases=_BINARY_DIGITS_GOOD, bad_cases=_BINARY_DIGITS_BAD, margin=_BINARY_DIGITS_MARGIN,
        ),
        Evidence(
            key="rbm_recognised_share", calibration=_BINARY_DIGITS_CALIBRATION, calibration_column="recognised (p >= 0.99)",
            good_cases=_BINARY_DIGITS_GOOD, bad_cases=_BINARY_DIGITS_BAD, margin=_BINARY_DIGITS_MARGIN,
        ),
        # ------------------------------------------------------- 14 GAN architectures
        Evidence(
            key="refiner_l1", calibration="refiner", calibration_column="L1",
            good_cases=("held-out real (targets)", "good stand-in: blur 0.7"),
            bad_cases=("bicubic upsampling of the 16x16 (no refiner)", "bilinear upsampling of the 16x16",
                       "nearest-neighbour upsampling of the 16x16", "blurred: sigma 1.5", "misplaced by 1 pixel",
                       "collapsed to one image", "uniform noise"),
            margin=("a learned refiner must beat bicubic interpolation (0.026-0.028 on data seeds 0-2) by about 10 %; "
                    "0.004 above mildly blurred signs (0.021)"),
        ),
    ]
}
