"""The test files' sources a report shows its tests beside."""

from mutation.collect.suite_files import sources_of_test_files


def test_each_file_a_test_id_names_is_read_once_and_unreadable_ones_are_left_out(tmp_path):
    (tmp_path / "tests").mkdir()
    (tmp_path / "tests" / "test_a.py").write_text("def test_one():\n    assert 1\n", encoding="utf-8")
    (tmp_path / "tests" / "test_bin.py").write_bytes(b"\xff\xfe not text")
    ids = ["tests/test_a.py::test_one", "tests/test_a.py::TestB::test_two[x::y]", "tests/test_bin.py::test_b",
           "tests/gone.py::test_c"]

    assert sources_of_test_files(tmp_path, ids) == {"tests/test_a.py": "def test_one():\n    assert 1\n"}
