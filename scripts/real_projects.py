"""Real open-source projects to prove the gate on, each pinned and set up the same way every time.

`setup NAME... --into DIR` downloads each project's pinned sdist (from PyPI, no wheel), unpacks it
into DIR/NAME/, builds DIR/NAME/<sdist>/.venv with the pinned test tools (the versions of this
repository's requirements.txt), the gate installed editable from this repository and the project
itself, writes the project's `[mutation_gate]` section (its main modules at minimum score 0) and
runs its suite once with plain pytest. `configure NAME... --into DIR` only rewrites the sections of
projects set up earlier (after a change to the table); `list` prints the table below. Each step
prints its time.
"""

import argparse
import configparser
import re
import shlex
import shutil
import subprocess
import sys
import tarfile
import time
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
REQUIREMENTS = REPO / "requirements.txt"
MARKER = ".real-project"  # in DIR/NAME: made by this script, so it may delete and rebuild it
TEST_TOOLS = ("pytest",)  # every venv gets these; a project's deps add the rest


@dataclass(frozen=True)
class Project:
    """A pinned project and the gate settings that fit it; paths are relative to the unpacked sdist."""

    name: str
    version: str
    targets: tuple
    suite: str
    package_root: str
    pytest_args: tuple = ()
    deps: tuple = ()  # test dependencies; a bare name takes this repository's pinned version
    also_copy: tuple = ()  # what the suite needs besides itself, written as [mutmut] also_copy


PROJECTS = (
    Project("cachetools", "8.0.2", ("src/cachetools/__init__.py", "src/cachetools/keys.py"), "tests", "src"),
    Project("async-lru", "2.4.0", ("async_lru/__init__.py",), "tests", ".",
            pytest_args=("-o", "asyncio_default_fixture_loop_scope=function"),
            deps=("pytest-asyncio", "pytest-timeout==2.4.0", "pytest-cov", "coverage")),
    Project("toolz", "1.2.0", ("toolz/itertoolz.py", "toolz/dicttoolz.py"), "toolz/tests", "."),
    Project("semver", "3.1.2", ("src/semver/version.py",), "tests", "src",
            deps=("pytest-cov", "coverage"), also_copy=(".pytest.ini",)),
    Project("python-slugify", "9.2.0", ("slugify/slugify.py",), "tests", ".", also_copy=("tools", "README.md")),
    Project("priority", "2.0.0", ("src/priority/priority.py",), "test", "src", deps=("hypothesis",)),
    Project("parsy", "2.2", ("src/parsy/__init__.py",), "tests", "src"),
    # Its test modules are named like stdlib modules (asyncio.py, builtins.py, ...); `*.py` would collect them twice.
    Project("aioitertools", "0.13.0", ("aioitertools/itertools.py", "aioitertools/builtins.py"), "aioitertools/tests",
            ".", pytest_args=("-o", "python_files=asyncio.py builtins.py helpers.py itertools.py more_itertools.py")),
)
BY_NAME = {project.name: project for project in PROJECTS}


def pinned_versions(path=REQUIREMENTS):
    """`name -> version` of every `name==version` line of a requirements file (names lower-cased)."""
    versions = {}
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        name, separator, version = line.split("#")[0].strip().partition("==")
        if separator:
            versions[name.strip().lower()] = version.strip()
    return versions


def requirement(dep, versions):
    """`pytest` -> `pytest==9.2.0` from `versions`; an explicit `name==version` stays as it is."""
    if "==" in dep:
        return dep
    if dep.lower() not in versions:
        raise SystemExit(f"{dep}: no pinned version in {REQUIREMENTS.name}; write it as {dep}==VERSION")
    return f"{dep}=={versions[dep.lower()]}"


def gate_settings(project, workers=2):
    """The `[mutation_gate]` keys this script sets for `project` (values as ini text)."""
    settings = {"targets": "\n" + "\n".join(f"{target} = 0" for target in project.targets),
                "suite": project.suite, "package_root": project.package_root, "workers": str(workers)}
    if project.pytest_args:
        settings["pytest_args"] = shlex.join(project.pytest_args)
    return settings


def gate_section(project, existing=None):
    """The `[mutation_gate]` section as lines: `existing` keys (e.g. from `init`) with this script's on top."""
    settings = {**(existing or {}), **gate_settings(project)}
    lines = ["[mutation_gate]", "# written by scripts/real_projects.py"]
    for key, value in settings.items():
        if value.startswith("\n") or "\n" in value.strip():
            lines += [f"{key} =", *(f"    {line.strip()}" for line in value.strip().splitlines())]
        else:
            lines.append(f"{key} = {value.strip()}")
    return lines


def existing_gate_settings(setup_cfg):
    """The `[mutation_gate]` keys already in `setup_cfg` (written by `mutation-gate init`), or {}."""
    parser = configparser.ConfigParser(interpolation=None)
    parser.read(setup_cfg, encoding="utf-8")
    return dict(parser["mutation_gate"]) if parser.has_section("mutation_gate") else {}


def mutmut_section(project):
    """A `[mutmut]` section naming what the suite needs copied along, or no lines."""
    if not project.also_copy:
        return []
    return ["[mutmut]", "also_copy =", *(f"    {path}" for path in project.also_copy)]


def with_section(text, lines):
    """`text` (an ini file) with the section `lines[0]` replaced by `lines`, or added at the end."""
    header = lines[0]
    kept, inside = [], False
    for line in text.splitlines():
        if re.match(r"^\[[^\]]+\]", line):
            inside = line.strip() == header
        if not inside:
            kept.append(line)
    while kept and not kept[-1].strip():
        kept.pop()
    return "\n".join([*kept, *([""] if kept else []), *lines]) + "\n"


def run(command, cwd, label, required=True):
    """Run `command`, print its time; on failure print its output's tail and stop (unless not `required`)."""
    started = time.monotonic()
    completed = subprocess.run(command, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    seconds = time.monotonic() - started
    print(f"  {label:<24} {seconds:6.1f} s  exit {completed.returncode}", flush=True)
    if completed.returncode != 0:
        print("\n".join("    " + line for line in completed.stdout.splitlines()[-20:]))
        if not required:
            return None
        raise SystemExit(f"{label} failed: {' '.join(map(str, command))}")
    return completed.stdout


def fresh_dir(path):
    if path.exists():
        if not (path / MARKER).is_file():
            raise SystemExit(f"{path} exists and was not made by {Path(__file__).name}; refusing to delete it")
        shutil.rmtree(path)
    path.mkdir(parents=True)
    (path / MARKER).write_text("made by scripts/real_projects.py; deleted and rebuilt by setup\n")


def download(project, into):
    """The unpacked sdist of `project` under `into`; returns its root."""
    run([sys.executable, "-m", "pip", "download", "-q", "--no-deps", "--no-binary", project.name,
         f"{project.name}=={project.version}", "-d", str(into)], into, "download sdist")
    archive, = into.glob("*.tar.gz")
    with tarfile.open(archive) as tar:
        tops = {Path(name).parts[0] for name in tar.getnames()}
        tar.extractall(into, filter="data")
    top, = tops
    return into / top


def has_init(python):
    """Whether the installed gate has `mutation-gate init` (another change adds it)."""
    return subprocess.run([python, "-m", "mutation", "init", "--help"], stdout=subprocess.DEVNULL,
                          stderr=subprocess.DEVNULL).returncode == 0


def build_venv(project, root, versions):
    venv = root / ".venv"
    run([sys.executable, "-m", "venv", str(venv)], root, "venv")
    pip = [str(venv / "bin" / "python"), "-m", "pip", "install", "-q", "--disable-pip-version-check",
           "-c", str(REQUIREMENTS)]
    tools = [requirement(dep, versions) for dep in (*TEST_TOOLS, "setuptools", *project.deps)]
    run([*pip, *tools], root, "test tools")
    run([*pip, "--no-build-isolation", "-e", str(REPO)], root, "gate (editable)")
    run([*pip, "-e", "."], root, "project (editable)")
    return venv / "bin" / "python"


def configure(project, root, python, use_init=True):
    setup_cfg = root / "setup.cfg"
    if use_init and has_init(python):
        # Its section is the base; this script's keys replace its guesses (a failure leaves none).
        run([python, "-m", "mutation", "init"], root, "mutation-gate init", required=False)
    text = setup_cfg.read_text(encoding="utf-8") if setup_cfg.exists() else ""
    section = gate_section(project, existing_gate_settings(setup_cfg))
    text = with_section(text, section)
    if project.also_copy:
        text = with_section(text, mutmut_section(project))
    setup_cfg.write_text(text, encoding="utf-8")
    print("  " + "\n  ".join(section + mutmut_section(project)))


def check_suite(project, root, python):
    output = run([python, "-m", "pytest", "-q", *project.pytest_args, project.suite], root, "suite (plain pytest)")
    print(f"    {output.strip().splitlines()[-1]}")


def setup(project, into, versions):
    print(f"{project.name}=={project.version}", flush=True)
    home = into / project.name
    fresh_dir(home)
    root = download(project, home)
    python = build_venv(project, root, versions)
    freeze = run([python, "-m", "pip", "freeze", "--exclude-editable"], root, "pip freeze")
    (home / "freeze.txt").write_text(freeze, encoding="utf-8")
    configure(project, root, python)
    check_suite(project, root, python)
    print(f"  ready: {root}  (venv {root / '.venv'}, freeze {home / 'freeze.txt'})", flush=True)
    return root


def reconfigure(project, into):
    """Rewrite the sections of a project set up earlier in `into`."""
    print(f"{project.name}=={project.version}", flush=True)
    roots = [path.parent for path in (into / project.name).glob("*/.venv")]
    if len(roots) != 1:
        raise SystemExit(f"{into / project.name}: no project set up by `setup` there")
    configure(project, roots[0], str(roots[0] / ".venv" / "bin" / "python"), use_init=False)
    check_suite(project, roots[0], str(roots[0] / ".venv" / "bin" / "python"))


def print_table():
    print(f"{'name':<16} {'version':<8} {'package_root':<12} {'suite':<20} targets / pytest args / deps / also_copy")
    for project in PROJECTS:
        print(f"{project.name:<16} {project.version:<8} {project.package_root:<12} {project.suite:<20} "
              f"{' '.join(project.targets)}")
        for label, values in (("pytest args", project.pytest_args), ("deps", project.deps),
                              ("also_copy", project.also_copy)):
            if values:
                print(f"{'':<60}{label}: {shlex.join(values)}")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("list", help="print the pinned projects and their gate settings")
    setup_parser = commands.add_parser("setup", help="download, unpack, build the venv, configure the gate")
    setup_parser.add_argument("names", nargs="+", metavar="NAME", help=f"one of: {', '.join(BY_NAME)}, or all")
    setup_parser.add_argument("--into", required=True, type=Path, help="where the projects go (DIR/NAME/...)")
    configure_parser = commands.add_parser("configure", help="rewrite the sections of projects set up earlier")
    configure_parser.add_argument("names", nargs="+", metavar="NAME", help=f"one of: {', '.join(BY_NAME)}, or all")
    configure_parser.add_argument("--into", required=True, type=Path, help="where they were set up")
    arguments = parser.parse_args(argv)
    if arguments.command == "list":
        print_table()
        return 0
    names = list(BY_NAME) if arguments.names == ["all"] else arguments.names
    unknown = [name for name in names if name not in BY_NAME]
    if unknown:
        parser.error(f"unknown project {unknown[0]} (known: {', '.join(BY_NAME)})")
    if arguments.command == "configure":
        for name in names:
            reconfigure(BY_NAME[name], arguments.into.resolve())
        return 0
    versions = pinned_versions()
    for name in names:
        setup(BY_NAME[name], arguments.into.resolve(), versions)
    return 0


if __name__ == "__main__":
    sys.exit(main())
