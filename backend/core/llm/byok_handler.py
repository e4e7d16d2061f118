"""Bring-your-own-key chat completions: validation, routing, retries, fallback, streaming, limits.

`BYOKHandler(workspace_id, ...)` calls the providers with the keys of one workspace.
`stream_completion(model=None, messages=..., provider="auto", stream=False, **params)`
validates everything first (ValueError naming the problem, MissingKeyError when no candidate
provider has a key: nothing is sent) and returns a `CompletionCall`: await it for the whole
text, or iterate it (`async for chunk in call`) for the text as it arrives. A call runs once.

Routing:

- `provider="auto"` with a model: the model's provider first; without one: the cheapest model
  (of the providers with a key) fit for `classify_complexity(messages)`. Then, as fallbacks,
  every other provider of `provider_priority` that has a key, each with its cheapest model fit
  for the request (and, when a model was given, at least as capable as that model's tier);
  providers with no such model are skipped.
- an explicit provider: only that provider (with the given model, or its cheapest fit one).

Failures: each provider gets up to `max_retries` retries of retryable errors (429, 5xx,
timeouts, transport errors), sleeping `backoff_seconds * 2**attempt` capped at
`max_backoff_seconds`, and at least the provider's Retry-After (a Retry-After beyond the cap
moves on to the next provider instead of waiting); other errors move on at once. Once any
text was emitted a failure raises `StreamInterruptedError` (never retried: the text would
repeat). When every candidate failed: `AllProvidersFailedError` with each provider's last
error. With `rate_limit` (requests per minute per workspace and provider), every request
first takes a slot; `RateLimitExceededError` propagates at once and nothing is sent.

Options are checked when the handler is made (ValueError naming the option): `rate_limit` is
None or an int >= 1, `max_retries` an int >= 0, `backoff_seconds` and `max_backoff_seconds`
finite numbers >= 0, `request_timeout` a finite number > 0 (a bool, nan or inf is none of these).

Keys: a key that cannot be sent in a header (anything but printable ASCII without spaces, such
as a zero-width space pasted with it; see `keys.key_problem`) is never sent: an explicit
provider with such a key raises `InvalidKeyError` (a `MissingKeyError`) at once; in a route
the provider is skipped before any request, logged, listed in `AllProvidersFailedError` if
all fail, and the next provider is tried. Its message names the workspace, the provider and
the offending character, never the key. API keys appear only in request headers: every
provider error is redacted, when it is made, of every key the store gives the workspace (for
any known provider, not only those tried), so what is logged or raised from it is too.
Completion text is returned as the provider sent it: it is not redacted.
"""

import asyncio
import logging
import math
import time
from contextlib import aclosing
from dataclasses import dataclass, field

import httpx

from core.llm import pricing, tokens
from core.llm.errors import (
    AllProvidersFailedError,
    InvalidKeyError,
    MissingKeyError,
    ProviderError,
    RateLimitedError,
    StreamInterruptedError,
)
from core.llm.keys import EnvironmentKeyStore, key_problem
from core.llm.providers import DEFAULT_BASE_URLS, PROVIDERS, adapter_for
from core.llm.rate_limit import SlidingWindowRateLimiter, checked_limit
from core.llm.routing import classify_complexity

AUTO = "auto"
PROVIDER_PRIORITY = ("openai", "anthropic", "deepseek", "groq", "moonshot")
ROLES = ("system", "user", "assistant")
MESSAGE_FIELDS = ("role", "content")
PARAM_RANGES = {"temperature": (0, 2), "top_p": (0, 1)}
MAX_TOKENS_LIMIT = 1_000_000
ALLOWED_PARAMS = ("max_tokens", "temperature", "top_p")
RATE_LIMIT_WINDOW_SECONDS = 60.0
DEFAULT_MAX_BACKOFF_SECONDS = 30.0


@dataclass(frozen=True)
class Candidate:
    """One provider to try, with its model and this workspace's key (None when it has none)."""

    provider: str
    model: str
    key: str | None = field(default=None, repr=False)


def validate_messages(messages):
    """ValueError naming the first problem of `messages` (a non-empty list of role/content dicts)."""
    if type(messages) is not list or not messages:
        raise ValueError(f"messages must be a non-empty list of {{'role', 'content'}} dicts, got {messages!r}")
    for index, message in enumerate(messages):
        validate_message(index, message)


def validate_message(index, message):
    where = f"messages[{index}]"
    if type(message) is not dict:
        raise ValueError(f"{where} must be a dict, got {type(message).__name__}")
    unknown = [key for key in message if key not in MESSAGE_FIELDS]
    if unknown:
        raise ValueError(f"{where} has unknown keys {unknown!r} (allowed: role, content)")
    role = message.get("role")
    if type(role) is not str or role not in ROLES:
        raise ValueError(f"{where}.role must be one of system, user, assistant, got {role!r}")
    content = message.get("content")
    if type(content) is not str:
        raise ValueError(f"{where}.content must be a str, got {type(content).__name__}")
    try:
        content.encode("utf-8")
    except UnicodeEncodeError as error:
        raise ValueError(f"{where}.content is not valid unicode: {error.reason} at {error.start}") from None


def validate_params(params):
    """ValueError for an unknown parameter or a value out of its range."""
    for name, value in params.items():
        if name not in ALLOWED_PARAMS:
            raise ValueError(f"unknown parameter {name!r} (allowed: {', '.join(ALLOWED_PARAMS)})")
        if name == "max_tokens":
            validate_max_tokens(value)
        else:
            validate_range(name, value, *PARAM_RANGES[name])


def validate_range(name, value, low, high):
    if type(value) not in (int, float) or not low <= value <= high:
        raise ValueError(f"{name} must be a number from {low} to {high}, got {value!r}")


def validate_max_tokens(value):
    if type(value) is not int or not 1 <= value <= MAX_TOKENS_LIMIT:
        raise ValueError(f"max_tokens must be an int from 1 to {MAX_TOKENS_LIMIT}, got {value!r}")


def is_finite_number(value):
    """True for an int or float (not a bool) that is neither nan nor infinite."""
    return type(value) in (int, float) and math.isfinite(value)


def checked_seconds(name, value):
    """`value` when it is a finite number >= 0 (seconds), else ValueError naming `name`."""
    if not is_finite_number(value) or value < 0:
        raise ValueError(f"{name} must be a finite number >= 0, got {value!r}")
    return value


def checked_timeout(value):
    """`request_timeout` when it is a finite number > 0 (seconds), else ValueError."""
    if not is_finite_number(value) or value <= 0:
        raise ValueError(f"request_timeout must be a finite number > 0, got {value!r}")
    return value


def validate_provider(provider):
    if provider != AUTO and provider not in PROVIDERS:
        raise ValueError(f"unknown provider {provider!r} (known: {AUTO}, {', '.join(PROVIDERS)})")


def validate_stream(stream):
    if type(stream) is not bool:
        raise ValueError(f"stream must be True or False, got {stream!r}")


class BYOKHandler:
    """Chat completions for one workspace with its own provider keys (see the module docstring)."""

    def __init__(
        self,
        workspace_id,
        *,
        key_store=None,
        http_client=None,
        provider_priority=PROVIDER_PRIORITY,
        base_urls=None,
        max_retries=2,
        backoff_seconds=0.5,
        max_backoff_seconds=DEFAULT_MAX_BACKOFF_SECONDS,
        sleep=asyncio.sleep,
        clock=time.monotonic,
        rate_limit=None,
        request_timeout=60.0,
        logger=None,
    ):
        """See the module docstring; `logger` defaults to this module's logger."""
        self.workspace_id = workspace_id
        self.provider_priority = self._checked_priority(provider_priority)
        self.base_urls = self._checked_base_urls(base_urls)
        self.max_retries = self._checked_retries(max_retries)
        self.backoff_seconds = checked_seconds("backoff_seconds", backoff_seconds)
        self.max_backoff_seconds = checked_seconds("max_backoff_seconds", max_backoff_seconds)
        self.request_timeout = checked_timeout(request_timeout)
        self._key_store = EnvironmentKeyStore() if key_store is None else key_store
        self._owns_client = http_client is None
        self._client = httpx.AsyncClient() if http_client is None else http_client
        self._sleep = sleep
        self._limiter = self._checked_limiter(rate_limit, clock)
        self._logger = logging.getLogger(__name__) if logger is None else logger

    def _checked_priority(self, provider_priority):
        priority = tuple(provider_priority)
        for provider in priority:
            validate_provider(provider)
        if AUTO in priority or len(set(priority)) != len(priority):
            raise ValueError(f"provider_priority must list distinct providers, got {priority!r}")
        return priority

    def _checked_base_urls(self, base_urls):
        urls = dict(DEFAULT_BASE_URLS)
        for provider, url in (base_urls or {}).items():
            if provider not in PROVIDERS:
                raise ValueError(f"base_urls: unknown provider {provider!r}")
            urls[provider] = url
        return urls

    def _checked_limiter(self, rate_limit, clock):
        """The workspace's limiter: None without `rate_limit`, else `rate_limit` (an int >= 1) per minute."""
        if rate_limit is None:
            return None
        return SlidingWindowRateLimiter(checked_limit("rate_limit", rate_limit), RATE_LIMIT_WINDOW_SECONDS, clock)

    def _checked_retries(self, max_retries):
        if type(max_retries) is not int or max_retries < 0:
            raise ValueError(f"max_retries must be an int >= 0, got {max_retries!r}")
        return max_retries

    def __repr__(self):
        return (
            f"BYOKHandler(workspace_id={self.workspace_id!r}, provider_priority={self.provider_priority!r}, "
            f"max_retries={self.max_retries}, rate_limit={self._limiter.limit if self._limiter else None})"
        )

    async def aclose(self):
        """Close the HTTP client if the handler created it (a client passed in stays open)."""
        if self._owns_client:
            await self._client.aclose()

    async def __aenter__(self):
        return self

    async def __aexit__(self, *exc_info):
        await self.aclose()

    def count_tokens(self, text, model):
        """Tokens of `text` for `model` (see `core.llm.tokens.count_tokens`)."""
        return tokens.count_tokens(text, model)

    def estimate_cost(self, model, input_tokens, output_tokens):
        """USD cost of a call (see `core.llm.pricing.estimate_cost`)."""
        return pricing.estimate_cost(model, input_tokens, output_tokens)

    def stream_completion(self, model=None, messages=None, provider=AUTO, stream=False, **params):
        """Validate and route a chat completion; returns the `CompletionCall` to await or iterate."""
        validate_messages(messages)
        validate_provider(provider)
        validate_stream(stream)
        if model is not None:
            self._check_model(model, provider)
        validate_params(params)
        candidates = self._candidates(model, messages, provider)
        messages = [dict(message) for message in messages]
        return CompletionCall(self, candidates, messages, dict(params), stream, self._workspace_secrets())

    def _check_model(self, model, provider):
        model_provider = pricing.provider_for_model(model)
        if provider not in (AUTO, model_provider):
            raise ValueError(f"model {model!r} is served by {model_provider!r}, not {provider!r}")

    def _candidates(self, model, messages, provider):
        complexity = classify_complexity(messages)
        if model is not None:
            complexity = max(complexity, pricing.price_for(model).tier)
        if provider != AUTO:
            return self._explicit_candidates(model, provider, complexity)
        return self._auto_candidates(model, complexity)

    def _explicit_candidates(self, model, provider, complexity):
        if model is None:
            model = pricing.cheapest_model(complexity, [provider]).model
        candidate = self._candidate(provider, model)
        unusable = self._unusable_key(candidate)
        if unusable is not None:
            raise unusable
        return [candidate]

    def _auto_candidates(self, model, complexity):
        keyed = [provider for provider in self.provider_priority if self._key(provider) is not None]
        if model is None and not keyed:
            raise self._missing_key(self.provider_priority)
        if model is None:
            model = pricing.cheapest_model(complexity, keyed).model
        first = self._candidate(pricing.provider_for_model(model), model)
        candidates = [first] + self._fallbacks(first.provider, keyed, complexity)
        if all(candidate.key is None for candidate in candidates):
            raise self._missing_key([first.provider, *self.provider_priority])
        return candidates

    def _fallbacks(self, chosen, keyed, complexity):
        fallbacks = []
        for provider in keyed:
            if provider == chosen:
                continue
            try:
                model = pricing.cheapest_model(complexity, [provider]).model
            except ValueError:
                continue
            fallbacks.append(self._candidate(provider, model))
        return fallbacks

    def _key(self, provider):
        return self._key_store.get_key(self.workspace_id, provider)

    def _candidate(self, provider, model):
        return Candidate(provider, model, self._key(provider))

    def _workspace_secrets(self):
        """Every key the store gives this workspace for a known provider: all are redacted from errors."""
        keys = [self._key(provider) for provider in PROVIDERS]
        return [key for key in keys if isinstance(key, str)]

    def _unusable_key(self, candidate):
        """The error for a candidate whose key is missing or cannot be sent; None when it can."""
        if candidate.key is None:
            return self._missing_key([candidate.provider])
        problem = key_problem(candidate.key)
        if problem is None:
            return None
        return InvalidKeyError(self.workspace_id, candidate.provider, problem)

    def _missing_key(self, providers):
        names = ", ".join(dict.fromkeys(providers))
        return MissingKeyError(f"workspace {self.workspace_id!r} has no API key for: {names}")

    def _acquire(self, provider):
        if self._limiter is not None:
            self._limiter.acquire((self.workspace_id, provider))

    def _retry_delay(self, error, attempt):
        """Seconds to wait before retry number `attempt + 1`, or None to give up on the provider."""
        if not error.retryable or attempt >= self.max_retries:
            return None
        delay = min(self.backoff_seconds * 2**attempt, self.max_backoff_seconds)
        if not isinstance(error, RateLimitedError) or error.retry_after is None:
            return delay
        if error.retry_after > self.max_backoff_seconds:
            return None
        return max(delay, error.retry_after)

    async def _request(self, candidate, messages, params, stream, secrets):
        """The text of one request to `candidate`, as chunks (one chunk when not streaming).

        Error messages are redacted of `secrets` (every key of the call) as well as the key used.
        """
        url = self.base_urls[candidate.provider]
        adapter = adapter_for(candidate.provider, url, candidate.key, self.request_timeout, secrets)
        if not stream:
            text = await adapter.complete(self._client, candidate.model, messages, params)
            if text:
                yield text
            return
        async with aclosing(adapter.stream(self._client, candidate.model, messages, params)) as chunks:
            async for text in chunks:
                yield text


class CompletionCall:
    """One routed completion: `await call` gives the whole text, `async for` the chunks as they come."""

    def __init__(self, handler, candidates, messages, params, stream, secrets):
        self._handler = handler
        self._candidates = candidates
        self._messages = messages
        self._params = params
        self._stream = stream
        self._secrets = secrets
        self._emitted = []
        self._iterator = None

    def __repr__(self):
        routes = ", ".join(f"{candidate.provider}/{candidate.model}" for candidate in self._candidates)
        state = "pending" if self._iterator is None else "started"
        return f"CompletionCall(workspace_id={self._handler.workspace_id!r}, routes=[{routes}], stream={self._stream}, {state})"

    def routes(self):
        """The (provider, model) pairs in the order they will be tried."""
        return [(candidate.provider, candidate.model) for candidate in self._candidates]

    def __await__(self):
        return self._collect().__await__()

    def __aiter__(self):
        return self._start()

    async def aclose(self):
        """Stop a call that is being iterated (closes its HTTP response)."""
        if self._iterator is not None:
            await self._iterator.aclose()

    def _start(self):
        if self._iterator is not None:
            raise RuntimeError("this completion call was already run; call stream_completion again")
        self._iterator = self._chunks()
        return self._iterator

    async def _collect(self):
        return "".join([text async for text in self._start()])

    async def _chunks(self):
        errors = []
        for candidate in self._candidates:
            unusable = self._handler._unusable_key(candidate)
            if unusable is not None:
                errors.append((candidate.provider, unusable))
                self._log_skipped(candidate, unusable)
                continue
            try:
                async with aclosing(self._provider_chunks(candidate)) as chunks:
                    async for text in chunks:
                        yield text
                return
            except ProviderError as error:
                errors.append((candidate.provider, error))
                self._log("%s/%s failed: %s; trying the next provider", candidate.provider, candidate.model, error)
        raise AllProvidersFailedError(errors)

    async def _provider_chunks(self, candidate):
        attempt = 0
        while True:
            self._handler._acquire(candidate.provider)
            try:
                request = self._handler._request(candidate, self._messages, self._params, self._stream, self._secrets)
                async with aclosing(request) as chunks:
                    async for text in chunks:
                        self._emitted.append(text)
                        yield text
                return
            except ProviderError as error:
                delay = self._after_failure(candidate, error, attempt)
            await self._handler._sleep(delay)
            attempt += 1

    def _after_failure(self, candidate, error, attempt):
        """The delay before retrying `candidate`; raises to stop retrying it."""
        if self._emitted:
            emitted = "".join(self._emitted)
            message = f"{candidate.provider} stream interrupted after {len(emitted)} characters: {error}"
            raise StreamInterruptedError(message, emitted, error) from error
        delay = self._handler._retry_delay(error, attempt)
        if delay is None:
            raise error
        self._log("%s/%s attempt %s failed: %s; retrying in %ss", candidate.provider, candidate.model, attempt + 1, error, delay)
        return delay

    def _log_skipped(self, candidate, error):
        """A malformed key is logged when skipped (a missing one is a normal configuration)."""
        if isinstance(error, InvalidKeyError):
            self._log("%s/%s skipped: %s; trying the next provider", candidate.provider, candidate.model, error)

    def _log(self, template, *args):
        # Every argument is a provider, a model, a number or an already redacted error.
        self._handler._logger.warning(template, *args)
