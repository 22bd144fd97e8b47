"""Helpers the tests share: databases, the broker, settings, tokens."""
