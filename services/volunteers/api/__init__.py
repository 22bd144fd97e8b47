"""HTTP endpoints of the volunteers service."""
