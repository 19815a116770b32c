import pytest

from course_utils.files import atomic_output


def test_atomic_output_replaces_the_file_only_on_success(tmp_path):
    target = tmp_path / "sub" / "record.json"
    with atomic_output(target) as temporary:
        assert temporary.parent == target.parent and temporary.suffix == ".json"
        temporary.write_text("first")
    assert target.read_text() == "first"
    with pytest.raises(KeyboardInterrupt):
        with atomic_output(target) as temporary:
            temporary.write_text("half")
            raise KeyboardInterrupt
    assert target.read_text() == "first"
    assert sorted(p.name for p in target.parent.iterdir()) == ["record.json"]
