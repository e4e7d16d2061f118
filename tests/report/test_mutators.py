"""Naming a mutation from its change: every kind mutmut 3.8.1 makes, as its span and replacement
really are (taken from mutants `locate_file` made and from the full suite's report)."""

import io
import tokenize

import pytest

from mutation.report.mutators import mutator_name, tokens

MULTILINE_CALL = ('StepContext(\n            execution_id=execution.execution_id,\n'
                  '            step_id=step.id,\n        )')

CASES = [
    # (original span, replacement, name)
    ("a + b * 2 - -a", "a + b * 2 + -a", "ArithmeticOperator"),
    ("a + b * 2", "a - b * 2", "ArithmeticOperator"),
    ("b * 2", "b / 2", "ArithmeticOperator"),
    ("2 ** min(attempt - 1, 1023)", "2 * min(attempt - 1, 1023)", "ArithmeticOperator"),
    ("-a", "+a", "UnaryOperator"),
    ("a | b ^ a << 1", "a & b ^ a << 1", "BitwiseOperator"),
    ("a << 1", "a >> 1", "BitwiseOperator"),
    (" < b", " <= b", "ComparisonOperator"),
    (" == b", " != b", "ComparisonOperator"),
    ("a < b or a == b", "a < b and a == b", "LogicalOperator"),
    ("a and not b", "a or not b", "LogicalOperator"),
    ("not b", "b", "UnaryOperator"),
    ("~mask", "mask", "UnaryOperator"),
    ("in", "not in", "Keyword"),
    ("not in", "in", "Keyword"),
    ("is", "is not", "Keyword"),
    ("is not", "is", "Keyword"),
    ("break", "return", "Keyword"),
    ("continue", "break", "Keyword"),
    ("True", "False", "BooleanLiteral"),
    ("False", "True", "BooleanLiteral"),
    ("1.5", "2.5", "NumberLiteral"),
    ("0x1f", "32", "NumberLiteral"),
    ("'x'", "'XXxXX'", "StringLiteral"),
    ('"done"', '"DONE"', "StringLiteral"),
    ("'workflow_id'", "'XXworkflow_idXX'", "StringLiteral"),  # a string inside an f-string's braces
    ('r"\\d+"', 'r"XX\\d+XX"', "StringLiteral"),
    ("total += 2", "total = 2", "AssignmentOperator"),
    ("total //= 3", "total /= 3", "AssignmentOperator"),
    ("flag = True", "flag = None", "NoneValue"),
    ("empty = None", 'empty = ""', "NoneValue"),
    ("result: int = value or None", "result: int = None", "NoneValue"),
    ('duration = inputs.get("duration") if isinstance(inputs, dict) else None', "duration = None", "NoneValue"),
    ("self._data, self._event = [], None", "self._data, self._event = None", "NoneValue"),
    ("datetime.now(timezone.utc)", "datetime.now(None)", "NoneValue"),
    ("lambda: x", "lambda: None", "NoneValue"),
    ("lambda: None", "lambda: 0", "NoneValue"),
    (MULTILINE_CALL, MULTILINE_CALL.replace("execution.execution_id", "None"), "NoneValue"),
    ("text.split(\",\", 1)", "text.split(1)", "ArgumentRemoved"),
    ("rate(successful, total)", "rate(successful, )", "ArgumentRemoved"),
    (MULTILINE_CALL, MULTILINE_CALL.replace("            step_id=step.id,\n", ""), "ArgumentRemoved"),
    ("f(a,  # the first\n  b)", "f(  # the first\n  b)", "ArgumentRemoved"),
    ("deepcopy", "copy", "MethodExpression"),
    ("text.lower()", "text.upper()", "MethodExpression"),
    ("text.split(\",\", 1)", "text.rsplit(\",\", 1)", "MethodExpression"),
    ("dict(a=1, b=2)", "dict(a=1, bXX=2)", "DictKeyword"),
    ('"yes" if flag else "no"', '"yes" if (flag) and False else "no"', "ConditionalExpression"),
    ('"yes" if a or b else "no"', '"yes" if (a or b) or True else "no"', "ConditionalExpression"),
    ('match command:\n        case "go":\n            return 1\n        case _:\n            return 0',
     "match command:\n        case _:\n            return 0", "MatchCase"),
    ("x", "x + y", "Other"),
    ("a = b", "a = b", "Other"),  # no change at all: nothing to name
]


@pytest.mark.parametrize(("original", "replacement", "name"), CASES)
def test_each_kind_of_mutmut_mutation_is_named(original, replacement, name):
    assert mutator_name(original, replacement) == name


SNIPPETS = [
    'f"{state.get(\'workflow_id\')!r}, not {spec.id!r}"',
    "x = 1_000 + 0o17 + 1e-5 + .5j + 3.",
    "a **= b // c >> 2; d -> e := f ... @g",
    'b"\\x00" + rb\'\\d\' + """tri\nple""" + \'\'\'q\'\'\'',
    "call(a,  # comment\n     b) \\\n + c",
    "not x in y is not z != w",
]


@pytest.mark.parametrize("text", SNIPPETS)
def test_tokens_split_as_pythons_tokenize_does(text):
    layout = {tokenize.NL, tokenize.NEWLINE, tokenize.INDENT, tokenize.DEDENT, tokenize.COMMENT, tokenize.ENDMARKER}
    expected = [(token.type, token.string) for token in tokenize.generate_tokens(io.StringIO(text).readline)
                if token.type not in layout]

    assert tokens(text) == expected
