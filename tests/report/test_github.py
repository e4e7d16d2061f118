"""GitHub Actions output: the Markdown summary appended to GITHUB_STEP_SUMMARY, and workflow
commands (annotations at rejected tests and survivors, escaped, capped per level) when
GITHUB_ACTIONS is "true". The environment is always a dict given to `publish`."""

import io

import pytest

from mutation.report import github
from mutation.report.writers import markdown
from tests.factories import T1, gate_document, mutant_entry, per_test_entry
from tests.report.flaky import FLAKY_ID, flaky_document
from tests.report.hostile import hostile_document

HOSTILE_RULES = ("runs this code but no change to it makes the test fail: assert the exact values it returns and "
                 "the effects it has")


def published(document, environ):
    out, err = io.StringIO(), io.StringIO()
    github.publish(document, environ, out, err)
    return out.getvalue(), err.getvalue()


def test_the_summary_is_appended_to_the_step_summary_file(tmp_path):
    summary = tmp_path / "step_summary.md"
    summary.write_text("an earlier step's summary\n", encoding="utf-8")
    document = hostile_document()

    assert published(document, {"GITHUB_STEP_SUMMARY": str(summary)}) == ("", "")
    assert summary.read_text(encoding="utf-8") == "an earlier step's summary\n" + markdown.render(document)


def test_a_step_summary_that_cannot_be_written_is_one_line_on_stderr(tmp_path):
    missing = tmp_path / "no such dir" / "summary.md"

    assert published(hostile_document(), {"GITHUB_STEP_SUMMARY": str(tmp_path)}) == (
        "", f"mutation-gate: GITHUB_STEP_SUMMARY={tmp_path}: summary not written: Is a directory\n")
    assert published(hostile_document(), {"GITHUB_STEP_SUMMARY": str(missing)}) == (
        "", f"mutation-gate: GITHUB_STEP_SUMMARY={missing}: summary not written: No such file or directory\n")


def test_a_bad_step_summary_still_prints_the_annotations(tmp_path):
    out, err = published(hostile_document(), {"GITHUB_STEP_SUMMARY": str(tmp_path), "GITHUB_ACTIONS": "true"})

    assert err == f"mutation-gate: GITHUB_STEP_SUMMARY={tmp_path}: summary not written: Is a directory\n"
    assert out.count("\n") == 3


def test_outside_github_actions_nothing_is_printed_or_written(tmp_path):
    assert published(hostile_document(), {}) == ("", "")
    assert published(hostile_document(), {"GITHUB_ACTIONS": "false", "GITHUB_STEP_SUMMARY": ""}) == ("", "")
    assert list(tmp_path.iterdir()) == []


def test_annotations_of_the_hostile_document():
    out, err = published(hostile_document(), {"GITHUB_ACTIONS": "true"})

    assert err == ""
    assert out.splitlines() == [
        "::error file=tests/test_a.py,title=rejected test (covering)%3A "
        "tests/test_a.py%3A%3Atest_one[</script><img src=x onerror=alert(1)>]::" + HOSTILE_RULES +
        "%0AIt passed under 3 of the mutants it ran, e.g. pkg.a.f#2 (survived, pkg/a.py:3), "
        "pkg.a.g#1 (survived, pkg/a.py:7), pkg.a.f#1 (killed, pkg/a.py:3)",
        "::error file=pkg/a.py,line=3,col=14,endLine=3,endColumn=19,title=surviving mutant pkg.a.f#2::"
        "In f, executed by 2 tests, none failed; target pkg/a.py is below its minimum"
        "%0A--- pkg/a.py%0A+++ pkg/a.py%0A@@ -1,2 +1,2 @@%0A def f(x):%0A-    return x + 1%0A+    return x - 1",
        "::error file=pkg/a.py,line=7,col=14,endLine=7,endColumn=19,title=surviving mutant pkg.a.g#1::"
        "In g, executed by 1 test, none failed; target pkg/a.py is below its minimum"
        '%0A--- pkg/a.py%0A+++ pkg/a.py%0A@@ -6,2 +6,2 @@%0A def g(text):%0A-    return text + "<!-- ]]> `|` -->"'
        '%0A+    return text + "XX<!-- ]]> `|` -->XX"',
    ]


def test_properties_and_messages_are_escaped_as_the_runner_reads_them():
    test = "tests/t,1.py::test_x[50%: a,b\nc\r::error::x]"
    mutants = [mutant_entry("pkg.a.f#1", covered_by=[test], line=4, file="pkg/a:b,c.py",
                            diff="--- a\n+++ a\n-x = '100%'\n+x = '100%,:'")]
    tests = {test: {**per_test_entry({"pkg/a.py": [4]}), "body": "tests/t,1.py:9"}}
    document = gate_document(mutants, tests=tests)

    lines = github.annotations(document)

    assert lines == [
        "::error file=tests/t%2C1.py,line=9,title=rejected test (covering)%3A "
        "tests/t%2C1.py%3A%3Atest_x[50%25%3A a%2Cb%0Ac%0D%3A%3Aerror%3A%3Ax]::" + HOSTILE_RULES +
        "%0AIt passed under 1 of the mutants it ran, e.g. pkg.a.f#1 (survived, pkg/a:b,c.py:4)",
        "::error file=pkg/a%3Ab%2Cc.py,line=4,col=14,endLine=4,endColumn=19,title=surviving mutant pkg.a.f#1::"
        "In f, executed by 1 test, none failed; target pkg/a.py is below its minimum"
        "%0A--- a%0A+++ a%0A-x = '100%25'%0A+x = '100%25,:'",
    ]
    assert all("\n" not in line and "\r" not in line for line in lines)


def test_a_command_without_properties():
    assert github.command("notice", {}, "50% done\n") == "::notice::50%25 done%0A"


def test_survivors_of_a_passing_target_are_warnings():
    document = gate_document([mutant_entry("pkg.a.f#1", covered_by=["t.py::t"]),
                              mutant_entry("pkg.a.f#2", "killed", covered_by=["t.py::t"],
                                           killed_by=[("t.py::t", "assertion")])], min_score=50.0)

    assert github.annotations(document) == [
        "::warning file=pkg/a.py,line=2,col=14,endLine=2,endColumn=19,title=surviving mutant pkg.a.f#1::"
        "In f, executed by 1 test, none failed; target pkg/a.py meets its minimum"
        "%0A--- pkg/a.py%0A+++ pkg/a.py%0A@@ -1,2 +1,2 @@%0A def f(x):%0A-    return x + 1%0A+    return x - 1",
    ]


def test_a_mutant_no_test_executes_in_a_diff_runs_changed_line_is_an_error_and_elsewhere_none():
    document = gate_document([mutant_entry("pkg.a.f#1", "no_tests"), mutant_entry("pkg.a.f#2", "no_tests")],
                             min_score=0.0)
    document["run"]["diff"] = {"in_changed_lines": ["pkg.a.f#1"]}

    assert github.annotations(document) == [
        "::error file=pkg/a.py,line=2,col=14,endLine=2,endColumn=19,title=uncovered mutant pkg.a.f#1::"
        "In f, no test executes this mutated code, in a line the --diff change holds"
        "%0A--- pkg/a.py%0A+++ pkg/a.py%0A@@ -1,2 +1,2 @@%0A def f(x):%0A-    return x + 1%0A+    return x - 1",
    ]


def test_at_most_10_errors_and_10_warnings_then_one_notice_counts_the_rest():
    """One rejected test and 12 survivors of a failing target (errors), 12 of a passing one (warnings)."""
    killer = "t.py::test_kills"
    rejected = "t.py::test_covers"
    failing = [mutant_entry(f"pkg.a.f#{n}", covered_by=[killer, rejected][: 2 if n == 1 else 1], line=n)
               for n in range(1, 13)]
    passing = [mutant_entry(f"pkg.b.g#{n}", function="g", target="pkg/b.py", covered_by=[killer], line=n)
               for n in range(1, 13)]
    passing += [mutant_entry(f"pkg.b.g#{n}", "killed", function="g", target="pkg/b.py", covered_by=[killer],
                             killed_by=[(killer, "assertion")], line=n) for n in range(13, 200)]
    tests = {killer: per_test_entry(kills=[(entry["id"], "assertion") for entry in passing if entry["killed_by"]]),
             rejected: per_test_entry({"pkg/a.py": [1]})}
    document = gate_document(failing + passing, tests=tests)
    assert document["rejected_tests"] == [rejected]

    lines = github.annotations(document)

    assert [line.split(" ", 1)[0] for line in lines] == ["::error"] * 10 + ["::warning"] * 10 + ["::notice"]
    assert lines[0].startswith("::error file=t.py,title=rejected test (covering)%3A t.py%3A%3Atest_covers::")
    assert [line.split("title=surviving mutant ")[1].split("::")[0] for line in lines[1:10]] == [
        "pkg.a.f#1", *(f"pkg.a.f#{n}" for n in (10, 11, 12, 2, 3, 4, 5, 6))]
    assert lines[-1] == ("::notice title=mutation gate::3 more errors and 2 more warnings not shown as annotations "
                         "(GitHub shows 10 of each per step); gate.json and `mutation-gate survivors` list them all")


def test_one_left_out_is_counted_in_the_singular():
    document = gate_document([mutant_entry(f"pkg.a.f#{n}", covered_by=["t.py::t"], line=n) for n in range(1, 12)],
                             min_score=0.0)

    assert github.annotations(document)[-1] == (
        "::notice title=mutation gate::1 more warning not shown as annotations (GitHub shows 10 of each per step); "
        "gate.json and `mutation-gate survivors` list them all")


def test_paths_are_made_relative_to_the_workspace_when_the_project_is_below_it():
    document = gate_document([mutant_entry("pkg.a.f#1", covered_by=["t.py::t"]),
                              mutant_entry("pkg.a.f#2", "killed", covered_by=["t.py::t"],
                                           killed_by=[("t.py::t", "assertion")])], min_score=0.0)
    document["run"]["config"]["project_root"] = "/home/runner/work/repo/services/api"

    def files(workspace):
        return [line.split(",")[0] for line in github.annotations(document, workspace)]

    assert files("/home/runner/work/repo") == ["::warning file=services/api/pkg/a.py"]
    assert files("/home/runner/work/repo/services/api") == ["::warning file=pkg/a.py"]
    assert files("/somewhere/else") == ["::warning file=pkg/a.py"]
    assert files(None) == ["::warning file=pkg/a.py"]
    out, _ = published(document, {"GITHUB_ACTIONS": "true", "GITHUB_WORKSPACE": "/home/runner/work"})
    assert out.startswith("::warning file=repo/services/api/pkg/a.py,line=2,")


@pytest.mark.parametrize(("flaky", "level"), [("warn", "warning"), ("fail", "error")])
def test_a_flaky_mutant_is_annotated_with_both_runs_at_the_level_its_setting_gives(flaky, level):
    lines = github.annotations(flaky_document(flaky))

    flaky_lines = [line for line in lines if "title=flaky mutant" in line]
    assert flaky_lines == [
        f"::{level} file=pkg/a.py,line=4,col=14,endLine=4,endColumn=19,title=flaky mutant {FLAKY_ID}::"
        f"In f: survived then killed; tests involved: {T1}%0A"
        f"first run: survived, 2 tests ran, none failed%0Are-run: killed by {T1} (assertion)%0A"
        + github.escape(markdown.cut_diff(flaky_document()["mutants"][2]["diff"]), github.DATA_ESCAPES)
    ]
