"""Equivalent mutants excluded from measurement, each with a written reason kept in the repository.

The file named by `[mutation_gate] exclusions` is TOML:

    [[equivalent]]
    file = "backend/core/workflow_engine.py"
    function = "WorkflowEngine._with_timeout"
    mutation = "timer.cancel()"          # the text the mutation puts in place of the original
    reason = "why no test can tell the mutant from the original"

Its shape (keys, types, files that exist, no entry twice) is checked when the configuration is
read. Mutants are matched by their `MutantKey` (file, function, mutated text) rather than by the
engine's positional number, which shifts whenever the function changes. An entry that matches
no mutant fails the run (exit 1), so exclusions cannot outlive the code they excuse.
"""

from dataclasses import dataclass, field

from mutation.errors import ConfigError
from mutation.model import MutantKey
from mutation.toml_entries import Key, read_entries

KEYS = (Key("file"), Key("function"), Key("mutation"), Key("reason"))


@dataclass(frozen=True)
class Exclusions:
    entries: tuple = ()
    reason_by_name: dict = field(default_factory=dict)


def read_exclusions(root, relative):
    """The entries of the exclusions file `relative` (to `root`); raises ConfigError for a malformed one."""
    entries = read_entries(root / relative, relative, "equivalent", KEYS)
    first = {}
    for number, entry in enumerate(entries, start=1):
        where = f"{relative} entry {number}"
        if not (root / entry["file"]).is_file():
            raise ConfigError(f"{where}: file {entry['file']!r}: no such file in the project")
        key = _key(entry)
        if key in first:
            raise ConfigError(f"{where}: the same mutant as entry {first[key]}")
        first[key] = number
    return entries


def load_exclusions(config, mutants):
    """The exclusions file matched against this run's mutants; raises ConfigError for a bad entry."""
    if config.exclusions is None:
        return Exclusions()
    entries = read_exclusions(config.project_root, config.exclusions)
    by_key = {}
    for mutant in mutants:
        by_key.setdefault(mutant.key, []).append(mutant)
    reason_by_name = {}
    for number, entry in enumerate(entries, start=1):
        matches = by_key.get(_key(entry), [])
        if not matches:
            raise ConfigError(
                f"{config.exclusions} entry {number}: no mutant of {entry['file']}::{entry['function']} "
                f"puts {entry['mutation']!r} in place; remove the entry"
            )
        for mutant in matches:
            reason_by_name[mutant.engine_name] = entry["reason"]
    return Exclusions(tuple(entries), reason_by_name)


def _key(entry):
    return MutantKey(entry["file"], entry["function"], entry["mutation"].strip())
