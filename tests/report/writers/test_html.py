"""The HTML report's text: the page around the viewer's bundle and the report JSON, its escaping,
and where the bundle is looked for (the page in a real browser: tests/report/test_html_in_chromium.py)."""

import base64
import json

import pytest

from mutation.errors import FormatUnavailable
from mutation.report import writers
from mutation.report.writers import html, stryker
from tests.report.flaky import FLAKY_ID, FLAKY_REASON, flaky_document
from tests.report.hostile import HOSTILE_SOURCE, HOSTILE_TEST, MARKERS, hostile_document

REAL_BUNDLE = html.GATE_CHECKOUT / html.BUNDLE
FAKE_BUNDLE = "window.viewer = 'the bundle';"


def minimal_report(test=HOSTILE_TEST, source=HOSTILE_SOURCE):
    """A small Stryker-schema report naming `test` and showing `source`."""
    return {
        "schemaVersion": "2",
        "thresholds": {"high": 80, "low": 60},
        "files": {"pkg/a.py": {"language": "python", "source": source, "mutants": [
            {"id": "1", "mutatorName": "x", "status": "Survived", "coveredBy": [test],
             "location": {"start": {"line": 3, "column": 5}, "end": {"line": 3, "column": 17}}}]}},
        "testFiles": {"tests/test_a.py": {"tests": [{"id": test, "name": test}]}},
    }


def install_bundle(root, version="3.9.0", text=FAKE_BUNDLE):
    """A node_modules/mutation-testing-elements under `root`; returns the bundle's path."""
    bundle = root / html.BUNDLE
    bundle.parent.mkdir(parents=True)
    bundle.write_text(text, encoding="utf-8")
    (bundle.parent.parent / "package.json").write_text(json.dumps({"version": version}), encoding="utf-8")
    return bundle


def a_document(project_root):
    return {"run": {"config": {"project_root": str(project_root)}}}


@pytest.fixture
def no_gate_checkout(tmp_path, monkeypatch):
    """The gate's own checkout has no node_modules (a directory of its own under tmp_path)."""
    checkout = tmp_path / "gate"
    monkeypatch.setattr(html, "GATE_CHECKOUT", checkout)
    return checkout


def test_report_json_in_a_script_has_every_markup_character_escaped():
    text = html.script_json({"name": "</script><!-- a & b > c \u2028\u2029 é"})

    assert text == '{"name":"\\u003c/script\\u003e\\u003c!-- a \\u0026 b \\u003e c \\u2028\\u2029 \\u00e9"}'
    assert json.loads(text) == {"name": "</script><!-- a & b > c \u2028\u2029 é"}


def test_the_page_shows_the_report_in_the_viewer_with_its_bundle_inlined():
    report = minimal_report()

    text = html.page(report, FAKE_BUNDLE, 66.666)

    assert text.startswith("<!DOCTYPE html>\n")
    assert "<title>mutation-gate report: 66.7% mutation score</title>" in text
    assert ('<mutation-test-report-app title-postfix="mutation-gate report: 66.7% mutation score">'
            in text)
    assert f"<script>\n{FAKE_BUNDLE}\n</script>" in text
    data = text.split('<script type="application/json" id="mutation-report">')[1].split("</script>")[0]
    assert json.loads(data) == report
    assert "app.report = JSON.parse(document.getElementById('mutation-report').textContent);" in text


def test_no_hostile_marker_of_the_report_appears_in_the_page_as_markup():
    text = html.page(minimal_report(), FAKE_BUNDLE, None)

    assert [marker for marker in MARKERS if marker in text] == []
    assert text.lower().count("<script") == 3
    assert text.lower().count("</script") == 3
    assert "<!--" not in text


def test_a_page_without_a_score_says_so_in_its_title():
    assert "<title>mutation-gate report: no mutation score</title>" in html.page(minimal_report(), FAKE_BUNDLE, None)


@pytest.mark.parametrize("bundle", ["let a = '</script>';", "let a = '</SCRIPT';", "/<!--/; let b = '<Script>';"])
def test_a_bundle_that_could_end_its_script_early_is_inlined_as_a_data_url(bundle):
    script = html.bundle_script(bundle)

    prefix, suffix = '<script src="data:text/javascript;base64,', '"></script>'
    assert script.startswith(prefix) and script.endswith(suffix)
    assert base64.b64decode(script[len(prefix):-len(suffix)]).decode("utf-8") == bundle


@pytest.mark.parametrize("bundle", ["let a = '<script>'; /<!--/;", "/<!--/; let b = '<scrip';"])
def test_a_comment_opener_without_a_script_tag_after_it_is_harmless(bundle):
    assert html.bundle_script(bundle) == f"<script>\n{bundle}\n</script>"


def test_the_pinned_bundle_is_inlined_as_it_is():
    bundle = REAL_BUNDLE.read_text(encoding="utf-8")

    assert html.bundle_script(bundle) == f"<script>\n{bundle}\n</script>"


def test_the_pinned_version_is_the_one_package_json_installs():
    manifest = json.loads((html.GATE_CHECKOUT / "package.json").read_text(encoding="utf-8"))

    assert manifest["devDependencies"]["mutation-testing-elements"] == html.ELEMENTS_VERSION == "3.9.0"


def test_without_a_bundle_the_format_is_unavailable_naming_where_it_looked(tmp_path, no_gate_checkout):
    with pytest.raises(FormatUnavailable) as error:
        html.find_bundle(a_document(tmp_path / "project"), {})

    assert str(error.value) == (
        f"the viewer's bundle mutation-test-elements.js is not installed (looked at "
        f"{tmp_path}/project/node_modules/mutation-testing-elements/dist/mutation-test-elements.js, "
        f"{tmp_path}/gate/node_modules/mutation-testing-elements/dist/mutation-test-elements.js): "
        "run `npm install mutation-testing-elements@3.9.0` in the project, "
        "or set MUTATION_GATE_ELEMENTS_JS to its dist/mutation-test-elements.js")


def test_a_bundle_named_by_the_variable_must_be_there(tmp_path):
    install_bundle(tmp_path / "project")

    with pytest.raises(FormatUnavailable) as error:
        html.find_bundle(a_document(tmp_path / "project"), {html.ENV_VAR: str(tmp_path / "elements.js")})

    assert str(error.value) == f"MUTATION_GATE_ELEMENTS_JS={tmp_path}/elements.js: no such file"


def test_without_a_project_root_or_variable_only_the_gate_checkout_is_looked_at(no_gate_checkout):
    with pytest.raises(FormatUnavailable) as error:
        html.find_bundle({"run": {"config": {}}}, {html.ENV_VAR: ""})

    assert f"(looked at {no_gate_checkout / html.BUNDLE}):" in str(error.value)


def test_the_variable_comes_before_the_project_and_the_project_before_the_gate(tmp_path, no_gate_checkout):
    variable = install_bundle(tmp_path / "chosen", text="variable")
    install_bundle(tmp_path / "project", text="project")
    install_bundle(no_gate_checkout, text="gate")
    document = a_document(tmp_path / "project")

    assert html.find_bundle(document, {html.ENV_VAR: str(variable)}) == "variable"
    assert html.find_bundle(document, {}) == "project"
    assert html.find_bundle(a_document(tmp_path / "elsewhere"), {}) == "gate"


def test_a_bundle_of_another_version_is_refused(tmp_path, no_gate_checkout):
    bundle = install_bundle(tmp_path / "project", version="3.10.0")

    with pytest.raises(FormatUnavailable) as error:
        html.find_bundle(a_document(tmp_path / "project"), {})

    assert str(error.value) == (f"{bundle} is mutation-testing-elements version 3.10.0, the report is built for "
                                "3.9.0: run `npm install mutation-testing-elements@3.9.0`")


def test_a_bundle_without_its_package_json_is_refused(tmp_path, no_gate_checkout):
    bundle = tmp_path / "elements.js"
    bundle.write_text(FAKE_BUNDLE, encoding="utf-8")

    with pytest.raises(FormatUnavailable) as error:
        html.find_bundle(a_document(tmp_path), {html.ENV_VAR: str(bundle)})

    assert str(error.value) == (f"{bundle} is mutation-testing-elements of unknown version (no readable "
                                "package.json), the report is built for 3.9.0: "
                                "run `npm install mutation-testing-elements@3.9.0`")


def test_render_inlines_the_found_bundle_verbatim_around_the_stryker_report(tmp_path, monkeypatch, no_gate_checkout):
    document = hostile_document()
    document["run"]["config"]["project_root"] = str(tmp_path)
    install_bundle(tmp_path, text=REAL_BUNDLE.read_text(encoding="utf-8"))
    monkeypatch.delenv(html.ENV_VAR, raising=False)

    text = html.render(document)

    assert text == html.page(stryker.report(document), REAL_BUNDLE.read_text(encoding="utf-8"),
                             document["overall"]["mutation_score"])
    assert f"<script>\n{REAL_BUNDLE.read_text(encoding='utf-8')}\n</script>" in text


def test_the_registry_writes_the_page_to_mutation_html(tmp_path, monkeypatch, capsys, no_gate_checkout):
    document = hostile_document()
    document["run"]["config"]["project_root"] = str(tmp_path)
    install_bundle(tmp_path)
    monkeypatch.delenv(html.ENV_VAR, raising=False)
    monkeypatch.chdir(tmp_path)

    written = writers.emit(document, ["html"], tmp_path / "reports")

    assert written == [tmp_path / "reports" / "mutation.html"]
    assert written[0].read_text(encoding="utf-8") == html.render(document)
    assert capsys.readouterr().out == "html report: reports/mutation.html\n"


def test_without_the_bundle_the_registry_writes_no_page_and_says_why(tmp_path, monkeypatch, no_gate_checkout):
    document = hostile_document()
    document["run"]["config"]["project_root"] = str(tmp_path)
    monkeypatch.delenv(html.ENV_VAR, raising=False)

    with pytest.raises(FormatUnavailable) as error:
        writers.emit(document, ["html"], tmp_path / "reports")

    assert str(error.value).startswith("html report not written: the viewer's bundle mutation-test-elements.js is "
                                       f"not installed (looked at {tmp_path}/node_modules/")
    assert not (tmp_path / "reports").exists()


def test_a_flaky_mutants_reason_naming_both_runs_and_the_tests_involved_reaches_the_page(tmp_path, monkeypatch,
                                                                                         no_gate_checkout):
    document = flaky_document()
    document["run"]["config"]["project_root"] = str(tmp_path)
    install_bundle(tmp_path)
    monkeypatch.delenv(html.ENV_VAR, raising=False)
    monkeypatch.chdir(tmp_path)

    (written,) = writers.emit(document, ["html"], tmp_path / "reports")

    page = written.read_text(encoding="utf-8")
    data = page.split('<script type="application/json" id="mutation-report">', 1)[1].split("</script>", 1)[0]
    mutants = {mutant["id"]: mutant for mutant in json.loads(data)["files"]["pkg/a.py"]["mutants"]}
    # The viewer has no flaky status: Survived (never detected, as the gate counts it), and its
    # drawer shows the statusReason as the reason for that status.
    assert (mutants[FLAKY_ID]["status"], mutants[FLAKY_ID]["statusReason"]) == ("Survived", FLAKY_REASON)
    assert FLAKY_REASON == "flaky: survived then killed on a re-run (tests involved: tests/test_a.py::test_one)"
    assert f'"statusReason":"{FLAKY_REASON}"' in page
