"""Text into Markdown (CommonMark, GitHub's flavour) so that it renders as the same text.

Prose: `&`, `<`, `>` become entities (no raw HTML can start) and the characters that start
emphasis, links, headings, tables or strikethrough get a backslash. Inline code and fenced code
blocks are shown literally by every renderer, so their text is left as it is; their fence is
one backtick longer than the longest run of backticks inside, which therefore cannot close it.
A line break inside a name would end a table row or a list item: prose and inline code are one line.
"""

import re

ENTITIES = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}
BACKSLASHED = frozenset("\\`*_[]|#~")


def one_line(value):
    return " ".join(str(value).splitlines())


def text(value):
    """`value` as one line of prose."""
    return "".join(ENTITIES.get(char) or (f"\\{char}" if char in BACKSLASHED else char) for char in one_line(value))


def code(value):
    """`value` as an inline code span."""
    value = one_line(value)
    fence = fence_for(value)
    if not value or value.startswith(("`", " ")) or value.endswith(("`", " ")):
        value = f" {value} "  # a renderer strips one space each side: a backtick at the edge needs it
    return f"{fence}{value}{fence}"


def code_block(body, info=""):
    """`body` as a fenced code block (lines list); `info` names its language."""
    fence = fence_for(body, shortest=3)
    return [f"{fence}{info}", *body.splitlines(), fence]


def fence_for(value, shortest=1):
    """The backtick fence that no run of backticks inside `value` can close (at least `shortest` long)."""
    longest = max((len(run) for run in re.findall(r"`+", value)), default=0)
    return "`" * max(shortest, longest + 1)
