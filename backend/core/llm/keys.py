"""Where API keys come from, and how they are kept out of logs, errors and responses.

A key store answers "which key does this workspace use for this provider?" (`get_key`), or
`None` when it has none. `key_problem` says why a key cannot be sent (printable ASCII only),
without showing it. `mask_key` and `redact` turn keys into a form safe to show.
"""

import os
import unicodedata
from typing import Protocol

SHORT_KEY_MASK = "****"
MIN_PARTIALLY_SHOWN_LENGTH = 12
SHOWN_PREFIX = 3
SHOWN_SUFFIX = 4
ELLIPSIS = "…"
# A key goes into an HTTP header: printable ASCII, no space (what every provider's keys are made of).
FIRST_KEY_CHARACTER = "!"
LAST_KEY_CHARACTER = "~"


class KeyStore(Protocol):
    """Anything that can give a workspace's key for a provider (`None` when it has none)."""

    def get_key(self, workspace_id: str, provider: str) -> str | None: ...


def _usable(value):
    """`value` without surrounding whitespace, or `None` when that leaves nothing (or it is `None`).

    Anything but a str is given as it is: the handler refuses it as malformed (`key_problem`).
    """
    if not isinstance(value, str):
        return value
    stripped = value.strip()
    if not stripped:
        return None
    return stripped


def environment_variable(provider):
    """The variable holding a provider's key: "openai" -> OPENAI_API_KEY, "x-ai" -> X_AI_API_KEY."""
    return provider.upper().replace("-", "_") + "_API_KEY"


class EnvironmentKeyStore:
    """One deployment-wide key per provider, read from `<PROVIDER>_API_KEY` for every workspace.

    The variable is read at each call, so a rotated key is picked up without a restart. An
    empty or whitespace-only value counts as missing; surrounding whitespace is dropped.
    """

    def __init__(self, environ=None):
        self._environ = os.environ if environ is None else environ

    def get_key(self, workspace_id, provider):
        return _usable(self._environ.get(environment_variable(provider)))


class InMemoryKeyStore:
    """Per-workspace keys, `{workspace_id: {provider: key}}`: a workspace only ever gets its own.

    The mapping is copied, so later changes to the caller's dicts do not leak in. A blank key
    counts as missing, as in `EnvironmentKeyStore`.
    """

    def __init__(self, keys_by_workspace):
        self._keys = {workspace: dict(keys) for workspace, keys in keys_by_workspace.items()}

    def get_key(self, workspace_id, provider):
        return _usable(self._keys.get(workspace_id, {}).get(provider))


def describe_character(character):
    """"U+200B ZERO WIDTH SPACE"; "U+000A" for a character without a name."""
    code = f"U+{ord(character):04X}"
    name = unicodedata.name(character, None)
    return code if name is None else f"{code} {name}"


def key_problem(key):
    """Why `key` cannot be sent, in words that do not show it; None when it can.

    A usable key is a str of printable ASCII characters other than space ("!" to "~"). Anything
    else (a zero-width or non-breaking space pasted with it, a line break inside it, an accented
    letter) would make httpx fail while encoding the header, with the whole key in its error.
    Only the offending character and its position are named.
    """
    if not isinstance(key, str):
        return f"it is not a string (got {type(key).__name__})"
    for position, character in enumerate(key, start=1):
        if not FIRST_KEY_CHARACTER <= character <= LAST_KEY_CHARACTER:
            return f"character {position} is {describe_character(character)}; a key holds only printable ASCII other than space"
    return None


def mask_key(key):
    """A form of `key` safe to show: "sk-abcdefghijkl1234" -> "sk-…1234"; under 12 characters -> "****".

    At most 7 of the key's characters are shown, and only for keys of 12 or more, so the
    result never contains the whole key.
    """
    if len(key) < MIN_PARTIALLY_SHOWN_LENGTH:
        return SHORT_KEY_MASK
    return key[:SHOWN_PREFIX] + ELLIPSIS + key[-SHOWN_SUFFIX:]


def _occurrences(text, secret):
    """(start, end) of every occurrence of `secret` in `text`, overlapping ones included."""
    spans = []
    start = text.find(secret)
    while start != -1:
        spans.append((start, start + len(secret)))
        start = text.find(secret, start + 1)
    return spans


def _covered_spans(text, secrets):
    """The stretches of `text` covered by occurrences of any secret, overlapping or touching ones merged."""
    spans = sorted(span for secret in secrets for span in _occurrences(text, secret))
    merged = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def _mask_fragment(fragment, secrets):
    """`mask_key(fragment)`, or "****" when the characters it shows would themselves be a secret."""
    masked = mask_key(fragment)
    if any(secret in masked for secret in secrets):
        return SHORT_KEY_MASK
    return masked


def redact(text, secrets):
    """`text` with every occurrence of every non-empty secret replaced by `mask_key(secret)`.

    Occurrences that overlap or touch are masked as one stretch, so a key containing another
    (the longest wins) or two keys written back to back are fully masked. When the characters
    a mask shows would themselves be one of the secrets (a short secret that is the start of a
    longer one), the stretch becomes "****". No secret is left in the result, provided secrets
    do not contain "*" or "…" (API keys never do).
    """
    secrets = [secret for secret in secrets if secret]
    pieces = []
    position = 0
    for start, end in _covered_spans(text, secrets):
        pieces.append(text[position:start])
        pieces.append(_mask_fragment(text[start:end], secrets))
        position = end
    pieces.append(text[position:])
    return "".join(pieces)
