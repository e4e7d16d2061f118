"""How a test process learns which mutant is active, as mutmut 3.8.1 tells it.

mutmut sets `MUTANT_UNDER_TEST` in every worker: a mutant's name (which holds `__mutmut_`) while
a mutant's tests run, or a phase word (`stats`, `fail`, ...) otherwise. This module imports
nothing from mutmut: the kill recorder reads it inside every test process.
"""

MUTANT_ENV = "MUTANT_UNDER_TEST"
_MUTANT_MARKER = "__mutmut_"


def active_mutant(environ):
    """The name of the mutant under test in this process, or None outside a mutant's run."""
    name = environ.get(MUTANT_ENV, "")
    return name if _MUTANT_MARKER in name else None
NO_MUTANT = ""  # every trampoline calls the original: the suite must pass
FORCED_FAIL = "fail"  # every trampoline raises: a test that runs mutated code must fail
