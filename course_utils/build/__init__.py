"""Instructor tooling: build student notebooks, execute solutions, check everything.

Run it as ``python -m course_utils.build {students,execute,check,report}`` (or the Make
targets of the same names). Solution notebooks in ``notebooks/solutions/`` are the source of
truth; everything else is generated from them.
"""
