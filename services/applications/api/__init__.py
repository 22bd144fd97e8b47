"""HTTP endpoints of the applications service."""
