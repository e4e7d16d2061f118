"""What each supported model costs and what it is fit for, and the cheapest model fit for a request.

Prices are the providers' published list prices in USD per million tokens (standard tier, no
caching or batch discount), stored per token as exact `Decimal`s. `tier` is the highest
`Complexity` the model is considered fit for.
"""

from dataclasses import dataclass
from decimal import Decimal

from core.llm.routing import Complexity


@dataclass(frozen=True)
class ModelPrice:
    provider: str
    model: str
    input_per_token: Decimal
    output_per_token: Decimal
    tier: Complexity


MODEL_PRICES = (
    ModelPrice("openai", "gpt-4o-mini", Decimal("0.15") / 1_000_000, Decimal("0.60") / 1_000_000, Complexity.MODERATE),
    ModelPrice("openai", "gpt-4o", Decimal("2.50") / 1_000_000, Decimal("10.00") / 1_000_000, Complexity.COMPLEX),
    ModelPrice("openai", "gpt-4.1", Decimal("2.00") / 1_000_000, Decimal("8.00") / 1_000_000, Complexity.ADVANCED),
    ModelPrice("openai", "o3", Decimal("2.00") / 1_000_000, Decimal("8.00") / 1_000_000, Complexity.ADVANCED),
    ModelPrice(
        "anthropic", "claude-3-5-haiku-latest", Decimal("0.80") / 1_000_000, Decimal("4.00") / 1_000_000,
        Complexity.MODERATE,
    ),
    ModelPrice(
        "anthropic", "claude-sonnet-4-5", Decimal("3.00") / 1_000_000, Decimal("15.00") / 1_000_000,
        Complexity.COMPLEX,
    ),
    ModelPrice(
        "anthropic", "claude-opus-4-1", Decimal("15.00") / 1_000_000, Decimal("75.00") / 1_000_000,
        Complexity.ADVANCED,
    ),
    ModelPrice("deepseek", "deepseek-chat", Decimal("0.28") / 1_000_000, Decimal("0.42") / 1_000_000, Complexity.COMPLEX),
    ModelPrice(
        "deepseek", "deepseek-reasoner", Decimal("0.28") / 1_000_000, Decimal("0.42") / 1_000_000,
        Complexity.ADVANCED,
    ),
    ModelPrice("groq", "llama-3.1-8b-instant", Decimal("0.05") / 1_000_000, Decimal("0.08") / 1_000_000, Complexity.SIMPLE),
    ModelPrice(
        "groq", "llama-3.3-70b-versatile", Decimal("0.59") / 1_000_000, Decimal("0.79") / 1_000_000,
        Complexity.MODERATE,
    ),
    ModelPrice("moonshot", "moonshot-v1-8k", Decimal("0.20") / 1_000_000, Decimal("2.00") / 1_000_000, Complexity.MODERATE),
    ModelPrice(
        "moonshot", "kimi-k2-0905-preview", Decimal("0.60") / 1_000_000, Decimal("2.50") / 1_000_000,
        Complexity.COMPLEX,
    ),
)


def price_for(model):
    """The `ModelPrice` of `model`; ValueError("unknown model 'x'") for a model not in the table."""
    for price in MODEL_PRICES:
        if price.model == model:
            return price
    raise ValueError(f"unknown model {model!r}")


def provider_for_model(model):
    """The provider serving `model` ("openai", "anthropic"...); ValueError for an unknown model."""
    return price_for(model).provider


def _checked_count(name, count):
    """`count` when it is an int >= 0 (bool excluded); ValueError naming the argument otherwise."""
    if isinstance(count, bool) or not isinstance(count, int) or count < 0:
        raise ValueError(f"{name} must be a non-negative int, got {count!r}")
    return count


def estimate_cost(model, input_tokens, output_tokens):
    """The USD cost of a call, exact: input tokens at the input price plus output tokens at the output price."""
    price = price_for(model)
    input_tokens = _checked_count("input_tokens", input_tokens)
    output_tokens = _checked_count("output_tokens", output_tokens)
    return input_tokens * price.input_per_token + output_tokens * price.output_per_token


def _cost_order(price):
    """Sort key of the cheapest choice: input plus output price per token, then the model name."""
    return (price.input_per_token + price.output_per_token, price.model)


def cheapest_model(complexity, providers):
    """The cheapest model of one of `providers` fit for `complexity` (its tier is at least that).

    Cost is input plus output price per token; ties go to the model name that sorts first.
    ValueError naming the complexity and the providers when no model fits.
    """
    complexity = Complexity(complexity)
    allowed = set(providers)
    fit = [price for price in MODEL_PRICES if price.provider in allowed and price.tier >= complexity]
    if not fit:
        raise ValueError(f"no model fit for {complexity.name} complexity among providers {sorted(allowed)}")
    return min(fit, key=_cost_order)
