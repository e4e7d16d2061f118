"""A mutant's exact change, from the span and diff the engine records: checked on mutants mutmut
really makes (a method, a call over several lines), and on a span its diff does not match."""

import difflib

import pytest
from mutmut import configuration as mutmut_configuration

from mutation.engine.mutants import locate_file
from mutation.report.replacements import Change, change

SOURCE = '''\
class Meter:
    def read(self, raw):
        return emit(
            raw,
            "unit",
        )
'''


@pytest.fixture
def located(tmp_path, monkeypatch):
    """The gate.json entries of every mutant mutmut makes of SOURCE (as pkg/meter.py)."""
    (tmp_path / "setup.cfg").write_text("[mutmut]\nsource_paths = src\n", encoding="utf-8")
    (tmp_path / "src" / "pkg").mkdir(parents=True)
    (tmp_path / "src" / "pkg" / "meter.py").write_text(SOURCE, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    mutmut_configuration.reset_config()
    yield [{"start_line": mutant.start_line, "start_column": mutant.start_column, "end_line": mutant.end_line,
            "end_column": mutant.end_column, "diff": mutant.diff, "mutated_text": mutant.mutated_text}
           for mutant in locate_file("src/pkg/meter.py", "pkg/meter.py", "src/pkg/meter.py")]
    mutmut_configuration.reset_config()


CALL = 'emit(\n            raw,\n            "unit",\n        )'


def test_the_change_of_each_real_mutant_is_its_span_and_the_text_put_there(located):
    changes = [change(entry, SOURCE.splitlines()) for entry in located]

    assert changes == [
        Change(CALL, 'emit(\n            None,\n            "unit",\n        )', 3, 15, 6, 9, True),
        Change(CALL, 'emit(\n            raw,\n            None,\n        )', 3, 15, 6, 9, True),
        Change(CALL, 'emit(\n            "unit",\n        )', 3, 15, 6, 9, True),
        Change(CALL, 'emit(\n            raw,\n            )', 3, 15, 6, 9, True),
        Change('"unit"', '"XXunitXX"', 5, 12, 5, 18, True),
        Change('"unit"', '"UNIT"', 5, 12, 5, 18, True),
    ]


def test_the_original_is_the_source_text_of_the_span(located):
    lines = SOURCE.splitlines()
    text = SOURCE.rstrip("\n")
    for entry in located:
        found = change(entry, lines)
        start = sum(len(line) + 1 for line in lines[:found.start_line - 1]) + found.start_column
        end = sum(len(line) + 1 for line in lines[:found.end_line - 1]) + found.end_column
        assert found.original == text[start:end]


def test_the_replacement_put_in_the_span_makes_the_file_the_diff_shows(located):
    lines = SOURCE.splitlines()
    for entry in located:
        found = change(entry, lines)
        start = sum(len(line) + 1 for line in lines[:found.start_line - 1]) + found.start_column
        end = sum(len(line) + 1 for line in lines[:found.end_line - 1]) + found.end_column
        mutated = (SOURCE[:start] + found.replacement + SOURCE[end:]).splitlines()
        changed = [row for row in difflib.ndiff(lines, mutated) if row[:1] in "+-"]
        assert changed == [f"{row[0]} {row[1:]}" for row in entry["diff"].splitlines()[2:] if row[:1] in "+-"]


def entry(diff, line=3, columns=(13, 18), mutated_text="return x - 1"):
    return {"start_line": line, "start_column": columns[0], "end_line": line, "end_column": columns[1],
            "diff": diff, "mutated_text": mutated_text}


LINES = ["def f(x):", '    """doc"""', "    return x + 1"]


def test_a_diff_of_other_lines_gives_the_whole_changed_line():
    diff = "--- a.py\n+++ a.py\n@@ -1,2 +1,2 @@\n def f(x):\n-    return x + 1\n+    return x - 1"

    assert change(entry(diff), LINES) == Change("return x + 1", "return x - 1", 3, 4, 3, 16, False)


def test_a_matching_diff_gives_the_exact_change():
    diff = '--- a.py\n+++ a.py\n@@ -2,2 +2,2 @@\n     """doc"""\n-    return x + 1\n+    return x - 1'

    assert change(entry(diff, columns=(11, 16)), LINES) == Change("x + 1", "x - 1", 3, 11, 3, 16, True)


def test_a_span_outside_the_file_is_kept_as_recorded():
    assert change(entry("not a diff", line=9), LINES) == Change("", "return x - 1", 9, 13, 9, 18, False)


def test_a_span_past_its_line_gives_the_whole_changed_line():
    diff = '--- a.py\n+++ a.py\n@@ -2,2 +2,2 @@\n     """doc"""\n-    return x + 1\n+    return x - 1'

    assert change(entry(diff, columns=(11, 40)), LINES) == Change("return x + 1", "return x - 1", 3, 4, 3, 16, False)
