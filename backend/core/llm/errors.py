"""The errors the LLM layer raises. Messages never contain an API key (see `keys.mask_key`)."""


class LLMError(Exception):
    """Base of every error raised by `core.llm`."""


class MissingKeyError(LLMError):
    """The workspace has no key for the provider."""


class InvalidKeyError(MissingKeyError):
    """The workspace's key for a provider cannot be sent (see `keys.key_problem`): no usable key.

    Raised or listed before any request with that key; the message names the workspace, the
    provider and what is wrong, never the key.
    """

    def __init__(self, workspace_id, provider, problem):
        super().__init__(f"workspace {workspace_id!r} has a malformed API key for {provider}: {problem}; it was not sent")
        self.workspace_id = workspace_id
        self.provider = provider


class RateLimitExceededError(LLMError):
    """The workspace's own requests-per-minute limit rejected the call (nothing was sent)."""

    def __init__(self, message, retry_after):
        super().__init__(message)
        self.retry_after = retry_after


class ProviderError(LLMError):
    """A provider call failed. `retryable` says whether retrying the same provider may help."""

    retryable = False

    def __init__(self, provider, message):
        super().__init__(f"{provider}: {message}")
        self.provider = provider


class AuthenticationError(ProviderError):
    """401/403: the key was refused."""


class RateLimitedError(ProviderError):
    """429 from the provider; `retry_after` in seconds when the provider said."""

    retryable = True

    def __init__(self, provider, message, retry_after=None):
        super().__init__(provider, message)
        self.retry_after = retry_after


class ServerError(ProviderError):
    """5xx from the provider, or a transport error before any response."""

    retryable = True


class ProviderTimeoutError(ProviderError):
    """The request timed out."""

    retryable = True


class MalformedResponseError(ProviderError):
    """The provider answered with something that is not the documented format."""


class StreamInterruptedError(LLMError):
    """A stream failed after text was already emitted: never retried (the text would repeat)."""

    def __init__(self, message, emitted_text, cause):
        super().__init__(message)
        self.emitted_text = emitted_text
        self.cause = cause


class AllProvidersFailedError(LLMError):
    """Every provider in the priority list failed; `errors` is [(provider, error)] in order tried."""

    def __init__(self, errors):
        lines = "; ".join(f"{provider}: {type(error).__name__}: {error}" for provider, error in errors)
        super().__init__(f"all providers failed: {lines}")
        self.errors = list(errors)
