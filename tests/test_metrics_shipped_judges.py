"""Judge weights that ship with the course (data/pretrained/judges/): used when they fit, else trained.

The road-sign judge's real shipped weights are loaded once; the damaged and mismatched cases use
the small vertical-lines judge (trained once per session in the shared judge folder) shipped into
a folder of the test's own.
"""

from __future__ import annotations

import json

import numpy as np
import pytest

from course_utils.build import ship_judges
from course_utils.metrics import judges
from course_utils.metrics.judge_data import held_out_set, spec_for
from course_utils.metrics.judges import judge_identity, judge_path, load_judge
from course_utils.build.ship_judges import model_weights, write_shipped
from course_utils.metrics.judges import shipped_paths
from judge_helpers import reference_images


def _no_training(*args, **kwargs):
    pytest.fail("trained a judge although fitting weights ship with the course")


def _files(folder):
    return sorted(path.name for path in folder.iterdir())


@pytest.fixture(scope="module")
def lines_judge(shared_judge_folder):
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("COURSE_DATA_DIR", str(shared_judge_folder))
        return load_judge("vertical_lines", verbose=False)


@pytest.fixture
def shipped_lines(lines_judge, tmp_path, monkeypatch):
    """The vertical-lines judge shipped into tmp_path/shipped, the folder load_judge reads; a fresh process."""
    folder = tmp_path / "shipped"
    monkeypatch.setattr(judges, "SHIPPED_FOLDER", folder)
    monkeypatch.setattr(judges, "_LOADED", {})
    write_shipped(model_weights(lines_judge.model), lines_judge.facts, folder)
    return shipped_paths(judge_identity("vertical_lines"), folder)


def test_the_road_sign_judge_loads_from_the_shipped_weights_without_training(monkeypatch):
    pytest.importorskip("keras")
    monkeypatch.setattr(judges, "_LOADED", {})
    monkeypatch.setattr(judges, "train_judge", _no_training)
    judge = load_judge("road_signs")
    weights, facts = shipped_paths(judge_identity("road_signs"))
    assert judge.facts["shipped_weights"] == weights.name
    assert weights.stat().st_size < 3_000_000 and json.loads(facts.read_text())["keras_version"]
    images, labels = held_out_set("road_signs")
    assert judge.accuracy_on(images, labels) == pytest.approx(judge.accuracy, abs=1e-3)
    assert judge.accuracy >= spec_for("road_signs").min_accuracy
    # The features the shipped facts were scaled on have root-mean-square 1: the very weights measured.
    assert np.sqrt(np.mean(judge.features(images) ** 2)) == pytest.approx(1.0, abs=1e-4)
    # Cached like a trained judge, nothing half-written; the next process loads the cache.
    path = judge_path("road_signs")
    assert _files(path.parent) == sorted([path.name, path.with_suffix(".json").name])
    monkeypatch.setattr(judges, "_LOADED", {})
    monkeypatch.setattr(judges, "read_shipped", lambda *a, **k: pytest.fail("read the shipped weights again"))
    reloaded = load_judge("road_signs")
    np.testing.assert_array_equal(reloaded.probabilities(images[:100]), judge.probabilities(images[:100]))


def test_fitting_shipped_weights_give_the_same_judge_and_train_nothing(lines_judge, shipped_lines, monkeypatch, capsys):
    monkeypatch.setattr(judges, "train_judge", _no_training)
    judge = load_judge("vertical_lines")
    images, _ = reference_images("vertical_lines", 200, seed=5)
    np.testing.assert_array_equal(judge.probabilities(images), lines_judge.probabilities(images))
    np.testing.assert_array_equal(judge.features(images), lines_judge.features(images))
    assert judge.facts["held_out_accuracy"] == lines_judge.accuracy and capsys.readouterr().out == ""
    assert judge.path == judge_path("vertical_lines") and judge.path.exists()
    assert not [name for name in _files(shipped_lines[0].parent) + _files(judge.path.parent) if name.startswith(".")]


def _damage_bytes(weights, facts):
    data = bytearray(weights.read_bytes())
    data[len(data) // 2: len(data) // 2 + 16] = bytes(16)
    weights.write_bytes(bytes(data))


def _wrong_shapes(weights, facts):
    arrays = {name: np.asarray(array) for name, array in np.load(weights).items()}
    arrays["features/kernel"] = arrays["features/kernel"][:100]
    facts_dict = json.loads(facts.read_text())
    write_shipped(arrays, {key: value for key, value in facts_dict.items() if key != "weights"}, weights.parent)


def _other_judge_version(weights, facts):
    facts.write_text(json.dumps(json.loads(facts.read_text()) | {"judge_version": "1"}))


def _other_data_version(weights, facts):
    facts.write_text(json.dumps(json.loads(facts.read_text()) | {"data_version": "1"}))


def _facts_missing(weights, facts):
    facts.unlink()


@pytest.mark.parametrize(("damage", "said"), [
    (_damage_bytes, "sha256 differs"),
    (_wrong_shapes, "features/kernel has shape (100, 64)"),
    (_other_judge_version, "judge_version is '1'"),
    (_other_data_version, "data_version is '1'"),
    (_facts_missing, ".json is missing"),
], ids=["corrupt", "wrong-shapes", "judge-version", "data-version", "no-facts"])
def test_shipped_weights_that_do_not_fit_are_trained_over_with_one_line(shipped_lines, monkeypatch, capsys,
                                                                         damage, said):
    damage(*shipped_lines)
    calls = []
    monkeypatch.setattr(judges, "train_judge", lambda name, seed, verbose: calls.append((name, seed)) or "trained")
    assert load_judge("vertical_lines") == "trained" and calls == [("vertical_lines", 0)]
    message = capsys.readouterr().out.strip()
    assert "\n" not in message and said in message
    assert message.startswith("The shipped 'vertical_lines' judge cannot be used")
    assert message.endswith("training it instead.")
    assert not judge_path("vertical_lines").exists()  # nothing half-written in the cache


def test_judges_without_shipped_weights_and_retraining_train_as_before(shipped_lines, monkeypatch, capsys):
    calls = []
    monkeypatch.setattr(judges, "train_judge", lambda name, seed, verbose: calls.append((name, seed)) or "trained")
    assert load_judge("digits") == "trained"  # nothing ships for the digits judge
    assert load_judge("vertical_lines", seed=2) == "trained"  # nor for seed 2
    assert load_judge("vertical_lines", retrain=True) == "trained"  # retrain ignores the shipped weights
    assert calls == [("digits", 0), ("vertical_lines", 2), ("vertical_lines", 0)] and capsys.readouterr().out == ""


def test_the_ship_command_writes_checked_files_atomically(lines_judge, shared_judge_folder, tmp_path, monkeypatch,
                                                          capsys):
    monkeypatch.setenv("COURSE_DATA_DIR", str(shared_judge_folder))
    folder = tmp_path / "out"
    assert ship_judges.main(["vertical_lines", "--from-cache", "--folder", str(folder)]) == 0
    assert "largest difference 0.0e+00 in probabilities" in capsys.readouterr().out
    weights, facts_path = shipped_paths(judge_identity("vertical_lines"), folder)
    assert _files(folder) == sorted([weights.name, facts_path.name])
    facts = json.loads(facts_path.read_text())
    assert facts["held_out_accuracy"] == lines_judge.accuracy and facts["tensorflow_version"]
    assert len(facts["weights"]) == len(lines_judge.model.weights) and len(facts["sha256"]) == 64

    monkeypatch.setenv("COURSE_DATA_DIR", str(tmp_path / "empty"))
    assert ship_judges.main(["vertical_lines", "--from-cache", "--folder", str(folder)]) == 1
    assert "No 'vertical_lines' judge is cached" in capsys.readouterr().err
