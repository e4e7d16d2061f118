"""Report writers: each renders a `gate.json` document in one format, and is registered here by name.

A writer is a pure function from the document to text. A format with a file name is written
under the run's `report_dir` (atomically: a reader never sees half a file); one without (the
terminal summary) goes to standard output. A new format is one module and one line in WRITERS.
A run writes the formats of `[mutation_gate] report_formats`; `mutation-gate report --format`
renders any of them from a finished `gate.json`.
"""

import os
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from mutation.errors import ConfigError, FormatUnavailable
from mutation.report.writers import badge, html, junit, markdown, sarif, stryker, terminal


@dataclass(frozen=True)
class Writer:
    name: str
    render: object  # document -> str
    description: str
    filename: str | None = None  # under report_dir; None: printed
    # (document, its Stryker report) -> str: a format drawn from the Stryker report, which emit builds once
    from_stryker: object = None


WRITERS = {
    writer.name: writer
    for writer in (
        Writer("terminal", terminal.render, "the summary printed at the end of a run"),
        Writer("stryker", stryker.render, "Stryker mutation-testing-report-schema JSON (dashboards, viewers)",
               "mutation.json", stryker.encode),
        Writer("html", html.render, "one self-contained page: the mutation-testing-elements viewer", "mutation.html",
               html.from_report),
        Writer("junit", junit.render, "JUnit XML: a testsuite per target, survivors and rejected tests as failures",
               "junit.xml"),
        Writer("sarif", sarif.render, "SARIF 2.1.0: survivors and rejected tests on their exact lines",
               "mutation.sarif"),
        Writer("markdown", markdown.render, "a pull-request summary: scores, rejected tests, top survivors",
               "summary.md"),
        Writer("badge", badge.render, "a shields.io endpoint badge of the overall score", "badge.json"),
    )
}
FILE_FORMATS = tuple(name for name, writer in WRITERS.items() if writer.filename is not None)


def find_writer(name):
    if name not in WRITERS:
        raise ConfigError(f"--format: unknown format {name!r} (known: {', '.join(WRITERS)})")
    return WRITERS[name]


def emit(document, names, report_dir, out=None, strict=True):
    """Render `document` in each of the formats `names`; returns the paths of the files written.

    A format that cannot be rendered here (FormatUnavailable) writes nothing; with `strict` the
    first such error is raised once the other formats are written, otherwise it is one line on
    stderr and the rest goes on (a run's verdict does not depend on its reports)."""
    out = out or sys.stdout
    written, unavailable, built = [], [], {}
    for name in names:
        writer = find_writer(name)
        try:
            text = _render(writer, document, built)
        except FormatUnavailable as error:
            unavailable.append(FormatUnavailable(f"{name} report not written: {error}"))
            if not strict:
                print(f"mutation-gate: {unavailable[-1]}", file=sys.stderr)
            continue
        if writer.filename is None:
            print(text, file=out)
            continue
        path = Path(report_dir) / writer.filename
        _write_atomically(path, text)
        written.append(path)
        print(f"{writer.name} report: {os.path.relpath(path)}", file=out)
    if strict and unavailable:
        raise unavailable[0]
    return written


def _render(writer, document, built):
    if writer.from_stryker is None:
        return writer.render(document)
    if "stryker" not in built:
        built["stryker"] = stryker.report(document)
    return writer.from_stryker(document, built["stryker"])


def remove_stale(report_dir):
    """Delete every format's file from an earlier run, so none is read as this run's."""
    for name in FILE_FORMATS:
        (Path(report_dir) / WRITERS[name].filename).unlink(missing_ok=True)


def _write_atomically(path, text):
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}-")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(text)
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
