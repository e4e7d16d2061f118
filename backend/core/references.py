"""`${root.path}` references in step inputs and conditions: finding them and resolving them.

`root` is `input` (the workflow inputs) or a step id; the dot path walks into dicts by key
and into lists by index. A value that is exactly one reference keeps the referenced type;
references inside longer text are interpolated (strings as-is, other values as JSON).
"""

import json
import re

from core.workflow_errors import UnresolvedReferenceError

REFERENCE_PATTERN = re.compile(r"\$\{([^{}]*)\}")
INPUT_ROOT = "input"


def split_reference(reference):
    """Return (root, path segments) of a reference body such as `step.a.0`."""
    root, *path = reference.strip().split(".")
    return root, path


def references_in(value):
    """Every reference body inside a JSON-like value, in order of appearance."""
    if isinstance(value, str):
        return REFERENCE_PATTERN.findall(value)
    if isinstance(value, dict):
        return [ref for item in value.values() for ref in references_in(item)]
    if isinstance(value, list):
        return [ref for item in value for ref in references_in(item)]
    return []


def lookup(reference, scope):
    """The value a reference names, where `scope` maps roots to their values."""
    root, path = split_reference(reference)
    if root not in scope:
        raise UnresolvedReferenceError(reference, f"{root!r} has no value")
    value = scope[root]
    for segment in path:
        value = _step_into(value, segment, reference)
    return value


def _step_into(value, segment, reference):
    if isinstance(value, dict):
        if segment in value:
            return value[segment]
        raise UnresolvedReferenceError(reference, f"no key {segment!r}")
    if isinstance(value, list):
        if segment.isdigit() and int(segment) < len(value):
            return value[int(segment)]
        raise UnresolvedReferenceError(reference, f"no index {segment!r} in a list of {len(value)}")
    raise UnresolvedReferenceError(reference, f"cannot look up {segment!r} in {type(value).__name__}")


def resolve(value, scope):
    """A copy of `value` with every reference replaced by what it names in `scope`."""
    if isinstance(value, str):
        return _resolve_text(value, scope)
    if isinstance(value, dict):
        return {key: resolve(item, scope) for key, item in value.items()}
    if isinstance(value, list):
        return [resolve(item, scope) for item in value]
    return value


def _resolve_text(text, scope):
    whole = REFERENCE_PATTERN.fullmatch(text)
    if whole:
        return lookup(whole.group(1), scope)
    return REFERENCE_PATTERN.sub(lambda match: _as_text(lookup(match.group(1), scope)), text)


def _as_text(value):
    if isinstance(value, str):
        return value
    try:
        return json.dumps(value)
    except TypeError:
        return str(value)
