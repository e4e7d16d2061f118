"""Waivers: tests allowed to be rejected-class (e.g. a deliberate smoke test), each with a reason
and an expiry date, in the TOML file named by `[mutation_gate] waivers`:

    [[waiver]]
    test = "tests/test_smoke.py::test_service_starts"
    reason = "smoke test: proves the service boots; behaviour is checked in test_api.py"
    expires = 2027-03-31

An expired waiver, or one naming a test that no longer exists, fails the run (exit 1), so
waivers cannot rot.
"""

import datetime
import tomllib

from mutation.errors import ConfigError

REQUIRED = ("test", "reason", "expires")


def load_waivers(config, today):
    """Reason by test id; raises ConfigError for a malformed or expired waiver (before anything runs)."""
    if config.waivers is None:
        return {}
    try:
        entries = tomllib.loads(config.resolve(config.waivers).read_text(encoding="utf-8")).get("waiver", [])
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"{config.waivers}: unreadable: {error}") from None
    waivers = {}
    for number, entry in enumerate(entries, start=1):
        where = f"{config.waivers} waiver {number}"
        missing = [key for key in REQUIRED if key not in entry or not str(entry[key]).strip()]
        if missing:
            raise ConfigError(f"{where}: missing {missing[0]!r}")
        if type(entry["expires"]) is not datetime.date:
            raise ConfigError(f"{where}: expires must be a date like 2027-03-31, got {entry['expires']!r}")
        if entry["expires"] < today:
            raise ConfigError(f"{where}: the waiver for {entry['test']} expired on {entry['expires']}")
        waivers[entry["test"]] = f"{entry['reason']} (until {entry['expires']})"
    return waivers


def check_waived_tests_exist(config, waivers, existing_tests):
    """After the preflight: a waiver for a test that is gone fails the run."""
    for test in waivers:
        if test not in existing_tests:
            raise ConfigError(f"{config.waivers}: {test} is not a test of the suite any more; remove its waiver")
