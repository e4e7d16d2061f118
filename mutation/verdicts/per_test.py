"""Per-test verdicts: does each test check behaviour, or only raise coverage?

From the kill records and per-test coverage of one run:
- `killing`: kills at least one mutant through an assertion failure;
- `crash-only`: kills mutants only through unexpected exceptions or hangs — it notices
  crashes, never a wrong value;
- `covering`: executes mutated target code but kills no mutant;
- `not-covering`: never executes a mutated line of a target.
A test of a class listed in `[mutation_gate] reject` is rejected only on evidence, and never
with a waiver: a `covering` test needs a mutant it ran under and let through (`let_through`;
a test that noticed every mutant it ran under is not weak, whatever the kind of its kills); a
`crash-only` test whose body asserts something (`asserts`, read from its source) needs a
let-through mutant that survived, one no test detects: its crashes prove it runs the code,
that survivor that it does not check what the code computes. (Its other let-through mutants
are detected by other tests, which feed the code other inputs; for this test's own inputs
they may change nothing, as `kwargs.pop("factory", dict)` mutated to `kwargs.pop("FACTORY",
dict)` changes nothing for a call without `factory=`.) A crash-only test without a single
assertion needs only a let-through mutant, like a covering one. A test whose body (`file:line` of its function: every id of a parametrized
test, an inherited unittest method) kills by assertion under another id is not rejected
either (`body_asserts`): its other cases are controls of an asserting test. `not-covering`
is its own evidence. In a `--diff` run, a new or changed test (`changed`) is rejected unless it
is `killing` or waived; a test covering a mutant the run did not measure has a class over part
of its mutants (never `not-covering`) and is rejected only by that rule.

A kill is unique when no other test kills that mutant at least as strongly (an assertion
outranks a crash or a timeout); a test with no unique kill is `redundant` (reported, never
rejected). With `kill_matrix = sampled`, a mutant's session stops at its first assertion kill
and the credit passes then run every test still without one (see `credit`): the classes are
exact either way, uniqueness is among the kills observed (exact under `full`), and the kill
counts are the kills observed, out of `mutants_run`.
"""

from mutation.model import JUDGED, KillKind, MutantStatus, TestClass, entry_kills

EVIDENCE_COUNT = 3
HINTS = {
    TestClass.COVERING: "runs this code but no change to it makes the test fail: assert the exact values it "
                        "returns and the effects it has",
    TestClass.CRASH_ONLY: "fails only when the code crashes or hangs: compare what it returns with exact expected "
                          "values",
    TestClass.NOT_COVERING: "never reaches the targets: it checks only its own data, or the code it calls is mocked",
}


CHANGED_HINT = "a new or changed test must kill a mutant through an assertion (the --diff rule): "


def classify_tests(document, reject, waivers, changed=()):
    """Verdict entries by test id, for every test of the run; `changed`: a --diff run's new or changed tests."""
    partial = {test for mutant in document["mutants"] if mutant["status"] == MutantStatus.NOT_MEASURED
               for test in mutant["covered_by"]}
    mutants = [mutant for mutant in document["mutants"] if mutant["status"] in JUDGED]
    covered = _index([mutant for mutant in document["mutants"] if mutant["status"] in JUDGED
                      or mutant["status"] == MutantStatus.NOT_MEASURED], lambda mutant: mutant["covered_by"])
    ran = _index(mutants, lambda mutant: mutant.get("tests_run", mutant["covered_by"]))
    strength = {mutant["id"]: _strength_by_test(mutant) for mutant in mutants}
    verdicts = {}
    asserting_bodies = _asserting_bodies(document["tests"], strength)
    for test, entry in document["tests"].items():
        kills = [kill for kill in entry["kills"] if kill["mutant"] in strength]
        kinds = {kill["kind"] for kill in kills}
        test_class = _test_class(kinds, covered.get(test, []))
        waiver = waivers.get(test)
        killed = {kill["mutant"] for kill in kills}
        unique = [mutant for mutant in killed if _uniquely_killed(strength[mutant], test)]
        let_through = [mutant for mutant in ran.get(test, []) if mutant["id"] not in killed]
        body_asserts = test_class != TestClass.KILLING and entry.get("body", "") in asserting_bodies
        evidence = test not in partial and _evidence(test_class, let_through, body_asserts, entry.get("asserts", True))
        changed_rule = test in changed and test_class != TestClass.KILLING and waiver is None
        verdicts[test] = {
            "class": test_class,
            "target_lines": entry["target_lines"],
            "mutants_covered": len(covered.get(test, [])),
            "mutants_run": len(ran.get(test, [])),
            "killed_by_assertion": _killed_by(kills, KillKind.ASSERTION),
            "killed_by_crash": _killed_by(kills, KillKind.CRASH),
            "killed_by_timeout": _killed_by(kills, KillKind.TIMEOUT),
            "unique_kills": len(unique),
            "redundant": bool(killed) and not unique,
            "rejected": changed_rule or (test_class in reject and waiver is None and evidence),
            "let_through": len(let_through),
            "body_asserts": body_asserts,
            "waiver": waiver,
            "hint": _hint(test_class, evidence, changed_rule),
            "unnoticed": _unnoticed(let_through),
        }
    return verdicts


def _hint(test_class, evidence, changed_rule):
    if changed_rule:
        return CHANGED_HINT + HINTS.get(test_class, "")
    return HINTS.get(test_class, "") if evidence else ""


def _evidence(test_class, let_through, body_asserts, asserts):
    """Whether the run holds evidence that the test checks nothing (see the module docstring)."""
    if test_class == TestClass.NOT_COVERING:
        return True
    if body_asserts:
        return False
    if test_class == TestClass.CRASH_ONLY and asserts:
        return any(mutant["status"] == MutantStatus.SURVIVED for mutant in let_through)
    return bool(let_through)


def _asserting_bodies(tests, strength):
    """The bodies (see the module docstring) of which some test id kills by assertion."""
    return {entry["body"] for entry in tests.values() if entry.get("body")
            and any(kill["kind"] == KillKind.ASSERTION and kill["mutant"] in strength for kill in entry["kills"])}


def _killed_by(kills, kind):
    return len({kill["mutant"] for kill in kills if kill["kind"] == kind})


def _strength_by_test(mutant):
    """Per killing test, its strongest kind of kill of this mutant: 2 assertion, 1 crash or timeout."""
    strength = {}
    for kill in entry_kills(mutant):
        value = 2 if kill["kind"] == KillKind.ASSERTION else 1
        strength[kill["test"]] = max(strength.get(kill["test"], 0), value)
    return strength


def _uniquely_killed(strength, test):
    return all(other_strength < strength[test] for other, other_strength in strength.items() if other != test)


def _index(mutants, tests_of):
    index = {}
    for mutant in mutants:
        for test in tests_of(mutant):
            index.setdefault(test, []).append(mutant)
    return index


def _test_class(kinds, covered):
    if KillKind.ASSERTION in kinds:
        return TestClass.KILLING
    if kinds:
        return TestClass.CRASH_ONLY
    if covered:
        return TestClass.COVERING
    return TestClass.NOT_COVERING


def _unnoticed(let_through):
    """Some mutants the test ran under without failing: survivors first, they are the starkest evidence."""
    missed = sorted(let_through, key=lambda mutant: (mutant["status"] != MutantStatus.SURVIVED, mutant["file"],
                                                     mutant["start_line"], mutant.get("start_column", 0),
                                                     _number(mutant["id"])))
    return [mutant["id"] for mutant in missed[:EVIDENCE_COUNT]]


def _number(mutant_id):
    name, _, number = mutant_id.rpartition("#")
    return (name, int(number) if number.isdigit() else 0)
