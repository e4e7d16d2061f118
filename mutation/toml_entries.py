"""Files of TOML entries the project keeps for the gate (waivers, exclusions), read before anything
is measured: UTF-8, valid TOML, only `[[<table>]]` entries, each entry a table holding only the
known keys, each key of its type. Every problem is one ConfigError line naming the file, the
entry and the key.
"""

import datetime
import tomllib
from dataclasses import dataclass

from mutation.errors import ConfigError

DATE_EXAMPLE = "2027-03-31"


@dataclass(frozen=True)
class Key:
    """A key every entry must hold: a non-blank string, or a TOML date (`kind = datetime.date`)."""

    name: str
    kind: type = str


def read_entries(path, written, table, keys, label="entry"):
    """The entries of `[[table]]` in the file at `path` (`written` is how the configuration names it),
    as dicts; `label` is what the messages call one entry (`waiver 2`, `entry 2`)."""
    document = _parse(path, written)
    unknown = sorted(set(document) - {table})
    if unknown:
        raise ConfigError(f"{written}: unknown top-level key {unknown[0]!r}; the file holds [[{table}]] entries only")
    entries = document.get(table, [])
    if isinstance(entries, dict):
        raise ConfigError(f"{written}: [{table}] is one table; write each entry as [[{table}]]")
    if not isinstance(entries, list):
        raise ConfigError(f"{written}: {table} must be [[{table}]] entries, got {describe(entries)}")
    for number, entry in enumerate(entries, start=1):
        _check_entry(entry, keys, f"{written} {label} {number}")
    return entries


def _parse(path, written):
    try:
        data = path.read_bytes()
    except IsADirectoryError:
        raise ConfigError(f"{written}: is a directory, not a TOML file") from None
    except OSError as error:
        raise ConfigError(f"{written}: cannot be read: {error.strerror}") from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise ConfigError(f"{written}:{line}: not UTF-8 (byte 0x{data[error.start]:02x}); write the file as UTF-8") from None
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"{written}: unreadable: {error}") from None


def _check_entry(entry, keys, where):
    if not isinstance(entry, dict):
        raise ConfigError(f"{where}: must be a table of {', '.join(key.name for key in keys)}, got {describe(entry)}")
    known = [key.name for key in keys]
    unknown = sorted(set(entry) - set(known))
    if unknown:
        raise ConfigError(f"{where}: unknown key {unknown[0]!r} (known keys: {', '.join(known)})")
    for key in keys:
        _check_value(entry, key, where)


def _check_value(entry, key, where):
    value = entry.get(key.name)
    if value is None or (isinstance(value, str) and not value.strip()):
        raise ConfigError(f"{where}: missing {key.name!r}")
    if key.kind is datetime.date and type(value) is not datetime.date:
        raise ConfigError(f"{where}: {key.name} must be a date like {DATE_EXAMPLE} (unquoted), got {describe(value)}")
    if key.kind is str and not isinstance(value, str):
        raise ConfigError(f"{where}: {key.name} must be a string, got {describe(value)}")


def describe(value):
    """A TOML value as a message names it: its TOML type and, for a scalar, the value."""
    if isinstance(value, bool):
        return f"the boolean {str(value).lower()}"
    if isinstance(value, str):
        return f"the string {value!r}"
    if isinstance(value, int | float):
        return f"the number {value!r}"
    if isinstance(value, datetime.datetime):
        return f"the date and time {value.isoformat()}"
    if isinstance(value, datetime.date | datetime.time):
        return f"the {type(value).__name__} {value.isoformat()}"
    if isinstance(value, list):
        return "an array"
    return "a table"
