"""The preflight record: a test is reused only while its file, the support files, the run context
and the target code it executed are unchanged, and its arcs move with the functions they are in."""

import pytest

from mutation.collect.preflight_record import (
    ReusedTest,
    function_blocks,
    layout,
    line_map,
    make_record,
    moved_arcs,
    reusable,
    same_collection,
    valid,
)

SOURCE = (
    "import os\n"                    # 1
    "LIMIT = 3\n"                    # 2
    "\n"                             # 3
    "def f(x):\n"                    # 4
    "    return x + LIMIT\n"         # 5
    "\n"                             # 6
    "class C:\n"                     # 7
    "    SIZE = 2\n"                 # 8
    "\n"                             # 9
    "    @property\n"                # 10
    "    def size(self):\n"          # 11
    "        def inner():\n"         # 12
    "            return self.SIZE\n"  # 13
    "        return inner()\n"       # 14
    "\n"                             # 15
    "def g(y):\n"                    # 16
    "    return y * 2\n"             # 17
)
GROWN = SOURCE.replace("    return x + LIMIT\n", "    x = x\n    x = x\n    return x + LIMIT\n")
PATH = "src/pkg/mod.py"
CONTEXT = {"configuration": "c", "dependencies": "d", "tools": "t", "support": "s"}
SUPPORT = {"src/pkg/__init__.py": "i1", "tests/helpers.py": "h1"}
WORK_FILES = {**SUPPORT, PATH: "m1", "tests/test_f.py": "tf", "tests/test_g.py": "tg"}
TF, TG = "tests/test_f.py::test_f", "tests/test_g.py::test_g"
DEPS = {TF: "deps-f", TG: "deps-g"}
ARCS = {TF: {PATH: [(-4, 5), (5, -4)]}, TG: {PATH: [(-16, 17), (17, -16)]}}


TEST_FILES = {"tests/test_f.py": "tf", "tests/test_g.py": "tg"}
CONFTESTS = {"tests/conftest.py": "ct"}
COLLECTED = {PATH: [(-1, 1), (1, 2), (2, 4), (4, 7), (7, 16), (16, -1)]}


def record(source=SOURCE, arcs=ARCS, support=SUPPORT, collected=COLLECTED):
    tests = {test: (DEPS[test], 0.5, arcs[test], f"{test.partition('::')[0]}:1", True) for test in arcs}
    files = {"support_files": support, "test_files": TEST_FILES, "conftests": CONFTESTS}
    return make_record(CONTEXT, tests, {PATH: layout(source)}, files, collected)


def reuse(now=SOURCE, stored=None, context=CONTEXT, work_files=WORK_FILES, deps=DEPS):
    return reusable(stored or record(), context, work_files, {PATH: layout(now)}, deps.__getitem__)


def test_function_blocks_are_the_outermost_definitions_with_their_decorators():
    # f, the property with its decorator (its inner function inside it), g; none for the class itself.
    assert function_blocks(SOURCE) == ((4, 5, 4), (10, 14, 11), (16, 17, 16))
    assert function_blocks("if True:\n    def h():\n        pass\n") == ((2, 3, 2),)
    assert function_blocks("def h(\n    x,\n):\n    pass\n") == ((1, 4, 3),)
    assert function_blocks("def broken(:\n") == ()


def test_an_unchanged_file_maps_every_line_to_itself():
    assert line_map(layout(SOURCE), layout(SOURCE)) == {line: line for line in range(1, 18)}


def test_a_grown_function_leaves_its_lines_out_and_moves_the_lines_after_it():
    mapping = line_map(layout(SOURCE), layout(GROWN))

    # f's `def` line is its unchanged header: it runs on import and keeps its place.
    assert [mapping.get(line) for line in (3, 4, 5, 6, 11, 16, 17)] == [3, 4, None, 8, 13, 18, 19]


def test_a_changed_context_maps_nothing():
    assert line_map(layout(SOURCE), layout(SOURCE.replace("LIMIT = 3", "LIMIT = 4"))) is None


def test_arcs_move_with_their_lines_a_negative_one_by_its_minus():
    mapping = line_map(layout(SOURCE), layout(GROWN))

    assert moved_arcs([(-16, 17), (17, -16)], mapping) == [(-18, 19), (19, -18)]
    assert moved_arcs([(-4, 5), (5, -4)], mapping) is None
    assert moved_arcs([(2, 4), (4, 7)], mapping) == [(2, 4), (4, 9)]
    assert moved_arcs([(0, 5)], {5: 5}) is None


def test_with_nothing_changed_every_test_is_reused_as_recorded():
    assert reuse() == {TF: ReusedTest(0.5, {PATH: [(-4, 5), (5, -4)]}),
                       TG: ReusedTest(0.5, {PATH: [(-16, 17), (17, -16)]})}


def test_a_changed_function_reruns_only_the_tests_that_executed_it_and_moves_the_others():
    assert reuse(now=GROWN) == {TG: ReusedTest(0.5, {PATH: [(-18, 19), (19, -18)]})}


def test_a_changed_test_file_or_conftest_reruns_its_tests():
    assert set(reuse(deps={TF: "deps-f", TG: "deps-g changed"})) == {TF}


def test_a_test_that_ran_no_target_code_is_reused_while_its_file_is_unchanged():
    assert reuse(stored=record(arcs={**ARCS, TG: {}})) == {TF: ReusedTest(0.5, {PATH: [(-4, 5), (5, -4)]}),
                                                           TG: ReusedTest(0.5, {})}


@pytest.mark.parametrize("work_files", [
    {**WORK_FILES, "tests/helpers.py": "h2"},
    {key: value for key, value in WORK_FILES.items() if key != "tests/helpers.py"},
], ids=["a-support-file-changed", "a-support-file-deleted"])
def test_a_changed_or_deleted_support_file_reuses_nothing(work_files):
    assert reuse(work_files=work_files) == {}


def test_a_file_the_record_does_not_know_may_be_a_new_test_file():
    assert set(reuse(work_files={**WORK_FILES, "tests/test_new.py": "n1"})) == {TF, TG}


@pytest.mark.parametrize("part", ["configuration", "dependencies", "tools"])
def test_another_run_context_reuses_nothing(part):
    assert reuse(context={**CONTEXT, part: "other"}) == {}


def test_the_support_part_of_the_context_is_checked_after_the_preflight_not_here():
    assert set(reuse(context={**CONTEXT, "support": ""})) == {TF, TG}


def test_a_changed_module_context_or_another_set_of_targets_reuses_nothing():
    assert reuse(now=SOURCE.replace("import os", "import sys")) == {}
    assert reusable(record(), CONTEXT, WORK_FILES, {PATH: layout(SOURCE), "src/pkg/new.py": layout("")},
                    DEPS.__getitem__) == {}


def test_no_record_reuses_nothing():
    assert reusable(None, CONTEXT, WORK_FILES, {PATH: layout(SOURCE)}, DEPS.__getitem__) == {}
    assert reusable({}, CONTEXT, WORK_FILES, {PATH: layout(SOURCE)}, DEPS.__getitem__) == {}


def test_a_record_has_the_shape_valid_accepts_and_malformed_ones_are_refused():
    good = record()
    assert valid(good) and valid({})
    assert good["tests"][TF] == {"deps": "deps-f", "duration": 0.5, "arcs": {PATH: [[-4, 5], [5, -4]]},
                                 "body": "tests/test_f.py:1", "asserts": True}
    assert good["order"] == [TF, TG]
    broken = [
        {**good, "order": [TF]},
        {**good, "tests": {**good["tests"], TF: {**good["tests"][TF], "asserts": "yes"}}},
        {**good, "conftests": ["tests/conftest.py"]},
        {**good, "collection_arcs": {PATH: [[1]]}},
        {**good, "tests": {TF: {"deps": "d", "duration": "slow", "arcs": {}}}},
        {**good, "tests": {TF: {"deps": "d", "duration": True, "arcs": {}}}},
        {**good, "tests": {TF: {"deps": "d", "duration": 1.0, "arcs": {PATH: [[1, 2.5]]}}}},
        {**good, "layouts": {PATH: ["c", [[1, 2, "d"]], 3]}},
        {**good, "support_files": {"a": 1}},
        {**good, "test_files": ["tests/test_f.py"]},
        {key: value for key, value in good.items() if key != "context"},
        [],
    ]
    assert [valid(item) for item in broken] == [False] * len(broken)


def test_the_same_collection_when_only_a_target_function_changed_gives_the_collection_arcs_moved():
    assert same_collection(record(), WORK_FILES, CONFTESTS, {PATH: layout(SOURCE)}) == {
        PATH: [(-1, 1), (1, 2), (2, 4), (4, 7), (7, 16), (16, -1)]}
    assert same_collection(record(), WORK_FILES, CONFTESTS, {PATH: layout(GROWN)}) == {
        PATH: [(-1, 1), (1, 2), (2, 4), (4, 9), (9, 18), (18, -1)]}


@pytest.mark.parametrize(("work_files", "conftests"), [
    ({**WORK_FILES, "tests/test_f.py": "tf2"}, CONFTESTS),
    ({**WORK_FILES, "tests/test_new.py": "n1"}, CONFTESTS),
    ({**WORK_FILES, "tests/helpers.py": "h2"}, CONFTESTS),
    (WORK_FILES, {"tests/conftest.py": "ct2"}),
    (WORK_FILES, {**CONFTESTS, "tests/unit/conftest.py": "new"}),
], ids=["a-test-file-changed", "a-new-file", "a-support-file-changed", "a-conftest-changed", "a-new-conftest"])
def test_any_other_file_changed_means_collecting_again(work_files, conftests):
    assert same_collection(record(), work_files, conftests, {PATH: layout(SOURCE)}) is None


def test_code_run_while_collecting_in_a_changed_function_means_collecting_again():
    assert same_collection(record(collected={PATH: [(4, 5)]}), WORK_FILES, CONFTESTS, {PATH: layout(GROWN)}) is None
    signature = SOURCE.replace("def f(x):", "def f(x=LIMIT):")
    assert same_collection(record(), WORK_FILES, CONFTESTS, {PATH: layout(signature)}) is None
