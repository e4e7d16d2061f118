"""The ratchet baseline: made from a complete run, compared by stable keys with a tolerance in mutants,
recorded in gate.json (exit 6), and updated only upwards unless lowering is allowed."""

import json

import pytest

from mutation import exit_codes
from mutation.errors import ConfigError
from mutation.model import MutantStatus
from mutation.report import store
from mutation.report.writers import terminal
from mutation.verdicts.baseline import compare, make_baseline, read_baseline, tolerance_of, update, write_baseline
from tests.factories import A_DIFF, gate_config, gate_document, mutant_entry
from tests.report_schema import check_schema

T1 = "tests/test_a.py::test_one"


def diff_to(text):
    """A diff whose mutated text is `text`."""
    return A_DIFF.rsplit("+", 1)[0] + f"+    {text}"


def entries(function, statuses, start=1, text="return x - {n}", line=2):
    """Mutant entries of `function` in pkg/a.py, numbered from `start`, the n-th mutating to `text` with n."""
    made = []
    for number, status in enumerate(statuses, start=start):
        killed_by = [(T1, "assertion")] if status == "killed" else []
        covered = [] if status == "no_tests" else [T1]
        made.append(mutant_entry(f"pkg.a.{function}#{number}", status, function=function, covered_by=covered,
                                 killed_by=killed_by, line=line, diff=diff_to(text.format(n=number))))
    return made


def test_a_baseline_records_each_targets_figures_and_each_functions_sorted_survivor_texts():
    document = gate_document([*entries("f", ["killed", "survived", "no_tests"]), *entries("g", ["killed"])])

    assert make_baseline(document) == {
        "version": 1,
        "targets": {"pkg/a.py": {"mutants": 4, "detected": 2, "mutation_score": 50.0}},
        "functions": {
            "pkg/a.py::f": {"file": "pkg/a.py", "function": "f", "survivors": ["return x - 2", "return x - 3"]},
            "pkg/a.py::g": {"file": "pkg/a.py", "function": "g", "survivors": []},
        },
    }


@pytest.mark.parametrize(("mutants", "allowed"), [(10, 3), (150, 3), (200, 4), (250, 5)])
def test_the_default_tolerance_is_the_larger_of_2_percent_of_the_mutants_and_3(mutants, allowed):
    assert tolerance_of(mutants) == allowed


def test_losing_exactly_the_tolerance_passes_and_one_more_mutant_fails():
    baseline = make_baseline(gate_document(entries("f", ["killed"] * 100)))
    at_tolerance = gate_document([*entries("f", ["killed"] * 97), *entries("new", ["survived"] * 3, start=98)])
    beyond = gate_document([*entries("f", ["killed"] * 96), *entries("new", ["survived"] * 4, start=97)])

    assert compare(at_tolerance, baseline)["regressions"] == []
    assert compare(beyond, baseline)["regressions"] == [
        "pkg/a.py: 4 detected mutants lost against the baseline (100.00% of 100 mutants is 100 detected, 96 now), "
        "more than the tolerance of 3"]


def test_the_tolerance_is_measured_against_the_baseline_score_over_todays_mutants():
    baseline = make_baseline(gate_document(entries("f", ["killed"] * 9 + ["survived"])))  # 90%
    grown = gate_document([*entries("f", ["killed"] * 9 + ["survived"]), *entries("g", ["killed"] * 80 + [
        "survived"] * 10, start=11)])  # 89 of 100: 1 below 90% of 100

    assert compare(grown, baseline)["regressions"] == []
    assert compare(grown, baseline, tolerance=(0.0, 0))["regressions"] == [
        "pkg/a.py: 1 detected mutants lost against the baseline (90.00% of 100 mutants is 90 detected, 89 now), "
        "more than the tolerance of 0"]


def test_a_function_with_a_survivor_it_did_not_have_regresses_though_the_target_is_within_tolerance():
    baseline = make_baseline(gate_document(entries("f", ["killed", "survived"])))
    document = gate_document(entries("f", ["survived", "survived"]))

    assert compare(document, baseline)["regressions"] == [
        "pkg/a.py::f: a new survivor `return x - 1` (not in the baseline)"]


def test_a_survivor_that_moved_lines_and_changed_number_is_the_same_survivor():
    baseline = make_baseline(gate_document([*entries("f", ["killed"], text="return 0"),
                                            *entries("f", ["survived"], start=2, text="return x - 1")]))
    moved = gate_document([*entries("f", ["survived"], text="return x - 1", line=9),
                           *entries("f", ["killed"], start=2, text="return 0")])

    assert compare(moved, baseline) == {"regressions": [], "improvements": []}


def test_a_killed_baseline_survivor_is_reported_as_an_improvement_of_its_function_and_target():
    baseline = make_baseline(gate_document(entries("f", ["killed", "survived"])))
    document = gate_document(entries("f", ["killed", "killed"]))

    assert compare(document, baseline) == {"regressions": [], "improvements": [
        "pkg/a.py: 1 more detected mutants than the baseline (50.00% of 2 mutants is 1 detected, 2 now)",
        "pkg/a.py::f: 1 survivors of the baseline are detected now"]}


def test_a_run_below_the_baseline_exits_6_with_the_regressions_in_a_valid_document(tmp_path):
    write_baseline(make_baseline(gate_document(entries("f", ["killed", "killed"]))), tmp_path / "mutation-baseline.json")

    document = gate_document(entries("f", ["killed", "survived"]), min_score=0.0, root=tmp_path)

    assert document["verdict"]["exit_code"] == exit_codes.REGRESSED == 6
    assert document["verdict"]["status"] == "regressed"
    assert document["verdict"]["reasons"] == ["baseline: pkg/a.py::f: a new survivor `return x - 2` (not in the "
                                              "baseline)"]
    assert document["baseline"]["path"] == "mutation-baseline.json"
    assert terminal.render(document).count("a new survivor `return x - 2`") == 1  # once, as the verdict's reason
    check_schema(document)


def test_a_run_above_the_baseline_passes_and_the_terminal_tells_the_user_to_raise_it(tmp_path):
    write_baseline(make_baseline(gate_document(entries("f", ["killed", "survived"]))), tmp_path / "mutation-baseline.json")

    document = gate_document(entries("f", ["killed", "killed"]), min_score=0.0, root=tmp_path)
    text = terminal.render(document)

    assert document["verdict"]["exit_code"] == exit_codes.PASS
    assert "  improved: pkg/a.py::f: 1 survivors of the baseline are detected now" in text
    assert "  raise the baseline with `mutation-gate baseline update`" in text


def test_without_a_baseline_file_there_is_no_ratchet(tmp_path):
    document = gate_document(entries("f", ["no_tests"]), min_score=0.0, root=tmp_path)

    assert ("baseline" not in document, document["verdict"]["exit_code"]) == (True, exit_codes.PASS)


def test_a_below_threshold_target_outranks_a_regression(tmp_path):
    write_baseline(make_baseline(gate_document(entries("f", ["killed"]))), tmp_path / "mutation-baseline.json")

    document = gate_document(entries("f", ["no_tests"]), min_score=90.0, root=tmp_path)

    assert document["verdict"]["exit_code"] == exit_codes.BELOW_THRESHOLD
    assert "baseline: pkg/a.py::f: a new survivor `return x - 1` (not in the baseline)" in document["verdict"]["reasons"]


def test_update_writes_the_first_baseline_and_says_what_it_recorded(tmp_path):
    config = gate_config(root=tmp_path)

    lines = update(config, gate_document(entries("f", ["killed", "survived"])), "gate.json")

    assert lines == ["mutation-baseline.json: 1 targets, 1 survivors recorded"]
    assert read_baseline(tmp_path / "mutation-baseline.json", "x")["functions"]["pkg/a.py::f"]["survivors"] == [
        "return x - 2"]


def test_update_refuses_to_lower_a_figure_without_allow_lower_and_keeps_the_file(tmp_path):
    config = gate_config(root=tmp_path)
    update(config, gate_document(entries("f", ["killed", "killed"])), "gate.json")
    before = (tmp_path / "mutation-baseline.json").read_text(encoding="utf-8")

    with pytest.raises(ConfigError, match=r"^mutation-baseline.json: the run would lower 3 figures, e\.g\. "
                                          r"pkg/a.py: detected 1 < 2; pass --allow-lower to accept$"):
        update(config, gate_document(entries("f", ["killed", "survived"])), "gate.json")
    assert (tmp_path / "mutation-baseline.json").read_text(encoding="utf-8") == before


def test_update_with_allow_lower_writes_the_lower_figures_and_lists_them(tmp_path):
    config = gate_config(root=tmp_path)
    update(config, gate_document(entries("f", ["killed", "killed"])), "gate.json")

    lines = update(config, gate_document(entries("f", ["killed", "survived"])), "gate.json", allow_lower=True)

    assert lines == ["mutation-baseline.json: 1 targets, 1 survivors recorded", "lowered: pkg/a.py: detected 1 < 2",
                     "lowered: pkg/a.py: mutation_score 50.0 < 100.0", "lowered: pkg/a.py::f: a new survivor "
                     "`return x - 2`"]
    assert read_baseline(tmp_path / "mutation-baseline.json", "x")["targets"]["pkg/a.py"]["detected"] == 1


def test_update_accepts_higher_figures_without_allow_lower(tmp_path):
    config = gate_config(root=tmp_path)
    update(config, gate_document(entries("f", ["killed", "survived"])), "gate.json")

    update(config, gate_document(entries("f", ["killed", "killed"])), "gate.json")

    assert read_baseline(tmp_path / "mutation-baseline.json", "x")["targets"]["pkg/a.py"]["detected"] == 2


def test_update_refuses_an_incomplete_run_and_writes_nothing(tmp_path):
    document = gate_document([*entries("f", ["killed"]), *entries("f", ["unresolved"], start=2)])

    with pytest.raises(ConfigError, match=r"^gate.json: an incomplete run \(1 mutants could not be measured\); a "
                                          r"baseline is made from a complete run only$"):
        update(gate_config(root=tmp_path), document, "gate.json")
    assert not (tmp_path / "mutation-baseline.json").exists()


def test_update_refuses_a_diff_run(tmp_path):
    document = gate_document([*entries("f", ["killed"]), *entries("f", [MutantStatus.NOT_MEASURED], start=2)])

    with pytest.raises(ConfigError, match=r"^gate.json: a --diff run \(1 mutants not measured\)"):
        update(gate_config(root=tmp_path), document, "gate.json")


@pytest.mark.parametrize(("text", "problem"), [
    ("{", "not valid JSON: Expecting property name enclosed in double quotes: line 1 column 2 (char 1)"),
    ('{"version": 2, "targets": {}, "functions": {}}', "not a mutation baseline: version 2, expected 1"),
    ('{"version": 1, "targets": {"pkg/a.py": {"mutants": 2, "detected": 3}}, "functions": {}}',
     "not a mutation baseline: target pkg/a.py: detected 3 > mutants 2"),
    ('{"version": 1, "targets": {"pkg/a.py": {"mutants": -1, "detected": 0}}, "functions": {}}',
     "not a mutation baseline: target pkg/a.py: mutants and detected must be whole numbers of at least 0"),
    ('{"version": 1, "targets": {}, "functions": {"pkg/a.py::f": {"file": "pkg/a.py", "function": "f", '
     '"survivors": "x"}}}', "not a mutation baseline: function pkg/a.py::f: survivors must be a list of mutated texts"),
    ('[]', "not a mutation baseline: not a JSON object"),
], ids=["json", "version", "detected-above-mutants", "negative", "survivors", "array"])
def test_a_bad_baseline_file_is_one_line_naming_the_file_and_the_problem(tmp_path, text, problem):
    (tmp_path / "mutation-baseline.json").write_text(text, encoding="utf-8")

    with pytest.raises(ConfigError) as raised:
        read_baseline(tmp_path / "mutation-baseline.json", "mutation-baseline.json")
    assert str(raised.value).startswith(f"mutation-baseline.json: {problem}")
    assert "\n" not in str(raised.value)


def test_a_written_baseline_is_sorted_json_ending_in_a_newline(tmp_path):
    write_baseline(make_baseline(gate_document(entries("f", ["survived"]))), tmp_path / "b.json")

    text = (tmp_path / "b.json").read_text(encoding="utf-8")

    assert text.endswith("}\n") and json.loads(text)["version"] == 1
    assert store.problem(gate_document(entries("f", ["killed"]))) is None
