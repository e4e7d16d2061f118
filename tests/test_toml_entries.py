"""Files of TOML entries (waivers, exclusions): every way such a file can be wrong is one line naming
the file, the entry and the key, and nothing else is accepted."""

import datetime

import pytest

from mutation.errors import ConfigError
from mutation.toml_entries import Key, describe, read_entries

KEYS = (Key("test"), Key("expires", datetime.date))
GOOD = '[[item]]\ntest = "t.py::a"\nexpires = 2027-03-31\n'


def read(tmp_path, text):
    (tmp_path / "items.toml").write_text(text, encoding="utf-8")
    return read_entries(tmp_path / "items.toml", "items.toml", "item", KEYS, label="item")


def test_the_entries_are_read_as_dicts_in_order(tmp_path):
    assert read(tmp_path, GOOD + GOOD.replace("t.py::a", "t.py::b")) == [
        {"test": "t.py::a", "expires": datetime.date(2027, 3, 31)},
        {"test": "t.py::b", "expires": datetime.date(2027, 3, 31)},
    ]


@pytest.mark.parametrize("text", ["", "# nothing yet\n", "item = []\n"], ids=["empty", "comment", "empty-array"])
def test_a_file_without_entries_has_none(tmp_path, text):
    assert read(tmp_path, text) == []


BAD = [
    pytest.param("[[item\n", "items.toml: unreadable: Expected ']]' at the end of an array declaration "
                 "(at line 1, column 7)", id="not-toml"),
    pytest.param('item = "x"\n', "items.toml: item must be [[item]] entries, got the string 'x'", id="string"),
    pytest.param("item = 3\n", "items.toml: item must be [[item]] entries, got the number 3", id="number"),
    pytest.param('[item]\ntest = "t.py::a"\n', "items.toml: [item] is one table; write each entry as [[item]]",
                 id="one-table"),
    pytest.param('[[items]]\ntest = "t.py::a"\n',
                 "items.toml: unknown top-level key 'items'; the file holds [[item]] entries only", id="unknown-table"),
    pytest.param('colour = "blue"\n' + GOOD,
                 "items.toml: unknown top-level key 'colour'; the file holds [[item]] entries only",
                 id="unknown-top-level-key"),
    pytest.param("item = [1, 2]\n", "items.toml item 1: must be a table of test, expires, got the number 1",
                 id="entries-not-tables"),
    pytest.param('item = ["t.py::a"]\n', "items.toml item 1: must be a table of test, expires, got the string "
                 "'t.py::a'", id="entry-a-string"),
    pytest.param(GOOD + 'colour = "blue"\n', "items.toml item 1: unknown key 'colour' (known keys: test, expires)",
                 id="unknown-key"),
    pytest.param(GOOD + "[[item]]\nexpires = 2027-03-31\n", "items.toml item 2: missing 'test'", id="missing-key"),
    pytest.param('[[item]]\ntest = "  "\nexpires = 2027-03-31\n', "items.toml item 1: missing 'test'", id="blank"),
    pytest.param(GOOD.replace('"t.py::a"', "3"), "items.toml item 1: test must be a string, got the number 3",
                 id="number-for-string"),
    pytest.param(GOOD.replace('"t.py::a"', "true"), "items.toml item 1: test must be a string, got the boolean true",
                 id="boolean-for-string"),
    pytest.param(GOOD.replace('"t.py::a"', '["t.py::a"]'), "items.toml item 1: test must be a string, got an array",
                 id="array-for-string"),
    pytest.param(GOOD.replace('"t.py::a"', "{ id = 1 }"), "items.toml item 1: test must be a string, got a table",
                 id="table-for-string"),
    pytest.param(GOOD.replace("2027-03-31", '"2027-03-31"'),
                 "items.toml item 1: expires must be a date like 2027-03-31 (unquoted), got the string '2027-03-31'",
                 id="quoted-date"),
    pytest.param(GOOD.replace("2027-03-31", "2027-03-31T08:00:00"),
                 "items.toml item 1: expires must be a date like 2027-03-31 (unquoted), got the date and time "
                 "2027-03-31T08:00:00", id="date-and-time"),
    pytest.param(GOOD.replace("2027-03-31", "08:00:00"),
                 "items.toml item 1: expires must be a date like 2027-03-31 (unquoted), got the time 08:00:00",
                 id="time"),
    pytest.param(GOOD.replace("2027-03-31", "20270331"),
                 "items.toml item 1: expires must be a date like 2027-03-31 (unquoted), got the number 20270331",
                 id="number-for-date"),
]


@pytest.mark.parametrize(("text", "message"), BAD)
def test_a_malformed_file_is_a_configuration_error(tmp_path, text, message):
    with pytest.raises(ConfigError) as error:
        read(tmp_path, text)

    assert str(error.value) == message


def test_a_file_that_is_not_utf8_names_the_line_and_the_byte(tmp_path):
    (tmp_path / "items.toml").write_bytes(b'[[item]]\ntest = "caf\xe9"\n')

    with pytest.raises(ConfigError) as error:
        read_entries(tmp_path / "items.toml", "items.toml", "item", KEYS)

    assert str(error.value) == "items.toml:2: not UTF-8 (byte 0xe9); write the file as UTF-8"


def test_a_directory_is_not_a_file_of_entries(tmp_path):
    (tmp_path / "items.toml").mkdir()

    with pytest.raises(ConfigError) as error:
        read_entries(tmp_path / "items.toml", "items.toml", "item", KEYS)

    assert str(error.value) == "items.toml: is a directory, not a TOML file"


def test_a_file_that_cannot_be_read_says_why(tmp_path):
    with pytest.raises(ConfigError) as error:
        read_entries(tmp_path / "gone.toml", "gone.toml", "item", KEYS)

    assert str(error.value) == "gone.toml: cannot be read: No such file or directory"


def test_the_default_label_is_entry(tmp_path):
    (tmp_path / "items.toml").write_text("[[item]]\n", encoding="utf-8")

    with pytest.raises(ConfigError) as error:
        read_entries(tmp_path / "items.toml", "items.toml", "item", KEYS)

    assert str(error.value) == "items.toml entry 1: missing 'test'"


@pytest.mark.parametrize(("value", "text"), [
    (1.5, "the number 1.5"), (False, "the boolean false"), (datetime.date(2027, 1, 2), "the date 2027-01-02"),
    ({}, "a table"),
])
def test_describe_names_the_toml_type_and_the_value(value, text):
    assert describe(value) == text
