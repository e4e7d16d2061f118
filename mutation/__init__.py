"""The mutation gate: scores a pytest suite with mutmut, judges it, and fails closed.

A run is a pipeline of stages, each a module named for what it owns:
config → targets → workspace → preflight (suite + coverage) → mutmut_driver (with the
kill_recorder pytest plugin) → locate → outcome → score → judge → report_json / report_terminal.
`inspect` answers `survivors` and `show` from the last `gate.json`.
"""
