"""A Stryker report checked against the official mutation-testing-report-schema (the npm package
pinned in package.json, installed under node_modules/ by scripts/_env.sh).

`check_stryker` decides with fastjsonschema (the schema compiled: 0.2 s for a report of 3800
mutants, where jsonschema takes over 10 s, most of it on `uniqueItems`); a report it refuses is
listed by `jsonschema` (the validator the schema's `$schema` names), the first few errors with
their paths, so the message says every place at once rather than the first one.
"""

import json
from functools import cache
from pathlib import Path

import fastjsonschema
import jsonschema

SCHEMA_PATH = (Path(__file__).resolve().parents[2] / "node_modules" / "mutation-testing-report-schema" / "dist"
               / "src" / "mutation-testing-report-schema.json")
SHOWN_ERRORS = 5


@cache
def schema():
    if not SCHEMA_PATH.is_file():
        raise AssertionError(f"{SCHEMA_PATH}: no Stryker report schema; scripts/_env.sh installs the npm packages")
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


@cache
def _fast_validator():
    return fastjsonschema.compile(schema())


@cache
def _validator():
    validator_class = jsonschema.validators.validator_for(schema())
    validator_class.check_schema(schema())
    return validator_class(schema())


def stryker_errors(report):
    """Each way `report` departs from the schema, as `where: message`, in document order (jsonschema)."""
    return [f"{error.json_path}: {_short(error.message)}" for error in _validator().iter_errors(report)]


def check_stryker(report):
    try:
        _fast_validator()(report)
    except fastjsonschema.JsonSchemaValueException as error:
        errors = stryker_errors(report) or [f"(fastjsonschema) {error.message}"]
        shown = "\n  ".join(errors[:SHOWN_ERRORS])
        raise AssertionError(f"the Stryker report does not match mutation-testing-report-schema: "
                             f"{len(errors)} errors, the first {min(len(errors), SHOWN_ERRORS)}:\n  {shown}") from None


def _short(message, limit=200):
    return message if len(message) <= limit else message[:limit] + "..."
