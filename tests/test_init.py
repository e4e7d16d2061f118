"""`mutation-gate init`: the `[mutation_gate]` section it writes for src, flat and tests-in-package
layouts, the mutmut settings it finds, and its one-line refusals (exit 1, the file untouched).
"""

from pathlib import Path

import pytest

from mutation import init
from mutation.errors import ConfigError
from mutation.init import Layout, find_layout, init_project
from mutation.options import TargetSpec, load_config

HEADER = '[mutation_gate]\n# Written by `mutation-gate init`: see README "Pointing the gate at your project".\n'
ADVICE = [
    "- the gate runs the suite from a copy of the project: if tests read the project's installed metadata, "
    "install it into this environment (`pip install -e .`)",
    "- add .mutation-gate/, .mutation-gate.lock and reports/mutation/ to .gitignore",
]


def tree(root, *files, text="VALUE = 1\n"):
    for relative in files:
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def section(targets, suite, package_root, *extra):
    lines = ["targets =", *(f"    {target} = 80" for target in targets), f"suite = {suite}",
             f"package_root = {package_root}", *extra]
    return HEADER + "\n".join(lines) + "\n"


def checklist(example, suite, *notes):
    return [
        "Check before the first `mutation-gate run`:",
        "- targets: each is judged as one target at 80%; change the scores, or list a module of a package on its "
        f"own line (`{example} = 90`) to judge it apart",
        f"- suite: {suite} must pass as it is (`python -m pytest {suite}`); the gate runs it unmutated first",
        *notes,
        *ADVICE,
    ]


# --- layouts ------------------------------------------------------------------------------------------

def test_src_layout_gets_a_new_setup_cfg_with_each_package_as_a_target(tmp_path):
    tree(tmp_path, "src/app/__init__.py", "src/app/core.py", "src/helper.py", "src/conftest.py",
         "src/notes/readme.py", "tests/test_app.py", "docs/conf.py", "setup.py")

    printed = init_project(tmp_path / "setup.cfg")

    written = section(["src/app", "src/helper.py"], "tests", "src")
    assert (tmp_path / "setup.cfg").read_text(encoding="utf-8") == written
    assert printed == ["wrote [mutation_gate] to setup.cfg:", "", *written.splitlines(), "",
                       *checklist("src/app/module.py", "tests")]
    config = load_config(tmp_path / "setup.cfg")
    assert (config.targets, config.suite, config.package_root) == (
        (TargetSpec("src/app", 80.0), TargetSpec("src/helper.py", 80.0)), "tests", "src")


def test_flat_layout_skips_tests_docs_examples_build_dirs_and_tooling(tmp_path):
    tree(tmp_path, "alpha/__init__.py", "beta/__init__.py", "beta/x.py", "tests/__init__.py", "tests/test_x.py",
         "docs/__init__.py", "examples/__init__.py", "build/__init__.py", "venv/__init__.py", ".hidden/__init__.py",
         "scripts_only/run.py", "setup.py", "conftest.py", "noxfile.py", "tasks.py", "test_top.py")

    layout = find_layout(tmp_path)

    assert layout == Layout(".", ("alpha", "beta"), "tests")


def test_flat_project_of_single_modules_targets_its_modules(tmp_path):
    tree(tmp_path, "tool.py", "setup.py", "noxfile.py", "test/test_tool.py")

    assert find_layout(tmp_path) == Layout(".", ("tool.py",), "test")


@pytest.mark.parametrize(
    ("files", "layout"),
    [
        pytest.param(("pkg/__init__.py", "pkg/a.py", "pkg/tests/__init__.py", "pkg/tests/test_a.py"),
                     Layout(".", ("pkg",), "pkg/tests"), id="flat"),
        pytest.param(("src/pkg/__init__.py", "src/pkg/a.py", "src/pkg/test/a_test.py"),
                     Layout("src", ("src/pkg",), "src/pkg/test"), id="src"),
        pytest.param(("one/__init__.py", "one/tests/test_a.py", "two/__init__.py", "two/tests/test_b.py"),
                     Layout(".", ("one", "two"), "one/tests", ("two/tests",)), id="several"),
        pytest.param(("pkg/__init__.py", "pkg/tests/test_a.py", "tests/test_b.py"),
                     Layout(".", ("pkg",), "tests", ("pkg/tests",)), id="top-level-first"),
    ],
)
def test_tests_inside_the_package_are_the_suite_when_there_is_no_top_level_one(tmp_path, files, layout):
    tree(tmp_path, *files)

    assert find_layout(tmp_path) == layout


def test_a_tests_directory_without_test_files_is_not_a_suite(tmp_path):
    tree(tmp_path, "pkg/__init__.py", "tests/helpers.py", "pkg/tests/test_a.py")

    assert find_layout(tmp_path).suite == "pkg/tests"


def test_a_tests_in_package_target_loads_and_leaves_its_tests_out(tmp_path):
    tree(tmp_path, "pkg/__init__.py", "pkg/a.py", "pkg/tests/__init__.py", "pkg/tests/test_a.py")

    init_project(tmp_path / "setup.cfg")

    config = load_config(tmp_path / "setup.cfg")
    assert (config.targets, config.suite, config.package_root) == ((TargetSpec("pkg", 80.0),), "pkg/tests", ".")


# --- an existing configuration -----------------------------------------------------------------------

def test_the_section_is_appended_to_an_existing_setup_cfg_keeping_its_text(tmp_path):
    tree(tmp_path, "pkg/__init__.py", "tests/test_a.py")
    existing = "[metadata]\nname = demo  # kept as written\n\n[tool:pytest]\naddopts = -q\n"
    (tmp_path / "setup.cfg").write_text(existing, encoding="utf-8")

    init_project(tmp_path / "setup.cfg")

    assert (tmp_path / "setup.cfg").read_text(encoding="utf-8") == existing + "\n" + section(["pkg"], "tests", ".")


def test_an_existing_mutmut_section_is_named_and_its_test_selection_is_the_suite(tmp_path):
    tree(tmp_path, "pkg/__init__.py", "tests/test_a.py", "spec/test_b.py")
    mutmut = "[mutmut]\npytest_add_cli_args =\n    -x\ndo_not_mutate =\n    pkg/gen.py\n" \
             "pytest_add_cli_args_test_selection =\n    spec/\n"
    (tmp_path / "setup.cfg").write_text(mutmut, encoding="utf-8")

    printed = init_project(tmp_path / "setup.cfg")

    written = section(["pkg"], "spec", ".", "# setup.cfg [mutmut] is read at every run too: pytest_add_cli_args, "
                      "do_not_mutate.")
    assert (tmp_path / "setup.cfg").read_text(encoding="utf-8") == mutmut + "\n" + written
    assert printed == ["wrote [mutation_gate] to setup.cfg:", "", *written.splitlines(), "", *checklist(
        "pkg/module.py", "spec",
        "  (taken from setup.cfg [mutmut] pytest_add_cli_args_test_selection)",
        "- setup.cfg [mutmut]: pytest_add_cli_args, do_not_mutate apply to every run as they did under mutmut",
    )]
    # Not copied into pytest_args: the gate adds the project's mutmut arguments to every run itself.
    assert load_config(tmp_path / "setup.cfg").pytest_args == ()


def test_a_pyproject_tool_mutmut_table_is_named_and_its_also_copy_reused(tmp_path):
    tree(tmp_path, "src/pkg/__init__.py", "tests/test_a.py")
    (tmp_path / "pyproject.toml").write_text('[tool.mutmut]\nalso_copy = ["data"]\n', encoding="utf-8")

    printed = init_project(tmp_path / "setup.cfg")

    written = section(["src/pkg"], "tests", "src", "# pyproject.toml [tool.mutmut] is read at every run too: also_copy.")
    assert (tmp_path / "setup.cfg").read_text(encoding="utf-8") == written
    assert printed == ["wrote [mutation_gate] to setup.cfg:", "", *written.splitlines(), "", *checklist(
        "src/pkg/module.py", "tests",
        "- pyproject.toml [tool.mutmut]: also_copy apply to every run as they did under mutmut",
    )]


def test_an_existing_gate_section_is_refused_and_left_alone(tmp_path, gate_cli):
    tree(tmp_path, "pkg/__init__.py", "tests/test_a.py")
    existing = "[mutation_gate]\ntargets = pkg/__init__.py = 95\n"
    (tmp_path / "setup.cfg").write_text(existing, encoding="utf-8")

    assert gate_cli("--config", str(tmp_path / "setup.cfg"), "init") == (
        1, "", "mutation-gate: setup.cfg already has a [mutation_gate] section; edit it, or replace it with "
               "`mutation-gate init --force`\n",
    )
    assert (tmp_path / "setup.cfg").read_text(encoding="utf-8") == existing


def test_force_replaces_the_gate_section_in_place(tmp_path, gate_cli):
    tree(tmp_path, "pkg/__init__.py", "tests/test_a.py")
    before, after = "[metadata]\nname = demo\n\n", "[tool:pytest]\naddopts = -q\n"
    (tmp_path / "setup.cfg").write_text(before + "[mutation_gate]\ntargets = old.py = 95\n\n" + after,
                                        encoding="utf-8")

    code, out, err = gate_cli("--config", str(tmp_path / "setup.cfg"), "init", "--force")

    assert (code, err, out.splitlines()[0]) == (0, "", "wrote [mutation_gate] to setup.cfg:")
    assert (tmp_path / "setup.cfg").read_text(encoding="utf-8") == before + section(["pkg"], "tests", ".") + "\n" + after


def test_init_writes_the_setup_cfg_of_the_current_directory(tmp_path, gate_cli, monkeypatch):
    tree(tmp_path, "pkg/__init__.py", "tests/test_a.py")
    monkeypatch.chdir(tmp_path)

    code, out, err = gate_cli("init")

    assert (code, err) == (0, "")
    assert out == "\n".join(["wrote [mutation_gate] to setup.cfg:", "", *section(["pkg"], "tests", ".").splitlines(),
                             "", *checklist("pkg/module.py", "tests")]) + "\n"


# --- nothing to write --------------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("files", "message"),
    [
        pytest.param(("tests/test_a.py", "setup.py", "docs/__init__.py"),
                     "no Python package found in {root} (looked in src/ and the project root); "
                     "write [mutation_gate] by hand", id="no-package"),
        pytest.param(("pkg/__init__.py", "tests/helpers.py"),
                     "no test directory found (tests/ or test/ with test_*.py files, in the project or inside "
                     "its packages); write [mutation_gate] by hand", id="no-tests"),
    ],
)
def test_a_project_init_cannot_read_is_one_line_and_no_file(tmp_path, gate_cli, files, message):
    tree(tmp_path, *files)

    assert gate_cli("--config", str(tmp_path / "setup.cfg"), "init") == (
        1, "", f"mutation-gate: {message.format(root=tmp_path.resolve())}\n",
    )
    assert not (tmp_path / "setup.cfg").exists()


def test_an_unreadable_setup_cfg_is_one_line(tmp_path):
    tree(tmp_path, "pkg/__init__.py", "tests/test_a.py")
    (tmp_path / "setup.cfg").write_text("name = demo\n", encoding="utf-8")

    with pytest.raises(ConfigError) as error:
        init_project(tmp_path / "setup.cfg")

    assert str(error.value) == "setup.cfg: unreadable: File contains no section headers."


@pytest.mark.parametrize("existing", [None, "[metadata]\nname = demo\n"], ids=["no-file", "file"])
def test_a_section_the_gate_would_refuse_is_taken_back(tmp_path, monkeypatch, existing):
    tree(tmp_path, "pkg/__init__.py", "tests/test_a.py")
    if existing is not None:
        (tmp_path / "setup.cfg").write_text(existing, encoding="utf-8")

    def refuse(config_path):
        raise ConfigError("setup.cfg [mutation_gate] suite: refused")

    monkeypatch.setattr(init, "load_config", refuse)

    with pytest.raises(ConfigError, match=r"^setup\.cfg \[mutation_gate\] suite: refused$"):
        init_project(tmp_path / "setup.cfg")

    path = Path(tmp_path / "setup.cfg")
    assert (path.read_text(encoding="utf-8") if path.exists() else None) == existing
