"""Reflect questions: multiple choice with immediate feedback, as in the lecture's quizzes.

Works with ipywidgets 7.7.1 (Colab) and 8.x: one core ``Button`` per option and an ``HTML``
feedback line. In a headless run (tests, ``build execute``) it prints the question and options.
"""

from __future__ import annotations

import html
from collections.abc import Sequence

from course_utils import environment


def feedback_for(choice: int, answer: int, explanation: str, options: Sequence[str]) -> tuple[bool, str]:
    """Return (correct?, feedback text) for choosing option ``choice``.

    Example:
        >>> feedback_for(1, 1, "Because.", ["a", "b"])
        (True, 'Right: b. Because.')
    """
    if not 0 <= choice < len(options):
        raise ValueError(f"choice must be between 0 and {len(options) - 1}, got {choice}.")
    if choice == answer:
        return True, f"Right: {options[answer]}. {explanation}"
    return False, f"Not quite: “{options[choice]}” is not it. Think again, then try another option."


def reflect(question: str, options: Sequence[str], answer: int, explanation: str) -> object | None:
    """Show a multiple-choice question whose buttons give immediate feedback.

    Args:
        question: the question.
        options: two or more possible answers.
        answer: index of the right option.
        explanation: why it is right, shown once the student picks it.

    Returns:
        The widget (interactive) or ``None`` (headless).

    Raises:
        ValueError: for fewer than two options or an answer index out of range.

    Example:
        >>> _ = reflect("2 + 2?", ["3", "4"], answer=1, explanation="Counting.")  # doctest: +ELLIPSIS
        Reflect: 2 + 2?...
    """
    options = [str(option) for option in options]
    if len(options) < 2:
        raise ValueError("reflect() needs at least two options.")
    if isinstance(answer, bool) or not isinstance(answer, int) or not 0 <= answer < len(options):
        raise ValueError(f"answer must be the index of the right option (0 to {len(options) - 1}), got {answer!r}.")
    if environment.is_headless():
        lines = [f"Reflect: {question}"] + [f"  ({chr(97 + i)}) {option}" for i, option in enumerate(options)]
        print("\n".join(lines))
        return None
    import ipywidgets as widgets  # noqa: PLC0415
    from IPython.display import display  # noqa: PLC0415

    feedback = widgets.HTML(value="")
    buttons = []
    for index, option in enumerate(options):
        button = widgets.Button(description=f"({chr(97 + index)}) {option}", layout=widgets.Layout(width="auto"))

        def on_click(_: object, index: int = index) -> None:
            correct, text = feedback_for(index, answer, explanation, options)
            colour = "#1b5e20" if correct else "#b71c1c"
            feedback.value = f'<span style="color:{colour}">{"✅" if correct else "❌"} {html.escape(text)}</span>'

        button.on_click(on_click)
        buttons.append(button)
    box = widgets.VBox([widgets.HTML(value=f"<b>Reflect:</b> {html.escape(question)}"), *buttons, feedback])
    display(box)
    return box
