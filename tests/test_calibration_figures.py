"""The pictures of calibration cases beside each image bar (docs/metrics.md)."""

from __future__ import annotations

import pytest

from course_utils.build.calibration_figures import bars_of, judge_figure, write_figures


def test_each_image_judges_bars_come_from_the_registry():
    assert [bar.key for bar in bars_of("road_signs")] == ["road_signs_fid", "road_signs_share_30",
                                                           "road_signs_precision", "road_signs_recall"]
    with pytest.raises(ValueError, match="no bars"):
        judge_figure("shapes")


def test_the_figure_has_one_row_per_case_and_is_written_whole(shared_judge_folder, monkeypatch, tmp_path):
    monkeypatch.setenv("COURSE_DATA_DIR", str(shared_judge_folder))
    (path,) = write_figures(tmp_path / "images", names=("vertical_lines",))
    assert path.name == "calibration_vertical_lines.png" and path.stat().st_size > 10_000
    assert [item.name for item in path.parent.iterdir()] == [path.name]  # no partial file left behind
    figure = judge_figure("vertical_lines")
    assert len(figure.axes) == 7  # held-out, two good stand-ins, blur, collapse, wrong class, noise
