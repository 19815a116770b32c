"""The road-sign GAN that ships in data/pretrained/ (trained by notebook 06, used by 07 and 10).

The sign judge is made once per test session (rebuilt from its shipped weights in
data/pretrained/judges/, or trained) into the same folder as tests/test_metrics_judges.py uses,
so in a full run it is loaded from there.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from pretrained_helpers import newer_keras_settings_in

from course_utils import config
from course_utils.metrics import THRESHOLDS

PRETRAINED = config.shipped_data_dir("pretrained")
GENERATOR = PRETRAINED / "road_signs_generator.keras"
DISCRIMINATOR = PRETRAINED / "road_signs_discriminator.keras"
FACTS = PRETRAINED / "road_signs_generator.json"


# Notebook 06 measures its generator on these (course.seed = 42): the noise of seed 44 and
# 1000 real signs of seed 43 that it never trained on.
NOTEBOOK_NOISE_SEED = 44
NOTEBOOK_REFERENCE_SEED = 43
SAMPLES = 1000


def test_the_shipped_files_are_small_and_say_how_they_were_trained() -> None:
    for path in (GENERATOR, DISCRIMINATOR, FACTS):
        assert path.is_file(), f"{path} is missing: run data/pretrained/train_sign_generator.py"
    size = GENERATOR.stat().st_size + DISCRIMINATOR.stat().st_size
    assert size < 4_000_000, f"the pretrained networks take {size / 1e6:.1f} MB; keep them to a few MB"
    facts = json.loads(FACTS.read_text(encoding="utf-8"))
    assert facts["mode"] == "full" and facts["noise_dimension"] == 100 and facts["value_range"] == [-1, 1]
    assert facts["steps"] > 0 and facts["training_seconds"] > 0
    assert len(facts["history"]["step"]) == len(facts["history"]["d_loss"]) > 10
    assert len(facts["fid_history"]["step"]) == len(facts["fid_history"]["fid"]) > 2


@pytest.mark.parametrize("path", [GENERATOR, DISCRIMINATOR], ids=["generator", "discriminator"])
def test_the_shipped_configs_load_in_older_keras(path: Path) -> None:
    present = newer_keras_settings_in(path)
    assert not present, f"{path.name} holds settings Keras 3.12/3.13 refuse: {present}"


def test_the_generator_makes_signs_the_judge_recognises_and_d_reads_them() -> None:
    keras = pytest.importorskip("keras")
    generator = keras.models.load_model(GENERATOR)
    discriminator = keras.models.load_model(DISCRIMINATOR)
    noise = np.random.default_rng(0).normal(size=(64, 100)).astype("float32")
    images = keras.ops.convert_to_numpy(generator(noise, training=False))
    assert images.shape == (64, 32, 32, 3)
    assert images.min() >= -1.0 and images.max() <= 1.0 and images.std() > 0.1
    # Different noise gives different signs (no collapse), the same noise the same sign.
    assert np.mean(np.abs(images[0] - images[1])) > 0.02
    again = keras.ops.convert_to_numpy(generator(noise[:8], training=False))
    np.testing.assert_allclose(again, images[:8], atol=1e-5)
    verdict = keras.ops.convert_to_numpy(discriminator(images, training=False))
    assert verdict.shape == (64, 1) and 0.0 <= verdict.min() and verdict.max() <= 1.0
    # A speed-limit sign is a red ring around a white disc: its ring is redder (R - G) than its
    # centre. True for 99.6% of real renders, about 30% of uniform noise and 25% of stop signs.
    signs = (images + 1) / 2
    rows, columns = np.mgrid[:32, :32]
    radius = np.hypot(rows - 15.5, columns - 15.5)
    redness = signs[..., 0] - signs[..., 1]
    ring_minus_centre = redness[:, (radius > 9) & (radius < 13.5)].mean(axis=1) - redness[:, radius < 6].mean(axis=1)
    assert np.mean(ring_minus_centre > 0.02) > 0.8


@pytest.fixture(scope="module")
def sign_judge(shared_judge_folder):
    from course_utils.metrics.judges import load_judge

    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("COURSE_DATA_DIR", str(shared_judge_folder))
        return load_judge("road_signs", verbose=False)


@pytest.fixture(scope="module")
def measured(sign_judge):
    """Notebook 06's four measures of the shipped generator, with the notebook's seeds."""
    keras = pytest.importorskip("keras")
    from course_utils import data
    from course_utils.metrics.image_distances import frechet_distance, precision_recall

    generator = keras.models.load_model(GENERATOR)
    noise = np.random.default_rng(NOTEBOOK_NOISE_SEED).normal(size=(SAMPLES, 100)).astype("float32")
    signs = np.clip((keras.ops.convert_to_numpy(generator(noise, training=False)) + 1) / 2, 0.0, 1.0)
    real, _ = data.load("road_signs", source="offline", classes=["speed_limit_30"], n=SAMPLES, size=32,
                        seed=NOTEBOOK_REFERENCE_SEED)
    real_features, features = sign_judge.features(real), sign_judge.features(signs)
    precision, recall = precision_recall(real_features, features, k=3)
    return {"signs": signs, "real_features": real_features, "road_signs_fid": frechet_distance(real_features, features),
            "road_signs_share_30": sign_judge.class_share(signs, "speed_limit_30"),
            "road_signs_precision": precision, "road_signs_recall": recall}


# The sign judge of JUDGE_VERSION 2 reads the digits; it reads a legible 30 in about a third of
# this generator's samples (notebook 06's recipe, 1800 steps). The recipes issue retrains it;
# strict: this test turns red the day the shipped generator passes, so the mark comes off.
@pytest.mark.xfail(strict=True, raises=AssertionError,
                   reason="the shipped generator's 30s are mostly garbled: it fails the stricter sign judge")
@pytest.mark.parametrize("key", ["road_signs_fid", "road_signs_share_30", "road_signs_precision", "road_signs_recall"])
def test_the_shipped_generator_passes_the_bars_of_notebook_06(measured, key) -> None:
    assert THRESHOLDS[key].passes(measured[key]), f"{key} = {measured[key]:.3f}, bar {THRESHOLDS[key].value}"


def test_the_facts_file_tells_the_truth_when_measured_by_the_same_judge(measured) -> None:
    from course_utils.metrics.judges import JUDGE_VERSION

    facts = json.loads(FACTS.read_text(encoding="utf-8"))
    if facts.get("judge_version", "1") != JUDGE_VERSION:
        pytest.skip(f"the facts were measured by sign judge {facts.get('judge_version', '1')}, not {JUDGE_VERSION}")
    assert measured["road_signs_fid"] == pytest.approx(facts["fid_sign_judge"], rel=0.25, abs=0.1)
    assert measured["road_signs_share_30"] == pytest.approx(facts["share_judged_speed_limit_30"], abs=0.02)


def test_the_measures_fail_a_collapsed_copy_of_the_generator(measured, sign_judge) -> None:
    from course_utils.metrics.image_distances import frechet_distance, precision_recall

    collapsed = np.repeat(measured["signs"][:1], SAMPLES, axis=0)
    features = sign_judge.features(collapsed)
    assert not THRESHOLDS["road_signs_fid"].passes(frechet_distance(measured["real_features"], features))
    assert not THRESHOLDS["road_signs_recall"].passes(precision_recall(measured["real_features"], features)[1])


def test_the_regeneration_script_copies_only_a_generator_that_meets_todays_bars() -> None:
    import importlib.util
    import sys

    from course_utils.metrics.judges import JUDGE_VERSION

    sys.path.insert(0, str(PRETRAINED))  # the script imports its neighbour _shipping.py
    try:
        spec = importlib.util.spec_from_file_location("train_sign_generator", PRETRAINED / "train_sign_generator.py")
        script = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(script)
    finally:
        sys.path.remove(str(PRETRAINED))
    good = {"mode": "full", "judge_version": JUDGE_VERSION, "fid_sign_judge": 4.4,
            "share_judged_speed_limit_30": 0.97, "precision": 0.73, "recall": 0.62}
    assert script.missed_bars(good) == []
    assert any("recall" in missed for missed in script.missed_bars(good | {"recall": 0.05}))
    assert any("judge" in missed for missed in script.missed_bars(good | {"judge_version": "1"}))
    assert any("fast" in missed for missed in script.missed_bars(good | {"mode": "fast"}))
