"""How demanding a request is, so the router can pick the cheapest model fit for it.

`classify_complexity` is deterministic and uses two rules, each in its own function:

1. Length: the total characters of all message contents: under 500 is SIMPLE, under 2000
   MODERATE, under 8000 COMPLEX, anything longer ADVANCED.
2. Signals: a code fence (```) or a word signalling reasoning ("analyze", "analyse",
   "prove", "architecture", "step by step", "optimize", "optimise", "debug"; case-insensitive,
   matched at the start of a word, so "debugging" counts and "improve" does not) raises the
   level by one, up to ADVANCED.
"""

import enum
import re


class Complexity(enum.IntEnum):
    SIMPLE = 1
    MODERATE = 2
    COMPLEX = 3
    ADVANCED = 4


# (exclusive upper bound in characters, level); anything at or above the last bound is ADVANCED.
LENGTH_LEVELS = (
    (500, Complexity.SIMPLE),
    (2000, Complexity.MODERATE),
    (8000, Complexity.COMPLEX),
)
CODE_FENCE = "```"
REASONING_SIGNALS = ("analyze", "analyse", "prove", "architecture", "step by step", "optimize", "optimise", "debug")


def _contents(messages):
    """The content of each message, a missing or None content counting as ""."""
    return [message.get("content") or "" for message in messages]


def level_for_length(length):
    """The level rule 1 gives a total of `length` characters."""
    for bound, level in LENGTH_LEVELS:
        if length < bound:
            return level
    return Complexity.ADVANCED


def has_reasoning_signal(text):
    """Whether `text` has a code fence or a reasoning word at the start of a word (rule 2)."""
    if CODE_FENCE in text:
        return True
    lowered = text.lower()
    return any(re.search(r"\b" + re.escape(signal), lowered) for signal in REASONING_SIGNALS)


def raised(level):
    """One level up from `level`, ADVANCED staying ADVANCED."""
    return Complexity(min(level + 1, Complexity.ADVANCED))


def classify_complexity(messages):
    """The complexity of a chat (a list of {"role", "content"} dicts), by the module's two rules."""
    contents = _contents(messages)
    level = level_for_length(sum(len(content) for content in contents))
    # Joined with newlines so that words never run together across two messages.
    if has_reasoning_signal("\n".join(contents)):
        return raised(level)
    return level
