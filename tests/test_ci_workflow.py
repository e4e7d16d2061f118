"""The shipped GitHub Actions workflow is valid: it parses as YAML and passes the GitHub workflow
schema (SchemaStore's, as vendored by check-jsonschema), read as YAML 1.2, and its shard matrix matches SHARDS.
Every shard restores the one cache the plan job looked up and none saves one; the merge job saves the
merged cache; and each shard's artifact holds its document and its shard cache at the paths, relative
to the checkout, where the merge job's `merge` command and `merge`'s search for shard caches find them."""

import json
import os
import re
from fnmatch import fnmatch
from importlib import resources
from pathlib import Path, PurePosixPath

import jsonschema
from ruamel.yaml import YAML

from mutation.collect.shard_caches import shard_cache_path
from mutation.engine.generated_cache import directory_of
from mutation.options import load_config

CHECKOUT = Path(__file__).resolve().parents[1]
WORKFLOW = CHECKOUT / ".github" / "workflows" / "mutation.yml"
CACHE_DIR = ".mutation-gate-cache"


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
    assert "python -m mutation merge" in merge_step(workflow)["run"]


def test_the_schema_check_catches_a_broken_workflow():
    workflow = load_workflow()
    del workflow["jobs"]["merge"]["runs-on"]
    workflow["jobs"]["shard"]["timeout-minutes"] = "an hour"

    errors = list(jsonschema.Draft7Validator(schema()).iter_errors(workflow))

    assert len(errors) >= 2


def steps_using(job, action):
    return [step for step in job["steps"] if step.get("uses", "").startswith(action + "@")]


def merge_step(workflow):
    (step,) = [step for step in workflow["jobs"]["merge"]["steps"] if step.get("id") == "merge"]
    return step


def test_every_shard_restores_the_one_cache_the_plan_looked_up_and_none_saves_one():
    workflow = load_workflow()
    plan, shard = workflow["jobs"]["plan"], workflow["jobs"]["shard"]
    (lookup,) = steps_using(plan, "actions/cache/restore")
    (restore,) = steps_using(shard, "actions/cache/restore")

    assert lookup["with"] == {"path": CACHE_DIR, "key": "mutation-gate-${{ github.sha }}",
                              "restore-keys": "mutation-gate-", "lookup-only": True}
    assert plan["outputs"]["cache-key"] == f"${{{{ steps.{lookup['id']}.outputs.cache-matched-key }}}}"
    assert shard["needs"] == "plan"
    assert restore["with"]["key"] == "${{ needs.plan.outputs.cache-key }}" and "restore-keys" not in restore["with"]
    assert restore["with"]["path"] == CACHE_DIR
    assert restore["if"] == "${{ needs.plan.outputs.cache-key != '' }}"
    assert steps_using(shard, "actions/cache") == steps_using(shard, "actions/cache/save") == []


def test_the_merge_job_saves_the_merged_cache_after_any_merge_that_wrote_it():
    merge = load_workflow()["jobs"]["merge"]
    (save,) = steps_using(merge, "actions/cache/save")
    steps = merge["steps"]

    assert steps.index(save) > steps.index(merge_step(load_workflow()))
    assert save["with"] == {"path": CACHE_DIR,
                            "key": "mutation-gate-${{ github.sha }}-${{ github.run_id }}-${{ github.run_attempt }}"}
    # Not `always()`: only once the merge step ran, passing or failing on its verdict, and wrote the cache.
    assert save["if"] == ("${{ !cancelled() && steps.merge.outcome != 'skipped' && "
                          f"hashFiles('{configured().cache}') != '' }}}}")
    assert steps_using(merge, "actions/cache/restore") == []


def configured():
    return load_config(CHECKOUT / "setup.cfg")


def uploaded_paths(workflow, shard):
    """The paths shard `shard`'s upload step gives, its expressions evaluated for that shard."""
    (upload,) = steps_using(workflow["jobs"]["shard"], "actions/upload-artifact")
    count = workflow["env"]["SHARDS"]
    text = upload["with"]["path"].replace("${{ matrix.shard }}", str(shard)).replace("${{ env.SHARDS }}", str(count))
    text = re.sub(r"\$\{\{ matrix\.shard == (\d+) && '([^']*)' \|\| '' \}\}",
                  lambda found: found[2] if int(found[1]) == shard else "", text)
    assert "${{" not in text, text
    return [line.strip() for line in text.splitlines() if line.strip()]


def test_the_shard_artifacts_land_where_merge_finds_the_documents_and_the_shard_caches():
    workflow = load_workflow()
    count, config = workflow["env"]["SHARDS"], configured()
    (upload,) = steps_using(workflow["jobs"]["shard"], "actions/upload-artifact")
    (download,) = steps_using(workflow["jobs"]["merge"], "actions/download-artifact")
    command = merge_step(workflow)["run"].replace("${{ env.SHARDS }}", str(count)).split("python -m mutation merge ")[1]

    assert upload["with"]["name"] == "mutation-shard-${{ matrix.shard }}"
    assert upload["with"]["include-hidden-files"] is True  # the cache directory's name starts with a dot
    assert download["with"] == {"pattern": "mutation-shard-*", "path": ".", "merge-multiple": True}
    for shard in range(1, count + 1):
        paths = uploaded_paths(workflow, shard)
        document = (PurePosixPath(config.report_dir) / f"shard-{shard}-of-{count}.json").as_posix()
        expected = [document, shard_cache_path(config.cache, shard, count).as_posix()]
        if shard == 1:
            expected.append(directory_of(config.cache).as_posix() + "/")
        assert paths == expected
        # Several paths: the artifact's root is their least common ancestor, here the checkout itself,
        # so downloaded into the merge job's checkout (path .) each file is back at its own path.
        assert os.path.commonpath(paths) == ""
        assert fnmatch(document, command.strip())
