"""Integration suite of the BYOK handler: the real handler, adapters and SSE decoder over httpx.

Providers are played by an `httpx.MockTransport` that records every real `httpx.Request` and
answers with real JSON or SSE byte bodies (split into chunks, or failing mid-way through an
`httpx.AsyncByteStream`). Sleeps are recorded by a fake async sleep and time is a fake clock:
no real sleeps, no wall clock, no network.

Completions go through `completion`, `chunks_of` and `routes`, which catch what the call raised
(its validation and routing included), so an exception is compared like a value.
"""

import asyncio
import json
import logging
from decimal import Decimal

import httpx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import Raised, iterated, outcome, returned
from core.llm.byok_handler import BYOKHandler
from core.llm.errors import (
    AuthenticationError,
    InvalidKeyError,
    MalformedResponseError,
    MissingKeyError,
    ProviderError,
    ProviderTimeoutError,
    RateLimitedError,
    ServerError,
)
from core.llm.keys import InMemoryKeyStore
from core.llm.sse import SSEDecoder, SSEEvent

WS1 = {
    "openai": "sk-ws1-openai-key-0001",
    "anthropic": "sk-ant-ws1-key-0002",
    "deepseek": "sk-ws1-deepseek-key-0003",
    "groq": "gsk-ws1-groq-key-0004",
    "moonshot": "sk-ws1-moonshot-key-0005",
}
WS2 = {
    "openai": "sk-ws2-openai-key-9991",
    "anthropic": "sk-ant-ws2-key-9992",
}
KEYS = {"ws-1": WS1, "ws-2": WS2}
ONLY_OPENAI_ANTHROPIC = {"ws-1": {"openai": WS1["openai"], "anthropic": WS1["anthropic"]}}
PRIORITY = ("openai", "anthropic", "deepseek", "groq", "moonshot")  # the default provider_priority

USER = [{"role": "user", "content": "Say hi"}]
# 8000 characters: ADVANCED by length.
ADVANCED = [{"role": "user", "content": "x" * 8000}]

OPENAI_URL = "https://api.openai.com/v1/chat/completions"
ANTHROPIC_URL = "https://api.anthropic.com/v1/messages"
DEEPSEEK_URL = "https://api.deepseek.com/v1/chat/completions"
GROQ_URL = "https://api.groq.com/openai/v1/chat/completions"
MOONSHOT_URL = "https://api.moonshot.ai/v1/chat/completions"


# --- the fake providers -------------------------------------------------------------------


class Chunks(httpx.AsyncByteStream):
    """A response body delivered as the given chunks, then optionally failing with `error`."""

    def __init__(self, chunks, error=None):
        self.chunks = list(chunks)
        self.error = error
        self.closed = False

    async def __aiter__(self):
        for chunk in self.chunks:
            yield chunk
        if self.error is not None:
            raise self.error

    async def aclose(self):
        self.closed = True


class Providers:
    """The MockTransport handler: per host a queue of replies (Response, exception or callable)."""

    def __init__(self):
        self.requests = []
        self.replies = {}

    def on(self, host, *replies):
        self.replies.setdefault(host, []).extend(replies)

    def __call__(self, request):
        self.requests.append(request)
        reply = self.replies[request.url.host].pop(0)
        if isinstance(reply, Exception):
            raise reply
        if callable(reply):
            return reply(request)
        return reply

    def urls(self):
        return [str(request.url) for request in self.requests]

    def bodies(self):
        return [returned(json.loads, request.content) for request in self.requests]


def sse(*events, newline="\n"):
    """An SSE body: each event is (name or None, data as JSON-able or str)."""
    lines = []
    for name, data in events:
        if name is not None:
            lines.append(f"event: {name}")
        lines.append(f"data: {data if isinstance(data, str) else json.dumps(data)}")
        lines.append("")
    return (newline.join(lines) + newline).encode("utf-8")


def openai_chunk(text):
    return {"id": "chatcmpl-1", "object": "chat.completion.chunk", "choices": [{"index": 0, "delta": {"content": text}}]}


def openai_events(*texts):
    return [(None, {"choices": [{"index": 0, "delta": {"role": "assistant"}}]}), *[(None, openai_chunk(text)) for text in texts], (None, "[DONE]")]


def openai_stream(*texts):
    return sse(*openai_events(*texts))


def anthropic_delta(text):
    return ("content_block_delta", {"type": "content_block_delta", "index": 0, "delta": {"type": "text_delta", "text": text}})


def anthropic_events(*texts):
    return [
        ("message_start", {"type": "message_start", "message": {"id": "msg_1", "content": []}}),
        ("content_block_start", {"type": "content_block_start", "index": 0, "content_block": {"type": "text", "text": ""}}),
        ("ping", {"type": "ping"}),
        *[anthropic_delta(text) for text in texts],
        ("content_block_stop", {"type": "content_block_stop", "index": 0}),
        ("message_delta", {"type": "message_delta", "delta": {"stop_reason": "end_turn"}}),
        ("message_stop", {"type": "message_stop"}),
    ]


def anthropic_stream(*texts):
    return sse(*anthropic_events(*texts))


def openai_reply(text):
    return httpx.Response(200, json={"id": "c1", "choices": [{"index": 0, "message": {"role": "assistant", "content": text}}]})


def anthropic_reply(*texts):
    return httpx.Response(200, json={"id": "m1", "type": "message", "content": [{"type": "text", "text": text} for text in texts]})


def streamed(body, *cuts, error=None):
    """A 200 event-stream response delivering `body` cut at the given byte offsets."""
    bounds = [0, *cuts, len(body)]
    chunks = [body[start:end] for start, end in zip(bounds, bounds[1:])]
    source = Chunks(chunks, error)
    response = httpx.Response(200, headers={"content-type": "text/event-stream"}, stream=source)
    response.source = source
    return response


def status(code, body=None, headers=None):
    if body is None:
        return httpx.Response(code, headers=headers)
    if isinstance(body, bytes):
        return httpx.Response(code, content=body, headers=headers)
    return httpx.Response(code, json=body, headers=headers)


def openai_headers(key):
    return {"authorization": f"Bearer {key}", "content-type": "application/json"}


def anthropic_headers(key):
    return {"x-api-key": key, "anthropic-version": "2023-06-01", "content-type": "application/json"}


def sent_headers(request, names):
    return {name: request.headers.get(name) for name in names}


class Sleeps:
    def __init__(self):
        self.durations = []

    async def sleep(self, seconds):
        self.durations.append(seconds)


class Clock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


@pytest.fixture
def providers():
    return Providers()


@pytest.fixture
def sleeps():
    return Sleeps()


@pytest.fixture
def clock():
    return Clock()


@pytest.fixture
async def make_handler(providers, sleeps, clock):
    clients = []

    def make(workspace="ws-1", keys=KEYS, **options):
        client = httpx.AsyncClient(transport=httpx.MockTransport(providers))
        clients.append(client)
        settings_ = {"key_store": InMemoryKeyStore(keys), "http_client": client, "sleep": sleeps.sleep, "clock": clock}
        return BYOKHandler(workspace, **{**settings_, **options})

    yield make
    for client in clients:
        await client.aclose()


async def completion(handler, *args, **kwargs):
    """What awaiting `handler.stream_completion(*args, **kwargs)` gives: the text, or `Raised(...)`
    for what it raised, its validation and routing included."""

    async def text():
        return await handler.stream_completion(*args, **kwargs)

    return await outcome(text())


async def chunks_of(handler, *args, **kwargs):
    """The chunks `async for` gives over `handler.stream_completion(*args, **kwargs)`, then `Raised(...)`
    for what it raised, its validation and routing included."""

    async def chunks():
        async for chunk in handler.stream_completion(*args, **kwargs):
            yield chunk

    return await iterated(chunks())


def routes(handler, *args, **kwargs):
    """The (provider, model) pairs `handler.stream_completion(*args, **kwargs)` would try, or `Raised(...)`."""
    return returned(lambda: handler.stream_completion(*args, **kwargs).routes())


def failed(*entries):
    """The `Raised` of an AllProvidersFailedError listing (provider, error type, message)."""
    lines = "; ".join(f"{provider}: {kind}: {provider}: {message}" for provider, kind, message in entries)
    return Raised(f"AllProvidersFailedError: all providers failed: {lines}")


def failures(result):
    """(provider, error type) of each error the AllProvidersFailedError in `result` lists, or `Raised(...)`."""
    return returned(lambda: [(provider, type(error)) for provider, error in result.exception.errors])


# --- adapters: requests and texts -----------------------------------------------------------


async def test_openai_non_stream_sends_the_documented_request_and_returns_the_message(make_handler, providers):
    providers.on("api.openai.com", openai_reply("Hello there"))
    handler = make_handler()
    text = await completion(handler, "gpt-4o", USER, temperature=0.3, top_p=0.9, max_tokens=50)
    assert text == "Hello there"
    (request,) = providers.requests
    assert (request.method, str(request.url)) == ("POST", OPENAI_URL)
    assert sent_headers(request, ["authorization", "content-type"]) == openai_headers(WS1["openai"])
    assert providers.bodies() == [
        {
            "model": "gpt-4o",
            "messages": [{"role": "user", "content": "Say hi"}],
            "stream": False,
            "temperature": 0.3,
            "top_p": 0.9,
            "max_tokens": 50,
        }
    ]
    assert request.extensions["timeout"] == {"connect": 60.0, "read": 60.0, "write": 60.0, "pool": 60.0}


@pytest.mark.parametrize(
    ("model", "host", "url", "provider"),
    [
        ("deepseek-chat", "api.deepseek.com", DEEPSEEK_URL, "deepseek"),
        ("llama-3.3-70b-versatile", "api.groq.com", GROQ_URL, "groq"),
        ("moonshot-v1-8k", "api.moonshot.ai", MOONSHOT_URL, "moonshot"),
    ],
)
async def test_openai_compatible_providers_use_their_base_url_and_key(make_handler, providers, model, host, url, provider):
    providers.on(host, openai_reply(f"from {provider}"))
    text = await completion(make_handler(), model, USER, provider=provider)
    assert text == f"from {provider}"
    (request,) = providers.requests
    assert str(request.url) == url
    assert sent_headers(request, ["authorization", "content-type"]) == openai_headers(WS1[provider])
    assert providers.bodies() == [{"model": model, "messages": USER, "stream": False}]


async def test_base_url_override_and_request_timeout(make_handler, providers):
    providers.on("localhost", openai_reply("local"))
    handler = make_handler(base_urls={"openai": "http://localhost:8080/v1/"}, request_timeout=5.0)
    assert await completion(handler, "gpt-4o-mini", USER) == "local"
    (request,) = providers.requests
    assert str(request.url) == "http://localhost:8080/v1/chat/completions"
    assert request.extensions["timeout"] == {"connect": 5.0, "read": 5.0, "write": 5.0, "pool": 5.0}


async def test_only_slashes_are_stripped_from_the_end_of_a_base_url(make_handler, providers):
    providers.on("localhost", openai_reply("a"))
    providers.on("localhost", anthropic_reply("b"))
    handler = make_handler(base_urls={"openai": "http://localhost:8080/X//", "anthropic": "http://localhost/proxyX"})
    assert await completion(handler, "gpt-4o", USER, provider="openai") == "a"
    assert await completion(handler, "claude-sonnet-4-5", USER, provider="anthropic") == "b"
    assert providers.urls() == ["http://localhost:8080/X/chat/completions", "http://localhost/proxyX/v1/messages"]


def wire_headers(request):
    """Every header of `request` as sent: names in their own case, in order."""
    return [(name.decode(), value.decode()) for name, value in request.headers.raw]


HTTPX_HEADERS = [("Accept", "*/*"), ("Accept-Encoding", "gzip, deflate"), ("Connection", "keep-alive"), ("User-Agent", "python-httpx/0.28.1")]


async def test_each_adapter_sends_exactly_its_headers_and_no_other(make_handler, providers):
    providers.on("api.openai.com", openai_reply("a"))
    providers.on("api.anthropic.com", anthropic_reply("b"))
    handler = make_handler()
    assert await completion(handler, "gpt-4o", USER, provider="openai") == "a"
    assert await completion(handler, "claude-sonnet-4-5", USER, provider="anthropic") == "b"
    openai_request, anthropic_request = providers.requests
    assert wire_headers(openai_request) == [
        ("Host", "api.openai.com"), *HTTPX_HEADERS,
        ("Authorization", f"Bearer {WS1['openai']}"), ("Content-Type", "application/json"),
        ("Content-Length", str(len(openai_request.content))),
    ]
    assert wire_headers(anthropic_request) == [
        ("Host", "api.anthropic.com"), *HTTPX_HEADERS,
        ("x-api-key", WS1["anthropic"]), ("anthropic-version", "2023-06-01"), ("content-type", "application/json"),
        ("Content-Length", str(len(anthropic_request.content))),
    ]


async def test_openai_stream_yields_each_delta_and_skips_empty_ones(make_handler, providers):
    body = sse(
        (None, {"choices": [{"index": 0, "delta": {"role": "assistant"}}]}),
        (None, openai_chunk("Hel")),
        (None, {"choices": [{"index": 0, "delta": {"content": None}}]}),
        (None, openai_chunk("")),
        (None, openai_chunk("lo")),
        (None, {"choices": [], "usage": {"total_tokens": 3}}),
        (None, "[DONE]"),
        (None, openai_chunk("after done")),
    )
    providers.on("api.openai.com", streamed(body))
    chunks = await chunks_of(make_handler(), "gpt-4o", USER, stream=True, max_tokens=9)
    assert chunks == ["Hel", "lo"]
    (request,) = providers.requests
    assert providers.bodies() == [{"model": "gpt-4o", "messages": USER, "stream": True, "max_tokens": 9}]
    assert sent_headers(request, ["authorization", "content-type"]) == openai_headers(WS1["openai"])


async def test_awaiting_a_stream_returns_the_whole_text(make_handler, providers):
    providers.on("api.openai.com", streamed(openai_stream("a", "b", "c"), 5, 17, 40))
    assert await completion(make_handler(), "gpt-4o", USER, stream=True) == "abc"


async def test_anthropic_non_stream_moves_system_messages_and_joins_text_blocks(make_handler, providers):
    reply = httpx.Response(
        200,
        json={
            "content": [
                {"type": "text", "text": "Bonjour"},
                {"type": "tool_use", "id": "t1", "name": "f", "input": {}},
                {"type": "text", "text": ", monde"},
            ]
        },
    )
    providers.on("api.anthropic.com", reply)
    messages = [
        {"role": "system", "content": "Be brief."},
        {"role": "user", "content": "Hi"},
        {"role": "system", "content": "Answer in French."},
        {"role": "assistant", "content": "Salut"},
        {"role": "user", "content": "Again"},
    ]
    text = await completion(make_handler(), "claude-sonnet-4-5", messages, temperature=1)
    assert text == "Bonjour, monde"
    (request,) = providers.requests
    assert (request.method, str(request.url)) == ("POST", ANTHROPIC_URL)
    assert sent_headers(request, ["x-api-key", "anthropic-version", "content-type"]) == anthropic_headers(WS1["anthropic"])
    assert request.headers.get("authorization") is None
    assert providers.bodies() == [
        {
            "model": "claude-sonnet-4-5",
            "max_tokens": 1024,
            "messages": [
                {"role": "user", "content": "Hi"},
                {"role": "assistant", "content": "Salut"},
                {"role": "user", "content": "Again"},
            ],
            "system": "Be brief.\n\nAnswer in French.",
            "stream": False,
            "temperature": 1,
        }
    ]
    assert request.extensions["timeout"] == {"connect": 60.0, "read": 60.0, "write": 60.0, "pool": 60.0}


async def test_anthropic_without_system_messages_sends_no_system_and_keeps_max_tokens(make_handler, providers):
    providers.on("api.anthropic.com", anthropic_reply())
    text = await completion(make_handler(), "claude-opus-4-1", USER, max_tokens=7)
    assert text == ""
    assert providers.bodies() == [{"model": "claude-opus-4-1", "max_tokens": 7, "messages": USER, "stream": False}]


async def test_anthropic_stream_yields_text_deltas_only(make_handler, providers):
    events = anthropic_events("Hello", ", ", "world")
    events.insert(4, ("content_block_delta", {"type": "content_block_delta", "delta": {"type": "input_json_delta", "partial_json": "{"}}))
    body = sse(*events, newline="\r\n").replace(b"event: ping", b": keep-alive\r\nevent: ping")
    providers.on("api.anthropic.com", streamed(body, 3, 100, 101, 250))
    chunks = await chunks_of(make_handler(), "claude-3-5-haiku-latest", USER, stream=True)
    assert chunks == ["Hello", ", ", "world"]
    assert providers.bodies() == [{"model": "claude-3-5-haiku-latest", "max_tokens": 1024, "messages": USER, "stream": True}]
    assert sent_headers(providers.requests[0], ["x-api-key", "anthropic-version", "content-type"]) == anthropic_headers(WS1["anthropic"])


async def test_each_workspace_sends_its_own_key(make_handler, providers):
    providers.on("api.openai.com", openai_reply("one"), openai_reply("two"))
    assert await completion(make_handler("ws-2"), "gpt-4o", USER) == "one"
    assert await completion(make_handler("ws-1"), "gpt-4o", USER) == "two"
    assert [request.headers["authorization"] for request in providers.requests] == [
        f"Bearer {WS2['openai']}",
        f"Bearer {WS1['openai']}",
    ]


# --- routing --------------------------------------------------------------------------------


async def test_auto_routing_picks_the_cheapest_fit_model_of_the_keyed_providers(make_handler, providers):
    providers.on("api.groq.com", openai_reply("fast"))
    providers.on("api.deepseek.com", openai_reply("deep"))
    handler = make_handler()
    assert routes(handler, messages=USER) == [
        ("groq", "llama-3.1-8b-instant"),
        ("openai", "gpt-4o-mini"),
        ("anthropic", "claude-3-5-haiku-latest"),
        ("deepseek", "deepseek-chat"),
        ("moonshot", "moonshot-v1-8k"),
    ]
    assert routes(handler, messages=ADVANCED) == [("deepseek", "deepseek-reasoner"), ("openai", "gpt-4.1"), ("anthropic", "claude-opus-4-1")]
    assert await completion(handler, messages=USER) == "fast"
    assert await completion(handler, messages=ADVANCED) == "deep"
    assert providers.urls() == [GROQ_URL, DEEPSEEK_URL]
    assert [body["model"] for body in providers.bodies()] == ["llama-3.1-8b-instant", "deepseek-reasoner"]


async def test_auto_routing_only_considers_providers_with_a_key(make_handler, providers):
    providers.on("api.openai.com", openai_reply("mini"), openai_reply("big"))
    handler = make_handler(keys=ONLY_OPENAI_ANTHROPIC)
    assert routes(handler, messages=USER) == [("openai", "gpt-4o-mini"), ("anthropic", "claude-3-5-haiku-latest")]
    assert await completion(handler, messages=USER) == "mini"
    assert await completion(handler, messages=ADVANCED) == "big"
    assert [body["model"] for body in providers.bodies()] == ["gpt-4o-mini", "gpt-4.1"]


async def test_a_model_implies_its_provider_and_raises_the_fallback_tier(make_handler, providers):
    providers.on("api.anthropic.com", anthropic_reply("claude"))
    handler = make_handler()
    assert routes(handler, "claude-sonnet-4-5", USER) == [("anthropic", "claude-sonnet-4-5"), ("openai", "gpt-4.1"), ("deepseek", "deepseek-chat"), ("moonshot", "kimi-k2-0905-preview")]
    assert await completion(handler, "claude-sonnet-4-5", USER) == "claude"
    assert providers.urls() == [ANTHROPIC_URL]


async def test_an_explicit_provider_uses_its_cheapest_fit_model_and_nothing_else(make_handler, providers):
    providers.on("api.anthropic.com", anthropic_reply("haiku"), anthropic_reply("opus"), status(500), status(500), status(500))
    handler = make_handler()
    assert routes(handler, messages=USER, provider="anthropic") == [("anthropic", "claude-3-5-haiku-latest")]
    assert await completion(handler, messages=USER, provider="anthropic") == "haiku"
    assert await completion(handler, messages=ADVANCED, provider="anthropic") == "opus"
    result = await completion(handler, messages=USER, provider="anthropic")
    assert result == failed(("anthropic", "ServerError", "HTTP 500"))
    assert [body["model"] for body in providers.bodies()] == ["claude-3-5-haiku-latest", "claude-opus-4-1"] + ["claude-3-5-haiku-latest"] * 3
    assert providers.urls() == [ANTHROPIC_URL] * 5


async def test_an_explicit_provider_with_a_model_sends_that_model(make_handler, providers):
    # The cheapest fit model would be gpt-4.1 (the same price as o3, and first by name).
    providers.on("api.openai.com", openai_reply("from o3"))
    handler = make_handler()
    assert routes(handler, "o3", USER, provider="openai") == [("openai", "o3")]
    assert await completion(handler, "o3", USER, provider="openai") == "from o3"
    assert [body["model"] for body in providers.bodies()] == ["o3"]


async def test_an_explicit_provider_without_a_fit_model_is_rejected(make_handler, providers):
    result = returned(make_handler().stream_completion, messages=ADVANCED, provider="groq")
    assert result == Raised("ValueError: no model fit for ADVANCED complexity among providers ['groq']")
    assert providers.requests == []


# --- retries and fallback -------------------------------------------------------------------


async def test_fallback_follows_the_priority_with_retries_and_exponential_sleeps(make_handler, providers, sleeps):
    providers.on("api.deepseek.com", status(500), status(502), status(503))
    providers.on("api.openai.com", status(500), openai_reply("recovered"))
    text = await completion(make_handler(), messages=ADVANCED)
    assert text == "recovered"
    assert providers.urls() == [DEEPSEEK_URL] * 3 + [OPENAI_URL] * 2
    assert [body["model"] for body in providers.bodies()] == ["deepseek-reasoner"] * 3 + ["gpt-4.1"] * 2
    assert [request.headers["authorization"] for request in providers.requests] == [f"Bearer {WS1['deepseek']}"] * 3 + [f"Bearer {WS1['openai']}"] * 2
    assert sleeps.durations == [0.5, 1.0, 0.5]


async def test_backoff_is_capped(make_handler, providers, sleeps):
    providers.on("api.openai.com", status(500), status(500), status(500), openai_reply("ok"))
    handler = make_handler(max_retries=3, backoff_seconds=10, max_backoff_seconds=15)
    assert await completion(handler, "gpt-4o", USER, provider="openai") == "ok"
    assert sleeps.durations == [10, 15, 15]


async def test_no_retries_when_max_retries_is_zero(make_handler, providers, sleeps):
    providers.on("api.openai.com", status(503))
    providers.on("api.anthropic.com", anthropic_reply("next"))
    assert await completion(make_handler(max_retries=0, keys=ONLY_OPENAI_ANTHROPIC), messages=USER) == "next"
    assert providers.urls() == [OPENAI_URL, ANTHROPIC_URL]
    assert sleeps.durations == []


@pytest.mark.parametrize(
    ("retry_after", "expected_error_retry_after", "expected_sleep"),
    [("7", 7.0, 7.0), ("0.1", 0.1, 0.5), ("0", 0.0, 0.5), ("30", 30.0, 30.0), (" 2.5 ", 2.5, 2.5), ("Wed, 21 Oct 2015 07:28:00 GMT", None, 0.5), ("-3", None, 0.5), ("nan", None, 0.5), ("inf", None, 0.5), (None, None, 0.5)],
)
async def test_429_waits_at_least_the_retry_after(make_handler, providers, sleeps, retry_after, expected_error_retry_after, expected_sleep):
    headers = {} if retry_after is None else {"Retry-After": retry_after}
    providers.on("api.openai.com", status(429, {"error": {"message": "slow down"}}, headers), status(429, {"error": {"message": "slow down"}}, headers), status(429, None, headers))
    result = await completion(make_handler(max_retries=2, max_backoff_seconds=30), "gpt-4o", USER, provider="openai")
    assert result == failed(("openai", "RateLimitedError", "HTTP 429"))
    assert failures(result) == [("openai", RateLimitedError)]
    assert vars(result.exception.errors[0][1]) == {"provider": "openai", "retry_after": expected_error_retry_after}
    assert sleeps.durations == [expected_sleep, max(1.0, expected_sleep)]
    assert len(providers.requests) == 3


async def test_a_retry_after_beyond_the_cap_moves_on_without_waiting(make_handler, providers, sleeps):
    providers.on("api.openai.com", status(429, {"error": {"message": "quota"}}, {"Retry-After": "120"}))
    providers.on("api.anthropic.com", anthropic_reply("from anthropic"))
    assert await completion(make_handler(keys=ONLY_OPENAI_ANTHROPIC), messages=USER) == "from anthropic"
    assert providers.urls() == [OPENAI_URL, ANTHROPIC_URL]
    assert sleeps.durations == []


@pytest.mark.parametrize("code", [401, 403])
async def test_auth_errors_are_not_retried_and_fall_back(make_handler, providers, sleeps, code):
    providers.on("api.openai.com", status(code, {"error": {"message": "Invalid API key", "type": "invalid_request_error"}}))
    providers.on("api.anthropic.com", status(code, {"type": "error", "error": {"type": "authentication_error", "message": "invalid x-api-key"}}))
    result = await completion(make_handler(keys=ONLY_OPENAI_ANTHROPIC), messages=USER)
    assert result == failed(
        ("openai", "AuthenticationError", f"HTTP {code}: Invalid API key"),
        ("anthropic", "AuthenticationError", f"HTTP {code}: invalid x-api-key"),
    )
    assert failures(result) == [("openai", AuthenticationError), ("anthropic", AuthenticationError)]
    assert providers.urls() == [OPENAI_URL, ANTHROPIC_URL]
    assert sleeps.durations == []


@pytest.mark.parametrize(
    ("reply", "message"),
    [
        (status(400, {"error": {"message": "temperature too high"}}), "HTTP 400: temperature too high"),
        (status(404, {"error": "no such model"}), "HTTP 404: no such model"),
        (status(422, {"error": {"code": 1}}), "HTTP 422"),
        (status(400, [1, 2]), "HTTP 400"),
        (status(400, b"<html>bad</html>"), "HTTP 400"),
        (status(302, None, {"location": "https://elsewhere"}), "HTTP 302"),
        (status(300), "HTTP 300"),
        (status(499), "HTTP 499"),
    ],
)
async def test_other_non_2xx_statuses_are_not_retried(make_handler, providers, sleeps, reply, message):
    providers.on("api.openai.com", reply)
    result = await completion(make_handler(), "gpt-4o", USER, provider="openai")
    assert result == failed(("openai", "ProviderError", message))
    assert failures(result) == [("openai", ProviderError)]
    assert len(providers.requests) == 1
    assert sleeps.durations == []


async def test_timeouts_and_transport_errors_are_retried(make_handler, providers, sleeps):
    def timeout(request):
        raise httpx.ReadTimeout("read timed out", request=request)

    providers.on("api.openai.com", timeout, httpx.ConnectError("connection refused"), timeout)
    providers.on("api.anthropic.com", httpx.ConnectTimeout(""), anthropic_reply("finally"))
    text = await completion(make_handler(keys=ONLY_OPENAI_ANTHROPIC), messages=USER)
    assert text == "finally"
    assert providers.urls() == [OPENAI_URL] * 3 + [ANTHROPIC_URL] * 2
    assert sleeps.durations == [0.5, 1.0, 0.5]


async def test_timeout_and_transport_error_messages(make_handler, providers):
    providers.on("api.openai.com", httpx.ReadTimeout("read timed out"))
    providers.on("api.anthropic.com", httpx.ConnectError(""))
    result = await completion(make_handler(keys=ONLY_OPENAI_ANTHROPIC, max_retries=0), messages=USER)
    assert result == failed(
        ("openai", "ProviderTimeoutError", "request timed out (read timed out)"),
        ("anthropic", "ServerError", "transport error: ConnectError: ConnectError"),  # no message: named by its type
    )
    assert failures(result) == [("openai", ProviderTimeoutError), ("anthropic", ServerError)]


async def test_an_error_status_whose_body_fails_to_arrive_is_a_transport_error(make_handler, providers, sleeps, caplog):
    source = Chunks([b'{"error": '], httpx.ReadError("reset"))
    broken = httpx.Response(500, stream=source)
    providers.on("api.openai.com", broken, streamed(openai_stream("ok")))
    with caplog.at_level(logging.WARNING, logger="core.llm.byok_handler"):
        text = await completion(make_handler(), "gpt-4o", USER, stream=True)
    assert text == "ok"
    assert [record.getMessage() for record in caplog.records] == ["openai/gpt-4o attempt 1 failed: openai: transport error: ReadError: reset; retrying in 0.5s"]
    assert sleeps.durations == [0.5]
    assert source.closed is True


async def test_a_non_streamed_reply_arriving_in_chunks_is_read_whole(make_handler, providers):
    source = Chunks([b'{"choices": [{"message": {"content": "Hel', b'lo"}}]}'])
    providers.on("api.openai.com", httpx.Response(200, stream=source))
    assert await completion(make_handler(), "gpt-4o", USER) == "Hello"
    assert source.closed is True


async def test_all_providers_failed_lists_every_provider_in_order(make_handler, providers, sleeps):
    providers.on("api.deepseek.com", status(500), status(500), status(500))
    providers.on("api.openai.com", status(401, {"error": {"message": "bad key"}}))
    providers.on("api.anthropic.com", status(200, b"not json"))
    result = await completion(make_handler(), messages=ADVANCED)
    assert result == failed(
        ("deepseek", "ServerError", "HTTP 500"),
        ("openai", "AuthenticationError", "HTTP 401: bad key"),
        ("anthropic", "MalformedResponseError", "malformed response: response body is not valid JSON (Expecting value: line 1 column 1 (char 0))"),
    )
    assert failures(result) == [("deepseek", ServerError), ("openai", AuthenticationError), ("anthropic", MalformedResponseError)]
    assert sleeps.durations == [0.5, 1.0]


async def test_fallback_is_logged_without_keys(make_handler, providers, caplog):
    providers.on("api.openai.com", status(500), status(401, {"error": {"message": "no"}}))
    providers.on("api.anthropic.com", anthropic_reply("ok"))
    with caplog.at_level(logging.WARNING, logger="core.llm.byok_handler"):
        assert await completion(make_handler(keys=ONLY_OPENAI_ANTHROPIC), messages=USER) == "ok"
    assert [record.getMessage() for record in caplog.records] == [
        "openai/gpt-4o-mini attempt 1 failed: openai: HTTP 500; retrying in 0.5s",
        "openai/gpt-4o-mini failed: openai: HTTP 401: no; trying the next provider",
    ]
    assert [record.levelname for record in caplog.records] == ["WARNING", "WARNING"]


async def test_failures_are_logged_to_the_logger_given(make_handler, providers, caplog):
    providers.on("api.openai.com", status(500), openai_reply("ok"))
    with caplog.at_level(logging.WARNING):
        assert await completion(make_handler(logger=logging.getLogger("audit.llm")), "gpt-4o", USER) == "ok"
    assert [(record.name, record.getMessage()) for record in caplog.records] == [
        ("audit.llm", "openai/gpt-4o attempt 1 failed: openai: HTTP 500; retrying in 0.5s"),
    ]


# --- malformed responses --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("provider", "host", "body", "problem"),
    [
        ("openai", "api.openai.com", [], "response body is not an object (got list)"),
        ("openai", "api.openai.com", {}, "response has no 'choices'"),
        ("openai", "api.openai.com", {"choices": "x"}, "response.choices is not an array (got str)"),
        ("openai", "api.openai.com", {"choices": []}, "response.choices is empty"),
        ("openai", "api.openai.com", {"choices": [1]}, "response.choices[0] is not an object (got int)"),
        ("openai", "api.openai.com", {"choices": [{}]}, "response.choices[0] has no 'message'"),
        ("openai", "api.openai.com", {"choices": [{"message": {"content": None}}]}, "response.choices[0].message.content is not a string (got NoneType)"),
        ("openai", "api.openai.com", {"choices": [{"message": {}}]}, "response.choices[0].message has no 'content'"),
        ("anthropic", "api.anthropic.com", [], "response body is not an object (got list)"),
        ("anthropic", "api.anthropic.com", {"content": {}}, "response.content is not an array (got dict)"),
        ("anthropic", "api.anthropic.com", {"content": ["a"]}, "response.content[0] is not an object (got str)"),
        ("anthropic", "api.anthropic.com", {"content": [{"text": "a"}]}, "response.content[0] has no 'type'"),
        ("anthropic", "api.anthropic.com", {"content": [{"type": "text", "text": "a"}, {"type": "text"}]}, "response.content[1] has no 'text'"),
        ("anthropic", "api.anthropic.com", {"content": [{"type": "text", "text": 5}]}, "response.content[0].text is not a string (got int)"),
        ("anthropic", "api.anthropic.com", {"message": "hi"}, "response has no 'content'"),
        ("openai", "api.openai.com", b"{", "response body is not valid JSON (Expecting property name enclosed in double quotes: line 1 column 2 (char 1))"),
    ],
)
async def test_a_body_of_the_wrong_shape_is_malformed_and_not_retried(make_handler, providers, sleeps, provider, host, body, problem):
    providers.on(host, status(200, body))
    result = await completion(make_handler(), messages=USER, provider=provider)
    assert result == failed((provider, "MalformedResponseError", f"malformed response: {problem}"))
    assert failures(result) == [(provider, MalformedResponseError)]
    assert len(providers.requests) == 1
    assert sleeps.durations == []


@pytest.mark.parametrize(
    ("body", "problem"),
    [
        (b"data: {not json\n\n", "stream chunk is not valid JSON (Expecting property name enclosed in double quotes: line 1 column 2 (char 1))"),
        (b"data: [1]\n\n", "stream chunk is not an object (got list)"),
        (b'data: {"id": 1}\n\n', "stream chunk has no 'choices'"),
        (b'data: {"choices": [7]}\n\n', "stream chunk.choices[0] is not an object (got int)"),
        (b'data: {"choices": [{"index": 0}]}\n\n', "stream chunk.choices[0] has no 'delta'"),
        (b'data: {"choices": [{"delta": {"content": 5}}]}\n\n', "stream chunk.choices[0].delta.content is not a string (got int)"),
        (b'data: {"choices": [{"delta": {}}]}\n\n', "stream ended before data: [DONE]"),
        (b'data: {"choices": []}', "stream ended before data: [DONE]"),
        (b"data: caf\xe9\n\n", "invalid event stream: malformed UTF-8 in event stream: invalid continuation byte"),
        (b"data: \xe2\x82", "invalid event stream: malformed UTF-8 in event stream: unexpected end of data"),
    ],
)
async def test_malformed_openai_stream_lines(make_handler, providers, sleeps, body, problem):
    providers.on("api.openai.com", streamed(body))
    result = await completion(make_handler(), "gpt-4o", USER, provider="openai", stream=True)
    assert result == failed(("openai", "MalformedResponseError", f"malformed response: {problem}"))
    assert len(providers.requests) == 1
    assert sleeps.durations == []


@pytest.mark.parametrize(
    ("events", "problem"),
    [
        ([(None, {"delta": {}})], "stream event has no 'type'"),
        ([(None, [1])], "stream event is not an object (got list)"),
        ([(None, "[DONE]")], "stream event is not valid JSON (Expecting value: line 1 column 2 (char 1))"),
        ([("content_block_delta", {"type": "content_block_delta", "delta": "x"})], "content_block_delta.delta is not an object (got str)"),
        ([("content_block_delta", {"type": "content_block_delta"})], "content_block_delta has no 'delta'"),
        ([("content_block_delta", {"type": "content_block_delta", "delta": {"type": "text_delta", "text": None}})], "content_block_delta.delta.text is not a string (got NoneType)"),
        ([("message_start", {"type": "message_start"})], "stream ended before message_stop"),
        ([("message_start", {"type": 3})], "stream event.type is not a string (got int)"),
    ],
)
async def test_malformed_anthropic_stream_events(make_handler, providers, events, problem):
    providers.on("api.anthropic.com", streamed(sse(*events)))
    result = await completion(make_handler(), "claude-sonnet-4-5", USER, provider="anthropic", stream=True)
    assert result == failed(("anthropic", "MalformedResponseError", f"malformed response: {problem}"))
    assert len(providers.requests) == 1


@pytest.mark.parametrize(
    ("error", "kind", "message", "retried"),
    [
        ({"type": "overloaded_error", "message": "Overloaded"}, "ServerError", "stream error: overloaded_error: Overloaded", True),
        ({"type": "api_error", "message": "Internal"}, "ServerError", "stream error: api_error: Internal", True),
        ({"type": "rate_limit_error", "message": "Slow"}, "RateLimitedError", "stream error: rate_limit_error: Slow", True),
        ({"type": "authentication_error", "message": "Bad key"}, "AuthenticationError", "stream error: authentication_error: Bad key", False),
        ({"type": "permission_error", "message": "No"}, "AuthenticationError", "stream error: permission_error: No", False),
        ({"type": "invalid_request_error", "message": "Too long"}, "ProviderError", "stream error: invalid_request_error: Too long", False),
        ({"type": ["odd"]}, "ProviderError", "stream error: unknown_error", False),
        ({"type": "overloaded_error", "message": 5}, "ServerError", "stream error: overloaded_error", True),
        ("boom", "ProviderError", "stream error", False),
    ],
)
async def test_an_anthropic_error_event_is_a_provider_error(make_handler, providers, sleeps, error, kind, message, retried):
    body = sse(("message_start", {"type": "message_start"}), ("error", {"type": "error", "error": error}))
    providers.on("api.anthropic.com", *[streamed(body) for _ in range(3)])
    result = await completion(make_handler(), "claude-sonnet-4-5", USER, provider="anthropic", stream=True)
    assert result == failed(("anthropic", kind, message))
    assert type(result.exception.errors[0][1]).__name__ == kind
    assert len(providers.requests) == (3 if retried else 1)
    assert sleeps.durations == ([0.5, 1.0] if retried else [])


@pytest.mark.parametrize(
    ("payload", "message"),
    [({"error": {"message": "overloaded"}}, "stream error: overloaded"), ({"error": 5}, "stream error: error in stream")],
)
async def test_an_openai_error_chunk_is_a_server_error_and_retried(make_handler, providers, sleeps, payload, message):
    providers.on("api.openai.com", streamed(sse((None, payload))), streamed(openai_stream("fine")))
    handler = make_handler(max_retries=1)
    assert await completion(handler, "gpt-4o", USER, stream=True) == "fine"
    assert sleeps.durations == [0.5]
    providers.on("api.openai.com", streamed(sse((None, payload))), streamed(sse((None, payload))))
    result = await completion(handler, "gpt-4o", USER, provider="openai", stream=True)
    assert result == failed(("openai", "ServerError", message))


# --- streams that fail part-way -------------------------------------------------------------


async def test_a_stream_failing_after_text_raises_stream_interrupted_without_retry(make_handler, providers, sleeps):
    body = openai_stream("Hello, ", "wor", "ld")
    cut = body.index(b"ld")
    response = streamed(body[:cut], 60, error=httpx.ReadError("connection reset"))
    providers.on("api.openai.com", response)
    chunks = await chunks_of(make_handler(), "gpt-4o", USER, stream=True)
    assert chunks == [
        "Hello, ",
        "wor",
        Raised("StreamInterruptedError: openai stream interrupted after 10 characters: openai: transport error: ReadError: connection reset"),
    ]
    error = chunks[2].exception
    assert error.emitted_text == "Hello, wor"
    assert type(error.cause) is ServerError
    assert providers.urls() == [OPENAI_URL]
    assert sleeps.durations == []
    assert response.source.closed is True


async def test_awaiting_an_interrupted_stream_raises_with_the_emitted_text(make_handler, providers):
    body = anthropic_stream("abc", "def")
    providers.on("api.anthropic.com", streamed(body[: body.index(b"message_stop") - 7]))
    result = await completion(make_handler(), messages=USER, provider="anthropic", stream=True)
    assert result == Raised("StreamInterruptedError: anthropic stream interrupted after 6 characters: anthropic: malformed response: stream ended before message_stop")
    assert result.exception.emitted_text == "abcdef"
    assert len(providers.requests) == 1


async def test_a_stream_failing_before_any_text_is_retried(make_handler, providers, sleeps):
    role_only = sse((None, {"choices": [{"index": 0, "delta": {"role": "assistant"}}]}))
    providers.on("api.openai.com", streamed(role_only, error=httpx.ReadError("reset")), streamed(openai_stream("second")))
    assert await completion(make_handler(), "gpt-4o", USER, stream=True) == "second"
    assert providers.urls() == [OPENAI_URL, OPENAI_URL]
    assert sleeps.durations == [0.5]


async def test_stopping_an_iteration_closes_the_response(make_handler, providers):
    response = streamed(openai_stream("a", "b", "c"), 70, 140)
    providers.on("api.openai.com", response)
    call = make_handler().stream_completion("gpt-4o", USER, stream=True)
    iterator = aiter(call)
    assert await outcome(anext(iterator)) == "a"
    await call.aclose()
    assert response.source.closed is True
    assert await outcome(anext(iterator)) == Raised("StopAsyncIteration: ")


async def test_a_last_event_without_its_blank_line_still_counts(make_handler, providers):
    events = anthropic_events("abc")
    providers.on("api.anthropic.com", streamed(sse(*events)[:-1]))
    assert await completion(make_handler(), "claude-sonnet-4-5", USER, stream=True) == "abc"
    providers.on("api.openai.com", streamed(b'data: {"choices": [{"delta": {"content": "tail"}}]}'))
    result = await completion(make_handler(), "gpt-4o", USER, stream=True)
    assert result == Raised("StreamInterruptedError: openai stream interrupted after 4 characters: openai: malformed response: stream ended before data: [DONE]")
    assert result.exception.emitted_text == "tail"


async def test_stopping_at_a_chunk_from_the_end_of_stream_closes_the_response(make_handler, providers):
    response = streamed(b'data: {"choices": [{"delta": {"content": "tail"}}]}')
    providers.on("api.openai.com", response)
    call = make_handler().stream_completion("gpt-4o", USER, stream=True)
    iterator = aiter(call)
    assert await outcome(anext(iterator)) == "tail"
    await call.aclose()
    assert response.source.closed is True


# --- rate limiting --------------------------------------------------------------------------


async def test_over_the_rate_limit_is_rejected_before_sending(make_handler, providers, clock):
    providers.on("api.openai.com", openai_reply("1"), openai_reply("2"), openai_reply("3"))
    providers.on("api.anthropic.com", anthropic_reply("a"))
    handler = make_handler(rate_limit=2)
    assert await completion(handler, "gpt-4o", USER) == "1"
    clock.now += 15
    assert await completion(handler, "gpt-4o", USER) == "2"
    result = await completion(handler, "gpt-4o", USER)
    assert result == Raised("RateLimitExceededError: rate limit of 2 requests per 60s exceeded for ws-1/openai; retry in 45.0s")
    assert result.exception.retry_after == 45.0
    assert await completion(handler, "claude-sonnet-4-5", USER) == "a"
    assert len(providers.requests) == 3
    clock.now += 45
    assert await completion(handler, "gpt-4o", USER) == "3"
    assert providers.urls() == [OPENAI_URL, OPENAI_URL, ANTHROPIC_URL, OPENAI_URL]


async def test_retries_take_rate_limit_slots_and_a_rejection_is_not_retried(make_handler, providers, sleeps):
    providers.on("api.openai.com", status(500))
    result = await completion(make_handler(rate_limit=1), "gpt-4o", USER)
    assert result == Raised("RateLimitExceededError: rate limit of 1 requests per 60s exceeded for ws-1/openai; retry in 60.0s")
    assert providers.urls() == [OPENAI_URL]
    assert sleeps.durations == [0.5]


async def test_a_thousand_concurrent_calls_admit_exactly_the_limit(make_handler, providers):
    providers.on("api.openai.com", *[openai_reply(f"r{index}") for index in range(10)])
    handler = make_handler(rate_limit=10)
    results = await asyncio.gather(*[completion(handler, "gpt-4o", USER) for _ in range(1000)])
    texts = sorted(result for result in results if isinstance(result, str))
    assert texts == sorted(f"r{index}" for index in range(10))
    rejected = [result for result in results if not isinstance(result, str)]
    assert {result.error for result in rejected} == {"RateLimitExceededError: rate limit of 10 requests per 60s exceeded for ws-1/openai; retry in 60.0s"}
    assert len(rejected) == 990
    assert len(providers.requests) == 10


# --- validation -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ({}, "messages must be a non-empty list of {'role', 'content'} dicts, got None"),
        ({"messages": []}, "messages must be a non-empty list of {'role', 'content'} dicts, got []"),
        ({"messages": ({"role": "user", "content": "x"},)}, "messages must be a non-empty list of {'role', 'content'} dicts, got ({'role': 'user', 'content': 'x'},)"),
        ({"messages": [{"role": "user", "content": "x"}, "hi"]}, "messages[1] must be a dict, got str"),
        ({"messages": [{"role": "user", "content": "x", "name": "bob"}]}, "messages[0] has unknown keys ['name'] (allowed: role, content)"),
        ({"messages": [{"role": "tool", "content": "x"}]}, "messages[0].role must be one of system, user, assistant, got 'tool'"),
        ({"messages": [{"content": "x"}]}, "messages[0].role must be one of system, user, assistant, got None"),
        ({"messages": [{"role": ["user"], "content": "x"}]}, "messages[0].role must be one of system, user, assistant, got ['user']"),
        ({"messages": [USER[0], {"role": "user"}]}, "messages[1].content must be a str, got NoneType"),
        ({"messages": [{"role": "user", "content": 5}]}, "messages[0].content must be a str, got int"),
        ({"messages": [{"role": "user", "content": "a\ud800"}]}, "messages[0].content is not valid unicode: surrogates not allowed at 1"),
        ({"messages": USER, "provider": "mistral"}, "unknown provider 'mistral' (known: auto, openai, anthropic, deepseek, groq, moonshot)"),
        ({"messages": USER, "stream": "yes"}, "stream must be True or False, got 'yes'"),
        ({"messages": USER, "model": "gpt-9"}, "unknown model 'gpt-9'"),
        ({"messages": USER, "model": "gpt-4o", "provider": "anthropic"}, "model 'gpt-4o' is served by 'openai', not 'anthropic'"),
        ({"messages": USER, "temperature": 2.5}, "temperature must be a number from 0 to 2, got 2.5"),
        ({"messages": USER, "temperature": -0.1}, "temperature must be a number from 0 to 2, got -0.1"),
        ({"messages": USER, "temperature": float("nan")}, "temperature must be a number from 0 to 2, got nan"),
        ({"messages": USER, "temperature": True}, "temperature must be a number from 0 to 2, got True"),
        ({"messages": USER, "temperature": "1"}, "temperature must be a number from 0 to 2, got '1'"),
        ({"messages": USER, "top_p": 1.01}, "top_p must be a number from 0 to 1, got 1.01"),
        ({"messages": USER, "top_p": -1}, "top_p must be a number from 0 to 1, got -1"),
        ({"messages": USER, "max_tokens": 0}, "max_tokens must be an int from 1 to 1000000, got 0"),
        ({"messages": USER, "max_tokens": 1_000_001}, "max_tokens must be an int from 1 to 1000000, got 1000001"),
        ({"messages": USER, "max_tokens": 10.0}, "max_tokens must be an int from 1 to 1000000, got 10.0"),
        ({"messages": USER, "max_tokens": True}, "max_tokens must be an int from 1 to 1000000, got True"),
        ({"messages": USER, "seed": 1}, "unknown parameter 'seed' (allowed: max_tokens, temperature, top_p)"),
    ],
)
async def test_invalid_calls_are_rejected_before_any_request(make_handler, providers, arguments, message):
    assert returned(make_handler().stream_completion, **arguments) == Raised(f"ValueError: {message}")
    assert providers.requests == []


async def test_parameter_bounds_are_inclusive(make_handler, providers):
    providers.on("api.openai.com", *[openai_reply("ok")] * 2)
    handler = make_handler()
    assert await completion(handler, "gpt-4o", USER, temperature=0, top_p=0, max_tokens=1) == "ok"
    assert await completion(handler, "gpt-4o", USER, temperature=2, top_p=1, max_tokens=1_000_000) == "ok"
    assert [body["temperature"] for body in providers.bodies()] == [0, 2]


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"provider_priority": ("openai", "mistral")}, "unknown provider 'mistral' (known: auto, openai, anthropic, deepseek, groq, moonshot)"),
        ({"provider_priority": ["openai", "openai"]}, "provider_priority must list distinct providers, got ('openai', 'openai')"),
        ({"provider_priority": ["auto"]}, "provider_priority must list distinct providers, got ('auto',)"),
        ({"base_urls": {"mistral": "http://x"}}, "base_urls: unknown provider 'mistral'"),
        ({"max_retries": -1}, "max_retries must be an int >= 0, got -1"),
        ({"max_retries": True}, "max_retries must be an int >= 0, got True"),
        # A nan rate limit was accepted, and then every call raised IndexError from the limiter.
        ({"rate_limit": float("nan")}, "rate_limit must be an int >= 1, got nan"),
        ({"rate_limit": float("inf")}, "rate_limit must be an int >= 1, got inf"),
        ({"rate_limit": True}, "rate_limit must be an int >= 1, got True"),
        ({"rate_limit": 2.5}, "rate_limit must be an int >= 1, got 2.5"),
        ({"rate_limit": 60.0}, "rate_limit must be an int >= 1, got 60.0"),
        ({"rate_limit": 0}, "rate_limit must be an int >= 1, got 0"),
        ({"rate_limit": "60"}, "rate_limit must be an int >= 1, got '60'"),
        ({"backoff_seconds": float("nan")}, "backoff_seconds must be a finite number >= 0, got nan"),
        ({"backoff_seconds": -0.5}, "backoff_seconds must be a finite number >= 0, got -0.5"),
        ({"backoff_seconds": True}, "backoff_seconds must be a finite number >= 0, got True"),
        ({"max_backoff_seconds": float("inf")}, "max_backoff_seconds must be a finite number >= 0, got inf"),
        ({"max_backoff_seconds": -1}, "max_backoff_seconds must be a finite number >= 0, got -1"),
        ({"max_backoff_seconds": "30"}, "max_backoff_seconds must be a finite number >= 0, got '30'"),
        ({"request_timeout": 0}, "request_timeout must be a finite number > 0, got 0"),
        ({"request_timeout": float("nan")}, "request_timeout must be a finite number > 0, got nan"),
        ({"request_timeout": float("-inf")}, "request_timeout must be a finite number > 0, got -inf"),
        ({"request_timeout": None}, "request_timeout must be a finite number > 0, got None"),
        ({"request_timeout": False}, "request_timeout must be a finite number > 0, got False"),
    ],
)
async def test_invalid_handler_options_are_rejected(options, message):
    assert returned(BYOKHandler, "ws-1", http_client=object(), **options) == Raised(f"ValueError: {message}")


async def test_zero_retries_is_accepted():
    handler = returned(BYOKHandler, "ws-1", http_client=object(), max_retries=0)
    assert returned(repr, handler) == f"BYOKHandler(workspace_id='ws-1', provider_priority={PRIORITY!r}, max_retries=0, rate_limit=None)"


async def test_the_smallest_numbers_of_each_option_are_accepted():
    options = {"max_retries": 0, "rate_limit": 1, "backoff_seconds": 0, "max_backoff_seconds": 0, "request_timeout": 0.001}
    handler = returned(BYOKHandler, "ws-1", http_client=object(), **options)
    assert returned(repr, handler) == f"BYOKHandler(workspace_id='ws-1', provider_priority={PRIORITY!r}, max_retries=0, rate_limit=1)"
    assert returned(lambda: (handler.backoff_seconds, handler.max_backoff_seconds, handler.request_timeout)) == (0, 0, 0.001)
    assert returned(lambda: (handler._limiter.limit, handler._limiter.window_seconds)) == (1, 60.0)
    integral = returned(BYOKHandler, "ws-1", http_client=object(), backoff_seconds=2, max_backoff_seconds=10, request_timeout=5)
    assert returned(lambda: (integral.backoff_seconds, integral.max_backoff_seconds, integral.request_timeout)) == (2, 10, 5)


async def test_provider_priority_orders_the_fallbacks(make_handler, providers):
    providers.on("api.anthropic.com", status(500), status(500), status(500))
    providers.on("api.moonshot.ai", openai_reply("moon"))
    handler = make_handler(provider_priority=["anthropic", "moonshot", "openai"], max_retries=2)
    assert routes(handler, "claude-sonnet-4-5", USER) == [("anthropic", "claude-sonnet-4-5"), ("moonshot", "kimi-k2-0905-preview"), ("openai", "gpt-4.1")]
    assert await completion(handler, "claude-sonnet-4-5", USER) == "moon"
    assert providers.urls() == [ANTHROPIC_URL] * 3 + [MOONSHOT_URL]


# --- missing keys ---------------------------------------------------------------------------


async def test_missing_keys_name_the_providers(make_handler, providers):
    handler = make_handler(keys={"ws-1": {"anthropic": WS1["anthropic"]}})
    assert returned(handler.stream_completion, messages=USER, provider="openai") == Raised("MissingKeyError: workspace 'ws-1' has no API key for: openai")
    empty = make_handler(keys={})
    assert returned(empty.stream_completion, messages=USER) == Raised(
        "MissingKeyError: workspace 'ws-1' has no API key for: openai, anthropic, deepseek, groq, moonshot"
    )
    assert returned(empty.stream_completion, "deepseek-chat", USER) == Raised(
        "MissingKeyError: workspace 'ws-1' has no API key for: deepseek, openai, anthropic, groq, moonshot"
    )
    assert providers.requests == []


async def test_a_model_whose_provider_has_no_key_falls_back_to_keyed_providers(make_handler, providers):
    providers.on("api.openai.com", status(400, {"error": {"message": "nope"}}))
    providers.on("api.anthropic.com", status(400, {"error": {"message": "nope too"}}))
    handler = make_handler(keys=ONLY_OPENAI_ANTHROPIC)
    assert routes(handler, "deepseek-chat", USER) == [("deepseek", "deepseek-chat"), ("openai", "gpt-4.1"), ("anthropic", "claude-sonnet-4-5")]
    result = await completion(handler, "deepseek-chat", USER)
    assert result == Raised(
        "AllProvidersFailedError: all providers failed: deepseek: MissingKeyError: workspace 'ws-1' has no API key for: deepseek; "
        "openai: ProviderError: openai: HTTP 400: nope; anthropic: ProviderError: anthropic: HTTP 400: nope too"
    )
    assert failures(result) == [("deepseek", MissingKeyError), ("openai", ProviderError), ("anthropic", ProviderError)]
    assert providers.urls() == [OPENAI_URL, ANTHROPIC_URL]


# --- the call object, defaults, delegation --------------------------------------------------


async def test_a_call_runs_once(make_handler, providers):
    providers.on("api.openai.com", openai_reply("once"))
    call = returned(make_handler().stream_completion, "gpt-4o", USER)
    routes_shown = "routes=[openai/gpt-4o, anthropic/claude-sonnet-4-5, deepseek/deepseek-chat, moonshot/kimi-k2-0905-preview]"
    assert returned(repr, call) == f"CompletionCall(workspace_id='ws-1', {routes_shown}, stream=False, pending)"
    assert await outcome(call) == "once"
    assert returned(repr, call) == f"CompletionCall(workspace_id='ws-1', {routes_shown}, stream=False, started)"
    assert await outcome(call) == Raised("RuntimeError: this completion call was already run; call stream_completion again")
    assert returned(aiter, call) == Raised("RuntimeError: this completion call was already run; call stream_completion again")
    await call.aclose()
    assert len(providers.requests) == 1


async def test_a_non_streamed_call_iterates_as_one_chunk(make_handler, providers):
    providers.on("api.openai.com", openai_reply("whole"), openai_reply(""))
    handler = make_handler()
    assert await chunks_of(handler, "gpt-4o", USER) == ["whole"]
    assert await chunks_of(handler, "gpt-4o", USER) == []
    await handler.stream_completion("gpt-4o", USER).aclose()
    assert len(providers.requests) == 2


async def test_defaults_read_keys_from_the_environment_and_close_their_own_client(monkeypatch):
    for name in ("OPENAI", "ANTHROPIC", "DEEPSEEK", "GROQ", "MOONSHOT"):
        monkeypatch.delenv(f"{name}_API_KEY", raising=False)
    monkeypatch.setenv("MOONSHOT_API_KEY", "sk-env-moonshot-123456")
    handler = returned(BYOKHandler, "ws-env")
    assert returned(repr, handler) == f"BYOKHandler(workspace_id='ws-env', provider_priority={PRIORITY!r}, max_retries=2, rate_limit=None)"
    client = handler._client
    assert type(client) is httpx.AsyncClient
    async with handler:
        assert routes(handler, messages=USER) == [("moonshot", "moonshot-v1-8k")]
        assert client.is_closed is False
    assert client.is_closed is True


async def test_a_client_passed_in_stays_open(providers):
    async with httpx.AsyncClient(transport=httpx.MockTransport(providers)) as client:
        handler = returned(BYOKHandler, "ws-1", http_client=client, rate_limit=5)
        assert returned(repr, handler) == f"BYOKHandler(workspace_id='ws-1', provider_priority={PRIORITY!r}, max_retries=2, rate_limit=5)"
        async with handler:
            assert handler._client is client
        assert client.is_closed is False


async def test_token_counting_and_cost_estimates_delegate(make_handler):
    handler = make_handler()
    assert returned(handler.count_tokens, "hello world", "gpt-4o") == 2
    assert returned(handler.count_tokens, "hello world", "claude-sonnet-4-5") == 3
    assert returned(handler.estimate_cost, "gpt-4o", 1000, 500) == Decimal("0.0075")
    assert returned(handler.estimate_cost, "gpt-9", 1, 1) == Raised("ValueError: unknown model 'gpt-9'")


# --- keys never leak ------------------------------------------------------------------------

CANARY = "sk-CANARY-7f3a9e1b5d2c8f4a6e0b"
CANARY_ANT = "sk-ant-CANARY-1122334455667788"


async def test_canary_keys_never_appear_in_logs_errors_or_reprs(providers, sleeps, caplog):
    keys = {"ws-c": {"openai": CANARY, "anthropic": CANARY_ANT}}
    providers.on(
        "api.openai.com",
        status(500, {"error": {"message": f"upstream saw keys {CANARY} and {CANARY_ANT}"}}),
        httpx.ReadTimeout(f"timeout talking with {CANARY}"),
        status(401, {"error": {"message": f"Incorrect API key provided: {CANARY}"}}),
    )
    providers.on(
        "api.anthropic.com",
        status(429, {"error": {"type": "rate_limit_error", "message": f"keys {CANARY_ANT} and {CANARY} over quota"}}, {"Retry-After": "1"}),
        httpx.ConnectError(f"refused for {CANARY_ANT}"),
        status(403, {"error": {"message": f"{CANARY_ANT} forbidden"}}),
    )
    seen = []
    with caplog.at_level(logging.DEBUG):
        async with httpx.AsyncClient(transport=httpx.MockTransport(providers)) as client:
            handler = BYOKHandler("ws-c", key_store=InMemoryKeyStore(keys), http_client=client, sleep=sleeps.sleep, provider_priority=["openai", "anthropic"])
            call = handler.stream_completion(messages=USER)
            seen += [repr(handler), repr(call), str(call.routes())]
            result = await outcome(call)
            seen += [result.error, repr(result.exception), repr(call)]
            seen += [f"{error!s} {error!r}" for _, error in result.exception.errors]
            body = openai_stream("x", "y")
            providers.on("api.openai.com", streamed(body[:-20], error=httpx.ReadError(f"reset by {CANARY}")))
            interrupted = await completion(handler, "gpt-4o", USER, provider="openai", stream=True)
            seen += [interrupted.error, repr(interrupted.exception), str(interrupted.exception.cause)]
    assert [record.getMessage() for record in caplog.records if record.name == "core.llm.byok_handler"] == [
        "openai/gpt-4o-mini attempt 1 failed: openai: HTTP 500: upstream saw keys sk-…6e0b and sk-…7788; retrying in 0.5s",
        "openai/gpt-4o-mini attempt 2 failed: openai: request timed out (timeout talking with sk-…6e0b); retrying in 1.0s",
        "openai/gpt-4o-mini failed: openai: HTTP 401: Incorrect API key provided: sk-…6e0b; trying the next provider",
        "anthropic/claude-3-5-haiku-latest attempt 1 failed: anthropic: HTTP 429: keys sk-…7788 and sk-…6e0b over quota; retrying in 1.0s",
        "anthropic/claude-3-5-haiku-latest attempt 2 failed: anthropic: transport error: ConnectError: refused for sk-…7788; retrying in 1.0s",
        "anthropic/claude-3-5-haiku-latest failed: anthropic: HTTP 403: sk-…7788 forbidden; trying the next provider",
    ]
    assert result == failed(
        ("openai", "AuthenticationError", "HTTP 401: Incorrect API key provided: sk-…6e0b"),
        ("anthropic", "AuthenticationError", "HTTP 403: sk-…7788 forbidden"),
    )
    assert interrupted == Raised("StreamInterruptedError: openai stream interrupted after 1 characters: openai: transport error: ReadError: reset by sk-…6e0b")
    assert interrupted.exception.emitted_text == "x"
    seen += [record.getMessage() for record in caplog.records]
    seen += [repr(record.args) for record in caplog.records]
    for text in seen:
        assert CANARY not in text
        assert CANARY_ANT not in text
        assert "CANARY" not in text


# Keys pasted with a character no header can carry: httpx raised UnicodeEncodeError holding
# "Bearer <the whole key>" and no fallback was tried. Each has a core ("canary-0123456789")
# that must appear nowhere: not in errors, their reprs, log messages or log arguments.
KEY_CORE = "canary-0123456789"
RULE = "a key holds only printable ASCII other than space"
MALFORMED_KEYS = [
    ("sk-ZWSP-canary-0123456789\u200b", f"character 26 is U+200B ZERO WIDTH SPACE; {RULE}"),
    ("sk-SPACE-canary 0123456789", f"character 16 is U+0020 SPACE; {RULE}"),
    ("sk-LF-canary-01234\n56789", f"character 19 is U+000A; {RULE}"),
    ("sk-ACCENT-canary-\u00e90123456789", f"character 18 is U+00E9 LATIN SMALL LETTER E WITH ACUTE; {RULE}"),
    ("\u2060sk-WJ-canary-0123456789", f"character 1 is U+2060 WORD JOINER; {RULE}"),
    ("sk-DEL-canary-0123456789\x7f", f"character 25 is U+007F; {RULE}"),
]


def malformed(workspace, provider, problem):
    """The message of the InvalidKeyError for `provider`'s key in `workspace`."""
    return f"workspace {workspace!r} has a malformed API key for {provider}: {problem}; it was not sent"


def everything_shown(result, caplog):
    """Every text a caller or an operator can see: the error, its repr, its listed errors, the logs."""
    texts = [record.getMessage() for record in caplog.records] + [repr(record.args) for record in caplog.records]
    if isinstance(result, Raised):
        texts += [result.error, repr(result.exception), str(result.exception.args)]
        texts += [f"{error!s} {error!r}" for _, error in getattr(result.exception, "errors", [])]
    return texts


def handler_logs(caplog):
    """(level, message) of what the handler logged."""
    return [(record.levelname, record.getMessage()) for record in caplog.records if record.name == "core.llm.byok_handler"]


def holding(fragment, texts):
    return [text for text in texts if fragment in text]


def skipped_log(route, message):
    return f"{route} skipped: {message}; trying the next provider"


@pytest.mark.parametrize(("key", "problem"), MALFORMED_KEYS)
async def test_a_malformed_key_is_skipped_before_any_request_and_the_next_provider_answers(make_handler, providers, caplog, key, problem):
    providers.on("api.anthropic.com", anthropic_reply("from anthropic"))
    handler = make_handler("ws-m", keys={"ws-m": {"openai": key, "anthropic": WS1["anthropic"]}})
    assert routes(handler, "gpt-4o", USER) == [("openai", "gpt-4o"), ("anthropic", "claude-sonnet-4-5")]
    with caplog.at_level(logging.DEBUG):
        result = await completion(handler, "gpt-4o", USER)
    assert result == "from anthropic"
    assert handler_logs(caplog) == [("WARNING", skipped_log("openai/gpt-4o", malformed("ws-m", "openai", problem)))]
    assert providers.urls() == [ANTHROPIC_URL]
    assert sent_headers(providers.requests[0], ["x-api-key"]) == {"x-api-key": WS1["anthropic"]}
    assert holding(KEY_CORE, everything_shown(result, caplog)) == []


@pytest.mark.parametrize(("key", "problem"), MALFORMED_KEYS)
async def test_an_explicit_provider_with_a_malformed_key_is_refused_at_once(make_handler, providers, caplog, key, problem):
    handler = make_handler("ws-m", keys={"ws-m": {"openai": key, "anthropic": WS1["anthropic"]}})
    with caplog.at_level(logging.DEBUG):
        result = returned(handler.stream_completion, "gpt-4o", USER, provider="openai", stream=True)
        without_model = returned(handler.stream_completion, messages=USER, provider="openai")
    assert result == Raised(f"InvalidKeyError: {malformed('ws-m', 'openai', problem)}")
    assert without_model == result
    error = result.exception
    assert returned(lambda: (isinstance(error, MissingKeyError), error.workspace_id, error.provider)) == (True, "ws-m", "openai")
    assert providers.requests == []
    assert caplog.records == []
    assert holding(KEY_CORE, everything_shown(result, caplog)) == []


async def test_when_every_key_is_malformed_the_stream_fails_listing_each_and_nothing_is_sent(make_handler, providers, caplog):
    (openai_key, openai_problem), (anthropic_key, anthropic_problem) = MALFORMED_KEYS[0], MALFORMED_KEYS[3]
    handler = make_handler("ws-m", keys={"ws-m": {"openai": openai_key, "anthropic": anthropic_key}})
    with caplog.at_level(logging.WARNING, logger="core.llm.byok_handler"):
        chunks = await chunks_of(handler, messages=USER, stream=True)
    first = malformed("ws-m", "openai", openai_problem)
    second = malformed("ws-m", "anthropic", anthropic_problem)
    assert chunks == [
        Raised(f"AllProvidersFailedError: all providers failed: openai: InvalidKeyError: {first}; anthropic: InvalidKeyError: {second}")
    ]
    assert failures(chunks[0]) == [("openai", InvalidKeyError), ("anthropic", InvalidKeyError)]
    assert [record.getMessage() for record in caplog.records] == [
        skipped_log("openai/gpt-4o-mini", first),
        skipped_log("anthropic/claude-3-5-haiku-latest", second),
    ]
    assert providers.requests == []
    assert holding(KEY_CORE, everything_shown(chunks[0], caplog)) == []


async def test_a_missing_key_is_skipped_silently_and_a_malformed_one_with_a_warning(make_handler, providers, caplog):
    key, problem = MALFORMED_KEYS[1]
    providers.on("api.anthropic.com", anthropic_reply("ok"))
    handler = make_handler(keys={"ws-1": {"openai": key, "anthropic": WS1["anthropic"]}})
    assert routes(handler, "deepseek-chat", USER) == [("deepseek", "deepseek-chat"), ("openai", "gpt-4.1"), ("anthropic", "claude-sonnet-4-5")]
    with caplog.at_level(logging.DEBUG):
        assert await completion(handler, "deepseek-chat", USER) == "ok"
    assert handler_logs(caplog) == [("WARNING", skipped_log("openai/gpt-4.1", malformed("ws-1", "openai", problem)))]
    assert providers.urls() == [ANTHROPIC_URL]


async def test_a_key_that_is_not_a_string_is_refused_and_left_out_of_redaction(make_handler, providers):
    keys = {"ws-1": {"openai": WS1["openai"], "groq": b"gsk-bytes-key-000000", "deepseek": 12345678901234}}
    handler = make_handler(keys=keys)
    assert returned(handler.stream_completion, messages=USER, provider="groq") == Raised(
        f"InvalidKeyError: {malformed('ws-1', 'groq', 'it is not a string (got bytes)')}"
    )
    # Redaction over every workspace key must not trip over the keys that are no text.
    providers.on("api.openai.com", status(400, {"error": {"message": f"bad request for {WS1['openai']}"}}))
    assert await completion(handler, "gpt-4o", USER, provider="openai") == failed(("openai", "ProviderError", "HTTP 400: bad request for sk-…0001"))
    assert providers.urls() == [OPENAI_URL]


async def test_an_error_echoing_any_key_of_the_workspace_is_redacted(make_handler, providers, caplog):
    # Only openai is tried; the body echoes the workspace's other keys, which were not redacted.
    zwsp_key = MALFORMED_KEYS[0][0]
    keys = {"ws-1": {**WS1, "deepseek": zwsp_key}, "ws-2": WS2}
    echoed = " ".join([WS1["anthropic"], WS1["groq"], WS1["moonshot"], zwsp_key, WS1["openai"]])
    providers.on("api.openai.com", status(500, {"error": {"message": f"saw {echoed}"}}), status(401, {"error": {"message": f"bad {echoed}"}}))
    handler = make_handler(keys=keys, provider_priority=["openai"], max_retries=1)
    with caplog.at_level(logging.WARNING, logger="core.llm.byok_handler"):
        result = await completion(handler, "gpt-4o", USER, provider="openai")
    masked = "sk-…0002 gsk…0004 sk-…0005 sk-…789\u200b sk-…0001"
    assert result == failed(("openai", "AuthenticationError", f"HTTP 401: bad {masked}"))
    assert [record.getMessage() for record in caplog.records] == [
        f"openai/gpt-4o attempt 1 failed: openai: HTTP 500: saw {masked}; retrying in 0.5s",
        f"openai/gpt-4o failed: openai: HTTP 401: bad {masked}; trying the next provider",
    ]
    shown = everything_shown(result, caplog)
    for key in [*WS1.values(), KEY_CORE]:
        assert holding(key, shown) == []


async def test_completion_text_is_returned_as_the_provider_sent_it_not_redacted(make_handler, providers):
    providers.on("api.openai.com", openai_reply(f"your key is {WS1['openai']}"))
    assert await completion(make_handler(), "gpt-4o", USER) == f"your key is {WS1['openai']}"


# --- properties ---------------------------------------------------------------------------


def echo_stream(provider, pieces):
    """A provider that streams the user's content back, split into `pieces` sized parts."""

    def reply(request):
        text = json.loads(request.content)["messages"][-1]["content"]
        bounds = [0, *sorted({min(piece, len(text)) for piece in pieces}), len(text)]
        parts = [text[start:end] for start, end in zip(bounds, bounds[1:]) if end > start]
        body = anthropic_stream(*parts) if provider == "anthropic" else openai_stream(*parts)
        return httpx.Response(200, headers={"content-type": "text/event-stream"}, content=body)

    return reply


@settings(max_examples=60)
@given(
    content=st.text(),
    provider=st.sampled_from(["openai", "anthropic", "deepseek", "groq", "moonshot"]),
    pieces=st.lists(st.integers(min_value=0, max_value=40), max_size=6),
)
async def test_any_unicode_content_round_trips_through_streaming(content, provider, pieces):
    providers = Providers()
    host = {"openai": "api.openai.com", "anthropic": "api.anthropic.com", "deepseek": "api.deepseek.com", "groq": "api.groq.com", "moonshot": "api.moonshot.ai"}[provider]
    providers.on(host, echo_stream(provider, pieces))
    async with httpx.AsyncClient(transport=httpx.MockTransport(providers)) as client:
        handler = BYOKHandler("ws-1", key_store=InMemoryKeyStore(KEYS), http_client=client)
        text = await completion(handler, messages=[{"role": "user", "content": content}], provider=provider, stream=True)
    assert text == content
    assert [body["messages"] for body in providers.bodies()] == [[{"role": "user", "content": content}]]


@settings(max_examples=80)
@given(
    texts=st.lists(st.text(min_size=1), min_size=1, max_size=5),
    anthropic=st.booleans(),
    newline=st.sampled_from(["\n", "\r\n", "\r"]),
    data=st.data(),
)
async def test_splitting_an_sse_body_anywhere_gives_the_same_text(texts, anthropic, newline, data):
    events = anthropic_events(*texts) if anthropic else openai_events(*texts)
    body = sse(*events, newline=newline)
    cuts = sorted(data.draw(st.sets(st.integers(min_value=1, max_value=len(body) - 1), max_size=12)))
    providers = Providers()
    host = "api.anthropic.com" if anthropic else "api.openai.com"
    providers.on(host, streamed(body, *cuts))
    async with httpx.AsyncClient(transport=httpx.MockTransport(providers)) as client:
        handler = BYOKHandler("ws-1", key_store=InMemoryKeyStore(KEYS), http_client=client)
        provider = "anthropic" if anthropic else "openai"
        chunks = await chunks_of(handler, messages=USER, provider=provider, stream=True)
    assert chunks == texts


# --- the SSE decoder on its own -------------------------------------------------------------


def decode_bytewise(body):
    decoder = SSEDecoder()
    events = []
    for index in range(len(body)):
        events += decoder.feed(body[index : index + 1])
    return events + decoder.close()


def test_sse_decoder_fields_comments_and_line_endings():
    body = (
        "\ufeffevent: update\r\n"
        ": comment\r\n"
        "id: 7\r\n"
        "retry: 100\r\n"
        "data:first\r"
        "data:  second\n"
        "bogus: x\n"
        "data\n"
        "\n"
        "event:\n"
        "data: é€😀\n"
        "\n"
        "event: lonely\n"
        "\n"
        "data: tail"
    ).encode("utf-8")
    expected = [
        SSEEvent(event="update", data="first\n second\n"),
        SSEEvent(event=None, data="é€😀"),
        SSEEvent(event=None, data="tail"),
    ]
    assert returned(decode_bytewise, body) == expected
    whole = SSEDecoder()
    assert returned(whole.feed, body) == expected[:2]
    assert returned(whole.close) == expected[2:]


def test_sse_decoder_crlf_split_between_cr_and_lf_is_one_line_ending():
    decoder = SSEDecoder()
    chunks = [b"data: a\r", b"", b"\n", b"\r", b"\ndata: b\r\r", b"data: \xe2\x82", b"\xac\n\n"]
    assert [returned(decoder.feed, chunk) for chunk in chunks] == [[], [], [], [SSEEvent(None, "a")], [SSEEvent(None, "b")], [], [SSEEvent(None, "€")]]
    assert returned(decoder.close) == []


def test_sse_decoder_lifecycle_and_errors():
    decoder = SSEDecoder()
    assert repr(decoder) == "SSEDecoder(pending_lines=0, closed=False)"
    assert decoder.feed(bytearray(b"data: x\n")) == []
    assert repr(decoder) == "SSEDecoder(pending_lines=1, closed=False)"
    assert decoder.close() == [SSEEvent(None, "x")]
    assert decoder.close() == []
    assert returned(decoder.feed, b"data: y\n\n") == Raised("ValueError: SSE decoder is closed: no more chunks can be fed")
    assert returned(SSEDecoder().feed, "data: x") == Raised("TypeError: SSE chunk must be bytes, not str")
    broken = SSEDecoder()
    assert returned(broken.feed, b"data: \xff\n\n") == Raised("ValueError: malformed UTF-8 in event stream: invalid start byte")
    assert repr(broken) == "SSEDecoder(pending_lines=0, closed=True)"
    assert SSEDecoder().feed(memoryview(b"\xef\xbb\xbfdata: z\n\n")) == [SSEEvent(None, "z")]
    assert SSEDecoder().feed(b"\xef\xbb\xbf\xef\xbb\xbfdata: z\n\n") == []
    # Only a byte-order mark at the very start of the stream is skipped, even when its bytes arrive apart.
    split = SSEDecoder()
    chunks = [b"\xef", b"\xbb\xbfdata: a\n\n", b"\xef\xbb\xbfdata: b\n\n"]
    assert [returned(split.feed, chunk) for chunk in chunks] == [[], [SSEEvent(None, "a")], []]
