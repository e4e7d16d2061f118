"""A Stryker report checked against the official mutation-testing-report-schema (the npm package
pinned in package.json, installed under node_modules/), with `jsonschema`."""

import json
from functools import cache
from pathlib import Path

import jsonschema

SCHEMA_PATH = (Path(__file__).resolve().parents[2] / "node_modules" / "mutation-testing-report-schema" / "dist"
               / "src" / "mutation-testing-report-schema.json")
SHOWN_ERRORS = 5


@cache
def _validator():
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    validator_class = jsonschema.validators.validator_for(schema)
    validator_class.check_schema(schema)
    return validator_class(schema)


def stryker_errors(report):
    """Each way `report` departs from the schema, as `where: message`, in document order."""
    return [f"{error.json_path}: {error.message[:200]}" for error in _validator().iter_errors(report)]


def check_stryker(report):
    errors = stryker_errors(report)
    shown = "\n  ".join(errors[:SHOWN_ERRORS])
    assert not errors, f"{len(errors)} schema errors in the Stryker report, the first {SHOWN_ERRORS}:\n  {shown}"
