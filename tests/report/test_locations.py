"""A test's location from its body: `file:line`, an id without parameters, or nothing."""

from mutation.report.locations import of_test as location_of


def document(**bodies):
    return {"tests": {test: ({"body": body} if body is not None else {}) for test, body in bodies.items()}}


def test_a_file_and_line_body_gives_both():
    doc = document(**{"tests/test_a.py::test_one[x:1]": "tests/test_a.py:12"})
    assert location_of(doc, "tests/test_a.py::test_one[x:1]") == ("tests/test_a.py", 12)


def test_a_body_that_is_an_id_gives_its_file_only():
    doc = document(**{"tests/test_a.py::TestA::test_one[1]": "tests/test_a.py::TestA::test_one"})
    assert location_of(doc, "tests/test_a.py::TestA::test_one[1]") == ("tests/test_a.py", None)


def test_an_id_body_whose_name_ends_in_digits_is_not_a_line():
    doc = document(**{"tests/test_a.py::test_1": "tests/test_a.py::test_1"})
    assert location_of(doc, "tests/test_a.py::test_1") == ("tests/test_a.py", None)


def test_no_body_falls_back_to_the_file_of_the_id():
    assert location_of(document(**{"tests/t.py::test_x[a::b]": None}), "tests/t.py::test_x[a::b]") == ("tests/t.py", None)
    assert location_of(document(**{"tests/t.py::test_x": ""}), "tests/t.py::test_x") == ("tests/t.py", None)
    assert location_of({"tests": {}}, "tests/u.py::test_y") == ("tests/u.py", None)
