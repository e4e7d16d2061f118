"""The condition language and `${...}` references seen through their own public functions: the
expression tree a condition parses to, the column a syntax error points at, and the reference
an unresolvable lookup names. (The engine-level behaviour is in test_workflow_engine_integration.)
"""

import pytest

from conftest import Raised, returned
from core.conditions import BooleanOp, Comparison, Literal, Not, Reference, holds, parse_condition
from core.references import lookup, resolve


@pytest.mark.parametrize(
    ("text", "tree"),
    [
        ("true", Literal(True)),
        ("false", Literal(False)),
        ("null", Literal(None)),
        ("true and false", BooleanOp("and", (Literal(True), Literal(False)))),
        ("true or false", BooleanOp("or", (Literal(True), Literal(False)))),
        ("1 and 2 and 3", BooleanOp("and", (Literal(1), Literal(2), Literal(3)))),
        (
            "not ${a.x} or 1 < 2.5 and 'b' == ${input.y}",
            BooleanOp("or", (
                Not(Reference("a.x")),
                BooleanOp("and", (
                    Comparison("<", Literal(1), Literal(2.5)),
                    Comparison("==", Literal("b"), Reference("input.y")),
                )),
            )),
        ),
        ("(true or false) and null", BooleanOp("and", (BooleanOp("or", (Literal(True), Literal(False))), Literal(None)))),
    ],
)
def test_conditions_parse_to_the_tree_their_grammar_describes(text, tree):
    assert returned(parse_condition, text) == tree


@pytest.mark.parametrize(
    ("text", "message", "column"),
    [
        ("1 ==", "expression ends too early at column 5", 5),
        ("(1 == 1", "'(' is never closed at column 1", 1),
        ("true and ?", "unexpected character '?' at column 10", 10),
    ],
)
def test_a_syntax_error_carries_its_column(text, message, column):
    result = returned(parse_condition, text)
    assert result == Raised(f"ConditionSyntaxError: {message}")
    assert result.exception.column == column


def test_an_unresolvable_lookup_names_the_reference():
    result = returned(lookup, "order.items.3", {"order": {"items": [1, 2]}})
    assert result == Raised("UnresolvedReferenceError: cannot resolve ${order.items.3}: no index '3' in a list of 2")
    assert result.exception.reference == "order.items.3"


@pytest.mark.parametrize(
    ("reference", "reason"),
    [
        ("order.items.²", "no index '²' in a list of 2"),
        ("order.items.١", "no index '١' in a list of 2"),
        ("order.items." + "1" * 5000, "no index '" + "1" * 5000 + "' in a list of 2"),
        ("order.items.-1", "no index '-1' in a list of 2"),
    ],
    ids=["superscript-two", "arabic-indic-one", "5000-digits", "negative"],
)
def test_a_list_index_is_ascii_digits_or_unresolved(reference, reason):
    result = returned(lookup, reference, {"order": {"items": [1, 2]}})
    assert result == Raised(f"UnresolvedReferenceError: cannot resolve ${{{reference}}}: {reason}")
    assert result.exception.reference == reference
    assert returned(lookup, "order.items.01", {"order": {"items": [1, 2]}}) == 2


def test_resolve_replaces_references_inside_nested_lists_and_dicts():
    value = {"a": ["${x}", ["n=${y}", {"b": "${x}"}]], "c": 3}
    assert returned(resolve, value, {"x": 1, "y": [2]}) == {"a": [1, ["n=[2]", {"b": 1}]], "c": 3}


def test_interpolating_text_that_cannot_be_written_is_unresolved():
    result = returned(resolve, "n=${big}", {"big": 10 ** 5000})
    assert result == Raised("UnresolvedReferenceError: cannot resolve ${big}: int value cannot be written as text (ValueError)")
    assert result.exception.reference == "big"
    assert returned(resolve, "${big}", {"big": 10 ** 5000}) == 10 ** 5000


class _NoTruth:
    def __bool__(self):
        raise ValueError("unknowable")


@pytest.mark.parametrize(
    ("text", "scope", "expected"),
    [
        ("${v}", {"v": _NoTruth()}, Raised("ConditionEvaluationError: cannot evaluate: ValueError: unknowable")),
        ("${v} < 1", {"v": "x"}, Raised("ConditionEvaluationError: cannot compare str < int")),
        ("${w} < 1", {"v": 1}, Raised("UnresolvedReferenceError: cannot resolve ${w}: 'w' has no value")),
        ("${v}", {"v": [0]}, True),
        ("${v}", {"v": []}, False),
    ],
    ids=["no-truth", "cannot-compare", "unresolved", "true", "false"],
)
def test_holds_answers_a_bool_or_a_typed_error(text, scope, expected):
    result = returned(holds, parse_condition(text), scope)
    assert result == expected
    assert type(result) is type(expected)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("(" * 33 + "1" + ")" * 33, "nested deeper than 32 levels of parentheses and 'not' at column 33"),
        ("not " * 33 + "1", "nested deeper than 32 levels of parentheses and 'not' at column 129"),
        ("1" * 65, "number longer than 64 characters at column 1"),
        ("1 == " + "1" * 5000, "number longer than 64 characters at column 6"),
    ],
    ids=["33-parens", "33-nots", "65-digits", "5000-digits"],
)
def test_parsing_stops_at_the_documented_limits(text, message):
    result = returned(parse_condition, text)
    assert result == Raised(f"ConditionSyntaxError: {message}")
    assert result.exception.column == int(message.rsplit(" ", 1)[1])


def test_a_condition_at_the_limits_parses():
    assert returned(parse_condition, "(" * 32 + "1" * 64 + ")" * 32) == Literal(int("1" * 64))
    tree = returned(parse_condition, "not " * 32 + "-1.5")
    for _ in range(32):
        assert type(tree) is Not
        tree = tree.operand
    assert tree == Literal(-1.5)
