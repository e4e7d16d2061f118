"""Code in the targets that mutmut never mutates, reported as `unmutated` so nobody reads it as tested.

mutmut skips decorated functions (except a lone @staticmethod / @classmethod), methods of
nested classes, and everything at module level or in a class body. Plain data there
(constants, dataclass fields, enum members) holds no behaviour and is not reported;
statements that compute something (calls, operators, comprehensions, lambdas) are.
"""

import ast
from dataclasses import dataclass

LOGIC_NODES = (ast.Call, ast.BinOp, ast.BoolOp, ast.Compare, ast.UnaryOp, ast.IfExp, ast.Lambda, ast.ListComp,
               ast.SetComp, ast.DictComp, ast.GeneratorExp)
ALLOWED_DECORATORS = ("staticmethod", "classmethod")


@dataclass(frozen=True)
class BlindSpot:
    file: str
    line: int
    kind: str
    name: str


def find_blind_spots(path, source):
    tree = ast.parse(source, filename=path)
    spots = []
    _scan_body(tree.body, path, spots, scope="module", depth=0)
    return sorted(spots, key=lambda spot: spot.line)


def _scan_body(body, path, spots, scope, depth):
    for node in body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            _scan_function(node, path, spots, nested_class=depth > 1)
        elif isinstance(node, ast.ClassDef):
            for decorator in node.decorator_list:
                if _has_logic(decorator) and not _is_dataclass_decorator(decorator):
                    spots.append(BlindSpot(path, node.lineno, "class decorator", node.name))
            _scan_body(node.body, path, spots, scope="class body", depth=depth + 1)
        elif not isinstance(node, (ast.Import, ast.ImportFrom)) and _has_logic(node):
            spots.append(BlindSpot(path, node.lineno, f"{scope} statement", _statement_name(node)))


def _scan_function(node, path, spots, nested_class):
    decorators = [_decorator_name(decorator) for decorator in node.decorator_list]
    if nested_class:
        spots.append(BlindSpot(path, node.lineno, "method of a nested class", node.name))
    elif decorators and not (len(decorators) == 1 and decorators[0] in ALLOWED_DECORATORS):
        spots.append(BlindSpot(path, node.lineno, f"decorated function (@{', @'.join(decorators)})", node.name))
    else:
        # Mutations inside a decorated nested function would rewrite its decorator's input at
        # definition time; mutmut leaves such functions alone.
        for inner in ast.walk(node):
            if inner is not node and isinstance(inner, (ast.FunctionDef, ast.AsyncFunctionDef)) and inner.decorator_list:
                names = ", @".join(_decorator_name(decorator) for decorator in inner.decorator_list)
                spots.append(BlindSpot(path, inner.lineno, f"decorated nested function (@{names})", inner.name))


def _has_logic(node):
    if isinstance(node, ast.AnnAssign):
        if node.value is None or _is_field_call(node.value):
            return False
        node = node.value
    return any(isinstance(child, LOGIC_NODES) for child in ast.walk(node))


def _is_field_call(value):
    return isinstance(value, ast.Call) and ast.unparse(value.func) in ("field", "dataclasses.field")


def _is_dataclass_decorator(decorator):
    return _decorator_name(decorator) in ("dataclass", "dataclasses.dataclass")


def _decorator_name(decorator):
    target = decorator.func if isinstance(decorator, ast.Call) else decorator
    return ast.unparse(target)


def _statement_name(node):
    if isinstance(node, (ast.Assign, ast.AnnAssign)):
        targets = node.targets if isinstance(node, ast.Assign) else [node.target]
        return ", ".join(ast.unparse(target) for target in targets)
    return type(node).__name__.lower()
