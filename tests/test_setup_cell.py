"""The setup cell's Colab branch, simulated: a fake `google.colab` module and a local git repository."""

import json
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from course_utils.build.settings import CourseSettings, load_settings, setup_cell_source
from course_utils.colab import PROTECTED_DISTRIBUTIONS, install_missing_packages, missing_requirements
from course_utils.config import course_root

ROOT = course_root()


@pytest.fixture(scope="module")
def published_course(tmp_path_factory):
    """A git repository holding the course's package, standing in for GitHub."""
    source = tmp_path_factory.mktemp("published") / "keras-gan-course"
    shutil.copytree(ROOT / "course_utils", source / "course_utils", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", source / "pyproject.toml")
    (source / "notebooks").mkdir()
    (source / "notebooks" / "README.md").write_text("lessons\n")  # git keeps no empty folders
    (source / "data").mkdir()
    (source / "data" / "shipped.txt").write_text("shipped with the course\n")
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.com", "-c", "init.defaultBranch=main"]
    subprocess.run([*git, "init", "--quiet", str(source)], check=True)
    subprocess.run([*git, "-C", str(source), "add", "-A"], check=True)
    subprocess.run([*git, "-C", str(source), "commit", "--quiet", "-m", "course"], check=True)
    return source


def run_setup_cell_as_colab(cell: str, content: Path, workdir: Path) -> dict:
    """Run the cell in a fresh Python that believes it is Colab; report what happened."""
    script = textwrap.dedent(
        """
        import json, subprocess, sys, types
        import tensorflow, keras, numpy, matplotlib  # before faking Colab: `google` is protobuf's namespace
        sys.modules["google.colab"] = types.ModuleType("google.colab")
        pip_calls = []
        real_run = subprocess.run
        def recording_run(command, *args, **kwargs):
            if "pip" in command:
                pip_calls.append(list(command))
                return subprocess.CompletedProcess(command, 0)
            return real_run(command, *args, **kwargs)
        subprocess.run = recording_run
        before = {m.__name__: m.__version__ for m in (tensorflow, keras, numpy, matplotlib)}
        exec(compile(open(sys.argv[1]).read(), "setup-cell", "exec"))
        import course_utils.config
        print(json.dumps({
            "course_utils": course_utils.__file__,
            "shipped": str(course_utils.config.shipped_data_dir("shipped.txt")),
            "pip_calls": pip_calls,
            "unchanged": before == {m.__name__: m.__version__ for m in (tensorflow, keras, numpy, matplotlib)},
            "notebook": course.notebook,
        }))
        """
    )
    cell_file = workdir / "cell.py"
    cell_file.write_text(cell)
    env = {"COURSE_COLAB_HOME": str(content), "COURSE_HEADLESS": "1", "PATH": "/usr/bin:/bin",
           "COURSE_DATA_DIR": str(workdir / "data"), "COURSE_RESULTS_DIR": str(workdir / "results"), "HOME": str(workdir)}
    completed = subprocess.run([sys.executable, "-c", script, str(cell_file)], cwd=workdir, env=env,
                               capture_output=True, text=True, timeout=300)
    assert completed.returncode == 0, completed.stderr[-3000:]
    return json.loads(completed.stdout.strip().splitlines()[-1])


def test_colab_branch_clones_once_and_imports_without_reinstalling(published_course, tmp_path):
    settings = CourseSettings(repository="https://github.com/keras-gan-course/keras-gan-course", branch="main")
    cell = setup_cell_source(settings, "01_sin_gan").replace(settings.repository, str(published_course))
    content = tmp_path / "content"
    first = run_setup_cell_as_colab(cell, content, tmp_path)
    clone = content / "keras-gan-course"
    assert first["course_utils"].startswith(str(clone))
    assert Path(first["shipped"]).read_text() == "shipped with the course\n"
    assert first["pip_calls"] == []  # everything the course needs is installed; nothing protected is touched
    assert first["unchanged"] and first["notebook"] == "01_sin_gan"
    # Running the cell again (a second notebook in the same runtime) reuses the clone.
    (clone / "marker").write_text("still here")
    second = run_setup_cell_as_colab(cell, content, tmp_path)
    assert second["course_utils"].startswith(str(clone)) and (clone / "marker").exists()


def test_setup_cell_outside_colab_only_imports(tmp_path):
    cell = setup_cell_source(load_settings(ROOT / "pyproject.toml"), "00_start_here")
    namespace: dict = {}
    exec(compile(cell, "setup-cell", "exec"), namespace)
    assert namespace["course"].notebook == "00_start_here"
    assert "course_root" not in namespace  # the Colab branch did not run


def test_missing_requirements_never_include_what_colab_ships(tmp_path):
    (tmp_path / "pyproject.toml").write_text(
        '[project]\nname = "x"\ndependencies = ["tensorflow-cpu>=2.20", "keras>=3.12", "numpy>=1.26", '
        '"matplotlib>=3.8", "ipywidgets>=7.7.1", "Some_Package>=1.0", "tomli>=2; python_version < \'3.0\'"]\n'
    )
    assert missing_requirements(tmp_path, is_installed=lambda name: False) == ["Some_Package>=1.0"]
    commands = []
    assert install_missing_packages(tmp_path, run=lambda command, check: commands.append(command),
                                    is_installed=lambda name: False) == ["Some_Package>=1.0"]
    assert commands == [[sys.executable, "-m", "pip", "install", "--quiet", "Some_Package>=1.0"]]
    assert {"tensorflow", "keras", "numpy", "matplotlib", "ipywidgets"} <= PROTECTED_DISTRIBUTIONS


def test_the_courses_own_requirements_are_installed_here():
    assert missing_requirements(ROOT) == []
