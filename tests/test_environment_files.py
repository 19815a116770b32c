"""pyproject.toml is the single list of requirements; environment.yml must agree with it."""

import sys

import yaml
from packaging.requirements import Requirement

from course_utils.config import course_root

if sys.version_info >= (3, 11):
    import tomllib
else:
    import tomli as tomllib

ROOT = course_root()


def lower_bounds(requirements):
    bounds = {}
    for text in requirements:
        requirement = Requirement(text)
        specifiers = [s for s in requirement.specifier]
        assert all(s.operator == ">=" for s in specifiers), f"{text}: pyproject/environment.yml use lower bounds only"
        bounds[requirement.name.lower().replace("_", "-")] = str(requirement.specifier)
    return bounds


def pyproject_requirements():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    extras = project["optional-dependencies"]
    return lower_bounds(project["dependencies"] + extras["cpu"] + extras["lab"] + extras["test"])


def environment_requirements():
    environment = yaml.safe_load((ROOT / "environment.yml").read_text())
    conda, pip = [], []
    for entry in environment["dependencies"]:
        if isinstance(entry, dict):
            pip += [item for item in entry["pip"] if not item.startswith("-")]
        elif entry not in ("pip",) and not entry.startswith("python"):
            conda.append(entry)
    return lower_bounds(conda + pip)


def test_environment_yml_lists_every_requirement_with_the_same_lower_bound():
    assert environment_requirements() == pyproject_requirements()


def test_tensorflow_is_never_a_hard_requirement():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    names = {Requirement(text).name for text in project["dependencies"]}
    assert not names & {"tensorflow", "tensorflow-cpu"}
    assert project["optional-dependencies"]["cpu"] == ["tensorflow-cpu>=2.20"]
    assert project["requires-python"] == ">=3.10"


def test_environment_yml_installs_the_course_package():
    environment = yaml.safe_load((ROOT / "environment.yml").read_text())
    pip = next(entry["pip"] for entry in environment["dependencies"] if isinstance(entry, dict))
    assert "-e ." in pip
