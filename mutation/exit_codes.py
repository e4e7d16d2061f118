"""The gate's exit codes: each one a case CI must be able to tell apart (mirrored in the README)."""

PASS = 0  # every target meets its thresholds and no test is rejected
USAGE = 1  # bad command line or configuration; nothing was measured
BELOW_THRESHOLD = 2  # a target's mutation (or assertion) score is below its minimum
REJECTED_TESTS = 3  # a test raises coverage without asserting behaviour
SUITE_FAILS = 4  # the suite fails without any mutation: nothing can be scored
INCOMPLETE = 5  # some mutant could not be measured: the score cannot be trusted
REGRESSED = 6  # a target or a function fell below the committed ratchet baseline (mutation-baseline.json)
FLAKY = 7  # `flaky = fail`: a survivor or timeout came out otherwise when re-run once (README "Flaky verdicts")
INTERNAL_ERROR = 70  # a bug in the gate itself
