"""The HTML report in a real browser (Debian's Chromium through Playwright, from file://, offline):
the viewer draws the file tree with the document's counts and the test view with its tests, shows
hostile names and source as text, and nothing on the page errs or opens a dialog.

Chromium comes from scripts/ensure-chromium; without it these tests fail (they are not skipped).
A screenshot of each page is kept in $MUTATION_GATE_ARTIFACTS (or the test's tmp_path).
"""

import os
from collections import Counter
from pathlib import Path

import pytest
from playwright.sync_api import expect, sync_playwright

from mutation.report.writers import html
from tests import browser
from tests.factories import gate_document, mutant_entry
from tests.report.flaky import FLAKY_ID, FLAKY_REASON, flaky_document
from tests.report.hostile import HOSTILE_TEST, PLAIN_TEST, hostile_document

T1, T2, T3 = "tests/test_a.py::test_one", "tests/test_a.py::test_two", "tests/lib/test_c.py::test_c"
# The viewer's table columns, by the document's names (its Total: every mutant, here no compile or runtime errors).
COLUMNS = {"killed": "killed", "survived": "survived", "timeout": "timeout", "noCoverage": "no_tests",
           "totalMutants": "mutants"}


def few_files_document():
    """Three files in two directories, one mutant status of each kind the table counts."""
    return gate_document([
        mutant_entry("pkg.a.f#1", "killed", covered_by=[T1, T2], killed_by=[(T1, "assertion")]),
        mutant_entry("pkg.a.f#2", "killed", covered_by=[T1], killed_by=[(T1, "assertion")]),
        mutant_entry("pkg.a.f#3", "survived", covered_by=[T1, T2]),
        mutant_entry("pkg.a.f#4", "timeout", covered_by=[T2], killed_by=[(T2, "timeout")]),
        mutant_entry("pkg.b.f#1", "killed", target="pkg/b.py", covered_by=[T2], killed_by=[(T2, "assertion")]),
        mutant_entry("pkg.b.f#2", "no_tests", target="pkg/b.py"),
        mutant_entry("lib.c.f#1", "survived", target="lib/c.py", covered_by=[T3]),
        mutant_entry("lib.c.f#2", "survived", target="lib/c.py", covered_by=[T3]),
        mutant_entry("lib.c.f#3", "killed", target="lib/c.py", covered_by=[T3], killed_by=[(T3, "crash")]),
    ])


@pytest.fixture(scope="module")
def chromium():
    missing = None
    try:
        browser.check_chromium()
    except browser.ChromiumMissing as error:
        missing = str(error)
    if missing:  # failed, not skipped: CI has to have the browser
        pytest.fail(missing, pytrace=False)
    with sync_playwright() as playwright:
        launched = browser.launch(playwright)
        yield launched
        launched.close()


@pytest.fixture(scope="module")
def reports(tmp_path_factory):
    """The HTML of each document, written once for the module: name -> (document, path)."""
    directory = tmp_path_factory.mktemp("html")
    written = {}
    for name, document in (("hostile", hostile_document()), ("few_files", few_files_document()),
                           ("flaky", flaky_document())):
        path = directory / f"{name}.html"
        path.write_text(html.render(document), encoding="utf-8")
        written[name] = (document, path)
    return written


@pytest.fixture
def artifacts(tmp_path):
    directory = Path(os.environ.get("MUTATION_GATE_ARTIFACTS") or tmp_path)
    directory.mkdir(parents=True, exist_ok=True)
    return directory


def keep_screenshot(page, artifacts, name):
    path = artifacts / name
    page.screenshot(path=str(path), full_page=True)
    print(f"screenshot: {path}")


ROW_CELLS = """(rows, columns) => rows.map(row => [row.title, columns.map(
    column => row.querySelector(`td[aria-describedby="tooltip-${column}"]`).textContent.trim())])"""


def table_rows(view):
    """Each row of the metrics table in `view` (a locator): title -> counts by the document's status names."""
    rows = view.locator("mte-metrics-table tbody tr").evaluate_all(ROW_CELLS, list(COLUMNS))
    return {title: {status: int(cell) for status, cell in zip(COLUMNS.values(), cells)} for title, cells in rows}


def document_counts(document, files):
    """The document's mutant counts (the table's statuses, and all) over the mutants of `files`."""
    mutants = [mutant for mutant in document["mutants"] if mutant["file"] in files]
    counts = Counter(mutant["status"] for mutant in mutants)
    counts["mutants"] = len(mutants)
    return {name: counts[name] for name in COLUMNS.values()}


def test_the_file_tree_shows_each_directory_and_file_with_the_documents_counts(chromium, reports, artifacts):
    document, path = reports["few_files"]
    page, problems = browser.open_report(chromium, path)
    every_file = set(document["files"])

    assert page.title() == "All files - mutation-gate report: 55.6% mutation score"
    assert table_rows(page.locator("mte-mutant-view")) == {
        "All files": document_counts(document, every_file),
        "c.py": document_counts(document, {"lib/c.py"}),
        "pkg": document_counts(document, {"pkg/a.py", "pkg/b.py"}),
    }
    keep_screenshot(page, artifacts, "html-report-files.png")
    page.locator("mte-mutant-view mte-metrics-table a", has_text="pkg").click()
    expect(page.locator('mte-mutant-view mte-metrics-table tbody tr[title="a.py"]')).to_have_count(1)
    assert table_rows(page.locator("mte-mutant-view")) == {
        "pkg": document_counts(document, {"pkg/a.py", "pkg/b.py"}),
        "a.py": document_counts(document, {"pkg/a.py"}),
        "b.py": document_counts(document, {"pkg/b.py"}),
    }
    assert document_counts(document, {"pkg/a.py"}) == {"killed": 2, "survived": 1, "timeout": 1, "no_tests": 0,
                                                            "mutants": 4}
    assert problems == []


def test_the_test_view_lists_each_test_as_killing_or_covering(chromium, reports, artifacts):
    _, path = reports["few_files"]
    page, problems = browser.open_report(chromium, path, "#test")

    assert [row.get_attribute("title") for row in page.locator("mte-test-view mte-metrics-table tbody tr").all()] \
        == ["All tests", "test_c.py", "test_a.py"]
    page.locator("mte-test-view mte-metrics-table a", has_text="test_a.py").click()
    tests = page.locator("mte-test-file li")
    expect(tests).to_have_count(2)
    assert [text.split(" ", 1)[1] for text in tests.all_inner_texts()] \
        == ["test_one [Killing]", "test_two [Killing]"]
    keep_screenshot(page, artifacts, "html-report-tests.png")
    assert problems == []


def test_hostile_names_and_source_are_shown_as_text_and_nothing_runs(chromium, reports, artifacts):
    _, path = reports["hostile"]
    page, problems = browser.open_report(chromium, path)

    page.locator("mte-mutant-view mte-metrics-table a", has_text="a.py").click()
    expect(page.get_by_text('"""<b>bold</b> & </script><script>alert(2)</script>"""')).to_be_visible()
    expect(page.get_by_text('"<!-- ]]> `|` -->"')).to_be_visible()
    keep_screenshot(page, artifacts, "html-report-hostile-source.png")
    page.locator("a[role=tab]", has_text="Tests").click()
    page.locator("mte-test-view mte-metrics-table a", has_text="test_a.py").click()
    tests = page.locator("mte-test-file li")
    expect(tests).to_have_count(2)
    assert [text.split(" ", 1)[1] for text in tests.all_inner_texts()] == [
        f"{HOSTILE_TEST.split('::')[1]} [Covering]", f"{PLAIN_TEST.split('::')[1]} [Killing]"]

    # Playwright's CSS locators look inside every open shadow root, the viewer's included.
    assert [page.locator(selector).count() for selector in ("img", "b", "[onerror]", "script")] == [0, 0, 0, 3]
    assert problems == []


def test_a_flaky_mutants_drawer_gives_both_runs_and_the_tests_involved_as_the_reason_it_survived(chromium, reports,
                                                                                               artifacts):
    _, path = reports["flaky"]
    page, problems = browser.open_report(chromium, path)

    page.locator("mte-mutant-view mte-metrics-table a", has_text="a.py").click()
    page.locator(f'mte-file span.mutant[data-mutant-id="{FLAKY_ID}"]').first.click()
    reason = page.locator('mte-drawer-mutant [title="Reason for the Survived status"]')
    expect(reason).to_have_text(f"🕵️ {FLAKY_REASON}")
    keep_screenshot(page, artifacts, "html-report-flaky.png")
    assert problems == []
