"""Pictures of the calibration cases around each image bar, for ``docs/metrics.md``.

A bar is only as good as the images on either side of it. For each image judge with bars in the
threshold registry, this draws one row of stand-in images per calibration case (held-out real
data, good stand-ins, the bad cases), those that pass the most bars first, and
writes beside each row the values of every bar and whether the row passes it. A reader sees
where the bar sits: the rows above it should look right, the rows below it wrong.

Usage (instructor tooling; a minute or two on a CPU, judges are trained first if needed)::

    python -m course_utils.build.calibration_figures docs/images
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

import numpy as np

from course_utils.build.calibration import CALIBRATION_SEED, calibrate_judge, default_samples, image_sets
from course_utils.build.threshold_evidence import EVIDENCE
from course_utils.metrics.thresholds import THRESHOLDS, Threshold

JUDGES_WITH_BARS = ("road_signs", "vertical_lines", "digits")
SHOWN_PER_CASE = 10


def bars_of(name: str) -> list[Threshold]:
    """The registry's bars measured on the calibration table of judge ``name``.

    Example:
        >>> [bar.key for bar in bars_of("digits")]
        ['digits_recognised_share', 'digits_fid']
    """
    return [threshold for threshold in THRESHOLDS.values() if EVIDENCE[threshold.key].calibration == f"judge:{name}"]


def _column(bar: Threshold) -> str:
    return EVIDENCE[bar.key].calibration_column


def _row_text(values: dict[str, float], bars: list[Threshold]) -> str:
    parts = []
    for bar in bars:
        value = values[_column(bar)]
        verdict = "pass" if bar.passes(value) else "FAIL"
        parts.append(f"{_column(bar)} {value:.3g} {verdict}")
    return "\n".join(parts)


def judge_figure(name: str, seed: int = CALIBRATION_SEED) -> Any:
    """One row of stand-ins per calibration case of judge ``name``, with its bars' verdicts.

    Example:
        >>> figure = judge_figure("vertical_lines")  # doctest: +SKIP
    """
    import matplotlib.pyplot as plt  # noqa: PLC0415

    bars = bars_of(name)
    if not bars:
        raise ValueError(f"The judge {name!r} has no bars in the registry; judges with bars: {JUDGES_WITH_BARS}.")
    table = calibrate_judge(name, seed=seed)
    _, _, cases = image_sets(name, default_samples(name), seed)
    values = {case: dict(zip(table.columns, table.rows[case])) for case in cases}
    first = bars[0]
    def rank(case: str) -> tuple[int, float]:  # rows that pass more bars first, then by the first bar
        passed = sum(bar.passes(values[case][_column(bar)]) for bar in bars)
        value = values[case][_column(first)]
        return -passed, -value if first.higher_is_better else value

    order = sorted(cases, key=rank)
    figure, axes = plt.subplots(len(order), 1, figsize=(9.5, 0.95 * len(order)), squeeze=False)
    for axis, case in zip(axes[:, 0], order):
        images = np.clip(cases[case][:SHOWN_PER_CASE], 0.0, 1.0)
        gap = np.full((images.shape[1], 2, images.shape[3]), 0.5, dtype=images.dtype)  # a grey line between images
        strip = np.concatenate([part for image in images for part in (image, gap)][:-1], axis=1)
        axis.imshow(strip[..., 0] if strip.shape[-1] == 1 else strip, cmap="gray", vmin=0.0, vmax=1.0,
                    interpolation="nearest")
        axis.set_xticks([]), axis.set_yticks([])
        axis.set_ylabel(case, rotation=0, ha="right", va="center", fontsize=8)
        axis.text(1.01, 0.5, _row_text(values[case], bars), transform=axis.transAxes, va="center", fontsize=7,
                  color="black" if all(bar.passes(values[case][_column(bar)]) for bar in bars) else "#b71c1c")
    described = "; ".join(f"{_column(bar)} {'≥' if bar.higher_is_better else '≤'} {bar.value:g}" for bar in bars)
    figure.suptitle(f"Judge '{name}': calibration cases, from those that pass most bars to those that pass fewest (bars: {described})",
                    fontsize=9)
    figure.tight_layout()
    return figure


def write_figures(folder: Path, names: tuple[str, ...] = JUDGES_WITH_BARS) -> list[Path]:
    """Write ``calibration_<judge>.png`` for each judge into ``folder``; return the paths."""
    import matplotlib  # noqa: PLC0415

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt  # noqa: PLC0415

    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for name in names:
        figure = judge_figure(name)
        path = folder / f"calibration_{name}.png"
        temporary = path.with_name(f".partial-{path.name}")
        figure.savefig(temporary, dpi=90, bbox_inches="tight", format="png")
        temporary.replace(path)
        plt.close(figure)
        paths.append(path)
    return paths


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path, help="where to write calibration_<judge>.png, e.g. docs/images")
    arguments = parser.parse_args(argv)
    for path in write_figures(arguments.folder):
        print(f"wrote {path}")


if __name__ == "__main__":
    main()
