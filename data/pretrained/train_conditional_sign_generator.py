"""Regenerate the pretrained conditional road-sign generator: run notebook 09 in full mode, copy its generator.

The recipe lives in one place, notebook 09 (``notebooks/solutions/09_conditional_road_signs.ipynb``):
this script executes it in full mode (``python -m course_utils.build execute 09 --mode full``)
with fresh data and results folders, checks that its quality checks passed, and copies the
generator it saved, with its facts, here:

    conditional_signs_generator.keras  [noise (n, 100) ~ N(0, 1), labels (n,) int]  ->  images (n, 32, 32, 3) in [-1, 1]
                                       labels: 0 speed_limit_30, 1 speed_limit_100, 2 stop, 3 no_trucks
    conditional_signs_generator.json   how it was trained: steps, time, accuracy and FID per class

Usage, from the repository root (5 to 10 minutes on a 2-core CPU, 1-2 on a GPU):

    python data/pretrained/train_conditional_sign_generator.py
    python data/pretrained/train_conditional_sign_generator.py --data-dir data/cache   # reuse cached judges
    python data/pretrained/train_conditional_sign_generator.py --copy-only --results-dir results
        # just copy what your own full-mode run of notebook 09 saved in results/

The notebook does the work; the script reads the course's bar from its threshold registry.

Portability: the copy shipped here leaves out the layer settings that Keras 3.14+ writes and
Keras 3.12/3.13 (Colab) refuse, where they hold their default values (see ``_shipping.py``);
the script checks that the copy computes exactly what the original does.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

from _shipping import HERE, ROOT, parse_arguments, run_notebook, write_portable_copy

SAVED_GENERATOR = "09_conditional_signs_generator.keras"  # what the notebook writes in its results folder
SAVED_FACTS = "09_conditional_signs_generator.json"
SHIPPED_GENERATOR = HERE / "conditional_signs_generator.keras"
SHIPPED_FACTS = HERE / "conditional_signs_generator.json"
CLASS_NAMES = ["speed_limit_30", "speed_limit_100", "stop", "no_trucks"]


def check_same_outputs(original: Path, copy: Path) -> None:
    """Load both generators and make sure they draw the same signs for a few noise vectors and labels."""
    import keras
    import numpy as np

    first, second = keras.models.load_model(original), keras.models.load_model(copy)
    noise_dimension = first.inputs[0].shape[-1]
    noise = np.random.default_rng(0).normal(size=(8, noise_dimension)).astype("float32")
    labels = np.arange(8, dtype="int32") % len(CLASS_NAMES)
    if not np.allclose(first([noise, labels], training=False), second([noise, labels], training=False), atol=1e-6):
        raise SystemExit(f"The portable copy of {original.name} computes something else; nothing was replaced.")


def check_facts(facts: dict) -> None:
    """Refuse a generator from a fast-mode run, with other classes, or below the course's bar."""
    from course_utils.metrics.judges import JUDGE_VERSION
    from course_utils.metrics.thresholds import THRESHOLDS

    worst = min(facts["accuracy_per_class"].values())
    if (facts["mode"] != "full" or facts["class_names"] != CLASS_NAMES or facts.get("judge_version") != JUDGE_VERSION
            or not THRESHOLDS["conditional_worst_class"].passes(worst)):
        raise SystemExit(f"The saved generator does not meet the course's bar ({facts['mode']} mode, classes "
                         f"{facts['class_names']}, sign judge {facts.get('judge_version', '1')}, worst class's "
                         f"accuracy {worst}); nothing copied.")


def copy_generator(results_dir: Path) -> None:
    """Check the saved facts and copy the generator and its facts here, each atomically."""
    if not (results_dir / SAVED_FACTS).is_file():
        raise SystemExit(f"No generator saved by notebook 09 in {results_dir}: run notebook 09 in full mode first "
                         "(or leave out --copy-only).")
    facts = json.loads((results_dir / SAVED_FACTS).read_text(encoding="utf-8"))
    check_facts(facts)
    write_portable_copy(results_dir / SAVED_GENERATOR, SHIPPED_GENERATOR, check_same_outputs)
    facts["regenerate"] = "python data/pretrained/train_conditional_sign_generator.py"
    temporary = SHIPPED_FACTS.with_name(f".partial-{SHIPPED_FACTS.name}")
    temporary.write_text(json.dumps(facts, indent=1) + "\n", encoding="utf-8")
    os.replace(temporary, SHIPPED_FACTS)
    for path in (SHIPPED_GENERATOR, SHIPPED_FACTS):
        print(f"  {path.relative_to(ROOT)}  ({path.stat().st_size / 1e6:.2f} MB)")
    per_class = ", ".join(f"{name} {value:.1%}" for name, value in facts["accuracy_per_class"].items())
    print(f"Judged the asked-for class: {per_class}; {facts['steps']} steps in {facts['training_seconds']:.0f} s of training.")


def main() -> None:
    arguments = parse_arguments(__doc__.splitlines()[0], "09")
    with tempfile.TemporaryDirectory(prefix="pretrained-09-") as work:
        work_dir = Path(work)
        results_dir = (arguments.results_dir or work_dir / "results").resolve()
        if not arguments.copy_only:
            data_dir = (arguments.data_dir or work_dir / "data").resolve()
            run_notebook("09", data_dir, results_dir, (arguments.executed or work_dir / "executed").resolve())
        copy_generator(results_dir)


if __name__ == "__main__":
    main()
