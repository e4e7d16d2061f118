"""The step condition language: a small, safe expression language, parsed and evaluated by hand.

Grammar (no `eval`, no names, calls, attributes or subscripts):

    expression := disjunct ("or" disjunct)*
    disjunct   := negation ("and" negation)*
    negation   := "not" negation | comparison
    comparison := operand (("==" | "!=" | "<" | "<=" | ">" | ">=") operand)?
    operand    := NUMBER | STRING | "true" | "false" | "null" | REFERENCE | "(" expression ")"

REFERENCE is `${input.path}` or `${step_id.path}`. Syntax errors carry the 1-based column.
Parsing is bounded: at most MAX_CONDITION_DEPTH parentheses and `not`s nested inside each other,
number literals of at most MAX_NUMBER_LENGTH characters. `holds` evaluates a condition and
turns whatever the referenced values raise into `ConditionEvaluationError`.
"""

import re
from dataclasses import dataclass

from core.references import lookup
from core.workflow_errors import UnresolvedReferenceError

MAX_CONDITION_DEPTH = 32
MAX_NUMBER_LENGTH = 64

TOKEN_PATTERN = re.compile(
    r"""
    (?P<space>\s+)
    | (?P<reference>\$\{[^{}]*\})
    | (?P<number>-?\d+(?:\.\d+)?)
    | (?P<string>"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')
    | (?P<operator>==|!=|<=|>=|<|>|\(|\))
    | (?P<word>[A-Za-z_][A-Za-z0-9_]*)
    """,
    re.VERBOSE,
)


class ConditionSyntaxError(ValueError):
    """A condition that is not in the language; `column` is 1-based."""

    def __init__(self, message, column):
        self.column = column
        super().__init__(f"{message} at column {column}")


class ConditionEvaluationError(ValueError):
    """A well-formed condition that cannot be evaluated on the values it refers to."""


@dataclass(frozen=True)
class Token:
    """One token; the end of the text is a token of kind "end" with no text."""

    kind: str
    column: int
    text: str = ""


@dataclass(frozen=True)
class Literal:
    value: object


@dataclass(frozen=True)
class Reference:
    path: str


@dataclass(frozen=True)
class Not:
    operand: object


@dataclass(frozen=True)
class BooleanOp:
    operator: str
    operands: tuple


@dataclass(frozen=True)
class Comparison:
    operator: str
    left: object
    right: object


def tokenize(text):
    """Split condition text into tokens, rejecting any character outside the language."""
    tokens = []
    position = 0
    while position < len(text):
        match = TOKEN_PATTERN.match(text, position)
        if match is None:
            raise ConditionSyntaxError(f"unexpected character {text[position]!r}", position + 1)
        if match.lastgroup != "space":
            tokens.append(Token(match.lastgroup, position + 1, match.group()))
        position = match.end()
    return tokens


def parse_condition(text):
    """Parse condition text into an expression tree."""
    parser = _Parser(tokenize(text), len(text))
    expression = parser.expression()
    parser.expect_end()
    return expression


class _Parser:
    """Recursive-descent parser over a token list; one method per grammar rule."""

    def __init__(self, tokens, length):
        self.tokens = tokens
        self.position = 0
        self.end_column = length + 1
        self.depth = 0

    def peek(self):
        if self.position < len(self.tokens):
            return self.tokens[self.position]
        return Token("end", self.end_column)

    def take(self):
        token = self.peek()
        self.position += 1
        return token

    def at_word(self, word):
        token = self.peek()
        return token.kind == "word" and token.text == word

    def expect_end(self):
        token = self.peek()
        if token.kind != "end":
            raise ConditionSyntaxError(f"unexpected {token.text!r}", token.column)

    def expression(self):
        operands = [self.disjunct()]
        while self.at_word("or"):
            self.take()
            operands.append(self.disjunct())
        return _combine("or", operands)

    def disjunct(self):
        operands = [self.negation()]
        while self.at_word("and"):
            self.take()
            operands.append(self.negation())
        return _combine("and", operands)

    def negation(self):
        if self.at_word("not"):
            return Not(self.nested(self.take(), self.negation))
        return self.comparison()

    def comparison(self):
        left = self.operand()
        token = self.peek()
        if token.kind == "operator" and token.text not in ("(", ")"):
            self.take()
            return Comparison(token.text, left, self.operand())
        return left

    def operand(self):
        token = self.take()
        if token.kind == "number":
            return Literal(_number(token))
        if token.kind == "string":
            return Literal(_unquote(token.text))
        if token.kind == "reference":
            return Reference(token.text[2:-1].strip())
        if token.kind == "word" and token.text in ("true", "false", "null"):
            return Literal(_literal_word(token.text))
        if token.text == "(":
            inner = self.nested(token, self.expression)
            self._expect_closing(token)
            return inner
        raise ConditionSyntaxError(_describe_unexpected(token), token.column)

    def nested(self, opening, parse):
        """`parse()` one level deeper than `opening` ('(' or 'not'), at most MAX_CONDITION_DEPTH levels."""
        if self.depth == MAX_CONDITION_DEPTH:
            raise ConditionSyntaxError(
                f"nested deeper than {MAX_CONDITION_DEPTH} levels of parentheses and 'not'", opening.column
            )
        self.depth += 1
        inner = parse()
        self.depth -= 1
        return inner

    def _expect_closing(self, opening):
        if self.take().text != ")":
            raise ConditionSyntaxError("'(' is never closed", opening.column)


def _number(token):
    if len(token.text) > MAX_NUMBER_LENGTH:
        raise ConditionSyntaxError(f"number longer than {MAX_NUMBER_LENGTH} characters", token.column)
    return float(token.text) if "." in token.text else int(token.text)


def _describe_unexpected(token):
    if token.kind == "end":
        return "expression ends too early"
    if token.kind == "word" and token.text not in ("and", "or", "not"):
        return f"unknown name {token.text!r} (only true, false, null and ${{...}} references)"
    return f"unexpected {token.text!r}"


def _literal_word(word):
    if word == "true":
        return True
    if word == "false":
        return False
    return None


def _combine(operator_name, operands):
    if len(operands) == 1:
        return operands[0]
    return BooleanOp(operator_name, tuple(operands))


def _unquote(quoted):
    body = quoted[1:-1]
    return re.sub(r"\\(.)", r"\1", body)


def references_of(expression):
    """Every reference path used in an expression tree."""
    if isinstance(expression, Reference):
        return [expression.path]
    if isinstance(expression, Not):
        return references_of(expression.operand)
    if isinstance(expression, BooleanOp):
        return [path for operand in expression.operands for path in references_of(operand)]
    if isinstance(expression, Comparison):
        return references_of(expression.left) + references_of(expression.right)
    return []


def holds(expression, scope):
    """Whether a condition holds; raises only `ConditionEvaluationError` or `UnresolvedReferenceError`."""
    try:
        return bool(evaluate(expression, scope))
    except (ConditionEvaluationError, UnresolvedReferenceError):
        raise
    except Exception as error:  # noqa: BLE001 - whatever the values raise, the condition cannot be evaluated
        raise ConditionEvaluationError(f"cannot evaluate: {type(error).__name__}: {error}") from None


def evaluate(expression, scope):
    """The value of an expression, reading references from `scope` (see `references.lookup`)."""
    if isinstance(expression, Literal):
        return expression.value
    if isinstance(expression, Reference):
        return lookup(expression.path, scope)
    if isinstance(expression, Not):
        return not evaluate(expression.operand, scope)
    if isinstance(expression, BooleanOp):
        return _evaluate_boolean(expression, scope)
    return _evaluate_comparison(expression, scope)


def _evaluate_boolean(expression, scope):
    want_any = expression.operator == "or"
    for operand in expression.operands:
        if bool(evaluate(operand, scope)) == want_any:
            return want_any
    return not want_any


def _evaluate_comparison(expression, scope):
    left = evaluate(expression.left, scope)
    right = evaluate(expression.right, scope)
    try:
        return compare(expression.operator, left, right)
    except TypeError:
        raise ConditionEvaluationError(
            f"cannot compare {type(left).__name__} {expression.operator} {type(right).__name__}"
        ) from None


def compare(symbol, left, right):
    """Apply one comparison operator of the language."""
    if symbol == "==":
        return left == right
    if symbol == "!=":
        return left != right
    if symbol == "<":
        return left < right
    if symbol == "<=":
        return left <= right
    if symbol == ">":
        return left > right
    return left >= right
