"""The gate's vocabulary: the statuses, kinds and classes every stage speaks, and what a mutant is.

Each name is a `StrEnum`, so it compares equal to its text and is written to `gate.json` as
that text. `Mutant` is the engine-neutral record of one mutant (where it is and what it
changes); `MutantKey` identifies it across runs by file, function and mutated text, never by
the engine's positional number, which shifts whenever the function changes.
"""

from dataclasses import dataclass
from enum import StrEnum


class MutantStatus(StrEnum):
    KILLED = "killed"  # a test failed under it
    TIMEOUT = "timeout"  # a test started under it and never finished
    SURVIVED = "survived"  # every test that ran it passed
    NO_TESTS = "no_tests"  # no test executes it
    TYPE_CHECK = "type_check"  # the engine's type checker rejected it; never run
    EXCLUDED = "excluded"  # an equivalent mutant, excluded with a written reason
    UNRESOLVED = "unresolved"  # could not be measured: the run is incomplete
    NOT_MEASURED = "not_measured"  # outside a --diff run's scope, with no valid cached result: no result at all
    FLAKY = "flaky"  # survived or timed out, then re-run once and came out otherwise: never detected


# Detected mutants count towards the mutation score.
DETECTED = frozenset({MutantStatus.KILLED, MutantStatus.TIMEOUT})
# Mutants that take part in per-test and per-function verdicts.
JUDGED = frozenset({MutantStatus.KILLED, MutantStatus.TIMEOUT, MutantStatus.SURVIVED, MutantStatus.NO_TESTS})
# Mutants left out of every score's denominator. A flaky one is not among them: it is in the
# denominator and in no numerator, so a mutant that escapes the tests in one run of two can never
# raise a score (counting it apart would let a flaky suite hide its survivors).
UNSCORED = frozenset({MutantStatus.TYPE_CHECK, MutantStatus.EXCLUDED, MutantStatus.NOT_MEASURED})


class KillKind(StrEnum):
    """How a failing test noticed a mutant."""

    ASSERTION = "assertion"  # an assertion failed: the test checked a value or an effect
    CRASH = "crash"  # any other exception: the code broke, the test checked nothing
    TIMEOUT = "timeout"  # the test ran past its time limit


class TestClass(StrEnum):
    """What a test proves, from the mutants it ran under."""

    __test__ = False  # a vocabulary, not a pytest test class

    KILLING = "killing"
    CRASH_ONLY = "crash-only"
    COVERING = "covering"
    NOT_COVERING = "not-covering"


class FunctionClass(StrEnum):
    TESTED = "tested"
    PARTIALLY_TESTED = "partially tested"
    PSEUDO_TESTED = "pseudo-tested"
    NOT_COVERED = "not covered"
    UNMUTATED = "unmutated"


class VerdictStatus(StrEnum):
    PASS = "pass"
    BELOW_THRESHOLD = "below threshold"
    REJECTED_TESTS = "rejected tests"
    CHANGED_LINES_SURVIVE = "survivors in changed lines"  # a --diff run's PR rule
    INCOMPLETE = "incomplete"
    REGRESSED = "regressed"  # below the ratchet baseline
    FLAKY = "flaky"  # `flaky = fail`: a mutant's two runs disagree


class KillMatrix(StrEnum):
    SAMPLED = "sampled"  # a session stops after two assertion kills; credit passes settle the rest
    FULL = "full"  # every covering test runs under every mutant


@dataclass(frozen=True)
class MutantKey:
    """A mutant's identity across runs: what exclusions, the cache and baselines match on."""

    file: str
    function: str
    mutated_text: str


@dataclass(frozen=True)
class Mutant:
    """One mutant: the engine's name for it, where it is, and what it changes.

    Lines are 1-based and columns 0-based. `statement_line` is the first line of the
    statement holding the mutation (what coverage records as run); `in_signature` is set for
    a mutation of the `def` line itself (a default value).
    """

    engine_name: str
    id: str
    file: str
    function: str
    start_line: int
    start_column: int
    end_line: int
    end_column: int
    statement_line: int
    in_signature: bool
    function_lines: tuple
    diff: str
    mutated_text: str

    @property
    def key(self):
        return MutantKey(self.file, self.function, self.mutated_text.strip())


def entry_kills(mutant):
    """A gate.json mutant entry's kills: its own session's (`killed_by`), then the credit passes'
    (`credited_by`, which documents written before it existed do not have)."""
    return [*mutant["killed_by"], *mutant.get("credited_by", ())]


def percent(part, whole):
    """`part` of `whole` in percent, rounded to 2 decimals; None when there is nothing to measure."""
    return round(100.0 * part / whole, 2) if whole else None


class EngineVerdict(StrEnum):
    """What the mutation engine reports for one mutant, before the gate checks it against its records."""

    SURVIVED = "survived"  # the tests passed
    KILLED = "killed"  # a test failed
    TIMED_OUT = "timed out"  # the worker was stopped by a time or CPU limit
    NO_TESTS = "no tests"  # the engine found no test to run
    TYPE_CHECK = "type check"  # the engine's type checker rejected the mutant
    NOT_RUN = "not run"  # no verdict recorded
    FAILED = "failed"  # anything else: a crash, an interruption, a usage or internal error


@dataclass(frozen=True)
class EngineResult:
    """The engine's verdict on one mutant; `reason` says what happened in the engine's terms."""

    verdict: EngineVerdict
    reason: str = ""
