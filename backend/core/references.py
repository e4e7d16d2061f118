"""`${root.path}` references in step inputs and conditions: finding them and resolving them.

`root` is `input` (the workflow inputs) or a step id; the dot path walks into dicts by key
and into lists by index (ASCII digits only). A value that is exactly one reference keeps the
referenced type; references inside longer text are interpolated (strings as-is, other values as
JSON). Whatever the values are, a reference that cannot be resolved raises
`UnresolvedReferenceError`, never a raw error of the value.
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
        index = _list_index(segment)
        if index is not None and index < len(value):
            return value[index]
        raise UnresolvedReferenceError(reference, f"no index {segment!r} in a list of {len(value)}")
    raise UnresolvedReferenceError(reference, f"cannot look up {segment!r} in {type(value).__name__}")


def _list_index(segment):
    """The index an all-ASCII-digit segment names; None for any other segment or one too long for int()."""
    if not (segment.isascii() and segment.isdigit()):
        return None
    try:
        return int(segment)
    except ValueError:
        return None


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
    return REFERENCE_PATTERN.sub(lambda match: _interpolated(match.group(1), scope), text)


def _interpolated(reference, scope):
    """The text a reference inside longer text stands for."""
    value = lookup(reference, scope)
    try:
        return _as_text(value)
    except Exception as error:  # noqa: BLE001 - whatever the value raises, the reference is unresolved
        raise UnresolvedReferenceError(
            reference, f"{type(value).__name__} value cannot be written as text ({type(error).__name__})"
        ) from None


def _as_text(value):
    if isinstance(value, str):
        return value
    try:
        return json.dumps(value)
    except (TypeError, ValueError):
        return str(value)
