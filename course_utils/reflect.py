"""Reflect questions: multiple choice with immediate feedback, as in the lecture's quizzes.

A question has one right option (``answer=1``: a button per option) or several
(``answer={0, 1, 3}``: a checkbox per option and a "Check" button, as the lecture's "choose
all that apply" questions). Works with ipywidgets 7.7.1 (Colab) and 8.x: core ``Button``,
``Checkbox`` and ``HTML`` widgets only. In a headless run (tests, ``build execute``) it prints
the question and options.
"""

from __future__ import annotations

import html
from collections.abc import Collection, Sequence

from course_utils import environment


def feedback_for(choice: int, answer: int, explanation: str, options: Sequence[str]) -> tuple[bool, str]:
    """Return (correct?, feedback text) for choosing option ``choice`` of a one-answer question.

    Example:
        >>> feedback_for(1, 1, "Because.", ["a", "b"])
        (True, 'Right: b. Because.')
    """
    if not 0 <= choice < len(options):
        raise ValueError(f"choice must be between 0 and {len(options) - 1}, got {choice}.")
    if choice == answer:
        return True, f"Right: {options[answer]}. {explanation}"
    return False, f"Not quite: “{options[choice]}” is not it. Think again, then try another option."


def feedback_for_several(chosen: Collection[int], answer: Collection[int], explanation: str) -> tuple[bool, str]:
    """Return (correct?, feedback text) for ticking the options ``chosen`` of an all-that-apply question.

    The feedback says how many ticks are wrong and how many right options are missing, not which:
    the student thinks again.

    Example:
        >>> feedback_for_several({0, 1}, {0, 1}, "Both.")
        (True, 'Right. Both.')
        >>> feedback_for_several({0}, {0, 1}, "Both.")
        (False, 'Not yet: 1 right option is not ticked. Think again, then check again.')
    """
    chosen, answer = set(chosen), set(answer)
    if chosen == answer:
        return True, f"Right. {explanation}"
    wrong, missing = len(chosen - answer), len(answer - chosen)
    parts = []
    if wrong:
        parts.append(f"{wrong} ticked option{'s are' if wrong > 1 else ' is'} not right")
    if missing:
        parts.append(f"{missing} right option{'s are' if missing > 1 else ' is'} not ticked")
    return False, f"Not yet: {' and '.join(parts)}. Think again, then check again."


def _checked_answer(answer: int | Collection[int], count: int) -> int | frozenset[int]:
    """Return the answer as an index or a set of indices, or raise a clear ValueError."""
    def is_index(value: object) -> bool:
        return not isinstance(value, bool) and isinstance(value, int) and 0 <= value < count

    if is_index(answer):
        return answer  # type: ignore[return-value]
    if isinstance(answer, Collection) and not isinstance(answer, str) and answer and all(map(is_index, answer)):
        return frozenset(answer)
    raise ValueError(f"answer must be the index of the right option (0 to {count - 1}) or a set of such "
                     f"indices for a question with several right options, got {answer!r}.")


def reflect(question: str, options: Sequence[str], answer: int | Collection[int], explanation: str) -> object | None:
    """Show a multiple-choice question whose buttons give immediate feedback; return the widget (``None`` headless).

    ``answer`` is the index of the right option among two or more ``options``, or a set of indices
    when several are right (the student ticks all that apply and checks); ``explanation`` says why,
    once the student finds it. Fewer than two options or an index out of range is a ValueError.

    Example:
        >>> _ = reflect("2 + 2?", ["3", "4"], answer=1, explanation="Counting.")  # doctest: +ELLIPSIS
        Reflect: 2 + 2?...
        >>> _ = reflect("Even?", ["2", "3", "4"], answer={0, 2}, explanation="2 and 4.")  # doctest: +ELLIPSIS
        Reflect (tick all that apply): Even?...
    """
    options = [str(option) for option in options]
    if len(options) < 2:
        raise ValueError("reflect() needs at least two options.")
    answer = _checked_answer(answer, len(options))
    several = isinstance(answer, frozenset)
    heading = "Reflect (tick all that apply)" if several else "Reflect"
    if environment.is_headless():
        lines = [f"{heading}: {question}"] + [f"  ({chr(97 + i)}) {option}" for i, option in enumerate(options)]
        print("\n".join(lines))
        return None
    import ipywidgets as widgets  # noqa: PLC0415
    from IPython.display import display  # noqa: PLC0415

    feedback = widgets.HTML(value="")

    def show(correct: bool, text: str) -> None:
        colour = "#1b5e20" if correct else "#b71c1c"
        feedback.value = f'<span style="color:{colour}">{"✅" if correct else "❌"} {html.escape(text)}</span>'

    if several:
        boxes = [widgets.Checkbox(value=False, description=f"({chr(97 + index)}) {option}", indent=False,
                                  layout=widgets.Layout(width="auto")) for index, option in enumerate(options)]
        check = widgets.Button(description="Check", button_style="info")
        check.on_click(lambda _: show(*feedback_for_several(
            {index for index, box in enumerate(boxes) if box.value}, answer, explanation)))
        controls = [*boxes, check]
    else:
        controls = []
        for index, option in enumerate(options):
            button = widgets.Button(description=f"({chr(97 + index)}) {option}", layout=widgets.Layout(width="auto"))
            button.on_click(lambda _, index=index: show(*feedback_for(index, answer, explanation, options)))
            controls.append(button)
    box = widgets.VBox([widgets.HTML(value=f"<b>{heading}:</b> {html.escape(question)}"), *controls, feedback])
    display(box)
    return box
