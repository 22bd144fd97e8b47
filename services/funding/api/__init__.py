"""HTTP endpoints of the funding service."""
