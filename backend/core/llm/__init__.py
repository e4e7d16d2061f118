"""Bring-your-own-key LLM access: provider adapters, routing, fallback, streaming, tokens, limits."""
