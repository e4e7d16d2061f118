"""SARIF 2.1.0 documents checked against the OASIS JSON schema (the copy the npm package
@microsoft/jest-sarif installs under node_modules), with jsonschema and the schema's own draft."""

import json
from functools import cache
from pathlib import Path

import jsonschema

SCHEMA = Path(__file__).resolve().parents[2] / "node_modules/@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json"
ERRORS_SHOWN = 5


@cache
def validator():
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    cls = jsonschema.validators.validator_for(schema)  # Draft4Validator, from the schema's `$schema`
    return cls(schema, format_checker=cls.FORMAT_CHECKER)


def sarif_errors(text_or_dict):
    """Each way the SARIF log departs from the schema, as `where: message`, sorted by place."""
    log = json.loads(text_or_dict) if isinstance(text_or_dict, str) else text_or_dict
    errors = sorted(validator().iter_errors(log), key=lambda error: list(map(str, error.absolute_path)))
    return [f"{'/'.join(map(str, error.absolute_path)) or '(log)'}: {error.message}" for error in errors]


def check_sarif(text_or_dict):
    errors = sarif_errors(text_or_dict)
    assert not errors, f"{len(errors)} SARIF schema errors, first: " + "; ".join(errors[:ERRORS_SHOWN])
