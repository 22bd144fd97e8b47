"""Plumbing shared by every service: event store, outbox relay, consumers, web skeleton."""
