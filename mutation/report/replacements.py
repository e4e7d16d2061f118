"""A mutant's exact change: the original text of its span and the text that replaces it.

gate.json gives a mutant's span (libcst positions: 1-based lines, 0-based columns, end
exclusive) and a diff whose `-` lines are the file's and `+` lines the mutated file's. Applying
the diff's hunks to the file's lines gives the mutated region; since the mutation replaces
exactly the span, the replacement is what lies between the unchanged text before the span and
the unchanged text after it. When the diff and the span do not agree (a hand-written document,
a line split differently), the change is given as whole lines: the span's lines, replaced by
the mutant's changed line(s) as recorded.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Change:
    """`original` is the source text from (start_line, start_column) to (end_line, end_column)
    (1-based lines, 0-based columns, end exclusive); `replacement` takes its place."""

    original: str
    replacement: str
    start_line: int
    start_column: int
    end_line: int
    end_column: int
    exact: bool  # False: the span and the diff disagree; the change is given as whole lines


def change(mutant, lines):
    """The Change of `mutant` (a gate.json entry); `lines` is its file's `source.splitlines()`."""
    span = (mutant["start_line"], mutant["start_column"], mutant["end_line"], mutant["end_column"])
    region = _mutated_region(mutant["diff"], lines, span[0], span[2])
    if region is not None:
        first, original, mutated = region
        start = _offset(original, span[0] - first, span[1])
        end = _offset(original, span[2] - first, span[3])
        if start is not None and end is not None and start <= end:
            after = len(mutated) - (len(original) - end)
            if start <= after and mutated[:start] == original[:start] and mutated[after:] == original[end:]:
                return Change(original[start:end], mutated[start:after], *span, True)
    return _whole_lines(mutant, lines, span)


def _whole_lines(mutant, lines, span):
    """The span's lines, their indentation and trailing blanks left out, replaced by the
    mutant's changed text as recorded; the span itself when its lines are not in the file."""
    start_line, _, end_line, _ = span
    if not 1 <= start_line <= end_line <= len(lines):
        return Change("", mutant["mutated_text"], *span, False)
    first, last = lines[start_line - 1], lines[end_line - 1]
    start_column = len(first) - len(first.lstrip())
    end_column = len(last.rstrip())
    if start_line == end_line and end_column < start_column:
        end_column = start_column
    text = "\n".join(lines[start_line - 1:end_line])
    original = text[start_column:len(text) - (len(last) - end_column)]
    return Change(original, mutant["mutated_text"], start_line, start_column, end_line, end_column, False)


def _mutated_region(diff, lines, from_line, to_line):
    """(first line, original text, mutated text) of the lines the diff's hunks cover, widened
    to lines `from_line`..`to_line`; None if the diff does not apply to `lines`."""
    first = last = None
    original, mutated = [], []
    for row in diff.split("\n"):
        if row.startswith("@@"):
            start = _hunk_start(row)
            if start is None or start < 1 or (last is not None and start < last):
                return None
            if first is None:
                first = last = min(start, max(from_line, 1))
            original += lines[last - 1:start - 1]
            mutated += lines[last - 1:start - 1]
            last = start
        elif first is None:
            continue  # the `---` and `+++` header
        elif row.startswith("+"):
            mutated.append(row[1:])
        elif row.startswith((" ", "-")):
            if last > len(lines) or lines[last - 1] != row[1:]:
                return None
            original.append(row[1:])
            if row.startswith(" "):
                mutated.append(row[1:])
            last += 1
    if first is None:
        return None
    original += lines[last - 1:to_line]
    mutated += lines[last - 1:to_line]
    return first, "\n".join(original), "\n".join(mutated)


def _hunk_start(header):
    """The old start line of `@@ -A,N +B,M @@`."""
    try:
        return int(header.split()[1].lstrip("-").split(",")[0])
    except (IndexError, ValueError):
        return None


def _offset(text, line_index, column):
    """The index in `text` of (0-based line, column); None when it is outside `text`."""
    if line_index < 0:
        return None
    index = 0
    for _ in range(line_index):
        index = text.find("\n", index) + 1
        if index == 0:
            return None
    line_end = text.find("\n", index)
    if column > (len(text) if line_end < 0 else line_end) - index:
        return None
    return index + column
