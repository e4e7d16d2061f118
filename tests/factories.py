"""Shared factories for the gate's tests: configurations, mutants, outcomes, sessions and
gate.json entries, each with sensible defaults so a test names only what it is about."""

from pathlib import Path

from mutation.collect.outcomes import Kill, MutantOutcome
from mutation.collect.records import SessionRecord
from mutation.model import KillKind, Mutant, MutantStatus
from mutation.options import GateConfig
from mutation.report.document import SCHEMA_VERSION

T1 = "tests/test_a.py::test_one"
T2 = "tests/test_a.py::test_two"
A_DIFF = "--- pkg/a.py\n+++ pkg/a.py\n@@ -1,2 +1,2 @@\n def f(x):\n-    return x + 1\n+    return x - 1"


def make_project(root, section, files=("pkg/__init__.py", "pkg/mod.py", "tests/test_mod.py"), extra=""):
    """A project in `root`: the given files (tiny modules) and a setup.cfg with `section` under [mutation_gate]."""
    for relative in files:
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("VALUE = 1\n", encoding="utf-8")
    (root / "setup.cfg").write_text(f"{extra}[mutation_gate]\n{section}", encoding="utf-8")
    return root / "setup.cfg"


def gate_config(root=Path("/project"), **overrides):
    return GateConfig(project_root=root, config_path=root / "setup.cfg", **{"targets": (), **overrides})


def outcome(status, *kills, ran=(), reason=""):
    """A MutantOutcome; `kills` are (test, kind) pairs."""
    return MutantOutcome(MutantStatus(status), tuple(Kill(test, KillKind(kind)) for test, kind in kills), reason,
                         tuple(ran))


def killed(*kills, ran=()):
    return outcome("killed", *kills, ran=ran)


def session(*failures, exit_status=1, unfinished=(), tests=(T1, T2), durations=None, corrupt=False):
    """A recorded session; `failures` are (test, when, kind, error) tuples."""
    return SessionRecord(tests=list(tests), durations=dict(durations or {}), failures=list(failures),
                         unfinished=list(unfinished), exit_status=exit_status, corrupt=corrupt)


def mutant(engine_name="pkg.mod.x_f__mutmut_1", *, function="f", file="pkg/mod.py", lines=(1, 1), statement_line=1,
           in_signature=False, function_lines=(1, 3), mutated_text="return x - 1"):
    """A located Mutant (model.Mutant)."""
    number = engine_name.rpartition("_")[2]
    return Mutant(engine_name=engine_name, id=f"{engine_name.split('.x')[0]}.{function}#{number}", file=file,
                  function=function, start_line=lines[0], start_column=4, end_line=lines[1], end_column=16,
                  statement_line=statement_line, in_signature=in_signature, function_lines=function_lines,
                  diff=A_DIFF, mutated_text=mutated_text)


def mutant_entry(mutant_id, status="survived", *, function="f", target="pkg/a.py", file=None, covered_by=(),
                 killed_by=(), tests_run=None, reason="", line=2, diff=A_DIFF):
    """A gate.json mutant entry; `mutant_id` is `<module>.<function>#<n>` and gives mutmut's name."""
    qualified, _, number = mutant_id.rpartition("#")
    module = qualified[: -len(function) - 1]
    mangled = f"xǁ{function.replace('.', 'ǁ')}" if "." in function else f"x_{function}"
    return {
        "id": mutant_id,
        "mutmut_name": f"{module}.{mangled}__mutmut_{number}",
        "target": target,
        "file": file or target,
        "function": function,
        "start_line": line,
        "start_column": 13,
        "end_line": line,
        "end_column": 18,
        "diff": diff,
        "mutated_text": diff.splitlines()[-1].lstrip("+").strip(),
        "status": status,
        "reason": reason,
        "killed_by": [{"test": test, "kind": kind} for test, kind in killed_by],
        "covered_by": list(covered_by),
        "tests_run": list(covered_by if tests_run is None else tests_run),
    }


def per_test_entry(target_lines=None, kills=(), duration=0.1):
    """A gate.json test entry before its verdict; `kills` are (mutant id, kind) pairs."""
    return {"duration": duration, "target_lines": dict(target_lines or {}),
            "kills": [{"mutant": mutant_id, "kind": kind} for mutant_id, kind in kills]}



def gate_document(mutants, *, tests=None, min_score=90.0, sources=None, waivers=None, **config):
    """A complete gate.json document around `mutants`, its verdicts made by the real verdicts stage.

    Tests default to every test a mutant names; each mutant file gets a one-function source.
    """
    from mutation.options import TargetSpec
    from mutation.verdicts.apply import apply_verdicts

    targets = list(dict.fromkeys(entry["target"] for entry in mutants))
    files = {entry["file"]: entry["target"] for entry in mutants}
    if tests is None:
        tests = {}
        for entry in mutants:
            for test in entry["covered_by"]:
                tests.setdefault(test, per_test_entry())
            for kill in entry["killed_by"]:
                tests.setdefault(kill["test"], per_test_entry())["kills"].append({"mutant": entry["id"],
                                                                                  "kind": kill["kind"]})
    document = {
        "schema_version": SCHEMA_VERSION,
        "state": "finished",
        "run": {"finished_at": "2026-12-01T00:00:00+00:00", "tool_versions": {"mutmut": "3.8.1"},
                "config": {"targets": [{"path": path, "min_score": min_score} for path in targets],
                           "report_formats": list(config.get("report_formats", ()))},
                "preflight_seconds": 1.0},
        "targets": [{"path": path, "files": [path, *sorted({f for f, t in files.items() if t == path} - {path})],
                     "min_score": min_score, "line_coverage": 100.0, "branch_coverage": 100.0} for path in targets],
        "mutants": mutants,
        "tests": tests,
        "unmutated": [],
        "exclusions": [],
        "files": {path: {"target": target, "source": (sources or {}).get(path, "def f(x):\n    return x + 1\n")}
                  for path, target in files.items()},
    }
    config.setdefault("report_formats", ())
    settings = gate_config(targets=tuple(TargetSpec(path, min_score) for path in targets), **config)
    return apply_verdicts(document, settings, waivers or {})
