"""`survivors` and `show`: the mutants a developer asks about, read from a gate.json document;
the few covering tests named nearest to each survivor, and the brief listing that fits a screen."""

import pytest

from mutation.errors import ConfigError
from mutation.report import queries
from tests.factories import A_DIFF, mutant_entry as mutant, per_test_entry

MUTANTS = [
    mutant("pkg.a.f#1", covered_by=["t.py::one"]),
    mutant("pkg.a.f#2", "killed", covered_by=["t.py::one", "t.py::two"], killed_by=[("t.py::two", "assertion")]),
    mutant("pkg.a.Meter.read#1", function="Meter.read", covered_by=["t.py::one", "t.py::two"]),
    mutant("pkg.helper.g#1", file="pkg/helper.py", function="g", covered_by=[]),
    mutant("pkg.b.Box.grow#1", target="pkg/b.py", function="Box.grow", covered_by=["t.py::three"]),
    mutant("pkg.b.Box.grow#2", "unresolved", target="pkg/b.py", function="Box.grow", reason="not checked"),
]
TARGETS = [{"path": "pkg/a.py", "files": ["pkg/a.py", "pkg/helper.py", "pkg/unmutated.py"]},
           {"path": "pkg/b.py", "files": ["pkg/b.py"]}]


def document(mutants=MUTANTS, tests=None):
    return {"targets": TARGETS, "mutants": mutants, "tests": tests or {}}


def ids(mutants):
    return [mutant["id"] for mutant in mutants]


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({}, ["pkg.a.f#1", "pkg.a.Meter.read#1", "pkg.helper.g#1", "pkg.b.Box.grow#1"]),
        ({"target": "pkg/a.py"}, ["pkg.a.f#1", "pkg.a.Meter.read#1", "pkg.helper.g#1"]),
        ({"target": "pkg/b.py"}, ["pkg.b.Box.grow#1"]),
        ({"file": "pkg/a.py"}, ["pkg.a.f#1", "pkg.a.Meter.read#1"]),
        ({"file": "pkg/helper.py"}, ["pkg.helper.g#1"]),
        ({"file": "pkg/unmutated.py"}, []),
        ({"function": "f"}, ["pkg.a.f#1"]),
        ({"function": "read"}, ["pkg.a.Meter.read#1"]),
        ({"function": "Meter.read"}, ["pkg.a.Meter.read#1"]),
        ({"target": "pkg/b.py", "function": "f"}, []),
        ({"target": "pkg/a.py", "file": "pkg/helper.py"}, ["pkg.helper.g#1"]),
        ({"target": "pkg/a.py", "file": "pkg/a.py", "function": "read"}, ["pkg.a.Meter.read#1"]),
        ({"target": "pkg/b.py", "file": "pkg/a.py"}, []),
    ],
)
def test_survivors_filters(filters, expected):
    assert ids(queries.survivors(document(), **filters)) == expected


@pytest.mark.parametrize(
    ("filters", "problem"),
    [
        ({"target": "pkg/c.py"}, "--target pkg/c.py: no such target in the last report (targets: pkg/a.py, pkg/b.py)"),
        ({"target": "pkg/helper.py"},
         "--target pkg/helper.py: no such target in the last report (targets: pkg/a.py, pkg/b.py)"),
        ({"file": "pkg/help.py"}, "--file pkg/help.py: no such file in the last report "
                                  "(files: pkg/helper.py, pkg/a.py, pkg/b.py, pkg/unmutated.py)"),
        ({"function": "ead"}, "--function ead: no such function in the last report "
                              "(functions: Meter.read, Box.grow, f, g)"),
        ({"target": "pkg/a.py", "function": "grow2"},
         "--function grow2: no such function in the last report (functions: Box.grow, g, Meter.read, f)"),
    ],
)
def test_a_filter_naming_nothing_in_the_report_is_a_user_error(filters, problem):
    with pytest.raises(ConfigError) as error:
        queries.survivors(document(), **filters)

    assert str(error.value) == problem


def test_a_function_of_only_killed_mutants_is_no_error():
    assert queries.survivors(document(MUTANTS[:2]), function="f") == [MUTANTS[0]]


def test_the_choices_named_hold_the_value_first_then_the_most_alike_and_count_the_rest():
    names = ["SSEDecoder._consume", "connect", "compare", "close", "counter", "feed", "zz"]

    assert queries.choices("consum", names) == "SSEDecoder._consume, close, compare, connect, counter and 2 more"
    assert queries.choices("x", []) == "none"


def test_find_mutant_by_id_or_mutmut_name():
    assert queries.find_mutant(document(), "pkg.a.f#2") is MUTANTS[1]
    assert queries.find_mutant(document(), "pkg.b.xǁBoxǁgrow__mutmut_2") is MUTANTS[5]


def test_find_unknown_mutant_is_a_user_error():
    with pytest.raises(ConfigError) as error:
        queries.find_mutant(document(), "pkg.a.f#9")

    assert str(error.value) == "no mutant 'pkg.a.f#9' in the last gate report"


SHOWN_KILLED = f"""\
pkg.a.f#2  [killed]
  mutmut name: pkg.a.x_f__mutmut_2
  location:    pkg/a.py:2:13-2:18 in f (target pkg/a.py)

{A_DIFF}

killed by:
  t.py::two  (assertion)
executed by 2 tests:
  t.py::one
  t.py::two"""

SHOWN_UNRESOLVED = f"""\
pkg.b.Box.grow#2  [unresolved]
  mutmut name: pkg.b.xǁBoxǁgrow__mutmut_2
  location:    pkg/b.py:2:13-2:18 in Box.grow (target pkg/b.py)
  reason:      not checked

{A_DIFF}

executed by 0 tests:"""


@pytest.mark.parametrize(("index", "shown"), [(1, SHOWN_KILLED), (5, SHOWN_UNRESOLVED)])
def test_render_mutant(index, shown):
    assert queries.render_mutant(MUTANTS[index]) == shown


def test_render_mutant_lists_the_credit_pass_kills_apart():
    entry = {**MUTANTS[1], "credited_by": [{"test": "t.py::one", "kind": "crash"}]}

    assert queries.render_mutant(entry) == SHOWN_KILLED.replace(
        "executed by", "also killed in credit passes by:\n  t.py::one  (crash)\nexecuted by")


# --- the nearest tests, and the brief listing ----------------------------------------------------

def lines(count, path="pkg/a.py"):
    return {path: list(range(1, count + 1))}


def test_each_test_counts_the_target_lines_it_executes_in_every_file():
    tests = {"t.py::one": per_test_entry({"pkg/a.py": [1, 2, 5], "pkg/helper.py": [3]}),
             "t.py::none": per_test_entry()}

    assert queries.line_counts(tests) == {"t.py::one": 4, "t.py::none": 0}


def test_the_nearest_tests_execute_the_fewest_target_lines():
    sizes = {"t.py::wide": 40, "t.py::narrow": 3, "t.py::middle": 12, "t.py::widest": 90}
    survivor = mutant("pkg.a.f#1", covered_by=["t.py::wide", "t.py::widest", "t.py::narrow", "t.py::middle"])

    assert queries.nearest_tests(survivor, sizes) == ["t.py::narrow", "t.py::middle", "t.py::wide"]
    assert queries.nearest_tests(survivor, sizes, count=1) == ["t.py::narrow"]


def test_among_equally_focused_tests_those_naming_the_function_come_first_then_by_name():
    covering = ["t.py::test_b", "t.py::test_a", "t.py::TestMeter::test_zero", "t.py::test_read_twice",
                "t_read.py::test_c"]
    survivor = mutant("pkg.a.Meter._read#1", function="Meter._read", covered_by=covering)

    assert queries.nearest_tests(survivor, dict.fromkeys(covering, 5), count=5) == [
        "t.py::TestMeter::test_zero", "t.py::test_read_twice", "t.py::test_a", "t.py::test_b", "t_read.py::test_c"]


def test_a_parametrized_test_is_named_once_by_its_most_focused_parameters():
    sizes = {"t.py::test_p[1]": 9, "t.py::test_p[2]": 2, "t.py::test_p[3]": 3, "t.py::test_q": 8,
             "t.py::test_r[x-[y]]": 10}
    survivor = mutant("pkg.a.f#1", covered_by=list(sizes))

    assert queries.nearest_tests(survivor, sizes) == ["t.py::test_p[2]", "t.py::test_q", "t.py::test_r[x-[y]]"]


def test_a_covering_test_the_report_does_not_describe_comes_last():
    survivor = mutant("pkg.a.f#1", covered_by=["t.py::unknown", "t.py::wide"])

    assert queries.nearest_tests(survivor, {"t.py::wide": 500}) == ["t.py::wide", "t.py::unknown"]


BRIEF = f"""\
pkg.a.f#1  [survived]
  location: pkg/a.py:2:13 in f (target pkg/a.py)

{A_DIFF}

executed by 5 tests; nearest:
  t.py::test_f
  t.py::test_a
  t.py::test_b
  ... 2 more (--verbose lists all)"""


def test_a_brief_survivor_names_its_place_diff_and_nearest_tests():
    survivor = mutant("pkg.a.f#1", covered_by=[f"t.py::test_{name}" for name in "abcdf"])

    assert queries.render_brief(survivor, ["t.py::test_f", "t.py::test_a", "t.py::test_b"]) == BRIEF


def test_a_brief_survivor_with_every_covering_test_shown_says_no_more():
    survivor = mutant("pkg.b.Box.grow#1", target="pkg/b.py", file="pkg/box.py", function="Box.grow",
                      covered_by=["t.py::one"], reason="hung once", line=7)

    assert queries.render_brief(survivor, ["t.py::one"]) == (
        "pkg.b.Box.grow#1  [survived]\n"
        "  location: pkg/box.py:7:13 in Box.grow (target pkg/b.py)\n"
        "  reason: hung once\n"
        f"\n{A_DIFF}\n\n"
        "executed by 1 tests; nearest:\n"
        "  t.py::one")


def test_a_brief_survivor_run_by_no_test_says_so():
    assert queries.render_brief(MUTANTS[3], []).endswith(f"{A_DIFF}\n\nexecuted by no tests")


SURVIVING = [
    mutant("pkg.a.f#1", covered_by=["t.py::test_wide", "t.py::test_narrow"]),
    mutant("pkg.helper.g#1", file="pkg/helper.py", function="g", covered_by=["t.py::test_wide"]),
    mutant("pkg.b.Box.grow#1", target="pkg/b.py", function="Box.grow", covered_by=["t.py::test_wide"]),
    mutant("pkg.b.Box.grow#2", target="pkg/b.py", function="Box.grow", covered_by=["t.py::test_wide"]),
]
SURVIVING_TESTS = {"t.py::test_wide": per_test_entry({"pkg/a.py": [1, 2], "pkg/b.py": [1, 2, 3]}),
                   "t.py::test_narrow": per_test_entry(lines(1))}


def test_survivors_are_listed_briefly_then_summed_up_by_file():
    report = document(SURVIVING, SURVIVING_TESTS)

    assert queries.render_survivors(report, SURVIVING) == "".join(
        f"{queries.render_brief(entry, nearest)}\n\n" for entry, nearest in zip(
            SURVIVING, [["t.py::test_narrow", "t.py::test_wide"], ["t.py::test_wide"], ["t.py::test_wide"],
                        ["t.py::test_wide"]])
    ) + "4 surviving mutants (2 in pkg/b.py, 1 in pkg/a.py, 1 in pkg/helper.py)"


def test_verbose_survivors_list_every_covering_test():
    report = document(SURVIVING, SURVIVING_TESTS)

    assert queries.render_survivors(report, SURVIVING[:2], verbose=True) == (
        f"{queries.render_mutant(SURVIVING[0])}\n\n{queries.render_mutant(SURVIVING[1])}\n\n"
        "2 surviving mutants (1 in pkg/a.py, 1 in pkg/helper.py)")


def test_no_survivors_is_one_line():
    assert queries.render_survivors(document(), []) == "0 surviving mutants"
