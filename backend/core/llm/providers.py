"""Provider adapters over plain httpx: the OpenAI-compatible chat API and Anthropic's Messages API.

An adapter is built for one call with the provider's name, base URL, API key and timeout.
`complete(client, model, messages, params)` returns the whole text; `stream(...)` is an async
generator of the text chunks as they arrive (empty chunks are never yielded). Every failure is
a `ProviderError` subclass:

- HTTP 401/403 -> `AuthenticationError`; 429 -> `RateLimitedError` (`retry_after` from the
  Retry-After header, in seconds, None when absent or not a number); 5xx -> `ServerError`;
  any other non-2xx -> `ProviderError` (with the provider's own error message when it sent one);
- `httpx.TimeoutException` -> `ProviderTimeoutError`; any other `httpx.TransportError`
  (also mid-stream) -> `ServerError`;
- a body or event stream that is not the documented shape -> `MalformedResponseError` naming
  what is wrong. Types are checked exactly (a dict must be a dict, text a str).

The key only goes into the request headers: every message is passed through `keys.redact`
(with the workspace's other keys too, in case a provider echoes something it should not).
"""

import json
import math
from functools import partial

import httpx

from core.llm.errors import (
    AuthenticationError,
    MalformedResponseError,
    ProviderError,
    ProviderTimeoutError,
    RateLimitedError,
    ServerError,
)
from core.llm.keys import redact
from core.llm.sse import SSEDecoder

OPENAI_COMPATIBLE_BASE_URLS = {
    "openai": "https://api.openai.com/v1",
    "deepseek": "https://api.deepseek.com/v1",
    "groq": "https://api.groq.com/openai/v1",
    "moonshot": "https://api.moonshot.ai/v1",
}
ANTHROPIC_BASE_URL = "https://api.anthropic.com"
DEFAULT_BASE_URLS = {**OPENAI_COMPATIBLE_BASE_URLS, "anthropic": ANTHROPIC_BASE_URL}
PROVIDERS = ("openai", "anthropic", "deepseek", "groq", "moonshot")

ANTHROPIC_VERSION = "2023-06-01"
ANTHROPIC_DEFAULT_MAX_TOKENS = 1024
OPENAI_DONE = "[DONE]"
AUTH_STATUSES = (401, 403)
RATE_LIMITED_STATUS = 429
# Anthropic's `error` stream event: error.type -> the error class; others are `ProviderError`.
ANTHROPIC_STREAM_ERRORS = {
    "overloaded_error": ServerError,
    "api_error": ServerError,
    "rate_limit_error": RateLimitedError,
    "authentication_error": AuthenticationError,
    "permission_error": AuthenticationError,
}


def parse_retry_after(value):
    """Seconds from a Retry-After header value; None when absent, not a number, negative or infinite."""
    if value is None:
        return None
    try:
        seconds = float(value.strip())
    except ValueError:
        return None
    if not math.isfinite(seconds) or seconds < 0:
        return None
    return seconds


def provider_error_message(body):
    """The provider's own error message from a JSON error body, or None when it has none."""
    try:
        payload = json.loads(body)
    except ValueError:
        return None
    if not isinstance(payload, dict):
        return None
    error = payload.get("error")
    if isinstance(error, str):
        return error
    if isinstance(error, dict) and isinstance(error.get("message"), str):
        return error["message"]
    return None


def error_class_for_status(status):
    """The error class for a non-2xx HTTP status."""
    if status in AUTH_STATUSES:
        return AuthenticationError
    if status == RATE_LIMITED_STATUS:
        return RateLimitedError
    if status >= 500:
        return ServerError
    return ProviderError


def is_success(status):
    return 200 <= status < 300


def require(value, kind, what):
    """`value` when its type is exactly `kind` (bool is no int), else raise a description of `what`."""
    if type(value) is not kind:
        raise _Malformed(f"{what} is not {_KIND_NAMES[kind]} (got {type(value).__name__})")
    return value


def field(mapping, name, kind, where):
    """`mapping[name]`, required to be of type `kind`."""
    if name not in mapping:
        raise _Malformed(f"{where} has no {name!r}")
    return require(mapping[name], kind, f"{where}.{name}")


_KIND_NAMES = {dict: "an object", list: "an array", str: "a string"}


class _Malformed(Exception):
    """Internal: a shape problem, turned into `MalformedResponseError` by the adapter."""


def parse_json(text, what):
    """The JSON value in `text`, or `_Malformed` saying `what` is not JSON."""
    try:
        return json.loads(text)
    except ValueError as error:
        raise _Malformed(f"{what} is not valid JSON ({error})") from None


class ProviderAdapter:
    """What both APIs share: sending, status and transport error mapping, and SSE reading."""

    def __init__(self, provider, base_url, api_key, timeout, other_secrets=()):
        self.provider = provider
        self.base_url = base_url.rstrip("/")
        self._api_key = api_key
        self._secrets = [api_key, *other_secrets]
        self.timeout = timeout

    def error(self, error_class, message, **extra):
        """An `error_class` for this provider with `message` redacted (this key and `other_secrets`)."""
        return error_class(self.provider, redact(message, self._secrets), **extra)

    def malformed(self, problem):
        return self.error(MalformedResponseError, f"malformed response: {problem}")

    def transport_error(self, error):
        """The `ProviderError` for an httpx transport failure."""
        detail = str(error) or type(error).__name__
        if isinstance(error, httpx.TimeoutException):
            return self.error(ProviderTimeoutError, f"request timed out ({detail})")
        return self.error(ServerError, f"transport error: {type(error).__name__}: {detail}")

    def status_error(self, response):
        """The `ProviderError` for a non-2xx response whose body has been read."""
        status = response.status_code
        message = f"HTTP {status}"
        detail = provider_error_message(response.content)
        if detail is not None:
            message = f"{message}: {detail}"
        error_class = error_class_for_status(status)
        if error_class is RateLimitedError:
            return self.error(error_class, message, retry_after=parse_retry_after(response.headers.get("retry-after")))
        return self.error(error_class, message)

    def build_request(self, client, model, messages, stream, params):
        """The `httpx.Request` for one call."""
        return client.build_request(
            "POST",
            self.base_url + self.path(),
            headers=self.headers(),
            json=self.body(model, messages, stream, params),
            timeout=self.timeout,
        )

    async def send(self, client, request, stream):
        """`client.send(...)` with transport failures mapped; the response of a failed status is raised."""
        try:
            response = await client.send(request, stream=stream)
        except httpx.TransportError as error:
            raise self.transport_error(error) from None
        if is_success(response.status_code):
            return response
        try:
            await response.aread()
        except httpx.TransportError as error:
            raise self.transport_error(error) from None
        finally:
            await response.aclose()
        raise self.status_error(response)

    async def complete(self, client, model, messages, params):
        """The whole text of a non-streamed completion."""
        request = self.build_request(client, model, messages, False, params)
        response = await self.send(client, request, False)
        try:
            return self.response_text(parse_json(response.content, "response body"))
        except _Malformed as problem:
            raise self.malformed(str(problem)) from None

    async def stream(self, client, model, messages, params):
        """The text chunks of a streamed completion, as they arrive."""
        request = self.build_request(client, model, messages, True, params)
        response = await self.send(client, request, True)
        try:
            async for text in self._stream_texts(response):
                yield text
        finally:
            await response.aclose()

    async def _stream_texts(self, response):
        decoder = SSEDecoder()
        state = {"done": False}
        async for chunk in self._chunks(response):
            for text in self._event_texts(partial(decoder.feed, chunk), state):
                yield text
            if state["done"]:
                return
        for text in self._event_texts(decoder.close, state):
            yield text
        if not state["done"]:
            raise self.malformed(f"stream ended before {self.stream_end()}")

    def _event_texts(self, decode, state):
        """The texts of the events `decode()` gives, up to the end event (then sets state["done"])."""
        texts = []
        try:
            events = decode()
            for event in events:
                text = self.event_text(event)
                if text is None:
                    state["done"] = True
                    break
                if text:
                    texts.append(text)
        except _Malformed as problem:
            raise self.malformed(str(problem)) from None
        except ValueError as problem:
            raise self.malformed(f"invalid event stream: {problem}") from None
        return texts

    async def _chunks(self, response):
        iterator = response.aiter_bytes()
        while True:
            try:
                chunk = await anext(iterator)
            except StopAsyncIteration:
                return
            except httpx.TransportError as error:
                raise self.transport_error(error) from None
            yield chunk


class OpenAICompatibleAdapter(ProviderAdapter):
    """POST {base}/chat/completions with a Bearer key: OpenAI, DeepSeek, Groq, Moonshot and alike."""

    def path(self):
        return "/chat/completions"

    def headers(self):
        return {"Authorization": f"Bearer {self._api_key}", "Content-Type": "application/json"}

    def body(self, model, messages, stream, params):
        return {"model": model, "messages": [dict(message) for message in messages], "stream": stream, **params}

    def stream_end(self):
        return f"data: {OPENAI_DONE}"

    def response_text(self, payload):
        """choices[0].message.content of a chat completion."""
        require(payload, dict, "response body")
        choices = field(payload, "choices", list, "response")
        if not choices:
            raise _Malformed("response.choices is empty")
        choice = require(choices[0], dict, "response.choices[0]")
        message = field(choice, "message", dict, "response.choices[0]")
        return field(message, "content", str, "response.choices[0].message")

    def event_text(self, event):
        """The text of one stream event: "" for none, None for the end ([DONE])."""
        if event.data == OPENAI_DONE:
            return None
        payload = require(parse_json(event.data, "stream chunk"), dict, "stream chunk")
        if "error" in payload:
            message = provider_error_message(event.data) or "error in stream"
            raise self.error(ServerError, f"stream error: {message}")
        choices = field(payload, "choices", list, "stream chunk")
        if not choices:
            return ""
        choice = require(choices[0], dict, "stream chunk.choices[0]")
        delta = field(choice, "delta", dict, "stream chunk.choices[0]")
        content = delta.get("content")
        if content is None:
            return ""
        return require(content, str, "stream chunk.choices[0].delta.content")


class AnthropicAdapter(ProviderAdapter):
    """POST {base}/v1/messages with an x-api-key: Anthropic's Messages API."""

    def path(self):
        return "/v1/messages"

    def headers(self):
        return {"x-api-key": self._api_key, "anthropic-version": ANTHROPIC_VERSION, "content-type": "application/json"}

    def body(self, model, messages, stream, params):
        """System messages go to "system" (joined by blank lines), the others to "messages"."""
        system = [message["content"] for message in messages if message["role"] == "system"]
        body = {
            "model": model,
            "max_tokens": ANTHROPIC_DEFAULT_MAX_TOKENS,
            "messages": [dict(message) for message in messages if message["role"] != "system"],
            "stream": stream,
            **params,
        }
        if system:
            body["system"] = "\n\n".join(system)
        return body

    def stream_end(self):
        return "message_stop"

    def response_text(self, payload):
        """The text blocks of a message, concatenated."""
        require(payload, dict, "response body")
        blocks = field(payload, "content", list, "response")
        texts = []
        for index, block in enumerate(blocks):
            where = f"response.content[{index}]"
            require(block, dict, where)
            if field(block, "type", str, where) == "text":
                texts.append(field(block, "text", str, where))
        return "".join(texts)

    def event_text(self, event):
        """The text of one stream event: "" for none, None for the end (message_stop)."""
        payload = require(parse_json(event.data, "stream event"), dict, "stream event")
        kind = field(payload, "type", str, "stream event")
        if kind == "message_stop":
            return None
        if kind == "error":
            raise self.stream_error(payload)
        if kind != "content_block_delta":
            return ""
        delta = field(payload, "delta", dict, "content_block_delta")
        if delta.get("type") != "text_delta":
            return ""
        return field(delta, "text", str, "content_block_delta.delta")

    def stream_error(self, payload):
        """The `ProviderError` for an `error` event, by its error.type."""
        error = payload.get("error")
        if type(error) is not dict:
            return self.error(ProviderError, "stream error")
        kind = error.get("type")
        if type(kind) is not str:
            kind = "unknown_error"
        message = error.get("message")
        text = f"stream error: {kind}: {message}" if type(message) is str else f"stream error: {kind}"
        error_class = ANTHROPIC_STREAM_ERRORS.get(kind, ProviderError)
        return self.error(error_class, text)


def adapter_for(provider, base_url, api_key, timeout, other_secrets=()):
    """The adapter of `provider` (Anthropic's, or the OpenAI-compatible one for every other).

    `other_secrets` (the workspace's other keys) are redacted from its messages too.
    """
    if provider == "anthropic":
        return AnthropicAdapter(provider, base_url, api_key, timeout, other_secrets)
    return OpenAICompatibleAdapter(provider, base_url, api_key, timeout, other_secrets)
