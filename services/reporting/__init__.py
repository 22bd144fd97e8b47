"""Reporting: edition summaries built only from events."""
