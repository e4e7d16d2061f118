"""Collecting the evidence of one run, in order: the targets and their helper modules, a fresh
work directory, the preflight (the suite unmutated, with per-test coverage), the scope (which
mutants this run measures), the test plan (each mutant's tests, order and time limits), the
measurement (the engine with the kill recorder in every session, each mutant's outcome checked
against its records) and the credit passes (every test's class made exact).
"""
