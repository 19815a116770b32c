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

The notebook does the work; the script reads the course's bars from its threshold registry.

Portability: the copies shipped here leave out the layer settings that Keras 3.14+ writes
and Keras 3.12/3.13 (Colab) refuse, where they hold their default values (see ``_shipping.py``);
the script checks that each copy computes exactly what the original does. (Checked: the
shipped files load and agree in Keras 3.12.0, 3.13.2 and 3.15.1.)
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

from _shipping import (
    HERE,
    ROOT,
    copy_file,
    parse_arguments,
    run_notebook,
    write_portable_copy,
)

SAVED = {  # file the notebook writes in <results dir>/generators/  ->  file shipped here
    "06_road_signs_generator.keras": "road_signs_generator.keras",
    "06_road_signs_discriminator.keras": "road_signs_discriminator.keras",
    "06_road_signs_generator.json": "road_signs_generator.json",
}
# The facts the notebook saves, by the key of the course's bar that each must meet.
CHECKED_FACTS = {"fid_sign_judge": "road_signs_fid", "share_judged_speed_limit_30": "road_signs_share_30",
                 "precision": "road_signs_precision", "recall": "road_signs_recall"}


def missed_bars(facts: dict) -> list[str]:
    """The course's bars (from its threshold registry) that the saved generator misses."""
    from course_utils.metrics.judges import JUDGE_VERSION
    from course_utils.metrics.thresholds import THRESHOLDS

    missed = [] if facts.get("mode") == "full" else [f"mode {facts.get('mode')!r}, not full"]
    if facts.get("judge_version") != JUDGE_VERSION:
        missed.append(f"measured by sign judge {facts.get('judge_version', '1')}, not {JUDGE_VERSION}")
    for fact, key in CHECKED_FACTS.items():
        if fact not in facts or not THRESHOLDS[key].passes(facts[fact]):
            missed.append(f"{fact} {facts.get(fact)} (bar {THRESHOLDS[key].value})")
    return missed


def check_same_outputs(original: Path, copy: Path) -> None:
    """Load both files and make sure they compute the same thing on a few random inputs."""
    import keras
    import numpy as np

    first, second = keras.models.load_model(original), keras.models.load_model(copy)
    inputs = np.random.default_rng(0).normal(size=(4, *first.input_shape[1:])).astype("float32")
    if not np.allclose(first(inputs, training=False), second(inputs, training=False), atol=1e-6):
        raise SystemExit(f"The portable copy of {original.name} computes something else; nothing was replaced.")


def copy_networks(results_dir: Path) -> None:
    """Check the saved facts and copy the three files here, each atomically."""
    saved = results_dir / "generators"
    if not (saved / "06_road_signs_generator.json").is_file():
        raise SystemExit(f"No generator saved by notebook 06 in {saved}: run notebook 06 in full mode first "
                         "(or leave out --copy-only).")
    facts = json.loads((saved / "06_road_signs_generator.json").read_text(encoding="utf-8"))
    missed = missed_bars(facts)
    if missed:
        raise SystemExit(f"The saved generator does not meet the course's bar ({'; '.join(missed)}); nothing copied.")
    for source_name, target_name in SAVED.items():
        target = HERE / target_name
        if source_name.endswith(".keras"):
            write_portable_copy(saved / source_name, target, check_same_outputs)
        else:
            copy_file(saved / source_name, target)
        print(f"  {target.relative_to(ROOT)}  ({target.stat().st_size / 1e6:.2f} MB)")
    print(f"FID {facts['fid_sign_judge']:.3f}, judged speed-limit-30 {facts['share_judged_speed_limit_30']:.1%}, "
          f"{facts['steps']} steps in {facts['training_seconds']:.0f} s of training.")


def main() -> None:
    arguments = parse_arguments(__doc__.splitlines()[0], "06")
    with tempfile.TemporaryDirectory(prefix="pretrained-06-") as work:
        work_dir = Path(work)
        data_dir = (arguments.data_dir or work_dir / "data").resolve()
        results_dir = (arguments.results_dir or work_dir / "results").resolve()
        if not arguments.copy_only:
            run_notebook("06", data_dir, results_dir, (arguments.executed or work_dir / "executed").resolve())
        copy_networks(results_dir)


if __name__ == "__main__":
    main()
