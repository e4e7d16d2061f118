"""Every report format of a real run, on a fixture whose test ids and source are markup
(tests/fixtures/hostile_names): each file is written, says where it is, matches what
`mutation-gate report --format all` renders from the same gate.json, passes its schema or parser,
and shows the markup as text."""

import json
import shutil

import pytest
from junitparser import JUnitXml
from playwright.sync_api import expect, sync_playwright

from mutation.report.writers import FILE_FORMATS, WRITERS
from tests import browser
from tests.fixture_runs import gate_on, run_gate

HOSTILE_TEST = "tests/test_render.py::test_bold_wraps[</script><img src=x onerror=alert(1)>]"
CRASH_ONLY_TEST = "tests/test_render.py::test_comment_runs[<i>&amp;|`x`</i>]"


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    return gate_on("hostile_names", tmp_path_factory)


def test_the_run_writes_every_format_and_says_where(hostile):
    assert hostile.exit_code == 3, hostile.stderr
    named = [line for line in hostile.stdout.splitlines() if " report: reports/mutation/" in line]
    assert named == [f"{name} report: reports/mutation/{WRITERS[name].filename}" for name in FILE_FORMATS]
    assert hostile.stdout.splitlines()[-1] == "report: reports/mutation/gate.json"


def test_rendering_the_stored_report_again_gives_the_same_files(hostile, tmp_path):
    shutil.copy(hostile.report_dir / "gate.json", tmp_path / "gate.json")

    again = run_gate(hostile.root, "report", "--format", "all", "--from", str(tmp_path / "gate.json"))

    assert (again.exit_code, again.stderr) == (0, "")
    for name in FILE_FORMATS:
        filename = WRITERS[name].filename
        assert (tmp_path / filename).read_bytes() == (hostile.report_dir / filename).read_bytes(), name


def test_the_stryker_report_keeps_the_names_verbatim(hostile):
    report = json.loads(hostile.report_file("mutation.json"))
    names = sorted(f"{path}::{test['name']}" for path, entry in report["testFiles"].items() for test in entry["tests"])
    assert names == sorted([HOSTILE_TEST, CRASH_ONLY_TEST])
    assert "</script><script>alert(2)</script>" in report["files"]["markup/render.py"]["source"]


def test_junit_shows_the_rejected_test_and_the_survivors_as_failures(hostile):
    suites = JUnitXml.fromstring(hostile.report_file("junit.xml"))
    cases = [case for suite in suites for case in suite]
    failed = sorted(case.name for case in cases if not case.is_passed)
    assert CRASH_ONLY_TEST in " ".join(failed)
    assert sum("markup.render.comment#" in name for name in failed) == 2
    assert "<img" not in hostile.report_file("junit.xml")


def test_sarif_locates_the_survivors_and_the_rejected_test(hostile):
    log = json.loads(hostile.report_file("mutation.sarif"))
    results = log["runs"][0]["results"]
    rules = sorted(result["ruleId"] for result in results)
    assert rules == ["surviving-mutant", "surviving-mutant", "weak-test/crash-only"]
    regions = sorted(result["locations"][0]["physicalLocation"]["region"]["startLine"]
                     for result in results if result["ruleId"] == "surviving-mutant")
    assert regions == [9, 9]


def test_the_markdown_summary_holds_no_live_markup(hostile):
    from markdown_it import MarkdownIt

    rendered = MarkdownIt("commonmark", {"html": True}).render(hostile.report_file("summary.md"))
    for tag in ("<img", "<script", "<i>", "<b>"):
        assert tag not in rendered, tag
    assert "<code>tests/test_render.py::test_comment_runs[&lt;i&gt;&amp;amp;|`x`&lt;/i&gt;]</code>" in rendered


def test_the_badge_gives_the_overall_score(hostile):
    assert json.loads(hostile.report_file("badge.json"))["message"] == "80.0%"


def test_the_html_report_shows_the_names_as_text_in_chromium(hostile):
    browser.check_chromium()
    with sync_playwright() as playwright:
        chromium = browser.launch(playwright)
        page, problems = browser.open_report(chromium, hostile.report_dir / "mutation.html", "#test")
        page.locator("mte-test-view mte-metrics-table a", has_text="test_render.py").click()
        expect(page.get_by_text('HOSTILE = "</script><img src=x onerror=alert(1)>"')).to_be_visible()
        shown = []
        for test_id, name in (("0", HOSTILE_TEST), ("1", CRASH_ONLY_TEST)):
            page.locator(f'svg.test-dot[data-test-id="{test_id}"]').click()  # the test's drawer names it
            drawer_title = page.get_by_text(f"{name.split('::')[1]} [Killing]")
            expect(drawer_title).to_be_visible()
            shown.append(drawer_title.count())
        elements = [page.locator(selector).count() for selector in ("img", "i", "[onerror]", "script")]
        chromium.close()

    assert (shown, elements, problems) == ([1, 1], [0, 0, 0, 3], [])
