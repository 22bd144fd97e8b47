"""The HTTP skeleton every service shares."""
