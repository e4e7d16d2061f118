"""The `[mutmut]` section the gate writes into its work directory's setup.cfg.

The settings avoid the known false kills and false survivors: fork-server isolation (no state
leaking from a parent that ran the suite), no coverage plugin during mutation (pytest-cov in
forked workers makes pytest exit 3, which mutmut counts as a kill), `--maxfail=0` after
mutmut's hard-coded `-x` (the gate's plugin decides when a session stops), every mutant run
from a fresh `mutants/` (no cache), and the root files pytest reads copied along.

A project's own `[mutmut]` keys are kept unless the gate owns them; a `pyproject.toml` with
`[tool.mutmut]` would make mutmut ignore setup.cfg altogether, so it is refused.
"""

import configparser
import importlib.util
import tomllib

from mutation.errors import ConfigError

SECTION = "mutmut"
OWNED_KEYS = (
    "source_paths", "only_mutate", "pytest_add_cli_args", "pytest_add_cli_args_test_selection", "also_copy",
    "process_isolation", "mutate_only_covered_lines", "use_git_change_detection", "timeout_multiplier",
    "timeout_constant", "debug",
)


def check_project(project_root, config_path):
    """Refuse project settings that would override the gate's (exit 1, before anything runs)."""
    pyproject = project_root / "pyproject.toml"
    if pyproject.is_file():
        try:
            data = tomllib.loads(pyproject.read_text(encoding="utf-8"))
        except tomllib.TOMLDecodeError as error:
            raise ConfigError(f"pyproject.toml: unreadable: {error}") from None
        if SECTION in data.get("tool", {}):
            raise ConfigError(
                "pyproject.toml [tool.mutmut]: makes mutmut ignore setup.cfg; move mutmut settings to setup.cfg [mutmut]"
            )
    parser = _read(config_path)
    if parser.has_section(SECTION):
        overridden = [key for key in OWNED_KEYS if key in parser[SECTION]]
        if overridden:
            raise ConfigError(f"{config_path.name} [mutmut] {sorted(overridden)[0]}: set by the gate; remove it from [mutmut]")


def mutmut_settings(*, source_dir, only_mutate, session_args, test_selection, also_copy, outer_timeout_seconds):
    """The gate's `[mutmut]` keys; `session_args` are the pytest arguments of every mutant's session."""
    pytest_args = ["--maxfail=0", *session_args]
    if importlib.util.find_spec("pytest_cov") is not None:
        pytest_args.append("--no-cov")
    return {
        "source_paths": [source_dir],
        "pytest_add_cli_args": pytest_args,
        "pytest_add_cli_args_test_selection": list(test_selection),
        "also_copy": list(also_copy),
        "process_isolation": "forkserver",
        "mutate_only_covered_lines": "false",
        "use_git_change_detection": "false",
        "timeout_multiplier": "1.0",
        "timeout_constant": f"{outer_timeout_seconds:.0f}",
        "debug": "false",
        "only_mutate": list(only_mutate),
    }


def plain_settings(*, source_dir, test_selection, also_copy):
    """Only what the work directory's layout needs: mutmut's own defaults for everything else."""
    return {"source_paths": [source_dir], "pytest_add_cli_args_test_selection": list(test_selection),
            "also_copy": list(also_copy)}


def write_settings(work_root, settings):
    """Add the gate's `[mutmut]` keys to the work directory's setup.cfg (the project's own stay)."""
    path = work_root / "setup.cfg"
    parser = _read(path)
    if not parser.has_section(SECTION):
        parser.add_section(SECTION)
    for key, value in settings.items():
        parser[SECTION][key] = _ini_value(value)
    with open(path, "w", encoding="utf-8") as handle:
        parser.write(handle)


def _read(path):
    parser = configparser.ConfigParser(interpolation=None)
    parser.optionxform = str
    parser.read(path, encoding="utf-8")
    return parser


def _ini_value(value):
    if isinstance(value, (list, tuple)):
        return "\n" + "\n".join(str(item) for item in value)
    return str(value)
