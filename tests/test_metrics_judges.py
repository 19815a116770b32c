"""The judge classifiers: accuracy, cache, bad input, and the calibration of every image measure.

The four judges train once per test session, into one folder under pytest's session temp
folder (a later module that asks for them loads them from there).
"""

from __future__ import annotations

import numpy as np
import pytest

from course_utils.data import circles, road_signs, squares
from course_utils.build import calibration
from course_utils.metrics import judges
from course_utils.checks import InputError
from course_utils.metrics.conditional import conditional_accuracy
from course_utils.metrics.image_distances import judge_fid, kernel_distance
from course_utils.metrics.judge_data import (
    CALIBRATION_TEXTS,
    JUDGE_SPECS,
    JudgeError,
    held_out_set,
    not_vertical_lines,
    unreadable_sign_names,
)
from course_utils.metrics.judges import judge_path, load_judge
from course_utils.build.calibration import check_calibration
from course_utils.metrics.translation import translated_class_share
from judge_helpers import reference_images

JUDGE_NAMES = tuple(JUDGE_SPECS)


@pytest.fixture(scope="module")
def judge_folder(shared_judge_folder):
    return shared_judge_folder


@pytest.fixture(scope="module")
def trained(judge_folder):
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("COURSE_DATA_DIR", str(judge_folder))
        return {name: load_judge(name, verbose=False) for name in JUDGE_NAMES}


@pytest.fixture
def in_judge_folder(judge_folder, monkeypatch):
    monkeypatch.setenv("COURSE_DATA_DIR", str(judge_folder))
    return judge_folder


# ------------------------------------------------------------------------------ accuracy


@pytest.mark.parametrize("name", JUDGE_NAMES)
def test_each_judge_reaches_its_stated_accuracy_on_held_out_data(trained, name):
    judge = trained[name]
    images, labels = held_out_set(name)
    accuracy = judge.accuracy_on(images, labels)
    assert accuracy >= JUDGE_SPECS[name].min_accuracy
    assert accuracy == pytest.approx(judge.accuracy, abs=1e-3)  # what was stored beside it
    if name != "digits":  # fresh images from yet another seed
        fresh_images, fresh_labels = reference_images(name, 400, seed=12345)
        assert judge.accuracy_on(fresh_images, fresh_labels) >= JUDGE_SPECS[name].min_accuracy


def test_vertical_lines_judge_rejects_every_kind_of_negative(trained):
    judge = trained["vertical_lines"]
    negatives = not_vertical_lines(900, seed=99)
    assert judge.class_share(negatives, "vertical_lines") < 0.03


def test_shapes_judge_tells_circles_from_squares_whatever_the_colour(trained):
    judge = trained["shapes"]
    assert translated_class_share(judge, squares(200, seed=77), "square") > 0.95
    assert translated_class_share(judge, circles(200, seed=78), "square") < 0.05


# -------------------------------------------------------------------------------- cache


def test_judges_are_cached_with_their_facts_and_no_temporary_files(trained, in_judge_folder, monkeypatch):
    for name, judge in trained.items():
        path = judge_path(name)
        assert path == judge.path and path.exists() and path.with_suffix(".json").exists()
        assert f"data{judges._data_version()}" in path.name and path.name.endswith("-seed0.keras")
        assert judge.facts["held_out_accuracy"] == judge.accuracy
        assert judge.facts["training_seconds"] > 0
    leftovers = [p.name for p in (in_judge_folder / "judges").iterdir() if p.name.startswith(".")]
    assert leftovers == []

    # A fresh process (empty memory cache) loads from disk instead of training.
    monkeypatch.setattr(judges, "_LOADED", {})
    monkeypatch.setattr(judges, "train_judge", lambda *a, **k: pytest.fail("retrained a cached judge"))
    reloaded = load_judge("digits")
    images, _ = reference_images("digits", 50)
    np.testing.assert_allclose(reloaded.features(images), trained["digits"].features(images), atol=1e-5)


def test_cache_key_changes_with_data_version_keras_version_and_seed(in_judge_folder, monkeypatch):
    first = judge_path("road_signs", seed=0)
    assert judge_path("road_signs", seed=1) != first
    monkeypatch.setattr(judges, "_keras_version", lambda: "3.13.2")
    assert judge_path("road_signs", seed=0) != first
    monkeypatch.setattr(judges, "_data_version", lambda: "999")
    assert judge_path("road_signs", seed=0) != first


def test_a_cache_another_keras_cannot_load_is_retrained_with_one_line(tmp_path, monkeypatch, capsys):
    """What Keras 3.13 raises for a judge saved by 3.15 is a TypeError, not an OSError."""
    keras = pytest.importorskip("keras")
    monkeypatch.setenv("COURSE_DATA_DIR", str(tmp_path))
    path = judge_path("digits", seed=4)
    path.write_text("a judge written by another Keras")
    path.with_suffix(".json").write_text("{}")

    def load_model(*args, **kwargs):
        raise TypeError("GlorotUniform.__init__() got an unexpected keyword argument 'input_axes'")

    monkeypatch.setattr(keras.models, "load_model", load_model)
    monkeypatch.setattr(judges, "train_judge", lambda name, seed, verbose: "retrained")
    assert load_judge("digits", seed=4) == "retrained"
    message = capsys.readouterr().out.strip()
    assert "\n" not in message and "could not be loaded" in message and "input_axes" in message


def test_keras_debugging_caps_are_lifted_while_training_and_restored():
    keras = pytest.importorskip("keras")
    keras.config.set_max_epochs(1)
    keras.config.set_max_steps_per_epoch(2)
    try:
        with judges._keras_caps_lifted():
            assert keras.config.max_epochs() is None
            assert keras.config.max_steps_per_epoch() is None
        assert keras.config.max_epochs() == 1
        assert keras.config.max_steps_per_epoch() == 2
    finally:
        keras.config.set_max_epochs(None)
        keras.config.set_max_steps_per_epoch(None)


def test_a_corrupt_cache_file_is_retrained(tmp_path, monkeypatch):
    monkeypatch.setenv("COURSE_DATA_DIR", str(tmp_path))
    path = judge_path("digits", seed=3)
    path.write_text("not a keras file")
    path.with_suffix(".json").write_text("{}")
    calls = []
    monkeypatch.setattr(judges, "train_judge", lambda name, seed, verbose: calls.append((name, seed)) or "new")
    assert load_judge("digits", seed=3, verbose=False) == "new"
    assert calls == [("digits", 3)]


# ----------------------------------------------------------------------------- bad input


def test_a_judge_refuses_images_it_was_not_trained_on(trained):
    signs = trained["road_signs"]
    with pytest.raises(JudgeError, match=r"reads 32x32 RGB images.*\(10, 64, 64, 3\)"):
        signs.predict(np.zeros((10, 64, 64, 3)))
    with pytest.raises(JudgeError, match=r"reads 32x32 RGB images"):
        signs.features(np.zeros((10, 32, 32, 1)))
    with pytest.raises(JudgeError, match=r"grey \(1 channel\)"):
        trained["digits"].predict(np.zeros((10, 32, 32, 3)))
    with pytest.raises(InputError, match=r"\(images \+ 1\) / 2"):
        signs.predict(np.full((10, 32, 32, 3), -1.0))


def test_unknown_judges_classes_and_label_counts_are_refused(trained):
    with pytest.raises(JudgeError, match="Unknown judge 'cats'"):
        load_judge("cats")
    with pytest.raises(JudgeError, match="knows speed_limit_30"):
        trained["road_signs"].class_share(np.zeros((2, 32, 32, 3)), "yield")
    with pytest.raises(JudgeError, match="0 to 10"):
        trained["road_signs"].class_index(11)
    images, labels = reference_images("road_signs", 8)
    with pytest.raises(InputError, match="8 images but 5"):
        conditional_accuracy(trained["road_signs"], images, labels[:5])


def test_fid_and_kid_need_the_fixed_number_of_images(trained):
    real, _ = reference_images("shapes", 100)
    with pytest.raises(InputError, match="fixed N = 1000"):
        judge_fid(trained["shapes"], real, real)
    with pytest.raises(InputError, match="more samples than features"):
        judge_fid(trained["shapes"], real, real, samples=50)
    with pytest.raises(InputError, match="same size"):
        judge_fid(trained["shapes"], real, np.zeros((100, 32, 32, 3)), samples=100)


# ----------------------------------------------------------------------------- FID / KID


def test_fid_of_a_held_out_split_is_small_and_of_noise_is_large(trained):
    judge = trained["road_signs"]
    real, _ = reference_images("road_signs", 1000, seed=1)
    held_out, _ = reference_images("road_signs", 1000, seed=2)
    noise = calibration.uniform_noise(real.shape, seed=3)
    same, far = judge_fid(judge, real, held_out), judge_fid(judge, real, noise)
    assert same < 0.5 and far > 10 and far > 50 * same
    real_features = judge.features(real)  # KID on the same features, as notebook 07 computes it
    same_kid = kernel_distance(real_features, judge.features(held_out))
    far_kid = kernel_distance(real_features, judge.features(noise))
    assert abs(same_kid) < 0.05 and far_kid > 1 and far_kid > 50 * abs(same_kid)


def test_conditional_accuracy_counts_per_asked_class(trained):
    judge = trained["road_signs"]
    images, labels = road_signs(200, seed=31)
    result = conditional_accuracy(judge, images, labels)
    assert result.overall > 0.95 and set(result.per_class) == set(judge.classes[:4])  # the four asked-for signs
    assert sum(result.counts.values()) == 200
    # Ask for "stop" on every image: only the real stop signs are right.
    stop = conditional_accuracy(judge, images, ["stop"] * 200)
    assert list(stop.per_class) == ["stop"]
    assert stop.overall == pytest.approx(np.mean(labels == 2), abs=0.03)


# --------------------------------------------------------------------------- calibration


def _check(table: calibration.CalibrationTable, calibration_name: str) -> int:
    checked, problems = check_calibration(table, calibration_name)
    assert problems == []
    return checked


@pytest.mark.parametrize("name", JUDGE_NAMES)
def test_judge_thresholds_separate_real_from_noise_blur_collapse_and_wrong_class(trained, name):
    table = calibration.calibrate_judge(name, judge=trained[name])
    fid = table.column("FID")
    assert fid["held-out real"] < fid["uniform noise"] and fid["held-out real"] < fid["collapsed to one image"]
    # Shapes: its thresholds are CycleGAN's (test_cyclegan_thresholds); the FID here is informative.
    assert _check(table, f"judge:{name}") == {"road_signs": 4, "vertical_lines": 2, "shapes": 0, "digits": 2}[name]


def test_conditional_accuracy_thresholds(trained):
    table = calibration.calibrate_conditional(judge=trained["road_signs"])
    assert _check(table, "conditional") == 2


def test_cyclegan_thresholds(trained):
    table = calibration.calibrate_cyclegan(judge=trained["shapes"])
    assert _check(table, "cyclegan") == 3


def test_a_judge_does_not_depend_on_the_notebooks_seed(tmp_path, monkeypatch):
    """Two notebooks with different seeds must train the same judge, or their FIDs differ."""
    keras = pytest.importorskip("keras")
    images, _ = reference_images("digits", 64)
    predictions = []
    for notebook_seed in (1, 2):
        monkeypatch.setenv("COURSE_DATA_DIR", str(tmp_path / f"seed{notebook_seed}"))
        monkeypatch.setattr(judges, "_LOADED", {})
        keras.utils.set_random_seed(notebook_seed)
        predictions.append(judges.train_judge("digits", verbose=False).probabilities(images))
    np.testing.assert_allclose(predictions[0], predictions[1], atol=1e-5)


def test_the_sign_judges_unreadable_signs_hold_out_the_calibrations_garbled_numbers():
    names = unreadable_sign_names(4000, seed=0)
    texts = {name.split(":", 1)[1] for name in names if name.startswith("ring:")}
    assert not texts & set(CALIBRATION_TEXTS)
    assert not texts & {"20", "30", "50", "60", "70", "80", "100", "120"}  # no legible speed limit
    assert {"31", "39", "33", "1000"} <= texts and "" in texts  # near misses of 30 and 100, blank rings
    assert any(name.startswith("smudged:") for name in names)


def test_the_binary_digit_bar_separates_digits_from_non_digits(trained):
    """Notebook 13's bar on the share of samples recognised: the cases its registry entry names."""
    from course_utils import data
    from course_utils.data.resizing import resize_images
    from course_utils.metrics.thresholds import THRESHOLDS

    def recognised(images):
        enlarged = resize_images(np.asarray(images, "float32"), 32, method="bilinear")
        return trained["digits"].recognised_share(enlarged, min_probability=0.99)

    grey, _ = data.load("digits", n=1797, size=14, seed=42)  # notebook 13's data and split
    binary = (grey > 0.5).astype("float32")
    held_out, train = binary[:300], binary[300:]
    rng = np.random.default_rng(0)
    flipped = np.where(rng.random(held_out.shape) < 0.10, 1 - held_out, held_out)
    half_erased = np.where(np.arange(14)[None, :, None, None] >= 7, 0.0, held_out)
    ink = (train.sum(axis=0) + 1) / (len(train) + 2)
    independent = (rng.random(held_out.shape) < ink).astype("float32")
    noise = (rng.random(held_out.shape) < 0.5).astype("float32")
    for key in ("pixelcnn_recognised_share", "rbm_recognised_share"):
        threshold = THRESHOLDS[key]
        assert threshold.passes(recognised(held_out)) and threshold.passes(recognised(flipped))
        for bad in (half_erased, independent, noise, np.zeros_like(held_out)):
            assert not threshold.passes(recognised(bad))
        assert recognised(half_erased) == pytest.approx(threshold.nearest_bad, abs=0.05)
