"""The report files of the gate's run over this repository's own suite, checked where CI reads
them (`.ci/run` stage 4, after scripts/gate; `pytest tests/reports_of_the_run.py` — the file is
named so that scripts/test does not collect it, as the run's reports exist only after the gate).

Each configured format is there and is exactly what its writer renders from this run's gate.json
(so none is left from an earlier run); the Stryker report and the SARIF log pass their official
schemas; JUnit parses with one suite per target; the badge gives the overall score; the HTML page
draws the run's counts in Chromium with nothing going wrong, and a screenshot is kept.
`MUTATION_GATE_REPORTS` names another report directory (default reports/mutation).
"""

import json
import os
from pathlib import Path

import pytest
from junitparser import JUnitXml
from playwright.sync_api import sync_playwright

from mutation.report import store
from mutation.report.writers import WRITERS, badge
from tests import browser
from tests.report.sarif_schema import check_sarif
from tests.report.stryker_schema import check_stryker

REPORT_DIR = Path(os.environ.get("MUTATION_GATE_REPORTS", "reports/mutation"))
STATUS_COLUMNS = {"killed": "killed", "survived": "survived", "timeout": "timeout", "noCoverage": "no_tests"}


@pytest.fixture(scope="module")
def document():
    return store.load(REPORT_DIR / "gate.json")


def written(name):
    return (REPORT_DIR / WRITERS[name].filename).read_text(encoding="utf-8")


def test_every_configured_format_is_this_runs(document):
    formats = document["run"]["config"]["report_formats"]

    assert formats == ["stryker", "html", "junit", "sarif", "markdown", "badge"]
    for name in formats:
        assert written(name) == WRITERS[name].render(document), f"{WRITERS[name].filename} is not this run's"


def test_the_stryker_report_passes_the_official_schema_with_every_mutant(document):
    report = json.loads(written("stryker"))

    check_stryker(report)
    assert sum(len(entry["mutants"]) for entry in report["files"].values()) == len(document["mutants"])
    assert sum(len(entry["tests"]) for entry in report["testFiles"].values()) == len(document["tests"])


def test_the_sarif_log_passes_the_sarif_schema_with_a_result_per_survivor(document):
    log = json.loads(written("sarif"))

    check_sarif(log)
    survivors = [result for result in log["runs"][0]["results"] if result["ruleId"] == "surviving-mutant"]
    assert len(survivors) == document["overall"]["survived"]


def test_junit_has_one_suite_per_target_and_a_failure_per_survivor(document):
    suites = list(JUnitXml.fromstring(written("junit")))

    assert [suite.name for suite in suites] == [target["path"] for target in document["targets"]]
    failures = [case for suite in suites for case in suite
                if any(getattr(result, "type", None) == "SurvivedMutant" for result in case.result)]
    assert len(failures) == document["overall"]["survived"]


def test_the_badge_shows_the_overall_score(document):
    assert json.loads(written("badge"))["message"] == json.loads(badge.render(document))["message"]
    assert json.loads(written("badge"))["message"].endswith("%")


def test_the_html_report_draws_the_runs_counts_in_chromium(document, tmp_path):
    counts = {status: sum(mutant["status"] == status for mutant in document["mutants"])
              for status in STATUS_COLUMNS.values()}
    artifacts = Path(os.environ.get("MUTATION_GATE_ARTIFACTS") or tmp_path)
    artifacts.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        chromium = browser.launch(playwright)
        page, problems = browser.open_report(chromium, REPORT_DIR / "mutation.html")
        row = page.locator('mte-metrics-table tbody tr[title="All files"]')
        shown = {status: int(row.locator(f'td[aria-describedby="tooltip-{column}"]').inner_text())
                 for column, status in STATUS_COLUMNS.items()}
        page.screenshot(path=str(artifacts / "html-report-of-the-run.png"))
        chromium.close()

    assert (shown, problems) == (counts, [])
