"""Kafka topic names: one per owning service, plus its dead-letter topic."""

APPLICATIONS = "ochotnicy.applications"
FUNDING = "ochotnicy.funding"
VOLUNTEERS = "ochotnicy.volunteers"

BY_SERVICE = {"applications": APPLICATIONS, "funding": FUNDING, "volunteers": VOLUNTEERS}
ALL = (APPLICATIONS, FUNDING, VOLUNTEERS)


def dead_letter(topic: str) -> str:
    """Name of the topic where unreadable messages from `topic` are parked."""
    return f"{topic}.dlq"


def every() -> tuple[str, ...]:
    """Every topic the services write: each owner's log and each log's dead-letter topic."""
    return ALL + tuple(dead_letter(topic) for topic in ALL)
