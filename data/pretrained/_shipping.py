"""What the regenerate scripts in this folder share: run a notebook in full mode, copy a .keras file portably.

``train_sign_generator.py`` (notebook 06) and ``train_conditional_sign_generator.py`` (notebook 09)
both execute their notebook with fresh data and results folders and ship what it saved. Run as
scripts (``python data/pretrained/train_sign_generator.py``), they find this module beside them.

Portability: a ``.keras`` file lists every setting of every layer, and Keras 3.14+ writes
settings that Keras 3.12 and 3.13 (Colab) do not know (``quantization_config``, the
initializers' ``input_axes``/``output_axes``, batch normalisation's ``renorm*``), so they refuse
the file. When these settings hold their default values they change nothing, so the copies
shipped here leave them out, and the scripts check that a copy computes exactly what the
original does.

It imports nothing from ``course_utils``: the notebooks do the work.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import zipfile
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
# Settings newer Keras versions write, with the default value that makes leaving them out harmless.
NEWER_KERAS_SETTINGS = {"quantization_config": None, "input_axes": None, "output_axes": None,
                        "renorm": False, "renorm_clipping": None, "renorm_momentum": 0.99}


def run_notebook(number: str, data_dir: Path, results_dir: Path, executed: Path) -> None:
    """Execute notebook ``number`` in full mode with these data and results folders; exit if it fails.

    Example: ``run_notebook("06", Path("/tmp/data"), Path("/tmp/results"), Path("/tmp/executed"))``
    """
    environment = dict(os.environ, COURSE_DATA_DIR=str(data_dir), COURSE_RESULTS_DIR=str(results_dir))
    command = [sys.executable, "-m", "course_utils.build", "execute", number, "--mode", "full",
               "--output", str(executed)]
    print("Running:", " ".join(command), f"(COURSE_DATA_DIR={data_dir}, COURSE_RESULTS_DIR={results_dir})", flush=True)
    finished = subprocess.run(command, cwd=ROOT, env=environment, check=False)
    if finished.returncode != 0:
        raise SystemExit(f"Notebook {number} failed or missed its quality checks (exit code {finished.returncode}); "
                         "nothing was copied. See the executed notebook in " + str(executed))


def without_newer_settings(node: object) -> object:
    """The model config without the settings in NEWER_KERAS_SETTINGS that hold their default value.

    Example: ``without_newer_settings({"units": 4, "quantization_config": None}) == {"units": 4}``
    """
    if isinstance(node, dict):
        return {key: without_newer_settings(value) for key, value in node.items()
                if not (key in NEWER_KERAS_SETTINGS and value == NEWER_KERAS_SETTINGS[key])}
    if isinstance(node, list):
        return [without_newer_settings(value) for value in node]
    return node


def write_portable_copy(source: Path, target: Path, check_same_outputs: Callable[[Path, Path], None]) -> None:
    """Copy a .keras file to ``target`` (atomically) with a config older Keras 3 versions accept.

    ``check_same_outputs(original, copy)`` loads both and raises if they compute different things;
    the copy replaces ``target`` only after it passed.
    Example: ``write_portable_copy(saved, HERE / "road_signs_generator.keras", same_on_random_inputs)``
    """
    temporary = target.with_name(f".partial-{target.name}")
    with zipfile.ZipFile(source) as archive_in, zipfile.ZipFile(temporary, "w") as archive_out:
        for entry in archive_in.infolist():
            content = archive_in.read(entry.filename)
            if entry.filename == "config.json":
                content = json.dumps(without_newer_settings(json.loads(content))).encode("utf-8")
            archive_out.writestr(entry, content)
    try:
        check_same_outputs(source, temporary)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    os.replace(temporary, target)


def copy_file(source: Path, target: Path) -> None:
    """Copy a file to ``target`` atomically (a temporary file beside it, then ``os.replace``).

    Example: ``copy_file(saved / "06_road_signs_generator.json", HERE / "road_signs_generator.json")``
    """
    temporary = target.with_name(f".partial-{target.name}")
    shutil.copyfile(source, temporary)
    os.replace(temporary, target)


def parse_arguments(description: str, notebook: str) -> argparse.Namespace:
    """The command line both scripts take: --data-dir, --results-dir, --executed, --copy-only.

    Example: ``arguments = parse_arguments(__doc__.splitlines()[0], "06")``
    """
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--data-dir", type=Path, default=None,
                        help="COURSE_DATA_DIR for the run (default: a fresh temporary folder; the sign judge is trained once)")
    parser.add_argument("--executed", type=Path, default=None,
                        help="keep the executed notebook (with its pictures) in this folder")
    parser.add_argument("--results-dir", type=Path, default=None,
                        help="COURSE_RESULTS_DIR for the run, where the notebook saves its networks "
                             "(default: a fresh temporary folder; with --copy-only it is required)")
    parser.add_argument("--copy-only", action="store_true",
                        help=f"do not run notebook {notebook}: copy what a full-mode run already saved in --results-dir")
    arguments = parser.parse_args()
    if arguments.copy_only and arguments.results_dir is None:
        parser.error("--copy-only needs --results-dir: the results folder of the run whose networks to copy.")
    return arguments
