"""Friendly checks for exercises: what is wrong and a hint, never a bare assertion error.

A check cell reads::

    with exercise("Exercise 1: the sigmoid") as check:
        check.that(callable(sigmoid), "Define a function called `sigmoid`.")
        check.close(sigmoid(0.0), 0.5, "sigmoid(0) should be 0.5.", hint="1 / (1 + e^0) = ?")

If the student has not written the code yet (``NotImplementedError``) or a name is missing
(``NameError``), the check says so instead of showing a traceback. In the course's tests
(``COURSE_STRICT_CHECKS=1``) a failed check raises :class:`ExerciseCheckFailed`, so a broken
solution notebook fails its test.
"""

from __future__ import annotations

import os
import traceback
from types import TracebackType
from typing import Any

import numpy as np

STRICT_VARIABLE = "COURSE_STRICT_CHECKS"


class ExerciseCheckFailed(AssertionError):
    """Raised by a failed check only in strict mode (the course's own tests)."""


class NotYet(Exception):
    """Raised inside an :func:`exercise` block to stop at the first failed expectation."""

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


def _strict() -> bool:
    return os.environ.get(STRICT_VARIABLE, "").strip().lower() in ("1", "true", "yes")


class ExerciseCheck:
    """Expectations for one exercise; the first one that fails stops the check."""

    def __init__(self, title: str) -> None:
        self.title = title
        self.passed: bool | None = None
        self.message: str = ""

    def that(self, condition: Any, message: str, hint: str | None = None) -> None:
        """Expect ``condition`` to be true; otherwise say ``message`` (and the hint)."""
        if not bool(condition):
            raise NotYet(message, hint)

    def close(self, actual: Any, expected: Any, message: str, hint: str | None = None, tolerance: float = 1e-4) -> None:
        """Expect numbers or arrays to match within ``tolerance`` (absolute and relative)."""
        try:
            actual_array = np.asarray(actual, dtype="float64")
            expected_array = np.asarray(expected, dtype="float64")
        except (TypeError, ValueError):
            raise NotYet(f"{message} (got {actual!r}, which is not a number or array)", hint) from None
        if actual_array.shape != expected_array.shape:
            raise NotYet(f"{message} (expected shape {expected_array.shape}, got {actual_array.shape})", hint)
        if not np.allclose(actual_array, expected_array, atol=tolerance, rtol=tolerance):
            shown = actual_array if actual_array.size <= 8 else f"an array of shape {actual_array.shape}"
            raise NotYet(f"{message} (got {shown}, expected {expected_array if expected_array.size <= 8 else 'something else'})", hint)

    def shape(self, array: Any, expected_shape: tuple[int | None, ...], what: str) -> None:
        """Expect ``array`` to have ``expected_shape`` (``None`` matches any size)."""
        actual = tuple(np.shape(array))
        if len(actual) != len(expected_shape) or any(e is not None and a != e for a, e in zip(actual, expected_shape)):
            raise NotYet(f"{what} should have shape {expected_shape}, but it has shape {actual}.")


class exercise:  # noqa: N801 - used like a function in a `with` statement
    """Context manager that runs the expectations of one exercise and reports in words.

    Example:
        >>> with exercise("Exercise 0: adding") as check:
        ...     check.that(1 + 1 == 2, "1 + 1 should be 2.")
        ✅ Exercise 0: adding — well done!
    """

    def __init__(self, title: str) -> None:
        if not isinstance(title, str) or not title.strip():
            raise ValueError("exercise() needs a title, e.g. 'Exercise 1: the sigmoid'.")
        self.check = ExerciseCheck(title)

    def __enter__(self) -> ExerciseCheck:
        return self.check

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> bool:
        title = self.check.title
        if exc_type is None:
            self.check.passed = True
            print(f"✅ {title} — well done!")
            return False
        if not isinstance(exc, Exception):  # KeyboardInterrupt, SystemExit: not the student's answer
            return False
        hint = exc.hint if isinstance(exc, NotYet) else None
        if isinstance(exc, NotYet):
            message = exc.message
        elif isinstance(exc, NotImplementedError):
            message = ("the exercise cell still raises NotImplementedError: replace the `# YOUR CODE HERE` line with your "
                       "code and run that cell again.")
        elif isinstance(exc, NameError):
            message = f"{exc}. Did you run the exercise cell above (and the cells before it)?"
        else:
            frame = traceback.extract_tb(tb)[-1] if tb is not None else None
            where = f" (line {frame.lineno})" if frame is not None else ""
            message = f"your code raised {exc_type.__name__}: {exc}{where}"
        self.check.passed = False
        self.check.message = message
        print(f"❌ {title} — not yet: {message}")
        if hint:
            print(f"   Hint: {hint}")
        if _strict():
            raise ExerciseCheckFailed(f"{title}: {message}") from None
        return True
