"""The one place where cross-service event schemas live."""

from contracts import applications, funding, volunteers  # noqa: F401  (registers the events)
from contracts.registry import PUBLIC, EventRegistry, UnknownEvent

__all__ = ["PUBLIC", "EventRegistry", "UnknownEvent"]
