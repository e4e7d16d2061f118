"""Every gate.json the gate writes during its tests is checked against `gate.schema.json` with
`jsonschema`, a second implementation beside the gate's own (fastjsonschema) check."""

import jsonschema

from mutation.report import store


def schema_errors(document):
    """Each way `document` departs from the schema, as `where: message`, sorted."""
    validator = jsonschema.Draft7Validator(store.schema())
    return sorted(f"{'/'.join(map(str, error.absolute_path)) or '(document)'}: {error.message}"
                  for error in validator.iter_errors(document))


def check_schema(document):
    errors = schema_errors(document)
    assert errors == [], errors[:5]
