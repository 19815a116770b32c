import pytest

from course_utils import exercise
from course_utils.exercises import ExerciseCheckFailed
from course_utils.reflect import feedback_for, feedback_for_several, reflect


def test_a_passing_check_says_well_done(capsys):
    with exercise("Exercise 1: add") as check:
        check.close(1 + 1, 2, "1 + 1 should be 2.")
    assert check.passed
    assert "✅ Exercise 1: add" in capsys.readouterr().out


def test_a_failing_check_explains_and_hints_without_raising(capsys):
    with exercise("Exercise 2") as check:
        check.close([0.5, 0.2], [0.5, 0.25], "The second value is wrong.", hint="Divide by four.")
        check.that(False, "never reached")
    out = capsys.readouterr().out
    assert check.passed is False
    assert "not yet: The second value is wrong." in out and "Hint: Divide by four." in out
    assert "never reached" not in out


def test_shape_mismatch_is_reported_in_words(capsys):
    with exercise("Exercise 3") as check:
        check.close([1.0, 2.0], [[1.0, 2.0]], "Wrong result.")
    assert "expected shape (1, 2), got (2,)" in capsys.readouterr().out


@pytest.mark.parametrize(
    "error, words",
    [
        (NotImplementedError(), "YOUR CODE HERE"),
        (NameError("name 'sigmoid' is not defined"), "Did you run the exercise cell"),
        (ZeroDivisionError("division by zero"), "raised ZeroDivisionError"),
    ],
)
def test_errors_in_student_code_become_messages(capsys, error, words):
    with exercise("Exercise 4") as check:
        raise error
    assert check.passed is False
    assert words in capsys.readouterr().out


def test_strict_mode_raises_so_a_broken_solution_fails_its_test(monkeypatch, capsys):
    monkeypatch.setenv("COURSE_STRICT_CHECKS", "1")
    with pytest.raises(ExerciseCheckFailed, match="Exercise 5: wrong answer"):
        with exercise("Exercise 5") as check:
            check.that(1 == 2, "wrong answer")


def test_exercise_needs_a_title():
    with pytest.raises(ValueError, match="title"):
        exercise("")


def test_reflect_feedback():
    options = ["a", "b", "c"]
    assert feedback_for(2, 2, "Because.", options) == (True, "Right: c. Because.")
    correct, text = feedback_for(0, 2, "Because.", options)
    assert not correct and "Because" not in text
    with pytest.raises(ValueError):
        feedback_for(3, 2, "x", options)


def test_reflect_headless_prints_the_question(capsys):
    assert reflect("Why?", ["this", "that"], answer=0, explanation="x") is None
    out = capsys.readouterr().out
    assert "Why?" in out and "(b) that" in out


def test_reflect_widget_builds_with_core_widgets(monkeypatch):
    monkeypatch.setenv("COURSE_HEADLESS", "0")
    box = reflect("Why?", ["this", "that"], answer=1, explanation="Because.")
    buttons = box.children[1:3]
    feedback = box.children[3]
    buttons[0].click()
    assert "Not quite" in feedback.value
    buttons[1].click()
    assert "Right: that. Because." in feedback.value


def test_a_question_with_several_right_options_is_checked_as_a_whole(monkeypatch):
    assert feedback_for_several([2, 0], {0, 2}, "Both.") == (True, "Right. Both.")
    correct, text = feedback_for_several({0, 1}, {0, 2}, "Both.")
    assert not correct and "1 ticked option is not right" in text and "1 right option is not ticked" in text
    assert "Both." not in text
    monkeypatch.setenv("COURSE_HEADLESS", "0")
    box = reflect("Even?", ["2", "3", "4"], answer={0, 2}, explanation="2 and 4.")
    heading, boxes, check, feedback = box.children[0], box.children[1:4], box.children[4], box.children[5]
    assert "all that apply" in heading.value
    boxes[0].value = True
    check.click()
    assert "not ticked" in feedback.value
    boxes[2].value = True
    check.click()
    assert "Right. 2 and 4." in feedback.value


@pytest.mark.parametrize("options, answer", [(["only"], 0), (["a", "b"], 2), (["a", "b"], True),
                                             (["a", "b"], {0, 2}), (["a", "b"], set()), (["a", "b"], "0")])
def test_reflect_rejects_bad_questions(options, answer):
    with pytest.raises(ValueError):
        reflect("q", options, answer=answer, explanation="")
