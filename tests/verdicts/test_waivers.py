"""Waivers: tests allowed through with a reason and an expiry date; an expired waiver, or one for a
test that is gone, fails the run with exit 1."""

import datetime

import pytest

from mutation.errors import ConfigError
from mutation.options import TargetSpec
from mutation.verdicts.waivers import check_waived_tests_exist, load_waivers, read_waivers
from tests.factories import gate_config


def waiver_config(tmp_path, text):
    (tmp_path / "waivers.toml").write_text(text, encoding="utf-8")
    return gate_config(tmp_path, targets=(TargetSpec("m.py", 90),), waivers="waivers.toml")


TODAY = datetime.date(2026, 11, 24)


def test_a_valid_waiver_gives_its_reason_and_expiry(tmp_path):
    config = waiver_config(tmp_path, '[[waiver]]\ntest = "t.py::smoke"\nreason = "boot check"\nexpires = 2026-11-24\n')

    waivers = load_waivers(config, TODAY)

    assert waivers == {"t.py::smoke": "boot check (until 2026-11-24)"}
    check_waived_tests_exist(config, waivers, {"t.py::smoke"})


def test_a_waiver_for_a_test_that_is_gone_fails(tmp_path):
    config = waiver_config(tmp_path, '[[waiver]]\ntest = "t.py::gone"\nreason = "r"\nexpires = 2027-01-01\n')

    with pytest.raises(ConfigError) as error:
        check_waived_tests_exist(config, load_waivers(config, TODAY), {"t.py::smoke"})

    assert str(error.value) == "waivers.toml: t.py::gone is not a test of the suite any more; remove its waiver"


def test_no_waiver_file_means_no_waivers(tmp_path):
    config = gate_config(tmp_path)

    assert load_waivers(config, TODAY) == {}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('[[waiver]]\ntest = "t.py::smoke"\nreason = "r"\nexpires = 2026-11-23\n',
         "waivers.toml waiver 1: the waiver for t.py::smoke expired on 2026-11-23"),
        ('[[waiver]]\ntest = "t.py::smoke"\nreason = "r"\nexpires = 2027-01-01T00:00:00\n',
         "waivers.toml waiver 1: expires must be a date like 2027-03-31 (unquoted), got the date and time "
         "2027-01-01T00:00:00"),
        ('[[waiver]]\ntest = "t.py::smoke"\nexpires = 2027-01-01\n', "waivers.toml waiver 1: missing 'reason'"),
        ('[[waiver]]\ntest = "t.py::smoke"\nreason = "r"\nexpires = "soon"\n',
         "waivers.toml waiver 1: expires must be a date like 2027-03-31 (unquoted), got the string 'soon'"),
        ("[[waiver]\n", "waivers.toml: unreadable: Expected ']]' at the end of an array declaration (at line 1, column 9)"),
        ('[[waiver]]\ntest = 3\nreason = "r"\nexpires = 2027-01-01\n',
         "waivers.toml waiver 1: test must be a string, got the number 3"),
        ('[[waiver]]\ntest = "t.py::smoke"\nreason = "r"\nexpires = 2027-01-01\nuntil = 2028-01-01\n',
         "waivers.toml waiver 1: unknown key 'until' (known keys: test, reason, expires)"),
        ('waiver = "t.py::smoke"\n', "waivers.toml: waiver must be [[waiver]] entries, got the string 't.py::smoke'"),
        ('[[waiver]]\ntest = "t.py::smoke"\nreason = "r"\nexpires = 2027-01-01\n'
         '[[waiver]]\ntest = "t.py::smoke"\nreason = "again"\nexpires = 2028-01-01\n',
         "waivers.toml waiver 2: t.py::smoke is already waived by waiver 1"),
    ],
    ids=["expired", "date-time", "no-reason", "not-a-date", "not-toml", "test-not-a-string", "unknown-key",
         "not-entries", "waived-twice"],
)
def test_bad_waivers_are_configuration_errors(tmp_path, text, message):
    config = waiver_config(tmp_path, text)

    with pytest.raises(ConfigError) as error:
        load_waivers(config, TODAY)

    assert str(error.value) == message


def test_read_waivers_gives_the_entries_without_judging_their_dates(tmp_path):
    (tmp_path / "waivers.toml").write_text('[[waiver]]\ntest = "t.py::smoke"\nreason = "r"\nexpires = 2001-01-01\n',
                                           encoding="utf-8")

    assert read_waivers(tmp_path, "waivers.toml") == [
        {"test": "t.py::smoke", "reason": "r", "expires": datetime.date(2001, 1, 1)},
    ]
