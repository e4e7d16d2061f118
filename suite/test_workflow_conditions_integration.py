"""The condition language and `${...}` references seen through their own public functions: the
expression tree a condition parses to, the column a syntax error points at, and the reference
an unresolvable lookup names. (The engine-level behaviour is in test_workflow_engine_integration.)
"""

import pytest

from conftest import Raised, returned
from core.conditions import BooleanOp, Comparison, Literal, Not, Reference, parse_condition
from core.references import lookup


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
