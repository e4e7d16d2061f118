"""The kind of a mutation, named from the change itself: mutmut 3.8.1 records no operator names.

Both texts (the span's original and its replacement) are split into Python tokens; the tokens
they share at the front and the back are dropped, and what is left on each side names the kind
(`+` for `-`: ArithmeticOperator; `x.y` for `None`: NoneValue; an argument gone: ArgumentRemoved).
The names follow Stryker's where one fits (ConditionalExpression, MethodExpression, ...), so a
dashboard groups them as it does other frameworks' mutants.
"""

import re
import tokenize

ARITHMETIC = frozenset({"+", "-", "*", "/", "//", "%", "**", "@"})
BITWISE = frozenset({"&", "|", "^", "<<", ">>"})
COMPARISON = frozenset({"<", "<=", ">", ">=", "==", "!="})
AUGMENTED = frozenset({"+=", "-=", "*=", "/=", "//=", "%=", "**=", "@=", "&=", "|=", "^=", "<<=", ">>="})
LOGICAL = frozenset({"and", "or"})
BOOLEANS = frozenset({"True", "False"})
FLOW_KEYWORDS = frozenset({"break", "continue", "return"})
OTHER = "Other"

# Python's token grammar for the four kinds of token that carry meaning, each match one token
# with the layout and comments before it. `tokenize` splits the same way (checked on every span
# of a real report) but takes five times as long, and stops on a fragment's indentation, which
# is not its file's. A token is (string, number, name, operator): one of them non-empty.
_TOKEN = re.compile(
    r"""(?:\s+|\#[^\n]*|\\)*
      (?:((?:[rRbBuUfF]{1,2})?(?:\'\'\'(?:\\.|[^\\])*?\'\'\'|\"\"\"(?:\\.|[^\\])*?\"\"\"
                                |'(?:\\.|[^\\'\n])*'|"(?:\\.|[^\\"\n])*"))
        |(0[xXoObB][0-9a-fA-F_]+|(?:\d[\d_]*(?:\.[\d_]*)?|\.\d[\d_]*)(?:[eE][-+]?\d[\d_]*)?[jJ]?)
        |(\w+)
        |(\*\*=|//=|>>=|<<=|->|:=|\.\.\.|[-+*/%@&|^<>=!]=|\*\*|//|<<|>>|[^\s\w\#\\]))""",
    re.VERBOSE,
)


def mutator_name(original, replacement):
    """The kind of the mutation that turns the source text `original` into `replacement`."""
    before, after = _TOKEN.findall(original), _TOKEN.findall(replacement)
    front = _common_front(before, after)
    back = _common_back(before[front:], after[front:])
    removed = before[front:len(before) - back]
    added = after[front:len(after) - back]
    previous = _text(before[front - 1]) if front else None
    following = _text(before[len(before) - back]) if back else None
    if len(after) == front + 1 and _text(after[front]) == "None" and removed:
        return "NoneValue"  # `x = a or None` -> `x = None`: the value, whatever its end, is None
    first, last = (_text(before[0]), _text(before[-1])) if before else (None, None)
    return _kind(first, last, removed, added, previous, following)


def tokens(text):
    """The (tokenize type, text) of each token of `text` but layout and comments."""
    return [(_type(token), _text(token)) for token in _TOKEN.findall(text)]


def _text(token):
    string, number, name, operator = token
    return string or number or name or operator


def _type(token):
    string, number, name, _ = token
    return tokenize.STRING if string else tokenize.NUMBER if number else tokenize.NAME if name else tokenize.OP


def _common_front(before, after):
    count = 0
    for left, right in zip(before, after):
        if left != right:
            break
        count += 1
    return count


def _common_back(before, after):
    count = 0
    for left, right in zip(reversed(before), reversed(after)):
        if left != right:
            break
        count += 1
    return count


def _kind(first, last, removed, added, previous, following):
    """The kind of a change whose original opens with token `first` and ends with `last`;
    `removed` and `added` are the tokens between the parts both texts share."""
    texts_removed = [_text(token) for token in removed]
    texts_added = [_text(token) for token in added]
    if first == "match" and "case" in texts_removed and not added:
        return "MatchCase"
    if texts_added[-2:] in (["and", "False"], ["or", "True"]) and texts_added[:1] == ["("]:
        return "ConditionalExpression"
    if (texts_removed, texts_added) in ((["not"], []), ([], ["not"])):
        return "Keyword" if "is" == previous or "in" == following else "UnaryOperator"
    if texts_removed == ["~"] and not added:
        return "UnaryOperator"
    if len(removed) == 1 and len(added) == 1:
        return _swap_kind(removed[0], added[0], previous)
    if texts_added == ["None"] and removed:
        return "NoneValue"
    if removed and not added:
        return "ArgumentRemoved" if last == ")" else OTHER
    return OTHER


def _swap_kind(removed, added, previous):
    """The kind of a change of one token into another."""
    old_type, old, new_type, new = _type(removed), _text(removed), _type(added), _text(added)
    if old in BOOLEANS and new in BOOLEANS:
        return "BooleanLiteral"
    if "None" in (old, new):
        return "NoneValue"
    if old_type == new_type == tokenize.NUMBER:
        return "NumberLiteral"
    if old_type == new_type == tokenize.STRING:
        return "StringLiteral"
    if old in AUGMENTED and (new in AUGMENTED or new == "="):
        return "AssignmentOperator"
    if old in COMPARISON and new in COMPARISON:
        return "ComparisonOperator"
    if old in LOGICAL and new in LOGICAL:
        return "LogicalOperator"
    if old in ARITHMETIC and new in ARITHMETIC:
        # A unary operator opens its span (the node is `-x`); a binary one follows its left operand.
        return "UnaryOperator" if previous is None else "ArithmeticOperator"
    if old in BITWISE and new in BITWISE:
        return "BitwiseOperator"
    if old in FLOW_KEYWORDS and new in FLOW_KEYWORDS:
        return "Keyword"
    if old_type == new_type == tokenize.NAME:
        return "DictKeyword" if new == f"{old}XX" else "MethodExpression"
    return OTHER
