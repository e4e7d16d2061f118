"""Equivalent mutants excluded from measurement, each with a written reason kept in the repository.

The file named by `[mutation_gate] exclusions` is TOML:

    [[equivalent]]
    file = "backend/core/workflow_engine.py"
    function = "WorkflowEngine._with_timeout"
    mutation = "timer.cancel()"          # the text the mutation puts in place of the original
    reason = "why no test can tell the mutant from the original"

Mutants are matched by their `MutantKey` (file, function, mutated text) rather than by the
engine's positional number, which shifts whenever the function changes. An entry that matches
no mutant fails the run (exit 1), so exclusions cannot outlive the code they excuse.
"""

import tomllib
from dataclasses import dataclass, field

from mutation.errors import ConfigError
from mutation.model import MutantKey

REQUIRED = ("file", "function", "mutation", "reason")


@dataclass(frozen=True)
class Exclusions:
    entries: tuple = ()
    reason_by_name: dict = field(default_factory=dict)


def load_exclusions(config, mutants):
    """The exclusions file matched against this run's mutants; raises ConfigError for a bad entry."""
    if config.exclusions is None:
        return Exclusions()
    try:
        entries = tomllib.loads(config.resolve(config.exclusions).read_text(encoding="utf-8")).get("equivalent", [])
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"{config.exclusions}: unreadable: {error}") from None
    by_key = {}
    for mutant in mutants:
        by_key.setdefault(mutant.key, []).append(mutant)
    reason_by_name = {}
    for number, entry in enumerate(entries, start=1):
        missing = [key for key in REQUIRED if not str(entry.get(key, "")).strip()]
        if missing:
            raise ConfigError(f"{config.exclusions} entry {number}: missing {missing[0]!r}")
        matches = by_key.get(MutantKey(entry["file"], entry["function"], entry["mutation"].strip()), [])
        if not matches:
            raise ConfigError(
                f"{config.exclusions} entry {number}: no mutant of {entry['file']}::{entry['function']} "
                f"puts {entry['mutation']!r} in place; remove the entry"
            )
        for mutant in matches:
            reason_by_name[mutant.engine_name] = entry["reason"]
    return Exclusions(tuple(entries), reason_by_name)
