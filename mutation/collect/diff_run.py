"""A `--diff BASE` run: the change read before anything is prepared, the preflight's test bodies
in the project's paths, the scope filter that marks every mutant outside the change `not
measured`, and what the run says and records about its scope (`diff_scope` decides the scope).
"""

import posixpath
from pathlib import PurePosixPath

from mutation.collect.changes import changed_lines
from mutation.collect.diff_scope import CONFIG_FILES
from mutation.collect.outcomes import MutantOutcome
from mutation.collect.workspace import SOURCE_DIR
from mutation.model import MutantStatus

NOT_MEASURED_REASON = "not measured: outside the --diff scope"


def read_changes(config, base):
    """The Changes of the project against `base`, the gate's own directories left out; a ConfigError
    naming `--diff BASE` (exit 1, nothing measured) when BASE is not a revision."""
    cache_dir = PurePosixPath(config.cache).parent.as_posix()
    ignored = [config.work_dir, config.report_dir, *([cache_dir] if cache_dir != "." else [])]
    return changed_lines(config.project_root, base, ignored=ignored)



def config_files(config):
    """Every file whose change widens a `--diff` run as configuration, relative to the project root:
    the usual configuration files, the gate's own and the exclusions and waivers files it names."""
    named = (config.config_path.relative_to(config.project_root).as_posix(), config.exclusions, config.waivers)
    return tuple(dict.fromkeys([*CONFIG_FILES, *(path for path in named if path is not None)]))

def project_bodies(bodies, workspace):
    """The preflight's `{test: file:line}` (paths relative to pytest's rootdir in the work directory)
    in the project's paths, as the change names them."""
    return {test: _project_body(body, workspace) for test, body in bodies.items()}


def _project_body(body, workspace):
    path, separator, rest = body.rpartition(":") if body.rpartition(":")[2].isdigit() else body.partition("::")
    if not separator:
        return body
    work = posixpath.normpath(posixpath.join(workspace.rootdir, PurePosixPath(path).as_posix()))
    # The packages are copied to src/; a suite outside them is copied to its own place.
    project = workspace.project_path(work) if work.startswith(f"{SOURCE_DIR}/") else work
    return f"{project}{separator}{rest}"


def body_sources(project_root, bodies):
    """`{path: text}` of every readable file a body names, from the project (the changed side)."""
    sources = {}
    for path in sorted({body.rpartition(":")[0] if body.rpartition(":")[2].isdigit() else body.split("::", 1)[0]
                        for body in bodies.values()}):
        try:
            sources[path] = (project_root / path).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError, ValueError):
            continue  # gone or not text: diff_scope counts every test of it as changed if the file changed
    return sources


def outside_change(change_scope):
    """The scope filter that sets aside every mutant outside `change_scope` as not measured."""

    def outside(mutants):
        return {mutant.engine_name: MutantOutcome(MutantStatus.NOT_MEASURED, (), NOT_MEASURED_REASON)
                for mutant in mutants if mutant.engine_name not in change_scope.measured}

    return outside


def scope_lines(base, change_scope, measured, total):
    """The run's lines about its scope: how many mutants it measures against `base`, why it widened."""
    return [f"diff scope: {measured} of {total} mutants measured against {base}",
            *(f"full run: {reason}" for reason in change_scope.widened)]


def diff_entry(base, change_scope, measured, mutant_ids):
    """gate.json `run.diff`; `mutant_ids` maps an engine name to its gate id."""
    return {"base": base, "measured": measured, "widened": list(change_scope.widened),
            "changed_tests": dict(sorted(change_scope.changed_tests.items())),
            "in_changed_lines": sorted(mutant_ids[name] for name in change_scope.in_changed_lines)}
