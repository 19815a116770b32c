import nbformat
import pytest

from course_utils.build.strip import MarkerError, make_student_notebook, strip_source


def test_nested_indentation_keeps_the_markers_indentation():
    source = (
        "class Model:\n"
        "    def step(self, x):\n"
        "        y = x + 1\n"
        "        ### BEGIN SOLUTION\n"
        "        for i in range(3):\n"
        "            y = y * 2\n"
        "        return y\n"
        "        ### END SOLUTION\n"
    )
    assert strip_source(source, "code", "nb") == (
        "class Model:\n"
        "    def step(self, x):\n"
        "        y = x + 1\n"
        "        # YOUR CODE HERE\n"
        "        raise NotImplementedError()"
    )


def test_several_regions_in_one_cell():
    source = "a = 1\n### BEGIN SOLUTION\nb = 2\n### END SOLUTION\nc = 3\n\tdef f():\n\t### BEGIN SOLUTION\n\treturn 4\n\t### END SOLUTION"
    assert strip_source(source, "code", "nb") == (
        "a = 1\n# YOUR CODE HERE\nraise NotImplementedError()\nc = 3\n\tdef f():\n\t# YOUR CODE HERE\n\traise NotImplementedError()"
    )


def test_markdown_regions_become_an_answer_line():
    source = "**Why does JS saturate?**\n\n### BEGIN SOLUTION\nBecause the supports do not overlap.\n### END SOLUTION\n\nNext."
    assert strip_source(source, "markdown", "nb") == "**Why does JS saturate?**\n\n_Your answer here._\n\nNext."


def test_hidden_tests_are_removed():
    source = "check(f)\n### BEGIN HIDDEN TESTS\nassert f(2) == 4\n### END HIDDEN TESTS\nprint('done')"
    assert strip_source(source, "code", "nb") == "check(f)\nprint('done')"


def test_text_that_mentions_a_marker_mid_line_is_left_alone():
    source = "print('### BEGIN SOLUTION')"
    assert strip_source(source, "code", "nb") == source


@pytest.mark.parametrize(
    "source, words",
    [
        ("x = 1\n### BEGIN SOLUTION\ny = 2", "line 2 is never closed"),
        ("### END SOLUTION", "no matching begin marker"),
        ("### BEGIN SOLUTION\n### BEGIN HIDDEN TESTS\n### END HIDDEN TESTS\n### END SOLUTION", "inside"),
        ("### BEGIN HIDDEN TESTS\n### END SOLUTION", "expected '### END HIDDEN TESTS'"),
    ],
)
def test_unbalanced_markers_are_clear_errors(source, words):
    with pytest.raises(MarkerError, match=words):
        strip_source(source, "code", "notebooks/solutions/01_sin_gan.ipynb, cell 4")


def test_error_names_notebook_and_cell():
    notebook = nbformat.v4.new_notebook(
        cells=[nbformat.v4.new_markdown_cell("# T"), nbformat.v4.new_code_cell("### BEGIN SOLUTION\nx = 1")]
    )
    cell_id = notebook.cells[1].id
    with pytest.raises(MarkerError, match=rf"01_sin_gan.ipynb, cell 1 \(id {cell_id}\)"):
        make_student_notebook(notebook, "notebooks/solutions/01_sin_gan.ipynb")


def test_student_notebook_keeps_ids_tags_and_form_fields_and_drops_outputs():
    code = nbformat.v4.new_code_cell(
        "# @title Train { display-mode: \"form\" }\nsteps = 100  # @param {type:\"integer\"}\n### BEGIN SOLUTION\nx = 1\n### END SOLUTION",
        execution_count=7,
        outputs=[nbformat.v4.new_output("stream", text="hi")],
    )
    code.metadata["tags"] = ["exercise"]
    code.metadata["execution"] = {"iopub.status.busy": "2026"}
    solution = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("# T"), code])
    solution.metadata["widgets"] = {"state": {}}
    student = make_student_notebook(solution, "nb")
    cell = student.cells[1]
    assert cell.id == code.id and cell.metadata["tags"] == ["exercise"]
    assert cell.source.startswith('# @title Train { display-mode: "form" }\nsteps = 100  # @param {type:"integer"}')
    assert cell.outputs == [] and cell.execution_count is None and "execution" not in cell.metadata
    assert "widgets" not in student.metadata
    # the solution itself is untouched
    assert solution.cells[1].execution_count == 7 and "x = 1" in solution.cells[1].source
