"""Storing and loading `gate.json`: written atomically, so a reader never sees half a report, and
checked on loading, so a report of another schema version or shape, or of a run that did not
finish, is refused in one line."""

import gc
import json
from functools import cache
from importlib import resources
from pathlib import Path

import fastjsonschema

from mutation.atomic_files import write_atomically
from mutation.errors import ConfigError
from mutation.report import run_state
from mutation.report.document import SCHEMA_VERSION


@cache
def schema():
    return json.loads(resources.files("mutation.report").joinpath("gate.schema.json").read_text(encoding="utf-8"))


@cache
def _validator():
    # Compiled once: checking a report of thousands of mutants then takes a fraction of a second.
    return fastjsonschema.compile(schema())


def problem(document):
    """The first way `document` departs from the schema, as `where: what`; None for a valid document."""
    try:
        _validator()(document)
    except fastjsonschema.JsonSchemaValueException as error:
        where = "/".join(str(part) for part in error.path[1:]) or "(document)"
        return f"{where}: {error.message.removeprefix(error.name).strip()}"
    return None


def gate_json_path(config):
    return Path(config.project_root) / config.report_dir / "gate.json"


def write(document, path):
    write_atomically(path, lambda out: json.dump(document, out, indent=1, ensure_ascii=False), ".gate-")


def _parse(path):
    # A full report is millions of objects: the cyclic collector would walk them again and again while
    # they are made (a third of the load), though JSON cannot hold a cycle. Freezing them afterwards
    # keeps the collector off them while the reports are rendered.
    gc.disable()
    try:
        document = json.loads(path.read_bytes())
    finally:
        gc.enable()
    gc.freeze()
    return document


def load(path):
    """The finished document at `path`; a missing, unreadable, invalid or unfinished report is a
    ConfigError (exit 1)."""
    path = Path(path)
    try:
        document = _parse(path)
    except FileNotFoundError:
        raise ConfigError(f"{path}: no gate report yet; run `mutation-gate run` first") from None
    except IsADirectoryError:
        raise ConfigError(f"{path}: is a directory, not a gate report") from None
    except (ValueError, UnicodeDecodeError) as error:
        raise ConfigError(f"{path}: unreadable gate report: {error}") from None
    if not isinstance(document, dict) or "schema_version" not in document:
        raise ConfigError(f"{path}: not a gate report")
    if document.get("schema_version") != SCHEMA_VERSION:
        raise ConfigError(f"{path}: gate report of schema version {document.get('schema_version')!r}; "
                          f"this gate reads version {SCHEMA_VERSION}")
    found = problem(document)
    if found:
        raise ConfigError(f"{path}: not a valid gate report: {found}")
    if document["state"] != run_state.FINISHED:
        raise ConfigError(f"{path}: no results: {run_state.describe(document)}")
    return document
