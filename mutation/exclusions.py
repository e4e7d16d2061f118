"""Equivalent mutants excluded from scoring, each with a written reason kept in the repository.

The file named by `[mutation_gate] exclusions` is TOML:

    [[equivalent]]
    file = "backend/core/workflow_engine.py"
    function = "WorkflowEngine._with_timeout"
    mutation = "timer.cancel()"          # the text the mutation puts in place of the original
    reason = "why no test can tell the mutant from the original"

Mutants are matched by (file, function, mutated text) rather than by mutmut's positional
number, which shifts whenever the function changes. An entry that matches no mutant fails
the run (exit 1), so exclusions cannot outlive the code they excuse.
"""

import tomllib
from dataclasses import dataclass, field

from mutation.errors import ConfigError

REQUIRED = ("file", "function", "mutation", "reason")


@dataclass(frozen=True)
class Exclusions:
    entries: tuple = ()
    reason_by_name: dict = field(default_factory=dict)

    @property
    def excluded_names(self):
        return set(self.reason_by_name)


def load_exclusions(config, locations):
    if config.exclusions is None:
        return Exclusions()
    path = config.resolve(config.exclusions)
    try:
        entries = tomllib.loads(path.read_text(encoding="utf-8")).get("equivalent", [])
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"{config.exclusions}: unreadable: {error}") from None
    reason_by_name = {}
    for number, entry in enumerate(entries, start=1):
        missing = [key for key in REQUIRED if not str(entry.get(key, "")).strip()]
        if missing:
            raise ConfigError(f"{config.exclusions} entry {number}: missing {missing[0]!r}")
        matches = [
            location for location in locations
            if (location.file, location.function, location.mutated_text.strip())
            == (entry["file"], entry["function"], entry["mutation"].strip())
        ]
        if not matches:
            raise ConfigError(
                f"{config.exclusions} entry {number}: no mutant of {entry['file']}::{entry['function']} "
                f"puts {entry['mutation']!r} in place; remove the entry"
            )
        for location in matches:
            reason_by_name[location.mutmut_name] = entry["reason"]
    return Exclusions(tuple(entries), reason_by_name)
