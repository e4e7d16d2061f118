"""Report writers: each renders a `gate.json` document in one format, and is registered here by name.

A writer is a pure function from the document to text. A format with a file name is written
under the run's `report_dir`; one without (the terminal summary) goes to standard output. A new
format is one module and one line in WRITERS.
"""

import os
import sys
from dataclasses import dataclass
from pathlib import Path

from mutation.errors import ConfigError
from mutation.report.writers import terminal


@dataclass(frozen=True)
class Writer:
    name: str
    render: object  # document -> str
    description: str
    filename: str | None = None  # under report_dir; None: printed


WRITERS = {
    writer.name: writer
    for writer in (
        Writer("terminal", terminal.render, "the summary printed at the end of a run"),
    )
}


def find_writer(name):
    if name not in WRITERS:
        raise ConfigError(f"--format: unknown format {name!r} (known: {', '.join(WRITERS)})")
    return WRITERS[name]


def emit(document, names, report_dir, out=None):
    """Render `document` in each of the formats `names`; returns the paths of the files written."""
    out = out or sys.stdout
    written = []
    for name in names:
        writer = find_writer(name)
        text = writer.render(document)
        if writer.filename is None:
            print(text, file=out)
            continue
        path = Path(report_dir) / writer.filename
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        written.append(path)
        print(f"{writer.name} report: {os.path.relpath(path)}", file=out)
    return written
