"""The writer registry: formats by name, printed or written under the report directory."""

import pytest

from mutation.errors import ConfigError
from mutation.report import writers
from mutation.report.writers import Writer, emit, find_writer, terminal


def test_the_terminal_summary_is_registered_as_a_printed_format():
    writer = find_writer("terminal")

    assert (writer.name, writer.render, writer.filename) == ("terminal", terminal.render, None)


def test_each_format_is_printed_or_written_to_its_file(tmp_path, capsys, monkeypatch):
    monkeypatch.setitem(writers.WRITERS, "shout", Writer("shout", lambda document: document["word"].upper(), "loud"))
    monkeypatch.setitem(writers.WRITERS, "file", Writer("file", lambda document: document["word"], "a file", "out/word.txt"))
    monkeypatch.chdir(tmp_path)

    written = emit({"word": "pass"}, ["shout", "file"], tmp_path / "reports")

    assert written == [tmp_path / "reports" / "out" / "word.txt"]
    assert (tmp_path / "reports" / "out" / "word.txt").read_text(encoding="utf-8") == "pass"
    assert capsys.readouterr().out == "PASS\nfile report: reports/out/word.txt\n"


def test_an_unknown_format_names_the_known_ones():
    with pytest.raises(ConfigError) as error:
        find_writer("pdf")

    assert str(error.value) == "--format: unknown format 'pdf' (known: terminal, stryker, html, junit, sarif, markdown, badge)"
