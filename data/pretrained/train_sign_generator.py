"""Regenerate the pretrained road-sign GAN in this folder: run notebook 06 in full mode, copy its networks.

The recipe lives in one place, notebook 06 (``notebooks/solutions/06_dcgan_road_signs.ipynb``):
this script executes it in full mode (``python -m course_utils.build execute 06 --mode full``)
with fresh data and results folders, checks that its quality checks passed, and copies the two
networks it saved (in ``<results folder>/generators/``), with their facts, here:

    road_signs_generator.keras      noise (n, 100) ~ N(0, 1)  ->  images (n, 32, 32, 3) in [-1, 1]
    road_signs_discriminator.keras  images (n, 32, 32, 3) in [-1, 1]  ->  P(real), shape (n, 1)
    road_signs_generator.json       how it was trained: steps, time, FID, judged share, curves

Usage, from the repository root (about 10 minutes on a 2-core CPU, 2-3 on a GPU):

    python data/pretrained/train_sign_generator.py
    python data/pretrained/train_sign_generator.py --data-dir data/cache   # reuse cached judges
    python data/pretrained/train_sign_generator.py --copy-only --results-dir results
        # just copy what your own full-mode run of notebook 06 saved in results/generators

It imports nothing from ``course_utils`` itself; the notebook does the work.

Portability: a ``.keras`` file lists every setting of every layer, and Keras 3.14+ writes
settings that Keras 3.12 and 3.13 (Colab) do not know (``quantization_config``, the
initializers' ``input_axes``/``output_axes``, batch normalisation's ``renorm*``), so they refuse
the file. When these settings hold their default values they change nothing, so the copies
shipped here leave them out; the script checks that the copy computes exactly what the
original does. (Checked: the shipped files load and agree in Keras 3.12.0, 3.13.2 and 3.15.1.)
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
SAVED = {  # file the notebook writes in <results dir>/generators/  ->  file shipped here
    "06_road_signs_generator.keras": "road_signs_generator.keras",
    "06_road_signs_discriminator.keras": "road_signs_discriminator.keras",
    "06_road_signs_generator.json": "road_signs_generator.json",
}
# Settings newer Keras versions write, with the default value that makes leaving them out harmless.
NEWER_KERAS_SETTINGS = {"quantization_config": None, "input_axes": None, "output_axes": None,
                        "renorm": False, "renorm_clipping": None, "renorm_momentum": 0.99}
FID_THRESHOLD = 3.0
SHARE_THRESHOLD = 0.8


def run_notebook(data_dir: Path, results_dir: Path, executed: Path) -> None:
    """Execute notebook 06 in full mode with these COURSE_DATA_DIR and COURSE_RESULTS_DIR; raise if it fails."""
    environment = dict(os.environ, COURSE_DATA_DIR=str(data_dir), COURSE_RESULTS_DIR=str(results_dir))
    command = [sys.executable, "-m", "course_utils.build", "execute", "06", "--mode", "full",
               "--output", str(executed)]
    print("Running:", " ".join(command), f"(COURSE_DATA_DIR={data_dir}, COURSE_RESULTS_DIR={results_dir})", flush=True)
    finished = subprocess.run(command, cwd=ROOT, env=environment, check=False)
    if finished.returncode != 0:
        raise SystemExit(f"Notebook 06 failed or missed its quality checks (exit code {finished.returncode}); "
                         "nothing was copied. See the executed notebook in " + str(executed))


def without_newer_settings(node: object) -> object:
    """The model config without the settings in NEWER_KERAS_SETTINGS that hold their default value."""
    if isinstance(node, dict):
        return {key: without_newer_settings(value) for key, value in node.items()
                if not (key in NEWER_KERAS_SETTINGS and value == NEWER_KERAS_SETTINGS[key])}
    if isinstance(node, list):
        return [without_newer_settings(value) for value in node]
    return node


def write_portable_copy(source: Path, target: Path) -> None:
    """Copy a .keras file to ``target`` (atomically) with a config older Keras 3 versions accept."""
    temporary = target.with_name(f".partial-{target.name}")
    with zipfile.ZipFile(source) as archive_in, zipfile.ZipFile(temporary, "w") as archive_out:
        for entry in archive_in.infolist():
            content = archive_in.read(entry.filename)
            if entry.filename == "config.json":
                content = json.dumps(without_newer_settings(json.loads(content))).encode("utf-8")
            archive_out.writestr(entry, content)
    check_same_outputs(source, temporary)
    os.replace(temporary, target)


def check_same_outputs(original: Path, copy: Path) -> None:
    """Load both files and make sure they compute the same thing on a few random inputs."""
    import keras
    import numpy as np

    first, second = keras.models.load_model(original), keras.models.load_model(copy)
    inputs = np.random.default_rng(0).normal(size=(4, *first.input_shape[1:])).astype("float32")
    if not np.allclose(first(inputs, training=False), second(inputs, training=False), atol=1e-6):
        copy.unlink()
        raise SystemExit(f"The portable copy of {original.name} computes something else; nothing was replaced.")


def copy_networks(results_dir: Path) -> None:
    """Check the saved facts and copy the three files here, each atomically."""
    saved = results_dir / "generators"
    if not (saved / "06_road_signs_generator.json").is_file():
        raise SystemExit(f"No generator saved by notebook 06 in {saved}: run notebook 06 in full mode first "
                         "(or leave out --copy-only).")
    facts = json.loads((saved / "06_road_signs_generator.json").read_text(encoding="utf-8"))
    if facts["mode"] != "full" or facts["fid_sign_judge"] > FID_THRESHOLD or facts["share_judged_speed_limit_30"] < SHARE_THRESHOLD:
        raise SystemExit(f"The saved generator does not meet the course's bar ({facts['mode']} mode, FID "
                         f"{facts['fid_sign_judge']}, judged share {facts['share_judged_speed_limit_30']}); nothing copied.")
    for source_name, target_name in SAVED.items():
        target = HERE / target_name
        if source_name.endswith(".keras"):
            write_portable_copy(saved / source_name, target)
        else:
            temporary = HERE / f".partial-{target_name}"
            shutil.copyfile(saved / source_name, temporary)
            os.replace(temporary, target)
        print(f"  {target.relative_to(ROOT)}  ({target.stat().st_size / 1e6:.2f} MB)")
    print(f"FID {facts['fid_sign_judge']:.3f}, judged speed-limit-30 {facts['share_judged_speed_limit_30']:.1%}, "
          f"{facts['steps']} steps in {facts['training_seconds']:.0f} s of training.")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", type=Path, default=None,
                        help="COURSE_DATA_DIR for the run (default: a fresh temporary folder; the sign judge is trained once)")
    parser.add_argument("--executed", type=Path, default=None,
                        help="keep the executed notebook (with its pictures) in this folder")
    parser.add_argument("--results-dir", type=Path, default=None,
                        help="COURSE_RESULTS_DIR for the run, where the notebook saves its networks "
                             "(default: a fresh temporary folder; with --copy-only it is required)")
    parser.add_argument("--copy-only", action="store_true",
                        help="do not run notebook 06: copy what a full-mode run already saved in --results-dir")
    arguments = parser.parse_args()
    if arguments.copy_only and arguments.results_dir is None:
        parser.error("--copy-only needs --results-dir: the results folder of the run whose networks to copy.")
    with tempfile.TemporaryDirectory(prefix="pretrained-06-") as work:
        work_dir = Path(work)
        data_dir = (arguments.data_dir or work_dir / "data").resolve()
        results_dir = (arguments.results_dir or work_dir / "results").resolve()
        if not arguments.copy_only:
            run_notebook(data_dir, results_dir, (arguments.executed or work_dir / "executed").resolve())
        copy_networks(results_dir)


if __name__ == "__main__":
    main()
