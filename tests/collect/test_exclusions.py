"""Loading equivalent-mutant exclusions: matched by file, function and mutated text, never by number."""

import pytest

from mutation.collect.exclusions import Exclusions, load_exclusions, read_exclusions
from mutation.errors import ConfigError
from tests.factories import gate_config, mutant

MUTANTS = [
    mutant("pkg.mod.x_f__mutmut_1", mutated_text="return x - 1"),
    mutant("pkg.mod.x_f__mutmut_2", mutated_text="return x + 2"),
    mutant("pkg.mod.x_g__mutmut_1", function="g", mutated_text="return x - 1"),
]
ENTRY = 'file = "pkg/mod.py"\nfunction = "f"\nmutation = "  return x + 2 "\nreason = "x is always odd"\n'


def config_with(tmp_path, text):
    (tmp_path / "pkg").mkdir(exist_ok=True)
    (tmp_path / "pkg" / "mod.py").write_text("def f(x):\n    return x + 1\n", encoding="utf-8")
    (tmp_path / "equivalent.toml").write_text(text, encoding="utf-8")
    return gate_config(tmp_path, exclusions="equivalent.toml")


def test_an_entry_excludes_the_mutants_with_its_file_function_and_text(tmp_path):
    exclusions = load_exclusions(config_with(tmp_path, f"[[equivalent]]\n{ENTRY}"), MUTANTS)

    assert exclusions.reason_by_name == {"pkg.mod.x_f__mutmut_2": "x is always odd"}
    assert exclusions.entries == ({"file": "pkg/mod.py", "function": "f", "mutation": "  return x + 2 ",
                                   "reason": "x is always odd"},)


def test_no_exclusions_file_excludes_nothing():
    assert load_exclusions(gate_config(), MUTANTS) == Exclusions()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        pytest.param('[[equivalent]]\nfile = "pkg/mod.py"\nfunction = "g"\nmutation = "return x + 2"\nreason = "r"\n',
                     "equivalent.toml entry 1: no mutant of pkg/mod.py::g puts 'return x + 2' in place; remove the entry",
                     id="matches-nothing"),
        pytest.param('[[equivalent]]\nfile = "pkg/mod.py"\nfunction = "f"\nmutation = "return x + 2"\nreason = " "\n',
                     "equivalent.toml entry 1: missing 'reason'", id="blank-reason"),
        pytest.param("[[equivalent]\n",
                     "equivalent.toml: unreadable: Expected ']]' at the end of an array declaration (at line 1, column 13)",
                     id="not-toml"),
        pytest.param(f"[[equivalent]]\n{ENTRY}".replace('"pkg/mod.py"', "7"),
                     "equivalent.toml entry 1: file must be a string, got the number 7", id="file-not-a-string"),
        pytest.param(f"[[equivalent]]\n{ENTRY}line = 3\n",
                     "equivalent.toml entry 1: unknown key 'line' (known keys: file, function, mutation, reason)",
                     id="unknown-key"),
        pytest.param(f"[[equivalent]]\n{ENTRY}".replace("pkg/mod.py", "pkg/gone.py"),
                     "equivalent.toml entry 1: file 'pkg/gone.py': no such file in the project", id="file-missing"),
        pytest.param(f"[[equivalent]]\n{ENTRY}".replace("pkg/mod.py", "pkg"),
                     "equivalent.toml entry 1: file 'pkg': no such file in the project", id="file-a-directory"),
        pytest.param(f"[[equivalent]]\n{ENTRY}[[equivalent]]\n{ENTRY}".replace('"  return x + 2 "', '"return x + 2"'),
                     "equivalent.toml entry 2: the same mutant as entry 1", id="listed-twice"),
        pytest.param("[equivalent]\nfile = 'pkg/mod.py'\n",
                     "equivalent.toml: [equivalent] is one table; write each entry as [[equivalent]]", id="one-table"),
    ],
)
def test_a_bad_entry_is_a_configuration_error(tmp_path, text, message):
    with pytest.raises(ConfigError) as error:
        load_exclusions(config_with(tmp_path, text), MUTANTS)

    assert str(error.value) == message


def test_read_exclusions_gives_the_entries_without_matching_them(tmp_path):
    config_with(tmp_path, f"[[equivalent]]\n{ENTRY}".replace("return x + 2", "return 0"))

    assert read_exclusions(tmp_path, "equivalent.toml") == [
        {"file": "pkg/mod.py", "function": "f", "mutation": "  return 0 ", "reason": "x is always odd"},
    ]
