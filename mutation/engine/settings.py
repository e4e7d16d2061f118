"""mutmut's settings: what a project's own mutmut configuration says (reused by the gate), and the
`[mutmut]` section the gate writes into its work directory for mutmut's mutant generation.

mutmut reads `pyproject.toml [tool.mutmut]` when it exists and then ignores `setup.cfg [mutmut]`;
the gate reads the project's settings in the same order. In the work directory it writes its
own `[mutmut]` section and takes `[tool.mutmut]` out of the copied pyproject.toml, so mutmut
generates exactly the mutants the gate located. The pytest arguments of the fork server's
session also live here: they depend on how mutants are run, not on what the gate records.
"""

import configparser
import importlib.util
import re
import tomllib
from dataclasses import dataclass

from mutation.errors import ConfigError

SECTION = "mutmut"
_TOOL_TABLE = re.compile(r"^\[tool\.mutmut\]\s*(#.*)?$")
_TABLE = re.compile(r"^\[")


@dataclass(frozen=True)
class ProjectSettings:
    """The project's own mutmut settings the gate reuses; `where` names the section they came from."""

    pytest_args: tuple = ()
    also_copy: tuple = ()
    do_not_mutate: tuple = ()
    source_paths: tuple = ()
    tests_dir: tuple = ()
    where: str = ""


def project_settings(project_root, config_path):
    """The project's mutmut settings, from pyproject.toml [tool.mutmut] or else setup.cfg [mutmut]."""
    pyproject = project_root / "pyproject.toml"
    if pyproject.is_file():
        try:
            tool = tomllib.loads(pyproject.read_text(encoding="utf-8")).get("tool", {})
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
            raise ConfigError(f"pyproject.toml: unreadable: {error}") from None
        if isinstance(tool.get(SECTION), dict):
            return _settings(tool[SECTION].get, "pyproject.toml [tool.mutmut]", lambda value: list(value))
    parser = _read(config_path)
    if parser.has_section(SECTION):
        return _settings(parser[SECTION].get, f"{config_path.name} [mutmut]",
                         lambda value: [line.strip() for line in value.splitlines() if line.strip()])
    return ProjectSettings()


def _settings(get, where, as_list):
    def values(key):
        value = get(key)
        if value is None:
            return ()
        if isinstance(value, str) and where.startswith("pyproject"):
            value = [value]
        try:
            return tuple(str(item) for item in as_list(value))
        except TypeError:
            raise ConfigError(f"{where} {key}: must be a list, got {value!r}") from None

    return ProjectSettings(values("pytest_add_cli_args"), values("also_copy"), values("do_not_mutate"),
                           values("source_paths"), values("pytest_add_cli_args_test_selection"), where)


def mutmut_settings(*, source_dir, only_mutate, test_selection, also_copy, do_not_mutate=()):
    """The `[mutmut]` section of the work directory: what mutmut's mutant generation reads."""
    return {
        "source_paths": [source_dir],
        "only_mutate": list(only_mutate),
        "do_not_mutate": list(do_not_mutate),
        "also_copy": list(also_copy),
        "pytest_add_cli_args_test_selection": list(test_selection),
        "mutate_only_covered_lines": "false",
        "use_git_change_detection": "false",
    }


def plain_settings(*, source_dir, test_selection, also_copy, pytest_args=()):
    """For plain `mutmut run`: what the work directory's layout needs, mutmut's defaults for the rest."""
    return {"source_paths": [source_dir], "pytest_add_cli_args_test_selection": list(test_selection),
            "also_copy": list(also_copy), "pytest_add_cli_args": list(pytest_args)}


def server_args(session_args, suite, rootdir="."):
    """pytest's arguments for the fork server's session over the mutated copy."""
    args = [f"--rootdir={rootdir}", "-q", "-p", "no:randomly", *session_args]
    if importlib.util.find_spec("pytest_cov") is not None:
        args.append("--no-cov")  # coverage in forked children races on its data files
    return [*args, suite]


def write_settings(work_root, settings):
    """The work directory's setup.cfg gets `settings` as its whole `[mutmut]` section."""
    path = work_root / "setup.cfg"
    parser = _read(path)
    parser.remove_section(SECTION)
    parser.add_section(SECTION)
    for key, value in settings.items():
        if value != []:  # mutmut reads an empty list as one empty pattern, and warns
            parser[SECTION][key] = _ini_value(value)
    with open(path, "w", encoding="utf-8") as handle:
        parser.write(handle)
    _drop_tool_table(work_root / "pyproject.toml")


def _drop_tool_table(pyproject):
    """Take `[tool.mutmut]` out of the work directory's pyproject.toml, which mutmut would read instead."""
    if not pyproject.is_file():
        return
    kept, inside = [], False
    for line in pyproject.read_text(encoding="utf-8").splitlines(keepends=True):
        if _TABLE.match(line):
            inside = bool(_TOOL_TABLE.match(line.strip()))
        if not inside:
            kept.append(line)
    text = "".join(kept)
    if isinstance(tomllib.loads(text).get("tool", {}).get(SECTION), dict):
        raise ConfigError("pyproject.toml: mutmut settings outside a [tool.mutmut] table; "
                          "move them to a [tool.mutmut] table or to setup.cfg [mutmut]")
    pyproject.write_text(text, encoding="utf-8")


def _read(path):
    parser = configparser.ConfigParser(interpolation=None)
    parser.optionxform = str
    try:
        parser.read(path, encoding="utf-8")
    except (configparser.Error, UnicodeDecodeError) as error:
        raise ConfigError(f"{path.name}: unreadable: {str(error).splitlines()[0]}") from None
    return parser


def _ini_value(value):
    if isinstance(value, (list, tuple)):
        return "\n" + "\n".join(str(item) for item in value)
    return str(value)
