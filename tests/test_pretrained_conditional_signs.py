"""The conditional road-sign generator that ships in data/pretrained/ (trained by notebook 09, used by 10)."""

from __future__ import annotations

import json

import numpy as np
import pytest
from pretrained_helpers import newer_keras_settings_in

from course_utils import config

PRETRAINED = config.shipped_data_dir("pretrained")
GENERATOR = PRETRAINED / "conditional_signs_generator.keras"
FACTS = PRETRAINED / "conditional_signs_generator.json"
CLASS_NAMES = ["speed_limit_30", "speed_limit_100", "stop", "no_trucks"]


def _facts() -> dict:
    return json.loads(FACTS.read_text(encoding="utf-8"))


def _generate(generator, noise: np.ndarray, labels: np.ndarray) -> np.ndarray:
    import keras

    return keras.ops.convert_to_numpy(generator([noise, labels], training=False))


def test_the_shipped_files_are_small_and_state_the_interface() -> None:
    for path in (GENERATOR, FACTS):
        assert path.is_file(), f"{path} is missing: run data/pretrained/train_conditional_sign_generator.py"
    assert GENERATOR.stat().st_size < 3_000_000, f"the generator takes {GENERATOR.stat().st_size / 1e6:.1f} MB"
    facts = _facts()
    assert facts["mode"] == "full" and facts["class_names"] == CLASS_NAMES
    assert facts["value_range"] == [-1, 1] and facts["image_shape"] == [32, 32, 3]
    assert isinstance(facts["noise_dimension"], int) and facts["noise_dimension"] > 0
    assert set(facts["accuracy_per_class"]) == set(CLASS_NAMES)
    assert set(facts["fid_per_class_n250"]) == set(CLASS_NAMES)  # FID of each class at N = 250
    assert "train_conditional_sign_generator.py" in facts["regenerate"]


def test_the_shipped_config_loads_in_older_keras() -> None:
    present = newer_keras_settings_in(GENERATOR)
    assert not present, f"{GENERATOR.name} holds settings Keras 3.12/3.13 refuse: {present}"


def test_the_generator_follows_the_stated_interface() -> None:
    keras = pytest.importorskip("keras")
    generator = keras.models.load_model(GENERATOR)
    noise_dimension = _facts()["noise_dimension"]
    noise = np.random.default_rng(0).normal(size=(8, noise_dimension)).astype("float32")
    labels = np.array([0, 1, 2, 3, 0, 1, 2, 3])
    images = _generate(generator, noise, labels.astype("int32"))
    assert images.shape == (8, 32, 32, 3)
    assert images.min() >= -1.0 and images.max() <= 1.0 and images.std() > 0.1
    # int64 labels (NumPy's default) work too, and the same input draws the same sign.
    np.testing.assert_allclose(_generate(generator, noise, labels), images, atol=1e-5)
    # The label changes the picture: the same noise with another class gives another sign.
    one_noise = np.repeat(noise[:1], 4, axis=0)
    by_class = _generate(generator, one_noise, np.arange(4, dtype="int32"))
    assert min(np.abs(by_class[i] - by_class[j]).mean() for i in range(4) for j in range(i + 1, 4)) > 0.02


@pytest.fixture(scope="module")
def asked_and_judged(shared_judge_folder):
    keras = pytest.importorskip("keras")
    from course_utils.metrics.judges import load_judge

    generator = keras.models.load_model(GENERATOR)
    labels = np.repeat(np.arange(4), 100).astype("int32")  # 400 signs, 100 per class
    noise = np.random.default_rng(1).normal(size=(len(labels), _facts()["noise_dimension"])).astype("float32")
    signs = (_generate(generator, noise, labels) + 1.0) / 2.0
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("COURSE_DATA_DIR", str(shared_judge_folder))
        judge = load_judge("road_signs", verbose=False)  # trained once per test session
    return judge, signs, labels


# The sign judge of JUDGE_VERSION 2 reads the digits: it reads about two thirds of this
# generator's "100" signs as 100 (its 30, stop and no-trucks signs pass). The recipes issue
# retrains it; strict, so this test turns red the day it passes and the mark comes off.
@pytest.mark.xfail(strict=True, raises=AssertionError,
                   reason="the shipped generator's 100 signs are often garbled: it fails the stricter sign judge")
def test_the_judge_recognises_the_asked_for_class_in_every_class(asked_and_judged) -> None:
    from course_utils.metrics.conditional import conditional_accuracy

    result = conditional_accuracy(*asked_and_judged)
    assert result.worst_accuracy >= 0.9, f"per class: {result.per_class}"  # the course's bar, every class


def test_the_classes_come_from_the_labels(asked_and_judged) -> None:
    from course_utils.metrics.conditional import conditional_accuracy

    judge, signs, labels = asked_and_judged
    assert conditional_accuracy(judge, signs, labels).overall > 0.8
    # The same images with labels shifted by one class fail.
    assert conditional_accuracy(judge, signs, (labels + 1) % 4).overall < 0.2
