"""Turn a solution notebook into a student notebook.

- In code cells, lines between ``### BEGIN SOLUTION`` and ``### END SOLUTION`` become
  ``# YOUR CODE HERE`` and ``raise NotImplementedError()`` at the marker's indentation.
- In Markdown cells, such a region becomes one "your answer here" line.
- Lines between ``### BEGIN HIDDEN TESTS`` and ``### END HIDDEN TESTS`` are removed.
- Outputs, execution counts and saved widget state are cleared; cell ids, tags and Colab form
  fields are kept.
"""

from __future__ import annotations

import copy
import re

import nbformat

BEGIN_SOLUTION = "### BEGIN SOLUTION"
END_SOLUTION = "### END SOLUTION"
BEGIN_HIDDEN = "### BEGIN HIDDEN TESTS"
END_HIDDEN = "### END HIDDEN TESTS"
CODE_STUB = ("# YOUR CODE HERE", "raise NotImplementedError()")
MARKDOWN_STUB = "_Your answer here._"

_MARKER = re.compile(r"^(?P<indent>[ \t]*)(?P<marker>### (?:BEGIN|END) (?:SOLUTION|HIDDEN TESTS))\s*$")
_PAIRS = {BEGIN_SOLUTION: END_SOLUTION, BEGIN_HIDDEN: END_HIDDEN}


class MarkerError(ValueError):
    """Unbalanced or nested solution markers, with the notebook and cell they are in."""


def _where(notebook_name: str, index: int, cell: nbformat.NotebookNode) -> str:
    cell_id = cell.get("id")
    return f"{notebook_name}, cell {index}" + (f" (id {cell_id})" if cell_id else "")


def strip_source(source: str, cell_type: str, where: str) -> str:
    """Replace the marked regions of one cell's source.

    Raises:
        MarkerError: for a begin without end, an end without begin, or nested regions.

    Example:
        >>> print(strip_source("def f():\\n    ### BEGIN SOLUTION\\n    return 1\\n    ### END SOLUTION", "code", "x"))
        def f():
            # YOUR CODE HERE
            raise NotImplementedError()
    """
    output: list[str] = []
    open_marker: str | None = None
    open_line = 0
    for number, line in enumerate(source.splitlines(), start=1):
        match = _MARKER.match(line)
        if match is None:
            if open_marker is None:
                output.append(line)
            continue
        marker, indent = match["marker"], match["indent"]
        if marker in _PAIRS:
            if open_marker is not None:
                raise MarkerError(
                    f"{where}: '{marker}' on line {number} opens a region inside the "
                    f"'{open_marker}' region opened on line {open_line}. Close the first "
                    f"region with '{_PAIRS[open_marker]}' before opening another."
                )
            open_marker, open_line = marker, number
            if marker == BEGIN_SOLUTION:
                if cell_type == "code":
                    output.extend(indent + stub for stub in CODE_STUB)
                else:
                    output.append(indent + MARKDOWN_STUB)
        else:
            if open_marker is None or _PAIRS[open_marker] != marker:
                expected = f"'{_PAIRS[open_marker]}'" if open_marker else "no end marker"
                raise MarkerError(
                    f"{where}: '{marker}' on line {number} has no matching begin marker "
                    f"(expected {expected}). Add the begin marker or remove this line."
                )
            open_marker = None
    if open_marker is not None:
        raise MarkerError(
            f"{where}: '{open_marker}' on line {open_line} is never closed. Add "
            f"'{_PAIRS[open_marker]}' at the end of the region."
        )
    return "\n".join(output)


def clear_outputs(notebook: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """Remove outputs, execution counts and saved widget state, in place; return the notebook.

    Example:
        >>> nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("1", execution_count=3)])
        >>> clear_outputs(nb).cells[0].execution_count is None
        True
    """
    for cell in notebook.cells:
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
            cell.metadata.pop("execution", None)
    notebook.metadata.pop("widgets", None)
    return notebook


def make_student_notebook(solution: nbformat.NotebookNode, notebook_name: str) -> nbformat.NotebookNode:
    """Return the student version of a solution notebook (the input is not changed).

    Raises:
        MarkerError: naming the notebook and cell of unbalanced markers.

    Example:
        >>> nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("### BEGIN SOLUTION\\nx = 1\\n### END SOLUTION")])
        >>> make_student_notebook(nb, "demo").cells[0].source
        '# YOUR CODE HERE\\nraise NotImplementedError()'
    """
    student = copy.deepcopy(solution)
    for index, cell in enumerate(student.cells):
        if cell.cell_type in ("code", "markdown"):
            cell.source = strip_source(cell.source, cell.cell_type, _where(notebook_name, index, cell))
    return clear_outputs(student)
