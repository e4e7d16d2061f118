"""The shipped GitHub Actions workflow is valid: it parses as YAML and passes the GitHub workflow
schema (SchemaStore's, as vendored by check-jsonschema), read as YAML 1.2, and its shard matrix matches SHARDS."""

import json
from importlib import resources
from pathlib import Path

import jsonschema
from ruamel.yaml import YAML

WORKFLOW = Path(__file__).resolve().parents[1] / ".github" / "workflows" / "mutation.yml"


def load_workflow():
    # YAML 1.2, as GitHub reads it: under YAML 1.1 (PyYAML) the key `on` would be the boolean true.
    return YAML(typ="safe", pure=True).load(WORKFLOW.read_text(encoding="utf-8"))


def schema():
    vendored = resources.files("check_jsonschema") / "builtin_schemas" / "vendor" / "github-workflows.json"
    return json.loads(vendored.read_text(encoding="utf-8"))


def test_the_workflow_passes_the_github_workflow_schema():
    workflow = load_workflow()

    errors = sorted(jsonschema.Draft7Validator(schema()).iter_errors(workflow), key=lambda error: error.path)

    assert [error.message for error in errors] == []


def test_every_shard_of_the_matrix_is_measured_and_merged():
    workflow = load_workflow()
    shards = int(workflow["env"]["SHARDS"])

    assert workflow["jobs"]["shard"]["strategy"]["matrix"]["shard"] == list(range(1, shards + 1))
    assert workflow["jobs"]["merge"]["needs"] == "shard"
    assert "python -m mutation merge" in workflow["jobs"]["merge"]["steps"][3]["run"]


def test_the_schema_check_catches_a_broken_workflow():
    workflow = load_workflow()
    del workflow["jobs"]["merge"]["runs-on"]
    workflow["jobs"]["shard"]["timeout-minutes"] = "an hour"

    errors = list(jsonschema.Draft7Validator(schema()).iter_errors(workflow))

    assert len(errors) >= 2
