"""Turning the evidence of a run into verdicts: the scores, each test's and each function's class,
waivers, and the judge's exit code. Every module here reads only the `gate.json` document (and
the configuration), so the evidence of several shards can be merged before the verdicts are made.
"""
