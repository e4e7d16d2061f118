"""The mutation gate: scores a pytest suite with mutmut, judges it, and fails closed.

A run is a pipeline whose stages are folders, run in this order by `pipeline`:
- `collect/`: targets → workspace → preflight (the suite unmutated, per-test coverage) → scope →
  test plan → measure (the engine, with the `kill_recorder` plugin in every session) → outcomes
  → credit passes;
- `report/document`: the evidence as one `gate.json` document;
- `verdicts/`: scores, per-test and per-function classes, waivers, the judge's exit code;
- `report/`: the document stored, queried (`survivors`, `show`) and rendered by `writers/`.
`engine/` is the only code that knows mutmut; `model` is the vocabulary every stage shares,
`options` the settings, `cli` the command line.
"""
