"""Waivers: tests allowed to be rejected-class (e.g. a deliberate smoke test), each with a reason
and an expiry date, in the TOML file named by `[mutation_gate] waivers`:

    [[waiver]]
    test = "tests/test_smoke.py::test_service_starts"
    reason = "smoke test: proves the service boots; behaviour is checked in test_api.py"
    expires = 2027-03-31

The file's shape (keys, types, one waiver per test) is checked when the configuration is read.
An expired waiver fails the run before anything runs, and one naming a test that no longer
exists fails it after the preflight (exit 1), so waivers cannot rot.
"""

import datetime

from mutation.errors import ConfigError
from mutation.toml_entries import Key, read_entries

KEYS = (Key("test"), Key("reason"), Key("expires", datetime.date))


def read_waivers(root, relative):
    """The waiver entries of the file `relative` (to `root`); raises ConfigError for a malformed one."""
    entries = read_entries(root / relative, relative, "waiver", KEYS, label="waiver")
    first = {}
    for number, entry in enumerate(entries, start=1):
        if entry["test"] in first:
            raise ConfigError(f"{relative} waiver {number}: {entry['test']} is already waived by waiver "
                              f"{first[entry['test']]}")
        first[entry["test"]] = number
    return entries


def load_waivers(config, today):
    """Reason by test id; raises ConfigError for a malformed or expired waiver (before anything runs)."""
    if config.waivers is None:
        return {}
    waivers = {}
    for number, entry in enumerate(read_waivers(config.project_root, config.waivers), start=1):
        if entry["expires"] < today:
            raise ConfigError(f"{config.waivers} waiver {number}: the waiver for {entry['test']} expired on "
                              f"{entry['expires']}")
        waivers[entry["test"]] = f"{entry['reason']} (until {entry['expires']})"
    return waivers


def check_waived_tests_exist(config, waivers, existing_tests):
    """After the preflight: a waiver for a test that is gone fails the run."""
    for test in waivers:
        if test not in existing_tests:
            raise ConfigError(f"{config.waivers}: {test} is not a test of the suite any more; remove its waiver")
