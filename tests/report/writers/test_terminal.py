"""The terminal summary of a gate.json document: the target table, the worst survivors, tests,
functions, code the engine cannot mutate, and the verdict."""

import pytest

from mutation.report.writers import terminal
from tests.factories import A_DIFF, T1
from tests.factories import mutant_entry as mutant
from tests.report.flaky import FLAKY_ID, FLAKY_NOTE, FLAKY_REASON, flaky_document, flaky_entry

def target_row(path, files, counts, scores, min_score, coverage):
    mutants, killed, survived, timeout, no_tests = counts
    mutation, assertion, strength = scores
    return {
        "path": path, "files": files, "min_score": min_score, "mutants": mutants, "killed": killed,
        "survived": survived, "timeout": timeout, "no_tests": no_tests, "mutation_score": mutation,
        "assertion_score": assertion, "test_strength": strength, "line_coverage": coverage[0],
        "branch_coverage": coverage[1],
    }


def summary_document():
    survivors = [
        mutant(f"pkg.a.f#{n}", covered_by=[f"t.py::t{i}" for i in range(tests)], line=n, diff=f"diff of f#{n}")
        for n, tests in [(1, 1), (2, 3), (3, 0), (4, 3), (5, 2), (6, 5)]
    ]
    return {
        "targets": [
            target_row("pkg/a.py", ["pkg/a.py", "pkg/helper.py"], (10, 3, 6, 1, 0), (40.0, 25.0, 44.444), 90,
                       (87.5, 66.666)),
            target_row("pkg/empty.py", ["pkg/empty.py"], (0, 0, 0, 0, 0), (None, None, None), 72.5, (None, None)),
        ],
        "overall": {"mutants": 10, "killed": 3, "survived": 6, "timeout": 1, "no_tests": 0, "mutation_score": 40.0,
                    "assertion_score": 25.0},
        "mutants": [mutant("pkg.a.f#7", "killed", covered_by=["t.py::t0"] * 9), *survivors],
        "unmutated": [
            {"file": "pkg/a.py", "line": 3, "kind": "module statement", "name": "REGISTRY"},
            {"file": "pkg/helper.py", "line": 12, "kind": "decorated function (@property)", "name": "size"},
        ],
        "verdict": {
            "exit_code": 2, "status": "below threshold",
            "reasons": ["pkg/a.py: mutation score 40.00% < minimum 90%"],
            "targets": {"pkg/a.py": {"status": "below threshold", "problems": []},
                        "pkg/empty.py": {"status": "pass", "problems": [], "note": "no mutants to measure"}},
        },
    }


def test_render_summary():
    assert terminal.render(summary_document()).split("\n") == [
        "",
        "target        mutants  killed  survived  timeout  no tests  mutation  assertion    min          verdict",
        "pkg/a.py           10       3         6        1         0     40.0%      25.0%    90%  below threshold",
        "pkg/empty.py        0       0         0        0         0       n/a        n/a  72.5%             pass",
        "overall            10       3         6        1         0     40.0%      25.0%" + " " * 24,
        "",
        "  pkg/a.py: +1 helper modules, line coverage 87.5%, branch coverage 66.7%, test strength 44.4%",
        "  pkg/empty.py: +0 helper modules, line coverage n/a, branch coverage n/a, test strength n/a",
        "",
        "worst survivors (5 of 6; `mutation-gate survivors` lists all):",
        "",
        "pkg.a.f#6  (pkg/a.py:6, executed by 5 tests)",
        "diff of f#6",
        "",
        "pkg.a.f#2  (pkg/a.py:2, executed by 3 tests)",
        "diff of f#2",
        "",
        "pkg.a.f#4  (pkg/a.py:4, executed by 3 tests)",
        "diff of f#4",
        "",
        "pkg.a.f#5  (pkg/a.py:5, executed by 2 tests)",
        "diff of f#5",
        "",
        "pkg.a.f#1  (pkg/a.py:1, executed by 1 tests)",
        "diff of f#1",
        "",
        "unmutated code mutmut cannot judge (2):",
        "  pkg/a.py:3  module statement  REGISTRY",
        "  pkg/helper.py:12  decorated function (@property)  size",
        "",
        "verdict: BELOW THRESHOLD (exit 2)",
        "  pkg/a.py: mutation score 40.00% < minimum 90%",
    ]


def test_render_without_survivors_or_unmutated_code_goes_from_table_to_verdict():
    summary = summary_document()
    summary["mutants"] = summary["mutants"][:1]
    summary["unmutated"] = []
    summary["verdict"] = {**summary["verdict"], "exit_code": 0, "status": "pass", "reasons": []}

    assert terminal.render(summary).split("\n")[-3:] == [
        "  pkg/empty.py: +0 helper modules, line coverage n/a, branch coverage n/a, test strength n/a",
        "",
        "verdict: PASS (exit 0)",
    ]


@pytest.mark.parametrize(
    ("lines", "text"),
    [([1, 2, 3, 7, 9, 10], "1-3,7,9-10"), ([5], "5"), ([4, 2, 3], "2-4"), ([], "")],
)
def test_line_ranges_compress_consecutive_lines(lines, text):
    assert terminal.line_ranges(lines) == text


def test_a_package_target_counts_its_modules_not_helpers():
    document = summary_document()
    document["targets"][0] = {**document["targets"][0], "path": "pkg", "files": ["pkg/a.py", "pkg/b.py"]}
    document["verdict"]["targets"]["pkg"] = document["verdict"]["targets"].pop("pkg/a.py")

    assert "  pkg: 2 modules, line coverage 87.5%, branch coverage 66.7%, test strength 44.4%" in (
        terminal.render(document).split("\n"))


def test_a_flaky_mutant_has_its_column_and_is_listed_with_both_runs_the_tests_involved_and_its_diff():
    lines = terminal.render(flaky_document()).split("\n")

    assert lines[1:5] == [
        "target    mutants  killed  survived  timeout  no tests  flaky  mutation  assertion  min  verdict",
        "pkg/a.py        3       1         1        0         0      1     33.3%      33.3%  20%     pass",
        "pkg/b.py        1       1         0        0         0      0    100.0%     100.0%  20%     pass",
        "overall         4       2         1        0         0      1     50.0%      50.0%" + " " * 14,
    ]
    start = lines.index("flaky mutants (1): each came out otherwise when re-run once, and is never counted as "
                        "detected:")
    assert lines[start + 1:start + 6] == [
        "",
        f"{FLAKY_ID}  (pkg/a.py:4, survived then killed; tests involved: {T1})",
        "  first run: survived, 2 tests ran, none failed",
        f"  re-run: killed by {T1} (assertion)",
        A_DIFF.splitlines()[0],
    ]
    assert lines[-2:] == ["verdict: PASS (exit 0)", f"  note: {FLAKY_NOTE}"]


def test_under_flaky_fail_the_flaky_mutant_is_the_verdicts_reason_and_no_note():
    lines = terminal.render(flaky_document("fail")).split("\n")

    assert lines[-2:] == ["verdict: FLAKY (exit 7)", f"  {FLAKY_NOTE}"]
    assert [line for line in lines if "note:" in line] == []


def test_without_flaky_mutants_the_table_has_no_flaky_column_and_no_flaky_section():
    document = flaky_document()
    document["mutants"] = [mutant for mutant in document["mutants"] if mutant["status"] != "flaky"]
    document["overall"]["flaky"] = 0

    text = terminal.render(document)
    assert text.split("\n")[1].split() == ["target", "mutants", "killed", "survived", "timeout", "no", "tests",
                                           "mutation", "assertion", "min", "verdict"]
    assert "flaky mutants" not in text


def test_more_flaky_mutants_than_shown_say_how_many_and_a_mutant_without_runs_gives_its_reason():
    document = flaky_document()
    extra = [flaky_entry(f"pkg.a.f#{n}", line=n) for n in range(4, 9)]
    for entry in extra:
        del entry["flaky"]  # a document written without the runs (the schema does not require them)
    document["mutants"] += extra

    lines = terminal.render(document).split("\n")
    assert "flaky mutants (5 of 6; gate.json lists all): each came out otherwise when re-run once, and is never " \
           "counted as detected:" in lines
    assert f"pkg.a.f#4  (pkg/a.py:4, {FLAKY_REASON})" in lines
    assert "pkg.a.f#7  (pkg/a.py:7, " + FLAKY_REASON + ")" in lines
    assert not any(line.startswith("pkg.a.f#8  (") for line in lines)
